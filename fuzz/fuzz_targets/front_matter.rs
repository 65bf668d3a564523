//! Front matter of any bytes, read as each of the five kinds: never panics.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    gongkai::fuzzing::front_matter(data);
});
