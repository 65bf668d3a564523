//! Simplified to Traditional Chinese: the conversion that makes the
//! Traditional copy of a site (`/zh-hant/`), and the fold that lets a search
//! in Traditional characters find Simplified text.
//!
//! DESIGN §3: the copy is exactly what OpenCC's `s2tw` configuration makes
//! (`opencc -c s2tw.json`): Taiwan-standard character forms, with OpenCC's
//! phrase table choosing the character where one Simplified character
//! stands for several (复印件 → 複印件, 批准 stays 批准, 若干 stays 若干,
//! 头发 → 頭髮, 台风 → 颱風, 联系 → 聯繫), and no vocabulary rewriting (信息
//! stays 信息, 软件 軟件: OpenCC's `TWPhrases` is not used). The algorithm,
//! written here from OpenCC's documented configuration and checked against
//! its command line (tests/traditional_opencc.rs):
//!
//! 1. at each position, the longest phrase of `STPhrases` that starts there
//!    is replaced by its first candidate; a character that starts no phrase
//!    by its first `STCharacters` candidate, or kept;
//! 2. every character of the result goes through `TWVariants` (爲 → 為,
//!    裏 → 裡, 着 → 著, 污 → 汙), also where step 1 kept it.
//!
//! Both steps are precomputed into `hant_table.txt` by
//! `scripts/gen_hant_table.py` from the dictionaries of Debian's `opencc`
//! package (1.1.6+ds1-1, whose CLI reports 1.1.5; OpenCC is Apache-2.0, see
//! `LICENSES/OpenCC-Apache-2.0.txt` and `NOTICE`). Text already in
//! Traditional mostly stays as written, as in OpenCC, which converts a few
//! characters that are both Simplified and Traditional (台 → 臺 outside
//! phrases such as 天台, 里 → 裡 outside 公里) and is not idempotent
//! everywhere (幺 → 么 → 麼).
//!
//! A site may add phrases or override OpenCC's (`[traditional_phrases]` in
//! `site.toml`, see [`Converter::with_phrases`]): they take part in the
//! longest match, and their output is written exactly as given.
//!
//! The conversion runs over every rendered file of the copy, so it is one
//! pass over the bytes: runs of ASCII (markup) are skipped eight bytes at a
//! time; no phrase holds ASCII, so each run of other characters between
//! them is converted on its own, a character costing a lookup in a dense
//! table and, for the few pairs of characters that start phrases, a walk
//! down a phrase trie ([`tables`]); and runs repeated from page to page
//! (navigation, labels, names) are taken from a per-thread [`cache`]. Over
//! the files of a 10,000-item site this costs an eighth more than the
//! earlier character-by-character conversion did (0.25 s of thread time),
//! and the tables take 7 ms to build. ASCII is never changed, nor the
//! copies' placeholder characters (U+FDD0…), which no phrase holds.

mod cache;
mod tables;

use std::borrow::Cow;
use std::sync::{Arc, OnceLock};
use tables::{DenseMap, PER_CHAR, Phrase, Tables};

/// A Simplified → Traditional conversion: OpenCC `s2tw`, with a site's own
/// phrases if it has any. Cheap to clone.
#[derive(Clone)]
pub struct Converter {
    tables: Arc<Tables>,
}

impl Converter {
    /// The conversion without any site phrases.
    pub fn standard() -> Converter {
        static STANDARD: OnceLock<Arc<Tables>> = OnceLock::new();
        let tables = STANDARD.get_or_init(|| {
            Arc::new(Tables::new(
                &tables::pairs("chars"),
                tables::builtin_phrases(),
            ))
        });
        Converter {
            tables: Arc::clone(tables),
        }
    }

    /// The conversion with a site's own phrases, `(Simplified, Traditional)`
    /// pairs checked with [`check_phrase`]: each takes part in the longest
    /// match like OpenCC's phrases, replaces an OpenCC phrase with the same
    /// key, and is written exactly as given (no `TWVariants`).
    ///
    /// Past the first [`MOST_SITE_PHRASES`], and with keys longer than
    /// [`LONGEST_SITE_PHRASE`] characters or not starting with a Chinese
    /// character, phrases are left out (`site.toml` refuses them).
    pub fn with_phrases(site: &[(String, String)]) -> Converter {
        if site.is_empty() {
            return Converter::standard();
        }
        let mut phrases = tables::builtin_phrases();
        let usable =
            |key: &str| key.starts_with(is_han) && key.chars().count() <= LONGEST_SITE_PHRASE;
        phrases.extend(
            site.iter()
                .filter(|(key, _)| usable(key))
                .take(MOST_SITE_PHRASES)
                .map(|(key, output)| Phrase {
                    key,
                    output: Some(output),
                }),
        );
        Converter {
            tables: Arc::new(Tables::new(&tables::pairs("chars"), phrases)),
        }
    }

    /// `text` converted; borrowed when nothing changes.
    pub fn convert<'a>(&self, text: &'a str) -> Cow<'a, str> {
        match self.convert_bytes(text.as_bytes()) {
            None => Cow::Borrowed(text),
            // Valid UTF-8 in gives valid UTF-8 out.
            Some(bytes) => Cow::Owned(String::from_utf8(bytes).unwrap_or_default()),
        }
    }

    /// [`Converter::convert`] on bytes, for files that are UTF-8 text: no
    /// separate validation pass, and bytes that are not valid UTF-8 are
    /// copied as they are (and end a phrase). `None` when nothing changes.
    ///
    /// No phrase holds ASCII, so each run of other bytes between ASCII is
    /// converted on its own; short runs (a page's navigation, labels,
    /// names, dates) repeat from page to page and come from [`cache`].
    pub fn convert_bytes(&self, bytes: &[u8]) -> Option<Vec<u8>> {
        let mut out = Writer::new(bytes);
        let mut at = 0;
        while at < bytes.len() {
            if bytes[at].is_ascii() {
                at += ascii_prefix_len(&bytes[at..]);
                continue;
            }
            let end = at + non_ascii_prefix_len(&bytes[at..]);
            let run = &bytes[at..end];
            if (cache::SHORTEST_RUN..=cache::LONGEST_RUN).contains(&run.len()) {
                cache::with(self, run, |converted| {
                    if let Some(converted) = converted {
                        out.replace(at, end, converted);
                    }
                });
            } else {
                self.convert_run(&mut out, at, end);
            }
            at = end;
        }
        out.finish()
    }

    /// `run` converted on its own, `None` when nothing changes.
    fn convert_alone(&self, run: &[u8]) -> Option<Vec<u8>> {
        let mut out = Writer::new(run);
        self.convert_run(&mut out, 0, run.len());
        out.finish()
    }

    /// Converts `out.bytes[start..end]`, a run without ASCII that is a
    /// whole run or ends where the text does.
    fn convert_run(&self, out: &mut Writer, start: usize, end: usize) {
        let tables = &*self.tables;
        let bytes = out.bytes;
        let mut at = start;
        // The character at `at` when the last step decoded it already.
        let mut ahead: Option<(u32, usize)> = None;
        while at < end {
            let (code, len) = ahead.take().unwrap_or_else(|| decode(bytes, at));
            let entry = tables.map.get(code);
            let next = at + len;
            // Phrases of one character (only a site's) are `single` below.
            if entry.starts_phrases() && next < end {
                let (second, second_len) = decode(bytes, next);
                let phrase = tables
                    .pair(entry, code, second)
                    .and_then(|node| tables.walk(&bytes[..end], node, next + second_len));
                if let Some((phrase_end, value)) = phrase {
                    out.phrase(tables, at, phrase_end, value);
                    at = phrase_end;
                    continue;
                }
                ahead = Some((second, second_len));
            }
            match (tables.single(entry), entry.to()) {
                (Some(value), _) => out.phrase(tables, at, next, value),
                (None, Some((to, to_len))) => out.replace(at, next, &to[..to_len]),
                (None, None) => {}
            }
            at = next;
        }
    }
}

/// The output of a conversion, made only once something changes: a copy
/// of the input changed in place while every change keeps the length (a
/// three-byte character for a three-byte one, as nearly all are), then,
/// from the first change that does not, written piece by piece.
struct Writer<'a> {
    bytes: &'a [u8],
    out: Option<Vec<u8>>,
    /// `None` while `out` is the input changed in place, then the number
    /// of bytes of the input that `out` holds (converted).
    copied: Option<usize>,
}

impl<'a> Writer<'a> {
    fn new(bytes: &'a [u8]) -> Writer<'a> {
        Writer {
            bytes,
            out: None,
            copied: None,
        }
    }

    /// Writes the phrase `value` of `tables` for `bytes[start..end]`.
    fn phrase(&mut self, tables: &Tables, start: usize, end: usize, value: u32) {
        if value != PER_CHAR {
            let output = tables.output(value).as_bytes();
            // Compared only while nothing has changed (so that text that
            // does not change stays borrowed); then written all the same.
            if self.out.is_some() || self.bytes[start..end] != *output {
                self.replace(start, end, output);
            }
            return;
        }
        let mut at = start;
        while at < end {
            let (code, len) = decode(self.bytes, at);
            if let Some((to, to_len)) = tables.map.get(code).to() {
                self.replace(at, at + len, &to[..to_len]);
            }
            at += len;
        }
    }

    /// Writes `new` for `bytes[start..end]`.
    #[inline(always)]
    fn replace(&mut self, start: usize, end: usize, new: &[u8]) {
        let bytes = self.bytes;
        if self.copied.is_none() && new.len() == end - start {
            let out = self.out.get_or_insert_with(|| bytes.to_vec());
            match new.len() {
                // A character, most often: no call to copy three bytes.
                ..=4 => {
                    for (to, &from) in out[start..end].iter_mut().zip(new) {
                        *to = from;
                    }
                }
                _ => out[start..end].copy_from_slice(new),
            }
            return;
        }
        let out = self.out.get_or_insert_with(|| {
            let mut out = Vec::with_capacity(bytes.len() + 64);
            out.extend_from_slice(&bytes[..start]);
            out
        });
        match self.copied {
            // In place so far: `out` holds all of the input.
            None => out.truncate(start),
            Some(copied) => out.extend_from_slice(&bytes[copied..start]),
        }
        out.extend_from_slice(new);
        self.copied = Some(end);
    }

    fn finish(self) -> Option<Vec<u8>> {
        self.out.map(|mut out| {
            if let Some(copied) = self.copied {
                out.extend_from_slice(&self.bytes[copied..]);
            }
            out
        })
    }
}

/// Converts Simplified Chinese to Traditional as OpenCC `s2tw` does (see
/// the module docs), without site phrases. ASCII and HTML markup,
/// punctuation, kana and characters without an entry are kept, so whole
/// HTML pages can be converted. Returns the input borrowed when no
/// character changes.
pub fn to_traditional(text: &str) -> Cow<'_, str> {
    Converter::standard().convert(text)
}

/// [`to_traditional`] on bytes (see [`Converter::convert_bytes`]).
pub fn to_traditional_bytes(bytes: &[u8]) -> Option<Vec<u8>> {
    Converter::standard().convert_bytes(bytes)
}

fn fold_map() -> &'static DenseMap<char> {
    static FOLD: OnceLock<DenseMap<char>> = OnceLock::new();
    FOLD.get_or_init(|| {
        let mut map = DenseMap::new();
        for (from, to) in tables::pairs("fold") {
            if let Some(slot) = map.slot(u32::from(from)) {
                *slot = to;
            }
        }
        map
    })
}

/// Folds a character to the form search compares: Traditional characters to
/// their Simplified form (政務 → 政务, 複 → 复, 髮 → 发, 颱 → 台), rare
/// variant forms to the common one (锺 → 钟); anything else is returned as
/// it is.
///
/// The fold is idempotent, and folding the conversion of a text gives the
/// fold of the text (for every character and every OpenCC phrase), so a
/// search index and a query folded with it match whether either was
/// written in Simplified or in Traditional characters.
pub fn to_simplified_char(c: char) -> char {
    match fold_map().get(u32::from(c)) {
        '\0' => c,
        folded => folded,
    }
}

/// Every `(from, to)` pair of [`to_simplified_char`] that changes a
/// character, in code point order: for code outside Rust that has to fold
/// the same way.
pub fn simplified_fold_pairs() -> Vec<(char, char)> {
    tables::pairs("fold")
}

/// True for a character that is Traditional only: OpenCC turns it into
/// another when converting to Simplified and never converts it to
/// Traditional (複 後 髮 are, 复 乾 著 are not).
pub fn is_traditional_only(c: char) -> bool {
    static TRADITIONAL: OnceLock<Vec<char>> = OnceLock::new();
    TRADITIONAL
        .get_or_init(|| {
            let mut all: Vec<char> = tables::section("traditional")
                .1
                .flat_map(str::chars)
                .collect();
            all.sort_unstable();
            all
        })
        .binary_search(&c)
        .is_ok()
}

/// At most this many phrases in a site's `[traditional_phrases]`.
pub const MOST_SITE_PHRASES: usize = 10_000;
/// At most this many characters in the key of a site's phrase.
pub const LONGEST_SITE_PHRASE: usize = 32;

/// True for a Chinese character (a CJK unified or compatibility ideograph,
/// or 〇).
pub fn is_han(c: char) -> bool {
    matches!(u32::from(c),
        0x3007 | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x2_0000..=0x3_FFFF)
}

/// Why a site's phrase `(key, output)` cannot be used, in Chinese for the
/// editor, or `None` when it can: the key is Simplified Chinese characters
/// (a middle dot may join names), at most [`LONGEST_SITE_PHRASE`] of them,
/// the output is not empty and holds nothing that HTML, XML or JSON would
/// have to escape.
pub fn check_phrase(key: &str, output: &str) -> Option<String> {
    let dot = |c: char| matches!(c, '·' | '・' | '．');
    if !key.starts_with(is_han) || !key.chars().all(|c| is_han(c) || dot(c)) {
        return Some(format!(
            "繁体词语的键“{key}”应只由汉字组成（人名中间可以用 ·）"
        ));
    }
    if key.chars().count() > LONGEST_SITE_PHRASE {
        return Some(format!(
            "繁体词语的键“{key}”太长：最多 {LONGEST_SITE_PHRASE} 个字"
        ));
    }
    if let Some(c) = key.chars().find(|&c| is_traditional_only(c)) {
        return Some(format!(
            "繁体词语的键“{key}”里的“{c}”是繁体字：键应写简体原文，值写繁体"
        ));
    }
    if output.trim().is_empty() {
        return Some(format!("繁体词语“{key}”的值不能为空"));
    }
    if let Some(c) = output
        .chars()
        .find(|&c| c.is_control() || matches!(c, '<' | '>' | '&' | '"' | '\'' | '\\'))
    {
        let shown = if c.is_control() {
            format!("U+{:04X}", u32::from(c))
        } else {
            c.to_string()
        };
        return Some(format!(
            "繁体词语“{key}”的值里不能有 {shown}（不能有换行、引号、尖括号、& 或 \\）"
        ));
    }
    None
}

/// Length of the leading run of bytes that are not ASCII.
#[inline]
fn non_ascii_prefix_len(bytes: &[u8]) -> usize {
    prefix_len(bytes, u64::MAX)
}

/// Length of the leading run of ASCII bytes.
#[inline]
fn ascii_prefix_len(bytes: &[u8]) -> usize {
    prefix_len(bytes, 0)
}

/// Length of the leading run of bytes whose high bits are those of `all`
/// (`0` for ASCII, `u64::MAX` for the others), eight bytes at a time.
#[inline]
fn prefix_len(bytes: &[u8], all: u64) -> usize {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut len = 0;
    for chunk in bytes.chunks_exact(8) {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        // The high bits of the bytes that differ from the run.
        let other = (u64::from_le_bytes(word) ^ all) & HIGH;
        if other != 0 {
            return len + other.trailing_zeros() as usize / 8;
        }
        len += 8;
    }
    let ascii = all == 0;
    len + bytes[len..]
        .iter()
        .take_while(|b| b.is_ascii() == ascii)
        .count()
}

/// The code point of the UTF-8 sequence at `at` and its length;
/// `(u32::MAX, 1)` for a byte that does not start a valid sequence (so it
/// is copied as it is and matches nothing).
#[inline]
fn decode(bytes: &[u8], at: usize) -> (u32, usize) {
    // Most of Chinese text: three bytes, U+0800..U+FFFF but surrogates.
    if let [lead @ 0xE0..=0xEF, b, c, ..] = bytes[at..] {
        let code = u32::from(lead & 0x0F) << 12 | u32::from(b & 0x3F) << 6 | u32::from(c & 0x3F);
        if b & 0xC0 == 0x80
            && c & 0xC0 == 0x80
            && code >= 0x800
            && !(0xD800..0xE000).contains(&code)
        {
            return (code, 3);
        }
    }
    decode_other(bytes, at)
}

/// [`decode`] for everything but a valid three-byte sequence.
#[inline(never)]
fn decode_other(bytes: &[u8], at: usize) -> (u32, usize) {
    let lead = bytes[at];
    let cont = |i: usize, range: std::ops::RangeInclusive<u8>| {
        bytes
            .get(at + i)
            .filter(|b| range.contains(b))
            .map(|b| u32::from(b & 0x3F))
    };
    let sequence = match lead {
        0x00..=0x7F => Some((u32::from(lead), 1)),
        0xC2..=0xDF => cont(1, 0x80..=0xBF).map(|b| (u32::from(lead & 0x1F) << 6 | b, 2)),
        0xE0..=0xEF => {
            let second = match lead {
                0xE0 => 0xA0..=0xBF,
                0xED => 0x80..=0x9F,
                _ => 0x80..=0xBF,
            };
            cont(1, second)
                .zip(cont(2, 0x80..=0xBF))
                .map(|(b, c)| (u32::from(lead & 0x0F) << 12 | b << 6 | c, 3))
        }
        0xF0..=0xF4 => {
            let second = match lead {
                0xF0 => 0x90..=0xBF,
                0xF4 => 0x80..=0x8F,
                _ => 0x80..=0xBF,
            };
            match (cont(1, second), cont(2, 0x80..=0xBF), cont(3, 0x80..=0xBF)) {
                (Some(b), Some(c), Some(d)) => {
                    Some((u32::from(lead & 0x07) << 18 | b << 12 | c << 6 | d, 4))
                }
                _ => None,
            }
        }
        _ => None,
    };
    sequence.unwrap_or((u32::MAX, 1))
}

#[cfg(test)]
mod tests;
