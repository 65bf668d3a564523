//! The fifteen items of 《中华人民共和国政府信息公开条例》第二十条 (what an
//! administrative organ must disclose on its own initiative), and how a
//! column in `site.toml` names the items it fulfils:
//! `disclosure_items = [1, 5]`, `["一", "五"]`, `["（一）", "第五项"]`.

use serde::de::{self, Deserialize, Deserializer, Visitor};
use std::fmt;

/// One item of 条例第二十条.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DisclosureItem {
    /// （一）行政法规、规章和规范性文件.
    Regulations = 1,
    /// （二）机关职能、机构设置…负责人姓名.
    Organisation,
    /// （三）国民经济和社会发展规划…及相关政策.
    Plans,
    /// （四）国民经济和社会发展统计信息.
    Statistics,
    /// （五）办理行政许可和其他对外管理服务事项的依据、条件、程序以及办理结果.
    Licensing,
    /// （六）实施行政处罚、行政强制的依据、条件、程序…行政处罚决定.
    Penalties,
    /// （七）财政预算、决算信息.
    Budgets,
    /// （八）行政事业性收费项目及其依据、标准.
    Fees,
    /// （九）政府集中采购项目的目录、标准及实施情况.
    Procurement,
    /// （十）重大建设项目的批准和实施情况.
    MajorProjects,
    /// （十一）扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况.
    Livelihood,
    /// （十二）突发公共事件的应急预案、预警信息及应对情况.
    Emergencies,
    /// （十三）环境保护、公共卫生…的监督检查情况.
    Inspections,
    /// （十四）公务员招考的职位、名额、报考条件等事项以及录用结果.
    CivilService,
    /// （十五）法律、法规、规章和国家有关规定规定应当主动公开的其他政府信息.
    Other,
}

use DisclosureItem as D;

const ITEMS: [(DisclosureItem, &str, &str); 15] = [
    (D::Regulations, "一", "行政法规、规章和规范性文件"),
    (
        D::Organisation,
        "二",
        "机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名",
    ),
    (
        D::Plans,
        "三",
        "国民经济和社会发展规划、专项规划、区域规划及相关政策",
    ),
    (D::Statistics, "四", "国民经济和社会发展统计信息"),
    (
        D::Licensing,
        "五",
        "办理行政许可和其他对外管理服务事项的依据、条件、程序以及办理结果",
    ),
    (
        D::Penalties,
        "六",
        "实施行政处罚、行政强制的依据、条件、程序以及本行政机关认为具有一定社会影响的行政处罚决定",
    ),
    (D::Budgets, "七", "财政预算、决算信息"),
    (D::Fees, "八", "行政事业性收费项目及其依据、标准"),
    (
        D::Procurement,
        "九",
        "政府集中采购项目的目录、标准及实施情况",
    ),
    (D::MajorProjects, "十", "重大建设项目的批准和实施情况"),
    (
        D::Livelihood,
        "十一",
        "扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况",
    ),
    (
        D::Emergencies,
        "十二",
        "突发公共事件的应急预案、预警信息及应对情况",
    ),
    (
        D::Inspections,
        "十三",
        "环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况",
    ),
    (
        D::CivilService,
        "十四",
        "公务员招考的职位、名额、报考条件等事项以及录用结果",
    ),
    (
        D::Other,
        "十五",
        "法律、法规、规章和国家有关规定规定应当主动公开的其他政府信息",
    ),
];

impl DisclosureItem {
    /// All fifteen, in the order of the article.
    pub const ALL: [DisclosureItem; 15] = [
        D::Regulations,
        D::Organisation,
        D::Plans,
        D::Statistics,
        D::Licensing,
        D::Penalties,
        D::Budgets,
        D::Fees,
        D::Procurement,
        D::MajorProjects,
        D::Livelihood,
        D::Emergencies,
        D::Inspections,
        D::CivilService,
        D::Other,
    ];

    /// The item's number, 1–15.
    pub fn number(self) -> u8 {
        self as u8
    }

    /// The Chinese numeral in parentheses, as the article writes it: `（五）`.
    pub fn numeral(self) -> String {
        format!("（{}）", ITEMS[usize::from(self.number()) - 1].1)
    }

    /// The text of the item as the article words it, without the numeral
    /// and the closing punctuation.
    pub fn text(self) -> &'static str {
        ITEMS[usize::from(self.number()) - 1].2
    }

    /// The item with number `n` (1–15).
    pub fn from_number(n: i64) -> Option<DisclosureItem> {
        let index = usize::try_from(n).ok()?.checked_sub(1)?;
        DisclosureItem::ALL.get(index).copied()
    }

    /// The item a written name denotes: `5`, `五`, `（五）`, `(五)`, `第五项`,
    /// `第（五）项`, `第5项`.
    pub fn parse(written: &str) -> Option<DisclosureItem> {
        let text = written.trim();
        let text = text.strip_prefix('第').unwrap_or(text);
        let text = text.strip_suffix('项').unwrap_or(text);
        let text = ["（", "("]
            .iter()
            .zip(["）", ")"])
            .find_map(|(open, close)| text.strip_prefix(open)?.strip_suffix(close))
            .unwrap_or(text)
            .trim();
        if let Ok(n) = text.parse::<i64>() {
            return DisclosureItem::from_number(n);
        }
        ITEMS
            .iter()
            .find(|(_, numeral, _)| *numeral == text)
            .map(|(item, _, _)| *item)
    }
}

impl fmt::Display for DisclosureItem {
    /// `（五）办理行政许可和其他对外管理服务事项的依据、条件、程序以及办理结果`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.numeral(), self.text())
    }
}

const ALLOWED: &str =
    "请写 1 至 15 的数字或 一 至 十五，例如 disclosure_items = [1, 5] 或 [\"一\", \"五\"]";

/// The items a column declares in `site.toml` (`disclosure_items`): a list
/// of numbers or Chinese numerals, or one of them alone. Every problem is
/// returned, in Chinese, naming the entry: unknown numbers, other types,
/// and an item named twice.
pub fn parse_disclosure_items(value: &toml::Value) -> Result<Vec<DisclosureItem>, Vec<String>> {
    let entries: Vec<&toml::Value> = match value {
        toml::Value::Array(entries) => entries.iter().collect(),
        single => vec![single],
    };
    let mut items = Vec::new();
    let mut problems = Vec::new();
    for entry in entries {
        let item = match entry {
            toml::Value::Integer(n) => DisclosureItem::from_number(*n),
            toml::Value::String(s) => DisclosureItem::parse(s),
            _ => None,
        };
        match item {
            Some(item) if items.contains(&item) => {
                problems.push(format!("第二十条{}写了两次", item.numeral()));
            }
            Some(item) => items.push(item),
            None => {
                problems.push(format!("“{entry}”不是条例第二十条的项：{ALLOWED}"));
            }
        }
    }
    if problems.is_empty() {
        Ok(items)
    } else {
        Err(problems)
    }
}

impl<'de> Deserialize<'de> for DisclosureItem {
    /// One entry of `disclosure_items`, so that `config.rs` may read the
    /// list as `Vec<toml::Spanned<DisclosureItem>>` with positions.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ItemVisitor;
        impl Visitor<'_> for ItemVisitor {
            type Value = DisclosureItem;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(ALLOWED)
            }
            fn visit_i64<E: de::Error>(self, n: i64) -> Result<DisclosureItem, E> {
                DisclosureItem::from_number(n)
                    .ok_or_else(|| E::custom(format!("“{n}”不是条例第二十条的项：{ALLOWED}")))
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<DisclosureItem, E> {
                self.visit_i64(i64::try_from(n).unwrap_or(i64::MAX))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<DisclosureItem, E> {
                DisclosureItem::parse(s)
                    .ok_or_else(|| E::custom(format!("“{s}”不是条例第二十条的项：{ALLOWED}")))
            }
        }
        deserializer.deserialize_any(ItemVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_numerals_and_texts_agree() {
        for (i, item) in DisclosureItem::ALL.iter().enumerate() {
            assert_eq!(usize::from(item.number()), i + 1);
            assert_eq!(ITEMS[i].0, *item);
        }
        assert_eq!(D::Licensing.numeral(), "（五）");
        assert_eq!(
            D::Other.to_string(),
            "（十五）法律、法规、规章和国家有关规定规定应当主动公开的其他政府信息"
        );
        assert_eq!(D::Regulations.text(), "行政法规、规章和规范性文件");
    }

    #[test]
    fn every_way_of_naming_an_item() {
        for written in [
            "5",
            "五",
            "（五）",
            "(五)",
            "第五项",
            "第（五）项",
            "第5项",
            " 5 ",
        ] {
            assert_eq!(
                DisclosureItem::parse(written),
                Some(D::Licensing),
                "{written}"
            );
        }
        assert_eq!(DisclosureItem::parse("十一"), Some(D::Livelihood));
        assert_eq!(DisclosureItem::parse("十五"), Some(D::Other));
        for bad in ["0", "16", "十六", "", "五项目", "-1"] {
            assert_eq!(DisclosureItem::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn site_toml_lists_parse_and_report_every_problem() {
        let value: toml::Table =
            toml::from_str("a = [1, \"五\", \"第（十二）项\"]\nb = 7\nc = [1, 16, \"一\", true]\n")
                .unwrap();
        assert_eq!(
            parse_disclosure_items(&value["a"]),
            Ok(vec![D::Regulations, D::Licensing, D::Emergencies])
        );
        assert_eq!(parse_disclosure_items(&value["b"]), Ok(vec![D::Budgets]));
        let problems = parse_disclosure_items(&value["c"]).unwrap_err();
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems[0].contains("16"), "{}", problems[0]);
        assert!(problems[1].contains("（一）写了两次"), "{}", problems[1]);
        assert!(problems[2].contains("true"), "{}", problems[2]);
    }

    #[test]
    fn deserializes_from_site_toml_with_positions() {
        #[derive(serde::Deserialize)]
        struct Column {
            disclosure_items: Vec<toml::Spanned<DisclosureItem>>,
        }
        let column: Column = toml::from_str("disclosure_items = [8, \"九\"]").unwrap();
        let items: Vec<_> = column
            .disclosure_items
            .iter()
            .map(|s| *s.get_ref())
            .collect();
        assert_eq!(items, [D::Fees, D::Procurement]);
        let err = toml::from_str::<Column>("disclosure_items = [0]")
            .err()
            .unwrap();
        assert!(err.to_string().contains("不是条例第二十条的项"), "{err}");
    }
}
