//! The whole load–validate–render pipeline on a one-file site whose file is
//! the input: never panics.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    gongkai::fuzzing::pipeline(data);
});
