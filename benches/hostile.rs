//! Worst cases: each pathological lesson (see tests/common/pathological.rs) parsed and
//! laid out at width 80.
//!
//! Budget: under one second each, in a release build.
//!
//! Run with `cargo bench --bench hostile`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

#[path = "../tests/common/pathological.rs"]
mod pathological;

use std::sync::LazyLock;

use divan::{Bencher, black_box};
use kurs::markdown::{RenderOptions, render};

static LESSONS: LazyLock<Vec<(&'static str, String)>> = LazyLock::new(pathological::lessons);

fn main() {
    divan::main();
}

const NAMES: [&str; 14] = [
    "01-deep-quotes.md",
    "02-deep-lists.md",
    "03-long-line.md",
    "04-long-word.md",
    "05-wide-table.md",
    "06-emphasis.md",
    "07-backticks.md",
    "08-brackets.md",
    "09-deep-mixed.md",
    "10-many-footnotes.md",
    "11-html.md",
    "12-wide-chars.md",
    "13-combining.md",
    "14-long-code-line.md",
];

/// Parse and lay out one pathological lesson at width 80.
#[divan::bench(args = NAMES, sample_count = 10)]
fn render_80(bencher: Bencher, name: &str) {
    let text = &LESSONS
        .iter()
        .find(|(n, _)| *n == name)
        .expect("a lesson of that name")
        .1;
    bencher.bench_local(|| render(black_box(text), RenderOptions::new(80)));
}
