//! Reading the positioned YAML tree of a report file into the figures as
//! written, each with its file line and column: keys matched against the
//! fixed rows and columns, values checked one by one (whole numbers, 万元
//! amounts with at most four decimals, texts, dates). Sums are checked
//! afterwards (`check`), on what this step could read.

use super::rows::{APPLICATION_ROWS, ApplicationRow};
use super::table::{
    APPLICANTS, Applicant, Labelled, Part, ProactiveField, REVIEW_GROUPS, REVIEW_OUTCOMES,
    ReviewGroup, ReviewOutcome, normalize,
};
use super::{Amount, MarkdownPart};
use crate::content::fields::{Pos, edit_distance};
use crate::content::yaml::{Node, Value};
use crate::date::Date;
use crate::diag::Diagnostic;

/// The largest count accepted: anything above is a typing mistake, and the
/// bound keeps every sum far from overflowing.
pub(super) const MAX_COUNT: u64 = 1_000_000_000;
/// The largest amount accepted, in 万元.
const MAX_AMOUNT: u64 = 1_000_000_000;

/// A count with its position.
pub(super) type Cell = Pos<u64>;

/// One row of a table as written.
pub(super) struct Row<const C: usize> {
    /// Position of the row's value (a mapping, or the `0` shorthand).
    pub at: (usize, usize),
    /// The cells written, by column index.
    pub cells: [Option<Cell>; C],
}

/// A table as written: its rows by row index.
pub(super) struct Grid<const R: usize, const C: usize> {
    /// The rows written.
    pub rows: [Option<Row<C>>; R],
}

/// Table 三 as written.
pub(super) type ApplicationGrid = Grid<APPLICATION_ROWS, APPLICANTS>;
/// Table 四 as written.
pub(super) type ReviewGrid = Grid<REVIEW_GROUPS, REVIEW_OUTCOMES>;

/// Everything a report file gave, as far as it could be read.
#[derive(Default)]
pub(super) struct Written {
    pub example: bool,
    pub published: Option<Date>,
    pub overview: Option<MarkdownPart>,
    pub problems: Option<MarkdownPart>,
    pub other_matters: Option<MarkdownPart>,
    /// Counts of part 二 by [`ProactiveField`] index (the fees are apart).
    pub proactive: [Option<Cell>; 3],
    pub fees: Option<Pos<Amount>>,
    pub applications: Option<ApplicationGrid>,
    pub reviews: Option<ReviewGrid>,
}

/// Reads one file, recording a diagnostic for every problem.
pub(super) struct Reader<'a> {
    path: &'a str,
    lines: Vec<&'a str>,
    /// Problems found so far.
    pub diags: Vec<Diagnostic>,
}

/// Read the tree `root` of the file `path` whose text is `text`.
pub(super) fn read(path: &str, text: &str, root: &Node) -> (Written, Vec<Diagnostic>) {
    let mut reader = Reader {
        path,
        lines: text.lines().collect(),
        diags: Vec::new(),
    };
    let mut written = Written::default();
    if !matches!(root.value, Value::Map(_)) {
        let message = "年度报告应为“项目: 内容”的形式，例如 总体情况: |（见编辑指南）";
        reader.error(root, "", message.to_string());
        return (written, reader.diags);
    }
    let parts = reader.entries::<Part>(root, "", "项目");
    for (part, key, value) in &parts {
        reader.part(&mut written, *part, key, value);
    }
    for part in [
        Part::Overview,
        Part::Proactive,
        Part::Applications,
        Part::Reviews,
        Part::Problems,
    ] {
        if !parts.iter().any(|(p, _, _)| *p == part) {
            let message = format!("缺少“{}”（{}）", part.key(), part.label());
            reader
                .diags
                .push(Diagnostic::error(path, 1, 1, message).with_field(part.key()));
        }
    }
    (written, reader.diags)
}

impl<'a> Reader<'a> {
    fn error(&mut self, node: &Node, field: &str, message: String) {
        let mut d = Diagnostic::error(self.path, node.line, node.column, message);
        if !field.is_empty() {
            d = d.with_field(field);
        }
        self.diags.push(d);
    }

    /// The entries of a mapping whose keys are values of `T`; unknown and
    /// repeated keys are reported (`what` names a key: 行, 列, 项目).
    fn entries<'n, T: Labelled>(
        &mut self,
        node: &'n Node,
        field: &str,
        what: &str,
    ) -> Vec<(T, &'n Node, &'n Node)> {
        let Value::Map(pairs) = &node.value else {
            let message = format!("应为“{what}: 数字”的形式，实际是{}", node.value.type_name());
            self.error(node, field, message);
            return Vec::new();
        };
        let mut found: Vec<(T, &Node, &Node)> = Vec::new();
        for (key, value) in pairs {
            let text = key.value.as_text().unwrap_or_default();
            let Some(known) = T::find(&text) else {
                let message = unknown_key::<T>(&text, what);
                self.error(key, field, message);
                continue;
            };
            if let Some((_, first, _)) = found.iter().find(|(t, _, _)| *t == known) {
                let first_text = first.value.as_text().unwrap_or_default();
                let message = format!(
                    "“{text}”与第 {} 行的“{first_text}”是同一{what}（{}），只能写一次",
                    first.line,
                    known.label()
                );
                self.error(key, field, message);
                continue;
            }
            found.push((known, key, value));
        }
        found
    }

    fn part(&mut self, written: &mut Written, part: Part, key: &Node, value: &Node) {
        let field = part.key();
        match part {
            Part::Example => written.example = self.boolean(field, value),
            Part::Published => written.published = self.date(field, value),
            Part::Overview => written.overview = self.markdown(field, value),
            Part::Problems => written.problems = self.markdown(field, value),
            Part::OtherMatters => written.other_matters = self.markdown(field, value),
            Part::Proactive => self.proactive(written, key, value),
            Part::Applications => {
                written.applications = Some(
                    self.grid::<ApplicationRow, Applicant, APPLICATION_ROWS, APPLICANTS>(
                        field, key, value,
                    ),
                );
            }
            Part::Reviews => {
                written.reviews = Some(
                    self.grid::<ReviewGroup, ReviewOutcome, REVIEW_GROUPS, REVIEW_OUTCOMES>(
                        field, key, value,
                    ),
                );
            }
        }
    }

    fn boolean(&mut self, field: &str, node: &Node) -> bool {
        match &node.value {
            Value::Bool(b) => *b,
            Value::Str(s) if s == "是" => true,
            Value::Str(s) if s == "否" => false,
            other => {
                let shown = shown(other);
                self.error(
                    node,
                    field,
                    format!("{shown} 不是 true 或 false（也可写 是 / 否）"),
                );
                false
            }
        }
    }

    fn date(&mut self, field: &str, node: &Node) -> Option<Date> {
        let parsed = match &node.value {
            Value::Str(s) => Date::parse(s.trim()),
            _ => None,
        };
        if parsed.is_none() {
            let message = format!(
                "{} 不是有效日期：请写成 YYYY-MM-DD，例如 2024-01-20",
                shown(&node.value)
            );
            self.error(node, field, message);
        }
        parsed
    }

    fn markdown(&mut self, field: &str, node: &Node) -> Option<MarkdownPart> {
        match &node.value {
            Value::Str(text) if !text.trim().is_empty() => Some(MarkdownPart {
                text: text.clone(),
                line: node.line,
            }),
            Value::Str(_) | Value::Null => {
                let message = "不能为空：没有需要报告的内容时写“无。”".to_string();
                self.error(node, field, message);
                None
            }
            other => {
                let message = format!(
                    "应为文字（Markdown，多段时写 | 后换行缩进），实际是{}",
                    other.type_name()
                );
                self.error(node, field, message);
                None
            }
        }
    }

    fn proactive(&mut self, written: &mut Written, key: &Node, node: &Node) {
        let field = Part::Proactive.key();
        let entries = self.entries::<ProactiveField>(node, field, "项目");
        for (item, _, value) in &entries {
            let name = format!("“{}”", item.key());
            match item {
                ProactiveField::Fees => written.fees = self.amount(field, &name, value),
                _ => written.proactive[item.index()] = self.count(field, &name, value),
            }
        }
        if !matches!(node.value, Value::Map(_)) {
            return; // reported by `entries`
        }
        for item in ProactiveField::all() {
            if !entries.iter().any(|(i, _, _)| *i == item) {
                let message = format!("缺少“{}”：没有时填 0", item.key());
                self.error(key, field, message);
            }
        }
    }

    /// A table of rows `T` and columns `U`; `0` stands for a row of zeros.
    fn grid<T: Labelled, U: Labelled, const R: usize, const C: usize>(
        &mut self,
        field: &str,
        key: &Node,
        node: &Node,
    ) -> Grid<R, C> {
        let mut grid = Grid {
            rows: std::array::from_fn(|_| None),
        };
        let entries = self.entries::<T>(node, field, "行");
        for (row, _, value) in &entries {
            grid.rows[row.index()] = Some(self.row::<U, C>(field, &row_name(*row), value));
        }
        if !matches!(node.value, Value::Map(_)) {
            return grid; // reported by `entries`
        }
        let missing: Vec<T> = T::all()
            .into_iter()
            .filter(|r| !r.is_computed() && grid.rows[r.index()].is_none())
            .collect();
        for row in missing {
            let message = format!("缺少行“{}”：全部为 0 时可写 {}: 0", row.label(), row.key());
            self.error(key, field, message);
        }
        grid
    }

    fn row<U: Labelled, const C: usize>(&mut self, field: &str, row: &str, node: &Node) -> Row<C> {
        let mut cells: [Option<Cell>; C] = std::array::from_fn(|_| None);
        if node.value == Value::Int(0) {
            for column in U::all().into_iter().filter(|c| !c.is_computed()) {
                cells[column.index()] = Some(position(node, 0));
            }
        } else if let Value::Map(_) = node.value {
            let entries = self.entries::<U>(node, field, "列");
            for (column, _, value) in &entries {
                let name = format!("{row}的“{}”", column.key());
                cells[column.index()] = self.count(field, &name, value);
            }
            for column in U::all() {
                let written = entries.iter().any(|(c, _, _)| *c == column);
                if !written && !column.is_computed() {
                    let message = format!("{row}缺少“{}”：没有时填 0", column.key());
                    self.error(node, field, message);
                }
            }
        } else {
            let example: Vec<String> = U::all().iter().map(|c| format!("{}: 0", c.key())).collect();
            let message = format!(
                "{row}应写成 {{{}}}，全部为 0 时可只写 0；实际是{}",
                example.join(", "),
                shown(&node.value)
            );
            self.error(node, field, message);
        }
        Row {
            at: (node.line, node.column),
            cells,
        }
    }

    /// A count: a whole number, zero or more.
    fn count(&mut self, field: &str, name: &str, node: &Node) -> Option<Cell> {
        let problem = match &node.value {
            Value::Int(n) if *n < 0 => format!("{n} 是负数：数量不能小于 0"),
            Value::Int(n) if *n as u64 > MAX_COUNT => {
                format!("{n} 过大（超过 10 亿）：请核对")
            }
            Value::Int(n) => return Some(position(node, *n as u64)),
            Value::Float(_) => {
                let raw = self.raw_token(node);
                format!("{raw} 不是整数：件数、数量只能是 0 或正整数")
            }
            other => not_a_number(other, "12"),
        };
        self.error(node, field, format!("{name}：{problem}"));
        None
    }

    /// An amount in 万元: zero or more, at most four decimals.
    fn amount(&mut self, field: &str, name: &str, node: &Node) -> Option<Pos<Amount>> {
        let parsed = match &node.value {
            Value::Int(_) | Value::Float(_) => parse_amount(self.raw_token(node)),
            other => Err(not_a_number(other, "1523.46")),
        };
        match parsed {
            Ok(amount) => Some(Pos {
                value: amount,
                line: node.line,
                column: node.column,
            }),
            Err(problem) => {
                self.error(node, field, format!("{name}（万元）：{problem}"));
                None
            }
        }
    }

    /// The text of a plain scalar as written, from its position.
    fn raw_token(&self, node: &Node) -> &'a str {
        let line = self
            .lines
            .get(node.line.wrapping_sub(1))
            .copied()
            .unwrap_or("");
        let start = line
            .char_indices()
            .nth(node.column.saturating_sub(1))
            .map_or(line.len(), |(i, _)| i);
        let rest = &line[start..];
        let end = rest
            .find(|c: char| c.is_whitespace() || ",}]#".contains(c))
            .unwrap_or(rest.len());
        &rest[..end]
    }
}

/// An amount in 万元 as written (`1523.46`, `0`, `12.5000`), exactly: no
/// floating point in between, so the count of decimals is the editor's.
pub(super) fn parse_amount(raw: &str) -> Result<Amount, String> {
    let (negative, digits) = match raw.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, raw.strip_prefix('+').unwrap_or(raw)),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let plain = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !plain(whole) || !plain(fraction) || (whole.is_empty() && fraction.is_empty()) {
        return Err(format!("{raw} 不是普通的数字：请写成 1523.46 这样的形式"));
    }
    let fraction = fraction.trim_end_matches('0');
    let whole = whole.trim_start_matches('0');
    if negative && !(whole.is_empty() && fraction.is_empty()) {
        return Err(format!("{raw} 是负数：金额不能小于 0"));
    }
    if fraction.len() > 4 {
        return Err(format!(
            "{raw} 有 {} 位小数：金额以万元为单位，最多保留四位小数（即精确到元）",
            fraction.len()
        ));
    }
    if whole.len() > 10 || whole.parse::<u64>().unwrap_or(0) > MAX_AMOUNT {
        return Err(format!(
            "{raw} 过大（超过 10 亿万元）：请核对单位是否为万元"
        ));
    }
    let value = format!("{whole}{fraction:0<4}").parse::<u64>().unwrap_or(0);
    Ok(Amount::from_ten_thousandths(value))
}

fn position(node: &Node, value: u64) -> Cell {
    Pos {
        value,
        line: node.line,
        column: node.column,
    }
}

/// A row named in messages: `行“一、本年新收政府信息公开申请数量”`.
pub(super) fn row_name<T: Labelled>(row: T) -> String {
    format!("行“{}”", row.full_label())
}

fn not_a_number(value: &Value, example: &str) -> String {
    match value {
        Value::Null => "未填写：没有时请写 0".to_string(),
        Value::Str(s) if s.trim().parse::<f64>().is_ok() => {
            format!("“{s}” 加了引号：数字请直接写，不加引号")
        }
        other => format!("{} 不是数字：请写阿拉伯数字，例如 {example}", shown(other)),
    }
}

fn shown(value: &Value) -> String {
    value
        .as_text()
        .map_or_else(|| value.type_name().to_string(), |t| format!("“{t}”"))
}

fn unknown_key<T: Labelled>(written: &str, what: &str) -> String {
    let wanted = normalize(written);
    if ["规章", "行政规范性文件", "规范性文件"].contains(&wanted.as_str()) {
        return format!(
            "“{written}”的件数由网站根据本区县政策文件栏目的条目自动统计，不需要填写：请删除这一行"
        );
    }
    let nearest = T::all()
        .into_iter()
        .map(|v| (edit_distance(&wanted, &normalize(v.key())), v))
        .filter(|(d, _)| *d <= 2 && *d < wanted.chars().count())
        .min_by_key(|(d, _)| *d);
    let hint = nearest.map_or(String::new(), |(_, v)| format!("是不是想写“{}”？", v.key()));
    format!(
        "“{written}”不是年度报告格式中的{what}；{hint}可写：{}",
        T::keys()
    )
}
