//! The value of a key or list item: quoted, flow, block, plain, or
//! starting with a character YAML reserves.

use super::text::{close_quote, flow_end, is_blank, shown};
use super::{Level, Line, Mark, Mode, Scanner, trimmed_end};

impl Scanner {
    /// The value of a key or list item from `from`; `owner` is the
    /// indentation lines continuing it must exceed. Returns whether it is
    /// empty (the value is on the lines below).
    pub(super) fn value(&mut self, line: Line, from: usize, owner: usize, key: &str) -> bool {
        let Line { n, chars } = line;
        let mut i = from;
        while i < chars.len() && is_blank(chars[i]) {
            i += 1;
        }
        let Some(&first) = chars.get(i).filter(|&&c| c != '#') else {
            self.prev.opens = Some(Level {
                indent: owner,
                seq: false,
                line: n + 1,
                key: key.to_string(),
            });
            return true;
        };
        match first {
            '"' | '\'' => self.quoted_value(Line { n, chars }, i, owner),
            '[' | '{' => {
                let mut open = Vec::new();
                if flow_end(chars, i, &mut open).is_none() {
                    self.mode = Mode::Flow {
                        open,
                        line: n,
                        at: i,
                        owner,
                        last: n,
                    };
                }
            }
            '|' | '>' if block_header(chars, i + 1) => self.mode = Mode::Block { owner },
            '*' | '&' => self.mark(Line { n, chars }, i, key),
            '!' if chars.get(i + 1) == Some(&'!') => {}
            '@' | '`' | '%' | '!' | '|' | '>' => self.symbol(Line { n, chars }, i, key),
            _ => self.plain_value(Line { n, chars }, i, owner, key),
        }
        false
    }

    fn quoted_value(&mut self, line: Line, at: usize, owner: usize) {
        let Line { n, chars } = line;
        let quote = chars[at];
        match close_quote(chars, at + 1, quote) {
            Some(close) => self.after_quote(Line { n, chars }, close, quote),
            None => {
                self.mode = Mode::Quoted {
                    quote,
                    line: n,
                    at,
                    owner,
                    last: n,
                }
            }
        }
    }

    /// What follows a closing quote must be nothing, a comment or `:`.
    pub(super) fn after_quote(&mut self, line: Line, close: usize, quote: char) {
        let Line { n, chars } = line;
        let mut i = close + 1;
        while i < chars.len() && is_blank(chars[i]) {
            i += 1;
        }
        if i == chars.len() || chars[i] == '#' || chars[i] == ':' {
            return;
        }
        let message = "引号在这里之前已经结束，后面的文字无法识别：值以英文引号开头时，值里面不能再有同样的引号。请把值里面的引号改为中文引号“”，或者把整个值改用另一种引号括起来";
        self.definite(n, i, message.to_string());
        // Repair: the last quote of the line closes the value; the ones
        // before it are part of the text.
        match chars
            .iter()
            .rposition(|&c| c == quote)
            .filter(|&p| p > close)
        {
            Some(last) => {
                for (p, &c) in chars.iter().enumerate().take(last).skip(close) {
                    if c == quote {
                        self.edit(n, p, 0, if quote == '"' { "\\" } else { "'" });
                    }
                }
            }
            None => self.guessed = true,
        }
    }

    /// A value starting with `*` or `&`: fine when anchor and alias pair up
    /// (checked at the end), otherwise text the editor meant literally.
    fn mark(&mut self, line: Line, at: usize, key: &str) {
        let Line { n, chars } = line;
        let name: String = chars[at + 1..]
            .iter()
            .take_while(|&&c| !is_blank(c) && !",[]{}".contains(c))
            .collect();
        self.marks.push(Mark {
            alias: chars[at] == '*',
            name,
            line: n,
            at,
            end: value_end(chars, at),
            key: key.to_string(),
        });
    }

    /// A value starting with a character YAML reserves.
    fn symbol(&mut self, line: Line, at: usize, key: &str) {
        let Line { n, chars } = line;
        let end = value_end(chars, at);
        let what = match chars[at] {
            '!' => "会被当作类型标记",
            '|' | '>' => "会被当作多行文字的标记",
            _ => "是保留符号",
        };
        let message = symbol_message(chars[at], what, key, &chars[at..end]);
        self.definite(n, at, message);
        self.quote(Line { n, chars }, at, end);
    }

    /// Wrap `chars[from..to]` of line `n` in double quotes.
    fn quote(&mut self, line: Line, from: usize, to: usize) {
        let Line { n, chars } = line;
        self.edit(n, from, 0, "\"");
        for (p, &c) in chars.iter().enumerate().take(to).skip(from) {
            if c == '"' || c == '\\' {
                self.edit(n, p, 0, "\\");
            }
        }
        self.edit(n, to, 0, "\"");
    }

    fn plain_value(&mut self, line: Line, at: usize, owner: usize, key: &str) {
        let Line { n, chars } = line;
        let end = value_end(chars, at);
        let colon =
            (at..end).find(|&j| chars[j] == ':' && chars.get(j + 1).is_none_or(|&c| is_blank(c)));
        if let Some(colon) = colon {
            let message = format!(
                "值里有“: ”（半角冒号加空格），会被当成又一个字段：请把整个值用英文双引号括起来，写成{}，或者把这个冒号改为全角“：”",
                quoted_example(key, &chars[at..end])
            );
            self.definite(n, colon, message);
            self.quote(Line { n, chars }, at, end);
            return;
        }
        self.prev.scalar_above = Some(owner);
    }

    /// An alias without its anchor, or an anchor no alias uses, is text
    /// that starts with `*` or `&`.
    pub(super) fn unpaired_marks(&mut self) {
        let marks = std::mem::take(&mut self.marks);
        for m in &marks {
            let paired = marks.iter().any(|o| o.alias != m.alias && o.name == m.name);
            if paired && !m.name.is_empty() {
                continue;
            }
            let chars = self.line_chars(m.line);
            let what = if m.alias {
                "会被当作别名，引用别处的值"
            } else {
                "会被当作锚点的名字，值会变成空的或丢掉一部分"
            };
            let message = symbol_message(chars[m.at], what, &m.key, &chars[m.at..m.end]);
            self.definite(m.line, m.at, message);
            self.quote(
                Line {
                    n: m.line,
                    chars: &chars,
                },
                m.at,
                m.end,
            );
        }
    }
}

/// A block scalar header after `|` or `>`: indicators, then nothing or a comment.
fn block_header(chars: &[char], from: usize) -> bool {
    let rest = &chars[from.min(chars.len())..];
    let body = rest
        .iter()
        .position(|&c| !matches!(c, '-' | '+' | '1'..='9'))
        .unwrap_or(rest.len());
    let after: String = rest[body..].iter().collect();
    let after = after.trim_start_matches([' ', '\t']);
    after.is_empty() || (after.starts_with('#') && body < rest.len() && is_blank(rest[body]))
}

/// End of a value: before a comment (` #`) and trailing white space.
fn value_end(chars: &[char], from: usize) -> usize {
    let comment = (from + 1..chars.len())
        .find(|&j| chars[j] == '#' && is_blank(chars[j - 1]))
        .unwrap_or(chars.len());
    trimmed_end(&chars[..comment], from)
}

/// A value starting with `symbol`, which YAML reads as `what`.
fn symbol_message(symbol: char, what: &str, key: &str, value: &[char]) -> String {
    format!(
        "值以“{symbol}”开头，在 YAML 里{what}：请把整个值用英文双引号括起来，写成{}",
        quoted_example(key, value)
    )
}

/// `标题: "…"` (or `- "…"` for a list item) as the fix to show.
fn quoted_example(key: &str, value: &[char]) -> String {
    let value: String = value.iter().collect();
    let value = shown(&value.replace('\\', "\\\\").replace('"', "\\\""));
    if key.is_empty() {
        format!("“- \"{value}\"”")
    } else {
        format!("“{key}: \"{value}\"”")
    }
}
