//! Going live (crate::golive): a new site never locks placeholders into
//! print. A placeholder `base_url` or the district codes `init` writes are
//! warnings in `build` and `check`, errors under `--locked`, and no short
//! code is registered in `qr.lock` until both are real; after that the
//! register holds as before.

mod common;
use common::*;
use std::path::Path;
use std::process::Output;

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from} not in {}", path.display());
    std::fs::write(path, text.replace(from, to)).unwrap();
}

/// Fill in what `init`'s site.toml asks for: the real domain and codes.
fn go_live(dir: &Path) {
    let site_toml = dir.join("site.toml");
    edit(
        &site_toml,
        "https://gk.example.gov.cn",
        "https://gk.shifan.hunan.gov.cn",
    );
    edit(&site_toml, "\"000000\"", "\"430121\"");
    edit(
        &site_toml,
        "\"000000000000000000\"",
        "\"11430121006064122T\"",
    );
}

fn lock_lines(dir: &Path) -> Vec<String> {
    std::fs::read_to_string(dir.join("qr.lock"))
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(str::to_string)
        .collect()
}

/// The line of the starter site.toml that sets `key` (the tests follow the
/// template instead of fixing its line numbers).
fn starter_line(dir: &Path, key: &str) -> usize {
    let text = std::fs::read_to_string(dir.join("site.toml")).unwrap();
    1 + text
        .lines()
        .position(|l| l.starts_with(&format!("{key} = ")))
        .unwrap_or_else(|| panic!("{key} in the starter site.toml"))
}

#[test]
fn a_starter_site_builds_with_warnings_and_registers_no_code() {
    let (tmp, dir) = init_site();
    let out = tmp.path().join("public");
    let built = build(&dir, &out, &[]);
    assert!(built.status.success(), "{}", stderr(&built));
    let message = stderr(&built);
    let (code, org) = (starter_line(&dir, "code"), starter_line(&dir, "org_code"));
    for expected in [
        "site.toml:5:12: 警告: base_url: “https://gk.example.gov.cn” 是示例域名（含 example）"
            .to_string(),
        format!(
            "site.toml:{code}:8: 警告: code: 区县 shifanqu 的 code 还是 gongkai init 写入的示例值"
        ),
        format!(
            "site.toml:{org}:12: 警告: org_code: 区县 shifanqu 的 org_code 还是 gongkai init 写入的示例值"
        ),
    ] {
        assert!(message.contains(&expected), "{expected}\n---\n{message}");
    }
    assert!(out.join("shifanqu/services/gaoling-jintie/qr.png").exists());
    assert!(!dir.join("qr.lock").exists(), "no code registered");

    // Filling in the real codes before going live is free: nothing was locked.
    let site_toml = dir.join("site.toml");
    edit(&site_toml, "\"000000\"", "\"430121\"");
    let again = build(&dir, &out, &[]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(!dir.join("qr.lock").exists());
}

#[test]
fn locked_refuses_a_site_that_is_not_live_and_writes_nothing() {
    let (tmp, dir) = init_site();
    let out = tmp.path().join("public");
    let failed = build(&dir, &out, &["--locked"]);
    assert_eq!(failed.status.code(), Some(1));
    let message = stderr(&failed);
    let (code, org) = (starter_line(&dir, "code"), starter_line(&dir, "org_code"));
    for expected in [
        "site.toml:5:12: 错误: base_url: --locked：网站还没有准备好上线。“https://gk.example.gov.cn”".to_string(),
        format!("site.toml:{code}:8: 错误: code: --locked："),
        format!("site.toml:{org}:12: 错误: org_code: --locked："),
    ] {
        assert!(message.contains(&expected), "{expected}\n---\n{message}");
    }
    assert!(message.contains("正式域名") && message.contains("行政区划代码"));
    assert!(message.contains("统一社会信用代码"), "{message}");
    assert!(!out.exists(), "nothing written");
    assert!(!dir.join("qr.lock").exists());

    let checked = gongkai(
        &["check", "--locked", "--root", dir.to_str().unwrap()],
        &dir,
    );
    assert_eq!(checked.status.code(), Some(1));
    assert!(stderr(&checked).contains("site.toml:5:12: 错误: base_url: --locked："));
}

#[test]
fn check_reports_the_go_live_warnings_in_every_format() {
    let (_tmp, dir) = init_site();
    let root = dir.to_str().unwrap();
    let text = gongkai(&["check", "--root", root], &dir);
    assert!(text.status.success(), "{}", stderr(&text));
    assert!(
        stderr(&text).contains(
            "site.toml:5:12: 警告: base_url: “https://gk.example.gov.cn” 是示例域名（含 example）"
        ),
        "{}",
        stderr(&text)
    );
    assert!(
        stderr(&text).contains(" 5 | base_url = \"https://gk.example.gov.cn\""),
        "the source line is shown: {}",
        stderr(&text)
    );
    let json = gongkai(&["check", "--format", "json", "--root", root], &dir);
    let rows: Vec<serde_json::Value> = String::from_utf8_lossy(&json.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .filter(|v: &serde_json::Value| v["path"] == "site.toml")
        .collect();
    let fields: Vec<(&str, i64, &str)> = rows
        .iter()
        .map(|v| {
            (
                v["field"].as_str().unwrap(),
                v["line"].as_i64().unwrap(),
                v["severity"].as_str().unwrap(),
            )
        })
        .collect();
    let (code, org) = (starter_line(&dir, "code"), starter_line(&dir, "org_code"));
    assert_eq!(
        fields,
        [
            ("base_url", 5, "warning"),
            ("code", code as i64, "warning"),
            ("org_code", org as i64, "warning")
        ]
    );
    let denied = gongkai(&["check", "--deny-warnings", "--root", root], &dir);
    assert_eq!(denied.status.code(), Some(1));
}

#[test]
fn a_live_site_registers_its_codes_and_then_holds_them() {
    let (tmp, dir) = init_site();
    let out = tmp.path().join("public");
    assert!(build(&dir, &out, &[]).status.success());
    go_live(&dir);
    let live = build(&dir, &out, &[]);
    assert!(live.status.success(), "{}", stderr(&live));
    assert!(
        !stderr(&live).contains("警告: base_url"),
        "{}",
        stderr(&live)
    );
    let lines = lock_lines(&dir);
    assert_eq!(lines.len(), 5, "every published sample: {lines:?}");
    let locked = build(&dir, &out, &["--locked"]);
    assert!(locked.status.success(), "{}", stderr(&locked));

    // After going live, the codes are printed: changing the district code
    // that every short code is derived from is refused.
    edit(&dir.join("site.toml"), "\"430121\"", "\"430122\"");
    let failed = build(&dir, &out, &[]);
    assert_eq!(failed.status.code(), Some(1));
    let message = stderr(&failed);
    assert_eq!(message.matches("已印在二维码上").count(), 5, "{message}");
    assert_eq!(
        message
            .matches("索引号没有变，变的是区县 shifanqu 的代码")
            .count(),
        5,
        "{message}"
    );
    assert!(!message.contains("网站还没有上线"), "{message}");
    assert_eq!(lock_lines(&dir), lines, "qr.lock untouched");
}

#[test]
fn a_site_without_site_toml_is_not_live_until_given_a_real_base_url() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    copy_dir(&site("no-config"), &root);
    let out = tmp.path().join("public");
    let preview = build(&root, &out, &[]);
    assert!(preview.status.success(), "{}", stderr(&preview));
    assert!(
        stderr(&preview).contains(
            "site.toml:1:1: 警告: base_url: 没有 site.toml，base_url 用的是默认的 http://127.0.0.1:1111，这是本机回环地址"
        ),
        "{}",
        stderr(&preview)
    );
    assert!(!root.join("qr.lock").exists());
    let live = build(&root, &out, &["--base-url", "https://gk.hunan.gov.cn"]);
    assert!(live.status.success(), "{}", stderr(&live));
    assert!(!stderr(&live).contains("警告"), "{}", stderr(&live));
    assert!(!lock_lines(&root).is_empty(), "codes registered once live");
}

#[test]
fn a_placeholder_base_url_on_the_command_line_registers_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    copy_dir(&site("all-kinds"), &root);
    let before = std::fs::read_to_string(root.join("qr.lock")).unwrap();
    std::fs::write(
        root.join("content/ceshi/news/xin.md"),
        "---\ntitle: 新条目\ndate: 2024-01-01\n---\n正文\n",
    )
    .unwrap();
    let out = tmp.path().join("public");
    for url in [
        "http://localhost:8000",
        "http://[::1]:8000/gk",
        "http://0.0.0.0",
    ] {
        let preview = build(&root, &out, &["--base-url", url]);
        assert!(preview.status.success(), "{url}: {}", stderr(&preview));
        assert!(
            stderr(&preview).contains("警告: base_url: 命令行 --base-url 给出的"),
            "{url}: {}",
            stderr(&preview)
        );
        assert_eq!(
            std::fs::read_to_string(root.join("qr.lock")).unwrap(),
            before
        );
    }
    // The locked codes are still checked while not live, with a hint.
    std::fs::remove_file(root.join("content/ceshi/news/bom-crlf.md")).unwrap();
    let failed = build(&root, &out, &["--base-url", "http://127.0.0.1:1111"]);
    assert_eq!(failed.status.code(), Some(1));
    assert!(
        stderr(&failed).contains("网站还没有上线：若这个短码是上线前登记的"),
        "{}",
        stderr(&failed)
    );
}
