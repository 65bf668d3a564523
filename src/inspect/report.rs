//! The inspection report: one self-contained Chinese HTML page (inline
//! CSS, no script, nothing loaded from elsewhere) grouped as the inspection
//! is — 单项否决 findings first, then each indicator — with counts and, for
//! every finding, its item's link and the file it concerns; and the same
//! findings as one JSON document for tools.

use super::finding::{Code, Finding, Indicator};
use crate::render::escape_html as esc;
use serde::Serialize;
use std::fmt::Write as _;

/// What the report says about the run.
#[derive(Debug, Clone, Serialize)]
pub struct ReportMeta {
    /// The site's title.
    pub site_title: String,
    /// The site's `base_url`.
    pub base_url: String,
    /// The day the findings were measured against (the build's "today").
    pub date: String,
    /// The program that wrote the report (`gongkai 0.1.0`).
    pub generator: String,
}

const STYLE: &str = "body{margin:0;font:16px/1.6 system-ui,\"PingFang SC\",\"Microsoft YaHei\",\
sans-serif;color:#1a1a1a;background:#fff}main{max-width:72rem;margin:0 auto;padding:1rem}\
h1{font-size:1.6rem;margin:.5rem 0}h2{font-size:1.3rem;margin:2rem 0 .5rem;\
border-bottom:2px solid #b3261e;padding-bottom:.25rem}h3{font-size:1.1rem;margin:1.25rem 0 .5rem}\
.meta,.note{color:#444}.veto h2{color:#b3261e}table{border-collapse:collapse;width:100%;\
margin:.5rem 0}th,td{border:1px solid #ccc;padding:.35rem .5rem;text-align:left;\
vertical-align:top}th{background:#f3f3f3}td.n{text-align:right;width:6rem}\
table.list{table-layout:fixed}table.list th:first-child{width:55%}\
code{font-family:ui-monospace,Consolas,monospace;font-size:.9em;word-break:break-all}\
.ok{color:#1b6e20}a{color:#0b57d0}@media print{a{color:inherit}h2{break-after:avoid}}";

/// The report as one HTML page.
pub fn html(meta: &ReportMeta, findings: &[Finding]) -> String {
    let mut out = String::with_capacity(4096 + findings.len() * 512);
    let title = format!("政府网站检查预检报告 - {}", meta.site_title);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n\
         <h1>政府网站检查预检报告</h1>\n<p class=\"meta\">{} · {} · 检查日期 {} · 由 {} 生成</p>\n\
         <p class=\"note\">本报告依据《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号）和\
         《中华人民共和国政府信息公开条例》，在发布前找出检查时会发现的问题，不能代替正式检查。</p>\n",
        esc(&title),
        esc(&meta.site_title),
        esc(&meta.base_url),
        esc(&meta.date),
        esc(&meta.generator),
    );
    summary(&mut out, findings);
    let vetoes: Vec<&Finding> = findings.iter().filter(|f| f.veto).collect();
    let origin = origin(&meta.base_url);
    let heading = ("veto", "单项否决", origin);
    section(&mut out, heading, &vetoes, "未发现单项否决问题。");
    for indicator in Indicator::ALL {
        let list: Vec<&Finding> = findings
            .iter()
            .filter(|f| !f.veto && f.indicator() == indicator)
            .collect();
        let heading = (indicator.key(), indicator.label(), origin);
        section(&mut out, heading, &list, "未发现问题。");
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

/// The counts: in total, 单项否决, and per indicator (单项否决 aside).
fn summary(out: &mut String, findings: &[Finding]) {
    let vetoes = findings.iter().filter(|f| f.veto).count();
    out.push_str("<section>\n<h2>概况</h2>\n");
    if findings.is_empty() {
        out.push_str("<p class=\"ok\">未发现问题。</p>\n");
    } else {
        let _ = writeln!(
            out,
            "<p>共发现 {} 个问题，其中单项否决 {vetoes} 个。</p>",
            findings.len()
        );
    }
    out.push_str("<table>\n<thead><tr><th>检查指标</th><th>问题数</th></tr></thead>\n<tbody>\n");
    let _ = writeln!(
        out,
        "<tr><td><a href=\"#veto\">单项否决</a></td><td class=\"n\">{vetoes}</td></tr>"
    );
    for indicator in Indicator::ALL {
        let count = findings
            .iter()
            .filter(|f| !f.veto && f.indicator() == indicator)
            .count();
        let _ = writeln!(
            out,
            "<tr><td><a href=\"#{}\">{}</a></td><td class=\"n\">{count}</td></tr>",
            indicator.key(),
            indicator.label()
        );
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

/// `https://host` of `https://host/path`: item links are absolute, so that
/// they work from the report file wherever it is opened.
fn origin(base_url: &str) -> &str {
    let after_scheme = base_url.find("://").map_or(0, |at| at + 3);
    match base_url[after_scheme..].find('/') {
        Some(at) => &base_url[..after_scheme + at],
        None => base_url,
    }
}

/// One group (anchor id, heading, the site's origin): a heading with its
/// count, then a table per code.
fn section(out: &mut String, heading: (&str, &str, &str), findings: &[&Finding], none: &str) {
    let (id, label, origin) = heading;
    let class = if id == "veto" { " class=\"veto\"" } else { "" };
    let _ = writeln!(
        out,
        "<section id=\"{id}\"{class}>\n<h2>{label}（{}）</h2>",
        findings.len()
    );
    if findings.is_empty() {
        let _ = writeln!(out, "<p class=\"ok\">{none}</p>");
    }
    let mut codes: Vec<Code> = findings.iter().map(|f| f.code).collect();
    codes.sort_unstable();
    codes.dedup();
    for code in codes {
        let mut list: Vec<&&Finding> = findings.iter().filter(|f| f.code == code).collect();
        list.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
        let _ = writeln!(
            out,
            "<h3>{}（{}）<code>{}</code></h3>\n<table class=\"list\">\n<thead><tr><th>问题与处理</th>\
             <th>条目</th><th>文件</th></tr></thead>\n<tbody>",
            code.title(),
            list.len(),
            code.as_str()
        );
        for finding in list {
            row(out, finding, origin);
        }
        out.push_str("</tbody>\n</table>\n");
    }
    out.push_str("</section>\n");
}

fn row(out: &mut String, f: &Finding, origin: &str) {
    let item = match (&f.item_url, &f.item_title) {
        (Some(url), title) => {
            let absolute = if url.starts_with('/') {
                format!("{origin}{url}")
            } else {
                url.clone()
            };
            let text = title.as_deref().unwrap_or(url);
            format!("<a href=\"{}\">{}</a>", esc(&absolute), esc(text))
        }
        (None, Some(title)) => esc(title),
        (None, None) => "—".to_string(),
    };
    let setting = f
        .setting
        .as_deref()
        .map(|s| format!("<br>设置：<code>{}</code>", esc(s)))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "<tr><td>{}</td><td>{item}</td><td><code>{}:{}:{}</code>{setting}</td></tr>",
        esc(&f.message),
        esc(&f.path),
        f.line,
        f.column
    );
}

/// The report as one JSON document: the run, the counts and every finding.
pub fn json(meta: &ReportMeta, findings: &[Finding]) -> String {
    let by_indicator: serde_json::Map<String, serde_json::Value> = Indicator::ALL
        .iter()
        .map(|i| {
            let count = findings.iter().filter(|f| f.indicator() == *i).count();
            (i.key().to_string(), count.into())
        })
        .collect();
    let list: Vec<serde_json::Value> = findings
        .iter()
        .map(|f| {
            let mut value = serde_json::to_value(f).unwrap_or_default();
            value["indicator"] = f.indicator().key().into();
            value["indicator_label"] = f.indicator().label().into();
            value["title"] = f.code.title().into();
            value
        })
        .collect();
    let document = serde_json::json!({
        "meta": meta,
        "counts": {
            "total": findings.len(),
            "veto": findings.iter().filter(|f| f.veto).count(),
            "by_indicator": by_indicator,
        },
        "findings": list,
    });
    serde_json::to_string_pretty(&document).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta() -> ReportMeta {
        ReportMeta {
            site_title: "测试<站>".into(),
            base_url: "https://gk.test.gov.cn".into(),
            date: "2024-07-01".into(),
            generator: "gongkai 0.1.0".into(),
        }
    }

    fn findings() -> Vec<Finding> {
        vec![
            Finding {
                item_url: Some("/ceshi/policies/x/".into()),
                item_title: Some("关于<某事>的通知".into()),
                line: 3,
                ..Finding::new(
                    Code::LatePolicy,
                    "content/ceshi/policies/x.md",
                    "成文后第 25 个工作日才公开",
                )
            },
            Finding {
                veto: true,
                setting: Some("column".into()),
                ..Finding::new(
                    Code::BlankColumn,
                    "site.toml",
                    "栏目“通知公告”没有已发布的条目",
                )
            },
            Finding::new(
                Code::BrokenLink,
                "public/index.html",
                "链接指向不存在的页面",
            ),
        ]
    }

    #[test]
    fn html_groups_veto_first_then_indicators_with_counts() {
        let page = html(&meta(), &findings());
        assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"zh-CN\">"));
        assert!(page.contains("共发现 3 个问题，其中单项否决 1 个。"));
        let veto = page.find("<section id=\"veto\"").unwrap();
        let availability = page.find("<section id=\"availability\"").unwrap();
        let disclosure = page.find("<section id=\"disclosure\"").unwrap();
        assert!(veto < availability && availability < disclosure);
        let blank = page.find("栏目“通知公告”").unwrap();
        assert!(
            veto < blank && blank < availability,
            "the veto finding is in its section"
        );
        assert!(page.contains("<h2>单项否决（1）</h2>"));
        assert!(
            page.contains("<h2>信息更新情况（0）</h2>"),
            "listed under 单项否决 only"
        );
        assert!(page.contains(
            "<a href=\"https://gk.test.gov.cn/ceshi/policies/x/\">关于&lt;某事&gt;的通知</a>"
        ));
        assert!(page.contains("<code>content/ceshi/policies/x.md:3:1</code>"));
        assert!(page.contains("设置：<code>column</code>"));
        assert!(page.contains("测试&lt;站&gt;"));
    }

    #[test]
    fn html_is_self_contained() {
        let page = html(&meta(), &findings());
        for outside in ["<script", "<link", "src=", "@import", "url("] {
            assert!(!page.contains(outside), "{outside}");
        }
        for href in page.match_indices("href=\"").map(|(at, _)| &page[at + 6..]) {
            let inside = href.starts_with('#') || href.starts_with("https://gk.test.gov.cn/");
            assert!(inside, "{}", &href[..20]);
        }
    }

    #[test]
    fn item_links_are_absolute_under_a_sub_path_too() {
        assert_eq!(
            origin("https://example.gov.cn/gk"),
            "https://example.gov.cn"
        );
        assert_eq!(origin("https://example.gov.cn"), "https://example.gov.cn");
        let meta = ReportMeta {
            base_url: "https://example.gov.cn/gk".into(),
            ..meta()
        };
        let finding = Finding {
            item_url: Some("/gk/a/".into()),
            ..Finding::new(Code::BrokenLink, "public/gk/index.html", "x")
        };
        assert!(
            html(&meta, &[finding]).contains("<a href=\"https://example.gov.cn/gk/a/\">/gk/a/</a>")
        );
    }

    #[test]
    fn a_clean_site_gets_a_report_that_says_so() {
        let page = html(&meta(), &[]);
        assert!(page.contains("<p class=\"ok\">未发现问题。</p>"));
        assert!(page.contains("未发现单项否决问题。"));
        assert!(!page.contains("<table>\n<thead><tr><th>问题与处理"));
    }

    #[test]
    fn json_has_the_counts_and_every_finding() {
        let text = json(&meta(), &findings());
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value["counts"]["total"], 3);
        assert_eq!(value["counts"]["veto"], 1);
        assert_eq!(value["counts"]["by_indicator"]["availability"], 1);
        assert_eq!(value["counts"]["by_indicator"]["updates"], 1);
        let first = &value["findings"][0];
        assert_eq!(first["code"], "late-policy");
        assert_eq!(first["indicator"], "disclosure");
        assert_eq!(first["indicator_label"], "政府信息公开");
        assert_eq!(first["line"], 3);
        assert_eq!(value["meta"]["date"], "2024-07-01");
    }
}
