//! Markdown rendering of any text, safe and unsafe mode: never panics, and
//! safe mode never lets a script tag or script URL through.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    gongkai::fuzzing::markdown(data);
});
