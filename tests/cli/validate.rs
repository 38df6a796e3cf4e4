//! `kurs validate`: every broken fixture fails with its one error, in the right place.
//!
//! Each folder under `tests/fixtures/invalid/` is a complete course pack with exactly one
//! problem. [`CASES`] says, for each, which file the error names, where in it, and what it
//! says. A fixture folder without a row in the table fails the suite, so every new case
//! comes with its expectations.

use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::path::Path;

use crate::{Run, fixture, kurs_run};

/// What `kurs validate` must report for one broken fixture.
struct Case {
    /// The folder name under `tests/fixtures/invalid/`.
    name: &'static str,
    /// The file the error names, relative to the fixture folder ("" for the folder).
    file: &'static str,
    /// Line and column, when the problem has a place in the file.
    at: Option<(usize, usize)>,
    /// A fragment of the error message.
    message: &'static str,
}

const fn case(
    name: &'static str,
    file: &'static str,
    at: Option<(usize, usize)>,
    message: &'static str,
) -> Case {
    Case {
        name,
        file,
        at,
        message,
    }
}

const COURSE: &str = "course.toml";
const LESSON: &str = "01-intro/01-welcome.md";
const MODULE: &str = "01-intro/module.toml";
const QUIZ: &str = "01-intro/02-check.quiz.toml";

/// The fixture that is completed at test time: a symbolic link pointing out of the course
/// cannot be committed portably.
const SYMLINK_CASE: &str = "symlink-outside";

#[rustfmt::skip]
const CASES: &[Case] = &[
    // TOML that does not parse.
    case("toml-syntax-course", COURSE, Some((1, 24)), "invalid basic string"),
    case("toml-syntax-module", MODULE, Some((2, 14)), "string values must be quoted"),
    case("toml-syntax-quiz", QUIZ, Some((3, 12)), "unclosed array table"),
    case("toml-syntax-front-matter", LESSON, Some((2, 17)), "invalid basic string"),
    // Unknown keys, at every level.
    case("unknown-key-course", COURSE, Some((2, 1)), "unknown key `languge`"),
    case("unknown-key-module", MODULE, Some((2, 1)), "unknown key `require`"),
    case("unknown-key-quiz", QUIZ, Some((2, 1)), "unknown key `passmark`"),
    case("unknown-key-question", QUIZ, Some((8, 1)), "unknown key `hint`"),
    case("unknown-key-option", QUIZ, Some((9, 44)), "unknown key `corect`"),
    case("unknown-key-pair", QUIZ, Some((9, 23)), "unknown key `rigth`"),
    case("unknown-key-front-matter", LESSON, Some((3, 1)), "unknown key `minuts`"),
    // A value of the wrong type.
    case("wrong-type-title", COURSE, Some((1, 9)), "invalid type: integer `3`, expected text in quotes"),
    case("wrong-type-minutes", COURSE, Some((2, 11)), "invalid type: string \"ten\""),
    case("wrong-type-sequential", COURSE, Some((2, 14)), "invalid type: string \"yes\", expected true or false"),
    case("wrong-type-points", QUIZ, Some((8, 10)), "invalid type: string \"two\""),
    case("wrong-type-front-matter-minutes", LESSON, Some((2, 11)), "invalid type: string \"five\""),
    // Required keys left out.
    case("missing-course-title", COURSE, Some((1, 1)), "missing key `title`"),
    case("missing-question-id", QUIZ, Some((3, 1)), "question has no `id`"),
    case("missing-question-type", QUIZ, Some((3, 1)), "question has no `type`"),
    case("missing-question-prompt", QUIZ, Some((3, 1)), "question has no `prompt`"),
    // Questions that do not make sense.
    case("unknown-question-type", QUIZ, Some((5, 8)), "unknown question type `truefalse`"),
    case("unused-key-for-type", QUIZ, Some((8, 10)), "`accept` is not used by `numeric` questions"),
    case("single-no-correct", QUIZ, Some((7, 11)), "exactly one correct option, this one has 0"),
    case("single-two-correct", QUIZ, Some((7, 11)), "exactly one correct option, this one has 2"),
    case("multiple-no-correct", QUIZ, Some((7, 11)), "a multiple question needs at least one correct option"),
    case("too-few-options", QUIZ, Some((7, 11)), "a single question needs 2 to 50 options, not 1"),
    case("short-without-answers", QUIZ, Some((3, 1)), "short question has neither `accept` nor `pattern`"),
    case("invalid-regex", QUIZ, Some((7, 11)), "the pattern is not a valid regular expression"),
    case("true-false-not-bool", QUIZ, Some((7, 10)), "a true_false answer must be `true` or `false`"),
    case("numeric-not-number", QUIZ, Some((7, 10)), "a numeric answer must be a number"),
    case("numeric-answer-quoted", QUIZ, Some((7, 10)), "invalid type: string \"72\""),
    case("negative-tolerance", QUIZ, Some((8, 13)), "tolerance must be a number of 0 or more"),
    case("order-duplicate-items", QUIZ, Some((7, 39)), "the item \"Do not click\" appears twice"),
    case("match-duplicate-left", QUIZ, Some((9, 3)), "the left item \"Phishing\" appears twice"),
    case("match-duplicate-right", QUIZ, Some((9, 3)), "the right item \"Fraudulent message\" appears twice"),
    case("duplicate-question-ids", QUIZ, Some((10, 6)), "question id `padlock` is used twice"),
    // Quiz settings out of range, and empty quizzes.
    case("pass-mark-quiz", QUIZ, Some((2, 13)), "pass_mark 1.5 is outside 0..=1"),
    case("max-attempts-zero", QUIZ, Some((2, 16)), "max_attempts must be at least 1"),
    case("quiz-without-questions", QUIZ, Some((1, 1)), "the quiz has no questions"),
    // Course and module structure.
    case("no-course-toml", COURSE, None, "the course folder has no course.toml"),
    case("no-modules", "", None, "the course has no modules"),
    case("empty-module", "02-empty", None, "the module has no lessons or quizzes"),
    case("duplicate-module-ids", "02-intro", None, "the module id `intro` is used twice"),
    case("duplicate-item-ids", "01-intro/02-x.quiz.toml", None, "the item id `x` is used twice in this module"),
    case("requires-missing-module", MODULE, Some((2, 13)), "`requires` names `basics`, which is not a module"),
    case("requires-cycle", "02-next/module.toml", Some((1, 13)), "require each other in a circle: intro → next → intro"),
    case("requires-itself", MODULE, Some((2, 13)), "the module `intro` requires itself"),
    // course.toml values.
    case("pass-mark-course", COURSE, Some((2, 13)), "pass_mark 80 is outside 0..=1"),
    case("invalid-course-id", COURSE, Some((1, 6)), "the course id `Security Basics` may only use"),
    case("unknown-format", COURSE, Some((1, 10)), "course-pack format 2 is not known"),
    case("invalid-language", COURSE, Some((2, 12)), "`English` is not a language tag"),
    // Lessons: encoding, front matter, links and images.
    case("lesson-not-utf8", LESSON, Some((3, 4)), "the file is not UTF-8 text"),
    case("unclosed-front-matter", LESSON, Some((1, 1)), "the front matter is not closed"),
    case("missing-image", LESSON, Some((5, 1)), "the image target `diagram.png` does not exist"),
    case("link-escapes-course", LESSON, Some((3, 5)), "the link target `../../README.md` is outside the course folder"),
    case("absolute-link", LESSON, Some((3, 5)), "the link target `/etc/hosts` is outside the course folder"),
    case(SYMLINK_CASE, LESSON, Some((3, 5)), "the link target `notes.txt` is outside the course folder"),
];

/// Runs `kurs --no-bundled validate DIR`.
fn validate(dir: &Path) -> Run {
    kurs_run([
        OsStr::new("--no-bundled"),
        OsStr::new("validate"),
        dir.as_os_str(),
    ])
}

/// The folders under `tests/fixtures/<group>/`.
fn fixture_folders(group: &str) -> BTreeSet<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(fixture(group));
    std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|entry| entry.unwrap())
        .filter(|entry| entry.file_type().unwrap().is_dir())
        .map(|entry| entry.file_name().into_string().unwrap())
        .collect()
}

#[test]
fn every_invalid_fixture_is_in_the_table() {
    let folders = fixture_folders("invalid");
    let names: BTreeSet<String> = CASES.iter().map(|c| c.name.to_owned()).collect();
    assert_eq!(names.len(), CASES.len(), "a case is listed twice");
    let untested: Vec<_> = folders.difference(&names).collect();
    let missing: Vec<_> = names.difference(&folders).collect();
    assert!(
        untested.is_empty(),
        "fixtures without expectations (add them to CASES): {untested:?}"
    );
    assert!(
        missing.is_empty(),
        "cases without a fixture folder: {missing:?}"
    );
}

/// Completes the symlink fixture in a temporary copy: `01-intro/notes.txt` becomes a link
/// to a file next to the course folder, outside it. Returns the copy's course folder.
#[cfg(unix)]
fn symlink_fixture(tmp: &Path) -> std::path::PathBuf {
    let course = tmp.join(SYMLINK_CASE);
    crate::copy_dir(&fixture(&format!("invalid/{SYMLINK_CASE}")), &course);
    std::fs::write(tmp.join("outside.txt"), "not part of the course\n").unwrap();
    std::os::unix::fs::symlink("../../outside.txt", course.join("01-intro/notes.txt")).unwrap();
    course
}

/// Checks one case's run; returns what is wrong with it, if anything.
fn check_case(case: &Case, dir: &Path) -> Option<String> {
    let run = validate(dir);
    run.assert_no_panic();
    let mut wrong = Vec::new();
    let stderr = &run.stderr;
    if run.code != Some(1) {
        wrong.push(format!("exit code {:?}, not 1", run.code));
    }
    let errors = stderr.lines().filter(|l| l.starts_with("error: ")).count();
    if errors != 1 || stderr.contains("warning:") {
        wrong.push(format!(
            "{errors} errors (and any warnings), not exactly one error"
        ));
    }
    if !run.stdout.contains(": 1 error, 0 warnings.") {
        wrong.push(format!(
            "the summary does not say 1 error: {:?}",
            run.stdout
        ));
    }
    if !stderr.contains(case.message) {
        wrong.push(format!("the message does not contain {:?}", case.message));
    }
    let dir = dir.display().to_string().replace('\\', "/");
    let path = if case.file.is_empty() {
        dir
    } else {
        format!("{dir}/{}", case.file)
    };
    if let Some((line, column)) = case.at {
        let place = format!("--> {path}:{line}:{column}\n");
        if !stderr.contains(&place) {
            wrong.push(format!("no `{}`", place.trim_end()));
        }
        // The source line is quoted after its number, with a caret line under it.
        if !stderr.contains(&format!("\n{line} | ")) || !stderr.contains('^') {
            wrong.push(format!("line {line} is not quoted with a caret"));
        }
    } else {
        let place = format!("--> {path}\n");
        if !stderr.contains(&place) {
            wrong.push(format!("no `{}` (a file-level problem)", place.trim_end()));
        }
    }
    (!wrong.is_empty()).then(|| {
        format!(
            "{}:\n  - {}\n  stderr:\n{}",
            case.name,
            wrong.join("\n  - "),
            stderr
        )
    })
}

#[test]
fn every_invalid_fixture_fails_with_its_error() {
    let mut failures = Vec::new();
    for case in CASES {
        if case.name == SYMLINK_CASE {
            #[cfg(unix)]
            {
                let tmp = tempfile::tempdir().unwrap();
                let dir = symlink_fixture(tmp.path());
                failures.extend(check_case(case, &dir));
            }
            continue;
        }
        let dir = fixture(&format!("invalid/{}", case.name));
        failures.extend(check_case(case, &dir));
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n")
    );
}

#[test]
fn the_message_format_is_stable() {
    // One TOML schema error mid-line, one semantic quiz error (two-digit line numbers),
    // one Markdown link problem, and one problem with no place in a file.
    for name in [
        "unknown-key-option",
        "duplicate-question-ids",
        "missing-image",
        "empty-module",
    ] {
        let run = validate(&fixture(&format!("invalid/{name}")));
        assert_eq!(run.code, Some(1), "{run:#?}");
        insta::assert_snapshot!(format!("stderr-{name}"), run.stderr);
    }
}

#[test]
fn a_valid_pack_passes() {
    let run = validate(&fixture("valid/complete"));
    run.assert_no_panic();
    assert_eq!(run.code, Some(0), "{run:#?}");
    assert_eq!(run.stderr, "", "no problems expected");
    assert_eq!(
        run.stdout,
        "Checked 1 course with 4 lessons and quizzes: 0 errors, 0 warnings.\n"
    );
}

#[test]
fn a_pack_with_only_warnings_passes() {
    let run = validate(&fixture("warnings/duplicate-option"));
    run.assert_no_panic();
    assert_eq!(
        run.code,
        Some(0),
        "warnings do not fail validation: {run:#?}"
    );
    assert!(
        run.stderr
            .starts_with("warning: the option \"summer2024!\" appears twice\n"),
        "{run:#?}"
    );
    assert!(!run.stderr.contains("error:"), "{run:#?}");
    assert!(
        run.stderr.contains(
            "--> tests/fixtures/warnings/duplicate-option/01-intro/02-check.quiz.toml:10:3\n"
        ),
        "{run:#?}"
    );
    assert!(run.stdout.contains(": 0 errors, 1 warning."), "{run:#?}");
}

/// The content checks that warn: each fixture gives exactly one warning, with its place.
#[test]
fn content_checks_warn_with_their_place() {
    for (name, file, message) in [
        (
            "file-link",
            "01-intro/01-welcome.md:5:5",
            "warning: the link `file:///C:/Users/trainer/notes.docx` points to a file on the author's computer",
        ),
        (
            "empty-lesson",
            "01-intro/02-later.md",
            "warning: the lesson is empty",
        ),
        (
            "folder-named-like-lesson",
            "01-intro/02-more.md",
            "warning: this is a folder named like a lesson or quiz, and is ignored",
        ),
    ] {
        let run = validate(&fixture(&format!("warnings/{name}")));
        run.assert_no_panic();
        assert_eq!(run.code, Some(0), "{name}: {run:#?}");
        assert!(
            run.stdout.contains(": 0 errors, 1 warning."),
            "{name}: {run:#?}"
        );
        assert!(run.stderr.starts_with(message), "{name}: {run:#?}");
        assert!(
            run.stderr
                .contains(&format!("tests/fixtures/warnings/{name}/{file}")),
            "{name}: {run:#?}"
        );
    }
}

/// A module folder or lesson that is a symbolic link to something outside the course is
/// an error
/// (it would carry files the course does not own, and breaks when copied).
#[cfg(unix)]
#[test]
fn a_module_folder_linked_from_outside_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let course = tmp.path().join("pack");
    crate::copy_dir(&fixture("warnings/file-link"), &course);
    std::fs::remove_file(course.join("01-intro/01-welcome.md")).unwrap();
    std::fs::write(
        course.join("01-intro/01-welcome.md"),
        "# Welcome\n\nHello.\n",
    )
    .unwrap();
    let outside = tmp.path().join("elsewhere");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(
        outside.join("01-lesson.md"),
        "# Linked\n\nNot the course's own.\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(&outside, course.join("02-linked")).unwrap();
    std::os::unix::fs::symlink(
        outside.join("01-lesson.md"),
        course.join("01-intro/02-linked.md"),
    )
    .unwrap();
    let run = validate(&course);
    assert!(
        run.stderr
            .contains("error: this lesson or quiz is a link to a file outside the course folder"),
        "{run:#?}"
    );
    assert_eq!(run.code, Some(1), "{run:#?}");
    assert!(
        run.stderr
            .contains("error: this module folder is a link to a folder outside the course folder"),
        "{run:#?}"
    );
    assert!(run.stderr.contains("02-linked"), "{run:#?}");
}

#[test]
fn the_bundled_library_is_valid() {
    let run = kurs_run(["validate"]);
    run.assert_no_panic();
    assert_eq!(run.code, Some(0), "{run:#?}");
    assert_eq!(run.stderr, "", "the bundled courses have problems");
    assert!(run.stdout.contains("0 errors, 0 warnings"), "{run:#?}");
}

#[test]
fn a_missing_folder_is_a_clear_error() {
    let missing = fixture("does-not-exist");
    let run = validate(&missing);
    run.assert_no_panic();
    assert_eq!(run.code, Some(1), "{run:#?}");
    assert!(
        run.stderr.starts_with(&format!(
            "error: cannot read the course folder {}: ",
            missing.display().to_string().replace('\\', "/")
        )),
        "{run:#?}"
    );
    assert_eq!(run.stderr.lines().count(), 1, "one clear line: {run:#?}");
}

#[test]
fn a_folder_without_courses_is_an_error() {
    let empty = tempfile::tempdir().unwrap();
    let run = validate(empty.path());
    run.assert_no_panic();
    assert_eq!(run.code, Some(1), "{run:#?}");
    assert!(run.stderr.contains("no course packs found in"), "{run:#?}");
}

#[test]
fn every_problem_of_a_course_is_reported_in_one_run() {
    // A broken module.toml does not hide the errors in the course's quizzes.
    let run = validate(Path::new("tests/fixtures/multi/broken-module"));
    run.assert_no_panic();
    assert_eq!(run.code, Some(1), "{run:#?}");
    assert!(run.stderr.contains("unknown key `titel`"), "{run:#?}");
    assert!(
        run.stderr
            .contains("a single question needs exactly one correct option"),
        "{run:#?}"
    );
    assert!(run.stdout.contains("2 errors"), "{run:#?}");
}
