//! The data of [`super`] in memory, built from `hant_table.txt` when first
//! used (a few milliseconds): a dense per-character map and a phrase trie
//! for the longest match.
//!
//! Each character of a text is looked up with two array reads
//! ([`DenseMap`]), which give its [`Entry`]: what it converts to alone,
//! whether phrases start with it, and a 64-bit mask of the characters that
//! follow it in those phrases. Nine in ten characters of government text
//! start some phrase, but few pairs of characters do: the mask rules out
//! most followers at once, and the others cost one probe of a hash table of
//! the pairs ([`Tables::pair`]), which also tells whether the pair is a
//! phrase and which third characters may follow. Below that the children of
//! a trie node are contiguous and sorted, and a step is a binary search.

/// The generated data (see `scripts/gen_hant_table.py`): sections headed
/// `[name] count`, then that many lines (the last section lists characters
/// 64 to a line).
pub(super) const DATA: &str = include_str!("../hant_table.txt");

/// Code points from here on have no entry (the generator checks it).
pub(super) const LIMIT: u32 = 0x4_0000;
/// log2 of the code points in one block of a dense map.
const BLOCK_BITS: u32 = 6;
const BLOCK: usize = 1 << BLOCK_BITS;
const BLOCKS: usize = (LIMIT >> BLOCK_BITS) as usize;

/// The lines of the section `name` of [`DATA`] and the count its heading
/// gives (a unit test checks the two agree).
pub(super) fn section(name: &str) -> (usize, impl Iterator<Item = &'static str>) {
    let heading = format!("[{name}] ");
    let mut lines = DATA.lines();
    let count = lines
        .by_ref()
        .find_map(|line| line.strip_prefix(heading.as_str()))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    (count, lines.take_while(|line| !line.starts_with('[')))
}

/// The `(from, to)` pairs of a section of two-character lines.
pub(super) fn pairs(name: &str) -> Vec<(char, char)> {
    section(name)
        .1
        .filter_map(|line| {
            let mut chars = line.chars();
            match (chars.next(), chars.next(), chars.next()) {
                (Some(from), Some(to), None) => Some((from, to)),
                _ => None,
            }
        })
        .collect()
}

/// A map from code points below [`LIMIT`] to small values.
///
/// Blocks of 64 code points without an entry share the empty block 0, so a
/// map of a few thousand CJK characters takes a few hundred kilobytes while
/// a lookup stays two reads.
pub(super) struct DenseMap<T> {
    /// For each block of code points, the number of its block in `values`.
    block_of: Box<[u16]>,
    /// The values, `T::default()` where a code point has none.
    values: Vec<T>,
}

impl<T: Copy + Default> DenseMap<T> {
    /// An empty map.
    pub(super) fn new() -> DenseMap<T> {
        DenseMap {
            block_of: vec![0; BLOCKS].into_boxed_slice(),
            values: vec![T::default(); BLOCK],
        }
    }

    /// The slot of `code`, made on first use; `None` at or above [`LIMIT`].
    pub(super) fn slot(&mut self, code: u32) -> Option<&mut T> {
        if code >= LIMIT {
            return None;
        }
        let block = &mut self.block_of[(code >> BLOCK_BITS) as usize];
        if *block == 0 {
            // Fewer than 4,096 blocks exist below LIMIT: this fits.
            *block = (self.values.len() / BLOCK) as u16;
            self.values.resize(self.values.len() + BLOCK, T::default());
        }
        Some(&mut self.values[usize::from(*block) * BLOCK + (code as usize & (BLOCK - 1))])
    }

    /// The value of `code`, `T::default()` when it has none.
    #[inline]
    pub(super) fn get(&self, code: u32) -> T {
        if code >= LIMIT {
            return T::default();
        }
        let block = usize::from(self.block_of[(code >> BLOCK_BITS) as usize]);
        self.values[block * BLOCK + (code as usize & (BLOCK - 1))]
    }
}

/// What a character is, for the conversion.
#[derive(Clone, Copy, Default)]
pub(super) struct Entry {
    /// Its conversion alone [`packed`], 0 when it stays as it is.
    to: u32,
    /// 0 when no phrase starts with it, else its trie node and [`HAS_VALUE`]
    /// and [`HAS_CHILDREN`] as they apply.
    root: u32,
    /// A [`mask_bit`] for each character that follows it in a phrase: most
    /// characters that follow are ruled out with it, before the pair table
    /// is looked at.
    mask: u64,
}

impl Entry {
    /// The UTF-8 bytes of the character's conversion alone, and how many
    /// there are; `None` when it stays as it is.
    #[inline]
    pub(super) fn to(self) -> Option<([u8; 4], usize)> {
        (self.to != 0).then(|| (self.to.to_be_bytes(), packed_len(self.to)))
    }

    /// True when phrases of two characters or more start with it.
    #[inline]
    pub(super) fn starts_phrases(self) -> bool {
        self.root & HAS_CHILDREN != 0
    }
}

/// In [`Entry::root`]: the character alone is a phrase (a site's).
const HAS_VALUE: u32 = 1 << 31;
/// In [`Entry::root`]: longer phrases start with the character.
const HAS_CHILDREN: u32 = 1 << 30;
/// In [`Entry::root`]: the bits of the node.
const NODE_BITS: u32 = HAS_CHILDREN - 1;

/// A trie node that is not the end of a phrase.
const NONE: u32 = u32::MAX;
/// The end of a phrase converted character by character.
pub(super) const PER_CHAR: u32 = u32::MAX - 1;

#[derive(Clone, Copy)]
struct Node {
    /// Index of the first child in `nodes` (children are contiguous).
    first: u32,
    /// Number of children.
    count: u32,
    /// [`NONE`], [`PER_CHAR`] or the index of the phrase's output.
    value: u32,
}

/// A phrase to put in the trie: its key, and its output or `None` for the
/// character-by-character conversion of the key.
pub(super) struct Phrase<'a> {
    pub key: &'a str,
    pub output: Option<&'a str>,
}

/// The character map and the phrase trie of one converter.
pub(super) struct Tables {
    /// A number no other tables of this process have (see [`super::cache`]).
    pub id: u64,
    pub map: DenseMap<Entry>,
    nodes: Vec<Node>,
    /// The character of each node, parallel to `nodes`, [`packed`] (so
    /// that the walk below the second character never decodes).
    labels: Vec<u32>,
    /// The phrases' outputs, end to end, and where each ends.
    outputs: String,
    ends: Vec<u32>,
    /// The second level of the trie as an open-addressing hash table: in
    /// each slot a [`pair_key`] above [`PAIR_NODE_BITS`] bits of its node
    /// (0 in an empty slot), then the node's value and a [`third_bit`] for
    /// each of its children, so that most pairs need no look at the trie.
    pairs: Vec<[u64; 2]>,
}

/// Two characters that start a phrase (see [`Tables::pair`]).
#[derive(Clone, Copy)]
pub(super) struct Pair {
    node: usize,
    value: u32,
    third: u32,
}

/// The bit of a third character in [`Pair::third`], from its [`packed`]
/// UTF-8 and length: the low five bits of its code point, which are those
/// of its last byte.
#[inline]
fn third_bit(packed: u32, len: usize) -> u32 {
    1 << ((packed >> (8 * (4 - len))) & 31)
}

/// Bits of a node in [`Tables::pairs`]: the 49,051 phrases of OpenCC take
/// 86,356 nodes, a site's phrases at most [`super::MOST_SITE_PHRASES`] times
/// [`super::LONGEST_SITE_PHRASE`] more, far fewer than 2^25.
const PAIR_NODE_BITS: u32 = 25;

/// The key of two characters' code points in the pair table (never 0: no
/// phrase starts with U+0000).
#[inline]
fn pair_key(first: u32, second: u32) -> u64 {
    u64::from(first) << 21 | u64::from(second)
}

/// The UTF-8 bytes of a character as a number, first byte highest and 0
/// after the last, so that the numbers sort as the characters do.
fn packed(c: char) -> u32 {
    let mut buf = [0; 4];
    c.encode_utf8(&mut buf);
    u32::from_be_bytes(buf)
}

/// The number of UTF-8 bytes in a [`packed`] character (no UTF-8 byte of a
/// character is 0).
#[inline]
fn packed_len(packed: u32) -> usize {
    4 - packed.trailing_zeros() as usize / 8
}

/// The character of a [`packed`] one.
fn unpacked(packed: u32) -> char {
    let bytes = packed.to_be_bytes();
    std::str::from_utf8(&bytes[..packed_len(packed)])
        .ok()
        .and_then(|s| s.chars().next())
        .unwrap_or_default()
}

/// The character starting at byte `at` [`packed`], and its length; `None`
/// at the end, and for ASCII and bytes that start no character (which no
/// phrase holds). A sequence that is not valid UTF-8 matches no label.
#[inline]
fn next_packed(bytes: &[u8], at: usize) -> Option<(u32, usize)> {
    match *bytes.get(at..)? {
        [a @ 0xE0..=0xEF, b, c, ..] => Some((
            u32::from(a) << 24 | u32::from(b) << 16 | u32::from(c) << 8,
            3,
        )),
        [a @ 0xC0..=0xDF, b, ..] => Some((u32::from(a) << 24 | u32::from(b) << 16, 2)),
        [a @ 0xF0..=0xF7, b, c, d, ..] => Some((u32::from_be_bytes([a, b, c, d]), 4)),
        _ => None,
    }
}

/// The bit of a character in an [`Entry::mask`].
#[inline]
fn mask_bit(code: u32) -> u64 {
    1 << (code & 63)
}

/// The first slot to probe for `key` in a table of `mask + 1` slots.
#[inline]
fn pair_slot(key: u64, mask: usize) -> usize {
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32) as usize & mask
}

impl Tables {
    /// Tables of `chars` (single-character conversions) and `phrases`; of
    /// phrases with one key, the last is kept.
    pub(super) fn new(chars: &[(char, char)], mut phrases: Vec<Phrase>) -> Tables {
        // Stable: of equal keys, the last stays last, and is kept.
        phrases.sort_by(|a, b| a.key.cmp(b.key));
        let mut keep = vec![true; phrases.len()];
        for i in 1..phrases.len() {
            keep[i - 1] = phrases[i - 1].key != phrases[i].key;
        }
        let mut kept = keep.iter();
        phrases.retain(|_| kept.next().copied().unwrap_or(true));
        static TABLES_MADE: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let mut tables = Tables {
            id: TABLES_MADE.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1,
            map: DenseMap::new(),
            nodes: Vec::with_capacity(phrases.len() * 3),
            labels: Vec::with_capacity(phrases.len() * 3),
            outputs: String::new(),
            ends: Vec::new(),
            pairs: Vec::new(),
        };
        for &(from, to) in chars {
            if let Some(slot) = tables.map.slot(u32::from(from)) {
                slot.to = packed(to);
            }
        }
        let roots = tables.add_trie(&phrases);
        tables.add_pairs(&roots);
        tables
    }

    /// Fills the pair table from the trie's first two levels: the first
    /// nodes, whose characters are `roots`, and their children.
    fn add_pairs(&mut self, roots: &[u32]) {
        let pairs: usize = self.nodes[..roots.len()]
            .iter()
            .map(|n| n.count as usize)
            .sum();
        // At most half full, so that a probe for a missing pair is short.
        let size = (pairs * 2).next_power_of_two().max(16);
        self.pairs = vec![[0; 2]; size];
        for (root, &c) in roots.iter().enumerate() {
            let Node { first, count, .. } = self.nodes[root];
            for child in first..first + count {
                let second = u32::from(unpacked(self.labels[child as usize]));
                if let Some(slot) = self.map.slot(c) {
                    slot.mask |= mask_bit(second);
                }
                let Node {
                    first,
                    count,
                    value,
                } = self.nodes[child as usize];
                let third = self.labels[first as usize..(first + count) as usize]
                    .iter()
                    .fold(0, |bits, &label| bits | third_bit(label, packed_len(label)));
                let key = pair_key(c, second);
                let mut slot = pair_slot(key, size - 1);
                while self.pairs[slot][0] != 0 {
                    slot = (slot + 1) & (size - 1);
                }
                self.pairs[slot] = [
                    key << PAIR_NODE_BITS | u64::from(child),
                    u64::from(third) << 32 | u64::from(value),
                ];
            }
        }
    }

    /// The trie node of the characters `first`, whose [`Entry`] is
    /// `entry`, and `second` (code points), if a phrase starts so.
    #[inline]
    pub(super) fn pair(&self, entry: Entry, first: u32, second: u32) -> Option<Pair> {
        if entry.mask & mask_bit(second) == 0 {
            return None;
        }
        let key = pair_key(first, second);
        let mask = self.pairs.len() - 1;
        let mut slot = pair_slot(key, mask);
        loop {
            match self.pairs[slot] {
                [0, _] => return None,
                [pair, rest] if pair >> PAIR_NODE_BITS == key => {
                    return Some(Pair {
                        node: (pair & ((1 << PAIR_NODE_BITS) - 1)) as usize,
                        value: rest as u32,
                        third: (rest >> 32) as u32,
                    });
                }
                _ => slot = (slot + 1) & mask,
            }
        }
    }

    /// Lays the trie out breadth first, so that each node's children are
    /// contiguous; `phrases` is sorted, so they come in character order.
    /// Returns the characters of the first-level nodes, which come first.
    fn add_trie(&mut self, phrases: &[Phrase]) -> Vec<u32> {
        // The keys' characters end to end, and where each key's are.
        let mut chars: Vec<char> = Vec::with_capacity(phrases.len() * 4);
        let mut ends = Vec::with_capacity(phrases.len());
        for phrase in phrases {
            chars.extend(phrase.key.chars());
            ends.push(chars.len());
        }
        let mut keys: Vec<&[char]> = Vec::with_capacity(phrases.len());
        let mut rest = chars.as_slice();
        let mut start = 0;
        for end in ends {
            let (key, after) = rest.split_at(end - start);
            keys.push(key);
            (rest, start) = (after, end);
        }
        let mut queue = std::collections::VecDeque::new();
        self.push_children(&keys, 0..phrases.len(), 0, &mut queue);
        let roots: Vec<u32> = (0..self.nodes.len())
            .map(|n| u32::from(unpacked(self.labels[n])))
            .collect();
        while let Some((node, mut range, depth)) = queue.pop_front() {
            if keys[range.start].len() == depth {
                let value = match phrases[range.start].output {
                    None => PER_CHAR,
                    Some(output) => {
                        self.outputs.push_str(output);
                        self.ends.push(self.outputs.len() as u32);
                        self.ends.len() as u32 - 1
                    }
                };
                self.nodes[node as usize].value = value;
                range.start += 1;
            }
            let first = self.nodes.len() as u32;
            self.push_children(&keys, range, depth, &mut queue);
            let count = self.nodes.len() as u32 - first;
            let n = &mut self.nodes[node as usize];
            n.first = first;
            n.count = count;
        }
        for (node, &c) in roots.iter().enumerate() {
            let Node { count, value, .. } = self.nodes[node];
            if let Some(slot) = self.map.slot(c) {
                slot.root = node as u32
                    | if value != NONE { HAS_VALUE } else { 0 }
                    | if count > 0 { HAS_CHILDREN } else { 0 };
            }
        }
        roots
    }

    /// Adds a node for each character at `depth` of the keys in `range`
    /// (sorted, all longer than `depth`), and queues it with its keys.
    fn push_children(
        &mut self,
        keys: &[&[char]],
        range: std::ops::Range<usize>,
        depth: usize,
        queue: &mut std::collections::VecDeque<(u32, std::ops::Range<usize>, usize)>,
    ) {
        let keys = &keys[range.clone()];
        let mut at = 0;
        while at < keys.len() {
            let c = keys[at][depth];
            let start = at;
            while at < keys.len() && keys[at][depth] == c {
                at += 1;
            }
            let node = self.push_node(packed(c));
            queue.push_back((node, range.start + start..range.start + at, depth + 1));
        }
    }

    fn push_node(&mut self, label: u32) -> u32 {
        self.nodes.push(Node {
            first: 0,
            count: 0,
            value: NONE,
        });
        self.labels.push(label);
        self.nodes.len() as u32 - 1
    }

    /// The phrase of the character alone whose [`Entry`] is `entry` (a
    /// site's phrase of one character).
    #[inline]
    pub(super) fn single(&self, entry: Entry) -> Option<u32> {
        (entry.root & HAS_VALUE != 0).then(|| self.nodes[(entry.root & NODE_BITS) as usize].value)
    }

    /// The longest phrase that starts with `pair`, whose characters end at
    /// byte `at` of `bytes`: where it ends and its value ([`PER_CHAR`] or an
    /// output index).
    pub(super) fn walk(&self, bytes: &[u8], pair: Pair, mut at: usize) -> Option<(usize, u32)> {
        let mut best = (pair.value != NONE).then_some((at, pair.value));
        let Some((mut label, mut len)) = next_packed(bytes, at) else {
            return best;
        };
        if pair.third & third_bit(label, len) == 0 {
            return best;
        }
        let mut node = self.nodes[pair.node];
        loop {
            let first = node.first as usize;
            let children = &self.labels[first..first + node.count as usize];
            let Ok(i) = children.binary_search(&label) else {
                return best;
            };
            node = self.nodes[first + i];
            at += len;
            if node.value != NONE {
                best = Some((at, node.value));
            }
            if node.count == 0 {
                return best;
            }
            (label, len) = match next_packed(bytes, at) {
                Some(next) => next,
                None => return best,
            };
        }
    }

    /// The output of a phrase.
    pub(super) fn output(&self, value: u32) -> &str {
        let end = self.ends[value as usize] as usize;
        let start = match value {
            0 => 0,
            _ => self.ends[value as usize - 1] as usize,
        };
        &self.outputs[start..end]
    }
}

/// The phrases of [`DATA`]: `key` or `key<TAB>output` lines.
pub(super) fn builtin_phrases() -> Vec<Phrase<'static>> {
    section("phrases")
        .1
        .map(|line| match line.split_once('\t') {
            Some((key, output)) => Phrase {
                key,
                output: Some(output),
            },
            None => Phrase {
                key: line,
                output: None,
            },
        })
        .collect()
}
