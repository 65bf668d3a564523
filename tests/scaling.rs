//! The algorithmic shape, not the clock: doubling the items of a site must
//! not much more than double what a build produces or the work behind it.
//! A listing that repeats every item on every page, a pager that lists every
//! page on every page, or links computed pair by pair would show here as
//! output growing by a factor of four.

use gongkai::config::Config;
use gongkai::content::library::{self, LoadOptions};
use gongkai::date::Date;
use gongkai::output::Discard;
use gongkai::render::{self, Site, theme::Theme};
use std::path::Path;

fn write_site(root: &Path, n: usize) {
    // Small pages make any per-page cost that grows with the site visible.
    std::fs::write(root.join("site.toml"), "page_size = 3\n").unwrap();
    for column in ["news", "services", "policies", "faq"] {
        std::fs::create_dir_all(root.join("content/qu").join(column)).unwrap();
    }
    for i in 0..n {
        let (column, extra) = match i % 4 {
            0 => ("news", String::new()),
            1 => (
                "services",
                format!(
                    "item_type: license\nlevels: [village]\nbundle: [services/item-{}]\n",
                    (i + 4) % n
                ),
            ),
            2 => (
                "policies",
                format!(
                    "issuer: 区政府\ndoc_number: 区发〔2023〕{i}号\ntopic: 主题{}\n",
                    i % 7
                ),
            ),
            _ => ("faq", format!("related: [news/item-{}]\n", i - i % 4)),
        };
        let text = format!(
            "---\ntitle: 条目{i}\ndate: 20{:02}-01-{:02}\nsummary: 摘要{i}\n{extra}---\n## 问题{i}？\n\n**注意：**正文{i}。\n",
            10 + i % 15,
            i % 28 + 1
        );
        std::fs::write(root.join(format!("content/qu/{column}/item-{i}.md")), text).unwrap();
    }
}

/// (files, bytes) a build of `n` items produces.
fn produced(n: usize) -> (usize, u64) {
    let tmp = tempfile::tempdir().unwrap();
    write_site(tmp.path(), n);
    let config = Config::load(tmp.path()).unwrap();
    let options = LoadOptions {
        drafts: false,
        today: Date::parse("2030-01-01").unwrap(),
    };
    let library = library::load(tmp.path(), &config, options).unwrap();
    let theme = Theme::load(tmp.path(), &config.theme).unwrap();
    let qr = gongkai::qr::Cache::default();
    let site = Site {
        root: tmp.path(),
        config: &config,
        library: &library,
        theme: &theme,
        progress: None,
        qr: &qr,
    };
    let sink = Discard::default();
    render::render_all(&site, &sink).unwrap();
    (sink.tally.files(), sink.tally.bytes())
}

#[test]
fn doubling_the_items_roughly_doubles_the_output() {
    let (files_small, bytes_small) = produced(240);
    let (files_large, bytes_large) = produced(480);
    let file_ratio = files_large as f64 / files_small as f64;
    let byte_ratio = bytes_large as f64 / bytes_small as f64;
    eprintln!("files x{file_ratio:.3}, bytes x{byte_ratio:.3}");
    assert!(file_ratio < 2.2, "files grew {file_ratio:.2}x");
    assert!(byte_ratio < 2.2, "bytes grew {byte_ratio:.2}x");
    assert!(
        file_ratio > 1.8 && byte_ratio > 1.8,
        "the sites differ in size as intended"
    );
}
