//! Tests of the index files as a whole.

use super::postings::{IDS, TITLE, decode};
use super::*;
use serde_json::Value;

fn same(c: char) -> char {
    c
}

/// A small Traditional→Simplified fold, written as a plain fn like the one
/// the renderer passes.
fn simplify(c: char) -> char {
    match c {
        '務' => '务',
        '動' => '动',
        '產' => '产',
        '記' => '记',
        '辦' => '办',
        _ => c,
    }
}

fn doc(id: &str, title: &str, date: &str, text: &str) -> SearchDoc {
    let district = id.split('/').next().unwrap_or_default();
    SearchDoc {
        id: id.to_string(),
        title: title.to_string(),
        url: format!("{id}/"),
        district: district.to_string(),
        district_name: format!("{district}区"),
        column_name: "政策文件".to_string(),
        kind: "policy".to_string(),
        kind_label: "政策文件".to_string(),
        date: date.to_string(),
        text: text.to_string(),
        ..SearchDoc::default()
    }
}

fn sample() -> Vec<SearchDoc> {
    vec![
        doc(
            "a/p/1",
            "关于不动产登记的通知",
            "2023-01-02",
            "办理不动产登记需要材料。",
        ),
        doc(
            "b/p/2",
            "政务服务指南",
            "2024-05-06",
            "政务服务 不动产 其他内容",
        ),
        doc("a/p/3", "旧文件", "2020-01-01", "无关内容"),
    ]
}

fn file<'a>(files: &'a [(String, Vec<u8>)], path: &str) -> &'a [u8] {
    &files.iter().find(|(p, _)| p == path).expect(path).1
}

fn json(files: &[(String, Vec<u8>)], path: &str) -> Value {
    serde_json::from_slice(file(files, path)).expect("valid JSON")
}

/// Postings of `term` as (doc, weight).
fn postings_of(files: &[(String, Vec<u8>)], term: &str) -> Vec<(u32, u8)> {
    let meta = json(files, "search/meta.json");
    let shards = meta["termShards"].as_u64().expect("termShards") as u32;
    let shard = json(
        files,
        &format!("search/terms/{}.json", tokenize::hash32(term) % shards),
    );
    shard[term_key(term)]
        .as_str()
        .map(decode)
        .unwrap_or_default()
}

/// The term a shard key stands for.
fn text_of_key(key: &str) -> String {
    match key.strip_prefix('~') {
        Some(hex) => hex
            .split('.')
            .filter_map(|h| u32::from_str_radix(h, 16).ok())
            .filter_map(char::from_u32)
            .collect(),
        None => key.to_string(),
    }
}

#[test]
fn shard_keys_are_ascii() {
    assert_eq!(term_key("不动"), "~4e0d.52a8");
    assert_eq!(term_key("𠀀"), "~20000");
    assert_eq!(term_key("2023"), "2023");
    let files = build_index(&sample(), simplify);
    for (path, bytes) in &files {
        if !path.starts_with("search/docs/") && path != "search/meta.json" {
            assert!(bytes.is_ascii(), "{path} is not ASCII");
        }
    }
}

#[test]
fn output_is_deterministic_whatever_the_input_order() {
    let docs = sample();
    let mut reversed = docs.clone();
    reversed.reverse();
    let a = build_index(&docs, same);
    assert_eq!(a, build_index(&docs, same));
    assert_eq!(a, build_index(&reversed, same));
    assert!(a.windows(2).all(|w| w[0].0 < w[1].0), "sorted by path");
    assert!(a.iter().all(|(p, _)| p.starts_with("search/")));
}

#[test]
fn documents_are_numbered_newest_first() {
    let files = build_index(&sample(), same);
    let meta = json(&files, "search/meta.json");
    assert_eq!(meta["docs"], 3);
    let per = meta["docsPerShard"].as_u64().expect("docsPerShard") as usize;
    let mut titles = Vec::new();
    for n in 0..3usize.div_ceil(per) {
        for record in json(&files, &format!("search/docs/{n}.json"))
            .as_array()
            .expect("array")
        {
            titles.push(record[0].as_str().expect("title").to_string());
        }
    }
    assert_eq!(titles, ["政务服务指南", "关于不动产登记的通知", "旧文件"]);
}

#[test]
fn title_and_ids_weigh_more_than_body() {
    let mut docs = sample();
    docs[2].doc_number = "岳政办发〔2023〕12号".to_string();
    docs[2].index_no = "430600/2023-00012".to_string();
    let files = build_index(&docs, same);
    // Doc 0 is b/p/2 (newest), 1 is a/p/1, 2 is a/p/3.
    assert_eq!(postings_of(&files, "不动"), [(0, 1), (1, TITLE | 1)]);
    assert_eq!(postings_of(&files, "政务"), [(0, TITLE | 1)]);
    assert_eq!(postings_of(&files, "岳政"), [(2, IDS)]);
    assert_eq!(postings_of(&files, "00012"), [(2, IDS)]);
    assert_eq!(postings_of(&files, "不"), [(0, 1), (1, TITLE | 1)]);
}

#[test]
fn every_term_is_in_the_shard_its_hash_names() {
    let files = build_index(&sample(), same);
    let meta = json(&files, "search/meta.json");
    let shards = meta["termShards"].as_u64().expect("termShards") as u32;
    assert!(shards >= 1);
    let mut seen = 0;
    for n in 0..shards {
        let shard = json(&files, &format!("search/terms/{n}.json"));
        for key in shard.as_object().expect("object").keys() {
            let term = text_of_key(key);
            assert_eq!(term_key(&term), *key);
            assert_eq!(tokenize::hash32(&term) % shards, n, "{term}");
            seen += 1;
        }
    }
    assert!(seen > 20);
    assert!(
        !files
            .iter()
            .any(|(p, _)| p == &format!("search/terms/{shards}.json"))
    );
}

#[test]
fn shard_counts_grow_with_the_corpus() {
    let small = build_index(&sample(), same);
    assert_eq!(json(&small, "search/meta.json")["termShards"], 1);
    let text: String = (0..4000u32)
        .filter_map(|i| char::from_u32(0x4E00 + (i * 7) % 20000))
        .collect();
    let docs: Vec<SearchDoc> = (0..200)
        .map(|i| {
            let start = (i * 13) % 3000;
            let body: String = text.chars().skip(start).take(600).collect();
            doc(&format!("d/c/{i}"), "标题", "2024-01-01", &body)
        })
        .collect();
    let files = build_index(&docs, same);
    let meta = json(&files, "search/meta.json");
    let shards = meta["termShards"].as_u64().expect("termShards");
    assert!(shards > 1 && shards.is_power_of_two(), "{shards}");
    let biggest = files
        .iter()
        .filter(|(p, _)| p.starts_with("search/terms/"))
        .map(|(_, b)| b.len())
        .max()
        .unwrap_or(0);
    assert!(biggest < 4 * 16 * 1024, "a term shard of {biggest} bytes");
    let per = meta["docsPerShard"].as_u64().expect("docsPerShard");
    assert!(per >= 1 && (per as usize) < docs.len());
}

#[test]
fn facets_give_district_and_kind() {
    let mut docs = sample();
    docs[1].kind = "service".to_string();
    docs[1].kind_label = "办事指南".to_string();
    let files = build_index(&docs, same);
    let meta = json(&files, "search/meta.json");
    assert_eq!(
        meta["districts"],
        serde_json::json!([["a", "a区"], ["b", "b区"]])
    );
    assert_eq!(
        meta["kinds"],
        serde_json::json!([["policy", "政策文件"], ["service", "办事指南"]])
    );
    let facets = json(&files, "search/facets.json");
    assert_eq!(facets["width"], 1);
    // Newest first: b/service = 1*2+1, a/policy = 0, a/policy = 0.
    assert_eq!(facets["codes"], "DAA");
}

#[test]
fn fold_pages_list_the_changed_characters() {
    let files = build_index(&sample(), simplify);
    let meta = json(&files, "search/meta.json");
    // 務 U+52D9 → 务 U+52A1; 產 U+7522 → 产 U+4EA7 is on two pages.
    let pages: Vec<&str> = meta["fold"]
        .as_array()
        .expect("fold")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(pages.contains(&"52") && pages.contains(&"75") && pages.contains(&"4e"));
    let page = json(&files, "search/fold/75.json");
    assert_eq!(page, serde_json::json!([[0x7522, 0x4EA7]]));
    let page = json(&files, "search/fold/4e.json");
    assert_eq!(page, serde_json::json!([[0x7522, 0x4EA7]]));
    let identity = build_index(&sample(), same);
    assert_eq!(
        json(&identity, "search/meta.json")["fold"],
        serde_json::json!([])
    );
    assert!(!identity.iter().any(|(p, _)| p.starts_with("search/fold/")));
}

#[test]
fn the_fold_applies_to_indexed_text() {
    let docs = vec![doc("a/p/1", "政務公開", "2023-01-01", "不動產登記")];
    let files = build_index(&docs, simplify);
    assert_eq!(postings_of(&files, "政务"), [(0, TITLE)]);
    assert_eq!(postings_of(&files, "动产"), [(0, 1)]);
    assert!(postings_of(&files, "動產").is_empty());
}

#[test]
fn snippets_are_cut_by_characters() {
    let long = "政".repeat(SNIPPET_CHARS + 50);
    let files = build_index(&[doc("a/p/1", "标题", "2023-01-01", &long)], same);
    let record = &json(&files, "search/docs/0.json")[0];
    assert_eq!(
        record[8].as_str().expect("text").chars().count(),
        SNIPPET_CHARS
    );
}

#[test]
fn an_empty_site_has_a_valid_index() {
    let files = build_index(&[], same);
    let meta = json(&files, "search/meta.json");
    assert_eq!(meta["docs"], 0);
    assert_eq!(json(&files, "search/terms/0.json"), serde_json::json!({}));
    assert_eq!(json(&files, "search/facets.json")["codes"], "");
}

#[test]
fn html_in_documents_stays_data() {
    let files = build_index(
        &[doc(
            "a/p/1",
            "<script>alert(1)</script>",
            "2023-01-01",
            "\"</script>",
        )],
        same,
    );
    let record = &json(&files, "search/docs/0.json")[0];
    assert_eq!(record[0], "<script>alert(1)</script>");
    assert_eq!(postings_of(&files, "script"), [(0, TITLE | 1)]);
}

#[test]
fn the_template_renders() {
    let dir = tempfile::tempdir().expect("temp dir");
    let theme = crate::render::theme::Theme::load(dir.path(), "default").expect("theme");
    let context = tera::Context::from_serialize(&serde_json::json!({
        "site": {"title": "测试站", "base_url": "https://x.example", "base_path": "/sub",
                 "domain": "x.example", "language": "zh-CN", "site_id_code": ""},
        "generator": "gongkai",
        "page": {"title": "站内搜索", "url": "/sub/search/", "permalink": "https://x.example/sub/search/",
                 "description": "", "keywords": "", "column_name": "", "column_type": "",
                 "pub_date": "", "source": ""},
        "breadcrumbs": [{"name": "首页", "url": "/sub/"}, {"name": "站内搜索", "url": "/sub/search/"}],
        "nav_districts": [],
        "search_url": "/sub/search/",
        "districts": [{"id": "yueyang", "name": "岳阳市"}],
        "kinds": [{"kind": "policy", "label": "政策文件"}],
    }))
    .expect("context");
    let html = theme.render("search.html", &context).expect("renders");
    assert!(html.contains(r#"data-base="/sub""#), "{html}");
    assert!(html.contains(r#"name="q""#));
    assert!(html.contains(r#"<option value="yueyang">岳阳市</option>"#));
    assert!(html.contains(r#"<option value="policy">政策文件</option>"#));
    assert!(html.contains("aria-live"));
    assert!(html.contains("<noscript>") && html.contains("/sub/catalog/"));
    assert!(html.contains(r#"<script src="/sub/search.js" defer></script>"#));
    assert!(!html.contains("<style"), "no inline style");
}
