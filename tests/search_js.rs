//! The browser side of search, run under node: `search.js` must tokenise
//! and hash exactly like the Rust indexer, and its query engine, run
//! against an index that Rust built, must find what a citizen expects.
//! Skipped (with a message) only when node is not installed.

use gongkai::search::{SearchDoc, build_index, term_key, tokenize, tokenize::hash32};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn search_js() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/static/search.js")
}

fn node() -> Option<PathBuf> {
    let found = ["/usr/bin/node", "/usr/local/bin/node"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
        .or_else(|| {
            let ok = Command::new("node")
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success());
            ok.then(|| PathBuf::from("node"))
        });
    if found.is_none() {
        eprintln!("SKIPPED: node is not installed; the search.js tests need it");
    }
    found
}

/// Run `script` under node with `input` as JSON on stdin; parse its stdout.
fn run_node(node: &Path, script: &str, input: &Value) -> Value {
    let mut child = Command::new(node)
        .arg("-e")
        .arg(script)
        .arg(search_js())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node starts");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin
            .write_all(input.to_string().as_bytes())
            .expect("write stdin");
    }
    let out = child.wait_with_output().expect("node runs");
    assert!(
        out.status.success(),
        "node failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("node printed JSON")
}

fn same(c: char) -> char {
    c
}

fn simplify(c: char) -> char {
    match c {
        '務' => '务',
        '動' => '动',
        '產' => '产',
        '記' => '记',
        '辦' => '办',
        '號' => '号',
        '開' => '开',
        '華' => '华',
        _ => c,
    }
}

/// The fold as search.js gets it: every pair in the fold pages Rust writes.
fn fold_pairs(fold: gongkai::search::Fold) -> Vec<(u32, u32)> {
    let files = build_index(&[], fold);
    let mut pairs: Vec<(u32, u32)> = files
        .iter()
        .filter(|(p, _)| p.starts_with("search/fold/"))
        .flat_map(|(_, bytes)| serde_json::from_slice::<Vec<(u32, u32)>>(bytes).expect("fold page"))
        .collect();
    pairs.sort();
    pairs.dedup();
    pairs
}

const PARITY_INPUTS: &[&str] = &[
    "",
    "不动产",
    "办理不动产登记需要哪些材料？",
    "岳政办发〔2023〕12号",
    "11430600006181235F/2023-00012",
    "Call 12345 NOW, H5长图文8个",
    "２０２３年ＡＢｃ全角",
    "政務服務 不動產登記 辦事指南",
    "，。！？、“”（）《》 …— ~!@#$%^&*()",
    "<script>alert('x')</script>",
    "𠀀𠀁甲乙 〇一二",
    "日本語のテキストと한국어",
    "emoji 😀政务😀服务",
    "tab\tnew\nline\r\n混合",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa长",
    "ÀÉÎ café naïve",
    "丶丿乛亅 㐀䶵 龥鿿 豈",
];

const TOKENIZE_SCRIPT: &str = r#"
const s = require(process.argv[1]);
let input = "";
process.stdin.on("data", (d) => (input += d));
process.stdin.on("end", () => {
  const { texts, fold } = JSON.parse(input);
  const map = new Map(fold);
  const out = texts.map((t) => {
    const tokens = s.tokenize(t, map);
    return { tokens, hashes: tokens.map(s.termHash), keys: tokens.map(s.termKey) };
  });
  process.stdout.write(JSON.stringify(out));
});
"#;

fn check_parity(node: &Path, fold: gongkai::search::Fold) {
    let texts: Vec<String> = PARITY_INPUTS
        .iter()
        .map(|s| s.to_string())
        .chain(std::iter::once(
            (0x3000u32..0x3100)
                .chain(0xFF00..0xFF70)
                .chain(0x4E00..0x4F00)
                .filter_map(char::from_u32)
                .collect(),
        ))
        .collect();
    let out = run_node(
        node,
        TOKENIZE_SCRIPT,
        &json!({ "texts": texts, "fold": fold_pairs(fold) }),
    );
    for (text, js) in texts.iter().zip(out.as_array().expect("array")) {
        let rust = tokenize(text, fold);
        let js_tokens: Vec<String> = serde_json::from_value(js["tokens"].clone()).expect("tokens");
        assert_eq!(rust, js_tokens, "tokens of {text:?}");
        let rust_hashes: Vec<u32> = rust.iter().map(|t| hash32(t)).collect();
        let js_hashes: Vec<u32> = serde_json::from_value(js["hashes"].clone()).expect("hashes");
        assert_eq!(rust_hashes, js_hashes, "hashes of {text:?}");
        let rust_keys: Vec<String> = rust.iter().map(|t| term_key(t)).collect();
        let js_keys: Vec<String> = serde_json::from_value(js["keys"].clone()).expect("keys");
        assert_eq!(rust_keys, js_keys, "keys of {text:?}");
    }
}

#[test]
fn js_tokenizer_matches_rust() {
    let Some(node) = node() else { return };
    check_parity(&node, same);
}

#[test]
fn js_tokenizer_matches_rust_with_a_fold() {
    let Some(node) = node() else { return };
    check_parity(&node, simplify);
}

#[test]
fn js_tokenizer_matches_rust_with_the_sites_fold() {
    let Some(node) = node() else { return };
    check_parity(&node, gongkai::hant::to_simplified_char);
}

#[test]
fn search_js_never_writes_html() {
    let source = std::fs::read_to_string(search_js()).expect("search.js");
    for sink in [
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
    ] {
        assert!(!source.contains(sink), "search.js uses {sink}");
    }
    assert!(
        !source.contains("http://") && !source.contains("https://"),
        "no external requests"
    );
}

// ---- end to end ----

struct Item {
    id: &'static str,
    title: &'static str,
    kind: &'static str,
    date: &'static str,
    doc_number: &'static str,
    text: &'static str,
}

const ITEMS: &[Item] = &[
    Item {
        id: "yueyang/services/budongchan",
        title: "不动产登记办事指南",
        kind: "service",
        date: "2021-03-01",
        doc_number: "",
        text: "本事项适用于首次登记。",
    },
    Item {
        id: "yueyang/news/jiaofang",
        title: "我市推进交房即交证改革",
        kind: "article",
        date: "2024-05-01",
        doc_number: "",
        text: "为方便群众，市自然资源局在窗口集中办理不动产登记，当天即可领证。另外，不动产权证书可以邮寄。不动产相关问题请咨询12345。",
    },
    Item {
        id: "hengyang/policies/zhengban12",
        title: "衡阳市人民政府办公室关于优化营商环境的通知",
        kind: "policy",
        date: "2023-06-01",
        doc_number: "岳政办发〔2023〕12号",
        text: "各县市区人民政府：现将有关事项通知如下。",
    },
    Item {
        id: "hengyang/policies/zhengban13",
        title: "衡阳市关于政务服务的若干措施",
        kind: "policy",
        date: "2023-07-01",
        doc_number: "衡政发〔2023〕13号",
        text: "推进政务服务标准化、规范化、便利化。办理营业执照不收费。",
    },
    Item {
        id: "hengyang/services/shebao",
        title: "社会保险登记",
        kind: "service",
        date: "2022-01-01",
        doc_number: "",
        text: "办理社会保险登记需要身份证。<script>alert(1)</script> 这段文字只是普通文本。",
    },
    Item {
        id: "changsha/faq/shui",
        title: "纳税常见问题",
        kind: "faq",
        date: "2020-01-01",
        doc_number: "",
        text: "问：个人所得税怎么申报？答：通过个人所得税App申报。",
    },
];

fn filler(n: usize) -> SearchDoc {
    let districts = ["yueyang", "hengyang", "changsha"];
    let names = ["岳阳市", "衡阳市", "长沙县"];
    let d = n % 3;
    SearchDoc {
        id: format!("{}/news/item-{n}", districts[d]),
        title: format!("工作动态第{n}期"),
        url: format!("{}/news/item-{n}/", districts[d]),
        district: districts[d].to_string(),
        district_name: names[d].to_string(),
        column_name: "工作动态".to_string(),
        kind: "article".to_string(),
        kind_label: "栏目文章".to_string(),
        date: format!("2019-01-{:02}", n + 1),
        text: "本期简报介绍了各部门的日常工作安排和会议情况。".to_string(),
        ..SearchDoc::default()
    }
}

fn corpus() -> Vec<SearchDoc> {
    let mut docs: Vec<SearchDoc> = ITEMS
        .iter()
        .map(|it| {
            let district = it.id.split('/').next().unwrap_or_default();
            let (name, label, column) = match it.kind {
                "policy" => ("政策文件", "政策文件", "政策文件"),
                "service" => ("办事指南", "办事指南", "办事指南"),
                "faq" => ("常见问题", "问答", "常见问题"),
                _ => ("工作动态", "栏目文章", "工作动态"),
            };
            let _ = name;
            SearchDoc {
                id: it.id.to_string(),
                title: it.title.to_string(),
                url: format!("{}/", it.id),
                district: district.to_string(),
                district_name: match district {
                    "yueyang" => "岳阳市",
                    "hengyang" => "衡阳市",
                    _ => "长沙县",
                }
                .to_string(),
                column_name: column.to_string(),
                kind: it.kind.to_string(),
                kind_label: label.to_string(),
                date: it.date.to_string(),
                doc_number: it.doc_number.to_string(),
                index_no: format!("430000/{}-{:05}", &it.date[..4], it.id.len()),
                text: it.text.to_string(),
            }
        })
        .collect();
    docs.extend((0..14).map(filler));
    docs
}

const QUERY_SCRIPT: &str = r#"
const fs = require("fs");
const path = require("path");
const s = require(process.argv[1]);
let input = "";
process.stdin.on("data", (d) => (input += d));
process.stdin.on("end", async () => {
  const { dir, queries } = JSON.parse(input);
  const out = [];
  for (const q of queries) {
    const loaded = [];
    const engine = s.createEngine((p) => {
      loaded.push(p);
      return JSON.parse(fs.readFileSync(path.join(dir, p), "utf8"));
    });
    const started = Date.now();
    const r = await engine.search(q.q, q.filters || {});
    const top = r.hits.slice(0, s.PAGE_SIZE);
    const docs = await engine.documents(top);
    out.push({
      terms: r.terms,
      truncated: r.truncated,
      total: r.hits.length,
      urls: docs.map((d) => d.url),
      scores: top.map((h) => h.score),
      title: docs.length ? s.highlight(docs[0].title, r.terms, r.fold) : [],
      snippet: docs.length ? s.snippet(docs[0].text, r.terms, r.fold) : [],
      status: s.statusText(q.q, r, q.filters || {}),
      loaded,
      ms: Date.now() - started,
    });
  }
  process.stdout.write(JSON.stringify(out));
});
"#;

struct Results {
    all: Vec<Value>,
}

impl Results {
    fn get(&self, i: usize) -> &Value {
        &self.all[i]
    }
}

fn urls(v: &Value) -> Vec<String> {
    serde_json::from_value(v["urls"].clone()).expect("urls")
}

/// The marked parts of a list of segments.
fn marked(segments: &Value) -> Vec<String> {
    segments
        .as_array()
        .expect("segments")
        .iter()
        .filter(|s| s["mark"] == true)
        .map(|s| s["text"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn joined(segments: &Value) -> String {
    segments
        .as_array()
        .expect("segments")
        .iter()
        .map(|s| s["text"].as_str().unwrap_or_default())
        .collect()
}

fn run_queries(node: &Path, queries: &Value) -> Results {
    run_queries_on(node, &corpus(), simplify, false, queries)
}

/// `queries` against the index of `docs` folded with `fold`, written as
/// the main copy or (`traditional`) as the Traditional copy writes it.
fn run_queries_on(
    node: &Path,
    docs: &[SearchDoc],
    fold: gongkai::search::Fold,
    traditional: bool,
    queries: &Value,
) -> Results {
    let dir = tempfile::tempdir().expect("temp dir");
    for (path, bytes) in build_index(docs, fold) {
        let target = dir.path().join(path);
        std::fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
        let bytes = match traditional {
            true => gongkai::hant::to_traditional_bytes(&bytes).unwrap_or(bytes),
            false => bytes,
        };
        std::fs::write(target, bytes).expect("write");
    }
    let out = run_node(
        node,
        QUERY_SCRIPT,
        &json!({ "dir": dir.path(), "queries": queries }),
    );
    Results {
        all: out.as_array().expect("array").clone(),
    }
}

#[test]
fn queries_against_a_rust_index() {
    let Some(node) = node() else { return };
    let long: String = "不动产登记，".repeat(84);
    assert!(long.chars().count() >= 500);
    let r = run_queries(
        &node,
        &json!([
            { "q": "不动产" },
            { "q": "不动产", "filters": { "district": "yueyang", "kind": "article" } },
            { "q": "登记", "filters": { "district": "hengyang" } },
            { "q": "登记", "filters": { "kind": "service" } },
            { "q": "，。！？……“”" },
            { "q": long },
            { "q": "不動產登記" },
            { "q": "<script>alert(1)</script>" },
            { "q": "岳政办发〔2023〕12号" },
            { "q": "税" },
            { "q": "12345" },
            { "q": "没有这个词" },
            { "q": "登记", "filters": { "district": "nowhere" } },
        ]),
    );

    // A word inside running text; the title hit ranks first although older.
    let q = r.get(0);
    assert_eq!(q["terms"], json!(["不动", "动产"]));
    assert_eq!(
        urls(q),
        ["yueyang/services/budongchan/", "yueyang/news/jiaofang/"]
    );
    let scores: Vec<u32> = serde_json::from_value(q["scores"].clone()).expect("scores");
    assert!(scores[0] > scores[1], "title weighs more: {scores:?}");
    assert_eq!(marked(&q["title"]), ["不动产"]);
    // Only the shards the query needs: meta, at most two term shards, and
    // the doc shards of the results; no facets without a filter.
    let loaded: Vec<String> = serde_json::from_value(q["loaded"].clone()).expect("loaded");
    assert!(loaded.contains(&"search/meta.json".to_string()));
    assert!(!loaded.iter().any(|p| p == "search/facets.json"));
    assert!(
        loaded
            .iter()
            .filter(|p| p.starts_with("search/terms/"))
            .count()
            <= 2
    );

    // District and kind filters.
    assert_eq!(urls(r.get(1)), ["yueyang/news/jiaofang/"]);
    assert_eq!(urls(r.get(2)), ["hengyang/services/shebao/"], "only 衡阳市");
    // Both have 登记 in the title and once in the body: newest first.
    assert_eq!(
        urls(r.get(3)),
        ["hengyang/services/shebao/", "yueyang/services/budongchan/"]
    );

    // Punctuation only: nothing to search for, no error.
    assert_eq!(r.get(4)["terms"], json!([]));
    assert_eq!(r.get(4)["total"], 0);
    assert_eq!(
        r.get(4)["status"],
        "请输入汉字、字母或数字再搜索（只有标点符号无法搜索）。"
    );

    // 500 characters: cut to a bounded number of terms.
    let q = r.get(5);
    assert_eq!(q["truncated"], true);
    let status = q["status"].as_str().expect("status");
    assert!(status.contains("只按前 64 个字查找"), "{status}");
    assert!(status.chars().count() < 80, "the query is not echoed whole");
    assert!(q["terms"].as_array().expect("terms").len() <= 6);
    assert_eq!(urls(q)[0], "yueyang/services/budongchan/");

    // Traditional finds Simplified, and highlights it.
    let q = r.get(6);
    assert_eq!(q["terms"], json!(["不动", "产登", "登记"]));
    assert_eq!(
        urls(q),
        ["yueyang/services/budongchan/", "yueyang/news/jiaofang/"]
    );
    assert_eq!(marked(&q["title"]), ["不动产登记"]);

    // HTML in a query is text: it finds the document that has it as text,
    // and the snippet gives it back as text.
    let q = r.get(7);
    assert_eq!(q["terms"], json!(["script", "alert", "1"]));
    assert_eq!(
        q["status"],
        "找到 1 条与“<script>alert(1)</sc…”相关的结果。"
    );
    assert_eq!(urls(q), ["hengyang/services/shebao/"]);
    assert!(joined(&q["snippet"]).contains("<script>alert(1)</script>"));
    assert_eq!(marked(&q["snippet"]), ["script", "alert", "1", "script"]);

    // 文号.
    assert_eq!(urls(r.get(8))[0], "hengyang/policies/zhengban12/");
    // One character.
    assert_eq!(r.get(9)["terms"], json!(["税"]));
    assert_eq!(urls(r.get(9)), ["changsha/faq/shui/"]);
    assert_eq!(marked(&r.get(9)["snippet"]), ["税", "税"]);
    // A number.
    assert_eq!(urls(r.get(10)), ["yueyang/news/jiaofang/"]);
    // Nothing found; unknown district.
    assert_eq!(r.get(11)["total"], 0);
    assert!(
        r.get(11)["status"]
            .as_str()
            .is_some_and(|s| s.starts_with("没有找到与“没有这个词”相关的内容"))
    );
    assert_eq!(r.get(12)["total"], 0);
}

#[test]
fn traditional_queries_find_simplified_items_with_the_sites_fold() {
    let Some(node) = node() else { return };
    let doc = |slug: &str, title: &str, text: &str| SearchDoc {
        id: format!("qu/news/{slug}"),
        title: title.to_string(),
        url: format!("qu/news/{slug}/"),
        district: "qu".to_string(),
        district_name: "测试区".to_string(),
        column_name: "工作动态".to_string(),
        kind: "article".to_string(),
        kind_label: "栏目文章".to_string(),
        date: "2024-01-01".to_string(),
        text: text.to_string(),
        ..SearchDoc::default()
    };
    let docs = [
        doc("getihu", "个体工商户登记", "申请人提交身份证复印件一份。"),
        doc("lifa", "理发店卫生检查", "从业人员头发应整齐。"),
        doc(
            "taifeng",
            "台风预警期间暂停办理",
            "受台风影响，大厅暂停服务。",
        ),
        doc("sheli", "关于设立的通知", "经县人民政府批准，同意设立。"),
        doc("other", "其他通知", "发布日期另行通知，台账已更新。"),
    ];
    let queries = json!([
        { "q": "複印件" },
        { "q": "頭髮" },
        { "q": "颱風" },
        { "q": "批准" },
        { "q": "批準" }
    ]);
    let expected = [
        ("qu/news/getihu/", "复印件"),
        ("qu/news/lifa/", "头发"),
        ("qu/news/taifeng/", "台风"),
        ("qu/news/sheli/", "批准"),
        ("qu/news/sheli/", "批准"),
    ];
    let fold = gongkai::hant::to_simplified_char;
    // In the main copy, Traditional queries find and mark Simplified text;
    // in the Traditional copy (the same index converted), the converted text.
    for traditional in [false, true] {
        let r = run_queries_on(&node, &docs, fold, traditional, &queries);
        for (i, (url, word)) in expected.iter().enumerate() {
            let q = r.get(i);
            assert_eq!(urls(q), [*url], "{}", queries[i]["q"]);
            let marked = marked(&q["snippet"]).concat();
            let word = match traditional {
                true => gongkai::hant::to_traditional(word).into_owned(),
                false => word.to_string(),
            };
            assert!(marked.contains(&word), "{marked} in {}", q["snippet"]);
        }
    }
}

#[test]
fn snippets_center_on_the_first_match() {
    let Some(node) = node() else { return };
    let script = r#"
const s = require(process.argv[1]);
let input = "";
process.stdin.on("data", (d) => (input += d));
process.stdin.on("end", () => {
  const { text, terms } = JSON.parse(input);
  process.stdout.write(JSON.stringify(s.snippet(text, terms, new Map())));
});
"#;
    let text = format!("{}办理不动产登记{}", "前".repeat(200), "后".repeat(200));
    let out = run_node(
        &node,
        script,
        &json!({ "text": text, "terms": ["不动", "动产"] }),
    );
    let snippet = joined(&out);
    assert!(
        snippet.starts_with('…') && snippet.ends_with('…'),
        "{snippet}"
    );
    assert!(snippet.chars().count() <= 112);
    assert_eq!(marked(&out), ["不动产"]);

    // A highlighted word at the end of the window is not cut in two.
    // The window is characters 6..116; the second 不动产 is at 114..117.
    let text = format!(
        "{}不动产{}不动产{}",
        "甲".repeat(30),
        "乙".repeat(81),
        "后".repeat(50)
    );
    let out = run_node(
        &node,
        script,
        &json!({ "text": text, "terms": ["不动", "动产"] }),
    );
    assert_eq!(marked(&out), ["不动产", "不动产"], "{}", joined(&out));
}

#[test]
fn query_terms_are_chosen_for_cost() {
    let Some(node) = node() else { return };
    let script = r#"
const s = require(process.argv[1]);
let input = "";
process.stdin.on("data", (d) => (input += d));
process.stdin.on("end", () => {
  const queries = JSON.parse(input);
  process.stdout.write(JSON.stringify(queries.map((q) => s.queryTerms(q, new Map()))));
});
"#;
    let title = "衡阳市人民政府办公室关于印发《衡阳市不动产登记便利化实施方案》的通知";
    let out = run_node(
        &node,
        script,
        &json!([
            "不动产",
            "营业执照",
            "不动产登记",
            "不动产登记中心",
            "岳政办发〔2023〕12号",
            "税",
            "税 费",
            "个人所得税 表",
            "，。！",
            title,
        ]),
    );
    let terms = |i: usize| -> Vec<String> {
        serde_json::from_value(out[i]["terms"].clone()).expect("terms")
    };
    assert_eq!(terms(0), ["不动", "动产"]);
    assert_eq!(terms(1), ["营业", "业执", "执照"]);
    assert_eq!(terms(2), ["不动", "产登", "登记"]);
    assert_eq!(terms(3), ["不动", "产登", "记中", "中心"]);
    assert_eq!(terms(4), ["岳政", "政办", "办发", "2023", "12"]);
    assert_eq!(terms(5), ["税"]);
    assert_eq!(terms(6), ["税", "费"]);
    assert_eq!(terms(7), ["个人", "所得", "得税"]);
    assert!(terms(8).is_empty());
    // A pasted title: six terms spread over its whole length.
    let t = terms(9);
    assert_eq!(t.len(), 6);
    assert_eq!(t[0], "衡阳");
    assert_eq!(t[5], "通知");
    assert!(
        t.iter()
            .any(|x| x == "登记" || x == "产登" || x == "便利" || x == "实施")
    );
    assert_eq!(out[9]["truncated"], false);
}
