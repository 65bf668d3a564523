//! Unit tests of the export reader, its checks and the search text reader,
//! on small exports made here (the real writer's output is read back in
//! `tests/open_data.rs` and `tests/portal_fetch.rs`).

use super::check::{is_inside, normalize_base, read_export, safe_relative_path};
use super::contract;
use super::export::{Term, parse_items, parse_site};
use super::format::{ExportError, Version};
use super::search_text::SearchSource;
use crate::content::words::{ItemType, Kind, Level};
use serde_json::{Value, json};
use std::io::Write;
use std::sync::Arc;

const BASE: &str = "https://gk.test.gov.cn";

fn site_json(items: usize) -> Value {
    json!({
        "format": "1.0",
        "name": "测试区政务公开",
        "base_url": BASE,
        "language": "zh-CN",
        "generated": "2024-06-01",
        "identity": {"site_id_code": "4300009999"},
        "items": items,
        "districts": [{"id": "ceshi", "name": "测试区", "code": "430999", "org_code": null,
                       "items": items, "items_file": "ceshi/api/items.json"}],
        "files": {"items": "api/items.json", "search": "api/search.jsonl.gz"}
    })
}

fn item(id: &str) -> Value {
    json!({
        "id": id, "kind": "service", "title": "食品经营许可证核发",
        "url": format!("{BASE}/{id}/"), "district": "ceshi", "district_name": "测试区",
        "column": "services", "column_name": "办事指南", "date": "2024-03-01",
        "updated": null, "index_no": "430999/2024-00001", "short_code": "ABCDEFGH",
        "short_url": format!("{BASE}/q/ABCDEFGH/"), "topic": null, "keywords": ["食品"],
        "summary": null, "withdrawn": false,
        "service": {"item_type": "license", "item_code": null, "levels": ["county", "village"],
                    "department": "市场监管局", "legal_days": 20, "promised_days": 5,
                    "fee": null, "print_url": format!("{BASE}/{id}/print/")}
    })
}

fn items_json(items: Vec<Value>) -> Value {
    json!({"format": "1.0", "items": items})
}

fn bytes(value: &Value) -> Vec<u8> {
    serde_json::to_vec(value).unwrap()
}

fn gzip(text: &str) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(text.as_bytes()).unwrap();
    gz.finish().unwrap()
}

fn search(lines: &[(&str, &str)]) -> String {
    let mut text = format!("{{\"format\":\"1.0\",\"items\":{}}}\n", lines.len());
    for (id, body) in lines {
        text.push_str(&serde_json::to_string(&json!({"id": id, "text": body})).unwrap());
        text.push('\n');
    }
    text
}

fn source(bytes: Vec<u8>) -> SearchSource {
    SearchSource::Bytes(Arc::from(bytes))
}

/// The failed checks of reading `site` and `items` with no search text.
fn problems(site: Value, items: Value) -> String {
    let read = read_export(
        &bytes(&site),
        &bytes(&items),
        source(gzip(&search(&[]))),
        BASE,
    );
    invalid(read.unwrap_err())
}

fn invalid(error: ExportError) -> String {
    match error {
        ExportError::Invalid { problems, .. } => problems.join("\n"),
        other => panic!("expected failed checks, got {other}"),
    }
}

#[test]
fn versions_parse_strictly() {
    assert_eq!(Version::parse("1.0"), Some(Version { major: 1, minor: 0 }));
    assert_eq!(
        Version::parse("1.12"),
        Some(Version {
            major: 1,
            minor: 12
        })
    );
    for bad in ["1", "1.", ".1", "1.0.0", "v1.0", "1.x", "", "-1.0", "+1.0"] {
        assert_eq!(Version::parse(bad), None, "{bad}");
    }
    assert_eq!(contract::FORMAT, "1.0");
}

#[test]
fn a_good_export_is_read_into_typed_items() {
    let export = read_export(
        &bytes(&site_json(2)),
        &bytes(&items_json(vec![
            item("ceshi/services/a"),
            item("ceshi/services/b"),
        ])),
        source(gzip(&search(&[("ceshi/services/a", "办理食品经营许可")]))),
        "https://GK.test.gov.cn/",
    )
    .unwrap();
    assert_eq!(export.site.name, "测试区政务公开");
    assert_eq!(
        export.site.identity.site_id_code.as_deref(),
        Some("4300009999")
    );
    assert_eq!(export.site.districts[0].org_code, None);
    let service = export.items[0].service.as_ref().unwrap();
    assert_eq!(export.items[0].kind, Term::Known(Kind::Service));
    assert_eq!(service.item_type.known(), Some(ItemType::License));
    assert_eq!(
        service.levels,
        [Term::Known(Level::County), Term::Known(Level::Village)]
    );
    assert_eq!(export.items[0].date.to_string(), "2024-03-01");
    let texts: Vec<_> = export.search.open().unwrap().map(Result::unwrap).collect();
    assert_eq!(texts[0].text, "办理食品经营许可");
}

#[test]
fn unknown_fields_and_values_of_a_later_minor_version_are_accepted() {
    let mut site = site_json(1);
    site["format"] = json!("1.7");
    site["contact"] = json!({"phone": "0730-1234567"});
    let mut newer = item("ceshi/services/a");
    newer["kind"] = json!("report");
    newer["service"]["levels"] = json!(["province"]);
    newer["audience"] = json!("企业");
    let mut items = items_json(vec![newer]);
    items["format"] = json!("1.3");
    items["pages"] = json!(1);
    let export = read_export(
        &bytes(&site),
        &bytes(&items),
        source(gzip(&search(&[]))),
        BASE,
    )
    .unwrap();
    assert_eq!(export.site.format, Version { major: 1, minor: 7 });
    assert_eq!(export.items[0].kind, Term::Unknown("report".into()));
    let levels = &export.items[0].service.as_ref().unwrap().levels;
    assert_eq!(levels, &[Term::Unknown("province".into())]);
}

#[test]
fn another_major_version_is_refused_with_who_must_upgrade() {
    let mut site = site_json(0);
    site["format"] = json!("2.0");
    site["base_url"] = json!(42); // a 2.0 shape: refused for its version first
    let message = parse_site(&bytes(&site)).unwrap_err().to_string();
    assert!(
        message.contains("2.0") && message.contains("1.x"),
        "{message}"
    );
    assert!(message.contains("升级门户"), "{message}");
    let mut items = items_json(vec![]);
    items["format"] = json!("0.9");
    let message = parse_items("api/items.json", &bytes(&items))
        .unwrap_err()
        .to_string();
    assert!(message.contains("请该网站升级"), "{message}");
}

#[test]
fn an_export_without_a_version_is_refused() {
    let old = json!([item("ceshi/services/a")]);
    let error = parse_items("api/items.json", &bytes(&old)).unwrap_err();
    assert!(matches!(error, ExportError::Unversioned { .. }), "{error}");
    assert!(error.to_string().contains("没有格式版本"));
    let mut site = site_json(0);
    site.as_object_mut().unwrap().remove("format");
    assert!(matches!(
        parse_site(&bytes(&site)),
        Err(ExportError::Unversioned { .. })
    ));
    let error = parse_items("api/items.json", b"{\"format\": \"1.0\", \"items\": [").unwrap_err();
    assert!(matches!(error, ExportError::Malformed { .. }), "{error}");
    let error = parse_items("api/items.json", b"[1, 2").unwrap_err();
    assert!(matches!(error, ExportError::Malformed { .. }), "{error}");
}

#[test]
fn a_missing_required_field_or_a_bad_date_is_malformed() {
    let mut no_url = item("ceshi/services/a");
    no_url.as_object_mut().unwrap().remove("url");
    let error = parse_items("api/items.json", &bytes(&items_json(vec![no_url]))).unwrap_err();
    assert!(error.to_string().contains("url"), "{error}");
    let mut bad_date = item("ceshi/services/a");
    bad_date["date"] = json!("2024-02-30");
    let error = parse_items("api/items.json", &bytes(&items_json(vec![bad_date]))).unwrap_err();
    assert!(error.to_string().contains("2024-02-30"), "{error}");
}

#[test]
fn the_export_must_have_the_configured_base_url() {
    let error = read_export(
        &bytes(&site_json(0)),
        &bytes(&items_json(vec![])),
        source(gzip(&search(&[]))),
        "https://other.test.gov.cn",
    )
    .unwrap_err();
    let message = invalid(error);
    assert!(message.contains("https://other.test.gov.cn") && message.contains(BASE));
}

#[test]
fn every_link_of_every_item_must_stay_inside_the_base_url() {
    let mut outside = item("ceshi/services/a");
    outside["url"] = json!("https://gk.test.gov.cn.evil.example/x/");
    let mut climbing = item("ceshi/services/b");
    climbing["short_url"] = json!(format!("{BASE}/q/%2E%2E/%2e./elsewhere/"));
    let mut printing = item("ceshi/services/c");
    printing["service"]["print_url"] = json!("https://elsewhere.example/print/");
    let message = problems(site_json(3), items_json(vec![outside, climbing, printing]));
    for expected in [
        "条目 ceshi/services/a 的 url",
        "条目 ceshi/services/b 的 short_url",
        "条目 ceshi/services/c 的 print_url",
    ] {
        assert!(message.contains(expected), "{message}");
    }
}

#[test]
fn ids_must_be_unique_and_the_counts_agree() {
    let items = items_json(vec![item("ceshi/services/a"), item("ceshi/services/a")]);
    let message = problems(site_json(3), items);
    assert!(
        message.contains("条目 id “ceshi/services/a” 重复"),
        "{message}"
    );
    assert!(
        message.contains("site.json 说有 3 条，items.json 有 2 条"),
        "{message}"
    );
}

#[test]
fn the_files_site_json_names_must_stay_inside_the_site() {
    let mut site = site_json(0);
    site["files"]["items"] = json!("../../etc/passwd");
    site["files"]["search"] = json!("https://elsewhere.example/search.jsonl.gz");
    let message = problems(site, items_json(vec![]));
    assert!(
        message.contains("files.items") && message.contains("files.search"),
        "{message}"
    );
    assert_eq!(safe_relative_path("api/items.json"), Some("api/items.json"));
    for bad in [
        "",
        "/api/items.json",
        "api//items.json",
        "api/./x",
        "a\\b",
        "c:x",
        "%2e%2e/x",
    ] {
        assert_eq!(safe_relative_path(bad), None, "{bad}");
    }
}

#[test]
fn links_inside_a_base_url_with_a_path() {
    let base = "https://gk.test.gov.cn/ceshi";
    assert!(is_inside("https://gk.test.gov.cn/ceshi/policies/a/", base));
    assert!(
        !is_inside("https://gk.test.gov.cn/ceshi", base),
        "the root itself is no item"
    );
    assert!(!is_inside("https://gk.test.gov.cn/ceshi2/a/", base));
    assert!(!is_inside("https://gk.test.gov.cn/ceshi/../other/", base));
    assert!(!is_inside(
        "https://gk.test.gov.cn/ceshi/a\\..\\..\\b",
        base
    ));
    assert!(!is_inside("https://gk.test.gov.cn/ceshi/a b/", base));
    assert_eq!(
        normalize_base("HTTPS://GK.Test.gov.cn/Ceshi/"),
        "https://gk.test.gov.cn/Ceshi"
    );
}

#[test]
fn search_text_is_read_gzipped_or_plain() {
    let text = search(&[
        ("ceshi/services/a", "第一行"),
        ("ceshi/services/b", "第二行"),
    ]);
    for stored in [gzip(&text), text.clone().into_bytes()] {
        let reader = source(stored).open().unwrap();
        assert_eq!(reader.announced(), 2);
        let ids: Vec<String> = reader.map(|t| t.unwrap().id).collect();
        assert_eq!(ids, ["ceshi/services/a", "ceshi/services/b"]);
    }
    // Two gzip members one after the other are one stream.
    let (first, second) = text.split_at(text.find('\n').unwrap() + 1);
    let mut joined = gzip(first);
    joined.extend(gzip(second));
    assert_eq!(source(joined).open().unwrap().count(), 2);
}

#[test]
fn cut_off_or_inconsistent_search_text_is_refused() {
    let text = search(&[("ceshi/services/a", "正文"), ("ceshi/services/b", "正文")]);
    let whole = gzip(&text);
    let cut = whole[..whole.len() - 12].to_vec();
    let results: Vec<_> = source(cut).open().unwrap().collect();
    assert!(
        results.last().unwrap().is_err(),
        "a cut gzip stream is an error"
    );
    let short = text.replace("\"items\":2", "\"items\":3");
    let last = source(short.into_bytes()).open().unwrap().last().unwrap();
    assert!(
        last.unwrap_err()
            .to_string()
            .contains("文件头说有 3 条，实际读到 2 条")
    );
    let newer = text.replace("\"format\":\"1.0\"", "\"format\":\"2.1\"");
    let error = source(newer.into_bytes()).open().unwrap_err();
    assert!(matches!(error, ExportError::OtherMajor { .. }), "{error}");
    assert!(
        source(Vec::new()).open().is_err(),
        "an empty file has no header"
    );
    let items = items_json(vec![item("ceshi/services/a")]);
    let error = read_export(
        &bytes(&site_json(1)),
        &bytes(&items),
        source(gzip(&text)),
        BASE,
    )
    .unwrap_err();
    assert!(error.to_string().contains("ceshi/services/b"), "{error}");
}
