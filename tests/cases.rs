//! The bad-input corpus: every folder under `tests/cases/` is a tiny site with
//! defects and an `expected.txt` giving the exit code and, line by line, the
//! beginning of each diagnostic (`path:line:col: 错误: field: message`) in the
//! order gongkai reports them. Each case runs through `check` and `build`;
//! a failing `build` must leave the previous output untouched.

use std::path::{Path, PathBuf};
use std::process::Command;

const TODAY: &str = "1717200000"; // 2024-06-01

fn cases() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    cases
}

struct Expected {
    exit: i32,
    lines: Vec<String>,
}

fn expected(case: &Path) -> Expected {
    let text = std::fs::read_to_string(case.join("expected.txt")).unwrap();
    let mut lines = text.lines();
    let exit = lines
        .next()
        .unwrap()
        .strip_prefix("exit ")
        .unwrap()
        .parse()
        .unwrap();
    Expected {
        exit,
        lines: lines.map(str::to_string).collect(),
    }
}

fn diagnostics(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.contains(": 错误: ") || l.contains(": 警告: "))
        .collect()
}

fn check_case(case: &Path) -> Result<(), String> {
    let want = expected(case);
    let output = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["check", "--root"])
        .arg(case.join("site"))
        .env("SOURCE_DATE_EPOCH", TODAY)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let got = diagnostics(&stderr);
    let code = output.status.code().unwrap_or(-1);
    let matches = code == want.exit
        && got.len() == want.lines.len()
        && got
            .iter()
            .zip(&want.lines)
            .all(|(g, w)| g.starts_with(w.as_str()));
    if matches {
        Ok(())
    } else {
        Err(format!(
            "{}: exit {code} (want {})\n--- got\n{}\n--- want (prefixes)\n{}",
            case.display(),
            want.exit,
            got.join("\n"),
            want.lines.join("\n")
        ))
    }
}

#[test]
fn every_bad_input_case_reports_exactly_its_diagnostics() {
    let failures: Vec<String> = cases().iter().filter_map(|c| check_case(c).err()).collect();
    assert!(
        failures.is_empty(),
        "{} case(s) failed:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn the_corpus_is_large_enough() {
    assert!(cases().len() >= 30, "only {} cases", cases().len());
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    for case in cases() {
        if expected(&case).exit == 0 {
            continue;
        }
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        std::fs::create_dir_all(out.join("old")).unwrap();
        std::fs::write(out.join("old/index.html"), "上次发布的网站").unwrap();
        // Its messages are captured, not printed: a passing run of the
        // tests shows no 错误 lines.
        let output = Command::new(env!("CARGO_BIN_EXE_gongkai"))
            .args(["build", "--quiet", "--root"])
            .arg(case.join("site"))
            .arg("--out")
            .arg(&out)
            .env("SOURCE_DATE_EPOCH", TODAY)
            .output()
            .unwrap();
        assert_eq!(
            output.status.code(),
            Some(1),
            "{}\n{}",
            case.display(),
            String::from_utf8_lossy(&output.stderr)
        );
        let entries: Vec<_> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(entries, vec!["old"], "{}", case.display());
        assert_eq!(
            std::fs::read_to_string(out.join("old/index.html")).unwrap(),
            "上次发布的网站"
        );
        // Only the output and the (empty) lock file builds of it take turns on.
        let siblings: Vec<_> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .filter(|n| n != ".public.gongkai-lock")
            .collect();
        assert_eq!(
            siblings,
            vec!["public"],
            "staging left behind for {}",
            case.display()
        );
    }
}
