//! The inputs the fuzz targets (fuzz/) found, and a few interesting ones from their
//! corpora, run through the same entry points as the targets (`kurs::fuzzing`) on every
//! `cargo test`: none may panic or break an invariant — above all, no control character
//! from content may reach the terminal.
//!
//! Each target's inputs are the files of `tests/fixtures/fuzz/<target>/`; add the
//! minimised input (`cargo fuzz tmin`) of every finding there.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::missing_panics_doc,
    clippy::must_use_candidate,
    missing_docs
)]

use std::path::Path;

use kurs::fuzzing::{self, Violation};

fn run_all(target: &str, check: impl Fn(&[u8]) -> Result<(), Violation>) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fuzz")
        .join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no inputs in {}", dir.display());
    let mut failures = Vec::new();
    for file in &files {
        let data = std::fs::read(file).unwrap();
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(&data))) {
            Ok(Ok(())) => {}
            Ok(Err(violation)) => failures.push(format!("{name}: {violation}")),
            Err(_) => failures.push(format!("{name}: panicked")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} {target} inputs failed:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}

#[test]
fn markdown_inputs() {
    run_all("markdown", |data| fuzzing::markdown(data).map(drop));
}

#[test]
fn quiz_inputs() {
    run_all("quiz", |data| fuzzing::quiz(data).map(drop));
}

#[test]
fn course_toml_inputs() {
    run_all("course_toml", |data| {
        fuzzing::course_manifest(data).map(drop)
    });
}

#[test]
fn progress_inputs() {
    run_all("progress", fuzzing::progress);
}

#[test]
fn the_invariant_check_catches_control_characters() {
    assert!(fuzzing::check_terminal_safe("plain\ttext\n", "text").is_ok());
    for bad in ["\u{1b}[2J", "a\u{7}", "\u{9b}31m", "\r", "\u{202e}"] {
        assert!(
            fuzzing::check_terminal_safe(bad, "text").is_err(),
            "{bad:?}"
        );
    }
}
