//! Tokenising for search, mirrored line for line by `tokenize` in
//! `themes/default/static/search.js` (a node test compares the two).
//!
//! Each character is normalised (full-width ASCII letters and digits to
//! ASCII, ASCII lower-cased, then `fold` for code points in
//! U+3400–U+9FFF). Runs of CJK characters give every character and every
//! overlapping pair of characters, so a word inside running text is found
//! without a dictionary; runs of ASCII letters and digits give the whole
//! word. Anything else (punctuation, white space, other scripts) separates
//! runs.

/// A normalising function applied to CJK code points on both sides, e.g. a
/// Traditional→Simplified fold.
pub type Fold = fn(char) -> char;

/// First and last code point `fold` is applied to. `search.js` only knows
/// the changes written to `search/fold/`, which cover exactly this range.
pub const FOLD_RANGE: std::ops::RangeInclusive<u32> = 0x3400..=0x9FFF;

/// An ASCII word longer than this is cut to this many characters, in the
/// index and in queries alike.
pub const MAX_WORD_CHARS: usize = 32;

/// One term of a text: a CJK character, a pair of CJK characters, or an
/// ASCII word (borrowed from the tokenizer's buffer, so tokenising does not
/// allocate).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Token<'a> {
    /// One CJK character.
    Char(char),
    /// Two adjacent CJK characters.
    Pair(char, char),
    /// A lower-case ASCII word of at most [`MAX_WORD_CHARS`] characters.
    Word(&'a str),
}

impl Token<'_> {
    /// The term as text, the key it has in a term shard.
    pub fn text(&self) -> String {
        match *self {
            Token::Char(c) => c.to_string(),
            Token::Pair(a, b) => [a, b].iter().collect(),
            Token::Word(w) => w.to_string(),
        }
    }
}

/// A stable 32-bit hash of a term's text (FNV-1a over code points, then the
/// murmur3 finaliser), identical to `termHash` in `search.js`; it picks the
/// term's shard.
pub fn hash32(term: &str) -> u32 {
    let mut h: u32 = 0x811C_9DC5;
    for c in term.chars() {
        h ^= u32::from(c);
        h = h.wrapping_mul(0x0100_0193);
    }
    h ^= h >> 16;
    h = h.wrapping_mul(0x85EB_CA6B);
    h ^= h >> 13;
    h = h.wrapping_mul(0xC2B2_AE35);
    h ^ (h >> 16)
}

/// Whether `c` is a CJK ideograph (or 〇) that takes part in pairs.
#[inline]
pub fn is_cjk(c: char) -> bool {
    matches!(u32::from(c),
        0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0x3007 | 0xF900..=0xFAFF | 0x20000..=0x323AF)
}

/// Normalise one character: full-width ASCII letters and digits to ASCII,
/// ASCII lower-cased, `fold` applied inside [`FOLD_RANGE`].
#[inline]
pub fn normalize(c: char, fold: Fold) -> char {
    let code = u32::from(c);
    if code < 0x80 {
        return c.to_ascii_lowercase();
    }
    if FOLD_RANGE.contains(&code) {
        return fold(c);
    }
    match c {
        '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => {
            char::from_u32(code - 0xFEE0).map_or(c, |a| a.to_ascii_lowercase())
        }
        _ => c,
    }
}

/// Call `emit` with every term of `text`, in order: for CJK each character,
/// followed by the pair it ends (if any); for ASCII each word when it ends.
pub fn for_each_term(text: &str, fold: Fold, mut emit: impl FnMut(Token)) {
    let mut previous: Option<char> = None;
    // Only ASCII is pushed, so its length in bytes is its length in characters.
    let mut word = String::new();
    for raw in text.chars() {
        let c = normalize(raw, fold);
        if c.is_ascii_alphanumeric() {
            previous = None;
            if word.len() < MAX_WORD_CHARS {
                word.push(c);
            }
            continue;
        }
        if !word.is_empty() {
            emit(Token::Word(&word));
            word.clear();
        }
        if is_cjk(c) {
            emit(Token::Char(c));
            if let Some(p) = previous {
                emit(Token::Pair(p, c));
            }
            previous = Some(c);
        } else {
            previous = None;
        }
    }
    if !word.is_empty() {
        emit(Token::Word(&word));
    }
}

/// Every term of `text` as text, in order, duplicates kept; the reference
/// the JavaScript tokenizer is tested against.
pub fn tokenize(text: &str, fold: Fold) -> Vec<String> {
    let mut out = Vec::new();
    for_each_term(text, fold, |t| out.push(t.text()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(c: char) -> char {
        c
    }

    fn simplify(c: char) -> char {
        match c {
            '務' => '务',
            '動' => '动',
            '產' => '产',
            '記' => '记',
            '登' => '登',
            _ => c,
        }
    }

    #[test]
    fn chinese_gives_characters_and_pairs() {
        assert_eq!(tokenize("不动产", same), ["不", "动", "不动", "产", "动产"]);
    }

    #[test]
    fn a_single_character_is_a_term() {
        assert_eq!(tokenize("税", same), ["税"]);
    }

    #[test]
    fn punctuation_separates_runs() {
        assert_eq!(
            tokenize("办事，指南", same),
            ["办", "事", "办事", "指", "南", "指南"]
        );
        assert!(tokenize("，。！？、“”（）《》 …—", same).is_empty());
    }

    #[test]
    fn ascii_words_are_whole_and_lower_case() {
        assert_eq!(tokenize("Call 12345 now", same), ["call", "12345", "now"]);
        assert_eq!(tokenize("H5长图", same), ["h5", "长", "图", "长图"]);
    }

    #[test]
    fn document_numbers_split_into_parts() {
        assert_eq!(
            tokenize("岳政办发〔2023〕12号", same),
            [
                "岳", "政", "岳政", "办", "政办", "发", "办发", "2023", "12", "号"
            ]
        );
        assert_eq!(
            tokenize("11430600006181235F/2023-00012", same),
            ["11430600006181235f", "2023", "00012"]
        );
    }

    #[test]
    fn full_width_letters_and_digits_become_ascii() {
        assert_eq!(tokenize("２０２３年ＡＢ", same), ["2023", "年", "ab"]);
    }

    #[test]
    fn fold_applies_to_both_sides() {
        assert_eq!(tokenize("政務", simplify), tokenize("政务", same));
        assert_eq!(
            tokenize("不動產登記", simplify),
            tokenize("不动产登记", same)
        );
    }

    #[test]
    fn long_words_are_cut() {
        let long = "a".repeat(100);
        assert_eq!(tokenize(&long, same), ["a".repeat(MAX_WORD_CHARS)]);
    }

    #[test]
    fn characters_outside_the_basic_plane_count_as_cjk() {
        assert_eq!(tokenize("𠀀甲", same), ["𠀀", "甲", "𠀀甲"]);
    }

    #[test]
    fn hash_is_fixed() {
        // search.js computes the same values (tests/search_js.rs checks it);
        // changing them moves every term to another shard.
        // Reference values computed independently (Python).
        assert_eq!(hash32(""), 0xAB3E_7C0B);
        assert_eq!(hash32("a"), 0x1A80_B1B3);
        assert_eq!(hash32("不动"), 0x6E40_4893);
    }
}
