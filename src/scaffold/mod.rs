//! `gongkai new` and `gongkai init`: files for editors to start from. They
//! never overwrite an existing file.

use crate::config::{Config, District};
use crate::content::identity::{self, format_index_no, parse_index_seq};
use crate::content::library::index_parts;
use crate::content::words::Kind;
use crate::content::yaml::{self, Value};
use crate::date::Date;
use crate::diag::{Error, Result};
use crate::fsutil;
use std::path::{Path, PathBuf};

/// Write a new item of `column` titled `title`; returns its path.
pub fn new_item(
    root: &Path,
    config: &Config,
    column: &str,
    title: &str,
    district: Option<&str>,
) -> Result<PathBuf> {
    let column = config
        .columns
        .iter()
        .find(|c| c.id == column || c.name == column)
        .ok_or_else(|| {
            let ids: Vec<String> = config
                .columns
                .iter()
                .map(|c| format!("{} ({})", c.id, c.name))
                .collect();
            Error::Other(format!(
                "没有栏目“{column}”；可用的栏目：{}",
                ids.join("、")
            ))
        })?;
    let district = pick_district(root, config, district)?;
    let title = title.trim();
    if title.is_empty() {
        return Err(Error::Other("标题不能为空".to_string()));
    }
    let slug = slug_for_title(title);
    let today = Date::today();
    let parts = index_parts(&district, today.year);
    let taken = existing_index_nos(root);
    let next = taken
        .iter()
        .filter_map(|no| parse_index_seq(&config.index_format, &parts, no))
        .max()
        .unwrap_or(0)
        + 1;
    let index_no = format_index_no(&config.index_format, &parts, next);
    let path = root
        .join("content")
        .join(&district.id)
        .join(&column.id)
        .join(format!("{slug}.md"));
    let text = item_template(column.kind, title, today, &index_no);
    fsutil::write_new(&path, text.as_bytes())?;
    Ok(path)
}

fn pick_district(root: &Path, config: &Config, wanted: Option<&str>) -> Result<District> {
    let mut known = config.districts.clone();
    if known.is_empty()
        && let Ok(entries) = std::fs::read_dir(root.join("content"))
    {
        let mut names: Vec<String> = entries
            .filter_map(std::result::Result::ok)
            .filter(|e| e.path().is_dir())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| !n.starts_with('.'))
            .collect();
        names.sort();
        known = names.iter().map(|n| District::from_folder(n)).collect();
    }
    match wanted {
        Some(id) => {
            if let Some(d) = known.iter().find(|d| d.id == id || d.name == id) {
                return Ok(d.clone());
            }
            if config.districts.is_empty() && identity::is_safe_segment(id) {
                return Ok(District::from_folder(id));
            }
            Err(Error::Other(format!(
                "没有区县“{id}”；可用的区县：{}",
                names(&known)
            )))
        }
        None if known.len() == 1 => Ok(known.remove(0)),
        None if known.is_empty() => Err(Error::Other(
            "还没有区县：请用 --district <目录名> 指定".to_string(),
        )),
        None => Err(Error::Other(format!(
            "请用 --district 指定区县：{}",
            names(&known)
        ))),
    }
}

fn names(districts: &[District]) -> String {
    districts
        .iter()
        .map(|d| format!("{} ({})", d.id, d.name))
        .collect::<Vec<_>>()
        .join("、")
}

/// A file name for a title: white space as `-`, characters that are unsafe in
/// paths dropped, at most 40 characters.
pub fn slug_for_title(title: &str) -> String {
    let cleaned: String = title
        .chars()
        .filter(|c| {
            !matches!(
                c,
                '/' | '\\' | '?' | '#' | '%' | '"' | '<' | '>' | '|' | ':' | '*'
            ) && !c.is_control()
        })
        .take(40)
        .collect();
    let slug = identity::slug_from_name(&cleaned);
    let slug = slug.trim_start_matches('.').to_string();
    if slug.is_empty() {
        "item".to_string()
    } else {
        slug
    }
}

/// Every 索引号 written in the site's content, read leniently (a file with
/// errors elsewhere still counts), so `new` never hands out a taken number.
pub fn existing_index_nos(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let walker = walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .filter_map(std::result::Result::ok);
    for entry in walker
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
    {
        let Ok(bytes) = std::fs::read(entry.path()) else {
            continue;
        };
        let Ok(text) = crate::content::source::decode("", &bytes) else {
            continue;
        };
        let Ok(src) = crate::content::source::split("", &text, true) else {
            continue;
        };
        let Ok(node) = yaml::parse(&src.yaml) else {
            continue;
        };
        if let Value::Map(pairs) = node.value {
            for (key, value) in pairs {
                let is_index =
                    matches!(&key.value, Value::Str(k) if k == "index_no" || k == "索引号");
                if let (true, Some(text)) = (is_index, value.value.as_text()) {
                    out.push(text.trim().to_string());
                }
            }
        }
    }
    out
}

/// The starting text of a new item of `kind`: every key of the kind with a
/// Chinese comment and an empty value (a few rarely used ones commented
/// out), a draft. Nothing but the title and the allocated 索引号 is filled
/// in: a template must never publish a fact nobody wrote.
pub fn item_template(kind: Kind, title: &str, date: Date, index_no: &str) -> String {
    let quoted = title.replace('\\', "\\\\").replace('"', "\\\"");
    let kind_part = match kind {
        Kind::Policy => include_str!("new/policy.yaml"),
        Kind::Interpretation => include_str!("new/interpretation.yaml"),
        Kind::Service => include_str!("new/service.yaml"),
        Kind::Article => include_str!("new/article.yaml"),
        Kind::Faq => include_str!("new/faq.yaml"),
    };
    format!("{}{kind_part}", include_str!("new/common.yaml"))
        .replace("{date}", &date.to_string())
        .replace("{index_no}", index_no)
        .replace("{title}", &quoted)
}

/// Files of a starter site: (path relative to its folder, text).
const STARTER: &[(&str, &str)] = &[
    ("site.toml", include_str!("starter/site.toml")),
    (".gitignore", include_str!("starter/gitignore")),
    (
        ".github/workflows/publish.yml",
        include_str!("starter/github/workflows/publish.yml"),
    ),
    (".gitlab-ci.yml", include_str!("starter/gitlab-ci.yml")),
    (
        "content/shifanqu/_index.md",
        include_str!("starter/content/shifanqu/_index.md"),
    ),
    (
        "content/shifanqu/policies/yijianshi-tongzhi.md",
        include_str!("starter/content/shifanqu/policies/yijianshi-tongzhi.md"),
    ),
    (
        "content/shifanqu/interpretations/yijianshi-jiedu.md",
        include_str!("starter/content/shifanqu/interpretations/yijianshi-jiedu.md"),
    ),
    (
        "content/shifanqu/services/gaoling-jintie.md",
        include_str!("starter/content/shifanqu/services/gaoling-jintie.md"),
    ),
    (
        "content/shifanqu/news/zhibo-yugao.md",
        include_str!("starter/content/shifanqu/news/zhibo-yugao.md"),
    ),
    (
        "content/shifanqu/faq/gaoling-jintie-wenda.md",
        include_str!("starter/content/shifanqu/faq/gaoling-jintie-wenda.md"),
    ),
];

/// Write a starter site into `dir`; refuses if any of its files exists.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>> {
    let existing: Vec<String> = STARTER
        .iter()
        .filter(|(rel, _)| dir.join(rel).exists())
        .map(|(rel, _)| rel.to_string())
        .collect();
    if !existing.is_empty() {
        return Err(Error::Other(format!(
            "以下文件已存在，未做任何修改：{}",
            existing.join("、")
        )));
    }
    let mut written = Vec::new();
    for (rel, text) in STARTER {
        let path = dir.join(rel);
        fsutil::write_new(&path, text.as_bytes())?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_become_safe_file_names() {
        assert_eq!(slug_for_title("关于 a/b 的通知"), "关于-ab-的通知");
        assert_eq!(slug_for_title("../.."), "item");
        assert_eq!(slug_for_title(&"长".repeat(60)).chars().count(), 40);
    }

    #[test]
    fn the_starter_site_is_not_live_by_the_go_live_check() {
        use crate::golive::{STARTER_DIVISION_CODE, STARTER_ORG_CODE};
        let text = STARTER
            .iter()
            .find(|(rel, _)| *rel == "site.toml")
            .unwrap()
            .1;
        let config = Config::parse("site.toml", text).unwrap();
        assert!(crate::golive::placeholder(&config.base_url).is_some());
        let district = &config.districts[0];
        assert_eq!(district.code, STARTER_DIVISION_CODE);
        assert_eq!(district.org_code, STARTER_ORG_CODE);
        let keys: Vec<&str> = config.starter_codes.iter().map(|s| s.key).collect();
        assert_eq!(keys, ["code", "org_code"]);
        assert_eq!(crate::golive::problems(&config).len(), 3);
        // The samples' 索引号 follow the starter's org_code.
        for (rel, text) in STARTER.iter().filter(|(_, t)| t.contains("索引号:")) {
            assert!(
                text.contains(&format!("索引号: \"{STARTER_ORG_CODE}/")),
                "{rel}"
            );
        }
    }

    #[test]
    fn every_template_lists_every_key_of_its_kind() {
        for kind in Kind::ALL {
            let text = item_template(
                *kind,
                "标题",
                Date::parse("2024-01-02").unwrap(),
                "X/2024-00001",
            );
            for spec in crate::content::front::specs_for(*kind) {
                assert!(
                    text.contains(&format!("{}:", spec.name)),
                    "{kind:?} template lacks {}",
                    spec.name
                );
            }
        }
    }

    fn template_of(kind: Kind) -> String {
        item_template(
            kind,
            "测试\"标题\"",
            Date::parse("2023-01-02").unwrap(),
            "X/2023-00001",
        )
    }

    #[test]
    fn every_template_reads_as_its_kind_with_only_required_fields_to_fill() {
        for kind in Kind::ALL {
            let text = template_of(*kind);
            let src = crate::content::source::split("t.md", &text, true).unwrap();
            let (node, syntax) = crate::content::syntax::parse_front("t.md", &src.yaml, 2);
            assert!(syntax.is_empty(), "{kind:?}: {syntax:?}");
            let (front, problems) = crate::content::front::read("t.md", 1, &node.unwrap(), *kind);
            assert!(
                problems.errors.is_empty(),
                "{kind:?}: {:?}",
                problems.errors
            );
            let mut missing: Vec<&str> = problems
                .missing
                .iter()
                .filter_map(|d| d.field.as_deref())
                .collect();
            missing.sort_unstable();
            let required: &[&str] = match kind {
                Kind::Policy => &["date", "issuer"],
                Kind::Interpretation => &["date", "interprets"],
                Kind::Service => &["date", "item_type"],
                Kind::Article | Kind::Faq => &["date"],
            };
            assert_eq!(missing, required, "{kind:?}");
            assert_eq!(front.common.title, "测试\"标题\"");
            assert!(front.common.draft);
            assert!(src.body.trim().is_empty(), "{kind:?} body: {}", src.body);
        }
    }

    /// A template states nothing the editor did not write: every value but
    /// the title, the allocated 索引号 and the draft flag is empty.
    #[test]
    fn templates_invent_no_values() {
        for kind in Kind::ALL {
            let text = template_of(*kind);
            let src = crate::content::source::split("t.md", &text, true).unwrap();
            let Value::Map(pairs) = yaml::parse(&src.yaml).unwrap().value else {
                panic!("{kind:?}: not a mapping")
            };
            for (key, value) in pairs {
                let Value::Str(key) = key.value else { panic!() };
                if matches!(key.as_str(), "title" | "index_no" | "draft") {
                    continue;
                }
                let empty = match &value.value {
                    Value::Null => true,
                    Value::Str(t) => t.is_empty(),
                    Value::Seq(items) => items.is_empty(),
                    Value::Map(pairs) => pairs.is_empty(),
                    _ => false,
                };
                assert!(empty, "{kind:?}: {key} = {:?}", value.value);
            }
        }
    }

    #[test]
    fn the_service_template_tells_to_write_the_fee_explicitly() {
        let text = template_of(Kind::Service);
        let fee = text.lines().position(|l| l.starts_with("fee:")).unwrap();
        let comment = text.lines().nth(fee - 1).unwrap();
        assert!(
            comment.starts_with('#') && comment.contains("明确写 不收费"),
            "{comment}"
        );
        for invented in ["公共服务\n", "5个工作日", "12345", "承诺件\n", "居民身份证"]
        {
            assert!(!text.contains(&format!(": {invented}")), "{invented}");
        }
    }
}
