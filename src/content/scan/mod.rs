//! A line-by-line look at front-matter text for the mistakes editors make
//! when they type YAML by hand: a full-width colon or no space after a key,
//! a tab, a value that starts with a YAML symbol, a quote or bracket never
//! closed, a list item without `- `, indentation that does not line up.
//!
//! The YAML parser stops at the first of these, often a line later and in
//! English. This scan finds every one at its exact place, and repairs the
//! text so that the parser can go on and the file's other problems (a bad
//! date, an unknown key) are found in the same run.
//!
//! Findings are of two sorts. *Definite* ones are mistakes whatever the
//! parser makes of the line (a tab after a colon is valid YAML, but never
//! what an editor meant). *Layout* ones (indentation that does not line
//! up, a line that is neither `key: value` nor `- item`) are hints, used
//! only when the parser fails at or after them, in place of its message.
//! Columns count characters, as every diagnostic does.

use super::front::{is_field_key, is_list_field};
use repair::apply;
use text::{Sep, SepKind, WIDE_SPACE, find_sep, is_blank, stray_tabs};

const TAB_WIDTH: usize = 4;

/// One mistake, at a line of the YAML text and a character column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Line within the YAML text (1-based).
    pub line: usize,
    /// Column within the line, in characters (1-based).
    pub column: usize,
    /// What is wrong and how to fix it, in Chinese.
    pub message: String,
}

/// What the scan found, and the text with its definite mistakes repaired.
#[derive(Debug, Default)]
pub struct Scan {
    /// Mistakes whatever the parser says.
    pub definite: Vec<Finding>,
    /// Hints to explain a parser error at or after them.
    pub layout: Vec<Finding>,
    /// The text with the definite mistakes repaired where possible.
    pub repaired: String,
    /// True when a repair is a guess (how wide a tab was meant to be) or a
    /// mistake could not be repaired: the parser's error on the repaired
    /// text may then be a consequence, not a problem of its own.
    pub guessed: bool,
    /// For each repaired line, the original column of each of its characters.
    columns: Vec<Option<Vec<usize>>>,
}

impl Scan {
    /// The column in the original text of `column` on `line` of the repaired text.
    pub fn original_column(&self, line: usize, column: usize) -> usize {
        let map = match self.columns.get(line.wrapping_sub(1)) {
            Some(Some(map)) if column >= 1 => map,
            _ => return column,
        };
        match map.get(column - 1) {
            Some(&c) => c,
            // Past the end: count on from the end of the original line.
            None => map.last().map_or(column, |&end| end + column - map.len()),
        }
    }
}

/// Scan front-matter text (LF line endings).
pub fn scan(text: &str) -> Scan {
    let mut scanner = Scanner {
        lines: text.lines().map(|l| l.chars().collect()).collect(),
        ..Scanner::default()
    };
    for n in 0..scanner.lines.len() {
        scanner.line(n);
    }
    scanner.finish(text)
}

/// One line being scanned: its index and its characters.
#[derive(Clone, Copy)]
struct Line<'a> {
    n: usize,
    chars: &'a [char],
}

/// A change to one line: `remove` characters at `at` replaced by `insert`.
#[derive(Debug)]
struct Edit {
    line: usize,
    at: usize,
    remove: usize,
    insert: String,
}

/// What the text is inside of at the start of a line.
#[derive(Debug, Default)]
enum Mode {
    #[default]
    Normal,
    /// A quoted scalar opened at (`line`, `at`) not yet closed; `last` is
    /// its last line so far; lines at `owner` indentation or less end it.
    Quoted {
        quote: char,
        line: usize,
        at: usize,
        owner: usize,
        last: usize,
    },
    /// A block scalar (`|`, `>`): lines indented more than `owner`.
    Block { owner: usize },
    /// A flow collection (`[`, `{`) opened at (`line`, `at`), not yet closed.
    Flow {
        open: Vec<char>,
        line: usize,
        at: usize,
        owner: usize,
        last: usize,
    },
}

/// One open level of block structure.
#[derive(Debug, Clone)]
struct Level {
    indent: usize,
    seq: bool,
    line: usize,
    key: String,
}

/// What the previous significant line leaves open.
#[derive(Debug, Default)]
struct Prev {
    /// A key (or `-`) with nothing after it: the next line may be deeper.
    opens: Option<Level>,
    /// A plain value: lines indented more than this continue it.
    scalar_above: Option<usize>,
}

/// A list field whose value is on the following lines.
#[derive(Debug)]
struct ListParent {
    key: String,
    indent: usize,
    /// Lines under it without `- `: (line, column index).
    plain: Vec<(usize, usize)>,
}

/// An anchor (`&name`) or alias (`*name`) at the start of a value.
#[derive(Debug)]
struct Mark {
    alias: bool,
    name: String,
    line: usize,
    at: usize,
    end: usize,
    key: String,
}

#[derive(Default)]
struct Scanner {
    lines: Vec<Vec<char>>,
    mode: Mode,
    levels: Vec<Level>,
    prev: Prev,
    list: Option<ListParent>,
    marks: Vec<Mark>,
    definite: Vec<Finding>,
    layout: Vec<Finding>,
    guessed: bool,
    edits: Vec<Edit>,
}

impl Scanner {
    fn definite(&mut self, line: usize, at: usize, message: String) {
        self.definite.push(Finding {
            line: line + 1,
            column: at + 1,
            message,
        });
    }

    fn hint(&mut self, line: usize, at: usize, message: String) {
        self.layout.push(Finding {
            line: line + 1,
            column: at + 1,
            message,
        });
    }

    fn edit(&mut self, line: usize, at: usize, remove: usize, insert: &str) {
        self.edits.push(Edit {
            line,
            at,
            remove,
            insert: insert.to_string(),
        });
    }

    fn line(&mut self, n: usize) {
        let chars = std::mem::take(&mut self.lines[n]);
        let consumed = match self.mode {
            Mode::Normal => false,
            Mode::Quoted { .. } => self.in_quote(Line { n, chars: &chars }),
            Mode::Block { owner } => {
                let (indent, start) = indentation(&chars);
                let inside = start == chars.len() || indent > owner;
                if inside {
                    // The text may start with full-width spaces, never with a tab.
                    let lead = chars.iter().take_while(|&&c| is_blank(c)).count();
                    self.indent_tabs(n, &chars[..lead]);
                } else {
                    self.mode = Mode::Normal;
                }
                inside
            }
            Mode::Flow { .. } => self.in_flow(Line { n, chars: &chars }),
        };
        if !consumed {
            self.normal(Line { n, chars: &chars });
        }
        self.lines[n] = chars;
    }

    /// The characters of line `n` (the current line is taken out while it is scanned).
    fn line_chars(&self, n: usize) -> Vec<char> {
        self.lines.get(n).cloned().unwrap_or_default()
    }

    /// A line outside any multi-line scalar or collection.
    fn normal(&mut self, line: Line) {
        let Line { n, chars } = line;
        let (indent, start) = indentation(chars);
        if start == chars.len() || chars[start] == '#' {
            return;
        }
        self.indent_tabs(n, &chars[..start]);
        let shift = indent - start;
        let top = self.levels.first().is_none_or(|l| indent <= l.indent);
        let parts = split(chars, start, top);
        if self.in_list_parent(Line { n, chars }, indent, &parts) {
            return;
        }
        let continuation = self.prev.scalar_above.is_some_and(|above| indent > above)
            && parts.dashes.is_empty()
            && parts.sep.as_ref().is_none_or(|s| s.kind != SepKind::Colon);
        if continuation {
            return;
        }
        self.indent_wide_spaces(n, &chars[..start]);
        for (at, after_colon) in stray_tabs(chars, start) {
            self.stray_tab(n, at, after_colon);
        }
        let deeper_allowed = self.check_layout(n, indent, start, &parts);
        for &d in &parts.dashes {
            self.push_level(Level {
                indent: d + shift,
                seq: true,
                line: n + 1,
                key: "-".to_string(),
            });
        }
        match &parts.sep {
            Some(sep) => self.keyed(Line { n, chars }, &parts, sep, shift),
            None if !parts.dashes.is_empty() => {
                let owner = parts.dashes.last().map_or(0, |d| d + shift);
                self.value(Line { n, chars }, parts.body, owner, "");
            }
            None => self.unkeyed(Line { n, chars }, indent, parts.body, deeper_allowed),
        }
    }

    /// Tabs in the indentation `lead` of line `n`.
    fn indent_tabs(&mut self, n: usize, lead: &[char]) {
        for (at, &c) in lead.iter().enumerate() {
            if c == '\t' {
                self.definite(
                    n,
                    at,
                    "这一行用 Tab 键缩进：文件头只能用空格缩进。请把 Tab 换成空格，让这一行与同一层的字段左端对齐（下一层比上一层多缩进 2 个空格）".to_string(),
                );
                self.edit(n, at, 1, &" ".repeat(TAB_WIDTH));
                self.guessed = true;
            }
        }
    }

    /// Full-width spaces in the indentation `lead` of a line with a key or
    /// a list item (in a line continuing a text they are the text's own).
    fn indent_wide_spaces(&mut self, n: usize, lead: &[char]) {
        for (at, &c) in lead.iter().enumerate() {
            if c == WIDE_SPACE {
                self.definite(
                    n,
                    at,
                    "这一行用全角空格“　”缩进：文件头只能用半角空格缩进。请把全角空格换成半角空格，让这一行与同一层的字段左端对齐".to_string(),
                );
                self.edit(n, at, 1, "  ");
                self.guessed = true;
            }
        }
    }

    fn stray_tab(&mut self, n: usize, at: usize, after_colon: bool) {
        let message = if after_colon {
            "字段名和值之间用了 Tab 键：冒号后面请只用一个空格，不要用 Tab"
        } else {
            "这里有一个 Tab 键：文件头里请用空格代替 Tab（值里确实需要 Tab 时，请把整个值用英文双引号括起来）"
        };
        self.definite(n, at, message.to_string());
        self.edit(n, at, 1, " ");
    }

    /// Check a line's indentation against the open levels; returns whether
    /// it may be a level deeper (the previous line opened one).
    fn check_layout(&mut self, n: usize, indent: usize, start: usize, parts: &Parts) -> bool {
        let opened = self.prev.opens.is_some();
        let mut popped: Option<Level> = None;
        while let Some(top) = self.levels.last() {
            // A list written at its key's indentation ends at the next key.
            let below = self
                .levels
                .len()
                .checked_sub(2)
                .map(|i| self.levels[i].indent);
            let compact_seq =
                top.seq && top.indent == indent && below == Some(indent) && parts.dashes.is_empty();
            if top.indent > indent || compact_seq {
                popped = self.levels.pop();
            } else {
                break;
            }
        }
        let deeper_allowed = opened && popped.is_none();
        let stray_item = !parts.dashes.is_empty()
            && !deeper_allowed
            && self
                .levels
                .last()
                .is_some_and(|top| top.indent == indent && !top.seq);
        if stray_item {
            self.hint(
                n,
                start,
                "这一行以“- ”开头，是列表的一项，但上一行不是列表字段：如果这是一个字段，请删掉“- ”；如果是列表的一项，请把它放到列表字段下面并缩进".to_string(),
            );
        }
        let misplaced = match self.levels.last() {
            Some(top) if top.indent < indent && !deeper_allowed => {
                Some(nearest(top, popped.as_ref(), indent))
            }
            None if popped.is_some() => popped.clone(),
            _ => None,
        };
        if let Some(level) = misplaced {
            let what = if level.seq {
                "列表项“- ”".to_string()
            } else {
                format!("“{}”", level.key)
            };
            let message = format!(
                "缩进对不齐：这一行缩进了 {indent} 个空格，第 {} 行的{what}缩进了 {} 个空格。同一层的字段要左端对齐；冒号后面已经写了值的字段，下一行不能再多缩进",
                level.line, level.indent
            );
            self.hint(n, start, message);
        }
        self.prev = Prev::default();
        deeper_allowed
    }

    fn push_level(&mut self, level: Level) {
        while let Some(top) = self.levels.last() {
            let seq_ends = top.indent == level.indent && top.seq && !level.seq;
            if top.indent > level.indent || seq_ends {
                self.levels.pop();
            } else {
                break;
            }
        }
        match self.levels.last_mut() {
            Some(top) if top.indent == level.indent && top.seq == level.seq => *top = level,
            _ => self.levels.push(level),
        }
    }

    /// A `key: value` line (also after `- `).
    fn keyed(&mut self, line: Line, parts: &Parts, sep: &Sep, shift: usize) {
        let Line { n, chars } = line;
        let key: String = chars[parts.body..sep.at].iter().collect();
        let key = key.trim_end().to_string();
        match sep.kind {
            SepKind::Colon => {}
            SepKind::FullWidth => {
                let message = format!(
                    "字段名“{key}”后面用了全角冒号“：”：请改为半角冒号加一个空格，写成“{key}: …”"
                );
                self.definite(n, sep.at, message);
                let spaced = chars.get(sep.at + 1).is_some_and(|&c| is_blank(c));
                self.edit(n, sep.at, 1, if spaced { ":" } else { ": " });
            }
            SepKind::NoSpace => self.no_space(Line { n, chars }, sep.at, &key),
        }
        let key_indent = parts.body + shift;
        self.push_level(Level {
            indent: key_indent,
            seq: false,
            line: n + 1,
            key: key.clone(),
        });
        let empty = self.value(Line { n, chars }, sep.at + 1, key_indent, &key);
        if empty && is_list_field(&key) {
            self.list = Some(ListParent {
                key,
                indent: key_indent,
                plain: Vec::new(),
            });
        }
    }

    fn no_space(&mut self, line: Line, at: usize, key: &str) {
        let Line { n, chars } = line;
        if chars.get(at + 1) == Some(&WIDE_SPACE) {
            let message =
                format!("字段名“{key}”的冒号后面是全角空格：请改为半角空格，写成“{key}: …”");
            self.definite(n, at + 1, message);
            self.edit(n, at + 1, 1, " ");
        } else {
            let message =
                format!("字段名“{key}”的冒号后面缺少空格：半角冒号后要空一格，写成“{key}: …”");
            self.definite(n, at, message);
            self.edit(n, at + 1, 0, " ");
        }
    }

    fn finish(mut self, text: &str) -> Scan {
        if let Some(list) = self.list.take()
            && list.plain.len() >= 2
        {
            self.report_list(&list);
        }
        match std::mem::take(&mut self.mode) {
            Mode::Quoted {
                quote,
                line,
                at,
                last,
                ..
            } => self.unclosed_quote(line, at, quote, last),
            Mode::Flow {
                open,
                line,
                at,
                last,
                ..
            } => self.unclosed_flow(line, at, &open, last),
            Mode::Normal | Mode::Block { .. } => {}
        }
        self.unpaired_marks();
        self.definite.sort_by_key(|f| (f.line, f.column));
        let (repaired, columns) = apply(text, &self.lines, std::mem::take(&mut self.edits));
        Scan {
            definite: self.definite,
            layout: self.layout,
            repaired,
            guessed: self.guessed,
            columns,
        }
    }
}

/// The parts of a line after its indentation.
#[derive(Debug)]
pub(super) struct Parts {
    /// Character indices of the `- ` markers.
    pub dashes: Vec<usize>,
    /// Where the content after the markers starts.
    pub body: usize,
    /// The key's separator, if the line has a key.
    pub sep: Option<Sep>,
}

fn split(chars: &[char], start: usize, top: bool) -> Parts {
    let mut i = start;
    let mut dashes = Vec::new();
    while chars.get(i) == Some(&'-') && chars.get(i + 1).is_none_or(|&c| is_blank(c)) {
        dashes.push(i);
        i += 1;
        while i < chars.len() && is_blank(chars[i]) {
            i += 1;
        }
    }
    let top = top && dashes.is_empty();
    let sep = find_sep(chars, i, &|key| is_field_key(key) || top);
    Parts {
        dashes,
        body: i,
        sep,
    }
}

/// Width of the leading white space (a tab as four, a full-width space as
/// two) and where the text starts.
fn indentation(chars: &[char]) -> (usize, usize) {
    let mut width = 0;
    for (i, &c) in chars.iter().enumerate() {
        match c {
            ' ' => width += 1,
            '\t' => width += TAB_WIDTH,
            WIDE_SPACE => width += 2,
            _ => return (width, i),
        }
    }
    (width, chars.len())
}

/// Whether a line looks like the start of a new field or list item.
fn starts_field(chars: &[char], start: usize) -> bool {
    let dash = chars.get(start) == Some(&'-') && chars.get(start + 1).is_none_or(|&c| is_blank(c));
    dash || find_sep(chars, start, &|_| true).is_some_and(|s| s.kind == SepKind::Colon)
}

fn trimmed_end(chars: &[char], from: usize) -> usize {
    let mut end = chars.len();
    while end > from && is_blank(chars[end - 1]) {
        end -= 1;
    }
    end
}

/// The level nearest in indentation to `indent`, for messages.
fn nearest(top: &Level, popped: Option<&Level>, indent: usize) -> Level {
    match popped {
        Some(p) if p.indent - indent <= indent - top.indent => p.clone(),
        _ => top.clone(),
    }
}

mod lists;
mod multiline;
mod repair;
mod text;
mod values;

#[cfg(test)]
mod tests;
