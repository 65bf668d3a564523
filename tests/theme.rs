//! The default theme's own pieces seen in a build: the favicon every page
//! links to (at the root and under a sub-path, in both copies, replaced by a
//! site's theme file) and the 404 page's navigation.

mod common;
use common::*;
use std::path::{Path, PathBuf};

/// all-kinds with `traditional = true` and the extra `files`, built with
/// `args`.
fn built_with(args: &[&str], files: &[(&str, &[u8])]) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    copy_dir(&site("all-kinds"), &root);
    let config = std::fs::read_to_string(root.join("site.toml")).unwrap();
    std::fs::write(
        root.join("site.toml"),
        format!("traditional = true\n{config}"),
    )
    .unwrap();
    for (rel, bytes) in files {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    let out = tmp.path().join("public");
    let output = build(&root, &out, args);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    (tmp, out)
}

/// The `href` of every `<link rel="icon" …>` of a page.
fn icon_links(html: &str) -> Vec<String> {
    html.split("<link ")
        .skip(1)
        .filter_map(|tag| {
            let tag = &tag[..tag.find('>')?];
            if !tag.contains("rel=\"icon\"") {
                return None;
            }
            let href = &tag[tag.find("href=\"")? + 6..];
            Some(href[..href.find('"')?].to_string())
        })
        .collect()
}

/// Check that every HTML page of `out` links both favicons and that each
/// link, read as a path under `base_path`, is a file of the output (in the
/// page's own copy).
fn assert_icons_resolve(out: &Path, base_path: &str) -> usize {
    let mut pages = 0;
    for (rel, bytes) in tree(out) {
        if !rel.ends_with(".html") {
            continue;
        }
        pages += 1;
        let links = icon_links(&String::from_utf8(bytes).unwrap());
        assert_eq!(links.len(), 2, "{rel}: {links:?}");
        let copy = if rel.starts_with("zh-hant/") {
            format!("{base_path}/zh-hant/")
        } else {
            format!("{base_path}/")
        };
        for href in &links {
            let file = href
                .strip_prefix(&copy)
                .unwrap_or_else(|| panic!("{rel}: {href} is not under {copy}"));
            let target = out.join(copy.trim_start_matches(base_path).trim_start_matches('/'));
            assert!(
                target.join(file).is_file(),
                "{rel}: {href} is not in the output"
            );
        }
    }
    pages
}

#[test]
fn every_page_links_a_favicon_that_is_there() {
    let (_tmp, out) = built_with(&[], &[]);
    let pages = assert_icons_resolve(&out, "");
    assert!(pages > 100, "only {pages} pages");
    // Short links and old addresses are pages of their own.
    assert_eq!(icon_links(&read(&out, "old/jiu-banfa.html")).len(), 2);
    let svg = std::fs::read(out.join("favicon.svg")).unwrap();
    assert_eq!(svg, include_bytes!("../themes/default/static/favicon.svg"));
    assert_eq!(std::fs::read(out.join("zh-hant/favicon.svg")).unwrap(), svg);
    let ico = std::fs::read(out.join("favicon.ico")).unwrap();
    assert_eq!(ico, include_bytes!("../themes/default/static/favicon.ico"));
    assert_eq!(&ico[..4], &[0, 0, 1, 0], "an ICO file");

    let (_tmp, out) = built_with(&["--base-url", "https://gk.test.gov.cn/gk"], &[]);
    let pages = assert_icons_resolve(&out, "/gk");
    assert!(pages > 100, "only {pages} pages");
}

#[test]
fn a_sites_theme_replaces_the_favicon() {
    let own = b"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1 1\"/>";
    let (_tmp, out) = built_with(&[], &[("themes/default/static/favicon.svg", own)]);
    assert_eq!(std::fs::read(out.join("favicon.svg")).unwrap(), own);
    assert_eq!(
        std::fs::read(out.join("favicon.ico")).unwrap(),
        include_bytes!("../themes/default/static/favicon.ico"),
        "the file the site does not replace is still written"
    );
}

#[test]
fn the_404_page_does_not_mark_the_home_page_as_current() {
    let (_tmp, out) = built_with(&[], &[]);
    for (page, current) in [
        ("404.html", false),
        ("zh-hant/404.html", false),
        ("index.html", true),
        ("zh-hant/index.html", true),
    ] {
        let html = read(&out, page);
        let nav = &html[html.find("<nav class=\"nav\"").unwrap()..];
        let nav = &nav[..nav.find("</nav>").unwrap()];
        let home = nav.lines().find(|l| l.starts_with("<li>")).unwrap();
        assert_eq!(home.contains("aria-current"), current, "{page}: {home}");
        if !current {
            assert!(!nav.contains("aria-current"), "{page}: {nav}");
            let own = format!("https://gk.test.gov.cn/{page}");
            assert!(
                html.contains(&format!("<link rel=\"canonical\" href=\"{own}\">")),
                "{page}: the 404 page is not the home page"
            );
        }
    }
}
