//! Quoted scalars and flow collections that run over several lines, and
//! the ones never closed: a line that starts a new field ends them, and the
//! opening quote or bracket is reported.

use super::text::{close_quote, flow_end};
use super::{Line, Mode, Prev, Scanner, indentation, starts_field, trimmed_end};

impl Scanner {
    /// A line inside a quoted scalar: closed here, or never closed when
    /// this line starts a new field.
    pub(super) fn in_quote(&mut self, line: Line) -> bool {
        let Line { n, chars } = line;
        let Mode::Quoted {
            quote,
            line,
            at,
            owner,
            last,
        } = self.mode
        else {
            return false;
        };
        let (indent, start) = indentation(chars);
        if start == chars.len() {
            return true;
        }
        if let Some(close) = close_quote(chars, 0, quote) {
            self.mode = Mode::Normal;
            self.after_quote(Line { n, chars }, close, quote);
            self.prev = Prev::default();
            return true;
        }
        if indent <= owner && starts_field(chars, start) {
            self.unclosed_quote(line, at, quote, last);
            self.mode = Mode::Normal;
            return false;
        }
        self.mode = Mode::Quoted {
            quote,
            line,
            at,
            owner,
            last: n,
        };
        true
    }

    pub(super) fn unclosed_quote(&mut self, line: usize, at: usize, quote: char, last: usize) {
        let shown_quote = if quote == '"' { "\"" } else { "'" };
        let message = format!(
            "英文引号“{shown_quote}”没有配对：值从这里开始，却没有结束的引号。请在值的末尾补上“{shown_quote}”，或者去掉这个引号"
        );
        self.definite(line, at, message);
        let end = trimmed_end(&self.line_chars(last), 0);
        self.edit(last, end, 0, shown_quote);
    }

    /// A line inside a flow collection (`[a, b`).
    pub(super) fn in_flow(&mut self, line: Line) -> bool {
        let Line { n, chars } = line;
        let Mode::Flow {
            mut open,
            line,
            at,
            owner,
            last,
        } = std::mem::take(&mut self.mode)
        else {
            return false;
        };
        let (indent, start) = indentation(chars);
        if start == chars.len() {
            self.mode = Mode::Flow {
                open,
                line,
                at,
                owner,
                last,
            };
            return true;
        }
        if indent <= owner && starts_field(chars, start) {
            self.unclosed_flow(line, at, &open, last);
            return false;
        }
        if flow_end(chars, start, &mut open).is_none() {
            self.mode = Mode::Flow {
                open,
                line,
                at,
                owner,
                last: n,
            };
        }
        true
    }

    pub(super) fn unclosed_flow(&mut self, line: usize, at: usize, open: &[char], last: usize) {
        let closers: String = open
            .iter()
            .rev()
            .map(|&c| if c == '[' { ']' } else { '}' })
            .collect();
        let first = open.first().copied().unwrap_or('[');
        let message = format!(
            "括号“{first}”没有配对：请在这一项的末尾补上“{closers}”（列表写成 [甲, 乙]，各项用半角逗号分隔）"
        );
        self.definite(line, at, message);
        let end = trimmed_end(&self.line_chars(last), 0);
        self.edit(last, end, 0, &closers);
    }
}
