//! Incremental builds (src/incremental.rs): after every kind of change, a
//! build that reuses what the previous one left writes exactly what a
//! fresh build of the same site writes, and says it reused work.

mod common;

use common::*;
use std::path::{Path, PathBuf};

struct Site {
    _tmp: tempfile::TempDir,
    root: PathBuf,
    out: PathBuf,
    fresh: PathBuf,
}

impl Site {
    /// A copy of the fixture `name` with both copies (简/繁) on.
    fn new(name: &str) -> Site {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        copy_dir(&site(name), &root);
        let config = std::fs::read_to_string(root.join("site.toml")).unwrap();
        std::fs::write(
            root.join("site.toml"),
            format!("traditional = true\n{config}"),
        )
        .unwrap();
        Site {
            out: tmp.path().join("public"),
            fresh: tmp.path().join("fresh"),
            root,
            _tmp: tmp,
        }
    }

    /// Build into `public/`; the summary line.
    fn build(&self) -> String {
        self.build_with(&[])
    }

    fn build_with(&self, extra: &[&str]) -> String {
        let mut args = vec![
            "build",
            "--root",
            self.root.to_str().unwrap(),
            "--out",
            self.out.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        let output = gongkai(&args, &self.root);
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert!(output.status.success(), "{stderr}");
        stderr
            .lines()
            .find(|l| l.starts_with("已生成"))
            .unwrap_or_default()
            .to_string()
    }

    /// `public/` is what a fresh build of the site writes.
    fn assert_fresh(&self, what: &str) {
        self.assert_fresh_with(what, &[]);
    }

    fn assert_fresh_with(&self, what: &str, extra: &[&str]) {
        let _ = std::fs::remove_dir_all(&self.fresh);
        let _ = std::fs::remove_file(self.fresh.with_file_name(".fresh.gongkai-state"));
        let _ = std::fs::remove_dir_all(self.fresh.with_file_name(".fresh.gongkai-spare"));
        let output = build(&self.root, &self.fresh, extra);
        assert!(output.status.success(), "{what}");
        let (got, want) = (tree(&self.out), tree(&self.fresh));
        let differ: Vec<&String> = got
            .keys()
            .chain(want.keys())
            .filter(|k| got.get(*k) != want.get(*k))
            .collect();
        assert!(differ.is_empty(), "{what}: files differ: {differ:?}");
    }

    fn edit(&self, rel: &str, from: &str, to: &str) {
        let path = self.root.join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{rel} lacks {from}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    }
}

/// Pages rendered and files written, from the summary of a build that
/// reused the previous one's work (`None` for a full build).
fn reuse(summary: &str) -> Option<(usize, usize)> {
    let rest = summary.split("沿用上次的结果，重新生成 ").nth(1)?;
    let pages = rest.split(' ').next()?.parse().ok()?;
    let written = rest
        .split("写入 ")
        .nth(1)?
        .split(' ')
        .next()?
        .parse()
        .ok()?;
    Some((pages, written))
}

#[test]
fn every_change_builds_what_a_fresh_build_writes() {
    let site = Site::new("all-kinds");
    let first = site.build();
    assert_eq!(reuse(&first), None, "{first}");
    site.assert_fresh("first build");

    // Second build: nothing changed; every file is taken from public/.
    let second = site.build();
    let (pages, _) = reuse(&second).unwrap_or_else(|| panic!("{second}"));
    assert_eq!(pages, 0, "{second}");
    site.assert_fresh("second build");
    // Third: the spare tree already holds every file; nothing is written
    // but the site's own static files are checked again.
    let third = site.build();
    assert_eq!(reuse(&third), Some((0, 0)), "{third}");
    site.assert_fresh("third build");

    // A body edit: its pages, search index, feeds.
    site.edit(
        "content/ceshi/policies/jiu-banfa.md",
        "旧办法正文。",
        "旧办法正文，改过一次。",
    );
    let body = site.build();
    let (pages, written) = reuse(&body).unwrap_or_else(|| panic!("{body}"));
    assert!(pages >= 1 && written >= 1, "{body}");
    assert!(read(&site.out, "ceshi/policies/jiu-banfa/index.html").contains("改过一次"));
    site.assert_fresh("body edit");

    // A title: lists and the pages linking to it.
    site.edit(
        "content/ceshi/policies/jiu-banfa.md",
        "title: 旧办法",
        "title: 旧的管理办法",
    );
    let title = site.build();
    assert!(reuse(&title).is_some(), "{title}");
    assert!(read(&site.out, "zh-hant/ceshi/policies/jiaodi/index.html").contains("舊的管理辦法"));
    site.assert_fresh("title edit");

    // What an interpretation interprets.
    site.edit(
        "content/ceshi/interpretations/jiedu.md",
        "解读对象: policies/jiaodi",
        "解读对象: policies/jiu-banfa",
    );
    site.build();
    site.assert_fresh("link edit");

    // A FAQ's questions.
    site.edit(
        "content/ceshi/faq/wenda.md",
        "## 需要多久？",
        "## 一共需要多久？",
    );
    site.build();
    site.assert_fresh("FAQ edit");

    // An attachment of a bundle item.
    let attachment = site.root.join("content/ceshi/policies/jiaodi/liucheng.txt");
    std::fs::write(&attachment, "新的流程说明，长度也变了。\n").unwrap();
    let bundle = site.build();
    assert!(reuse(&bundle).is_some(), "{bundle}");
    assert!(read(&site.out, "ceshi/policies/jiaodi/liucheng.txt").contains("新的流程说明"));
    site.assert_fresh("attachment edit");

    // A new item, then it goes away again.
    let lock = std::fs::read(site.root.join("qr.lock")).unwrap();
    let added = site.root.join("content/ceshi/news/xin.md");
    std::fs::write(
        &added,
        "---\ntitle: 新动态\ndate: 2024-05-01\n---\n新动态正文。\n",
    )
    .unwrap();
    site.build();
    assert!(site.out.join("ceshi/news/xin/index.html").exists());
    site.assert_fresh("added item");
    // (Its code was never printed: take it out of qr.lock too.)
    std::fs::remove_file(&added).unwrap();
    std::fs::write(site.root.join("qr.lock"), lock).unwrap();
    site.build();
    assert!(!site.out.join("ceshi/news/xin").exists());
    site.assert_fresh("removed item");

    // Drafts on, then off again.
    site.build_with(&["--drafts"]);
    assert!(site.out.join("ceshi/policies/caogao/index.html").exists());
    site.assert_fresh_with("--drafts", &["--drafts"]);
    site.build();
    assert!(!site.out.join("ceshi/policies/caogao").exists());
    site.assert_fresh("--drafts off again");

    // site.toml, a template, the site's static files.
    site.edit(
        "site.toml",
        "title = \"测试区政务公开\"",
        "title = \"测试区政务公开网\"",
    );
    site.build();
    site.assert_fresh("site.toml edit");
    let templates = site.root.join("themes/default/templates");
    std::fs::create_dir_all(&templates).unwrap();
    let default_404 = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/404.html"),
    )
    .unwrap();
    std::fs::write(
        templates.join("404.html"),
        default_404.replace("页面未找到</h1>", "页面未找到（改过）</h1>"),
    )
    .unwrap();
    site.build();
    assert!(read(&site.out, "404.html").contains("改过"));
    site.assert_fresh("template edit");
    std::fs::create_dir_all(site.root.join("static/docs")).unwrap();
    std::fs::write(site.root.join("static/docs/a.txt"), "一").unwrap();
    site.build();
    site.assert_fresh("static file added");
    std::fs::remove_dir_all(site.root.join("static/docs")).unwrap();
    site.build();
    assert!(!site.out.join("docs").exists());
    site.assert_fresh("static file removed");
}

#[test]
fn hand_made_changes_to_the_output_do_not_survive() {
    let site = Site::new("all-kinds");
    for _ in 0..3 {
        site.build();
    }
    let page = "ceshi/policies/jiu-banfa/index.html";
    // In public/: a file added at the top and deep down, a page changed in
    // place (same name), a page removed.
    std::fs::write(site.out.join("CNAME"), "gk.test.gov.cn").unwrap();
    std::fs::write(site.out.join("ceshi/policies/extra.html"), "手工").unwrap();
    std::fs::write(site.out.join(page), "手工改过").unwrap();
    std::fs::remove_file(site.out.join("ceshi/index.html")).unwrap();
    // Each build exchanges public/ with the spare tree: check two in a row,
    // so the changed tree has been the spare once.
    for round in 0..3 {
        site.build();
        site.assert_fresh(&format!("after hand-made changes, build {round}"));
    }
    // The same in the spare tree.
    let spare = site.out.with_file_name(".public.gongkai-spare");
    assert!(spare.is_dir());
    std::fs::write(spare.join(page), "手工改过").unwrap();
    std::fs::write(spare.join("ceshi/extra.html"), "手工").unwrap();
    for round in 0..2 {
        site.build();
        site.assert_fresh(&format!("after changes to the spare, build {round}"));
    }
    // Changed in place with the same length, nothing else: only the
    // file's time tells.
    let same_size = "ceshi/policies/jiaodi/index.html";
    let text = std::fs::read_to_string(spare.join(same_size)).unwrap();
    assert!(text.contains("<title>"));
    std::fs::write(
        spare.join(same_size),
        text.replacen("<title>", "<TITLE>", 1),
    )
    .unwrap();
    site.build();
    site.assert_fresh("after a same-size change in the spare");
}

#[test]
fn a_failed_build_leaves_everything_as_it_was() {
    let site = Site::new("all-kinds");
    site.build();
    site.build();
    let before = tree(&site.out);
    site.edit(
        "content/ceshi/policies/jiu-banfa.md",
        "date: 2022-01-05",
        "date: 2022-13-05",
    );
    let output = build(&site.root, &site.out, &[]);
    assert!(!output.status.success());
    assert_eq!(tree(&site.out), before);
    site.edit(
        "content/ceshi/policies/jiu-banfa.md",
        "date: 2022-13-05",
        "date: 2022-01-06",
    );
    site.build();
    site.assert_fresh("fixed after a failed build");
    // A damaged state file: a full build.
    let state = site.out.with_file_name(".public.gongkai-state");
    std::fs::write(&state, "gongkai-build-state 1\n[global] zz\n").unwrap();
    let summary = site.build();
    assert_eq!(reuse(&summary), None, "{summary}");
    site.assert_fresh("damaged state");
}

#[test]
fn the_state_and_spare_sit_beside_the_output() {
    let site = Site::new("all-kinds");
    site.build();
    site.build();
    let parent: Vec<String> = std::fs::read_dir(site.out.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    for name in ["public", ".public.gongkai-state", ".public.gongkai-spare"] {
        assert!(parent.iter().any(|n| n == name), "{name} in {parent:?}");
    }
    assert!(!Path::new(&site.out).join(".public.gongkai-state").exists());
}

#[test]
fn a_file_replaced_with_an_old_time_and_the_same_size_is_noticed() {
    let site = Site::new("all-kinds");
    for _ in 0..3 {
        site.build();
    }
    // What `cp -a` or `rsync -a` of another version does: a new file of
    // the same length, its time and its folder's time set back.
    let page = site.out.join("ceshi/policies/jiu-banfa/index.html");
    let folder = page.parent().unwrap().to_path_buf();
    let text = std::fs::read_to_string(&page).unwrap();
    let file_time = std::fs::metadata(&page).unwrap().modified().unwrap();
    let folder_time = std::fs::metadata(&folder).unwrap().modified().unwrap();
    let other = folder.join(".replacement");
    std::fs::write(&other, text.replacen("<title>", "<TITLE>", 1)).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&other)
        .unwrap()
        .set_modified(file_time)
        .unwrap();
    std::fs::rename(&other, &page).unwrap();
    std::fs::File::open(&folder)
        .unwrap()
        .set_modified(folder_time)
        .unwrap();
    for round in 0..2 {
        site.build();
        site.assert_fresh(&format!("after a file was replaced, build {round}"));
    }
}

#[test]
fn builds_into_one_output_take_turns() {
    let site = Site::new("all-kinds");
    site.build();
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(site.out.with_file_name(".public.gongkai-lock"))
        .unwrap();
    lock.lock().unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["build", "--root"])
        .arg(&site.root)
        .arg("--out")
        .arg(&site.out)
        .env("SOURCE_DATE_EPOCH", TODAY)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert!(
        child.try_wait().unwrap().is_none(),
        "did not wait for the lock"
    );
    lock.unlock().unwrap();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("另一个 gongkai build 正在生成"), "{stderr}");
    site.assert_fresh("after waiting");
}
