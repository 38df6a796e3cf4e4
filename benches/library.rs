//! Loading and validating a large course library, against the raw floor of reading and
//! parsing the same files.
//!
//! The library (20 courses × 5 modules × (10 lessons + 2 quizzes): 1,000 lessons and 200
//! quizzes) is generated once into a temporary folder. Budget: `load_and_validate` takes
//! at most 1.3 × `raw_floor`.
//!
//! Run with `cargo bench --bench library`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

mod common;

use std::fs;
use std::path::Path;
use std::sync::LazyLock;

use divan::{Bencher, black_box};
use kurs::course::check::check_library;
use kurs::course::{Library, Root};
use pulldown_cmark::Parser;
use tempfile::TempDir;

const COURSES: usize = 20;
const MODULES: usize = 5;

/// The generated library, written on first use and checked once.
static LIBRARY: LazyLock<TempDir> = LazyLock::new(|| {
    let dir = tempfile::tempdir().unwrap();
    let written = common::write_library(dir.path(), COURSES, MODULES);
    assert_eq!((written.lessons, written.quizzes), (1000, 200));
    let library = Library::load(&[Root::Dir(dir.path().to_path_buf())]);
    let report = check_library(&library);
    assert_eq!(library.courses.len(), COURSES, "{:?}", library.failed);
    assert_eq!(report.items, 1200);
    assert_eq!(report.errors(), 0, "{:#?}", report.diagnostics);
    let (files, bytes) = raw_floor(dir.path());
    eprintln!(
        "library: {} lessons (~{} words each), {} quizzes, {files} files read, {bytes} bytes; {} warnings",
        written.lessons,
        written.words / written.lessons,
        written.quizzes,
        report.warnings()
    );
    dir
});

fn main() {
    LazyLock::force(&LIBRARY);
    divan::main();
}

/// What kurs does for `kurs validate`: load every course outline, then read, parse and
/// check every lesson and quiz (links included).
#[divan::bench(sample_count = 30)]
fn load_and_validate(bencher: Bencher) {
    let root = [Root::Dir(LIBRARY.path().to_path_buf())];
    bencher.bench_local(|| {
        let library = Library::load(black_box(&root));
        check_library(&library)
    });
}

/// The floor: walk the folders, read every file and parse it (Markdown: every event with
/// kurs's parser options; TOML: into a plain table), with nothing else.
#[divan::bench(sample_count = 30)]
fn raw_floor_read_and_parse(bencher: Bencher) {
    let root = LIBRARY.path();
    bencher.bench_local(|| raw_floor(black_box(root)));
}

/// Returns the number of files parsed and of bytes read (so nothing is optimised away).
fn raw_floor(dir: &Path) -> (usize, usize) {
    let mut files = 0;
    let mut bytes = 0;
    for entry in fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let path = entry.path();
        if entry.file_type().unwrap().is_dir() {
            let (f, b) = raw_floor(&path);
            files += f;
            bytes += b;
            continue;
        }
        let extension = path.extension().and_then(|e| e.to_str());
        if extension == Some("md") {
            let text = fs::read_to_string(&path).unwrap();
            let events = Parser::new_ext(&text, kurs::markdown::parser_options()).count();
            black_box(events);
            files += 1;
            bytes += text.len();
        } else if extension == Some("toml") {
            let text = fs::read_to_string(&path).unwrap();
            let table = toml::from_str::<toml::Table>(&text).unwrap();
            black_box(table);
            files += 1;
            bytes += text.len();
        }
    }
    (files, bytes)
}
