//! Every command on hostile packs: escape sequences everywhere, pathological Markdown,
//! files over the limits. Each run must end in bounded time with the right exit
//! status, print no control character and show no panic.

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

#[path = "../common/pathological.rs"]
mod pathological;

use crate::{Run, fixture, kurs};

/// How long one command may take (a debug build; the release budget is in the benches).
const LIMIT: Duration = Duration::from_secs(60);

/// Runs kurs with `args` and `--courses dir`, killing it after [`LIMIT`].
fn run_on(dir: &Path, args: &[&str]) -> Run {
    let mut child = kurs()
        .args(["--no-bundled", "--courses"])
        .arg(dir)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kurs starts");
    let out = crate::text_of(child.stdout.take().expect("stdout"));
    let err = crate::text_of(child.stderr.take().expect("stderr"));
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > LIMIT {
            let _ = child.kill();
            panic!(
                "kurs {args:?} on {} took longer than {LIMIT:?}",
                dir.display()
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let run = Run {
        code: status.code(),
        stdout: out.join().expect("stdout"),
        stderr: err.join().expect("stderr"),
    };
    run.assert_no_panic();
    for (name, text) in [("stdout", &run.stdout), ("stderr", &run.stderr)] {
        if let Some(c) = text.chars().find(|c| kurs::text::is_forbidden_control(*c)) {
            panic!("kurs {args:?}: a control character {c:?} on {name}:\n{text}");
        }
    }
    run
}

#[test]
fn escape_sequences_never_reach_the_output() {
    let dir = fixture("hostile/escapes");
    for args in [
        vec!["list"],
        vec!["show", "escapes"],
        vec!["show", "escapes/module/lesson", "--width", "60"],
        vec!["show", "escapes/module/lesson", "--width", "10"],
        vec!["show", "escapes/module/quiz"],
        vec!["validate"],
    ] {
        let run = run_on(&dir, &args);
        assert_eq!(run.code, Some(0), "{args:?}: {run:#?}");
    }
    let shown = run_on(&dir, &["show", "escapes/module/lesson"]);
    assert!(
        shown.stdout.contains("Paragraph with [2J]52;c;SGVsbG8="),
        "the text is kept, the controls removed:\n{}",
        shown.stdout
    );
    let broken = run_on(&fixture("hostile/escapes-broken"), &["validate"]);
    assert_eq!(broken.code, Some(1), "{broken:#?}");
    assert!(broken.stderr.contains("error:"), "{broken:#?}");
}

#[test]
fn pathological_markdown_renders_in_bounded_time() {
    let tmp = tempfile::tempdir().expect("temp dir");
    pathological::write_pack(tmp.path());
    let validate = run_on(tmp.path(), &["validate"]);
    assert_eq!(validate.code, Some(0), "{validate:#?}");
    for (name, _) in pathological::lessons() {
        let id = kurs::text::id_from_name(name, ".md");
        for width in ["80", "12"] {
            let start = Instant::now();
            let run = run_on(
                tmp.path(),
                &[
                    "show",
                    &format!("pathological/module/{id}"),
                    "--width",
                    width,
                ],
            );
            assert_eq!(run.code, Some(0), "{name} at {width}: {run:#?}");
            assert!(!run.stdout.is_empty(), "{name} shows something");
            let longest = run
                .stdout
                .lines()
                .map(kurs::text::display_width)
                .max()
                .unwrap_or(0);
            let width: usize = width.parse().expect("a width");
            assert!(
                longest <= width.max(12) + 1,
                "{name}: a line of {longest} columns at width {width}"
            );
            eprintln!("{name} at width {width}: {:?}", start.elapsed());
        }
    }
}

#[test]
fn files_over_the_limits_are_clear_errors_and_the_rest_still_works() {
    let tmp = tempfile::tempdir().expect("temp dir");
    pathological::write_oversized_pack(tmp.path());
    let run = run_on(tmp.path(), &["validate"]);
    assert_eq!(run.code, Some(1), "{run:#?}");
    for expected in [
        "kurs reads at most 8388608",
        "the quiz has 600 questions; kurs reads at most 500",
        "03-deep.quiz.toml",
    ] {
        assert!(
            run.stderr.contains(expected),
            "missing {expected:?}:\n{}",
            run.stderr
        );
    }
    let list = run_on(tmp.path(), &["list"]);
    assert_eq!(list.code, Some(0), "{list:#?}");
    let fine = run_on(tmp.path(), &["show", "oversized/module/fine"]);
    assert_eq!(fine.code, Some(0), "{fine:#?}");
    let huge = run_on(tmp.path(), &["show", "oversized/module/huge"]);
    assert_eq!(huge.code, Some(1), "{huge:#?}");
    assert!(huge.stderr.contains("kurs reads at most"), "{huge:#?}");
}

#[test]
fn hostile_file_and_folder_names_are_sanitised() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let course = tmp.path().join("c\u{1b}[2Jourse");
    let module = course.join("01-mod\u{1b}]52;c;AAAA\u{7}ule");
    std::fs::create_dir_all(&module).expect("folders");
    std::fs::write(
        course.join("course.toml"),
        "title = \"T\"\nid = \"named\"\n",
    )
    .expect("course.toml");
    std::fs::write(
        module.join("01-les\u{9b}31mson.md"),
        "# L\n\n![x](gone\u{1b}[2J.png)\n",
    )
    .expect("lesson");
    std::fs::write(
        module.join("02-q\u{7}uiz.quiz.toml"),
        "[[question]]\nid = \"a\"\n",
    )
    .expect("quiz");
    for args in [vec!["list"], vec!["show", "named"], vec!["validate"]] {
        let run = run_on(tmp.path(), &args);
        assert!(matches!(run.code, Some(0 | 1)), "{args:?}: {run:#?}");
    }
}
