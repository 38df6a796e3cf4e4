//! `course.toml` (and `module.toml`) as the loader reads it: the strict parse and every
//! check of its values. See `kurs::fuzzing::course_manifest`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(violation) = kurs::fuzzing::course_manifest(data) {
        panic!("{violation}");
    }
});
