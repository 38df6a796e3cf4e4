//! The progress file loader: each input is read both as a snapshot (`<profile>.json`)
//! and as a journal (`<profile>.<N>.log`). See `kurs::fuzzing::progress`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(violation) = kurs::fuzzing::progress(data) {
        panic!("{violation}");
    }
});
