//! Pathological course content, generated (it is too large to keep in git): Markdown
//! that is slow or deep for naive renderers, and files over kurs's limits.

#![allow(dead_code)] // each test binary uses part of this

use std::fmt::Write as _;
use std::path::Path;

/// `(file name, Markdown)` of every pathological lesson.
#[must_use]
pub fn lessons() -> Vec<(&'static str, String)> {
    let mut deep_lists = String::new();
    for i in 0..1000 {
        deep_lists.push_str(&"  ".repeat(i));
        deep_lists.push_str("- x\n");
    }
    let columns = 3000;
    let mut wide_table = String::from("|");
    for i in 0..columns {
        let _ = write!(wide_table, "c{i}|");
    }
    wide_table.push_str("\n|");
    wide_table.push_str(&"---|".repeat(columns));
    wide_table.push('\n');
    for _ in 0..20 {
        wide_table.push('|');
        wide_table.push_str(&"v|".repeat(columns));
        wide_table.push('\n');
    }
    let mut deep_mixed = String::new();
    for i in 0..20_000 {
        let _ = writeln!(
            deep_mixed,
            "{}{}line {i}",
            "> ".repeat(i % 40),
            "- ".repeat(i % 30)
        );
    }
    let mut footnotes = String::new();
    for i in 0..20_000 {
        let _ = write!(footnotes, "a[^{i}] ");
    }
    footnotes.push_str("\n\n");
    for i in 0..20_000 {
        let _ = writeln!(footnotes, "[^{i}]: note");
    }
    vec![
        ("01-deep-quotes.md", ">".repeat(20_000) + " deep\n"),
        ("02-deep-lists.md", deep_lists),
        ("03-long-line.md", "word ".repeat(200_000)),
        ("04-long-word.md", "x".repeat(500_000)),
        ("05-wide-table.md", wide_table),
        ("06-emphasis.md", "*a **b ".repeat(40_000)),
        (
            "07-backticks.md",
            format!("{} x {}", "`".repeat(50_000), "``".repeat(25_000)),
        ),
        (
            "08-brackets.md",
            format!(
                "{}x{}(https://example.org)",
                "[".repeat(50_000),
                "]".repeat(50_000)
            ),
        ),
        ("09-deep-mixed.md", deep_mixed),
        ("10-many-footnotes.md", footnotes),
        (
            "11-html.md",
            format!("{}x{}", "<div>".repeat(50_000), "</div>".repeat(50_000)),
        ),
        ("12-wide-chars.md", "日本語👍🎉".repeat(100_000)),
        ("13-combining.md", format!("e{}", "\u{301}".repeat(100_000))),
        (
            "14-long-code-line.md",
            format!("```\n{}\n```\n", "y".repeat(1_000_000)),
        ),
    ]
}

/// Writes a course pack with every pathological lesson into `dir` (a course folder).
pub fn write_pack(dir: &Path) {
    let module = dir.join("01-module");
    std::fs::create_dir_all(&module).expect("create the pack");
    std::fs::write(
        dir.join("course.toml"),
        "id = \"pathological\"\ntitle = \"Pathological Markdown\"\n",
    )
    .expect("course.toml");
    for (name, text) in lessons() {
        std::fs::write(module.join(name), format!("# {name}\n\n{text}\n")).expect("a lesson");
    }
}

/// Writes a pack whose files break kurs's limits into `dir`: a lesson over 8 MB, a quiz
/// with 600 questions, and TOML nested 100,000 deep.
pub fn write_oversized_pack(dir: &Path) {
    let module = dir.join("01-module");
    std::fs::create_dir_all(&module).expect("create the pack");
    std::fs::write(
        dir.join("course.toml"),
        "id = \"oversized\"\ntitle = \"Over the limits\"\n",
    )
    .expect("course.toml");
    let big = "A sentence of a lesson that is far too long. ".repeat(200_000);
    std::fs::write(module.join("01-huge.md"), big).expect("a huge lesson");
    let mut quiz = String::new();
    for i in 0..600 {
        let _ = write!(
            quiz,
            "[[question]]\nid = \"q{i}\"\ntype = \"true_false\"\nprompt = \"p\"\nanswer = true\n"
        );
    }
    std::fs::write(module.join("02-many.quiz.toml"), quiz).expect("a long quiz");
    let deep = format!("title = {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    std::fs::write(module.join("03-deep.quiz.toml"), deep).expect("a deep quiz");
    std::fs::write(
        module.join("04-fine.md"),
        "# Fine\n\nA normal lesson next to the broken ones.\n",
    )
    .expect("a lesson");
}
