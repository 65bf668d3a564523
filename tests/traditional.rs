//! The Traditional Chinese copy under /zh-hant/ (traditional = true): every
//! page converted as OpenCC `s2tw` does (with the site's own phrases), links
//! kept inside the copy, each page pointing at its counterpart, QR codes
//! shared with the main copy.

mod common;
use common::*;
use std::path::Path;

fn built_traditional() -> (tempfile::TempDir, std::path::PathBuf) {
    built_traditional_with(&[])
}

/// all-kinds with `traditional = true`, built with `args`.
fn built_traditional_with(args: &[&str]) -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    copy_dir(&site("all-kinds"), &root);
    let out = tmp.path().join("public");
    build_traditional(&root, &out, args, "");
    (tmp, out)
}

/// Builds the all-kinds copy at `root` with `traditional = true` and
/// `phrases` (TOML lines) as its `[traditional_phrases]`.
fn build_traditional(root: &Path, out: &Path, args: &[&str], phrases: &str) {
    let config = std::fs::read_to_string(site("all-kinds").join("site.toml")).unwrap();
    std::fs::write(
        root.join("site.toml"),
        format!("traditional = true\n{config}\n[traditional_phrases]\n{phrases}"),
    )
    .unwrap();
    let output = build(root, out, args);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn every_page_has_a_converted_counterpart() {
    let (_tmp, out) = built_traditional();
    let main_pages: Vec<String> = tree(&out)
        .into_keys()
        .filter(|p| {
            p.ends_with(".html")
                && !p.starts_with("zh-hant/")
                && !p.starts_with("q/")
                && !p.starts_with("Q/")
        })
        .collect();
    assert!(main_pages.len() > 40);
    for page in &main_pages {
        assert!(
            out.join("zh-hant").join(page).exists(),
            "no Traditional copy of {page}"
        );
    }
    let page = read(&out, "zh-hant/ceshi/services/shipin/index.html");
    assert!(page.contains("<html lang=\"zh-Hant\">"));
    assert!(
        page.contains("食品經營許可證核發")
            && page.contains("測試區市場監督管理局")
            && page.contains("辦理層級")
    );
    assert!(!page.contains("食品经营许可证核发"));
}

#[test]
fn links_stay_in_the_copy_and_pages_point_at_each_other() {
    let (_tmp, out) = built_traditional();
    let hant = read(&out, "zh-hant/ceshi/policies/jiaodi/index.html");
    let main = read(&out, "ceshi/policies/jiaodi/index.html");
    assert!(
        hant.contains("href=\"/zh-hant/ceshi/interpretations/jiedu/\""),
        "related link inside the copy"
    );
    assert!(hant.contains("<link rel=\"stylesheet\" href=\"/zh-hant/style.css\">"));
    for page in [&hant, &main] {
        assert!(page.contains("<link rel=\"alternate\" hreflang=\"zh-Hans\" href=\"https://gk.test.gov.cn/ceshi/policies/jiaodi/\">"));
        assert!(page.contains("<link rel=\"alternate\" hreflang=\"zh-Hant\" href=\"https://gk.test.gov.cn/zh-hant/ceshi/policies/jiaodi/\">"));
    }
    assert!(main.contains(
        "<a class=\"lang-switch\" href=\"/zh-hant/ceshi/policies/jiaodi/\" hreflang=\"zh-Hant\""
    ));
    assert!(hant.contains(
        "<a class=\"lang-switch\" href=\"/ceshi/policies/jiaodi/\" hreflang=\"zh-Hans\""
    ));
    assert!(out.join("zh-hant/style.css").exists());
}

#[test]
fn qr_codes_and_attachments_are_shared_with_the_main_copy() {
    let (_tmp, out) = built_traditional();
    let hant = read(&out, "zh-hant/ceshi/policies/jiaodi/index.html");
    assert!(hant.contains("href=\"/ceshi/policies/jiaodi/qr.png\""));
    assert!(hant.contains("href=\"/ceshi/policies/jiaodi/liucheng.txt\""));
    assert!(!out.join("zh-hant/ceshi/policies/jiaodi/qr.png").exists());
    assert!(
        !out.join("zh-hant/q").exists(),
        "short links lead to the main copy"
    );
    assert!(hant.contains("https://gk.test.gov.cn/q/"));
}

#[test]
fn feeds_and_open_data_are_converted_too() {
    let (_tmp, out) = built_traditional();
    let feed = read(&out, "zh-hant/atom.xml");
    assert!(feed.contains("測試區") && feed.contains("https://gk.test.gov.cn/zh-hant/ceshi/"));
    atom_syndication::Feed::read_from(feed.as_bytes()).unwrap();
    let json: serde_json::Value =
        serde_json::from_str(&read(&out, "zh-hant/api/items.json")).unwrap();
    assert!(
        json["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["title"] == "食品經營許可證核發")
    );
    assert!(!out.join("zh-hant/sitemap.xml").exists());
    let sitemap = read(&out, "sitemap.xml");
    assert!(sitemap.contains("<loc>https://gk.test.gov.cn/zh-hant/ceshi/policies/jiaodi/</loc>"));
    assert!(sitemap.contains("<loc>https://gk.test.gov.cn/ceshi/policies/jiaodi/</loc>"));
}

#[test]
fn without_traditional_there_is_no_copy_and_no_switch() {
    let (_tmp, out) = built("all-kinds");
    assert!(!out.join("zh-hant").exists());
    assert!(!read(&out, "index.html").contains("lang-switch"));
}

#[test]
fn the_search_index_is_the_main_copys_index_converted() {
    let (_tmp, out) = built_traditional();
    let files = tree(&out);
    let index: Vec<&String> = files
        .keys()
        .filter(|p| p.starts_with("search/") && p.ends_with(".json"))
        .collect();
    assert!(index.iter().any(|p| p.starts_with("search/docs/")));
    assert!(index.iter().any(|p| p.starts_with("search/terms/")));
    for rel in index {
        let main = read(&out, rel);
        let hant = read(&out, &format!("zh-hant/{rel}"));
        assert_eq!(hant, gongkai::hant::to_traditional(&main), "{rel}");
        if rel.starts_with("search/docs/") {
            // Item URLs are relative to the copy's base, so one index
            // serves both copies.
            let docs: Vec<Vec<serde_json::Value>> = serde_json::from_str(&main).unwrap();
            for doc in docs {
                let url = doc[1].as_str().unwrap();
                assert!(url.starts_with("ceshi/") && url.ends_with('/'), "{url}");
                let url = percent_encoding::percent_decode_str(url)
                    .decode_utf8()
                    .unwrap();
                let url = url.as_ref();
                assert!(out.join(url).join("index.html").exists(), "{url}");
                assert!(out.join("zh-hant").join(url).join("index.html").exists());
            }
        }
    }
    let meta = read(&out, "zh-hant/search/meta.json");
    assert!(
        meta.contains("測試區") && !meta.contains("测试区"),
        "{meta}"
    );
}

#[test]
fn under_a_sub_path_both_copies_stay_under_it() {
    let (_tmp, out) = built_traditional_with(&["--base-url", "https://x.example.cn/gk"]);
    let main = read(&out, "ceshi/policies/jiaodi/index.html");
    let hant = read(&out, "zh-hant/ceshi/policies/jiaodi/index.html");
    assert!(main.contains("<html lang=\"zh-CN\">") && hant.contains("<html lang=\"zh-Hant\">"));
    assert!(
        main.contains("href=\"/gk/style.css\"") && hant.contains("href=\"/gk/zh-hant/style.css\"")
    );
    assert!(main.contains("href=\"/gk/ceshi/interpretations/jiedu/\""));
    assert!(hant.contains("href=\"/gk/zh-hant/ceshi/interpretations/jiedu/\""));
    assert!(main.contains("class=\"lang-switch\" href=\"/gk/zh-hant/ceshi/policies/jiaodi/\" hreflang=\"zh-Hant\" lang=\"zh-Hant\">繁體</a>"));
    assert!(hant.contains("class=\"lang-switch\" href=\"/gk/ceshi/policies/jiaodi/\" hreflang=\"zh-Hans\" lang=\"zh-Hans\">简体</a>"));
    for page in [&main, &hant] {
        assert!(
            page.contains("href=\"/gk/ceshi/policies/jiaodi/qr.png\""),
            "QR images of the main copy"
        );
        assert!(page.contains(
            "hreflang=\"zh-Hant\" href=\"https://x.example.cn/gk/zh-hant/ceshi/policies/jiaodi/\""
        ));
    }
    assert!(hant.contains(
        "<link rel=\"canonical\" href=\"https://x.example.cn/gk/zh-hant/ceshi/policies/jiaodi/\">"
    ));
    let feed = read(&out, "zh-hant/atom.xml");
    assert!(feed.contains("https://x.example.cn/gk/zh-hant/ceshi/"));
    let sitemap = read(&out, "sitemap.xml");
    assert!(sitemap.contains("<loc>https://x.example.cn/gk/zh-hant/ceshi/policies/jiaodi/</loc>"));
    // No placeholder is left anywhere.
    for (rel, bytes) in tree(&out) {
        let placeholder = bytes
            .windows(3)
            .any(|w| w[0] == 0xEF && w[1] == 0xB7 && (0x90..=0x94).contains(&w[2]));
        assert!(!placeholder, "{rel}");
    }
}

#[test]
fn phrases_pick_the_right_character() {
    let (_tmp, out) = built_traditional();
    // 原件/复印件 heads the materials table of every 一次性告知单.
    let print = read(&out, "zh-hant/ceshi/services/shipin/print/index.html");
    assert!(print.contains("原件/複印件") && !print.contains("復印件"));
    let page = read(&out, "zh-hant/ceshi/services/shipin/index.html");
    assert!(page.contains("原件及複印件") && !page.contains("復印件"));
}

#[test]
fn site_phrases_change_the_copy_and_a_change_rebuilds_it() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    copy_dir(&site("all-kinds"), &root);
    let out = tmp.path().join("public");
    let page = "zh-hant/ceshi/services/shipin/index.html";
    build_traditional(&root, &out, &[], "\"测试区\" = \"測試特區\"\n");
    let first = read(&out, page);
    assert!(first.contains("測試特區") && !first.contains("測試區"));
    assert!(read(&out, "ceshi/services/shipin/index.html").contains("测试区"));
    // The next build into the same output is incremental: a changed phrase
    // is a change of site.toml, so every page is rendered again.
    build_traditional(&root, &out, &[], "\"测试区\" = \"測試新區\"\n");
    let second = read(&out, page);
    assert!(second.contains("測試新區") && !second.contains("測試特區"));
    // And without phrases the copy is OpenCC's again.
    build_traditional(&root, &out, &[], "");
    assert!(read(&out, page).contains("測試區"));
}
