//! Drafts and `gongkai new` templates: a new item of every kind is a draft
//! whose empty required fields are warnings, so the site still builds; the
//! same item published unfilled (or previewed with `--drafts`) fails with
//! an error at each required field.

use std::path::Path;

mod common;
use common::*;

/// Columns of the `all-kinds` fixture, one per kind, and the required
/// fields a new item of that kind leaves empty.
const KINDS: &[(&str, &[&str])] = &[
    ("policies", &["date", "issuer"]),
    ("interpretations", &["date", "interprets"]),
    ("services", &["date", "item_type"]),
    ("news", &["date"]),
    ("faq", &["date"]),
];

/// A copy of `all-kinds` with one new item per kind; their paths.
fn site_with_new_items(root: &Path) -> Vec<String> {
    copy_dir(&site("all-kinds"), root);
    KINDS
        .iter()
        .map(|(column, _)| {
            let title = format!("新建{column}");
            let made = gongkai(&["new", column, &title], root);
            assert!(made.status.success(), "{}", stderr(&made));
            format!("content/ceshi/{column}/{title}.md")
        })
        .collect()
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The diagnostic lines of a run about `file`.
fn about<'a>(text: &'a str, file: &str) -> Vec<&'a str> {
    text.lines()
        .filter(|l| l.starts_with(&format!("{file}:")))
        .collect()
}

/// `path:line:1: <level>: field: 必填字段 …不能为空` for each required field of a
/// new item, at the line of its key.
fn expected(root: &Path, file: &str, fields: &[&str], level: &str) -> Vec<String> {
    let text = std::fs::read_to_string(root.join(file)).unwrap();
    fields
        .iter()
        .map(|field| {
            let line = text
                .lines()
                .position(|l| l.starts_with(&format!("{field}:")))
                .unwrap_or_else(|| panic!("{file} has no {field}"))
                + 1;
            format!("{file}:{line}:1: {level}: {field}: 必填字段 {field}（")
        })
        .collect()
}

fn assert_reported(got: &[&str], want: &[String]) {
    assert_eq!(got.len(), want.len(), "{got:#?}");
    for (g, w) in got.iter().zip(want) {
        assert!(g.starts_with(w.as_str()), "{g}\n  does not start with\n{w}");
    }
}

#[test]
fn new_items_of_every_kind_are_drafts_that_build_with_warnings() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    let files = site_with_new_items(&root);
    let out = tmp.path().join("public");
    let built = build(&root, &out, &[]);
    assert!(built.status.success(), "{}", stderr(&built));
    let check = gongkai(&["check", "--root", root.to_str().unwrap()], &root);
    assert!(check.status.success(), "{}", stderr(&check));
    let text = stderr(&check);
    assert!(!text.contains("错误"), "{text}");
    for (file, (column, fields)) in files.iter().zip(KINDS) {
        assert_reported(&about(&text, file), &expected(&root, file, fields, "警告"));
        let page = out.join(format!("ceshi/{column}/新建{column}/index.html"));
        assert!(
            !page.exists(),
            "a draft is not published: {}",
            page.display()
        );
    }
}

#[test]
fn a_new_item_published_unfilled_fails_at_each_required_field() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    let files = site_with_new_items(&root);
    // `--drafts` previews drafts: their empty required fields are errors.
    let preview = build(&root, &tmp.path().join("preview"), &["--drafts"]);
    assert_eq!(preview.status.code(), Some(1));
    let preview = stderr(&preview);
    for file in &files {
        let text = std::fs::read_to_string(root.join(file)).unwrap();
        std::fs::write(root.join(file), text.replace("draft: true", "draft: false")).unwrap();
    }
    let out = tmp.path().join("public");
    let published = build(&root, &out, &[]);
    assert_eq!(published.status.code(), Some(1));
    assert!(!out.exists(), "nothing is written");
    let published = stderr(&published);
    for (file, (_, fields)) in files.iter().zip(KINDS) {
        let want = expected(&root, file, fields, "错误");
        assert_reported(&about(&published, file), &want);
        assert_reported(&about(&preview, file), &want);
    }
}
