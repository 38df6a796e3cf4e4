//! The Markdown renderer on any bytes at any width (0..=500, from the first two bytes):
//! `kurs::markdown::render` must not panic, and every line must be terminal-safe and fit
//! the width. See `kurs::fuzzing::markdown`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(violation) = kurs::fuzzing::markdown(data) {
        panic!("{violation}");
    }
});
