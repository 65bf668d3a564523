//! Request paths: turning the target of an HTTP request into a path of the
//! site held in memory, refusing every form that could name something
//! outside it.
//!
//! The site is a map from relative paths to bytes, so a lookup can never
//! reach the disk; the checks are here anyway, explicitly, so that no future
//! change (serving attachments straight from `content/`, say) inherits a
//! path that climbs out. Everything is refused rather than repaired: `..`
//! and `.` segments, their percent-encoded and double-encoded forms,
//! backslashes, NUL and other control characters, absolute and drive paths,
//! empty segments, and Unicode look-alikes that NFKC normalisation turns into
//! dots or separators (fullwidth `．．`, `／`, `＼`, the two-dot leader …).

use std::fmt;

/// Why a request path was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// Not an origin-form target starting with `/`.
    NotOrigin,
    /// A `%` not followed by two hexadecimal digits.
    BadEscape,
    /// The decoded path is not UTF-8.
    NotUtf8,
    /// NUL or another control character.
    Control,
    /// A backslash, raw or encoded.
    Backslash,
    /// A `.` or `..` segment, however it was written.
    DotSegment,
    /// `//`, a leading drive letter, or another absolute form.
    Absolute,
    /// A character that normalises to a dot or a separator.
    LookAlike,
    /// An escape that decodes to another escape of a dot or separator.
    DoubleEncoded,
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            Refused::NotOrigin => "请求地址必须以 / 开头",
            Refused::BadEscape => "地址中的 % 编码不完整",
            Refused::NotUtf8 => "地址解码后不是 UTF-8 文本",
            Refused::Control => "地址中含有控制字符",
            Refused::Backslash => "地址中含有反斜杠",
            Refused::DotSegment => "地址中含有 . 或 .. 路径段",
            Refused::Absolute => "地址是绝对路径或含有空路径段",
            Refused::LookAlike => "地址中含有形似 . / \\ 的全角或兼容字符",
            Refused::DoubleEncoded => "地址中含有重复编码的 . / \\",
        };
        f.write_str(text)
    }
}

/// A request path inside the site: decoded, checked segments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SitePath {
    segments: Vec<String>,
    /// The request named a directory (ended with `/`, or was `/`).
    dir: bool,
}

impl SitePath {
    /// The key of the file to serve: `index.html` for a directory.
    pub fn key(&self) -> String {
        let joined = self.segments.join("/");
        match (self.dir, joined.is_empty()) {
            (true, true) => "index.html".to_string(),
            (true, false) => format!("{joined}/index.html"),
            (false, _) => joined,
        }
    }

    /// The key of the index page if this path names a directory without
    /// its trailing slash (`/a/b` → `a/b/index.html`).
    pub fn index_key(&self) -> Option<String> {
        (!self.dir && !self.segments.is_empty())
            .then(|| format!("{}/index.html", self.segments.join("/")))
    }

    /// The path percent-encoded again, with a trailing slash: where to
    /// redirect a directory requested without one.
    pub fn dir_url(&self) -> String {
        const SET: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
            .remove(b'-')
            .remove(b'_')
            .remove(b'.')
            .remove(b'~');
        let mut url = String::from("/");
        for segment in &self.segments {
            url.extend(percent_encoding::utf8_percent_encode(segment, SET));
            url.push('/');
        }
        url
    }
}

/// Turn a request target (`/a/b?x=1`) into a path of the site, or refuse it.
pub fn parse(target: &str) -> Result<SitePath, Refused> {
    let path = target
        .split_once(['?', '#'])
        .map_or(target, |(path, _)| path);
    let rest = path.strip_prefix('/').ok_or(Refused::NotOrigin)?;
    if rest.starts_with('/') {
        return Err(Refused::Absolute);
    }
    let dir = rest.is_empty() || rest.ends_with('/');
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    let mut segments = Vec::new();
    if !rest.is_empty() {
        for raw in rest.split('/') {
            segments.push(segment(raw)?);
        }
    }
    if segments.first().is_some_and(|s| is_drive(s)) {
        return Err(Refused::Absolute);
    }
    Ok(SitePath { segments, dir })
}

/// Decode and check one raw segment (between two `/`).
fn segment(raw: &str) -> Result<String, Refused> {
    if raw.is_empty() {
        return Err(Refused::Absolute);
    }
    let bytes = percent_decode(raw.as_bytes())?;
    let text = String::from_utf8(bytes).map_err(|_| Refused::NotUtf8)?;
    check_decoded(&text)?;
    // An escape left after decoding (`%252e` → `%2e`) must not hide a dot or
    // separator from anything that decodes a second time.
    // A `%` that starts no escape is a literal one in a file name: harmless.
    if let Some(again) = text
        .contains('%')
        .then(|| percent_decode(text.as_bytes()).ok())
        .flatten()
        && check_decoded(&String::from_utf8_lossy(&again)).is_err()
    {
        return Err(Refused::DoubleEncoded);
    }
    Ok(text)
}

/// The checks on a decoded segment.
fn check_decoded(text: &str) -> Result<(), Refused> {
    if text.chars().any(char::is_control) {
        return Err(Refused::Control);
    }
    if text.contains('\\') {
        return Err(Refused::Backslash);
    }
    if text.contains('/') {
        // Only an encoded slash can get here: `%2f` inside a segment.
        return Err(Refused::DotSegment);
    }
    if text == "." || text == ".." {
        return Err(Refused::DotSegment);
    }
    let folded = fold_lookalikes(text);
    if folded != text {
        let separator = folded.contains(['/', '\\']);
        let dots = folded == "." || folded == "..";
        if separator || dots {
            return Err(Refused::LookAlike);
        }
    }
    Ok(())
}

/// Characters whose NFKC form contains a dot segment or a separator, with
/// that form. Computed from the Unicode tables; colons and ellipses are left
/// alone because Chinese titles use `：` and `…`.
const LOOKALIKES: &[(char, &str)] = &[
    ('\u{2024}', "."),   // ONE DOT LEADER
    ('\u{2025}', ".."),  // TWO DOT LEADER
    ('\u{FE30}', ".."),  // VERTICAL TWO DOT LEADER
    ('\u{FE52}', "."),   // SMALL FULL STOP
    ('\u{FF0E}', "."),   // FULLWIDTH FULL STOP
    ('\u{FF0F}', "/"),   // FULLWIDTH SOLIDUS
    ('\u{FE68}', "\\"),  // SMALL REVERSE SOLIDUS
    ('\u{FF3C}', "\\"),  // FULLWIDTH REVERSE SOLIDUS
    ('\u{2100}', "a/c"), // ACCOUNT OF
    ('\u{2101}', "a/s"), // ADDRESSED TO THE SUBJECT
    ('\u{2105}', "c/o"), // CARE OF
    ('\u{2106}', "c/u"), // CADA UNA
];

fn fold_lookalikes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match LOOKALIKES.iter().find(|(k, _)| *k == c) {
            Some((_, folded)) => out.push_str(folded),
            None => out.push(c),
        }
    }
    out
}

/// `C:` or `c:`: a Windows drive, absolute on that system.
fn is_drive(segment: &str) -> bool {
    let bytes = segment.as_bytes();
    bytes.len() == 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':'
}

/// Strict percent-decoding: a `%` must be followed by two hex digits.
fn percent_decode(raw: &[u8]) -> Result<Vec<u8>, Refused> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == b'%' {
            let hex = raw.get(i + 1..i + 3).ok_or(Refused::BadEscape)?;
            let value = std::str::from_utf8(hex)
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or(Refused::BadEscape)?;
            out.push(value);
            i += 3;
        } else {
            out.push(raw[i]);
            i += 1;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(target: &str) -> String {
        parse(target)
            .unwrap_or_else(|e| panic!("{target}: {e}"))
            .key()
    }

    #[test]
    fn ordinary_paths_map_to_keys() {
        assert_eq!(key("/"), "index.html");
        assert_eq!(key("/style.css"), "style.css");
        assert_eq!(key("/a/b/"), "a/b/index.html");
        assert_eq!(key("/a/b/?x=1#top"), "a/b/index.html");
        assert_eq!(key("/a/qr.svg"), "a/qr.svg");
        assert_eq!(
            key("/%E6%94%BF%E7%AD%96/%E9%80%9A%E7%9F%A5/"),
            "政策/通知/index.html"
        );
        assert_eq!(key("/%e6%94%bf%e7%ad%96"), "政策");
        assert_eq!(key("/a%20b"), "a b");
        assert_eq!(key("/.well-known/security.txt"), ".well-known/security.txt");
        // Chinese punctuation that is not a dot or separator stays allowed.
        assert_eq!(
            key("/%E5%85%B3%E4%BA%8E%EF%BC%9A%E2%80%A6/"),
            "关于：…/index.html"
        );
        assert_eq!(key("/100%25"), "100%");
    }

    #[test]
    fn directories_without_slash_find_their_index() {
        let path = parse("/mycounty/news").unwrap();
        assert_eq!(path.key(), "mycounty/news");
        assert_eq!(
            path.index_key().as_deref(),
            Some("mycounty/news/index.html")
        );
        assert_eq!(path.dir_url(), "/mycounty/news/");
        assert_eq!(parse("/政策").unwrap().dir_url(), "/%E6%94%BF%E7%AD%96/");
        assert_eq!(parse("/").unwrap().index_key(), None);
    }

    #[test]
    fn every_way_out_is_refused() {
        let cases: &[(&str, Refused)] = &[
            ("/..", Refused::DotSegment),
            ("/../etc/passwd", Refused::DotSegment),
            ("/a/../../etc/passwd", Refused::DotSegment),
            ("/a/./b", Refused::DotSegment),
            ("/%2e%2e/etc/passwd", Refused::DotSegment),
            ("/%2E%2E%2Fetc%2Fpasswd", Refused::DotSegment),
            ("/..%2fetc%2fpasswd", Refused::DotSegment),
            ("/a/%2e%2e", Refused::DotSegment),
            ("/a/.%2e/", Refused::DotSegment),
            ("/a%2fb", Refused::DotSegment),
            ("/%252e%252e/x", Refused::DoubleEncoded),
            ("/%252e%252e%252fx", Refused::DoubleEncoded),
            ("/a%255cb", Refused::DoubleEncoded),
            ("/..\\etc", Refused::Backslash),
            ("/a\\b", Refused::Backslash),
            ("/%5c..%5cetc", Refused::Backslash),
            ("/a%00.html", Refused::Control),
            ("/a%0d%0aSet-Cookie:x", Refused::Control),
            ("/\u{FF0E}\u{FF0E}/etc/passwd", Refused::LookAlike),
            ("/%EF%BC%8E%EF%BC%8E/etc/passwd", Refused::LookAlike),
            ("/%EF%BC%8E/", Refused::LookAlike),
            ("/a\u{FF0F}..", Refused::LookAlike),
            ("/a\u{FF3C}b", Refused::LookAlike),
            ("/\u{2025}/x", Refused::LookAlike),
            ("/\u{FE52}\u{FF0E}", Refused::LookAlike),
            ("//etc/passwd", Refused::Absolute),
            ("/a//b", Refused::Absolute),
            ("/C:/Windows/win.ini", Refused::Absolute),
            ("/c%3a/x", Refused::Absolute),
            ("etc/passwd", Refused::NotOrigin),
            ("http://127.0.0.1/x", Refused::NotOrigin),
            ("*", Refused::NotOrigin),
            ("/%zz", Refused::BadEscape),
            ("/%2", Refused::BadEscape),
            ("/%ff%fe", Refused::NotUtf8),
            ("/%c0%ae%c0%ae/", Refused::NotUtf8),
        ];
        for (target, expected) in cases {
            assert_eq!(parse(target), Err(*expected), "{target}");
        }
    }

    #[test]
    fn refusal_reasons_are_chinese() {
        assert!(Refused::DotSegment.to_string().contains(".."));
    }
}
