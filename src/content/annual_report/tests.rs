//! Tests of reading and checking report files, on small texts edited from
//! one valid report.

use super::*;

pub(super) const VALID: &str = r#"示例: true
发布日期: 2024-01-20
总体情况: |
  2023年，本区认真贯彻落实《中华人民共和国政府信息公开条例》。
主动公开:
  行政许可: 2345
  行政处罚: 156
  行政强制: 12
  行政事业性收费: 1523.46
依申请公开:
  本年新收: {自然人: 30, 商业企业: 5, 科研机构: 0, 社会公益组织: 1, 法律服务机构: 2, 其他: 0, 总计: 38}
  上年结转: {自然人: 2, 商业企业: 0, 科研机构: 0, 社会公益组织: 0, 法律服务机构: 1, 其他: 0, 总计: 3}
  予以公开: {自然人: 12, 商业企业: 2, 科研机构: 0, 社会公益组织: 1, 法律服务机构: 1, 其他: 0, 总计: 16}
  部分公开: {自然人: 3, 商业企业: 1, 科研机构: 0, 社会公益组织: 0, 法律服务机构: 0, 其他: 0, 总计: 4}
  属于国家秘密: 0
  其他法律行政法规禁止公开: 0
  危及“三安全一稳定”: 0
  保护第三方合法权益: {自然人: 1, 商业企业: 0, 科研机构: 0, 社会公益组织: 0, 法律服务机构: 0, 其他: 0, 总计: 1}
  属于三类内部事务信息: 0
  属于四类过程性信息: {自然人: 1, 商业企业: 0, 科研机构: 0, 社会公益组织: 0, 法律服务机构: 0, 其他: 0, 总计: 1}
  属于行政执法案卷: 0
  属于行政查询事项: {自然人: 2, 商业企业: 0, 科研机构: 0, 社会公益组织: 0, 法律服务机构: 0, 其他: 0, 总计: 2}
  本机关不掌握相关政府信息: {自然人: 6, 商业企业: 1, 科研机构: 0, 社会公益组织: 0, 法律服务机构: 1, 其他: 0, 总计: 8}
  没有现成信息需要另行制作: {自然人: 1, 商业企业: 0, 科研机构: 0, 社会公益组织: 0, 法律服务机构: 0, 其他: 0, 总计: 1}
  补正后申请内容仍不明确: 0
  信访举报投诉类申请: {自然人: 2, 商业企业: 0, 科研机构: 0, 社会公益组织: 0, 法律服务机构: 0, 其他: 0, 总计: 2}
  重复申请: {自然人: 1, 商业企业: 0, 科研机构: 0, 社会公益组织: 0, 法律服务机构: 0, 其他: 0, 总计: 1}
  要求提供公开出版物: 0
  无正当理由大量反复申请: 0
  要求行政机关确认或重新出具已获取信息: 0
  逾期不补正: {自然人: 1, 商业企业: 0, 科研机构: 0, 社会公益组织: 0, 法律服务机构: 0, 其他: 0, 总计: 1}
  逾期未缴费: 0
  其他: 0
  总计: {自然人: 30, 商业企业: 4, 科研机构: 0, 社会公益组织: 1, 法律服务机构: 2, 其他: 0, 总计: 37}
  结转下年度: {自然人: 2, 商业企业: 1, 科研机构: 0, 社会公益组织: 0, 法律服务机构: 1, 其他: 0, 总计: 4}
复议诉讼:
  行政复议: {结果维持: 1, 结果纠正: 0, 其他结果: 0, 尚未审结: 0, 总计: 1}
  未经复议直接起诉: {结果维持: 1, 结果纠正: 0, 其他结果: 0, 尚未审结: 1, 总计: 2}
  复议后起诉: 0
存在的主要问题及改进情况: |
  主动公开的深度还不够。
"#;

const PATH: &str = "content/qu/_annual/2023.yml";

fn context() -> Context<'static> {
    Context {
        districts: &["qu", "xian"],
        latest_year: 2024,
    }
}

fn ok(text: &str) -> AnnualReport {
    match parse(PATH, text, &context()) {
        Ok(report) => report,
        Err(diags) => panic!("{diags:#?}"),
    }
}

fn errors(text: &str) -> Vec<Diagnostic> {
    errors_at(PATH, text)
}

fn errors_at(path: &str, text: &str) -> Vec<Diagnostic> {
    match parse(path, text, &context()) {
        Ok(_) => panic!("no error for {path}"),
        Err(diags) => diags,
    }
}

/// `VALID` with the first `from` replaced by `to`.
fn edited(from: &str, to: &str) -> String {
    assert!(VALID.contains(from), "{from}");
    VALID.replacen(from, to, 1)
}

/// Line and column (characters) of the first `needle` after `after`.
fn position(text: &str, after: &str, needle: &str) -> (usize, usize) {
    let start = text.find(after).unwrap();
    let at = start + text[start..].find(needle).unwrap();
    let line = text[..at].matches('\n').count() + 1;
    let line_start = text[..at].rfind('\n').map_or(0, |p| p + 1);
    (line, text[line_start..at].chars().count() + 1)
}

/// The only error of `text`, with its position.
fn only_error(text: &str) -> Diagnostic {
    let diags = errors(text);
    assert_eq!(diags.len(), 1, "{diags:#?}");
    diags.into_iter().next().unwrap()
}

#[test]
fn a_valid_report_reads_completely() {
    let r = ok(VALID);
    assert_eq!((r.district.as_str(), r.year), ("qu", 2023));
    assert!(r.example);
    assert_eq!(r.published, Date::parse("2024-01-20"));
    assert!(r.overview.text.starts_with("2023年"));
    assert_eq!(r.overview.line, 4);
    assert_eq!(r.proactive.licensing, 2345);
    assert_eq!(r.proactive.fees.to_string(), "1523.46");
    assert_eq!(r.other_matters, None);
    let a = &r.applications;
    assert_eq!(a.get(ApplicationRow::Received, Applicant::Total), 38);
    assert_eq!(a.get(ApplicationRow::Withheld, Applicant::NaturalPerson), 4);
    assert_eq!(a.get(ApplicationRow::Unavailable, Applicant::Total), 9);
    assert_eq!(a.get(ApplicationRow::Total, Applicant::Total), 37);
    assert_eq!(
        a.get(ApplicationRow::CarriedForward, Applicant::Business),
        1
    );
    assert_eq!(
        r.reviews.get(ReviewGroup::DirectSuit, ReviewOutcome::Total),
        2
    );
    assert_eq!(
        r.reviews
            .get(ReviewGroup::SuitAfterReview, ReviewOutcome::Upheld),
        0
    );
}

#[test]
fn totals_may_be_left_out_and_are_computed() {
    let text = VALID
        .replace(", 总计: 38}", "}")
        .replace(
            "  总计: {自然人: 30, 商业企业: 4, 科研机构: 0, 社会公益组织: 1, 法律服务机构: 2, 其他: 0, 总计: 37}\n",
            "",
        )
        .replace(", 总计: 2}", "}");
    let r = ok(&text);
    assert_eq!(
        r.applications
            .get(ApplicationRow::Received, Applicant::Total),
        38
    );
    assert_eq!(
        r.applications
            .get(ApplicationRow::Total, Applicant::Business),
        4
    );
    assert_eq!(
        r.reviews.get(ReviewGroup::DirectSuit, ReviewOutcome::Total),
        2
    );
}

#[test]
fn numbering_copied_from_the_official_table_is_accepted() {
    let text = edited("  属于国家秘密: 0", "  1.属于国家秘密: 0")
        .replacen("  总计: {自然人: 30", "  （七）总计: {自然人: 30", 1)
        .replacen("本年新收:", "一、本年新收政府信息公开申请数量:", 1)
        .replacen("依申请公开:", "三、收到和处理政府信息公开申请情况:", 1);
    ok(&text);
}

#[test]
fn a_wrong_total_column_names_row_column_and_sum() {
    let text = edited("其他: 0, 总计: 38}", "其他: 0, 总计: 39}");
    let d = only_error(&text);
    assert_eq!((d.line, d.column), position(&text, "本年新收", "39"));
    assert_eq!(d.field.as_deref(), Some("依申请公开"));
    assert_eq!(
        d.message,
        "行“一、本年新收政府信息公开申请数量”的“总计”应为 38（自然人 30 + 商业企业 5 + 科研机构 0 + 社会公益组织 1 + 法律服务机构 2 + 其他 0），实际填写 39"
    );
}

#[test]
fn a_group_row_written_is_checked_against_its_sub_rows() {
    let text = edited(
        "  属于国家秘密: 0",
        "  不予公开: {自然人: 5, 商业企业: 0, 科研机构: 0, 社会公益组织: 0, 法律服务机构: 0, 其他: 0}\n  属于国家秘密: 0",
    );
    let d = only_error(&text);
    assert_eq!((d.line, d.column), position(&text, "不予公开: {", "5"));
    assert!(
        d.message
            .starts_with("行“（三）不予公开”的“自然人”应为 4（属于国家秘密 0 + "),
        "{}",
        d.message
    );
    assert!(
        d.message.ends_with("属于行政查询事项 2），实际填写 5"),
        "{}",
        d.message
    );
}

#[test]
fn a_wrong_grand_total_row_names_the_six_results() {
    let text = edited("  总计: {自然人: 30,", "  总计: {自然人: 31,");
    // Totals are compared with what the parts give, never with each other:
    // the wrong cell is reported, not the row's 总计 that is right.
    let d = only_error(&text);
    assert_eq!(
        d.message,
        "行“（七）总计”的“自然人”应为 30（予以公开 12 + 部分公开 3 + 不予公开 4 + 无法提供 7 + 不予处理 3 + 其他处理 1），实际填写 31"
    );
    assert_eq!((d.line, d.column), position(&text, "  总计: {", "31"));
}

#[test]
fn a_figure_changed_without_its_totals_is_reported_once_per_total() {
    // 予以公开 gains one (with its row's 总计): （七）总计 is now short by one
    // in 自然人, and the balance no longer holds. The row's own 总计 agrees
    // with its columns as written, so it is not reported as well.
    let text = edited("予以公开: {自然人: 12,", "予以公开: {自然人: 13,").replacen(
        "其他: 0, 总计: 16}",
        "其他: 0, 总计: 17}",
        1,
    );
    let diags = errors(&text);
    assert_eq!(diags.len(), 2, "{diags:#?}");
    assert!(
        diags[0]
            .message
            .starts_with("行“（七）总计”的“自然人”应为 31（予以公开 13 + "),
        "{}",
        diags[0].message
    );
    assert!(
        diags[1].message.ends_with("按此结转下年度应为 1"),
        "{}",
        diags[1].message
    );
}

#[test]
fn the_balance_of_each_column_is_checked() {
    // One more 自然人 application received: 本年新收 and its 总计 change,
    // nothing else does.
    let text = edited("本年新收: {自然人: 30,", "本年新收: {自然人: 31,").replacen(
        "总计: 38}",
        "总计: 39}",
        1,
    );
    let d = only_error(&text);
    assert_eq!((d.line, d.column), position(&text, "结转下年度: {", "2"));
    assert_eq!(
        d.message,
        "行“四、结转下年度继续办理”的“自然人”：本年新收 31 + 上年结转 2 = 33，应等于办理结果（七）总计 30 + 结转下年度 2 = 32；按此结转下年度应为 3"
    );
}

#[test]
fn a_balance_that_cannot_hold_says_so() {
    let text = edited("本年新收: {自然人: 30,", "本年新收: {自然人: 1,").replacen(
        "总计: 38}",
        "总计: 9}",
        1,
    );
    let d = only_error(&text);
    assert!(
        d.message
            .ends_with("办理结果总计已超过新收与上年结转之和，请核对"),
        "{}",
        d.message
    );
}

#[test]
fn a_wrong_review_total_names_the_four_results() {
    let text = edited("尚未审结: 1, 总计: 2}", "尚未审结: 1, 总计: 3}");
    let d = only_error(&text);
    assert_eq!(d.field.as_deref(), Some("复议诉讼"));
    assert_eq!(
        (d.line, d.column),
        position(&text, "未经复议直接起诉", "3}")
    );
    assert_eq!(
        d.message,
        "行“行政诉讼·未经复议直接起诉”的“总计”应为 2（结果维持 1 + 结果纠正 0 + 其他结果 0 + 尚未审结 1），实际填写 3"
    );
}

#[test]
fn counts_must_be_whole_numbers_of_zero_or_more() {
    for (value, says) in [
        ("-1", "-1 是负数：数量不能小于 0"),
        ("2.5", "2.5 不是整数"),
        ("2.0", "2.0 不是整数"),
        ("\"2\"", "“2” 加了引号"),
        ("两件", "“两件” 不是数字"),
        ("", "未填写：没有时请写 0"),
        ("2000000000", "过大"),
    ] {
        let text = edited("  行政强制: 12", &format!("  行政强制: {value}"));
        let d = only_error(&text);
        assert_eq!(d.line, 8, "{value}");
        assert!(d.message.starts_with("“行政强制”："), "{}", d.message);
        assert!(d.message.contains(says), "{value}: {}", d.message);
    }
    let text = edited("本年新收: {自然人: 30,", "本年新收: {自然人: 30.5,");
    let d = &errors(&text)[0];
    assert_eq!((d.line, d.column), position(&text, "本年新收", "30.5"));
    assert_eq!(
        d.message,
        "行“一、本年新收政府信息公开申请数量”的“自然人”：30.5 不是整数：件数、数量只能是 0 或正整数"
    );
}

#[test]
fn amounts_have_at_most_four_decimals_and_are_not_negative() {
    for (value, shown) in [
        ("1523.4600", "1523.46"),
        ("0", "0"),
        ("12", "12"),
        (".5", "0.5"),
        ("0.0001", "0.0001"),
    ] {
        let text = edited(
            "行政事业性收费: 1523.46",
            &format!("行政事业性收费: {value}"),
        );
        assert_eq!(ok(&text).proactive.fees.to_string(), shown, "{value}");
    }
    for (value, says) in [
        (
            "1523.45678",
            "1523.45678 有 5 位小数：金额以万元为单位，最多保留四位小数（即精确到元）",
        ),
        ("-3.5", "-3.5 是负数：金额不能小于 0"),
        ("-3", "-3 是负数"),
        ("1e3", "1e3 不是普通的数字"),
        ("\"12.5\"", "加了引号"),
        ("12万", "不是数字"),
        ("99999999999", "过大"),
    ] {
        let text = edited(
            "行政事业性收费: 1523.46",
            &format!("行政事业性收费: {value}"),
        );
        let d = only_error(&text);
        assert_eq!((d.line, d.column), (9, 12), "{value}");
        assert!(
            d.message.starts_with("“行政事业性收费”（万元）："),
            "{}",
            d.message
        );
        assert!(d.message.contains(says), "{value}: {}", d.message);
    }
}

#[test]
fn unknown_and_repeated_keys_are_errors() {
    let text = edited("  属于国家秘密: 0", "  国家秘密: 0");
    let diags = errors(&text);
    assert_eq!(diags.len(), 2, "{diags:#?}");
    assert_eq!(
        (diags[0].line, diags[0].column),
        position(&text, "依申请公开", "国家秘密")
    );
    assert!(
        diags[0].message.starts_with(
            "“国家秘密”不是年度报告格式中的行；是不是想写“属于国家秘密”？可写：本年新收、"
        ),
        "{}",
        diags[0].message
    );
    assert_eq!(
        diags[1].message,
        "缺少行“1.属于国家秘密”：全部为 0 时可写 属于国家秘密: 0"
    );

    let text = edited(
        "科研机构: 0, 社会公益组织: 1, 法律服务机构: 2",
        "科研院所: 0, 社会公益组织: 1, 法律服务机构: 2",
    );
    let diags = errors(&text);
    assert!(
        diags[0]
            .message
            .starts_with("“科研院所”不是年度报告格式中的列"),
        "{}",
        diags[0].message
    );
    assert!(
        diags[1].message.contains("缺少“科研机构”：没有时填 0"),
        "{}",
        diags[1].message
    );

    let text = edited(
        "  属于国家秘密: 0",
        "  属于国家秘密: 0\n  1.属于国家秘密: 0",
    );
    let d = only_error(&text);
    assert_eq!(d.line, 16);
    assert!(
        d.message.contains("与第 15 行的“属于国家秘密”是同一行"),
        "{}",
        d.message
    );

    let text = edited("示例: true", "示例: true\n年份: 2023");
    assert!(
        only_error(&text)
            .message
            .starts_with("“年份”不是年度报告格式中的项目")
    );

    let text = edited("  行政许可: 2345", "  行政许可: 2345\n  规章: 3");
    assert!(
        only_error(&text)
            .message
            .contains("由网站根据本区县政策文件栏目的条目自动统计")
    );
}

#[test]
fn missing_parts_rows_and_cells_are_named() {
    let cut = VALID.find("复议诉讼:").unwrap();
    let end = VALID.find("存在的主要问题").unwrap();
    let text = format!("{}{}", &VALID[..cut], &VALID[end..]);
    let d = only_error(&text);
    assert_eq!((d.line, d.column), (1, 1));
    assert_eq!(
        d.message,
        "缺少“复议诉讼”（四、政府信息公开行政复议、行政诉讼情况）"
    );

    let text = edited("  逾期未缴费: 0\n", "");
    let d = only_error(&text);
    assert_eq!((d.line, d.column), position(&text, "", "依申请公开"));
    assert!(
        d.message
            .starts_with("缺少行“2.申请人逾期未按收费通知要求缴纳费用"),
        "{}",
        d.message
    );

    let text = edited("  行政强制: 12\n", "");
    assert_eq!(only_error(&text).message, "缺少“行政强制”：没有时填 0");

    let diags = errors("");
    assert_eq!(diags.len(), 5, "{diags:#?}");
    assert!(diags.iter().all(|d| (d.line, d.column) == (1, 1)));
}

#[test]
fn texts_dates_and_flags_are_checked() {
    let text = edited("发布日期: 2024-01-20", "发布日期: 2024年1月20日");
    assert!(only_error(&text).message.contains("不是有效日期"));
    let text = edited("示例: true", "示例: 对");
    assert!(only_error(&text).message.contains("不是 true 或 false"));
    let text = edited("  主动公开的深度还不够。\n", "").replacen(
        "存在的主要问题及改进情况: |",
        "存在的主要问题及改进情况: \"\"",
        1,
    );
    assert!(only_error(&text).message.starts_with("不能为空"));
    let text = edited("依申请公开:\n", "依申请公开: 12\n一些:\n");
    assert!(
        errors(&text)
            .iter()
            .any(|d| d.message.contains("应为“行: 数字”的形式"))
    );
}

#[test]
fn the_file_must_name_a_district_of_the_site_and_a_plausible_year() {
    let diags = errors_at("content/nowhere/_annual/2023.yml", VALID);
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!((diags[0].line, diags[0].column), (1, 1));
    assert_eq!(
        diags[0].message,
        "区县“nowhere”不存在：年度报告应放在已有区县的目录下，已有的区县：qu、xian"
    );
    for file in ["2007.yml", "2025.yml", "23.yml", "report.yml", "02023.yml"] {
        let diags = errors_at(&format!("content/qu/_annual/{file}"), VALID);
        assert!(
            diags[0].message.contains("不是合理的年度"),
            "{file}: {diags:#?}"
        );
    }
    assert_eq!(ok(VALID).year, 2023);
    let yaml = parse("content/xian/_annual/2008.yaml", VALID, &context()).unwrap();
    assert_eq!((yaml.district.as_str(), yaml.year), ("xian", 2008));
    let diags = errors_at("content/qu/_annual/2023.md", VALID);
    assert!(
        diags[0].message.contains("文件名应为 <年度>.yml"),
        "{diags:#?}"
    );
    let diags = errors_at("content/qu/_annual/old/2023.yml", VALID);
    assert!(diags[0].message.contains("不能再有子目录"), "{diags:#?}");
}

#[test]
fn every_problem_of_a_file_in_one_run() {
    let text = edited("  行政强制: 12", "  行政强制: -12")
        .replacen("行政事业性收费: 1523.46", "行政事业性收费: 1523.46789", 1)
        .replacen("其他: 0, 总计: 38}", "其他: 0, 总计: 39}", 1)
        .replacen(
            "复议后起诉: 0",
            "复议后起诉: {结果维持: 1, 结果纠正: 0, 其他结果: 0, 尚未审结: 0, 总计: 0}",
            1,
        );
    let diags = errors_at("content/nowhere/_annual/2099.yml", &text);
    assert_eq!(diags.len(), 6, "{diags:#?}");
}

#[test]
fn yaml_syntax_errors_have_positions() {
    let text = edited("  行政许可: 2345", "  行政许可: [2345");
    let d = only_error(&text);
    assert!(d.line >= 6, "{d:?}");
    assert!(
        d.message.starts_with("年度报告 YAML 格式错误："),
        "{}",
        d.message
    );
}

#[test]
fn report_paths_are_those_in_the_annual_folder() {
    let parts = |p: &str| p.split('/').map(str::to_string).collect::<Vec<_>>();
    assert!(is_report_path(&parts("qu/_annual/2023.yml")));
    assert!(is_report_path(&parts("qu/_annual/x.md")));
    assert!(is_report_path(&parts("qu/_annual/a/b.yml")));
    assert!(!is_report_path(&parts("qu/news/2023.yml")));
    assert!(!is_report_path(&parts("_annual/2023.yml")));
}

#[test]
fn load_reads_files_sorts_and_rejects_two_files_for_one_year() {
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for rel in [
        "content/xian/_annual/2023.yml",
        "content/qu/_annual/2023.yml",
        "content/qu/_annual/2022.yml",
    ] {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, VALID).unwrap();
        files.push(ReportFile {
            path,
            rel: rel.to_string(),
        });
    }
    let (reports, diags) = load(&files, &context());
    assert!(diags.is_empty(), "{diags:#?}");
    let order: Vec<_> = reports
        .iter()
        .map(|r| (r.district.as_str(), r.year))
        .collect();
    assert_eq!(order, [("qu", 2022), ("qu", 2023), ("xian", 2023)]);

    let twin = dir.path().join("content/qu/_annual/2023.yaml");
    std::fs::write(&twin, VALID).unwrap();
    files.push(ReportFile {
        path: twin,
        rel: "content/qu/_annual/2023.yaml".to_string(),
    });
    let (_, diags) = load(&files, &context());
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert!(
        diags[0].message.contains("同一区县同一年度"),
        "{}",
        diags[0].message
    );

    let gbk = dir.path().join("gbk.yml");
    std::fs::write(&gbk, b"\xd5\xfe\xb8\xae: 1\n").unwrap();
    let bad = [ReportFile {
        path: gbk,
        rel: "content/qu/_annual/2021.yml".to_string(),
    }];
    let (_, diags) = load(&bad, &context());
    assert!(diags[0].message.contains("UTF-8"), "{diags:#?}");
}

#[test]
fn report_folder_is_reserved_as_a_column_id() {
    assert!(crate::config::RESERVED_COLUMN_IDS.contains(&super::REPORT_DIR));
}
