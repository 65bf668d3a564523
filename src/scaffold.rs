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

/// The starting text of a new item of `kind`.
pub fn item_template(kind: Kind, title: &str, date: Date, index_no: &str) -> String {
    let quoted = title.replace('\\', "\\\\").replace('"', "\\\"");
    let head = format!(
        "---\n# 标题（必填）\ntitle: \"{quoted}\"\n# 发布日期（必填，YYYY-MM-DD；晚于今天的条目到当天才发布）\ndate: {date}\n\
         # 索引号：由 gongkai new 分配，请勿修改\nindex_no: \"{index_no}\"\n# 摘要：一两句话，显示在列表和搜索结果中\nsummary: \"\"\n\
         # 主题分类，例如 综合政务、城乡建设\n# topic: \"\"\n# 主题词（列表）\n# keywords: [\"\"]\n# 草稿：true 时不发布\ndraft: true\n"
    );
    let body = match kind {
        Kind::Policy => POLICY_TEMPLATE,
        Kind::Interpretation => INTERPRETATION_TEMPLATE,
        Kind::Service => SERVICE_TEMPLATE,
        Kind::Article => ARTICLE_TEMPLATE,
        Kind::Faq => FAQ_TEMPLATE,
    };
    format!("{head}{body}")
}

const POLICY_TEMPLATE: &str = "# 发文机关（必填）\nissuer: \"\"\n# 文号，例如 岳政办发〔2023〕12号\ndoc_number: \"\"\n\
# 成文日期（YYYY-MM-DD）\n# written: \n# 文件类型：规章 / 行政规范性文件 / 其他文件\ndoc_type: 其他文件\n\
# 有效性：有效 / 已修订 / 失效 / 废止\nvalidity: 有效\n# 失效日期：过了这一天页面自动显示“已失效”\n# expires: \n\
# 替代文件：新文件的 id，例如 policies/xxx\n# replaced_by: \n# 公开方式：主动公开 / 依申请公开\ndisclosure: 主动公开\n---\n\n正文写在这里。\n";

const INTERPRETATION_TEMPLATE: &str = "# 解读对象（必填）：被解读文件的 id，例如 policies/xxx\ninterprets: \"\"\n\
# 形式：文字 / 图解（一图看懂）/ 问答 / 视频\nform: 文字\n---\n\n## 一、出台背景\n\n## 二、主要内容\n\n## 三、政策亮点\n";

const SERVICE_TEMPLATE: &str = "# 事项类型（必填）：行政许可 / 行政给付 / 行政确认 / 行政裁决 / 行政奖励 / 行政备案 / 公共服务 / 其他\n\
item_type: 公共服务\n# 事项编码\n# item_code: \"\"\n# 办件类型：即办件 / 承诺件\ncase_type: 承诺件\n\
# 办理层级（列表）：市 / 县 / 乡 / 村\nlevels: [县]\n# 实施主体\ndepartment: \"\"\n# 法定时限（工作日，整数）\n# legal_days: 20\n\
# 承诺时限（工作日，整数）\n# promised_days: 5\n# 收费：不写则显示“不收费”\n# fee: \"\"\n\
# 申请材料：每项可写名称，或写成 {名称, 份数, 形式: 原件/复印件/原件及复印件, 来源, 备注}\nmaterials:\n  - 居民身份证\n\
# 受理条件\n# conditions: \"\"\n# 网上办理地址\n# online_url: \"\"\n# 跑动次数（整数）\n# visits: 0\n# 办理地点\naddress: \"\"\n\
# 办理时间\nhours: \"周一至周五 上午9:00-12:00，下午14:00-17:00（法定节假日除外）\"\n# 咨询电话\nphone: \"\"\n# 监督电话\ncomplaint_phone: \"12345\"\n\
# 设定依据\n# basis: \"\"\n# 一件事：本事项包含的其他事项 id（列表）\n# bundle: []\n---\n\n## 办理流程\n\n1. 申请\n2. 受理\n3. 审核\n4. 办结\n";

const ARTICLE_TEMPLATE: &str = "# 信息来源\nsource: \"\"\n# 直播或会议预告时填写：\n# event:\n#   start: 2023-06-01 15:00\n#   place: \"\"\n#   url: \"\"\n---\n\n正文写在这里。\n";

const FAQ_TEMPLATE: &str = "# 相关事项：办事指南等条目的 id（列表）\n# related: []\n---\n\n## 问题一？\n\n回答。\n\n## 问题二？\n\n回答。\n";

/// Files of a starter site, relative to its folder.
fn starter_files() -> Vec<(&'static str, String)> {
    let today = Date::today();
    let index = |seq: u32| format!("11430000000000000X/{}-{seq:05}", today.year);
    vec![
        ("site.toml", STARTER_SITE.to_string()),
        (".gitignore", "/public\n".to_string()),
        (
            "content/shifanqu/_index.md",
            "---\ntitle: 示范区\nsummary: 示范区政务公开\n---\n\n示范区人民政府政务公开专栏。\n"
                .to_string(),
        ),
        (
            "content/shifanqu/policies/shili-zhengce.md",
            item_template(
                Kind::Policy,
                "示范区关于推行政务服务“一件事一次办”的通知",
                today,
                &index(1),
            )
            .replace("issuer: \"\"", "issuer: \"示范区人民政府办公室\"")
            .replace("draft: true", "draft: false"),
        ),
        (
            "content/shifanqu/services/shili-fuwu.md",
            item_template(Kind::Service, "高龄津贴申领", today, &index(2))
                .replace("department: \"\"", "department: \"示范区民政局\"")
                .replace("draft: true", "draft: false"),
        ),
        (".github/workflows/publish.yml", WORKFLOW.to_string()),
    ]
}

const STARTER_SITE: &str = "# 网站配置。所有项目都有默认值，可按需修改。\ntitle = \"示范区政务公开\"\nbase_url = \"https://gk.example.gov.cn\"\n\
site_id_code = \"\"\n\n[[district]]\nid = \"shifanqu\"\nname = \"示范区\"\ncode = \"430000\"\norg_code = \"11430000000000000X\"\n";

const WORKFLOW: &str = "name: publish\non:\n  pull_request:\n  push:\n    branches: [main]\njobs:\n  site:\n    runs-on: ubuntu-latest\n    steps:\n\
      - uses: actions/checkout@v4\n      - run: cargo install gongkai\n      - run: gongkai check\n      - run: gongkai build\n";

/// Write a starter site into `dir`; refuses if any of its files exists.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>> {
    let files = starter_files();
    let existing: Vec<String> = files
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
    for (rel, text) in files {
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
    fn every_template_parses_as_its_kind() {
        for kind in Kind::ALL {
            let text = item_template(
                *kind,
                "测试\"标题\"",
                Date::parse("2023-01-02").unwrap(),
                "X/2023-00001",
            );
            let src = crate::content::source::split("t.md", &text, true).unwrap();
            let node = yaml::parse(&src.yaml).unwrap();
            let (front, diags) = crate::content::front::read("t.md", 1, &node, *kind);
            if *kind == Kind::Interpretation || *kind == Kind::Policy {
                // Required references/issuer are left blank for the editor to fill in.
                assert!(
                    diags.len() == 1 && diags[0].message.contains("不能为空"),
                    "{diags:?}"
                );
            } else {
                assert!(diags.is_empty(), "{kind:?}: {diags:?}");
                assert!(front.kind.is_some());
            }
            assert_eq!(front.common.title, "测试\"标题\"");
        }
    }
}
