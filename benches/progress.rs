//! Saving progress when a profile already holds 10,000 quiz attempts.
//!
//! Budget: a save — what happens after every answer — takes at most 20 ms including
//! the flush to disk, and does not grow with the history (it appends to the journal).
//! `compact` (folding the journal into a new snapshot, done now and then and when kurs
//! closes) is measured for information.
//!
//! The profile lives in a folder under `target/`, on the project's own disk.
//! Run with `cargo bench --bench progress`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::sync::LazyLock;

use divan::Bencher;
use kurs::progress::store::{DataDir, Store};
use kurs::progress::{Answer, AttemptResult, Change, Timestamp};
use kurs::quiz::Response;

const ATTEMPTS: usize = 10_000;
const ANSWERS_PER_ATTEMPT: usize = 8;

static DATA: LazyLock<(tempfile::TempDir, DataDir)> = LazyLock::new(|| {
    std::fs::create_dir_all("target").unwrap();
    let dir = tempfile::tempdir_in("target").unwrap();
    let data = DataDir {
        root: dir.path().to_path_buf(),
    };
    let mut store = data.open("Bench").unwrap();
    for a in 0..ATTEMPTS {
        let (course, item, attempt) = (
            "course".to_owned(),
            format!("m{}/quiz", a % 40),
            format!("attempt-{a:05}"),
        );
        store.record(Change::AttemptStarted {
            course: course.clone(),
            item: item.clone(),
            attempt: attempt.clone(),
            seed: a as u64,
        });
        for q in 0..ANSWERS_PER_ATTEMPT {
            store.record(answer(&course, &item, &attempt, q));
        }
        let result = AttemptResult {
            points: 6.0,
            max: 8.0,
            passed: a % 3 != 0,
            last: false,
        };
        store.record(Change::AttemptEnded {
            course,
            item,
            attempt,
            result,
        });
    }
    store.compact().unwrap();
    let attempts: usize = store.profile().courses["course"]
        .items
        .values()
        .map(|i| i.attempts.len())
        .sum();
    assert_eq!(attempts, ATTEMPTS);
    let size = std::fs::metadata(store.path().unwrap()).unwrap().len();
    eprintln!("progress: {ATTEMPTS} attempts, snapshot {size} bytes");
    (dir, data)
});

fn answer(course: &str, item: &str, attempt: &str, q: usize) -> Change {
    Change::Answered {
        course: course.to_owned(),
        item: item.to_owned(),
        attempt: attempt.to_owned(),
        answer: Answer {
            question: format!("question-{q}"),
            response: Response::Choice(q % 4),
            points: 1.0,
            max: 1.0,
            hints: 0,
            at: Some(Timestamp(1_800_000_000)),
        },
    }
}

fn main() {
    LazyLock::force(&DATA);
    divan::main();
}

fn open() -> Store {
    DATA.1.open("Bench").unwrap()
}

/// Recording and saving one answer (append + flush), as after every question.
#[divan::bench(sample_count = 50)]
fn save_one_answer(bencher: Bencher) {
    let mut store = open();
    let mut n = 0usize;
    bencher.bench_local(|| {
        n += 1;
        store.record(answer("course", "m0/quiz", "attempt-new", n % 8));
        store.save().unwrap();
    });
}

/// Folding everything into a new snapshot (with flush): done rarely.
#[divan::bench(sample_count = 10)]
fn compact(bencher: Bencher) {
    let mut store = open();
    bencher.bench_local(|| store.compact().unwrap());
}

/// Opening the profile (reading the snapshot and journal).
#[divan::bench(sample_count = 10)]
fn open_profile(bencher: Bencher) {
    bencher.bench_local(open);
}
