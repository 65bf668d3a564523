//! Our QR encoder (src/qr/encode.rs) against the `fast_qr` crate it
//! replaced: for every version and error correction level, in all three
//! modes and with each mask forced, both must give the same symbol module
//! for module; with the mask chosen by the penalty score, the symbol must
//! decode (rqrr) to the text.

use gongkai::qr::encode::{self, Level, Mode};

/// Deterministic pseudo-random numbers.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
}

/// A text of `mode` of at most `len` bytes (exactly `len` unless a
/// multi-byte character would not fit).
fn text(rng: &mut Rng, mode: Mode, len: usize) -> Vec<u8> {
    let alphabet: Vec<char> = match mode {
        Mode::Numeric => "0123456789".chars().collect(),
        Mode::Alphanumeric => "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
            .chars()
            .collect(),
        Mode::Byte => "abcxyz/?=&:0189-_~%二维码".chars().collect(),
    };
    // Byte texts start with a letter: never all digits or alphanumeric.
    let mut out = String::from(if mode == Mode::Byte { "a" } else { "" });
    while out.len() < len {
        let c = alphabet[rng.next() as usize % alphabet.len()];
        if out.len() + c.len_utf8() > len {
            if out.len() < len {
                out.push('b');
                continue;
            }
            break;
        }
        out.push(c);
    }
    out.into_bytes()
}

fn reference(data: &[u8], level: Level, mode: Mode, mask: u8) -> (usize, Vec<bool>) {
    let ecl = match level {
        Level::L => fast_qr::ECL::L,
        Level::M => fast_qr::ECL::M,
        Level::Q => fast_qr::ECL::Q,
        Level::H => fast_qr::ECL::H,
    };
    let mode = match mode {
        Mode::Numeric => fast_qr::Mode::Numeric,
        Mode::Alphanumeric => fast_qr::Mode::Alphanumeric,
        Mode::Byte => fast_qr::Mode::Byte,
    };
    let masks = [
        fast_qr::Mask::Checkerboard,
        fast_qr::Mask::HorizontalLines,
        fast_qr::Mask::VerticalLines,
        fast_qr::Mask::DiagonalLines,
        fast_qr::Mask::LargeCheckerboard,
        fast_qr::Mask::Fields,
        fast_qr::Mask::Diamonds,
        fast_qr::Mask::Meadow,
    ];
    let code = fast_qr::QRBuilder::new(data.to_vec())
        .ecl(ecl)
        .mode(mode)
        .mask(masks[usize::from(mask)])
        .build()
        .unwrap();
    let size = code.size;
    (
        size,
        (0..size * size).map(|i| code.data[i].value()).collect(),
    )
}

/// The longest text of `mode` that fits version `version` at `level`.
fn longest(mode: Mode, version: usize, level: Level) -> usize {
    let bits = encode::data_codewords(version, level) * 8;
    let count = match (mode, version) {
        (Mode::Numeric, 1..=9) => 10,
        (Mode::Numeric, 10..=26) => 12,
        (Mode::Numeric, _) => 14,
        (Mode::Alphanumeric, 1..=9) => 9,
        (Mode::Alphanumeric, 10..=26) => 11,
        (Mode::Alphanumeric, _) => 13,
        (Mode::Byte, 1..=9) => 8,
        (Mode::Byte, _) => 16,
    };
    let room = bits - 4 - count;
    match mode {
        Mode::Numeric => room / 10 * 3 + [0, 0, 0, 0, 1, 1, 1, 2, 2, 2][room % 10],
        Mode::Alphanumeric => room / 11 * 2 + usize::from(room % 11 >= 6),
        Mode::Byte => room / 8,
    }
}

#[test]
fn every_version_level_mode_and_mask_matches_the_reference() {
    let mut rng = Rng(2026);
    let mut compared = 0;
    for version in 1..=40 {
        for level in [Level::L, Level::M, Level::Q, Level::H] {
            for mode in [Mode::Numeric, Mode::Alphanumeric, Mode::Byte] {
                // The longest text of this version, so the version is
                // exactly this one; byte texts are cut at a character.
                let data = text(&mut rng, mode, longest(mode, version, level));
                let masks: Vec<u8> = if version <= 10 {
                    (0..8).collect()
                } else {
                    vec![(rng.next() % 8) as u8]
                };
                for mask in masks {
                    let ours = encode::encode(&data, level, Some(mode), Some(mask)).unwrap();
                    let (size, modules) = reference(&data, level, mode, mask);
                    assert_eq!(ours.size, 17 + 4 * version, "v{version} {level:?} {mode:?}");
                    assert_eq!(ours.size, size, "v{version} {level:?} {mode:?} mask {mask}");
                    assert!(
                        ours.dark == modules,
                        "v{version} {level:?} {mode:?} mask {mask}: modules differ"
                    );
                    compared += 1;
                }
            }
        }
    }
    assert!(compared > 1000);
}

#[test]
fn chosen_masks_decode_and_short_links_stay_small() {
    let mut rng = Rng(7);
    for n in 0..300 {
        let mode = [Mode::Numeric, Mode::Alphanumeric, Mode::Byte][n % 3];
        let level = [Level::L, Level::M, Level::Q, Level::H][n % 4];
        let len = 1 + rng.next() as usize % 120;
        let data = text(&mut rng, mode, len);
        let code = encode::encode(&data, level, None, None).unwrap();
        let mut image = rqrr::PreparedImage::prepare_from_greyscale(
            (code.size + 8) * 4,
            (code.size + 8) * 4,
            |x, y| {
                let (mx, my) = ((x / 4).wrapping_sub(4), (y / 4).wrapping_sub(4));
                let dark = mx < code.size && my < code.size && code.dark[my * code.size + mx];
                if dark { 0 } else { 255 }
            },
        );
        let grids = image.detect_grids();
        assert_eq!(grids.len(), 1, "{n}");
        let (_, content) = grids[0].decode().unwrap();
        assert_eq!(content.as_bytes(), &data[..], "{n}");
    }
    // The links on every item, for a 30-character base URL: version 3
    // at M and at Q, as fast_qr chose.
    let link = b"HTTPS://WWW.EXAMPLE-DISTRICT.GOV.CN/Q/7D3K9QXA/";
    for (level, ecl) in [(Level::M, fast_qr::ECL::M), (Level::Q, fast_qr::ECL::Q)] {
        let ours = encode::encode(link, level, None, None).unwrap();
        let theirs = fast_qr::QRBuilder::new(link.to_vec())
            .ecl(ecl)
            .build()
            .unwrap();
        assert_eq!((ours.size, theirs.size), (29, 29));
    }
}

#[test]
fn the_chosen_mask_has_the_lowest_penalty() {
    // The penalty rules leave room for interpretation (whether the
    // symbol's edge counts as light beside a finder-like pattern, whether
    // the format bits are scored), so encoders may pick different masks
    // for the same text, and any mask gives a valid symbol. What must hold
    // is that ours picks the lowest of its own scores.
    let mut rng = Rng(11);
    for n in 0..100 {
        let data = format!(
            "HTTPS://GK{n}.EXAMPLE.GOV.CN/Q/{}/",
            String::from_utf8(text(&mut rng, Mode::Alphanumeric, 8)).unwrap()
        );
        let level = [Level::M, Level::Q][n % 2];
        let chosen = encode::encode(data.as_bytes(), level, None, None).unwrap();
        let scores: Vec<u32> = (0..8)
            .map(|mask| {
                let code = encode::encode(data.as_bytes(), level, None, Some(mask)).unwrap();
                encode::penalty(code.size, &code.dark)
            })
            .collect();
        let best = scores.iter().min().unwrap();
        assert_eq!(
            scores[usize::from(chosen.mask)],
            *best,
            "{data}: {scores:?}"
        );
        assert_eq!(
            scores.iter().position(|s| s == best),
            Some(usize::from(chosen.mask)),
            "the first of equal scores"
        );
    }
}
