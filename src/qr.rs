//! QR codes for items: inline SVG for pages and a crisp PNG for print.
//!
//! Encoding is our own ([`encode`]): `fast_qr` (chosen first, 5× faster
//! than `qrcode` here) spent 35 µs per short link, most of it scoring the
//! eight masks, which was the largest cost of a cold build; ours scores
//! them on bit rows and takes 7.6 µs, and is tested module for module
//! against `fast_qr` for every version, level, mode and mask.

pub mod encode;
mod png_writer;

/// The short link of an item: what people read and what the symbol encodes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShortLink {
    /// `https://host/q/CODE/`, shown under the code.
    pub display: String,
    /// What the QR symbol encodes: at the domain root the whole link in
    /// upper case (`HTTPS://HOST/Q/CODE/`), which fits QR's alphanumeric
    /// mode and so a smaller symbol; under a sub-path the display link.
    pub encoded: String,
}

/// The short link of `code` under `base_url` (no trailing slash).
pub fn short_link(base_url: &str, base_path: &str, code: &str) -> ShortLink {
    let display = format!("{base_url}/q/{code}/");
    let encoded = if base_path.is_empty() {
        format!("{}/Q/{code}/", base_url.to_ascii_uppercase())
    } else {
        display.clone()
    };
    ShortLink { display, encoded }
}

/// Error correction level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// About 15 % recoverable: on screens.
    M,
    /// About 25 % recoverable: on printed sheets.
    Q,
}

/// An encoded QR symbol.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Symbol {
    /// Modules per side (without quiet zone).
    pub size: usize,
    /// Row-major dark modules, eight to a byte, least significant bit
    /// first (as the QR cache file stores them).
    bits: Vec<u8>,
}

/// Pack row-major module colours eight to a byte.
fn pack(dark: &[bool]) -> Vec<u8> {
    let mut bits = vec![0u8; dark.len().div_ceil(8)];
    for (i, _) in dark.iter().enumerate().filter(|(_, d)| **d) {
        bits[i / 8] |= 1 << (i % 8);
    }
    bits
}

/// Modules of white border around the symbol, as the standard asks.
const QUIET: usize = 4;

/// Append the decimal digits of `n`.
fn push_digits(out: &mut Vec<u8>, n: usize) {
    if n >= 10 {
        push_digits(out, n / 10);
    }
    out.push(b'0' + (n % 10) as u8);
}

/// Clear bits `from..to` of `row` (MSB first): those pixels are black.
fn clear_bits(row: &mut [u8], from: usize, to: usize) {
    let mut col = from;
    while col < to {
        if col.is_multiple_of(8) && to - col >= 8 {
            let end = col + (to - col) / 8 * 8;
            row[col / 8..end / 8].fill(0);
            col = end;
        } else {
            row[col / 8] &= !(0x80 >> (col % 8));
            col += 1;
        }
    }
}

impl Symbol {
    /// Encode text.
    pub fn encode(text: &str, level: Level) -> Result<Symbol, String> {
        crate::timings::span(crate::timings::Span::QrEncode, || {
            Symbol::encode_untimed(text, level)
        })
    }

    fn encode_untimed(text: &str, level: Level) -> Result<Symbol, String> {
        let code = encode::encode(text.as_bytes(), level.into(), None, None)?;
        Ok(Symbol {
            size: code.size,
            bits: pack(&code.dark),
        })
    }

    /// The QR version (1–40).
    pub fn version(&self) -> usize {
        (self.size - 17) / 4
    }

    fn is_dark(&self, x: usize, y: usize) -> bool {
        let i = y * self.size + x;
        self.bits[i / 8] >> (i % 8) & 1 == 1
    }

    /// The dark modules as one SVG path (quiet zone offset included).
    pub fn svg_path(&self) -> String {
        crate::timings::span(crate::timings::Span::QrImages, || self.svg_path_untimed())
    }

    /// The runs of dark modules of row `y`, as `start..end` columns.
    fn dark_runs(&self, y: usize) -> impl Iterator<Item = (usize, usize)> + '_ {
        let mut x = 0;
        std::iter::from_fn(move || {
            while x < self.size && !self.is_dark(x, y) {
                x += 1;
            }
            let start = x;
            while x < self.size && self.is_dark(x, y) {
                x += 1;
            }
            (x > start).then_some((start, x))
        })
    }

    fn svg_path_untimed(&self) -> String {
        // ASCII bytes, numbers written by hand: core::fmt made this a
        // tenth of a warm build's QR work, and pushing chars into a String
        // a third of what was left.
        let mut path: Vec<u8> = Vec::with_capacity(self.size * self.size * 3);
        for y in 0..self.size {
            for (start, end) in self.dark_runs(y) {
                // `M{x} {y}h{run}v1h-{run}z`
                let run = end - start;
                path.push(b'M');
                push_digits(&mut path, start + QUIET);
                path.push(b' ');
                push_digits(&mut path, y + QUIET);
                path.push(b'h');
                push_digits(&mut path, run);
                path.extend_from_slice(b"v1h-");
                push_digits(&mut path, run);
                path.push(b'z');
            }
        }
        // Only ASCII was pushed.
        String::from_utf8(path).unwrap_or_default()
    }

    /// An SVG image of `path` (from [`Symbol::svg_path`]) `pixels` wide and
    /// high (quiet zone included), with a text alternative.
    pub fn svg(&self, path: &str, pixels: usize, label: &str) -> String {
        let full = self.size + 2 * QUIET;
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{pixels}\" height=\"{pixels}\" viewBox=\"0 0 {full} {full}\" \
             role=\"img\" aria-label=\"{label}\" shape-rendering=\"crispEdges\">\
             <rect width=\"{full}\" height=\"{full}\" fill=\"#fff\"/><path fill=\"#000\" d=\"{path}\"/></svg>",
            label = crate::render::escape_html(label),
        )
    }

    /// A black-and-white PNG at least `min_pixels` wide, quiet zone included.
    pub fn png(&self, min_pixels: usize) -> Vec<u8> {
        crate::timings::span(crate::timings::Span::QrImages, || {
            self.png_untimed(min_pixels)
        })
    }

    fn png_untimed(&self, min_pixels: usize) -> Vec<u8> {
        let full = self.size + 2 * QUIET;
        let scale = min_pixels.div_ceil(full).max(1);
        let width = full * scale;
        let row_bytes = width.div_ceil(8);
        let white = vec![0xFFu8; row_bytes];
        // One pixel row per module row; each is written `scale` times.
        let module_rows: Vec<Vec<u8>> = (0..self.size)
            .map(|y| {
                let mut row = white.clone();
                for (start, end) in self.dark_runs(y) {
                    clear_bits(&mut row, (start + QUIET) * scale, (end + QUIET) * scale);
                }
                row
            })
            .collect();
        let rows = (0..width).map(|py| {
            let y = py / scale;
            match y.checked_sub(QUIET) {
                Some(m) if m < self.size => module_rows[m].as_slice(),
                _ => white.as_slice(),
            }
        });
        png_writer::write(width, rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_link_fits_a_small_version() {
        let symbol = Symbol::encode("https://gk.example.gov.cn/q/7D3K9QXA/", Level::M).unwrap();
        assert!(symbol.version() <= 3, "version {}", symbol.version());
    }

    #[test]
    fn upper_case_links_give_smaller_symbols() {
        // A 30-character base URL, as the issue asks to report.
        let base = "https://www.yuetang.example.cn";
        assert_eq!(base.len(), 30);
        let link = short_link(base, "", "7D3K9QXA");
        let alnum = Symbol::encode(&link.encoded, Level::M).unwrap();
        let bytes = Symbol::encode(&link.display, Level::M).unwrap();
        assert!(
            alnum.version() <= bytes.version(),
            "{} vs {}",
            alnum.version(),
            bytes.version()
        );
        assert_eq!(alnum.version(), 3);
        assert_eq!(
            Symbol::encode(&link.encoded, Level::Q).unwrap().version(),
            3
        );
        assert_eq!(
            Symbol::encode(&link.display, Level::Q).unwrap().version(),
            4
        );
        let sub = short_link("https://a.cn/gk", "/gk", "7D3K9QXA");
        assert_eq!(sub.encoded, "https://a.cn/gk/q/7D3K9QXA/");
    }

    #[test]
    fn svg_path_draws_each_run_of_dark_modules() {
        use std::fmt::Write;
        let symbol = Symbol::encode("HTTPS://A.CN/Q/ABCDEFGH/", Level::M).unwrap();
        let mut expected = String::new();
        for y in 0..symbol.size {
            let mut x = 0;
            while x < symbol.size {
                let start = x;
                while x < symbol.size && symbol.is_dark(x, y) {
                    x += 1;
                }
                if x > start {
                    let run = x - start;
                    let (px, py) = (start + QUIET, y + QUIET);
                    write!(expected, "M{px} {py}h{run}v1h-{run}z").unwrap();
                } else {
                    x += 1;
                }
            }
        }
        assert_eq!(symbol.svg_path(), expected);
        assert!(expected.starts_with("M4 4h7v1h-7z"), "finder pattern first");
        let mut n = Vec::new();
        for v in [0, 7, 10, 99, 100, 185] {
            push_digits(&mut n, v);
            n.push(b',');
        }
        assert_eq!(n, b"0,7,10,99,100,185,");
    }

    #[test]
    fn svg_has_size_and_label() {
        let symbol = Symbol::encode("https://a.cn/q/ABCDEFGH/", Level::M).unwrap();
        let svg = symbol.svg(&symbol.svg_path(), 160, "扫码访问 <x>");
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("width=\"160\" height=\"160\""));
        assert!(svg.contains("扫码访问 &lt;x&gt;"));
    }

    #[test]
    fn png_is_large_enough_for_print() {
        let symbol = Symbol::encode("https://a.cn/q/ABCDEFGH/", Level::Q).unwrap();
        let png = symbol.png(600);
        let decoder = png::Decoder::new(std::io::Cursor::new(png));
        let reader = decoder.read_info().unwrap();
        assert!(reader.info().width >= 600);
    }
}

/// A QR code encoded once: its modules and, for item pages, its print PNG.
/// Only the modules are kept from one build to the next: the PNG (12 µs to
/// write) and the SVG path are cheap to draw from them when a page needs
/// them, and 10,000 of either would hold 16–40 MB until the build ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drawn {
    /// The encoded symbol.
    pub symbol: Symbol,
    /// The print PNG (empty when not asked for).
    pub png: Vec<u8>,
}

impl Drawn {
    /// Encode and draw `text`.
    pub fn new(text: &str, level: Level, with_png: bool) -> Result<Drawn, String> {
        let symbol = Symbol::encode(text, level)?;
        let png = if with_png {
            symbol.png(600)
        } else {
            Vec::new()
        };
        Ok(Drawn::from_parts(symbol, png))
    }

    fn from_parts(symbol: Symbol, png: Vec<u8>) -> Drawn {
        Drawn { symbol, png }
    }
}

type CacheKey = (bool, String);

/// QR codes drawn by earlier builds, keyed by the encoded text and level, so
/// an unchanged item costs no QR work. A code depends only on its text and
/// level and on this drawing code, so the file is tied to the version of
/// gongkai that wrote it and is otherwise never stale.
#[derive(Default)]
pub struct Cache {
    old: std::collections::HashMap<CacheKey, std::sync::Arc<Drawn>>,
    used: std::sync::Mutex<std::collections::BTreeMap<CacheKey, std::sync::Arc<Drawn>>>,
}

impl std::fmt::Debug for Cache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "qr::Cache({} codes)", self.old.len())
    }
}

/// Bumped whenever the drawing changes (2: own encoder, whose mask choice
/// may differ from fast_qr's), so a warm build draws what a cold one does.
const CACHE_MAGIC: &str = concat!("gongkai-qr-cache 2 ", env!("CARGO_PKG_VERSION"), "\n");

impl Cache {
    /// Load a cache file; a missing, foreign or damaged file gives an empty cache.
    pub fn load(path: &std::path::Path) -> Cache {
        let old = std::fs::read(path)
            .ok()
            .and_then(|bytes| decode_cache(&bytes))
            .unwrap_or_default();
        Cache {
            old,
            used: Default::default(),
        }
    }

    /// The drawn code of `text` at `level`, from the cache or drawn now.
    pub fn draw(
        &self,
        text: &str,
        level: Level,
        with_png: bool,
    ) -> Result<std::sync::Arc<Drawn>, String> {
        let key = (level == Level::Q, text.to_string());
        // Codes already drawn by this build come first (the Traditional copy
        // asks for the main copy's codes again), then those of earlier builds.
        let known = self
            .used
            .lock()
            .ok()
            .and_then(|used| used.get(&key).cloned())
            .or_else(|| self.old.get(&key).cloned());
        let drawn = match known {
            Some(drawn) => drawn,
            None => std::sync::Arc::new(Drawn::new(text, level, false)?),
        };
        if let Ok(mut used) = self.used.lock() {
            used.entry(key)
                .or_insert_with(|| std::sync::Arc::clone(&drawn));
        }
        if !with_png {
            return Ok(drawn);
        }
        let png = drawn.symbol.png(600);
        Ok(std::sync::Arc::new(Drawn::from_parts(
            drawn.symbol.clone(),
            png,
        )))
    }

    /// A cache for the next build in the same process (`serve`): what this
    /// build used becomes what the next one may reuse.
    pub fn next(&self) -> Cache {
        let used = self.used.lock().map(|u| u.clone()).unwrap_or_default();
        Cache {
            old: used.into_iter().collect(),
            used: Default::default(),
        }
    }

    /// Keep the codes of earlier builds that this one did not use (a build
    /// that rendered only some items), so that [`Cache::save`] keeps them.
    pub fn keep_earlier(&self) {
        if let Ok(mut used) = self.used.lock() {
            for (key, drawn) in &self.old {
                used.entry(key.clone())
                    .or_insert_with(|| std::sync::Arc::clone(drawn));
            }
        }
    }

    /// How many codes were reused and how many drawn anew.
    pub fn hits(&self) -> (usize, usize) {
        let used = self
            .used
            .lock()
            .map(|u| u.keys().cloned().collect::<Vec<_>>())
            .unwrap_or_default();
        let hits = used.iter().filter(|k| self.old.contains_key(*k)).count();
        (hits, used.len() - hits)
    }

    /// Write the codes used by this build (older ones are dropped), atomically.
    pub fn save(&self, path: &std::path::Path) -> std::io::Result<()> {
        let Ok(used) = self.used.lock() else {
            return Ok(());
        };
        let mut bytes = CACHE_MAGIC.as_bytes().to_vec();
        for ((print, text), drawn) in used.iter() {
            bytes.push(u8::from(*print));
            let modules = &drawn.symbol.bits;
            for part in [text.as_bytes(), modules, &drawn.png] {
                bytes.extend_from_slice(&(part.len() as u32).to_le_bytes());
                bytes.extend_from_slice(part);
            }
            bytes.extend_from_slice(&(drawn.symbol.size as u32).to_le_bytes());
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let temp = path.with_extension(format!("tmp{}", std::process::id()));
        std::fs::write(&temp, bytes)?;
        std::fs::rename(temp, path)
    }
}

fn decode_cache(
    bytes: &[u8],
) -> Option<std::collections::HashMap<CacheKey, std::sync::Arc<Drawn>>> {
    let mut rest = bytes.strip_prefix(CACHE_MAGIC.as_bytes())?;
    let mut take = |n: usize| -> Option<&[u8]> {
        let (head, tail) = (rest.get(..n)?, rest.get(n..)?);
        rest = tail;
        Some(head)
    };
    let mut map = std::collections::HashMap::new();
    loop {
        let Some(flag) = take(1) else {
            return Some(map);
        };
        let print = flag[0] == 1;
        let mut parts = Vec::with_capacity(3);
        for _ in 0..3 {
            let len = u32::from_le_bytes(take(4)?.try_into().ok()?) as usize;
            parts.push(take(len)?.to_vec());
        }
        let size = u32::from_le_bytes(take(4)?.try_into().ok()?) as usize;
        // A PNG in a file of an earlier version is not kept.
        parts.pop()?;
        let modules = parts.pop()?;
        let text = String::from_utf8(parts.pop()?).ok()?;
        if !(21..=177).contains(&size) || modules.len() != (size * size).div_ceil(8) {
            return None;
        }
        let symbol = Symbol {
            size,
            bits: modules,
        };
        map.insert(
            (print, text),
            std::sync::Arc::new(Drawn::from_parts(symbol, Vec::new())),
        );
    }
}

#[cfg(test)]
mod cache_tests {
    use super::*;

    #[test]
    fn cache_round_trips_and_reuses() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("qr.bin");
        let cache = Cache::load(&file);
        let first = cache
            .draw("HTTPS://A.CN/Q/ABCDEFGH/", Level::M, true)
            .unwrap();
        let print = cache
            .draw("HTTPS://A.CN/Q/ABCDEFGH/", Level::Q, false)
            .unwrap();
        assert_eq!(cache.hits(), (0, 2));
        cache.save(&file).unwrap();
        let again = Cache::load(&file);
        assert_eq!(
            *again
                .draw("HTTPS://A.CN/Q/ABCDEFGH/", Level::M, true)
                .unwrap(),
            *first
        );
        assert_eq!(
            *again
                .draw("HTTPS://A.CN/Q/ABCDEFGH/", Level::Q, false)
                .unwrap(),
            *print
        );
        assert_eq!(again.hits(), (2, 0));
        assert!(Cache::load(&dir.path().join("missing")).old.is_empty());
        std::fs::write(&file, b"garbage").unwrap();
        assert!(Cache::load(&file).old.is_empty());
    }

    #[test]
    fn pngs_are_drawn_when_asked_and_not_kept() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("qr.bin");
        let cache = Cache::load(&file);
        let link = "HTTPS://A.CN/Q/ABCDEFGH/";
        let main = cache.draw(link, Level::M, true).unwrap();
        let copy = cache.draw(link, Level::M, false).unwrap();
        assert!(!main.png.is_empty() && copy.png.is_empty());
        assert_eq!(main.symbol, copy.symbol);
        assert_eq!(main.png, main.symbol.png(600));
        assert_eq!(cache.hits(), (0, 1));
        let kept = cache.used.lock().unwrap();
        assert!(kept.values().all(|d| d.png.is_empty()));
        drop(kept);
        cache.save(&file).unwrap();
        let again = Cache::load(&file);
        assert_eq!(*again.draw(link, Level::M, true).unwrap(), *main);
        assert_eq!(again.hits(), (1, 0));
    }
}
