//! Property tests over arbitrary input, run on every `cargo test`: the three
//! fuzz entry points (`gongkai::fuzzing`) on every input a fuzzer ever found
//! interesting (tests/fuzz-regressions/) and on a few thousand generated
//! inputs mixing valid front matter, Markdown and random bytes. The long
//! runs use cargo-fuzz (see fuzz/).

use gongkai::fuzzing;
use std::path::Path;

#[test]
fn every_saved_fuzz_input_passes() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions");
    let mut count = 0;
    for target in ["front_matter", "markdown", "pipeline"] {
        let Ok(entries) = std::fs::read_dir(dir.join(target)) else {
            continue;
        };
        for entry in entries {
            let data = std::fs::read(entry.unwrap().path()).unwrap();
            match target {
                "front_matter" => fuzzing::front_matter(&data),
                "markdown" => fuzzing::markdown(&data),
                _ => fuzzing::pipeline(&data),
            }
            count += 1;
        }
    }
    assert!(count >= 1);
}

/// A small deterministic generator (xorshift), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

const KEYS: &[&str] = &[
    "title",
    "标题",
    "date",
    "发布日期",
    "summary",
    "index_no",
    "索引号",
    "keywords",
    "draft",
    "aliases",
    "attachments",
    "withdrawn",
    "issuer",
    "doc_number",
    "validity",
    "expires",
    "item_type",
    "levels",
    "materials",
    "promised_days",
    "fee",
    "event",
    "related",
    "bundle",
    "interprets",
    "slug",
    "未知",
    "titel",
];
const VALUES: &[&str] = &[
    "测试",
    "2023-02-29",
    "2024-02-29",
    "\"<script>alert(1)</script>\"",
    "[a, b]",
    "{name: x, copies: -1}",
    "~",
    "no",
    "true",
    "0",
    "99999999999999999999",
    "\"../../etc\"",
    "[村, 组]",
    "行政许可",
    "license",
    "{start: 2023-01-01 25:61}",
    "[policies/x, ../y]",
    "'",
    "\"",
    "- a\n  - b",
    "\t",
    "&anchor x",
    "*anchor",
    "!!binary aGVsbG8=",
    "[[[[[[]]]]]]",
];
const BODIES: &[&str] = &[
    "**注意：**正文",
    "这是**“重要”**通知",
    "<script>alert(1)</script>",
    "[x](javascript:alert(1))",
    "## 问？\n答",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "> > > > 引用",
    "***",
    "[^1]\n\n[^1]: 注",
    "```\ncode\n```",
    "\u{0}\u{feff}",
    "![i](data:text/html,x)",
    "<img src=x onerror=alert(1)>",
    "*a **b* c**",
    "\r\n\r\n",
];

fn generated(rng: &mut Rng) -> Vec<u8> {
    let mut text = String::new();
    if !rng.next().is_multiple_of(8) {
        text.push_str("---\n");
    }
    for _ in 0..rng.next() % 8 {
        let key = rng.pick(KEYS);
        let value = rng.pick(VALUES);
        text.push_str(&format!("{key}: {value}\n"));
    }
    if !rng.next().is_multiple_of(8) {
        text.push_str("---\n");
    }
    for _ in 0..rng.next() % 5 {
        text.push_str(rng.pick(BODIES));
        text.push('\n');
    }
    let mut bytes = text.into_bytes();
    for _ in 0..rng.next() % 3 {
        if bytes.is_empty() {
            break;
        }
        let at = (rng.next() % bytes.len() as u64) as usize;
        bytes[at] = rng.next() as u8;
    }
    bytes
}

#[test]
fn generated_inputs_never_break_a_stage() {
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    for _ in 0..3000 {
        let input = generated(&mut rng);
        fuzzing::front_matter(&input);
        fuzzing::markdown(&input);
    }
    for _ in 0..150 {
        fuzzing::pipeline(&generated(&mut rng));
    }
}
