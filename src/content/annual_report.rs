//! 政府信息公开工作年度报告: one report per district and year in the 2021
//! national format (国办公开办函〔2021〕30号), read from a YAML file an
//! editor fills in, checked, and kept as typed data for the pages.
//!
//! # The file
//!
//! `content/<district>/_annual/<year>.yml` (or `.yaml`). The district is the
//! folder, the year the file name. Keys are Chinese and match the official
//! table; numbering and quotes copied from it are accepted (`1.属于国家秘密`,
//! `（七）总计`), see [`table::normalize`]:
//!
//! ```yaml
//! 示例: true                 # optional: demonstration figures
//! 发布日期: 2024-01-20        # optional
//! 总体情况: |                 # 一 (Markdown)
//!   …
//! 主动公开:                   # 二: what the policy items cannot give
//!   行政许可: 12034           # 第（五）项 本年处理决定数量
//!   行政处罚: 356             # 第（六）项
//!   行政强制: 12
//!   行政事业性收费: 1523.46    # 第（八）项 本年收费金额（万元）
//! 依申请公开:                 # 三: one line per row of the official table
//!   本年新收: {自然人: 30, 商业企业: 5, 科研机构: 0, 社会公益组织: 1, 法律服务机构: 2, 其他: 0, 总计: 38}
//!   属于国家秘密: 0           # a row of zeros
//!   …
//! 复议诉讼:                   # 四
//!   行政复议: {结果维持: 2, 结果纠正: 1, 其他结果: 0, 尚未审结: 0, 总计: 3}
//!   未经复议直接起诉: 0
//!   复议后起诉: 0
//! 存在的主要问题及改进情况: |  # 五 (Markdown)
//!   …
//! 其他需要报告的事项: |        # 六 (Markdown, optional)
//!   …
//! ```
//!
//! The figures of part 二 for 规章 and 行政规范性文件 are not written: they are
//! counted from the district's policy items ([`policy_figures`]).
//!
//! # The checks
//!
//! Each problem is an error at the `path:line:col` of the value concerned,
//! all of a file's problems in one run: an unknown or repeated key; a
//! missing part, row or cell; a count that is not a whole number of zero
//! or more; a 万元 amount that is negative or has more than four decimals;
//! a district that does not exist; a year outside 2008 and the current
//! year; and the arithmetic (module `check`): every 总计 column, the group
//! rows （三）–（六） and （七）总计, and for each applicant column 本年新收 +
//! 上年结转 = （七）总计 + 结转下年度; in table 四 总计 = the four results.
//! Totals may be left out: they are then computed.

mod article20;
mod check;
mod policy;
mod read;
mod rows;
pub mod table;

pub use article20::{DisclosureItem, parse_disclosure_items};
pub use policy::{DocFigures, POLICY_FIGURES_RULE, PolicyFigures, PolicyRecord, policy_figures};
pub use rows::ApplicationRow;
pub use table::{Applicant, Labelled, ProactiveField, ReviewGroup, ReviewOutcome};

use crate::content::{source, yaml};
use crate::date::Date;
use crate::diag::Diagnostic;
use rows::APPLICATION_ROWS;
use std::fmt;
use std::path::PathBuf;
use table::{APPLICANTS, Part, REVIEW_GROUPS, REVIEW_OUTCOMES};

/// The folder of a district's reports, beside its columns.
pub const REPORT_DIR: &str = "_annual";
/// The first year a report can be for: the 条例 took effect in 2008.
pub const FIRST_YEAR: u16 = 2008;
/// What a report page says when its file has `示例: true`.
pub const EXAMPLE_NOTICE: &str = "本报告数据为演示示例";

/// One district's report for one year, checked and complete.
#[derive(Debug, Clone, PartialEq)]
pub struct AnnualReport {
    /// The district's id (its folder under `content/`).
    pub district: String,
    /// The year reported on.
    pub year: u16,
    /// The file, relative to the site root, for messages.
    pub source: String,
    /// `示例: true`: the figures are a demonstration ([`EXAMPLE_NOTICE`]).
    pub example: bool,
    /// 发布日期, when given.
    pub published: Option<Date>,
    /// 一、总体情况.
    pub overview: MarkdownPart,
    /// 二, the figures not counted from items.
    pub proactive: ProactiveFigures,
    /// 三, with every total filled in.
    pub applications: ApplicationTable,
    /// 四, with every total filled in.
    pub reviews: ReviewTable,
    /// 五、存在的主要问题及改进情况.
    pub problems: MarkdownPart,
    /// 六、其他需要报告的事项 (the page shows 无。 when absent).
    pub other_matters: Option<MarkdownPart>,
}

/// A Markdown text of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkdownPart {
    /// The Markdown.
    pub text: String,
    /// The file line where it starts.
    pub line: usize,
}

/// Part 二's figures from the file (第二十条第（五）、（六）、（八）项).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProactiveFigures {
    /// 行政许可 本年处理决定数量.
    pub licensing: u64,
    /// 行政处罚 本年处理决定数量.
    pub penalties: u64,
    /// 行政强制 本年处理决定数量.
    pub enforcement: u64,
    /// 行政事业性收费 本年收费金额.
    pub fees: Amount,
}

/// An amount in 万元, exact to four decimals (one 元).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Amount {
    ten_thousandths: u64,
}

impl Amount {
    /// The amount of `n` ten-thousandths of a 万元 (that is, `n` 元).
    pub fn from_ten_thousandths(n: u64) -> Amount {
        Amount { ten_thousandths: n }
    }

    /// The amount in ten-thousandths of a 万元 (元).
    pub fn ten_thousandths(self) -> u64 {
        self.ten_thousandths
    }
}

impl fmt::Display for Amount {
    /// In 万元 without trailing zeros: `1523.46`, `12`, `0.0001`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let whole = self.ten_thousandths / 10_000;
        let fraction = format!("{:04}", self.ten_thousandths % 10_000);
        let fraction = fraction.trim_end_matches('0');
        if fraction.is_empty() {
            write!(f, "{whole}")
        } else {
            write!(f, "{whole}.{fraction}")
        }
    }
}

/// Table 三, every cell known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationTable {
    cells: [[u64; APPLICANTS]; APPLICATION_ROWS],
}

impl ApplicationTable {
    /// The figure of a row and column (totals and group rows included).
    pub fn get(&self, row: ApplicationRow, column: Applicant) -> u64 {
        self.cells[row.index()][column.index()]
    }
}

/// Table 四, every cell known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewTable {
    cells: [[u64; REVIEW_OUTCOMES]; REVIEW_GROUPS],
}

impl ReviewTable {
    /// The figure of a group and result (总计 included).
    pub fn get(&self, group: ReviewGroup, outcome: ReviewOutcome) -> u64 {
        self.cells[group.index()][outcome.index()]
    }
}

/// A report file found under `content/`.
#[derive(Debug, Clone)]
pub struct ReportFile {
    /// Where to read it.
    pub path: PathBuf,
    /// The path relative to the site root, with forward slashes.
    pub rel: String,
}

/// What a report is checked against.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The ids of the site's districts.
    pub districts: &'a [&'a str],
    /// The latest year a report may be for (the current year).
    pub latest_year: u16,
}

/// True for a file under `content/` (`parts` are the components below it)
/// that belongs to the reports: anything in `<district>/_annual/`.
pub fn is_report_path(parts: &[String]) -> bool {
    parts.len() >= 3 && parts[1] == REPORT_DIR
}

/// Read and check every report file; the reports sorted by district and
/// year, and every problem found.
pub fn load(files: &[ReportFile], context: &Context) -> (Vec<AnnualReport>, Vec<Diagnostic>) {
    let mut reports: Vec<AnnualReport> = Vec::new();
    let mut diags = Vec::new();
    for file in files {
        let text = std::fs::read(&file.path)
            .map_err(|e| Diagnostic::error(&file.rel, 1, 1, format!("无法读取：{e}")))
            .and_then(|bytes| source::decode(&file.rel, &bytes));
        let parsed = match text {
            Ok(text) => parse(&file.rel, &text, context),
            Err(d) => Err(vec![d]),
        };
        match parsed {
            Ok(report) => {
                if let Some(first) = reports
                    .iter()
                    .find(|r| r.district == report.district && r.year == report.year)
                {
                    let message = format!(
                        "与 {} 是同一区县同一年度的报告：每个年度只能有一个文件",
                        first.source
                    );
                    diags.push(Diagnostic::error(&file.rel, 1, 1, message));
                }
                reports.push(report);
            }
            Err(problems) => diags.extend(problems),
        }
    }
    reports.sort_by(|a, b| (&a.district, a.year).cmp(&(&b.district, b.year)));
    (reports, diags)
}

/// Parse and check one report file: `rel` is its path relative to the site
/// root (`content/<district>/_annual/<year>.yml`), `text` its contents.
pub fn parse(rel: &str, text: &str, context: &Context) -> Result<AnnualReport, Vec<Diagnostic>> {
    let mut diags = Vec::new();
    let (district, year) = match locate(rel, context) {
        Ok(found) => found,
        Err(problems) => {
            let fatal = problems.iter().any(|(fatal, _)| *fatal);
            diags.extend(problems.into_iter().map(|(_, d)| d));
            if fatal {
                return Err(diags);
            }
            (String::new(), 0)
        }
    };
    let root = yaml::parse(text).map_err(|e| {
        let message = format!("年度报告 YAML 格式错误：{}", e.message);
        let mut all = diags.clone();
        all.push(Diagnostic::error(rel, e.line, e.column, message));
        all
    })?;
    let (written, problems) = read::read(rel, text, &root);
    diags.extend(problems);
    let applications = written.applications.as_ref().and_then(|grid| {
        let field = Part::Applications.key();
        let values = check::table::<ApplicationRow, Applicant, APPLICATION_ROWS, APPLICANTS>(
            rel, field, grid, &mut diags,
        );
        check::balance(rel, field, grid, &values, &mut diags);
        check::known(&values)
    });
    let reviews = written.reviews.as_ref().and_then(|grid| {
        let field = Part::Reviews.key();
        let values = check::table::<ReviewGroup, ReviewOutcome, REVIEW_GROUPS, REVIEW_OUTCOMES>(
            rel, field, grid, &mut diags,
        );
        check::known(&values)
    });
    if !diags.is_empty() {
        return Err(diags);
    }
    assemble(written, district, year, rel, applications, reviews).ok_or_else(|| {
        // Everything missing was reported by `read`; this is a safety net.
        vec![Diagnostic::error(rel, 1, 1, "年度报告不完整")]
    })
}

fn assemble(
    written: read::Written,
    district: String,
    year: u16,
    rel: &str,
    applications: Option<[[u64; APPLICANTS]; APPLICATION_ROWS]>,
    reviews: Option<[[u64; REVIEW_OUTCOMES]; REVIEW_GROUPS]>,
) -> Option<AnnualReport> {
    let [licensing, penalties, enforcement] = written.proactive;
    Some(AnnualReport {
        district,
        year,
        source: rel.to_string(),
        example: written.example,
        published: written.published,
        overview: written.overview?,
        proactive: ProactiveFigures {
            licensing: licensing?.value,
            penalties: penalties?.value,
            enforcement: enforcement?.value,
            fees: written.fees?.value,
        },
        applications: ApplicationTable {
            cells: applications?,
        },
        reviews: ReviewTable { cells: reviews? },
        problems: written.problems?,
        other_matters: written.other_matters,
    })
}

/// The district and year a report file is for, from its path; problems
/// flagged `true` when the file cannot be a report at all.
fn locate(rel: &str, context: &Context) -> Result<(String, u16), Vec<(bool, Diagnostic)>> {
    let error = |message: String| Diagnostic::error(rel, 1, 1, message);
    let parts: Vec<&str> = rel
        .strip_prefix("content/")
        .unwrap_or(rel)
        .split('/')
        .collect();
    let [district, _, file] = parts[..] else {
        let message = format!(
            "{REPORT_DIR} 目录里不能再有子目录：年度报告应放在 content/<区县>/{REPORT_DIR}/<年度>.yml"
        );
        return Err(vec![(true, error(message))]);
    };
    let Some(stem) = file
        .strip_suffix(".yml")
        .or_else(|| file.strip_suffix(".yaml"))
    else {
        let message =
            format!("{REPORT_DIR} 目录只放年度报告数据文件，文件名应为 <年度>.yml，例如 2023.yml");
        return Err(vec![(true, error(message))]);
    };
    let mut problems = Vec::new();
    let year = stem
        .parse::<u16>()
        .ok()
        .filter(|y| stem.len() == 4 && *y > 0);
    match year {
        Some(y) if (FIRST_YEAR..=context.latest_year).contains(&y) => {}
        _ => {
            let message = format!(
                "文件名“{file}”不是合理的年度：应为 {FIRST_YEAR} 至 {} 之间的年份，例如 2023.yml",
                context.latest_year
            );
            problems.push((false, error(message)));
        }
    }
    if !context.districts.contains(&district) {
        let message = format!(
            "区县“{district}”不存在：年度报告应放在已有区县的目录下，已有的区县：{}",
            context.districts.join("、")
        );
        problems.push((false, error(message)));
    }
    if problems.is_empty() {
        Ok((district.to_string(), year.unwrap_or(0)))
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests;
