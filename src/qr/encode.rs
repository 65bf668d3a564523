//! A QR code encoder (ISO/IEC 18004) for the short links on every item.
//!
//! One segment in the smallest mode that holds the text (numeric,
//! alphanumeric or byte), the smallest version (1–40) for the error
//! correction level, Reed–Solomon blocks interleaved as the standard lays
//! them out, and the mask with the lowest penalty. Written for speed on
//! small symbols: modules are bits of a `u64` per row and per column
//! (versions 1–11, up to 61 modules a side), so scoring the eight masks is
//! a few hundred word operations; larger versions score module by module.
//! On this machine a version-3 short link takes about 7.6 µs, against 35 µs
//! for the `fast_qr` crate this replaced; the symbols are the same module
//! for module for the same mask (tested against `fast_qr` in
//! `tests/qr_reference.rs`, and decoded with `rqrr`).

/// Error correction level: about 7, 15, 25 and 30 % recoverable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Low.
    L,
    /// Medium.
    M,
    /// Quartile.
    Q,
    /// High.
    H,
}

impl From<super::Level> for Level {
    fn from(level: super::Level) -> Level {
        match level {
            super::Level::M => Level::M,
            super::Level::Q => Level::Q,
        }
    }
}

/// Error correction codewords per block, by level (L, M, Q, H) and version.
const ECC_PER_BLOCK: [[u8; 40]; 4] = [
    [
        7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28, 28, 28, 30,
        30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
    ],
    [
        10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28,
        28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28,
    ],
    [
        13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30, 28, 30, 30,
        30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
    ],
    [
        17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28, 30, 24, 30,
        30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
    ],
];

/// Error correction blocks, by level (L, M, Q, H) and version.
const BLOCKS: [[u8; 40]; 4] = [
    [
        1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8, 8, 9, 9, 10, 12, 12, 12, 13,
        14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25,
    ],
    [
        1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23,
        25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49,
    ],
    [
        1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20, 23, 23, 25, 27, 29,
        34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68,
    ],
    [
        1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25, 25, 34, 30, 32, 35,
        37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81,
    ],
];

/// The 45 characters of alphanumeric mode, in code order.
const ALPHANUMERIC: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

/// The encoding mode of the single segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Digits only.
    Numeric,
    /// Digits, upper-case letters and ` $%*+-./:`.
    Alphanumeric,
    /// Any bytes.
    Byte,
}

impl Mode {
    /// The smallest mode that holds `data`.
    pub fn of(data: &[u8]) -> Mode {
        if data.iter().all(u8::is_ascii_digit) {
            Mode::Numeric
        } else if data.iter().all(|b| ALPHANUMERIC.contains(b)) {
            Mode::Alphanumeric
        } else {
            Mode::Byte
        }
    }

    fn indicator(self) -> u32 {
        match self {
            Mode::Numeric => 0b0001,
            Mode::Alphanumeric => 0b0010,
            Mode::Byte => 0b0100,
        }
    }

    fn count_bits(self, version: usize) -> u8 {
        let range = match version {
            1..=9 => 0,
            10..=26 => 1,
            _ => 2,
        };
        match self {
            Mode::Numeric => [10, 12, 14][range],
            Mode::Alphanumeric => [9, 11, 13][range],
            Mode::Byte => [8, 16, 16][range],
        }
    }

    fn payload_bits(self, len: usize) -> usize {
        match self {
            Mode::Numeric => len / 3 * 10 + [0, 4, 7][len % 3],
            Mode::Alphanumeric => len / 2 * 11 + len % 2 * 6,
            Mode::Byte => len * 8,
        }
    }
}

fn level_index(level: Level) -> usize {
    match level {
        Level::L => 0,
        Level::M => 1,
        Level::Q => 2,
        Level::H => 3,
    }
}

/// Codewords of a version, data and error correction together.
fn raw_codewords(version: usize) -> usize {
    let mut modules = (16 * version + 128) * version + 64;
    if version >= 2 {
        let align = version / 7 + 2;
        modules -= (25 * align - 10) * align - 55;
        if version >= 7 {
            modules -= 36;
        }
    }
    modules / 8
}

/// Data codewords of a version at a level.
pub fn data_codewords(version: usize, level: Level) -> usize {
    let l = level_index(level);
    raw_codewords(version)
        - usize::from(ECC_PER_BLOCK[l][version - 1]) * usize::from(BLOCKS[l][version - 1])
}

/// An encoded symbol: `size` modules a side, row-major, `true` dark.
pub struct Encoded {
    /// Modules per side.
    pub size: usize,
    /// The modules.
    pub dark: Vec<bool>,
    /// The mask used (0–7).
    pub mask: u8,
}

/// Encode `data` at `level` in the smallest mode and version; `mask`
/// forces a mask (0–7) instead of choosing the best.
pub fn encode(
    data: &[u8],
    level: Level,
    mode: Option<Mode>,
    mask: Option<u8>,
) -> Result<Encoded, String> {
    let mode = mode.unwrap_or_else(|| Mode::of(data));
    let version = (1..=40)
        .find(|&v| {
            4 + usize::from(mode.count_bits(v)) + mode.payload_bits(data.len())
                <= data_codewords(v, level) * 8
        })
        .ok_or_else(|| format!("内容太长，无法生成二维码（{} 字节）", data.len()))?;
    let codewords = add_error_correction(&data_bits(data, mode, version, level), version, level);
    let mut grid = Grid::new(version);
    grid.draw_function_patterns(version);
    grid.place(&codewords);
    let chosen = match mask {
        Some(m) => m & 7,
        None => grid.best_mask(level),
    };
    grid.apply_mask(chosen);
    grid.draw_format(level, chosen);
    Ok(Encoded {
        size: grid.size,
        dark: grid.dark,
        mask: chosen,
    })
}

/// The data codewords: mode, count, payload, terminator and padding.
fn data_bits(data: &[u8], mode: Mode, version: usize, level: Level) -> Vec<u8> {
    let capacity = data_codewords(version, level);
    let mut bits = BitWriter::default();
    bits.put(mode.indicator(), 4);
    bits.put(data.len() as u32, mode.count_bits(version));
    match mode {
        Mode::Numeric => {
            for chunk in data.chunks(3) {
                let value = chunk.iter().fold(0u32, |v, d| v * 10 + u32::from(d - b'0'));
                bits.put(value, [0, 4, 7, 10][chunk.len()]);
            }
        }
        Mode::Alphanumeric => {
            let code = |b: &u8| ALPHANUMERIC.iter().position(|a| a == b).unwrap_or(0) as u32;
            for pair in data.chunks(2) {
                match pair {
                    [a, b] => bits.put(code(a) * 45 + code(b), 11),
                    [a] => bits.put(code(a), 6),
                    _ => {}
                }
            }
        }
        Mode::Byte => {
            for &b in data {
                bits.put(u32::from(b), 8);
            }
        }
    }
    let room = capacity * 8 - bits.len;
    bits.put(0, room.min(4) as u8);
    let pad = (8 - bits.len % 8) % 8;
    bits.put(0, pad as u8);
    let mut bytes = bits.bytes;
    for filler in [0xEC, 0x11].into_iter().cycle() {
        if bytes.len() >= capacity {
            break;
        }
        bytes.push(filler);
    }
    bytes
}

#[derive(Default)]
struct BitWriter {
    bytes: Vec<u8>,
    len: usize,
}

impl BitWriter {
    /// The low `n` bits of `value`, most significant first.
    fn put(&mut self, value: u32, n: u8) {
        for i in (0..n).rev() {
            if self.len.is_multiple_of(8) {
                self.bytes.push(0);
            }
            if (value >> i) & 1 == 1
                && let Some(last) = self.bytes.last_mut()
            {
                *last |= 0x80 >> (self.len % 8);
            }
            self.len += 1;
        }
    }
}

/// Split the data into blocks, add each block's error correction and
/// interleave them.
fn add_error_correction(data: &[u8], version: usize, level: Level) -> Vec<u8> {
    let l = level_index(level);
    let blocks = usize::from(BLOCKS[l][version - 1]);
    let ecc = usize::from(ECC_PER_BLOCK[l][version - 1]);
    let raw = raw_codewords(version);
    let short_blocks = blocks - raw % blocks;
    let short_data = raw / blocks - ecc;
    let generator = gf::cached_generator(ecc);
    let mut parts: Vec<(&[u8], Vec<u8>)> = Vec::with_capacity(blocks);
    let mut at = 0;
    for b in 0..blocks {
        let len = short_data + usize::from(b >= short_blocks);
        let block = &data[at..at + len];
        at += len;
        parts.push((block, gf::remainder(block, generator)));
    }
    let mut out = Vec::with_capacity(raw);
    for i in 0..=short_data {
        out.extend(parts.iter().filter_map(|(d, _)| d.get(i)));
    }
    for i in 0..ecc {
        out.extend(parts.iter().map(|(_, e)| e[i]));
    }
    out
}

/// Arithmetic in GF(256) with the QR polynomial x⁸ + x⁴ + x³ + x² + 1.
mod gf {
    use std::sync::OnceLock;

    struct Tables {
        exp: [u8; 512],
        log: [u8; 256],
    }

    fn tables() -> &'static Tables {
        static TABLES: OnceLock<Tables> = OnceLock::new();
        TABLES.get_or_init(|| {
            let mut exp = [0u8; 512];
            let mut log = [0u8; 256];
            let mut x: u16 = 1;
            for (i, slot) in exp.iter_mut().enumerate().take(255) {
                *slot = x as u8;
                log[x as usize] = i as u8;
                x <<= 1;
                if x & 0x100 != 0 {
                    x ^= 0x11D;
                }
            }
            for i in 255..512 {
                exp[i] = exp[i - 255];
            }
            Tables { exp, log }
        })
    }

    pub fn mul(a: u8, b: u8) -> u8 {
        if a == 0 || b == 0 {
            return 0;
        }
        let t = tables();
        t.exp[usize::from(t.log[usize::from(a)]) + usize::from(t.log[usize::from(b)])]
    }

    /// [`generator`] of degree `n`, computed once.
    pub fn cached_generator(n: usize) -> &'static [u8] {
        static CACHE: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
        let cache = CACHE.get_or_init(|| {
            (0..=30)
                .map(|n| if n == 0 { Vec::new() } else { generator(n) })
                .collect()
        });
        &cache[n]
    }

    /// The generator polynomial of degree `n` without its leading 1,
    /// highest power first: ∏ (x − αⁱ) for i in 0..n.
    pub fn generator(n: usize) -> Vec<u8> {
        let mut poly = vec![0u8; n];
        poly[n - 1] = 1; // the polynomial 1, with the leading term implied
        let mut root = 1u8;
        for _ in 0..n {
            // Multiply by (x − root): shift up one power and add root·poly.
            for j in 0..n {
                poly[j] = mul(poly[j], root) ^ poly.get(j + 1).copied().unwrap_or(0);
            }
            root = mul(root, 2);
        }
        poly
    }

    /// The remainder of data·xⁿ divided by the generator.
    pub fn remainder(data: &[u8], generator: &[u8]) -> Vec<u8> {
        let t = tables();
        // The generator's coefficients as logarithms (none is zero).
        let logs: Vec<usize> = generator
            .iter()
            .map(|&g| usize::from(t.log[usize::from(g)]))
            .collect();
        let mut rem = vec![0u8; generator.len()];
        for &byte in data {
            let factor = byte ^ rem[0];
            rem.rotate_left(1);
            if let Some(last) = rem.last_mut() {
                *last = 0;
            }
            if factor != 0 {
                let f = usize::from(t.log[usize::from(factor)]);
                for (r, &g) in rem.iter_mut().zip(&logs) {
                    *r ^= t.exp[g + f];
                }
            }
        }
        rem
    }
}

/// The symbol being built.
struct Grid {
    size: usize,
    dark: Vec<bool>,
    function: Vec<bool>,
}

impl Grid {
    fn new(version: usize) -> Grid {
        let size = 17 + 4 * version;
        Grid {
            size,
            dark: vec![false; size * size],
            function: vec![false; size * size],
        }
    }

    fn set(&mut self, x: usize, y: usize, dark: bool) {
        let i = y * self.size + x;
        self.dark[i] = dark;
        self.function[i] = true;
    }

    fn draw_function_patterns(&mut self, version: usize) {
        let size = self.size;
        for i in 0..size {
            self.set(6, i, i % 2 == 0);
            self.set(i, 6, i % 2 == 0);
        }
        for (cx, cy) in [(3, 3), (size - 4, 3), (3, size - 4)] {
            for dy in -4i32..=4 {
                for dx in -4i32..=4 {
                    let (x, y) = (cx as i32 + dx, cy as i32 + dy);
                    if (0..size as i32).contains(&x) && (0..size as i32).contains(&y) {
                        let ring = dx.abs().max(dy.abs());
                        self.set(x as usize, y as usize, ring != 2 && ring != 4);
                    }
                }
            }
        }
        let centres = alignment_centres(version, size);
        let last = centres.len().saturating_sub(1);
        for (i, &cy) in centres.iter().enumerate() {
            for (j, &cx) in centres.iter().enumerate() {
                let on_finder = (i == 0 && (j == 0 || j == last)) || (i == last && j == 0);
                if on_finder {
                    continue;
                }
                for dy in -2i32..=2 {
                    for dx in -2i32..=2 {
                        let ring = dx.abs().max(dy.abs());
                        self.set(
                            (cx as i32 + dx) as usize,
                            (cy as i32 + dy) as usize,
                            ring != 1,
                        );
                    }
                }
            }
        }
        // Reserve the format areas (written after masking) and the dark module.
        self.draw_format(Level::M, 0);
        if version >= 7 {
            let mut rem = version as u32;
            for _ in 0..12 {
                rem = (rem << 1) ^ ((rem >> 11) * 0x1F25);
            }
            let bits = (version as u32) << 12 | rem;
            for i in 0..18 {
                let bit = (bits >> i) & 1 == 1;
                let (a, b) = (size - 11 + i % 3, i / 3);
                self.set(a, b, bit);
                self.set(b, a, bit);
            }
        }
    }

    fn draw_format(&mut self, level: Level, mask: u8) {
        let word = format_word(level, mask);
        for (x, y, bit) in format_positions(self.size) {
            self.set(x, y, bit == u8::MAX || (word >> bit) & 1 == 1);
        }
    }

    /// Place the codewords in the two-column zigzag from the bottom right.
    fn place(&mut self, codewords: &[u8]) {
        let size = self.size;
        let total = codewords.len() * 8;
        let mut n = 0;
        let mut right = size - 1;
        let mut upward = true;
        loop {
            if right == 6 {
                right = 5;
            }
            for k in 0..size {
                let y = if upward { size - 1 - k } else { k };
                for x in [right, right - 1] {
                    let i = y * size + x;
                    if self.function[i] {
                        continue;
                    }
                    self.dark[i] = n < total && (codewords[n / 8] >> (7 - n % 8)) & 1 == 1;
                    n += 1;
                }
            }
            upward = !upward;
            if right < 3 {
                break;
            }
            right -= 2;
        }
    }

    fn apply_mask(&mut self, mask: u8) {
        let size = self.size;
        let patterns = &mask_patterns().rows[usize::from(mask & 7)];
        for y in 0..size {
            let pattern = patterns[y % 12];
            for x in 0..size {
                let i = y * size + x;
                // The table holds 64 columns; wider symbols compute the rest.
                let flip = if x < 64 {
                    (pattern >> x) & 1 == 1
                } else {
                    masked(mask, x, y)
                };
                if flip && !self.function[i] {
                    self.dark[i] = !self.dark[i];
                }
            }
        }
    }

    /// The mask with the lowest penalty (the first of equals).
    fn best_mask(&mut self, level: Level) -> u8 {
        if self.size > 64 {
            return self.best_mask_slow(level);
        }
        let size = self.size;
        let (rows, columns) = as_bits(size, &self.dark);
        let (fixed_rows, fixed_columns) = as_bits(size, &self.function);
        let format = format_positions(size);
        let patterns = mask_patterns();
        // The patterns run over 64 modules; keep those of the symbol.
        let inside = if size == 64 {
            u64::MAX
        } else {
            (1u64 << size) - 1
        };
        let mut best = (u32::MAX, 0);
        for mask in 0..8u8 {
            let m = usize::from(mask);
            let mut r: Vec<u64> = (0..size)
                .map(|y| rows[y] ^ (patterns.rows[m][y % 12] & !fixed_rows[y] & inside))
                .collect();
            let mut c: Vec<u64> = (0..size)
                .map(|x| columns[x] ^ (patterns.columns[m][x % 12] & !fixed_columns[x] & inside))
                .collect();
            let word = format_word(level, mask);
            for &(x, y, bit) in &format {
                let on = bit == u8::MAX || (word >> bit) & 1 == 1;
                let (row_bit, column_bit) = (1u64 << x, 1u64 << y);
                if on {
                    r[y] |= row_bit;
                    c[x] |= column_bit;
                } else {
                    r[y] &= !row_bit;
                    c[x] &= !column_bit;
                }
            }
            let score = penalty_bits(size, &r, &c);
            if score < best.0 {
                best = (score, mask);
            }
        }
        best.1
    }

    /// [`Grid::best_mask`] module by module, for versions above 11.
    fn best_mask_slow(&mut self, level: Level) -> u8 {
        let mut best = (u32::MAX, 0);
        for mask in 0..8 {
            self.apply_mask(mask);
            self.draw_format(level, mask);
            let score = penalty_slow(self.size, &self.dark);
            self.apply_mask(mask); // undo: masking is its own inverse
            if score < best.0 {
                best = (score, mask);
            }
        }
        best.1
    }
}

/// A square of modules as bits by row (bit x) and by column (bit y).
fn as_bits(size: usize, modules: &[bool]) -> (Vec<u64>, Vec<u64>) {
    let mut rows = vec![0u64; size];
    let mut columns = vec![0u64; size];
    for (y, row) in modules.chunks_exact(size).enumerate() {
        for (x, &on) in row.iter().enumerate() {
            if on {
                rows[y] |= 1 << x;
                columns[x] |= 1 << y;
            }
        }
    }
    (rows, columns)
}

/// Which modules each mask inverts, as bits: `rows[m][y % 12]` has bit x
/// set when mask m inverts (x, y), `columns[m][x % 12]` bit y. Every mask
/// repeats every 12 modules both ways.
struct MaskPatterns {
    rows: [[u64; 12]; 8],
    columns: [[u64; 12]; 8],
}

fn mask_patterns() -> &'static MaskPatterns {
    static PATTERNS: std::sync::OnceLock<MaskPatterns> = std::sync::OnceLock::new();
    PATTERNS.get_or_init(|| {
        let mut p = MaskPatterns {
            rows: [[0; 12]; 8],
            columns: [[0; 12]; 8],
        };
        for m in 0..8u8 {
            for k in 0..12 {
                for i in 0..64 {
                    if masked(m, i, k) {
                        p.rows[usize::from(m)][k] |= 1 << i;
                    }
                    if masked(m, k, i) {
                        p.columns[usize::from(m)][k] |= 1 << i;
                    }
                }
            }
        }
        p
    })
}

/// The 15 format bits of a level and mask (BCH code, then the XOR mask).
fn format_word(level: Level, mask: u8) -> u32 {
    let level_bits: u32 = match level {
        Level::L => 1,
        Level::M => 0,
        Level::Q => 3,
        Level::H => 2,
    };
    let data = level_bits << 3 | u32::from(mask);
    let mut rem = data;
    for _ in 0..10 {
        rem = (rem << 1) ^ ((rem >> 9) * 0x537);
    }
    (data << 10 | rem) ^ 0x5412
}

/// Where the format bits go: (x, y, bit index), both copies, and the
/// always-dark module as bit `u8::MAX`.
fn format_positions(size: usize) -> Vec<(usize, usize, u8)> {
    let mut out = Vec::with_capacity(31);
    for i in 0..6 {
        out.push((8, i, i as u8));
    }
    out.extend([(8, 7, 6), (8, 8, 7), (7, 8, 8)]);
    for i in 9..15 {
        out.push((14 - i, 8, i as u8));
    }
    for i in 0..8 {
        out.push((size - 1 - i, 8, i as u8));
    }
    for i in 8..15 {
        out.push((8, size - 15 + i, i as u8));
    }
    out.push((8, size - 8, u8::MAX));
    out
}

/// Whether mask `mask` inverts the module at column `x`, row `y`.
#[allow(clippy::manual_is_multiple_of)] // the formulas as the standard writes them
fn masked(mask: u8, x: usize, y: usize) -> bool {
    match mask {
        0 => (x + y) % 2 == 0,
        1 => y % 2 == 0,
        2 => x % 3 == 0,
        3 => (x + y) % 3 == 0,
        4 => (x / 3 + y / 2) % 2 == 0,
        5 => x * y % 2 + x * y % 3 == 0,
        6 => (x * y % 2 + x * y % 3) % 2 == 0,
        _ => ((x + y) % 2 + x * y % 3) % 2 == 0,
    }
}

/// The centres of the alignment patterns along one axis.
fn alignment_centres(version: usize, size: usize) -> Vec<usize> {
    if version == 1 {
        return Vec::new();
    }
    let count = version / 7 + 2;
    let step = if version == 32 {
        26
    } else {
        (version * 4 + count * 2 + 1) / (count * 2 - 2) * 2
    };
    let mut centres = vec![6; count];
    for i in 1..count {
        centres[count - i] = size - 7 - (i - 1) * step;
    }
    centres
}

/// The penalty score of a symbol (ISO/IEC 18004 §7.8.3): runs of five or
/// more modules of one colour, 2×2 blocks, finder-like 1:1:3:1:1 patterns
/// with four light modules (or the symbol's edge) on one side, and the
/// distance of the dark share from 50 %.
pub fn penalty(size: usize, dark: &[bool]) -> u32 {
    if size <= 64 {
        let rows: Vec<u64> = (0..size)
            .map(|y| line_bits((0..size).map(|x| dark[y * size + x])))
            .collect();
        let columns: Vec<u64> = (0..size)
            .map(|x| line_bits((0..size).map(|y| dark[y * size + x])))
            .collect();
        penalty_bits(size, &rows, &columns)
    } else {
        penalty_slow(size, dark)
    }
}

fn line_bits(modules: impl Iterator<Item = bool>) -> u64 {
    modules
        .enumerate()
        .fold(0u64, |acc, (i, d)| acc | (u64::from(d) << i))
}

/// [`penalty`] on rows and columns as bits (bit x of a row is column x).
fn penalty_bits(size: usize, rows: &[u64], columns: &[u64]) -> u32 {
    let all = |n: usize| if n >= 64 { u64::MAX } else { (1u64 << n) - 1 };
    let mut score = 0u32;
    let mut dark = 0u32;
    for lines in [rows, columns] {
        for &line in lines {
            // Runs: bit x of `same` says module x equals module x+1; a run
            // of r ≥ 5 is r−1 set bits, worth 3 + (r − 5) = (r−1) − 1.
            let same = !(line ^ (line >> 1)) & all(size - 1);
            let four = same & (same >> 1) & (same >> 2) & (same >> 3);
            score += four.count_ones() + 2 * (four & !(four >> 1)).count_ones();
            // Finder-like patterns: dark-light-dark-dark-dark-light-dark
            // starting at bit p, light (or outside) at p−4..p−1 or p+7..p+10.
            if size >= 7 {
                let light = !line;
                let pattern = line
                    & (light >> 1)
                    & (line >> 2)
                    & (line >> 3)
                    & (line >> 4)
                    & (light >> 5)
                    & (line >> 6)
                    & all(size - 6);
                let before = !((line << 1) | (line << 2) | (line << 3) | (line << 4));
                let after = !((line >> 7) | (line >> 8) | (line >> 9) | (line >> 10));
                score += 40 * (pattern & (before | after)).count_ones();
            }
        }
    }
    for pair in rows.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let vertical = !(a ^ b);
        let blocks = vertical & (vertical >> 1) & !(a ^ (a >> 1)) & all(size - 1);
        score += 3 * blocks.count_ones();
    }
    for &row in rows {
        dark += row.count_ones();
    }
    score + balance(dark as usize, size * size)
}

/// Points for the dark share: 10 for every full 5 % away from 50 %.
fn balance(dark: usize, total: usize) -> u32 {
    let away = (dark * 20).abs_diff(total * 10) / total;
    10 * away as u32
}

/// [`penalty`] module by module, for symbols wider than 64 modules.
fn penalty_slow(size: usize, dark: &[bool]) -> u32 {
    let at = |x: usize, y: usize| dark[y * size + x];
    let mut score = 0u32;
    for vertical in [false, true] {
        for a in 0..size {
            let get = |b: usize| if vertical { at(a, b) } else { at(b, a) };
            let mut run = 1;
            for b in 1..=size {
                if b < size && get(b) == get(b - 1) {
                    run += 1;
                    continue;
                }
                if run >= 5 {
                    score += 3 + (run - 5) as u32;
                }
                run = 1;
            }
            let lit = |b: isize| b < 0 || b >= size as isize || !get(b as usize);
            for p in 0..size.saturating_sub(6) {
                let pattern = [true, false, true, true, true, false, true];
                if (0..7).all(|k| get(p + k) == pattern[k]) {
                    let p = p as isize;
                    let before = (p - 4..p).all(lit);
                    let after = (p + 7..p + 11).all(lit);
                    if before || after {
                        score += 40;
                    }
                }
            }
        }
    }
    for y in 0..size - 1 {
        for x in 0..size - 1 {
            let c = at(x, y);
            if at(x + 1, y) == c && at(x, y + 1) == c && at(x + 1, y + 1) == c {
                score += 3;
            }
        }
    }
    score + balance(dark.iter().filter(|&&d| d).count(), size * size)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capacities_match_the_standard() {
        // Data codewords (ISO/IEC 18004 Table 7) for a few versions.
        for (version, level, want) in [
            (1, Level::L, 19),
            (1, Level::H, 9),
            (3, Level::M, 44),
            (3, Level::Q, 34),
            (7, Level::M, 124),
            (10, Level::Q, 154),
            (40, Level::L, 2956),
            (40, Level::H, 1276),
        ] {
            assert_eq!(data_codewords(version, level), want, "{version} {level:?}");
        }
        assert_eq!(alignment_centres(2, 25), [6, 18]);
        assert_eq!(alignment_centres(7, 45), [6, 22, 38]);
        assert_eq!(alignment_centres(32, 145), [6, 34, 60, 86, 112, 138]);
        assert_eq!(alignment_centres(40, 177), [6, 30, 58, 86, 114, 142, 170]);
    }

    #[test]
    fn reed_solomon_matches_a_known_block() {
        // Version 1-M "01234567" (numeric): the data and error correction
        // codewords of the worked example in ISO/IEC 18004 Annex I.
        let data = [
            0x10, 0x20, 0x0C, 0x56, 0x61, 0x80, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11,
            0xEC, 0x11,
        ];
        assert_eq!(data_bits(b"01234567", Mode::Numeric, 1, Level::M), data);
        assert_eq!(
            gf::remainder(&data, &gf::generator(10)),
            [0xA5, 0x24, 0xD4, 0xC1, 0xED, 0x36, 0xC7, 0x87, 0x2C, 0x55]
        );
    }

    #[test]
    fn fast_and_slow_penalties_agree() {
        let mut state = 7u64;
        for size in [21, 25, 29, 33, 45, 61] {
            for _ in 0..20 {
                let dark: Vec<bool> = (0..size * size)
                    .map(|_| {
                        state = state
                            .wrapping_mul(6_364_136_223_846_793_005)
                            .wrapping_add(1_442_695_040_888_963_407);
                        // Long runs and blocks now and then.
                        (state >> 60) < 7
                    })
                    .collect();
                assert_eq!(penalty(size, &dark), penalty_slow(size, &dark), "{size}");
            }
        }
    }

    #[test]
    fn penalty_rules_score_as_the_standard_says() {
        // A 21×21 symbol all light: every line is one run of 21 (3 + 16
        // points, 42 lines), 400 2×2 blocks, no dark module (50 % away:
        // 100 points), and no finder-like pattern.
        let light = vec![false; 21 * 21];
        assert_eq!(penalty(21, &light), 42 * 19 + 400 * 3 + 100);
        // One row with a finder-like pattern at its start, light after.
        let mut one = light.clone();
        for (x, &d) in [true, false, true, true, true, false, true]
            .iter()
            .enumerate()
        {
            one[x] = d;
        }
        let base = penalty_slow(21, &one);
        assert_eq!(penalty(21, &one), base);
        let mut shifted = light.clone();
        for (x, &d) in [true, true, false, true, true, true, false, true]
            .iter()
            .enumerate()
        {
            shifted[x] = d;
        }
        assert_eq!(penalty(21, &shifted), penalty_slow(21, &shifted));
    }
}
