//! Reading front-matter fields from a positioned YAML mapping: English keys
//! and their Chinese aliases, unknown and repeated keys, typed values, and a
//! Chinese message at the exact file position for everything that is wrong.
//! One reader finds every problem of a file in one pass.

use super::dates::invalid_date_message;
use super::yaml::{Node, Value};
use crate::date::{Date, DateTime};
use crate::diag::Diagnostic;

/// One allowed key: its English name and its Chinese alias.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    /// English snake_case name.
    pub name: &'static str,
    /// Chinese alias an editor may write instead.
    pub alias: &'static str,
}

/// Shorthand for building field tables.
pub const fn spec(name: &'static str, alias: &'static str) -> FieldSpec {
    FieldSpec { name, alias }
}

/// A value known to the editor by a word: an English word and a Chinese one.
pub trait Word: Copy + 'static {
    /// Every accepted spelling: (value, English, Chinese). A value may appear
    /// on several rows (extra Chinese spellings); the first row is canonical.
    const WORDS: &'static [(Self, &'static str, &'static str)];
}

/// A value with its position in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pos<T> {
    /// The value.
    pub value: T,
    /// File line.
    pub line: usize,
    /// Column in characters.
    pub column: usize,
}

struct Entry<'a> {
    key: String,
    key_node: &'a Node,
    value: &'a Node,
    spec: FieldSpec,
    taken: bool,
}

/// Reads the fields of one mapping, recording a diagnostic for every problem.
pub struct Reader<'a> {
    path: &'a str,
    line_offset: usize,
    entries: Vec<Entry<'a>>,
    /// Where a missing required field is reported: line 1 for a file, the
    /// mapping itself for a nested one.
    missing_at: (usize, usize),
    /// Problems found so far.
    pub diags: Vec<Diagnostic>,
    /// Required fields missing or empty (kept apart: a draft may have them).
    pub missing: Vec<Diagnostic>,
}

impl<'a> Reader<'a> {
    /// Start reading `node`, which must be a mapping whose keys are in `specs`.
    /// `line_offset` is added to YAML lines to get file lines.
    pub fn new(path: &'a str, line_offset: usize, node: &'a Node, specs: &[FieldSpec]) -> Self {
        let mut reader = Reader {
            path,
            line_offset,
            entries: Vec::new(),
            missing_at: (1, 1),
            diags: Vec::new(),
            missing: Vec::new(),
        };
        let pairs: &[(Node, Node)] = match &node.value {
            Value::Map(pairs) => pairs,
            Value::Null => &[],
            other => {
                let message = format!("文件头应为“字段: 值”的形式，实际是{}", other.type_name());
                reader.error_at(node, None, message);
                &[]
            }
        };
        for (key_node, value) in pairs {
            reader.add_entry(key_node, value, specs);
        }
        reader
    }

    fn add_entry(&mut self, key_node: &'a Node, value: &'a Node, specs: &[FieldSpec]) {
        let Some(key) = key_node.value.as_text() else {
            self.error_at(key_node, None, "字段名应为文本".to_string());
            return;
        };
        let Some(spec) = specs
            .iter()
            .find(|s| s.name == key || s.alias == key)
            .copied()
        else {
            let message = unknown_key_message(&key, specs);
            self.error_at(key_node, Some(&key), message);
            return;
        };
        if let Some(first) = self.entries.iter().find(|e| e.spec == spec) {
            let message = format!(
                "字段重复：与第 {} 行的“{}”是同一字段（{} / {}），只能写一次",
                first.key_node.line + self.line_offset,
                first.key,
                spec.name,
                spec.alias
            );
            self.error_at(key_node, Some(&key), message);
            return;
        }
        self.entries.push(Entry {
            key,
            key_node,
            value,
            spec,
            taken: false,
        });
    }

    /// A reader for a mapping nested in the front matter (a material, an
    /// attachment, an event): missing fields are reported at the mapping.
    pub fn nested(parent: &Reader<'a>, node: &'a Node, specs: &[FieldSpec]) -> Self {
        let mut reader = Reader::new(parent.path, parent.line_offset, node, specs);
        reader.missing_at = parent.position(node);
        reader
    }

    /// The file path this reader reports against.
    pub fn path(&self) -> &'a str {
        self.path
    }

    /// File coordinates of a node.
    pub fn position(&self, node: &Node) -> (usize, usize) {
        (node.line + self.line_offset, node.column)
    }

    /// Record an error at `node`, naming `field` when given.
    pub fn error_at(&mut self, node: &Node, field: Option<&str>, message: String) {
        let (line, column) = self.position(node);
        let mut d = Diagnostic::error(self.path, line, column, message);
        if let Some(field) = field {
            d = d.with_field(field);
        }
        self.diags.push(d);
    }

    /// Take the raw node of a field, with the key as the editor wrote it.
    /// A field left empty (nothing, `~` or `""`) counts as not given.
    pub fn take(&mut self, name: &str) -> Option<(String, &'a Node)> {
        let entry = self.entries.iter_mut().find(|e| e.spec.name == name)?;
        entry.taken = true;
        match &entry.value.value {
            Value::Null => return None,
            Value::Str(text) if text.trim().is_empty() => return None,
            _ => {}
        }
        Some((entry.key.clone(), entry.value))
    }

    /// Report a required field that is missing, at line 1 of the file (or
    /// at `anchor`, the mapping it belongs to), or empty, at its key.
    pub fn missing(&mut self, name: &str, specs: &[FieldSpec], anchor: Option<&Node>) {
        let alias = specs
            .iter()
            .find(|s| s.name == name)
            .map_or("", |s| s.alias);
        if let Some(entry) = self.entries.iter().find(|e| e.spec.name == name) {
            let (line, column) = self.position(entry.key_node);
            let message = format!("必填字段 {name}（{alias}）不能为空");
            let key = entry.key.clone();
            self.missing
                .push(Diagnostic::error(self.path, line, column, message).with_field(key));
            return;
        }
        let message = format!("缺少必填字段 {name}（{alias}）");
        let (line, column) = anchor.map_or(self.missing_at, |n| self.position(n));
        self.missing
            .push(Diagnostic::error(self.path, line, column, message).with_field(name));
    }

    /// Take over the problems of a reader of a nested mapping.
    pub fn absorb(&mut self, nested: Reader) {
        let (diags, missing) = nested.finish_apart();
        self.diags.extend(diags);
        self.missing.extend(missing);
    }

    /// Read a required field with `read`; when it yields nothing without
    /// reporting a problem of its own, report the field as missing or empty.
    pub fn required<T>(
        &mut self,
        name: &str,
        specs: &[FieldSpec],
        read: impl FnOnce(&mut Self) -> Option<T>,
    ) -> Option<T> {
        let before = self.diags.len();
        let value = read(self);
        if value.is_none() && self.diags.len() == before {
            self.missing(name, specs, None);
        }
        value
    }

    /// A text field; numbers and booleans written without quotes are taken as text.
    pub fn text(&mut self, name: &str) -> Option<String> {
        let (key, node) = self.take(name)?;
        self.text_of(&key, node)
    }

    /// A node as text, or an error naming `key`.
    pub fn text_of(&mut self, key: &str, node: &Node) -> Option<String> {
        match node.value.as_text() {
            Some(text) => Some(text.trim().to_string()).filter(|t| !t.is_empty()),
            None => {
                let message = format!("应为文本，实际是{}", node.value.type_name());
                self.error_at(node, Some(key), message);
                None
            }
        }
    }

    /// A text field with its position.
    pub fn text_pos(&mut self, name: &str) -> Option<Pos<String>> {
        let (key, node) = self.take(name)?;
        let value = self.text_of(&key, node)?;
        let (line, column) = self.position(node);
        Some(Pos {
            value,
            line,
            column,
        })
    }

    /// A `YYYY-MM-DD` date.
    pub fn date(&mut self, name: &str) -> Option<Date> {
        let (key, node) = self.take(name)?;
        self.date_of(&key, node)
    }

    /// A node as a `YYYY-MM-DD` date, or an error naming `key`.
    pub fn date_of(&mut self, key: &str, node: &Node) -> Option<Date> {
        let text = node.value.as_text();
        let parsed = text.as_deref().and_then(|t| Date::parse(t.trim()));
        if parsed.is_none() {
            let message = match text {
                Some(t) => invalid_date_message(&t, false),
                None => format!(
                    "{} 不是有效日期：请写成 YYYY-MM-DD，例如 2023-06-01",
                    node.value.type_name()
                ),
            };
            self.error_at(node, Some(key), message);
        }
        parsed
    }

    /// A date or `YYYY-MM-DD HH:MM`.
    pub fn datetime(&mut self, name: &str) -> Option<DateTime> {
        let (key, node) = self.take(name)?;
        let text = node.value.as_text();
        let parsed = text.as_deref().and_then(DateTime::parse);
        if parsed.is_none() {
            let message = match text {
                Some(t) => invalid_date_message(&t, true),
                None => format!(
                    "{} 不是有效时间：请写成 YYYY-MM-DD 或 YYYY-MM-DD HH:MM，例如 2023-06-01 15:00",
                    node.value.type_name()
                ),
            };
            self.error_at(node, Some(&key), message);
        }
        parsed
    }

    /// A whole number of zero or more.
    pub fn whole(&mut self, name: &str) -> Option<u32> {
        let (key, node) = self.take(name)?;
        let parsed = match &node.value {
            Value::Int(i) => u32::try_from(*i).ok(),
            Value::Str(s) => s.trim().parse::<u32>().ok(),
            _ => None,
        };
        if parsed.is_none() {
            let shown = node
                .value
                .as_text()
                .map_or_else(|| node.value.type_name().to_string(), |t| format!("“{t}”"));
            self.error_at(
                node,
                Some(&key),
                format!("{shown} 不是整数：请写一个不小于 0 的整数，例如 5"),
            );
        }
        parsed
    }

    /// `true` / `false` (also 是 / 否).
    pub fn boolean(&mut self, name: &str) -> Option<bool> {
        let (key, node) = self.take(name)?;
        self.boolean_of(&key, node)
    }

    /// A node as a boolean, or an error naming `key`.
    pub fn boolean_of(&mut self, key: &str, node: &Node) -> Option<bool> {
        match &node.value {
            Value::Bool(b) => Some(*b),
            Value::Str(s) if s == "是" => Some(true),
            Value::Str(s) if s == "否" => Some(false),
            other => {
                let shown = other
                    .as_text()
                    .map_or_else(|| other.type_name().to_string(), |t| format!("“{t}”"));
                self.error_at(
                    node,
                    Some(key),
                    format!("{shown} 不是 true 或 false（也可写 是 / 否）"),
                );
                None
            }
        }
    }

    /// The items of a list field; a single value counts as a one-item list.
    pub fn list(&mut self, name: &str) -> Option<(String, Vec<&'a Node>)> {
        let (key, node) = self.take(name)?;
        match &node.value {
            Value::Seq(items) => Some((key, items.iter().collect())),
            Value::Map(_) => {
                self.error_at(
                    node,
                    Some(&key),
                    "应为列表（每项以 - 开头），实际是键值表".to_string(),
                );
                None
            }
            _ => Some((key, vec![node])),
        }
    }

    /// A list of texts.
    pub fn text_list(&mut self, name: &str) -> Vec<Pos<String>> {
        let Some((key, nodes)) = self.list(name) else {
            return Vec::new();
        };
        nodes
            .into_iter()
            .filter_map(|node| {
                let value = self.text_of(&key, node)?;
                let (line, column) = self.position(node);
                Some(Pos {
                    value,
                    line,
                    column,
                })
            })
            .collect()
    }

    /// One of a fixed set of words.
    pub fn word<T: Word>(&mut self, name: &str) -> Option<T> {
        let (key, node) = self.take(name)?;
        self.word_of(&key, node)
    }

    /// A node as one of a fixed set of words.
    pub fn word_of<T: Word>(&mut self, key: &str, node: &Node) -> Option<T> {
        let text = node.value.as_text();
        let found = text
            .as_deref()
            .map(str::trim)
            .and_then(|t| T::WORDS.iter().find(|(_, en, zh)| *en == t || *zh == t));
        if found.is_none() {
            let shown =
                text.map_or_else(|| node.value.type_name().to_string(), |t| format!("“{t}”"));
            let message = format!("{shown} 不是可选值之一：{}", allowed_words::<T>());
            self.error_at(node, Some(key), message);
        }
        found.map(|(value, _, _)| *value)
    }

    /// Finish: the problems found. Every known field present must have been
    /// read by the caller (a field forgotten in code is a bug, caught in tests).
    pub fn finish(self) -> Vec<Diagnostic> {
        let (mut diags, missing) = self.finish_apart();
        diags.extend(missing);
        diags
    }

    /// Finish, keeping the required fields missing or empty apart from
    /// the other problems.
    pub fn finish_apart(self) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
        debug_assert!(
            self.entries.iter().all(|e| e.taken),
            "front-matter fields not read: {:?}",
            self.entries
                .iter()
                .filter(|e| !e.taken)
                .map(|e| e.spec.name)
                .collect::<Vec<_>>()
        );
        (self.diags, self.missing)
    }
}

/// `行政许可 (license)、行政给付 (payment)、…` for messages.
pub fn allowed_words<T: Word>() -> String {
    let mut seen: Vec<&str> = Vec::new();
    let mut parts = Vec::new();
    for (_, en, zh) in T::WORDS {
        if !seen.contains(en) {
            seen.push(en);
            parts.push(format!("{zh} ({en})"));
        }
    }
    parts.join("、")
}

fn unknown_key_message(key: &str, specs: &[FieldSpec]) -> String {
    let mut message = format!("未知字段“{key}”");
    if let Some(near) = closest(key, specs) {
        message.push_str(&format!("，是不是想写 {}（{}）？", near.name, near.alias));
    } else {
        message.push('。');
    }
    let allowed: Vec<String> = specs
        .iter()
        .map(|s| format!("{} {}", s.name, s.alias))
        .collect();
    message.push_str(&format!("可用的字段：{}", allowed.join("、")));
    message
}

fn closest(key: &str, specs: &[FieldSpec]) -> Option<FieldSpec> {
    let key_lower = key.to_lowercase();
    specs
        .iter()
        .map(|s| {
            let d = edit_distance(&key_lower, s.name).min(edit_distance(key, s.alias));
            (d, s)
        })
        .filter(|(d, s)| *d <= 2 && *d < s.name.chars().count().max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, s)| *s)
}

/// The Levenshtein distance between two texts, in characters.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::yaml;

    const SPECS: &[FieldSpec] = &[
        spec("title", "标题"),
        spec("date", "发布日期"),
        spec("visits", "跑动次数"),
    ];

    fn read(text: &str, f: impl FnOnce(&mut Reader)) -> Vec<Diagnostic> {
        let node = yaml::parse(text).unwrap();
        let mut r = Reader::new("x.md", 1, &node, SPECS);
        f(&mut r);
        r.diags.append(&mut r.missing);
        r.diags
    }

    #[test]
    fn chinese_alias_and_english_name_are_the_same_field() {
        let diags = read("title: a\n标题: b\n", |r| {
            assert_eq!(r.text("title").as_deref(), Some("a"));
        });
        assert_eq!(diags.len(), 1);
        assert_eq!((diags[0].line, diags[0].column), (3, 1));
        assert!(diags[0].message.contains("第 2 行"), "{}", diags[0].message);
    }

    #[test]
    fn unknown_key_suggests_the_nearest() {
        let diags = read("titel: a\n", |_| {});
        assert_eq!(diags[0].field.as_deref(), Some("titel"));
        assert!(
            diags[0].message.contains("title（标题）"),
            "{}",
            diags[0].message
        );
    }

    #[test]
    fn bad_date_and_number_point_at_values() {
        let diags = read("date: 2023-02-30\nvisits: 两次\n", |r| {
            assert!(r.date("date").is_none());
            assert!(r.whole("visits").is_none());
        });
        assert_eq!((diags[0].line, diags[0].column), (2, 7));
        assert_eq!((diags[1].line, diags[1].column), (3, 9));
    }

    #[test]
    fn edit_distance_counts_characters() {
        assert_eq!(edit_distance("标题", "标题"), 0);
        assert_eq!(edit_distance("titel", "title"), 2);
    }
}
