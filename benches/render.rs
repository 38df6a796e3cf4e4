//! Rendering one very large lesson (about 5 MB), against pulldown-cmark alone.
//!
//! Budget: `render_100` (parse + layout at width 100) takes at most 2 × `pulldown_cmark_only`
//! (iterating every event of the same bytes with the same options). `parse_only` and
//! `layout_only_100` split the render time, for information.
//!
//! Run with `cargo bench --bench render`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

mod common;

use std::sync::LazyLock;

use divan::counter::BytesCount;
use divan::{Bencher, black_box};
use kurs::markdown::{self, Document, RenderOptions};
use pulldown_cmark::Parser;

const BYTES: usize = 5 * 1024 * 1024;

static LESSON: LazyLock<String> = LazyLock::new(|| {
    let text = common::big_lesson(BYTES);
    let lines = markdown::render(&text, RenderOptions::new(100));
    eprintln!(
        "render: {} bytes, {} words, {} lines at width 100",
        text.len(),
        common::words(&text),
        lines.len()
    );
    text
});

static PARSED: LazyLock<Document> = LazyLock::new(|| markdown::parse(&LESSON));

fn main() {
    LazyLock::force(&LESSON);
    divan::main();
}

/// `kurs::markdown::render`: parse and lay out at width 100.
#[divan::bench(sample_count = 30)]
fn render_100(bencher: Bencher) {
    let text = LESSON.as_str();
    bencher
        .counter(BytesCount::of_str(text))
        .bench_local(|| markdown::render(black_box(text), RenderOptions::new(100)));
}

/// The floor: pulldown-cmark alone, every event, with kurs's options.
#[divan::bench(sample_count = 30)]
fn pulldown_cmark_only(bencher: Bencher) {
    let text = LESSON.as_str();
    bencher
        .counter(BytesCount::of_str(text))
        .bench_local(|| Parser::new_ext(black_box(text), markdown::parser_options()).count());
}

/// For information: events → [`Document`] only.
#[divan::bench(sample_count = 30)]
fn parse_only(bencher: Bencher) {
    let text = LESSON.as_str();
    bencher
        .counter(BytesCount::of_str(text))
        .bench_local(|| markdown::parse(black_box(text)));
}

/// For information: layout at width 100 of an already parsed document.
#[divan::bench(sample_count = 30)]
fn layout_only_100(bencher: Bencher) {
    let doc = LazyLock::force(&PARSED);
    bencher.bench_local(|| black_box(doc).lines(RenderOptions::new(100)));
}
