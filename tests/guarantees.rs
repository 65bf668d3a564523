//! Guarantees under stress: a build killed with SIGKILL at any moment leaves
//! the previous output exactly as it was, and the next build cleans up.

mod common;
use common::*;
use std::path::Path;
use std::time::{Duration, Instant};

/// A site of `n` items, big enough that a build takes a while.
fn write_site(root: &Path, n: usize) {
    std::fs::create_dir_all(root.join("content/qu/news")).unwrap();
    std::fs::create_dir_all(root.join("content/qu/services")).unwrap();
    for i in 0..n {
        let (column, extra) = if i % 2 == 0 {
            ("news", "")
        } else {
            ("services", "item_type: license\n")
        };
        let body = "政务公开，**注意：**按时办理。\n\n".repeat(20);
        let text = format!(
            "---\ntitle: 条目{i}\ndate: 2023-01-{:02}\n{extra}---\n{body}",
            i % 28 + 1
        );
        std::fs::write(root.join(format!("content/qu/{column}/item-{i}.md")), text).unwrap();
    }
}

#[test]
fn killing_a_build_never_damages_the_previous_output() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    write_site(&root, 400);
    let out = tmp.path().join("public");
    let started = Instant::now();
    let first = build(&root, &out, &[]);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let took = started.elapsed();
    let before = tree(&out);
    // Change the content so an interrupted build would write different files.
    std::fs::write(
        root.join("content/qu/news/item-0.md"),
        "---\ntitle: 改过的标题\ndate: 2023-01-01\n---\n新内容\n",
    )
    .unwrap();
    let expected_out = tmp.path().join("expected");
    assert!(build(&root, &expected_out, &[]).status.success());
    let complete = tree(&expected_out);
    std::fs::remove_dir_all(&expected_out).unwrap();
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    for round in 0..6 {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let delay = Duration::from_micros((seed >> 33) % (took.as_micros() as u64).max(1));
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_gongkai"))
            .args(["build", "--quiet", "--root"])
            .arg(&root)
            .arg("--out")
            .arg(&out)
            .env("SOURCE_DATE_EPOCH", TODAY)
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL on Unix
        let status = child.wait().unwrap();
        let after = tree(&out);
        // Either the previous output, untouched, or the new one, complete.
        let intact = before == after || complete == after;
        assert!(
            intact,
            "round {round} (killed after {delay:?}, {status}): partial output"
        );
        if complete == after {
            break;
        }
    }
    let last = build(&root, &out, &[]);
    assert!(last.status.success());
    assert!(read(&out, "qu/news/item-0/index.html").contains("改过的标题"));
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("gongkai-staging") || n.contains("gongkai-old"))
        .collect();
    assert!(leftovers.is_empty(), "stale staging left: {leftovers:?}");
}
