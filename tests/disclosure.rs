//! Disclosure features end to end (DESIGN §4–6): qr.lock and `--locked`,
//! printable notices, QR sheets, the catalogue, the service directory,
//! /stats/, feeds and open data, the FAQ index and upcoming events.

mod common;
use common::*;
use std::path::Path;

fn copy_site(name: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    copy_dir(&site(name), &root);
    (tmp, root)
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn build_records_every_published_code_in_qr_lock_sorted() {
    let (tmp, root) = copy_site("all-kinds");
    std::fs::remove_file(root.join("qr.lock")).unwrap();
    let out = tmp.path().join("public");
    assert!(build(&root, &out, &[]).status.success());
    let lock = std::fs::read_to_string(root.join("qr.lock")).unwrap();
    let lines: Vec<&str> = lock.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(lines.len(), 13, "12 published and 1 scheduled: {lock}");
    let mut sorted = lines.clone();
    sorted.sort();
    assert_eq!(lines, sorted);
    assert!(lock.contains(" 11430999000000000A/2023-00001 ceshi/policies/jiaodi\n"));
    assert!(!lock.contains("caogao"), "drafts get no code");
    assert!(
        lock.contains("ceshi/policies/weilai"),
        "scheduled items are registered before their day"
    );
    assert_eq!(
        lock,
        std::fs::read_to_string(site("all-kinds").join("qr.lock")).unwrap(),
        "committed fixture lock is current"
    );
}

#[test]
fn locked_build_fails_instead_of_changing_qr_lock() {
    let (tmp, root) = copy_site("all-kinds");
    let before = std::fs::read_to_string(root.join("qr.lock")).unwrap();
    let out = tmp.path().join("public");
    assert!(
        build(&root, &out, &["--locked"]).status.success(),
        "an up-to-date lock passes"
    );
    std::fs::write(
        root.join("content/ceshi/news/xin.md"),
        "---\ntitle: 新条目\ndate: 2024-01-01\n---\n正文\n",
    )
    .unwrap();
    let old_output = std::fs::read(out.join("index.html")).unwrap();
    let failed = build(&root, &out, &["--locked"]);
    assert_eq!(failed.status.code(), Some(1));
    assert!(
        stderr(&failed).contains("qr.lock:1:1: 错误: --locked：本次构建会新发放 1 个二维码短码"),
        "{}",
        stderr(&failed)
    );
    assert_eq!(
        std::fs::read_to_string(root.join("qr.lock")).unwrap(),
        before
    );
    assert_eq!(
        std::fs::read(out.join("index.html")).unwrap(),
        old_output,
        "output untouched"
    );
    assert!(build(&root, &out, &[]).status.success());
    assert!(
        std::fs::read_to_string(root.join("qr.lock"))
            .unwrap()
            .contains("ceshi/news/xin")
    );
}

#[test]
fn deleting_a_locked_item_fails_and_withdrawing_it_works() {
    let (tmp, root) = copy_site("all-kinds");
    let out = tmp.path().join("public");
    let path = root.join("content/ceshi/services/jianfang.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    std::fs::write(root.join("content/ceshi/services/yijianshi.md"), "---\ntitle: 村民建房一件事\ndate: 2023-04-03\nitem_type: other\nbundle: [services/shipin]\n---\n一次办好。\n").unwrap();
    let failed = build(&root, &out, &[]);
    assert_eq!(failed.status.code(), Some(1));
    let message = stderr(&failed);
    assert!(
        message.contains("已印在二维码上，但找不到对应条目")
            && message.contains("原条目 ceshi/services/jianfang")
            && message.contains("withdrawn: true"),
        "{message}"
    );
    std::fs::write(
        &path,
        text.replace("levels: [township]", "levels: [township]\nwithdrawn: true"),
    )
    .unwrap();
    let ok = build(&root, &out, &[]);
    assert!(ok.status.success(), "{}", stderr(&ok));
    assert!(read(&out, "ceshi/services/jianfang/index.html").contains("本事项已撤销"));
}

#[test]
fn a_locked_code_that_became_a_draft_is_an_error() {
    let (tmp, root) = copy_site("all-kinds");
    let path = root.join("content/ceshi/news/no-body.md");
    std::fs::write(
        &path,
        "---\ntitle: 只有文件头\ndate: 2023-05-03\ndraft: true\n---\n",
    )
    .unwrap();
    let failed = build(&root, &tmp.path().join("public"), &[]);
    assert_eq!(failed.status.code(), Some(1));
    assert!(
        stderr(&failed).contains("现在是草稿"),
        "{}",
        stderr(&failed)
    );
}

#[test]
fn drafts_builds_issue_no_codes() {
    let (tmp, root) = copy_site("all-kinds");
    let before = std::fs::read_to_string(root.join("qr.lock")).unwrap();
    assert!(
        build(&root, &tmp.path().join("public"), &["--drafts"])
            .status
            .success()
    );
    assert_eq!(
        std::fs::read_to_string(root.join("qr.lock")).unwrap(),
        before
    );
}

#[test]
fn every_service_has_a_printable_notice_with_a_print_grade_qr() {
    let (_tmp, out) = built("all-kinds");
    let page = read(&out, "ceshi/services/shipin/print/index.html");
    for text in [
        "一次性告知单",
        "食品经营许可证核发",
        "行政许可",
        "测试区市场监督管理局",
        "20个工作日",
        "5个工作日",
        "不收费",
        "0730-1234567",
        "12345",
        "法定代表人身份证",
        "原件及复印件",
        "申请材料清单",
    ] {
        assert!(page.contains(text), "print page lacks {text}");
    }
    assert!(page.contains("width=\"220\" height=\"220\""), "large QR");
    assert!(
        read(&out, "ceshi/services/shipin/index.html")
            .contains("href=\"/ceshi/services/shipin/print/\"")
    );
    assert!(
        !out.join("ceshi/policies/jiaodi/print").exists(),
        "only services get a notice"
    );
    let png = std::fs::read(out.join("ceshi/services/shipin/qr.png")).unwrap();
    assert!(decode_png(&png).starts_with("HTTPS://GK.TEST.GOV.CN/Q/"));
}

#[test]
fn each_column_has_a_qr_sheet() {
    let (_tmp, out) = built("all-kinds");
    let sheet = read(&out, "ceshi/services/qr-sheet/index.html");
    assert!(sheet.contains("<img src=\"/ceshi/services/shipin/qr.svg\""));
    assert!(sheet.contains("食品经营许可证核发") && sheet.contains("https://gk.test.gov.cn/q/"));
    assert!(read(&out, "ceshi/services/index.html").contains("qr-sheet/"));
}

#[test]
fn catalogue_lists_disclosure_items_by_district_topic_and_year() {
    let (_tmp, out) = built("all-kinds");
    let all = read_pages(&out, "catalog");
    assert!(
        all.contains("共 7 条"),
        "3 policies + 1 interpretation + 3 articles"
    );
    for title in [
        "关于推行“交地即交证”的实施意见",
        "一图看懂“交地即交证”",
        "政务直播预告：不动产专场",
    ] {
        assert!(all.contains(title), "{title}");
    }
    assert!(
        !all.contains("食品经营许可证核发"),
        "services are in the service directory"
    );
    assert!(all.contains("测政办发〔2023〕8号") && all.contains("测试区人民政府办公室"));
    let year = read_pages(&out, "catalog/year/2022");
    assert!(
        year.contains("旧办法") && year.contains("到期的通知") && !year.contains("交地即交证</a>")
    );
    assert!(year.contains("废止") && year.contains("失效"));
    let topic = read(&out, "catalog/topic/城乡建设/index.html");
    assert!(topic.contains("关于推行“交地即交证”的实施意见"));
    assert!(all.contains("href=\"/catalog/topic/%E5%9F%8E%E4%B9%A1%E5%BB%BA%E8%AE%BE/\""));
    assert!(read(&out, "ceshi/catalog/index.html").contains("共 7 条"));
    assert!(all.contains("href=\"/ceshi/catalog/\""), "district facet");
}

#[test]
fn service_directory_counts_groups_and_bundles() {
    let (_tmp, out) = built("all-kinds");
    let page = read(&out, "services/index.html");
    assert!(
        page.contains("现行事项 3 项：2 行政许可、1 其他"),
        "withdrawn service not counted as current"
    );
    assert!(page.contains("村民建房一件事") && page.contains("包含："));
    let license = read_pages(&out, "services/type/license");
    assert!(
        license.contains("食品经营许可证核发")
            && license.contains("村民建房审批")
            && license.contains("已撤销")
    );
    let village = read(&out, "services/level/village/index.html");
    assert!(village.contains("1 项：1 行政许可") && village.contains("食品经营许可证核发"));
    assert!(read(&out, "ceshi/service-catalog/index.html").contains("现行事项 3 项"));
    assert!(license.contains("href=\"/ceshi/services/shipin/print/\""));
}

#[test]
fn stats_give_the_annual_report_figures() {
    let (_tmp, out) = built("all-kinds");
    let page = read(&out, "stats/index.html");
    assert!(
        page.contains("现行发布信息共 11 条"),
        "12 published, 1 withdrawn"
    );
    // 2023: one normative document issued, none abolished, one in force.
    let row = page
        .split("<tr")
        .find(|r| r.contains(">2023</th>"))
        .expect(&page);
    let row = &row[..row.find("</tr>").unwrap()];
    let figures: Vec<&str> = row
        .split("</td>")
        .filter_map(|cell| cell.rsplit_once('>').map(|(_, n)| n))
        .collect();
    assert_eq!(figures, ["0", "0", "0", "1", "0", "1"], "{row}");
}

#[test]
fn feeds_parse_as_atom_and_open_data_is_complete() {
    let (_tmp, out) = built("all-kinds");
    for (rel, entries) in [
        ("atom.xml", 12),
        ("ceshi/atom.xml", 12),
        ("ceshi/policies/atom.xml", 3),
        ("ceshi/faq/atom.xml", 1),
    ] {
        let feed = atom_syndication::Feed::read_from(std::io::BufReader::new(
            std::fs::File::open(out.join(rel)).unwrap(),
        ))
        .unwrap_or_else(|e| panic!("{rel}: {e}"));
        assert_eq!(feed.entries().len(), entries, "{rel}");
        assert!(feed.entries().iter().all(|e| {
            e.links()
                .first()
                .is_some_and(|l| l.href().starts_with("https://gk.test.gov.cn/"))
        }));
    }
    let items: serde_json::Value =
        serde_json::from_str(&read(&out, "ceshi/api/items.json")).unwrap();
    let list = items["items"].as_array().unwrap();
    assert_eq!(list.len(), 12);
    let ids: Vec<&str> = list.iter().map(|i| i["id"].as_str().unwrap()).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted, "stable order");
    let policy = list
        .iter()
        .find(|i| i["id"] == "ceshi/policies/guoqi")
        .unwrap();
    assert_eq!(policy["policy"]["validity"], "expired");
    let service = list
        .iter()
        .find(|i| i["id"] == "ceshi/services/shipin")
        .unwrap();
    assert_eq!(
        service["service"]["levels"],
        serde_json::json!(["county", "village"])
    );
    assert_eq!(
        list.iter()
            .find(|i| i["id"] == "ceshi/interpretations/jiedu")
            .unwrap()["interprets"],
        "ceshi/policies/jiaodi"
    );
}

#[test]
fn faq_index_and_upcoming_events_on_the_district_home() {
    let (_tmp, out) = built("all-kinds");
    let index = read(&out, "ceshi/questions/index.html");
    assert!(index.contains("href=\"/ceshi/faq/wenda/#如何办理\""));
    assert!(
        !read(&out, "ceshi/index.html").contains("直播与会议预告"),
        "the event of 2023-05-10 is past on 2024-06-01"
    );
    let tmp = tempfile::tempdir().unwrap();
    let early = tmp.path().join("public");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["build", "--quiet", "--drafts", "--root"])
        .arg(site("all-kinds"))
        .arg("--out")
        .arg(&early)
        .env("SOURCE_DATE_EPOCH", "1683504000") // 2023-05-08
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let home = read(&early, "ceshi/index.html");
    assert!(
        home.contains("直播与会议预告")
            && home.contains("2023-05-10 19:30")
            && home.contains("政务服务中心直播厅")
    );
}

#[test]
fn a_policy_shows_interpretations_with_their_form() {
    let (_tmp, out) = built("all-kinds");
    let page = read(&out, "ceshi/policies/jiaodi/index.html");
    assert!(
        page.contains("图解 · 政策解读"),
        "interpretation listed with its form"
    );
    assert!(read(&out, "ceshi/interpretations/jiedu/index.html").contains("form-graphic"));
    let _ = Path::new("");
}

#[test]
fn comments_in_qr_lock_survive_and_do_not_count_as_changes() {
    let (tmp, root) = copy_site("all-kinds");
    let lock = std::fs::read_to_string(root.join("qr.lock")).unwrap();
    let commented = format!("# 2024 年印制的告知单\n{lock}");
    std::fs::write(root.join("qr.lock"), &commented).unwrap();
    let out = tmp.path().join("public");
    assert!(build(&root, &out, &["--locked"]).status.success());
    std::fs::write(
        root.join("content/ceshi/news/xin.md"),
        "---\ntitle: 新条目\ndate: 2024-01-01\n---\n正文\n",
    )
    .unwrap();
    assert!(build(&root, &out, &[]).status.success());
    let after = std::fs::read_to_string(root.join("qr.lock")).unwrap();
    assert!(after.starts_with("# 2024 年印制的告知单\n"), "{after}");
    assert!(after.contains("ceshi/news/xin"));
}

#[test]
fn scheduled_items_are_registered_before_their_day() {
    let (tmp, root) = copy_site("all-kinds");
    std::fs::write(
        root.join("content/ceshi/news/later.md"),
        "---\ntitle: 预告\ndate: 2024-07-01\n---\n正文\n",
    )
    .unwrap();
    let out = tmp.path().join("public");
    // On 2024-06-01 the item is not published, but its code is issued.
    let first = build(&root, &out, &[]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(!out.join("ceshi/news/later").exists());
    assert!(
        std::fs::read_to_string(root.join("qr.lock"))
            .unwrap()
            .contains("ceshi/news/later")
    );
    // On its day a locked build has nothing new to record.
    let on_the_day = std::process::Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["build", "--quiet", "--locked", "--root"])
        .arg(&root)
        .arg("--out")
        .arg(&out)
        .env("SOURCE_DATE_EPOCH", "1719792000") // 2024-07-01 08:00 Beijing
        .output()
        .unwrap();
    assert!(on_the_day.status.success(), "{}", stderr(&on_the_day));
    assert!(out.join("ceshi/news/later/index.html").exists());
}

#[test]
fn check_warns_about_an_outdated_lock_and_fails_with_locked() {
    let (_tmp, root) = copy_site("all-kinds");
    std::fs::write(
        root.join("content/ceshi/news/xin.md"),
        "---\ntitle: 新条目\ndate: 2024-01-01\n---\n正文\n",
    )
    .unwrap();
    let warned = gongkai(&["check", "--root", root.to_str().unwrap()], &root);
    assert!(warned.status.success());
    assert!(
        stderr(&warned).contains("qr.lock:1:1: 警告: qr.lock 需要更新（新发放 1 个短码）"),
        "{}",
        stderr(&warned)
    );
    let locked = gongkai(
        &["check", "--locked", "--root", root.to_str().unwrap()],
        &root,
    );
    assert_eq!(locked.status.code(), Some(1));
}

#[test]
fn a_renamed_item_without_index_no_gets_a_hint_with_its_old_number() {
    let (tmp, root) = copy_site("all-kinds");
    std::fs::rename(
        root.join("content/ceshi/news/no-body.md"),
        root.join("content/ceshi/news/gaiming.md"),
    )
    .unwrap();
    let failed = build(&root, &tmp.path().join("public"), &[]);
    assert_eq!(failed.status.code(), Some(1));
    let message = stderr(&failed);
    assert!(
        message.contains("原条目 ceshi/news/no-body")
            && message.contains("请在文件头写上原索引号 索引号: \"11430999000000000A/2023-"),
        "{message}"
    );
}

#[test]
fn every_file_of_a_bundle_is_published_beside_the_page() {
    let (_tmp, out) = built("all-kinds");
    assert!(
        out.join("ceshi/policies/jiaodi/tu.svg").exists(),
        "an image the body refers to, not listed as attachment"
    );
    assert!(!out.join("ceshi/policies/jiaodi/index.md").exists());
}
