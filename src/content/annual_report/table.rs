//! The fixed rows and columns of the 2021 national format (国办公开办函
//! 〔2021〕30号): every part, row and column is an enum whose variants carry
//! the key an editor writes, the label of the official table and the other
//! spellings accepted. Keys are matched after [`normalize`], so the text
//! copied from the official table (with its numbering and quotes) works too.

/// The spellings of one value of a fixed set.
#[derive(Debug, Clone, Copy)]
pub struct Spelling<T: 'static> {
    /// The value.
    pub value: T,
    /// The short key editors write (and messages use).
    pub key: &'static str,
    /// The label of the official table, with its numbering.
    pub label: &'static str,
    /// Other accepted spellings.
    pub aliases: &'static [&'static str],
}

pub(super) const fn s<T>(
    value: T,
    key: &'static str,
    label: &'static str,
    aliases: &'static [&'static str],
) -> Spelling<T> {
    Spelling {
        value,
        key,
        label,
        aliases,
    }
}

/// A fixed set of values known by Chinese keys, in the official order.
pub trait Labelled: Copy + Eq + 'static {
    /// Every value with its spellings, in the order of the official table
    /// (the variant's discriminant is its index here).
    const SPELLINGS: &'static [Spelling<Self>];

    /// Position in the official order.
    fn index(self) -> usize;

    /// True for a total an editor may leave out: it is computed from the
    /// others, and checked against them when written.
    fn is_computed(self) -> bool;

    /// The short key.
    fn key(self) -> &'static str {
        Self::SPELLINGS[self.index()].key
    }

    /// The label of the official table.
    fn label(self) -> &'static str {
        Self::SPELLINGS[self.index()].label
    }

    /// The rows this row is the sum of (column by column); empty for a row
    /// an editor fills in.
    fn sum_of(self) -> &'static [Self] {
        &[]
    }

    /// The label as messages show it (a sub-row with its group).
    fn full_label(self) -> String {
        self.label().to_string()
    }

    /// Every value, in the official order.
    fn all() -> Vec<Self> {
        Self::SPELLINGS.iter().map(|s| s.value).collect()
    }

    /// The value a key written by an editor names, if any.
    fn find(written: &str) -> Option<Self> {
        let wanted = normalize(written);
        Self::SPELLINGS
            .iter()
            .find(|s| {
                normalize(s.key) == wanted
                    || normalize(s.label) == wanted
                    || s.aliases.iter().any(|a| normalize(a) == wanted)
            })
            .map(|s| s.value)
    }

    /// `本年新收、上年结转、…` for messages.
    fn keys() -> String {
        let keys: Vec<&str> = Self::SPELLINGS.iter().map(|s| s.key).collect();
        keys.join("、")
    }
}

const CHINESE_DIGITS: &str = "一二三四五六七八九十";

/// A key as compared: without white space, quotes and middle dots, and
/// without a leading ordinal (`一、`, `（三）`, `(3)`, `1.`, `1．`, `1、`)
/// unless nothing else is left.
pub fn normalize(key: &str) -> String {
    let cleaned: String = key
        .chars()
        .filter(|c| !c.is_whitespace() && !"\"'“”‘’「」『』·・•".contains(*c))
        .collect();
    match strip_ordinal(&cleaned) {
        "" => cleaned,
        rest => rest.to_string(),
    }
}

fn strip_ordinal(text: &str) -> &str {
    let is_numeral = |c: char| c.is_ascii_digit() || CHINESE_DIGITS.contains(c);
    let numerals_end = |t: &str| t.find(|c: char| !is_numeral(c)).unwrap_or(t.len());
    for (open, close) in [('（', '）'), ('(', ')')] {
        if let Some(inner) = text.strip_prefix(open) {
            let end = numerals_end(inner);
            if end > 0
                && let Some(rest) = inner[end..].strip_prefix(close)
            {
                return rest;
            }
        }
    }
    let end = numerals_end(text);
    if end > 0 {
        let rest = &text[end..];
        for mark in ['、', '.', '．'] {
            if let Some(rest) = rest.strip_prefix(mark) {
                return rest;
            }
        }
    }
    text
}

macro_rules! labelled {
    ($ty:ty, $spellings:expr) => {
        labelled!($ty, $spellings, None);
    };
    ($ty:ty, $spellings:expr, $computed:expr) => {
        impl Labelled for $ty {
            const SPELLINGS: &'static [Spelling<Self>] = $spellings;
            fn index(self) -> usize {
                self as usize
            }
            fn is_computed(self) -> bool {
                let computed: Option<fn(Self) -> bool> = $computed;
                computed.is_some_and(|f| f(self))
            }
        }
    };
}

/// The parts of the report file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// 示例: the figures are a demonstration.
    Example,
    /// 发布日期.
    Published,
    /// 一、总体情况.
    Overview,
    /// 二、主动公开政府信息情况 (the figures not derived from items).
    Proactive,
    /// 三、收到和处理政府信息公开申请情况.
    Applications,
    /// 四、政府信息公开行政复议、行政诉讼情况.
    Reviews,
    /// 五、存在的主要问题及改进情况.
    Problems,
    /// 六、其他需要报告的事项.
    OtherMatters,
}

labelled!(
    Part,
    &[
        s(Part::Example, "示例", "示例", &["演示示例"]),
        s(Part::Published, "发布日期", "发布日期", &[]),
        s(Part::Overview, "总体情况", "一、总体情况", &["一"]),
        s(
            Part::Proactive,
            "主动公开",
            "二、主动公开政府信息情况",
            &["二", "主动公开情况"],
        ),
        s(
            Part::Applications,
            "依申请公开",
            "三、收到和处理政府信息公开申请情况",
            &["三", "申请情况", "依申请公开情况"],
        ),
        s(
            Part::Reviews,
            "复议诉讼",
            "四、政府信息公开行政复议、行政诉讼情况",
            &[
                "四",
                "行政复议、行政诉讼情况",
                "行政复议行政诉讼",
                "复议诉讼情况",
            ],
        ),
        s(
            Part::Problems,
            "存在的主要问题及改进情况",
            "五、存在的主要问题及改进情况",
            &["五", "主要问题及改进情况"],
        ),
        s(
            Part::OtherMatters,
            "其他需要报告的事项",
            "六、其他需要报告的事项",
            &["六", "其他事项"],
        ),
    ]
);

/// The figures of part 二 that the items cannot give (条例第二十条第（五）、
/// （六）、（八）项).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProactiveField {
    /// 第（五）项 行政许可：本年处理决定数量.
    Licensing,
    /// 第（六）项 行政处罚：本年处理决定数量.
    Penalty,
    /// 第（六）项 行政强制：本年处理决定数量.
    Enforcement,
    /// 第（八）项 行政事业性收费：本年收费金额（万元）.
    Fees,
}

labelled!(
    ProactiveField,
    &[
        s(
            ProactiveField::Licensing,
            "行政许可",
            "行政许可",
            &["行政许可本年处理决定数量"],
        ),
        s(
            ProactiveField::Penalty,
            "行政处罚",
            "行政处罚",
            &["行政处罚本年处理决定数量"],
        ),
        s(
            ProactiveField::Enforcement,
            "行政强制",
            "行政强制",
            &["行政强制本年处理决定数量"],
        ),
        s(
            ProactiveField::Fees,
            "行政事业性收费",
            "行政事业性收费",
            &["行政事业性收费本年收费金额", "本年收费金额"],
        ),
    ]
);

/// The columns of table 三: 申请人情况.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applicant {
    /// 自然人.
    NaturalPerson,
    /// 法人或其他组织：商业企业.
    Business,
    /// 法人或其他组织：科研机构.
    Research,
    /// 法人或其他组织：社会公益组织.
    PublicWelfare,
    /// 法人或其他组织：法律服务机构.
    LegalService,
    /// 法人或其他组织：其他.
    OtherOrganisation,
    /// 总计: the six columns before it.
    Total,
}

/// Number of columns of table 三.
pub const APPLICANTS: usize = 7;

labelled!(
    Applicant,
    &[
        s(Applicant::NaturalPerson, "自然人", "自然人", &[]),
        s(Applicant::Business, "商业企业", "商业企业", &[]),
        s(Applicant::Research, "科研机构", "科研机构", &[]),
        s(
            Applicant::PublicWelfare,
            "社会公益组织",
            "社会公益组织",
            &[]
        ),
        s(Applicant::LegalService, "法律服务机构", "法律服务机构", &[]),
        s(Applicant::OtherOrganisation, "其他", "其他", &[]),
        s(Applicant::Total, "总计", "总计", &[]),
    ],
    Some(|a| a == Applicant::Total)
);

impl Applicant {
    /// The group heading above the column in the official table.
    pub fn group(self) -> Option<&'static str> {
        match self {
            Applicant::NaturalPerson | Applicant::Total => None,
            _ => Some("法人或其他组织"),
        }
    }
}

/// The groups (rows) of table 四.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewGroup {
    /// 行政复议.
    AdministrativeReview,
    /// 行政诉讼：未经复议直接起诉.
    DirectSuit,
    /// 行政诉讼：复议后起诉.
    SuitAfterReview,
}

/// Number of groups of table 四.
pub const REVIEW_GROUPS: usize = 3;

labelled!(
    ReviewGroup,
    &[
        s(
            ReviewGroup::AdministrativeReview,
            "行政复议",
            "行政复议",
            &[]
        ),
        s(
            ReviewGroup::DirectSuit,
            "未经复议直接起诉",
            "行政诉讼·未经复议直接起诉",
            &["直接起诉"],
        ),
        s(
            ReviewGroup::SuitAfterReview,
            "复议后起诉",
            "行政诉讼·复议后起诉",
            &[],
        ),
    ]
);

impl ReviewGroup {
    /// The heading above the group in the official table.
    pub fn heading(self) -> &'static str {
        match self {
            ReviewGroup::AdministrativeReview => "行政复议",
            ReviewGroup::DirectSuit | ReviewGroup::SuitAfterReview => "行政诉讼",
        }
    }
}

/// The columns of each group of table 四.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewOutcome {
    /// 结果维持.
    Upheld,
    /// 结果纠正.
    Corrected,
    /// 其他结果.
    Other,
    /// 尚未审结.
    Pending,
    /// 总计: the four before it.
    Total,
}

/// Number of columns of each group of table 四.
pub const REVIEW_OUTCOMES: usize = 5;

labelled!(
    ReviewOutcome,
    &[
        s(ReviewOutcome::Upheld, "结果维持", "结果维持", &["维持"]),
        s(ReviewOutcome::Corrected, "结果纠正", "结果纠正", &["纠正"]),
        s(ReviewOutcome::Other, "其他结果", "其他结果", &[]),
        s(ReviewOutcome::Pending, "尚未审结", "尚未审结", &["未审结"]),
        s(ReviewOutcome::Total, "总计", "总计", &[]),
    ],
    Some(|o| o == ReviewOutcome::Total)
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::annual_report::rows::{
        APPLICATION_ROWS, ApplicationRow, ApplicationRow as R,
    };

    #[test]
    fn spellings_are_in_discriminant_order() {
        fn check<T: Labelled + std::fmt::Debug>() {
            for (i, s) in T::SPELLINGS.iter().enumerate() {
                assert_eq!(s.value.index(), i, "{:?}", s.value);
            }
        }
        check::<Part>();
        check::<ProactiveField>();
        check::<Applicant>();
        check::<ApplicationRow>();
        check::<ReviewGroup>();
        check::<ReviewOutcome>();
        assert_eq!(ApplicationRow::all().len(), APPLICATION_ROWS);
        assert_eq!(Applicant::all().len(), APPLICANTS);
        assert_eq!(ReviewGroup::all().len(), REVIEW_GROUPS);
        assert_eq!(ReviewOutcome::all().len(), REVIEW_OUTCOMES);
    }

    #[test]
    fn keys_labels_and_official_text_all_name_the_row() {
        for written in [
            "属于国家秘密",
            "1.属于国家秘密",
            "1．属于国家秘密",
            " 1. 属于国家秘密 ",
        ] {
            assert_eq!(
                ApplicationRow::find(written),
                Some(R::StateSecret),
                "{written}"
            );
        }
        assert_eq!(
            ApplicationRow::find("危及三安全一稳定"),
            Some(R::ThreeSecurities)
        );
        assert_eq!(
            ApplicationRow::find("3.危及\"三安全一稳定\""),
            Some(R::ThreeSecurities)
        );
        assert_eq!(
            ApplicationRow::find("一、本年新收政府信息公开申请数量"),
            Some(R::Received)
        );
        assert_eq!(ApplicationRow::find("（七）总计"), Some(R::Total));
        assert_eq!(
            ApplicationRow::find("申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
            Some(R::NoCorrection)
        );
        assert_eq!(ApplicationRow::find("3.其他"), Some(R::OtherReason));
        assert_eq!(ApplicationRow::find("国家秘密"), None);
        assert_eq!(
            Part::find("二、主动公开政府信息情况"),
            Some(Part::Proactive)
        );
        assert_eq!(Part::find("二"), Some(Part::Proactive));
        assert_eq!(
            ReviewGroup::find("行政诉讼·复议后起诉"),
            Some(ReviewGroup::SuitAfterReview)
        );
        assert_eq!(ReviewOutcome::find("维持"), Some(ReviewOutcome::Upheld));
    }

    #[test]
    fn ordinals_are_stripped_only_before_text() {
        assert_eq!(normalize("（三）不予公开"), "不予公开");
        assert_eq!(normalize("(3)不予公开"), "不予公开");
        assert_eq!(normalize("十二、x"), "x");
        assert_eq!(normalize("三"), "三");
        assert_eq!(normalize("三安全"), "三安全");
        assert_eq!(normalize("2023"), "2023");
    }

    #[test]
    fn derived_rows_sum_the_official_sub_rows() {
        assert_eq!(R::Withheld.parts().len(), 8);
        assert_eq!(R::Unavailable.parts().len(), 3);
        assert_eq!(R::NotHandled.parts().len(), 5);
        assert_eq!(R::OtherHandling.parts().len(), 3);
        assert_eq!(R::Total.parts().len(), 6);
        assert_eq!(R::QueryMatters.group(), Some(R::Withheld));
        assert_eq!(R::OtherReason.group(), Some(R::OtherHandling));
        assert_eq!(R::Disclosed.group(), None);
        let derived: Vec<_> = ApplicationRow::all()
            .into_iter()
            .filter(|r| r.is_derived())
            .collect();
        assert_eq!(
            derived,
            [
                R::Withheld,
                R::Unavailable,
                R::NotHandled,
                R::OtherHandling,
                R::Total
            ]
        );
        assert!(!R::Withheld.has_figures_in_official_table());
        assert!(R::Total.has_figures_in_official_table());
        assert_eq!(R::StateSecret.full_label(), "（三）不予公开 1.属于国家秘密");
    }
}
