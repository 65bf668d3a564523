//! The open-data export of the demo site against its JSON Schemas
//! (`docs/schema/*-1.0.schema.json`, validated with `boon`) and read back
//! through the portal's reader: the writer and both descriptions of the
//! contract agree.

mod common;

use gongkai::portal::check::read_export;
use gongkai::portal::search_text::SearchSource;
use serde_json::{Value, json};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const DEMO_BASE: &str = "https://gk.example.gov.cn";

/// The demo site (the repository's own content) built once, in a copy.
fn demo() -> &'static Path {
    static OUT: OnceLock<PathBuf> = OnceLock::new();
    OUT.get_or_init(|| {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("open-data-demo");
        let _ = std::fs::remove_dir_all(&dir);
        let site = dir.join("site");
        common::copy_dir(&repo.join("content"), &site.join("content"));
        // The demo is an example on an example domain: it registers no
        // codes, so it has no qr.lock and is built without --locked.
        std::fs::copy(repo.join("site.toml"), site.join("site.toml")).unwrap();
        let out = dir.join("public");
        let output = common::build(&site, &out, &[]);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        out
    })
}

/// A compiled schema of `docs/schema/`.
struct Schema {
    schemas: boon::Schemas,
    index: boon::SchemaIndex,
}

impl Schema {
    fn load(name: &str) -> Schema {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("docs/schema")
            .join(name);
        let mut schemas = boon::Schemas::new();
        let mut compiler = boon::Compiler::new();
        let index = compiler
            .compile(path.to_str().unwrap(), &mut schemas)
            .unwrap_or_else(|e| panic!("{name}: {e:#}"));
        Schema { schemas, index }
    }

    fn check(&self, what: &str, value: &Value) {
        if let Err(e) = self.schemas.validate(value, self.index) {
            panic!("{what}: {e}");
        }
    }

    fn rejects(&self, value: &Value) -> bool {
        self.schemas.validate(value, self.index).is_err()
    }
}

fn json_file(rel: &str) -> Value {
    serde_json::from_str(&common::read(demo(), rel)).unwrap()
}

fn search_lines() -> Vec<Value> {
    let bytes = std::fs::read(demo().join("api/search.jsonl.gz")).unwrap();
    let mut text = String::new();
    flate2::read::GzDecoder::new(&bytes[..])
        .read_to_string(&mut text)
        .unwrap();
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn the_demo_export_matches_the_schemas() {
    let site = json_file("api/site.json");
    Schema::load("site-1.0.schema.json").check("api/site.json", &site);
    let items = Schema::load("items-1.0.schema.json");
    items.check("api/items.json", &json_file("api/items.json"));
    items.check(
        "zh-hant/api/items.json",
        &json_file("zh-hant/api/items.json"),
    );
    let districts = site["districts"].as_array().unwrap();
    assert_eq!(districts.len(), 6);
    for district in districts {
        let rel = district["items_file"].as_str().unwrap();
        let file = json_file(rel);
        items.check(rel, &file);
        assert_eq!(file["items"].as_array().unwrap().len(), district["items"]);
    }
    let search = Schema::load("search-1.0.schema.json");
    let lines = search_lines();
    for (n, line) in lines.iter().enumerate() {
        search.check(&format!("api/search.jsonl.gz line {}", n + 1), line);
    }
    assert_eq!(lines[0], json!({"format": "1.0", "items": site["items"]}));
    assert_eq!(lines.len() - 1, site["items"].as_u64().unwrap() as usize);
}

#[test]
fn the_schemas_reject_what_the_contract_does_not_allow() {
    let items = Schema::load("items-1.0.schema.json");
    let good = json_file("api/items.json");
    let broken = |change: &dyn Fn(&mut Value)| {
        let mut copy = good.clone();
        change(&mut copy);
        items.rejects(&copy)
    };
    assert!(!broken(&|_| {}));
    assert!(broken(&|v| drop(
        v.as_object_mut().unwrap().remove("format")
    )));
    assert!(broken(&|v| v["format"] = json!("2.0")));
    assert!(broken(&|v| v["items"][0]["kind"] = json!("report")));
    assert!(broken(&|v| v["items"][0]["date"] = json!("2024年6月1日")));
    assert!(broken(&|v| v["items"][0]["undocumented"] = json!(1)));
    assert!(broken(&|v| drop(
        v["items"][0].as_object_mut().unwrap().remove("url")
    )));
    assert!(broken(&|v| v["items"][0]["url"] = json!("/relative/")));
    let site = Schema::load("site-1.0.schema.json");
    let mut escaping = json_file("api/site.json");
    escaping["files"]["items"] = json!("../elsewhere/items.json");
    assert!(site.rejects(&escaping));
    let search = Schema::load("search-1.0.schema.json");
    assert!(search.rejects(&json!({"id": "a"})));
    assert!(search.rejects(&json!({"format": "1.0"})));
}

#[test]
fn the_demo_export_reads_back_through_the_portal_reader() {
    let out = demo();
    let export = read_export(
        &std::fs::read(out.join("api/site.json")).unwrap(),
        &std::fs::read(out.join("api/items.json")).unwrap(),
        SearchSource::File(out.join("api/search.jsonl.gz")),
        DEMO_BASE,
    )
    .unwrap();
    assert_eq!(export.site.name, "湖南政务公开示范站");
    assert_eq!(
        export.site.identity.site_id_code.as_deref(),
        Some("4300000001")
    );
    assert_eq!(export.site.generated.to_string(), "2024-06-01");
    let per_district: usize = export.site.districts.iter().map(|d| d.items).sum();
    assert_eq!(per_district, export.items.len());
    let texts: Vec<_> = export.search.open().unwrap().map(Result::unwrap).collect();
    assert_eq!(texts.len(), export.items.len());
    let jiaodi = texts
        .iter()
        .find(|t| t.id == "changshaxian/interpretations/jiaodi-jijiaozheng-yitu")
        .unwrap();
    assert!(
        jiaodi.text.contains("不动产权证书"),
        "body text, not only the title"
    );
    assert!(!jiaodi.text.contains('<'), "plain text");
    assert!(
        !out.join("zh-hant/api/site.json").exists(),
        "the portal reads the main copy"
    );
    assert!(!out.join("zh-hant/api/search.jsonl.gz").exists());
}

#[test]
fn the_portal_files_are_in_the_main_copy_only() {
    let out = demo();
    assert!(out.join("api/site.json").exists());
    assert!(out.join("zh-hant/api/items.json").exists());
    assert!(!out.join("zh-hant/api/site.json").exists());
    assert!(!out.join("zh-hant/api/search.jsonl.gz").exists());
    let site = json_file("api/site.json");
    assert_eq!(
        site["base_url"], "https://gk.example.gov.cn",
        "the main copy's"
    );
    assert_eq!(site["language"], "zh-CN");
}
