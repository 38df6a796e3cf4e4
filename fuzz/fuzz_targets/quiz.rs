//! The quiz parser, validator and grader on any TOML and any responses:
//! `kurs::quiz::parse`, then `grade` and `score_quiz` with responses of every shape
//! (indices out of range included). See `kurs::fuzzing::quiz`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(violation) = kurs::fuzzing::quiz(data) {
        panic!("{violation}");
    }
});
