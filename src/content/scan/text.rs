//! Character-level helpers of the front-matter scan: where a key ends,
//! where a quoted scalar or a flow collection closes, which tabs lie
//! outside quotes and comments.

/// The full-width space editors type with a Chinese input method.
pub const WIDE_SPACE: char = '\u{3000}';

/// How a key is separated from its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SepKind {
    /// `key: value`, as YAML wants it.
    Colon,
    /// `key：value`, a full-width colon.
    FullWidth,
    /// `key:value`, no space after the colon.
    NoSpace,
}

/// A key's separator: its character index and kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sep {
    /// Character index of the colon.
    pub at: usize,
    /// What it looks like.
    pub kind: SepKind,
}

/// A space or a tab (what YAML counts as white space within a line).
pub fn is_blank(c: char) -> bool {
    c == ' ' || c == '\t'
}

/// Whether a quote after `prev` (the last character that is not white
/// space, if any) starts a quoted scalar rather than being text.
fn node_start(prev: Option<char>) -> bool {
    prev.is_none_or(|c| matches!(c, ':' | '-' | '[' | '{' | ',' | '?'))
}

/// Where the key starting at `body` ends. A full-width colon or a colon
/// without a space after it counts only after something `eligible` calls a
/// key (a known field name, or anything at the top level).
pub fn find_sep(chars: &[char], body: usize, eligible: &dyn Fn(&str) -> bool) -> Option<Sep> {
    let first = *chars.get(body)?;
    if first == '"' || first == '\'' {
        let close = close_quote(chars, body + 1, first)?;
        let mut j = close + 1;
        while j < chars.len() && is_blank(chars[j]) {
            j += 1;
        }
        let colon = chars.get(j) == Some(&':') && chars.get(j + 1).is_none_or(|&c| is_blank(c));
        return colon.then_some(Sep {
            at: j,
            kind: SepKind::Colon,
        });
    }
    if "[{#&*!|>%@`".contains(first) {
        return None;
    }
    let (mut wide, mut tight, mut colon) = (None, None, None);
    for j in body..chars.len() {
        match chars[j] {
            '#' if j > body && is_blank(chars[j - 1]) => break,
            ':' if chars.get(j + 1).is_none_or(|&c| is_blank(c)) => {
                colon = Some(j);
                break;
            }
            ':' if tight.is_none() && chars.get(j + 1) != Some(&'/') => tight = Some(j),
            '：' if wide.is_none() => wide = Some(j),
            _ => {}
        }
    }
    let mut candidates: Vec<Sep> = [(wide, SepKind::FullWidth), (tight, SepKind::NoSpace)]
        .into_iter()
        .filter_map(|(at, kind)| at.map(|at| Sep { at, kind }))
        .filter(|s| colon.is_none_or(|c| s.at < c))
        .collect();
    candidates.sort_by_key(|s| s.at);
    let keyed = candidates.into_iter().find(|s| {
        let key: String = chars[body..s.at].iter().collect();
        let key = key.trim_end();
        looks_like_key(key) && eligible(key)
    });
    keyed.or(colon.map(|at| Sep {
        at,
        kind: SepKind::Colon,
    }))
}

/// A word that could be a field name: letters (Chinese too), digits, `_`.
fn looks_like_key(text: &str) -> bool {
    !text.is_empty()
        && text.chars().count() <= 30
        && text
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
}

/// The index of the quote closing a scalar opened by `quote`, searching
/// from `from`: `\"` is escaped in double quotes, `''` in single ones.
pub fn close_quote(chars: &[char], from: usize, quote: char) -> Option<usize> {
    let mut j = from;
    while j < chars.len() {
        let c = chars[j];
        if quote == '"' && c == '\\' {
            j += 2;
            continue;
        }
        if c == quote {
            if quote == '\'' && chars.get(j + 1) == Some(&'\'') {
                j += 2;
                continue;
            }
            return Some(j);
        }
        j += 1;
    }
    None
}

/// Follow a flow collection from `from`, keeping the brackets still open
/// in `open`; returns the index of the bracket that closes it, if on this line.
pub fn flow_end(chars: &[char], from: usize, open: &mut Vec<char>) -> Option<usize> {
    let mut j = from;
    let mut prev = None;
    while j < chars.len() {
        let c = chars[j];
        if c == '#' && (j == 0 || is_blank(chars[j - 1])) {
            return None;
        }
        if (c == '"' || c == '\'') && node_start(prev) {
            j = close_quote(chars, j + 1, c)? + 1;
            prev = Some(c);
            continue;
        }
        match c {
            '[' | '{' => open.push(c),
            ']' | '}' => {
                open.pop();
                if open.is_empty() {
                    return Some(j);
                }
            }
            _ => {}
        }
        if !is_blank(c) {
            prev = Some(c);
        }
        j += 1;
    }
    None
}

/// Tabs from `from` on that lie outside quoted scalars and comments, each
/// with whether it follows a colon (between a key and its value).
pub fn stray_tabs(chars: &[char], from: usize) -> Vec<(usize, bool)> {
    let mut out = Vec::new();
    let mut prev = None;
    let mut j = from;
    while j < chars.len() {
        let c = chars[j];
        if c == '#' && (j == 0 || is_blank(chars[j - 1])) {
            break;
        }
        if (c == '"' || c == '\'') && node_start(prev) {
            match close_quote(chars, j + 1, c) {
                Some(close) => {
                    j = close + 1;
                    prev = Some(c);
                    continue;
                }
                None => break,
            }
        }
        if c == '\t' {
            out.push((j, prev == Some(':')));
        } else if !is_blank(c) {
            prev = Some(c);
        }
        j += 1;
    }
    out
}

/// A value as shown in a message: at most 24 characters.
pub fn shown(text: &str) -> String {
    if text.chars().count() <= 24 {
        text.to_string()
    } else {
        let mut short: String = text.chars().take(23).collect();
        short.push('…');
        short
    }
}
