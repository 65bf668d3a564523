//! List items written without `- ` (no dash, a dash without a space, a
//! `*` or `•` bullet), and lines that are neither `key: value` nor an item.

use super::text::is_blank;
use super::{Line, ListParent, Parts, Prev, Scanner};

impl Scanner {
    /// A line with neither `key:` nor `- `.
    pub(super) fn unkeyed(&mut self, line: Line, indent: usize, at: usize, deeper_allowed: bool) {
        let Line { n, chars } = line;
        let in_seq = self
            .levels
            .last()
            .is_some_and(|l| l.seq && l.indent == indent);
        if self.list_marker(Line { n, chars }, at, in_seq) {
            return;
        }
        if in_seq {
            self.definite(
                n,
                at,
                "这一行是列表的一项，但没有以“- ”开头：请在前面加上“- ”（半角减号和一个空格）"
                    .to_string(),
            );
            self.edit(n, at, 0, "- ");
        } else if deeper_allowed {
            let above = self.levels.last().map_or(0, |l| l.indent);
            self.prev.scalar_above = Some(above);
        } else {
            self.hint(
                n,
                at,
                "这一行不是“字段: 值”的形式：字段名后面要有半角冒号和一个空格；列表的一项要以“- ”开头".to_string(),
            );
        }
    }

    /// A list item written with a wrong marker (`* `, `•`, `-` without a
    /// space). Returns whether one was reported.
    fn list_marker(&mut self, line: Line, at: usize, in_list: bool) -> bool {
        let Line { n, chars } = line;
        let c = chars[at];
        let next = chars.get(at + 1).copied();
        let spaced = next.is_some_and(is_blank);
        if c == '-' && next.is_some_and(|x| !is_blank(x) && x != '-') && in_list {
            self.definite(
                n,
                at,
                "“-”后面缺少空格：列表的一项要写成“- 内容”（半角减号后空一格）".to_string(),
            );
            self.edit(n, at + 1, 0, " ");
            return true;
        }
        let bullet =
            matches!(c, '•' | '·' | '●' | '▪' | '－' | '—') || (matches!(c, '*' | '+') && spaced);
        if bullet && (in_list || c == '*') {
            let message =
                format!("列表的一项要以半角减号加空格“- ”开头，不能用“{c}”：请把“{c}”改为“-”");
            self.definite(n, at, message);
            self.edit(n, at, 1, if spaced { "-" } else { "- " });
            return true;
        }
        false
    }

    /// Lines under a list field written without `- `. Returns whether the
    /// line was taken as one of them.
    pub(super) fn in_list_parent(&mut self, line: Line, indent: usize, parts: &Parts) -> bool {
        let Line { n, chars } = line;
        let start = parts.body;
        if self.list.as_ref().is_some_and(|l| indent > l.indent)
            && parts.dashes.is_empty()
            && self.list_marker(Line { n, chars }, start, true)
        {
            self.prev = Prev::default();
            return true;
        }
        let Some(list) = &mut self.list else {
            return false;
        };
        if indent <= list.indent || !parts.dashes.is_empty() || parts.sep.is_some() {
            let list = self.list.take();
            let done = list.map(|l| (l.plain.len() >= 2 || !parts.dashes.is_empty(), l));
            if let Some((true, list)) = done {
                self.report_list(&list);
            }
            return false;
        }
        list.plain.push((n, start));
        self.prev = Prev::default();
        true
    }

    pub(super) fn report_list(&mut self, list: &ListParent) {
        for &(n, at) in &list.plain {
            let message = format!(
                "“{}”是列表：每一项单独一行，以“- ”开头。请在这一项前面加上“- ”（半角减号和一个空格）",
                list.key
            );
            self.definite(n, at, message);
            self.edit(n, at, 0, "- ");
        }
    }
}
