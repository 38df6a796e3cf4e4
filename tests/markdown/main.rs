//! Markdown rendering: every construct at three widths, the styles it carries, and the
//! guarantee that no control character from content survives.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::missing_panics_doc,
    clippy::must_use_candidate,
    clippy::format_collect,
    clippy::map_unwrap_or,
    missing_docs
)]

#[path = "../common/pathological.rs"]
mod pathological;

use kurs::course::{ItemContent, Library, Root};
use kurs::markdown::{Progressive, RenderOptions, Style, parse, render};

const EVERY_CONSTRUCT: &str = include_str!("../fixtures/markdown/every-construct.md");

fn plain(width: usize, ascii: bool) -> String {
    let lines = render(EVERY_CONSTRUCT, RenderOptions { width, ascii });
    for line in &lines {
        assert!(
            line.width() <= width,
            "line wider than {width}: {:?}",
            line.plain()
        );
    }
    lines
        .iter()
        .map(|l| l.plain().trim_end().to_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_construct_at_40_columns() {
    insta::assert_snapshot!(plain(40, false));
}

#[test]
fn every_construct_at_80_columns() {
    insta::assert_snapshot!(plain(80, false));
}

#[test]
fn every_construct_at_120_columns() {
    insta::assert_snapshot!(plain(120, false));
}

#[test]
fn every_construct_in_ascii() {
    let text = plain(80, true);
    assert!(
        text.is_ascii() || text.contains("日本"),
        "decoration is ASCII"
    );
    insta::assert_snapshot!(text);
}

#[test]
fn styles_are_carried() {
    let lines = render(EVERY_CONSTRUCT, RenderOptions::new(80));
    let styled: Vec<String> = lines
        .iter()
        .take(12)
        .map(|l| {
            l.spans()
                .map(|s| format!("[{:?}]{}", s.style, s.text))
                .collect::<String>()
        })
        .collect();
    insta::assert_debug_snapshot!(styled);
    let find = |text: &str| {
        lines
            .iter()
            .flat_map(kurs::markdown::LineRef::spans)
            .find(|s| s.text.contains(text))
            .map(|s| s.style)
            .unwrap_or_else(|| panic!("{text} not rendered"))
    };
    assert!(find("emphasis").contains(Style::EMPHASIS));
    assert!(find("strong text").contains(Style::STRONG));
    assert!(find("inline code").contains(Style::CODE));
    assert!(find("the GDPR on EUR-Lex").contains(Style::LINK));
    assert!(find("https://eur-lex").contains(Style::URL));
    assert!(find("Every construct").contains(Style::HEADING1));
}

#[test]
fn links_show_the_address_once() {
    let text = plain(200, false);
    assert_eq!(
        text.matches("https://eur-lex.europa.eu/eli/reg/2016/679/oj")
            .count(),
        1
    );
    assert_eq!(text.matches("https://example.org").count(), 1);
}

#[test]
fn code_is_clipped_not_wrapped_and_the_cut_is_marked() {
    let lines = render(
        "```\n0123456789012345678901234567890123456789\n```",
        RenderOptions::new(20),
    );
    assert_eq!(lines.len(), 1);
    let line = lines.get(0).unwrap().plain();
    assert!(line.ends_with('→'), "{line}");
    assert_eq!(kurs::text::display_width(&line), 20);
}

#[test]
fn wide_characters_count_two_columns() {
    let lines = render("日本語日本語日本語日本語", RenderOptions::new(10));
    let widths: Vec<usize> = lines.iter().map(kurs::markdown::LineRef::width).collect();
    assert_eq!(widths, [10, 10, 4]);
}

#[test]
fn no_control_character_survives() {
    let hostile = "# Title\u{1b}[2J\n\nText \u{1b}]52;c;SGVsbG8=\u{7} and \u{1b}]8;;https://evil\u{1b}\\link\u{1b}]8;;\u{1b}\\ \u{8}\u{9b}31m red\r\n\n| a\u{1b}[1m | b |\n|---|---|\n| \u{7f} | \u{85} |\n\n```\n\u{1b}[31mcode\n```\n";
    for width in [1, 5, 40, 200] {
        for line in &render(hostile, RenderOptions::new(width)) {
            for span in line.spans() {
                assert!(
                    !span.text.chars().any(kurs::text::is_forbidden_control),
                    "{:?}",
                    span.text
                );
            }
        }
    }
}

#[test]
fn rendering_block_by_block_gives_the_lines_of_the_whole_document() {
    // `render` lays out each top-level block as soon as it is parsed; the reader lays
    // out the parsed document. Both must show the same lines.
    let same = |document: &str, width: usize, ascii: bool| {
        let options = RenderOptions { width, ascii };
        assert!(
            render(document, options) == parse(document).lines(options),
            "width {width}, ascii {ascii}, document starting {:?}",
            document.chars().take(60).collect::<String>()
        );
    };
    let mut documents: Vec<String> = vec![
        EVERY_CONSTRUCT.to_owned(),
        "Text[^a] and more[^b].\n\n[^a]: First.\n\n> quote\n\n[^b]: Second.\n".into(),
    ];
    let library = Library::load(&[Root::Embedded]);
    for course in &library.courses {
        for (pos, _, _) in course.items() {
            if let Ok(ItemContent::Lesson(lesson)) = course.load_item(pos) {
                documents.push(lesson.markdown.into_owned());
            }
        }
    }
    assert!(documents.len() > 50, "the bundled lessons are included");
    for document in &documents {
        for width in [1, 7, 40, 80, 120] {
            same(document, width, width == 40);
        }
    }
    // The large ones at one width: they are slow to render twice in a debug build.
    for (_, document) in pathological::lessons() {
        same(&document, 80, false);
    }
}

#[test]
fn progressive_layout_gives_the_same_lines_a_part_at_a_time() {
    let doc = parse(EVERY_CONSTRUCT);
    for width in [7, 40, 120] {
        let options = RenderOptions::new(width);
        let all = doc.lines(options).to_vec();
        for step in [1, 5, 60] {
            let mut laid = Progressive::new(options);
            let mut wanted = 0;
            while !laid.is_complete() {
                wanted += step;
                laid.extend(&doc, wanted);
                let so_far = laid.lines().to_vec();
                assert!(
                    so_far.len() >= wanted.min(all.len()),
                    "at least what was asked"
                );
                assert_eq!(so_far, &all[..so_far.len()], "a prefix of the lines");
            }
            assert_eq!(laid.lines().to_vec(), all, "width {width}, step {step}");
        }
        let mut laid = Progressive::new(options);
        laid.complete(&doc);
        assert_eq!(laid.lines().to_vec(), all);
    }
}

#[test]
fn list_markers_keep_their_numbers_and_widths() {
    let lines = |text: &str, width: usize| -> Vec<String> {
        render(text, RenderOptions::new(width))
            .iter()
            .map(|l| l.text().trim_end().to_owned())
            .collect()
    };
    assert_eq!(
        lines("8. a\n9. b\n10. c\n11. d", 40),
        [" 8. a", " 9. b", "10. c", "11. d"]
    );
    assert_eq!(
        lines("> 9. a\n> 10. bbb ccc ddd", 12),
        ["│  9. a", "│ 10. bbb", "│     ccc", "│     ddd"]
    );
    assert_eq!(
        lines("- [x] done\n- open\n- [ ] to do", 40),
        ["[x] done", "• open", "[ ] to do"]
    );
    // Too narrow to indent: the numbers are not shown, the text is.
    assert_eq!(lines("1. a\n2. b", 4), ["a", "b"]);
}
