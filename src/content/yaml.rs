//! A YAML tree that remembers where every value came from, so that a field's
//! error points at the editor's line and column. Parsing is serde-saphyr's
//! (pure Rust, maintained, positions on every node); the mapping from this
//! tree to typed front matter is ours, so all of a file's problems are found
//! in one pass and phrased in Chinese.

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;
use std::fmt;

/// A YAML value with its position in the YAML text (1-based, characters).
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The value.
    pub value: Value,
    /// Line within the YAML text.
    pub line: usize,
    /// Column within the line, in characters.
    pub column: usize,
}

/// The value of a node.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `~`, `null` or nothing.
    Null,
    /// `true` / `false` (YAML 1.2 spellings only: `no` stays text).
    Bool(bool),
    /// A whole number.
    Int(i64),
    /// A number with a fraction.
    Float(f64),
    /// Text.
    Str(String),
    /// A list.
    Seq(Vec<Node>),
    /// A mapping, in the order written, duplicates kept.
    Map(Vec<(Node, Node)>),
}

impl Value {
    /// The Chinese name of this value's type, for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "空值",
            Value::Bool(_) => "布尔值",
            Value::Int(_) | Value::Float(_) => "数字",
            Value::Str(_) => "文本",
            Value::Seq(_) => "列表",
            Value::Map(_) => "键值表",
        }
    }

    /// Scalars as text: a number or boolean written without quotes becomes its text.
    pub fn as_text(&self) -> Option<String> {
        match self {
            Value::Str(s) => Some(s.clone()),
            Value::Int(i) => Some(i.to_string()),
            Value::Float(f) => Some(f.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }
}

/// A YAML syntax error with its position in the YAML text.
#[derive(Debug, Clone)]
pub struct SyntaxError {
    /// Line within the YAML text (1-based).
    pub line: usize,
    /// Column within the line (1-based).
    pub column: usize,
    /// The parser's message.
    pub message: String,
}

/// Parse YAML text into a positioned tree.
pub fn parse(text: &str) -> Result<Node, SyntaxError> {
    if text.trim().is_empty() {
        return Ok(Node {
            value: Value::Map(Vec::new()),
            line: 1,
            column: 1,
        });
    }
    let mut options = serde_saphyr::options::Options::default();
    options.strict_booleans = true;
    // Phone numbers and codes written without quotes keep their digits:
    // 07348356427 and 000123 stay text, not numbers without their zeros.
    options.leading_zero_numbers_as_strings = true;
    options.underscored_numbers_as_strings = true;
    options.duplicate_keys = serde_saphyr::options::DuplicateKeyPolicy::PassThrough;
    serde_saphyr::from_str_with_options::<Node>(text, options).map_err(|e| {
        let (line, column) = e
            .location()
            .map(|l| (l.line() as usize, l.column() as usize))
            .unwrap_or((1, 1));
        SyntaxError {
            line: line.max(1),
            column: column.max(1),
            message: first_line(&e.without_snippet().to_string()),
        }
    })
}

/// The parser's message without its own position (which counts lines of
/// the YAML block, not of the file) and without any snippet.
fn first_line(text: &str) -> String {
    let line = text.lines().next().unwrap_or("").trim();
    match line.rfind(" at line ") {
        Some(at) => line[..at].to_string(),
        None => line.to_string(),
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = Spanned::<Value>::deserialize(deserializer)?;
        Ok(Node {
            value: spanned.value,
            line: spanned.referenced.line() as usize,
            column: spanned.referenced.column() as usize,
        })
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(i64::try_from(v)
            .map(Value::Int)
            .unwrap_or(Value::Str(v.to_string())))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(Value::Str(v.to_string()))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(Value::Str(v.to_string()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Str(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::Str(v))
    }
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Value, E> {
        Ok(Value::Str(String::from_utf8_lossy(v).into_owned()))
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(node) = seq.next_element::<Node>()? {
            items.push(node);
        }
        Ok(Value::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Node>()? {
            let value = map.next_value::<Node>()?;
            entries.push((key, value));
        }
        Ok(Value::Map(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(text: &str) -> Vec<(Node, Node)> {
        match parse(text).unwrap().value {
            Value::Map(m) => m,
            other => panic!("not a map: {other:?}"),
        }
    }

    #[test]
    fn keys_and_values_carry_lines_and_columns() {
        let m = map("title: 标题\ndate: 2023-01-02\nlevels:\n  - village\n");
        assert_eq!((m[0].0.line, m[0].0.column), (1, 1));
        assert_eq!((m[1].1.line, m[1].1.column), (2, 7));
        assert_eq!(m[1].1.value, Value::Str("2023-01-02".into()));
        match &m[2].1.value {
            Value::Seq(items) => assert_eq!((items[0].line, items[0].column), (4, 5)),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn no_stays_text_and_duplicates_are_kept() {
        let m = map("draft: no\ndraft: true\n");
        assert_eq!(m.len(), 2);
        assert_eq!(m[0].1.value, Value::Str("no".into()));
        assert_eq!(m[1].1.value, Value::Bool(true));
    }

    #[test]
    fn leading_zeros_are_kept() {
        let m = map("phone: 07348356427\ncode: 000123\ndays: 20\n");
        assert_eq!(m[0].1.value, Value::Str("07348356427".into()));
        assert_eq!(m[1].1.value, Value::Str("000123".into()));
        assert_eq!(m[2].1.value, Value::Int(20));
    }

    #[test]
    fn syntax_errors_have_lines() {
        let err = parse("title: a\ndate: [1, 2\nx: y\n").unwrap_err();
        assert!(err.line >= 2, "{err:?}");
    }

    #[test]
    fn chinese_columns_count_characters() {
        let m = map("标题: 你好\n文号: \"岳政发〔2023〕1号\"\n");
        assert_eq!(m[1].1.column, 5);
    }
}
