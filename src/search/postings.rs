//! Postings: which documents hold a term and how strongly, collected from
//! all documents in parallel and written in a compact text encoding that
//! `decodePostings` in `search.js` reads.
//!
//! A posting list is a string of varints over a 64-character alphabet: a
//! character below 32 ends a number, one of 32 and above carries 5 more bits
//! and continues it (least significant group first). Each number is
//! `(doc - previous_doc) << 4 | weight`, the first previous doc being -1; the
//! weight's bits are [`TITLE`], [`IDS`] and a body count of 1–3 (3 meaning
//! "3 or more"). A term in every document costs one character per document.

use super::tokenize::{Fold, Token, for_each_term, hash32};
use rayon::prelude::*;
use std::collections::BTreeMap;

/// Weight bit: the term is in the title.
pub const TITLE: u8 = 8;
/// Weight bit: the term is in the 文号 or the 索引号.
pub const IDS: u8 = 4;
/// Weight bits: how often the term is in the body text (0–3, 3 = 3 or more).
pub const BODY: u8 = 3;

/// The varint alphabet; JSON-safe and URL-safe.
pub const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Terms are spread over this many partitions, built in parallel.
const PARTITION_BITS: u32 = 4;
const PARTITIONS: usize = 1 << PARTITION_BITS;

/// The fields of one document that are indexed.
pub struct Fields<'a> {
    /// Hits weigh [`TITLE`].
    pub title: &'a str,
    /// 文号 and 索引号; hits weigh [`IDS`].
    pub ids: [&'a str; 2],
    /// Body text; hits weigh their count, up to 3.
    pub body: &'a str,
}

/// One term of the index with its encoded posting list.
pub struct TermPostings {
    /// The term as text (the key in its shard).
    pub text: String,
    /// [`hash32`] of the text, which picks the shard.
    pub hash: u32,
    /// The encoded posting list.
    pub encoded: String,
}

// Terms as numbers, so that indexing Chinese allocates nothing: a character
// is `c << 21`, a pair `a << 21 | b` (both below 2^42); an ASCII word of up
// to WORD_KEY_CHARS characters is WORD_BASE plus its bijective base-37 value
// (below 2^58). Longer words are rare and kept as text.
const WORD_BASE: u64 = 1 << 42;
const WORD_KEY_CHARS: usize = 11;
const CHAR_MASK: u64 = (1 << 21) - 1;

/// The key of a single character (never 0: CJK code points are not 0).
fn char_key(code: u32) -> u64 {
    u64::from(code) << 21
}

fn key_of(token: Token) -> Option<u64> {
    match token {
        Token::Char(c) => Some(char_key(u32::from(c))),
        Token::Pair(a, b) => Some(u64::from(u32::from(a)) << 21 | u64::from(u32::from(b))),
        Token::Word(w) if w.len() <= WORD_KEY_CHARS => {
            let value = w
                .bytes()
                .fold(0, |v, b| v * 37 + u64::from(base37_digit(b)));
            Some(WORD_BASE + value)
        }
        Token::Word(_) => None,
    }
}

fn base37_digit(b: u8) -> u8 {
    match b {
        b'0'..=b'9' => b - b'0' + 1,
        _ => b - b'a' + 11,
    }
}

fn key_text(key: u64) -> String {
    if key < WORD_BASE {
        return [key >> 21, key & CHAR_MASK]
            .into_iter()
            .filter(|&c| c != 0)
            .filter_map(|c| char::from_u32(c as u32))
            .collect();
    }
    let mut value = key - WORD_BASE;
    let mut out = Vec::new();
    while value > 0 {
        let digit = (value % 37) as u8;
        out.push(if digit <= 10 {
            b'0' + digit - 1
        } else {
            b'a' + digit - 11
        });
        value /= 37;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

fn partition(key: u64) -> usize {
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - PARTITION_BITS)) as usize
}

/// An open-addressing map from nonzero keys to small values, much faster
/// than a `HashMap` on this hot path. Iterates in insertion order.
struct KeyTable<V> {
    keys: Vec<u64>,
    values: Vec<V>,
    used: Vec<usize>,
}

impl<V: Copy + Default> KeyTable<V> {
    fn new() -> Self {
        KeyTable {
            keys: vec![0; 1024],
            values: vec![V::default(); 1024],
            used: Vec::new(),
        }
    }

    #[inline]
    fn slot(&self, key: u64) -> usize {
        let mask = self.keys.len() - 1;
        let mut i = (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32) as usize & mask;
        while self.keys[i] != 0 && self.keys[i] != key {
            i = (i + 1) & mask;
        }
        i
    }

    /// The value of `key`, inserted as the default if absent.
    #[inline]
    fn entry(&mut self, key: u64) -> &mut V {
        if self.used.len() * 2 >= self.keys.len() {
            self.grow();
        }
        let i = self.slot(key);
        if self.keys[i] == 0 {
            self.keys[i] = key;
            self.values[i] = V::default();
            self.used.push(i);
        }
        &mut self.values[i]
    }

    fn grow(&mut self) {
        let entries: Vec<(u64, V)> = self.iter().collect();
        let size = self.keys.len() * 2;
        self.keys = vec![0; size];
        self.values = vec![V::default(); size];
        self.used.clear();
        for (k, v) in entries {
            *self.entry(k) = v;
        }
    }

    fn iter(&self) -> impl Iterator<Item = (u64, V)> + '_ {
        self.used.iter().map(|&i| (self.keys[i], self.values[i]))
    }

    fn clear(&mut self) {
        for &i in &self.used {
            self.keys[i] = 0;
        }
        self.used.clear();
    }
}

/// A document's distinct terms: `key << 4 | weight`, grouped by partition
/// (partition `p` is `packed[starts[p]..starts[p + 1]]`), and the long words
/// with their weights.
struct DocTerms {
    packed: Vec<u64>,
    starts: Vec<u32>,
    long_words: Vec<(String, u8)>,
}

/// Group `key << 4 | weight` values by partition (a counting sort).
fn group_by_partition(table: &KeyTable<u8>) -> (Vec<u64>, Vec<u32>) {
    let mut starts = vec![0u32; PARTITIONS + 1];
    for (key, _) in table.iter() {
        starts[partition(key) + 1] += 1;
    }
    for p in 0..PARTITIONS {
        starts[p + 1] += starts[p];
    }
    let mut next = starts.clone();
    let mut packed = vec![0u64; table.used.len()];
    for (key, weight) in table.iter() {
        let at = &mut next[partition(key)];
        packed[*at as usize] = key << 4 | u64::from(weight);
        *at += 1;
    }
    (packed, starts)
}

fn add_weight(weight: &mut u8, field: u8) {
    if field == 1 {
        if *weight & BODY < BODY {
            *weight += 1;
        }
    } else {
        *weight |= field;
    }
}

/// Per-thread working memory of [`doc_terms`], reused from document to
/// document.
struct Scratch {
    /// Pairs, words and characters outside the basic plane.
    table: KeyTable<u8>,
    /// Weights of single characters of the basic plane, indexed by code
    /// point: the most frequent terms skip the hash table.
    singles: Vec<u8>,
    /// The code points set in `singles`.
    singles_used: Vec<u16>,
}

impl Scratch {
    fn new() -> Scratch {
        Scratch {
            table: KeyTable::new(),
            singles: vec![0; 1 << 16],
            singles_used: Vec::new(),
        }
    }
}

fn doc_terms(fields: &Fields, fold: Fold, scratch: &mut Scratch) -> DocTerms {
    let Scratch {
        table,
        singles,
        singles_used,
    } = scratch;
    table.clear();
    let mut long_words: Vec<(String, u8)> = Vec::new();
    let parts = [
        (fields.title, TITLE),
        (fields.ids[0], IDS),
        (fields.ids[1], IDS),
        (fields.body, 1),
    ];
    for (text, field) in parts {
        for_each_term(text, fold, |token| {
            if let Token::Char(c) = token
                && let Ok(small) = u16::try_from(u32::from(c))
            {
                let weight = &mut singles[usize::from(small)];
                if *weight == 0 {
                    singles_used.push(small);
                }
                return add_weight(weight, field);
            }
            match key_of(token) {
                Some(key) => add_weight(table.entry(key), field),
                None => add_long_word(&mut long_words, token.text(), field),
            }
        });
    }
    for small in singles_used.drain(..) {
        let weight = std::mem::take(&mut singles[usize::from(small)]);
        *table.entry(char_key(u32::from(small))) = weight;
    }
    let (packed, starts) = group_by_partition(table);
    DocTerms {
        packed,
        starts,
        long_words,
    }
}

fn add_long_word(words: &mut Vec<(String, u8)>, text: String, field: u8) {
    match words.iter_mut().find(|(w, _)| *w == text) {
        Some((_, weight)) => add_weight(weight, field),
        None => {
            let mut weight = 0;
            add_weight(&mut weight, field);
            words.push((text, weight));
        }
    }
}

/// Documents whose terms are worked out at once: the terms of every
/// document of a large site would take more memory than the index itself.
const BATCH: usize = 1024;

/// A posting list being written: the encoded postings so far and the last
/// document in it.
struct List {
    last: i64,
    bytes: Vec<u8>,
}

impl Default for List {
    fn default() -> Self {
        List {
            last: -1,
            bytes: Vec::new(),
        }
    }
}

impl List {
    /// Add `doc` (above every doc so far) with `weight`.
    fn push(&mut self, doc: usize, weight: u8) {
        let doc = doc as i64;
        let delta = (doc - self.last) as u64;
        self.last = doc;
        push_varint(&mut self.bytes, delta << 4 | u64::from(weight & 15));
    }

    fn into_string(mut self) -> String {
        // Kept until the shards are written: no slack.
        self.bytes.shrink_to_fit();
        // Only ALPHABET bytes were pushed.
        String::from_utf8(self.bytes).unwrap_or_default()
    }
}

/// The terms of one partition and their lists.
#[derive(Default)]
struct Partition {
    /// Term key → position in `lists` + 1.
    index: Option<KeyTable<u32>>,
    lists: Vec<List>,
}

impl Partition {
    /// Add the terms `packed` (`key << 4 | weight`) of document `doc`.
    fn add(&mut self, doc: usize, packed: &[u64]) {
        let index = self.index.get_or_insert_with(KeyTable::new);
        for &v in packed {
            let slot = index.entry(v >> 4);
            if *slot == 0 {
                self.lists.push(List::default());
                *slot = self.lists.len() as u32;
            }
            self.lists[*slot as usize - 1].push(doc, (v & 15) as u8);
        }
    }

    fn into_postings(self) -> Vec<TermPostings> {
        let Some(index) = self.index else {
            return Vec::new();
        };
        let mut lists: Vec<Option<List>> = self.lists.into_iter().map(Some).collect();
        index
            .iter()
            .map(|(key, slot)| {
                let text = key_text(key);
                TermPostings {
                    hash: hash32(&text),
                    text,
                    encoded: lists[slot as usize - 1]
                        .take()
                        .map(List::into_string)
                        .unwrap_or_default(),
                }
            })
            .collect()
    }
}

/// Index `docs` (in doc-number order) and return every term's postings,
/// sorted by term text. Documents are taken a batch at a time: their terms
/// are found in parallel, then each partition's lists grow in parallel.
pub fn collect(docs: &[Fields], fold: Fold) -> Vec<TermPostings> {
    let mut partitions: Vec<Partition> = (0..PARTITIONS).map(|_| Partition::default()).collect();
    let mut long_words: BTreeMap<String, List> = BTreeMap::new();
    for (batch, fields) in docs.chunks(BATCH).enumerate() {
        let first = batch * BATCH;
        let per_doc: Vec<DocTerms> = fields
            .par_iter()
            // Fewer, larger jobs: each one sets up its own scratch memory.
            .with_min_len(64)
            .map_init(Scratch::new, |scratch, f| doc_terms(f, fold, scratch))
            .collect();
        rayon::join(
            || {
                partitions
                    .par_iter_mut()
                    .enumerate()
                    .for_each(|(p, partition)| {
                        for (i, terms) in per_doc.iter().enumerate() {
                            let range = terms.starts[p] as usize..terms.starts[p + 1] as usize;
                            partition.add(first + i, &terms.packed[range]);
                        }
                    });
            },
            || {
                for (i, terms) in per_doc.iter().enumerate() {
                    for (word, weight) in &terms.long_words {
                        match long_words.get_mut(word) {
                            Some(list) => list.push(first + i, *weight),
                            None => {
                                let mut list = List::default();
                                list.push(first + i, *weight);
                                long_words.insert(word.clone(), list);
                            }
                        }
                    }
                }
            },
        );
    }
    let mut all: Vec<TermPostings> = partitions
        .into_par_iter()
        .flat_map_iter(Partition::into_postings)
        .collect();
    all.extend(long_words.into_iter().map(|(text, list)| TermPostings {
        hash: hash32(&text),
        text,
        encoded: list.into_string(),
    }));
    all.sort_unstable_by(|a, b| a.text.cmp(&b.text));
    all
}

/// Encode postings given as `doc << 4 | weight`, docs ascending.
pub fn encode(postings: &[u32]) -> String {
    let mut out = Vec::with_capacity(postings.len() + 4);
    let mut previous: i64 = -1;
    for &p in postings {
        let doc = i64::from(p >> 4);
        let delta = (doc - previous) as u64;
        previous = doc;
        push_varint(&mut out, delta << 4 | u64::from(p & 15));
    }
    // Only ALPHABET bytes were pushed.
    String::from_utf8(out).unwrap_or_default()
}

fn push_varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 32 {
        out.push(ALPHABET[32 + (n & 31) as usize]);
        n >>= 5;
    }
    out.push(ALPHABET[n as usize]);
}

/// Decode what [`encode`] wrote (for tests).
#[cfg(test)]
pub fn decode(text: &str) -> Vec<(u32, u8)> {
    let mut out = Vec::new();
    let (mut doc, mut n, mut shift) = (-1i64, 0u64, 0);
    for b in text.bytes() {
        let v = ALPHABET.iter().position(|&a| a == b).expect("alphabet") as u64;
        if v >= 32 {
            n |= (v - 32) << shift;
            shift += 5;
        } else {
            n |= v << shift;
            doc += (n >> 4) as i64;
            out.push((doc as u32, (n & 15) as u8));
            n = 0;
            shift = 0;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(c: char) -> char {
        c
    }

    #[test]
    fn encoding_round_trips() {
        let postings = [
            1u32 << 4 | 8,
            2 << 4 | 1,
            3 << 4 | 3,
            1000 << 4 | 12,
            123_456 << 4 | 15,
        ];
        let text = encode(&postings);
        assert_eq!(
            decode(&text),
            [(1, 8), (2, 1), (3, 3), (1000, 12), (123_456, 15)]
        );
        assert!(
            text.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
    }

    #[test]
    fn keys_round_trip() {
        let mut buffer = Vec::new();
        for_each_term("办理 0 9 a z zzzzzzzzzzz 2023", same, |t| {
            buffer.push((t.text(), key_of(t)))
        });
        for (text, key) in buffer {
            let key = key.expect("a short term has a key");
            assert!(key < 1 << 60, "{text}");
            assert_eq!(key_text(key), text);
        }
        assert_eq!(key_of(Token::Word("zzzzzzzzzzzz")), None);
    }

    #[test]
    fn a_dense_list_costs_one_character_per_document() {
        let postings: Vec<u32> = (0..1000u32).map(|d| d << 4 | 1).collect();
        assert_eq!(encode(&postings).len(), 1000);
    }

    #[test]
    fn weights_separate_title_ids_and_body() {
        let docs = [
            Fields {
                title: "不动产登记",
                ids: ["岳政办发〔2023〕12号", "11430600006181235F/2023-00012"],
                body: "登记 登记 登记 登记",
            },
            Fields {
                title: "其他",
                ids: ["", "430600/2023-00001"],
                body: "办理不动产登记",
            },
        ];
        let terms = collect(&docs, same);
        let get = |t: &str| {
            let found = terms.iter().find(|p| p.text == t).expect(t);
            decode(&found.encoded)
        };
        assert_eq!(get("登记"), [(0, TITLE | 3), (1, 1)]);
        assert_eq!(get("不动"), [(0, TITLE), (1, 1)]);
        assert_eq!(get("2023"), [(0, IDS), (1, IDS)]);
        assert_eq!(get("岳政"), [(0, IDS)]);
        assert_eq!(get("其他"), [(1, TITLE)]);
        assert_eq!(get("11430600006181235f"), [(0, IDS)]);
        assert_eq!(get("00001"), [(1, IDS)]);
        // Sorted by text, each term once.
        assert!(terms.windows(2).all(|w| w[0].text < w[1].text));
    }
}
