//! What every start of kurs costs before it does anything: the interface's words.
//!
//! Budget (issue: strings compiled in): `kurs show` of a 1 KB lesson with `--no-bundled`
//! takes at most 1.2 M instructions, in English and in German. Instructions are the
//! steady figure on a noisy machine; measure them with callgrind on the release binary:
//!
//! ```sh
//! cargo build --release
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null target/release/kurs \
//!   --no-bundled --courses DIR --lang de show COURSE/MODULE/LESSON
//! ```
//!
//! This benchmark times the part that used to dominate: getting a language's strings
//! (it parsed about 12 KB of TOML per language at every start; now it is a table made at
//! build time) and looking up every key once.
//!
//! Run with `cargo bench --bench startup`.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use kurs::i18n::{Lang, Strings};

fn main() {
    divan::main();
}

/// Every key of the language, looked up once, after making its `Strings`.
#[divan::bench(args = [Lang::En, Lang::De])]
fn strings_and_every_key(lang: Lang) -> usize {
    let strings = Strings::new(lang);
    let english = Strings::new(Lang::En);
    english
        .keys()
        .into_iter()
        .map(|key| strings.get(divan::black_box(key)).len())
        .sum()
}
