//! The link check on small in-memory sites, one case each.

use super::*;

fn site(url: &str) -> SiteAddress {
    SiteAddress::parse(url).unwrap()
}

/// A page whose body is `body`, with the usual skip link.
fn page(body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html>\n<body>\n<a href=\"#main\">跳到正文</a>\n<main id=\"main\">\n{body}\n</main>\n</body>\n</html>\n"
    )
}

fn check(url: &str, files: &[(&str, &str)]) -> Vec<LinkFinding> {
    let files: Vec<(&str, &[u8])> = files.iter().map(|(r, b)| (*r, b.as_bytes())).collect();
    check_files(site(url), &files)
}

fn problems(findings: &[LinkFinding]) -> Vec<(&str, &LinkProblem, &str)> {
    findings
        .iter()
        .map(|f| (f.page.as_str(), &f.problem, f.target.as_str()))
        .collect()
}

#[test]
fn a_site_whose_links_all_work_has_no_findings() {
    let home = page(
        "<a href=\"/a/\">a</a> <a href=\"/a\">a</a> <a href=\"a/index.html\">a</a>\n\
         <a href=\"/a/?page=2\">2</a> <a href=\"/a/#sec\">节</a> <a href=\"#main\">顶</a> <a href=\"#\">#</a>\n\
         <img src=\"/a/qr.png\" alt=\"\"> <a href=\"mailto:x@example.gov.cn\">信</a> <a href=\"tel:12345\">电</a>\n\
         <a href=\"https://www.gov.cn/\">国</a> <a href=\"https://gk.example.gov.cn/a/\">绝对</a>",
    );
    let a = page("<h2 id=\"sec\">节</h2><a href=\"../\">上</a><a href=\"qr.png\">码</a>");
    let findings = check(
        "https://gk.example.gov.cn",
        &[
            ("index.html", &home),
            ("a/index.html", &a),
            ("a/qr.png", "PNG"),
        ],
    );
    assert!(findings.is_empty(), "{findings:?}");
}

#[test]
fn a_missing_page_is_found_with_its_position() {
    let home = page("<p>正文</p>\n  <a href=\"/nope/\">坏</a>");
    let findings = check("https://gk.example.gov.cn", &[("index.html", &home)]);
    assert_eq!(
        findings,
        vec![LinkFinding {
            page: "index.html".into(),
            line: 7,
            column: 12,
            attr: Attr::Href,
            problem: LinkProblem::Missing,
            target: "/nope/".into(),
        }]
    );
}

#[test]
fn anchors_must_exist_on_their_page() {
    let home =
        page("<a href=\"/a/#gone\">x</a><a href=\"/a/#here\">y</a><a href=\"#nowhere\">z</a>");
    let a = page("<h2 id=\"here\">here</h2>");
    let findings = check(
        "https://gk.example.gov.cn",
        &[("index.html", &home), ("a/index.html", &a)],
    );
    assert_eq!(
        problems(&findings),
        vec![
            (
                "index.html",
                &LinkProblem::MissingAnchor {
                    anchor: "gone".into()
                },
                "/a/"
            ),
            (
                "index.html",
                &LinkProblem::MissingAnchor {
                    anchor: "nowhere".into()
                },
                "#nowhere"
            ),
        ]
    );
}

#[test]
fn chinese_paths_and_anchors_match_encoded_or_not() {
    let home = page(
        "<a href=\"/catalog/topic/%E5%8D%AB%E7%94%9F%E3%80%81%E4%BD%93%E8%82%B2/\">编码</a>\n\
         <a href=\"/catalog/topic/卫生、体育/#如何办理\">未编码</a>\n\
         <a href=\"/catalog/topic/%E5%8D%AB%E7%94%9F/\">少了</a>\n\
         <a href=\"/catalog/topic/%E5%8D%AB%E7%94%9F%E3%80%81%E4%BD%93%E8%82%B2/#%E5%A6%82%E4%BD%95%E5%8A%9E%E7%90%86\">锚</a>",
    );
    let topic = page("<h2 id=\"如何办理\">如何办理？</h2>");
    let findings = check(
        "https://gk.example.gov.cn",
        &[
            ("index.html", &home),
            ("catalog/topic/卫生、体育/index.html", &topic),
        ],
    );
    assert_eq!(
        problems(&findings),
        vec![("index.html", &LinkProblem::Missing, "/catalog/topic/卫生/")]
    );
}

#[test]
fn a_site_under_a_sub_path_resolves_from_its_base() {
    let home =
        page("<a href=\"/gk/a/\">好</a><a href=\"/a/\">漏了基础路径</a><a href=\"a/\">相对</a>");
    let a = page("<a href=\"../\">上</a><a href=\"../../\">出界</a><a href=\"/gk\">首页</a>");
    let findings = check(
        "https://example.gov.cn/gk/",
        &[("index.html", &home), ("a/index.html", &a)],
    );
    assert_eq!(
        problems(&findings),
        vec![
            ("a/index.html", &LinkProblem::Missing, "../../"),
            ("index.html", &LinkProblem::OutsideBase, "/a/"),
        ]
    );
}

#[test]
fn http_links_are_flagged_on_an_https_site_only() {
    let body = page(
        "<a href=\"http://www.gov.cn/\">国</a><img src=\"http://cdn.example.com/x.png\">\
         <a href=\"https://www.gov.cn/\">安全</a><a href=\"http://gk.example.gov.cn/\">自己</a>",
    );
    let files = [("index.html", body.as_str())];
    let https = check("https://gk.example.gov.cn", &files);
    assert_eq!(
        problems(&https),
        vec![
            ("index.html", &LinkProblem::Insecure, "http://www.gov.cn/"),
            (
                "index.html",
                &LinkProblem::Insecure,
                "http://cdn.example.com/x.png"
            ),
            (
                "index.html",
                &LinkProblem::Insecure,
                "http://gk.example.gov.cn/"
            ),
        ]
    );
    assert_eq!(https[1].attr, Attr::Src);
    assert!(check("http://gk.example.gov.cn", &files).is_empty());
}

#[test]
fn script_links_are_flagged() {
    let body = page("<a href=\"javascript:void(0)\">x</a><a href=\"JAVASCRIPT:alert(1)\">y</a>");
    let findings = check("https://gk.example.gov.cn", &[("index.html", &body)]);
    assert_eq!(findings.len(), 2);
    assert!(findings.iter().all(|f| f.problem == LinkProblem::Script));
}

#[test]
fn both_copies_and_the_short_link_tree_are_checked() {
    let home = page(
        "<a href=\"/zh-hant/a/\">繁</a><a href=\"/Q/ABCD1234/\">码</a><a href=\"/q/ABCD1234/\">小写</a>",
    );
    let hant = page(
        "<a href=\"/zh-hant/\">首頁</a><a href=\"/zh-hant/b/\">沒有</a><a href=\"/a/\">简</a>",
    );
    let redirect = "<meta http-equiv=\"refresh\" content=\"0; url=https://gk.example.gov.cn/a/\">\n\
                    <a href=\"https://gk.example.gov.cn/a/\">去</a>";
    let findings = check(
        "https://gk.example.gov.cn",
        &[
            ("index.html", &home),
            ("a/index.html", &page("")),
            ("zh-hant/index.html", &page("")),
            ("zh-hant/a/index.html", &hant),
            ("Q/ABCD1234/index.html", redirect),
        ],
    );
    assert_eq!(
        problems(&findings),
        vec![
            ("index.html", &LinkProblem::Missing, "/q/ABCD1234/"),
            ("zh-hant/a/index.html", &LinkProblem::Missing, "/zh-hant/b/"),
        ]
    );
}

#[test]
fn attachments_resolve_relative_to_their_page() {
    let item = page(
        "<a href=\"附件.pdf\">附件</a><a href=\"%E9%99%84%E4%BB%B6.pdf\">同一个</a><a href=\"../gone.pdf\">没有</a>",
    );
    let findings = check(
        "https://gk.example.gov.cn",
        &[("a/b/index.html", &item), ("a/b/附件.pdf", "%PDF")],
    );
    assert_eq!(
        problems(&findings),
        vec![("a/b/index.html", &LinkProblem::Missing, "/a/gone.pdf")]
    );
}

#[test]
fn a_broken_link_repeated_on_a_page_is_reported_once_per_page() {
    let body = page("<a href=\"/x/\">1</a>\n<a href=\"/x/\">2</a>");
    let findings = check(
        "https://gk.example.gov.cn",
        &[("index.html", &body), ("b/index.html", &body)],
    );
    assert_eq!(findings.len(), 2);
    assert_eq!(
        (findings[0].page.as_str(), findings[0].line),
        ("b/index.html", 6)
    );
}

#[test]
fn entities_in_links_are_decoded() {
    let body = page("<a href=\"/a/?x=1&amp;y=2\">q</a><a href=\"/a&amp;b/\">amp</a>");
    let findings = check(
        "https://gk.example.gov.cn",
        &[
            ("index.html", &body),
            ("a/index.html", ""),
            ("a&b/index.html", ""),
        ],
    );
    assert!(findings.is_empty(), "{findings:?}");
}

#[test]
fn a_directory_walk_gives_the_same_findings() {
    let dir = tempfile::tempdir().unwrap();
    let files = [
        (
            "index.html",
            page("<a href=\"/a/\">a</a><a href=\"/b/\">b</a>"),
        ),
        (
            "a/index.html",
            page("<a href=\"qr.png\">码</a><a href=\"#x\">x</a>"),
        ),
        ("a/qr.png", "PNG".to_string()),
    ];
    for (rel, text) in &files {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let walked = check_dir(site("https://gk.example.gov.cn"), dir.path()).unwrap();
    let in_memory: Vec<(&str, &str)> = files.iter().map(|(r, t)| (*r, t.as_str())).collect();
    assert_eq!(walked, check("https://gk.example.gov.cn", &in_memory));
    assert_eq!(walked.len(), 2);
}
