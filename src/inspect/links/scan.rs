//! Finding `href`, `src` and `id` attribute values in an HTML page with a
//! SIMD byte search (no HTML parser: the checker reads every page of the
//! site and must stay a small part of the build), and the line and column
//! of each link for reporting.

use std::borrow::Cow;

/// The attribute a link was found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Attr {
    /// `href="…"` (links, stylesheets).
    Href,
    /// `src="…"` (images, scripts, frames).
    Src,
}

/// One attribute value found in a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    /// Which attribute.
    pub attr: Attr,
    /// Byte range of the value (quotes excluded).
    pub start: usize,
    /// End of the value (exclusive).
    pub end: usize,
    /// 1-based line of the value's first character.
    pub line: u32,
    /// 1-based column in characters.
    pub column: u32,
}

/// Read `page` once: every `href` and `src` value with its position,
/// appended to `links` in order, and every `id` value, entity-decoded,
/// each followed by a NUL byte (returned). One pass over the `=` signs,
/// which is several times faster than one substring search per attribute.
pub fn scan(page: &[u8], links: &mut Vec<Found>) -> Vec<u8> {
    let first = links.len();
    let mut ids = Vec::new();
    for at in memchr::memchr_iter(b'=', page) {
        let (attr, name_len) = match &page[at.saturating_sub(4)..at] {
            [.., b'h', b'r', b'e', b'f'] => (Some(Attr::Href), 4),
            [.., b's', b'r', b'c'] => (Some(Attr::Src), 3),
            [.., b'i', b'd'] => (None, 2),
            _ => continue,
        };
        let Some((start, end)) = attribute_value(page, at - name_len, name_len + 1) else {
            continue;
        };
        match attr {
            Some(attr) => links.push(Found {
                attr,
                start,
                end,
                line: 0,
                column: 0,
            }),
            None => {
                ids.extend_from_slice(&decode_entities(&page[start..end]));
                ids.push(0);
            }
        }
    }
    set_positions(page, &mut links[first..]);
    ids
}

/// True when the NUL-separated `ids` hold `id`.
pub fn has_id(ids: &[u8], id: &[u8]) -> bool {
    ids.split(|&b| b == 0).any(|one| one == id)
}

/// The value of the attribute whose name ends just before `at + name_len`
/// (`at` is where `href=` was found): only a whole attribute name inside
/// a tag counts, not `data-href=` nor `href=` in the page's text.
fn attribute_value(page: &[u8], at: usize, name_len: usize) -> Option<(usize, usize)> {
    let before = *page.get(at.checked_sub(1)?)?;
    if !before.is_ascii_whitespace() {
        return None;
    }
    // Inside a tag: the nearest angle bracket before is an opening one.
    if page[memchr::memrchr2(b'<', b'>', &page[..at])?] != b'<' {
        return None;
    }
    let value_at = at + name_len;
    match *page.get(value_at)? {
        quote @ (b'"' | b'\'') => {
            let start = value_at + 1;
            let len = memchr::memchr(quote, &page[start..])?;
            Some((start, start + len))
        }
        b'>' => None,
        c if c.is_ascii_whitespace() => None,
        _ => {
            let len = page[value_at..]
                .iter()
                .position(|&b| b.is_ascii_whitespace() || b == b'>')
                .unwrap_or(page.len() - value_at);
            Some((value_at, value_at + len))
        }
    }
}

/// Fill in line and column (in characters) of sorted values, sweeping the
/// page once.
fn set_positions(page: &[u8], found: &mut [Found]) {
    let (mut line, mut line_start) = (1u32, 0usize);
    let (mut counted_to, mut column) = (0usize, 1u32);
    for f in found.iter_mut() {
        let between = &page[counted_to.max(line_start)..f.start];
        let newlines = memchr::memchr_iter(b'\n', between).count();
        if newlines > 0 {
            line += newlines as u32;
            let from = counted_to.max(line_start);
            line_start = from + memchr::memrchr(b'\n', between).unwrap_or(0) + 1;
            column = 1;
            counted_to = line_start;
        }
        column += chars(&page[counted_to..f.start]);
        counted_to = f.start;
        f.line = line;
        f.column = column;
    }
}

/// UTF-8 characters in `bytes` (bytes that do not continue a character).
fn chars(bytes: &[u8]) -> u32 {
    bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count() as u32
}

/// `text` with the character references HTML attributes use replaced
/// (`&amp;`, `&quot;`, `&#39;`, `&#x2F;` …); unknown ones stay as written.
pub fn decode_entities(text: &[u8]) -> Cow<'_, [u8]> {
    if memchr::memchr(b'&', text).is_none() {
        return Cow::Borrowed(text);
    }
    let mut out = Vec::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = memchr::memchr(b'&', rest) {
        out.extend_from_slice(&rest[..at]);
        rest = &rest[at..];
        let semi = rest.iter().take(12).position(|&b| b == b';');
        let decoded = semi.and_then(|semi| Some((entity(&rest[1..semi])?, semi)));
        match decoded {
            Some((c, semi)) => {
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                rest = &rest[semi + 1..];
            }
            None => {
                out.push(b'&');
                rest = &rest[1..];
            }
        }
    }
    out.extend_from_slice(rest);
    Cow::Owned(out)
}

fn entity(name: &[u8]) -> Option<char> {
    match name {
        b"amp" => Some('&'),
        b"lt" => Some('<'),
        b"gt" => Some('>'),
        b"quot" => Some('"'),
        b"apos" => Some('\''),
        [b'#', b'x' | b'X', hex @ ..] => char::from_u32(number(hex, 16)?),
        [b'#', dec @ ..] => char::from_u32(number(dec, 10)?),
        _ => None,
    }
}

fn number(digits: &[u8], radix: u32) -> Option<u32> {
    let text = std::str::from_utf8(digits).ok()?;
    if text.is_empty() || text.starts_with('+') {
        return None;
    }
    u32::from_str_radix(text, radix).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(page: &str) -> Vec<(Attr, &str, u32, u32)> {
        let mut links = Vec::new();
        scan(page.as_bytes(), &mut links);
        links
            .into_iter()
            .map(|f| (f.attr, &page[f.start..f.end], f.line, f.column))
            .collect()
    }

    #[test]
    fn finds_href_and_src_in_order_with_positions() {
        let page =
            "<p>一二 <a href=\"/a/\">x</a>\n  <img src='b.png' alt=x><a class=y href=c>\n</a>";
        assert_eq!(
            values(page),
            vec![
                (Attr::Href, "/a/", 1, 16),
                (Attr::Src, "b.png", 2, 13),
                (Attr::Href, "c", 2, 42),
            ]
        );
    }

    #[test]
    fn ignores_text_and_other_attribute_names() {
        let page = "<p>write href=\"x\" here</p><a data-href=\"y\" xhref=\"z\">\
                    <code>&lt;a href=\"q\"&gt;</code><a href=>";
        assert!(values(page).is_empty(), "{:?}", values(page));
    }

    #[test]
    fn collects_ids_with_entities_decoded() {
        let ids = scan(
            b"<h2 id=\"\xe5\xa6\x82\xe4\xbd\x95\">x</h2><div id='a&amp;b'><p grid=\"n\">",
            &mut Vec::new(),
        );
        assert!(has_id(&ids, "如何".as_bytes()));
        assert!(has_id(&ids, b"a&b"));
        assert!(!has_id(&ids, b"n"));
        assert!(!has_id(&ids, b"a"));
    }

    #[test]
    fn entities_are_decoded_and_unknown_ones_kept() {
        let decoded = decode_entities(b"/a?x=1&amp;y=2&#47;&#x4e00;&nope;&");
        assert_eq!(&*decoded, "/a?x=1&y=2/一&nope;&".as_bytes());
        assert!(matches!(decode_entities(b"/plain/"), Cow::Borrowed(_)));
    }

    #[test]
    fn columns_count_characters_on_long_lines() {
        let page = format!(
            "{}<a href=\"/x/\"></a>{}<img src=\"/y.png\">",
            "中".repeat(10),
            "文".repeat(5)
        );
        let v = values(&page);
        assert_eq!(v[0].2, 1);
        assert_eq!(v[0].3, 20);
        assert_eq!(v[1].3, 44);
    }
}
