//! Identity that never changes (DESIGN §4): slugs, 索引号 and short codes.

use crate::date::Date;
use sha2::{Digest, Sha256};

const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// The slug of a file or folder name: white space becomes `-`, Chinese is kept.
pub fn slug_from_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut last_dash = false;
    for c in name.trim().chars() {
        if c.is_whitespace() {
            if !last_dash {
                out.push('-');
            }
            last_dash = true;
        } else {
            out.push(c);
            last_dash = false;
        }
    }
    out
}

/// A path segment that cannot leave its directory or hide: no separators,
/// no `.`/`..`, no control characters, not empty.
pub fn is_safe_segment(segment: &str) -> bool {
    !segment.is_empty()
        && segment != "."
        && segment != ".."
        && !segment.starts_with('.')
        && !segment
            .chars()
            .any(|c| c == '/' || c == '\\' || c.is_control() || c == '?' || c == '#')
}

/// The 8-character Crockford base32 short code of an item, derived from its
/// district code and 索引号 only, so moving or renaming the file keeps it.
pub fn short_code(district_code: &str, index_no: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(district_code.as_bytes());
    hasher.update(b"\n");
    hasher.update(index_no.as_bytes());
    let digest = hasher.finalize();
    let mut bits: u64 = 0;
    for byte in &digest[..5] {
        bits = (bits << 8) | u64::from(*byte);
    }
    (0..8)
        .rev()
        .map(|i| CROCKFORD[((bits >> (i * 5)) & 31) as usize] as char)
        .collect()
}

/// Normalise a short code as typed by a person (Crockford: case-insensitive,
/// O→0, I/L→1); `None` if it cannot be one.
pub fn normalise_short_code(text: &str) -> Option<String> {
    let code: String = text
        .chars()
        .filter(|c| *c != '-')
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        })
        .collect();
    (code.len() == 8 && code.bytes().all(|b| CROCKFORD.contains(&b))).then_some(code)
}

/// The parts an 索引号 is made of.
pub struct IndexParts<'a> {
    /// 统一社会信用代码 or 组织机构代码.
    pub org_code: &'a str,
    /// Administrative division code.
    pub code: &'a str,
    /// District folder id.
    pub district: &'a str,
    /// Year of the publish date.
    pub year: u16,
}

/// Format an 索引号 with `index_format` (`{org_code}`, `{code}`, `{district}`,
/// `{year}`, `{seq}` or `{seq:0N}`).
pub fn format_index_no(format: &str, parts: &IndexParts, seq: u32) -> String {
    let mut out = String::new();
    let mut rest = format;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}') else {
            out.push_str(&rest[open..]);
            return out;
        };
        let field = &rest[open + 1..open + close];
        match field {
            "org_code" => out.push_str(first_non_empty(&[
                parts.org_code,
                parts.code,
                parts.district,
            ])),
            "code" => out.push_str(first_non_empty(&[parts.code, parts.district])),
            "district" => out.push_str(parts.district),
            "year" => out.push_str(&parts.year.to_string()),
            "seq" => out.push_str(&seq.to_string()),
            f if f.starts_with("seq:") => {
                let width: usize = f[4..].trim_start_matches('0').parse().unwrap_or(1).min(20);
                out.push_str(&format!("{seq:0width$}"));
            }
            other => {
                out.push('{');
                out.push_str(other);
                out.push('}');
            }
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

/// The first non-empty text (a district without codes falls back to its id).
fn first_non_empty<'a>(candidates: &[&'a str]) -> &'a str {
    candidates
        .iter()
        .copied()
        .find(|c| !c.is_empty())
        .unwrap_or("")
}

/// The sequence number of an 索引号 made with `format` for these parts, if it is one.
pub fn parse_index_seq(format: &str, parts: &IndexParts, index_no: &str) -> Option<u32> {
    // Compare the text before and after the sequence field.
    let placeholder = format.find("{seq")?;
    let prefix = format_index_no(&format[..placeholder], parts, 0);
    let after = &format[placeholder..];
    let suffix = format_index_no(&after[after.find('}')? + 1..], parts, 0);
    let middle = index_no.strip_prefix(&prefix)?.strip_suffix(&suffix)?;
    if middle.is_empty() || !middle.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    middle.parse().ok()
}

/// A deterministic 索引号 for an item whose editor gave none: the district's
/// code, the year and a code derived from the item's id.
pub fn derived_index_no(parts: &IndexParts, date: Date, id: &str) -> String {
    let code = if parts.org_code.is_empty() {
        parts.code
    } else {
        parts.org_code
    };
    let code = if code.is_empty() {
        parts.district
    } else {
        code
    };
    format!("{code}/{}-{}", date.year, short_code(code, id))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts() -> IndexParts<'static> {
        IndexParts {
            org_code: "11430600006181235F",
            code: "430600",
            district: "yueyang",
            year: 2023,
        }
    }

    #[test]
    fn slug_keeps_chinese_and_dashes_spaces() {
        assert_eq!(
            slug_from_name("12345 一呼即应  通知"),
            "12345-一呼即应-通知"
        );
        assert_eq!(slug_from_name("jiaofang"), "jiaofang");
    }

    #[test]
    fn unsafe_segments_are_refused() {
        for bad in ["", "..", ".", "a/b", "a\\b", ".hidden", "a\u{0}b"] {
            assert!(!is_safe_segment(bad), "{bad:?}");
        }
        assert!(is_safe_segment("交房即交证"));
    }

    #[test]
    fn short_code_is_stable_crockford() {
        let code = short_code("430600", "11430600006181235F/2023-00012");
        assert_eq!(code.len(), 8);
        assert!(code.bytes().all(|b| CROCKFORD.contains(&b)));
        assert_eq!(code, short_code("430600", "11430600006181235F/2023-00012"));
        assert_ne!(code, short_code("430600", "11430600006181235F/2023-00013"));
        assert_ne!(code, short_code("430400", "11430600006181235F/2023-00012"));
        assert_eq!(normalise_short_code(&code.to_lowercase()), Some(code));
    }

    #[test]
    fn index_numbers_format_and_parse() {
        let no = format_index_no("{org_code}/{year}-{seq:05}", &parts(), 12);
        assert_eq!(no, "11430600006181235F/2023-00012");
        assert_eq!(
            parse_index_seq("{org_code}/{year}-{seq:05}", &parts(), &no),
            Some(12)
        );
        assert_eq!(
            parse_index_seq("{org_code}/{year}-{seq:05}", &parts(), "other/2023-00001"),
            None
        );
        assert_eq!(
            format_index_no("{code}-{year}-{seq}", &parts(), 7),
            "430600-2023-7"
        );
    }

    #[test]
    fn districts_without_codes_use_their_id() {
        let bare = IndexParts {
            org_code: "",
            code: "",
            district: "qu",
            year: 2024,
        };
        assert_eq!(
            format_index_no("{org_code}/{year}-{seq:05}", &bare, 1),
            "qu/2024-00001"
        );
        assert_eq!(
            parse_index_seq("{org_code}/{year}-{seq:05}", &bare, "qu/2024-00007"),
            Some(7)
        );
    }

    #[test]
    fn derived_index_numbers_are_deterministic() {
        let date = Date::parse("2023-05-01").unwrap();
        let a = derived_index_no(&parts(), date, "yueyang/news/a");
        assert_eq!(a, derived_index_no(&parts(), date, "yueyang/news/a"));
        assert!(a.starts_with("11430600006181235F/2023-"));
        assert_ne!(a, derived_index_no(&parts(), date, "yueyang/news/b"));
    }
}
