//! Script never gets in (issue: reliability and security): a site with
//! script in every place an editor can type — Markdown, front-matter values,
//! file names, site.toml — builds into pages whose every tag is one of the
//! theme's own, with no event handlers and no script URLs.

mod common;
use common::*;
use std::path::Path;

/// Tags the default theme and the Markdown renderer produce.
const ALLOWED_TAGS: &[&str] = &[
    "html",
    "head",
    "meta",
    "title",
    "link",
    "script",
    "body",
    "a",
    "input",
    "div",
    "header",
    "label",
    "span",
    "form",
    "button",
    "nav",
    "ul",
    "li",
    "ol",
    "main",
    "footer",
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "article",
    "aside",
    "dl",
    "dt",
    "dd",
    "strong",
    "em",
    "del",
    "code",
    "pre",
    "blockquote",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "time",
    "svg",
    "rect",
    "path",
    "br",
    "hr",
    "img",
    "sup",
    "figure",
    "figcaption",
    "noscript",
    "select",
    "option",
    "mark",
    "feed",
    "entry",
    "id",
    "updated",
    "published",
    "author",
    "name",
    "summary",
    "category",
    "urlset",
    "url",
    "loc",
    "lastmod",
];

fn assert_inert(path: &Path, text: &str) {
    for (name, attributes) in gongkai::fuzzing::html_tags(text) {
        let shown = format!("{}: <{name} {attributes:?}>", path.display());
        assert!(ALLOWED_TAGS.contains(&name.as_str()), "foreign tag {shown}");
        for (attr, value) in &attributes {
            assert!(!attr.starts_with("on"), "event handler in {shown}");
            let value = value.trim().to_ascii_lowercase();
            let value = value.strip_prefix("0; url=").unwrap_or(&value);
            if ["href", "src", "action", "content"].contains(&attr.as_str()) {
                assert!(
                    !value.starts_with("javascript:") && !value.starts_with("data:"),
                    "script URL in {shown}"
                );
            }
        }
        if name == "script" {
            let src = attributes
                .iter()
                .find(|(a, _)| a == "src")
                .map(|(_, v)| v.as_str());
            assert!(
                matches!(src, Some("/gongkai.js" | "/search.js")),
                "script {shown}"
            );
        }
    }
}

#[test]
fn hostile_input_never_reaches_a_page_as_markup() {
    let (_tmp, out) = built("hostile");
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(&out).into_iter().map(|e| e.unwrap()) {
        let path = entry.path();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !["html", "xml", "svg"].contains(&ext) {
            continue;
        }
        let text = std::fs::read_to_string(path).unwrap();
        assert_inert(path, &text);
        checked += 1;
    }
    assert!(checked > 20, "checked {checked} files");
    let page = read(&out, "qu/policies/p/index.html");
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;/script&gt;标题"),
        "title escaped, not dropped"
    );
    assert!(page.contains("<strong>注意：</strong>"));
    let json = read(&out, "api/items.json");
    assert!(!json.contains('<') && json.contains("\\u003cscript\\u003e"));
    serde_json::from_str::<serde_json::Value>(&json).unwrap();
}

#[test]
fn the_checker_catches_injection() {
    let path = Path::new("x.html");
    for bad in [
        "<p>ok</p><script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<iframe src=\"https://evil\"></iframe>",
        "<style>body{}</style>",
    ] {
        let caught = std::panic::catch_unwind(|| assert_inert(path, bad)).is_err();
        assert!(caught, "{bad}");
    }
    assert_inert(path, "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>");
}

#[test]
fn unsafe_html_keeps_raw_html_but_never_script_links_in_markdown() {
    let (_tmp, out) = built("hostile-unsafe");
    let page = read(&out, "qu/news/a/index.html");
    assert!(page.contains("<b>粗体</b>"));
    assert!(!page.contains("javascript:"));
}
