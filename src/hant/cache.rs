//! Conversions of runs remembered per thread: a site's pages repeat their
//! navigation, labels, column and district names and dates on every page,
//! so most runs of Chinese text between markup have been converted before.
//! A run is converted on its own all the same (no phrase holds ASCII), so
//! taking it from here gives the same bytes.
//!
//! Each run has one slot, named by a hash of its length and its first and
//! last eight bytes (a new run takes the place of the one there, so that a
//! run repeated on every page stays while text seen once passes through);
//! the bytes of the runs and their conversions are kept end to end in one
//! buffer, which starts again from empty when it is full.

use super::Converter;
use std::cell::RefCell;

/// Runs from this many bytes (four three-byte characters) are remembered;
/// shorter ones cost no more to convert than to look up.
pub(super) const SHORTEST_RUN: usize = 12;
/// Runs up to this many bytes (64 three-byte characters) are remembered.
pub(super) const LONGEST_RUN: usize = 192;

/// Slots per thread (a power of two).
const SLOTS: usize = 8192;
/// Bytes of runs and conversions kept per thread.
const KEPT_BYTES: usize = 1 << 21;

/// A remembered run: `bytes[start..]` holds the run (`run_len` bytes), then
/// its conversion (`converted_len` bytes, 0 when it stays as it is).
#[derive(Clone, Copy, Default)]
struct Slot {
    tag: u32,
    start: u32,
    run_len: u16,
    converted_len: u16,
}

/// One thread's runs: the converter they belong to, the slots and the
/// bytes.
struct Runs {
    converter: u64,
    slots: Vec<Slot>,
    bytes: Vec<u8>,
}

thread_local! {
    static RUNS: RefCell<Runs> = const {
        RefCell::new(Runs { converter: 0, slots: Vec::new(), bytes: Vec::new() })
    };
}

/// The hash of a run: multiply and rotate over eight bytes at a time, in
/// two lanes.
#[inline]
fn hash(run: &[u8]) -> u64 {
    let word = |bytes: &[u8]| {
        let mut word = [0; 8];
        word[..bytes.len()].copy_from_slice(bytes);
        u64::from_le_bytes(word)
    };
    let mut lanes = [run.len() as u64, 0x2545_F491_4F6C_DD1D];
    let mut chunks = run.chunks_exact(16);
    for chunk in chunks.by_ref() {
        lanes[0] = (lanes[0] ^ word(&chunk[..8]))
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
            .rotate_left(29);
        lanes[1] = (lanes[1] ^ word(&chunk[8..]))
            .wrapping_mul(0xC2B2_AE3D_27D4_EB4F)
            .rotate_left(31);
    }
    let rest = chunks.remainder();
    let (a, b) = rest.split_at(rest.len().min(8));
    lanes[0] = (lanes[0] ^ word(a)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    lanes[1] = (lanes[1] ^ word(b)).wrapping_mul(0xC2B2_AE3D_27D4_EB4F);
    let mixed = lanes[0] ^ lanes[1].rotate_left(32);
    mixed ^ mixed >> 29
}

/// Calls `apply` with the conversion of `run` ([`SHORTEST_RUN`] to
/// [`LONGEST_RUN`] bytes, no ASCII) by `converter`, or `None` when it stays
/// as it is.
pub(super) fn with(converter: &Converter, run: &[u8], apply: impl FnOnce(Option<&[u8]>)) {
    RUNS.with(|runs| {
        let runs = &mut *runs.borrow_mut();
        if runs.converter != converter.tables.id || runs.slots.is_empty() {
            runs.converter = converter.tables.id;
            runs.slots = vec![Slot::default(); SLOTS];
            runs.bytes = Vec::with_capacity(KEPT_BYTES);
        }
        let hash = hash(run);
        let tag = (hash >> 32) as u32;
        let index = hash as usize & (SLOTS - 1);
        let slot = runs.slots[index];
        let start = slot.start as usize;
        let run_end = start + usize::from(slot.run_len);
        if slot.tag == tag && runs.bytes.get(start..run_end) == Some(run) {
            let converted = &runs.bytes[run_end..run_end + usize::from(slot.converted_len)];
            return apply((!converted.is_empty()).then_some(converted));
        }
        let converted = converter.convert_alone(run);
        apply(converted.as_deref());
        let converted = converted.as_deref().unwrap_or_default();
        // A site's phrase may be long; such a run is not worth keeping.
        if converted.len() > LONGEST_RUN * 4 {
            return;
        }
        if runs.bytes.len() + run.len() + converted.len() > KEPT_BYTES {
            runs.bytes.clear();
            runs.slots.fill(Slot::default());
        }
        runs.slots[index] = Slot {
            tag,
            start: runs.bytes.len() as u32,
            run_len: run.len() as u16,
            converted_len: converted.len() as u16,
        };
        runs.bytes.extend_from_slice(run);
        runs.bytes.extend_from_slice(converted);
    });
}
