//! The 政府信息公开工作年度报告 data files (`content/<district>/_annual/<year>.yml`):
//! loaded with the content, checked by every build, kept on the library.
//! (Each arithmetic rule has its case in `tests/cases/annual-*`.)

mod common;

use common::gongkai;
use gongkai::config::Config;
use gongkai::content::annual_report::{Applicant, ApplicationRow, Labelled};
use gongkai::content::library::{self, LoadOptions};
use gongkai::date::Date;
use std::path::Path;

fn demo_report() -> String {
    let valid = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/cases/annual-unknown-district/site/content/nowhere/_annual/2023.yml");
    std::fs::read_to_string(valid).unwrap()
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[test]
fn every_demo_district_has_a_2023_example_report_that_adds_up() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = Config::load(root).unwrap();
    let options = LoadOptions {
        drafts: false,
        today: Date::parse("2024-06-01").unwrap(),
    };
    let library = library::load(root, &config, options).unwrap();
    let found: Vec<(&str, u16)> = library
        .annual_reports
        .iter()
        .map(|r| (r.district.as_str(), r.year))
        .collect();
    let mut districts: Vec<&str> = config.districts.iter().map(|d| d.id.as_str()).collect();
    districts.sort_unstable();
    let expected: Vec<(&str, u16)> = districts.iter().map(|d| (*d, 2023)).collect();
    assert_eq!(found, expected);
    for report in &library.annual_reports {
        assert!(report.example, "{}", report.source);
        let a = &report.applications;
        for column in Applicant::all() {
            let get = |row| a.get(row, column);
            assert_eq!(
                get(ApplicationRow::Received) + get(ApplicationRow::CarriedOver),
                get(ApplicationRow::Total) + get(ApplicationRow::CarriedForward),
                "{} {}",
                report.source,
                column.key()
            );
        }
        assert!(a.get(ApplicationRow::Received, Applicant::Total) > 0);
        assert!(report.proactive.fees.ten_thousandths() > 0);
    }
}

#[test]
fn files_in_the_annual_folder_are_reports_never_items() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    write(
        root,
        "site.toml",
        "title = \"站\"\n[[district]]\nid = \"qu\"\nname = \"区\"\n",
    );
    write(root, "content/qu/_annual/2023.yml", &demo_report());
    let output = gongkai(&["check", "--root", root.to_str().unwrap()], root);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    write(
        root,
        "content/qu/_annual/说明.md",
        "---\ntitle: 说明\ndate: 2024-01-01\n---\n",
    );
    let output = gongkai(&["check", "--root", root.to_str().unwrap()], root);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr.contains("content/qu/_annual/说明.md:1:1: 错误: _annual 目录只放年度报告数据文件"),
        "{stderr}"
    );
    assert!(!stderr.contains("栏目目录"), "{stderr}");
}

#[test]
fn a_folder_with_only_reports_is_not_a_district() {
    // Without site.toml the districts are the folders with content; a
    // report alone does not make one.
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    write(
        root,
        "content/qu/news/a.md",
        "---\ntitle: 一\ndate: 2023-01-01\n---\n",
    );
    write(root, "content/zhen/_annual/2023.yml", &demo_report());
    let output = gongkai(&["check", "--root", root.to_str().unwrap()], root);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("content/zhen/_annual/2023.yml:1:1: 错误: 区县“zhen”不存在"),
        "{stderr}"
    );
}
