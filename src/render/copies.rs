//! The Simplified and Traditional copies of a site, rendered once.
//!
//! With `traditional = true` every page exists twice: at its address and
//! under `/zh-hant/`, converted to Traditional ([`crate::hant`]). The two differ in
//! the text and in a few values: the copy's base path (links stay inside
//! the copy), the page language, and the link to the other copy. So the
//! site is rendered once with those values replaced by placeholders
//! (Unicode noncharacters, which content may not contain), and each file
//! is then written twice by [`CopySink`]: with the main copy's values, and
//! converted to Traditional characters with the Traditional copy's values.
//! Files only the main copy has (QR images, short links, attachments, the
//! site's static files, the sitemap) go through `put_main` / `put_raw`.
//!
//! Templates see the placeholders in `site.base_path`, `site.base_url`,
//! `site.language`, `page.url`, `page.permalink` and `lang.other_*`: they
//! may print and compare them with each other, but not with literal text.

use crate::config::{Config, HANT_DIR};
use crate::diag::Result;
use crate::output::Sink;
use std::borrow::Cow;

/// The copy's base path (no trailing slash).
pub const BASE: char = '\u{FDD0}';
/// The other copy's base path.
pub const OTHER_BASE: char = '\u{FDD1}';
/// The page language (`zh-CN`, `zh-Hant`).
pub const LANGUAGE: char = '\u{FDD2}';
/// The other copy's language tag for `hreflang` (`zh-Hant`, `zh-Hans`).
pub const OTHER_LANGUAGE: char = '\u{FDD3}';
/// The name of the other copy's script, in the target script (繁體, 简体).
pub const OTHER_NAME: char = '\u{FDD4}';

/// The placeholders in the order of [`Values`]; consecutive code points.
#[cfg(test)]
const PLACEHOLDERS: [char; 5] = [BASE, OTHER_BASE, LANGUAGE, OTHER_LANGUAGE, OTHER_NAME];

/// What editors are told when a file holds a reserved character.
pub const RESERVED_MESSAGE: &str =
    "文件里有一个不可见的非法字符（U+FDD0–U+FDEF，通常是从别处复制来的）：请删除它";

/// True for characters content may not contain: the placeholders and the
/// rest of their block of noncharacters (U+FDD0–U+FDEF).
pub fn is_reserved(c: char) -> bool {
    ('\u{FDD0}'..='\u{FDEF}').contains(&c)
}

/// The byte offset of the first [`is_reserved`] character of `text`.
/// (They are EF B7 90..AF in UTF-8; a byte search is many times faster than
/// looking at every character of every content file.)
pub fn find_reserved(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let finder = memchr::memmem::Finder::new(&[0xEF, 0xB7]);
    let mut at = 0;
    while let Some(found) = finder.find(&bytes[at..]) {
        let start = at + found;
        if matches!(bytes.get(start + 2), Some(0x90..=0xAF)) {
            return Some(start);
        }
        at = start + 2;
    }
    None
}

/// The configuration to render a two-copy site with: base path, base URL
/// and language as placeholders. QR codes and attachments keep using the
/// real `canonical_url` / `canonical_path`.
pub fn placeholder_config(config: &Config) -> Config {
    let origin = config
        .canonical_url
        .strip_suffix(&config.canonical_path)
        .unwrap_or(&config.canonical_url);
    Config {
        base_url: format!("{origin}{BASE}"),
        base_path: BASE.to_string(),
        language: LANGUAGE.to_string(),
        ..config.clone()
    }
}

/// What the placeholders stand for in each copy.
pub struct Values {
    main: [String; 5],
    hant: [String; 5],
    /// The conversion of the Traditional copy, with the site's phrases.
    converter: crate::hant::Converter,
}

impl Values {
    /// The values of `config`'s two copies.
    pub fn new(config: &Config) -> Values {
        let base = config.canonical_path.clone();
        let hant = format!("{base}/{HANT_DIR}");
        Values {
            main: [
                base.clone(),
                hant.clone(),
                config.language.clone(),
                "zh-Hant".to_string(),
                "繁體".to_string(),
            ],
            hant: [
                hant,
                base,
                "zh-Hant".to_string(),
                "zh-Hans".to_string(),
                "简体".to_string(),
            ],
            converter: crate::hant::Converter::with_phrases(&config.traditional_phrases),
        }
    }
}

/// Writes each rendered file into both copies (see the module docs).
pub struct CopySink<'a> {
    /// Where both copies go.
    pub inner: &'a dyn Sink,
    /// The placeholders' values.
    pub values: &'a Values,
}

impl CopySink<'_> {
    fn main_bytes<'b>(&self, rel: &str, bytes: &'b [u8]) -> Cow<'b, [u8]> {
        if is_text(rel) {
            substitute(bytes, &self.values.main)
        } else {
            Cow::Borrowed(bytes)
        }
    }
}

impl Sink for CopySink<'_> {
    fn put(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        self.inner.put(rel, &self.main_bytes(rel, bytes))?;
        let hant_rel = format!("{HANT_DIR}/{rel}");
        if !is_text(rel) {
            return self.inner.put(&hant_rel, bytes);
        }
        let converted = crate::timings::span(crate::timings::Span::Convert, || {
            self.values.converter.convert_bytes(bytes)
        });
        let text = converted.as_deref().unwrap_or(bytes);
        self.inner
            .put(&hant_rel, &substitute(text, &self.values.hant))
    }

    fn put_main(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        self.inner.put(rel, &self.main_bytes(rel, bytes))
    }

    fn put_raw(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        self.inner.put(rel, bytes)
    }
}

/// Files whose text is rendered (and converted in the Traditional copy).
pub fn is_text(rel: &str) -> bool {
    [".html", ".xml", ".json", ".svg", ".css", ".js", ".txt"]
        .iter()
        .any(|e| rel.ends_with(e))
}

/// `bytes` with every placeholder replaced by its value.
fn substitute<'b>(bytes: &'b [u8], values: &[String; 5]) -> Cow<'b, [u8]> {
    let mut out: Option<Vec<u8>> = None;
    let mut copied = 0;
    let mut at = 0;
    // U+FDD0..U+FDD4 are EF B7 90..94. Searching for EF alone stops at
    // every full-width punctuation mark (，：（ are EF BC xx).
    let finder = memchr::memmem::Finder::new(&[0xEF, 0xB7]);
    while let Some(found) = finder.find(&bytes[at..]) {
        let start = at + found;
        at = start + 2;
        let index = match bytes.get(start + 2) {
            Some(&last @ 0x90..=0x94) => usize::from(last - 0x90),
            _ => continue,
        };
        let out = out.get_or_insert_with(|| Vec::with_capacity(bytes.len() + 64));
        out.extend_from_slice(&bytes[copied..start]);
        out.extend_from_slice(values[index].as_bytes());
        copied = start + 3;
        at = copied;
    }
    match out {
        None => Cow::Borrowed(bytes),
        Some(mut out) => {
            out.extend_from_slice(&bytes[copied..]);
            Cow::Owned(out)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_replaced_and_nothing_else() {
        let values = [
            "/gk".to_string(),
            "/gk/zh-hant".to_string(),
            "zh-CN".to_string(),
            "zh-Hant".to_string(),
            "繁體".to_string(),
        ];
        let page = format!(
            "<html lang=\"{LANGUAGE}\"><a href=\"{BASE}/a/\">关</a><a href=\"{OTHER_BASE}/a/\" hreflang=\"{OTHER_LANGUAGE}\">{OTHER_NAME}</a>\u{FDD5}\u{FFFD}"
        );
        let out = substitute(page.as_bytes(), &values);
        assert_eq!(
            String::from_utf8(out.into_owned()).unwrap(),
            "<html lang=\"zh-CN\"><a href=\"/gk/a/\">关</a><a href=\"/gk/zh-hant/a/\" hreflang=\"zh-Hant\">繁體</a>\u{FDD5}\u{FFFD}"
        );
        assert!(matches!(substitute(b"plain", &values), Cow::Borrowed(_)));
        // Cut-off sequences at the end are left alone.
        assert_eq!(&*substitute(b"a\xEF\xB7", &values), b"a\xEF\xB7");
        assert!(PLACEHOLDERS.iter().all(|&p| is_reserved(p)));
        assert!(!is_reserved('关') && !is_reserved('\u{FDF0}'));
        for c in [
            '\u{FDCF}', '\u{FDD0}', '\u{FDE3}', '\u{FDEF}', '\u{FDF0}', '，',
        ] {
            let text = format!("正文，{c}末尾");
            assert_eq!(
                find_reserved(&text),
                text.find(is_reserved),
                "{:X}",
                u32::from(c)
            );
        }
    }
}
