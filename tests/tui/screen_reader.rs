//! Screen-reader mode through standard input and output, then the same progress in the
//! full-screen runner.

use std::io::Write;
use std::process::{Command, Stdio};

use kurs::progress::store::DataDir;
use kurs::tui::keys::Action::{Down, Enter};

use crate::{app_with, draw, press};

/// Runs `kurs --screen-reader` with `args` (and none of the caller's kurs settings),
/// types `input`, and waits for it to end.
fn screen_reader(args: &[&std::ffi::OsStr], input: &[u8]) -> std::process::Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kurs"));
    crate::env::clean(&mut cmd)
        .args(args)
        .arg("--screen-reader")
        .env("LANG", "en_GB.UTF-8")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

/// `--no-bundled --courses tests/fixtures/tui --data-dir DATA --profile Ada`.
fn on_the_test_library(data: &std::path::Path) -> Vec<&std::ffi::OsStr> {
    let mut args: Vec<&std::ffi::OsStr> = [
        "--no-bundled",
        "--courses",
        "tests/fixtures/tui",
        "--data-dir",
    ]
    .iter()
    .map(std::ffi::OsStr::new)
    .collect();
    args.push(data.as_os_str());
    args.extend(["--profile", "Ada"].iter().map(std::ffi::OsStr::new));
    args
}

/// Runs `kurs --screen-reader` on the test library with `input` typed in; returns
/// standard output and the exit status.
fn converse(data: &std::path::Path, input: &str, extra: &[&str]) -> (String, Option<i32>) {
    let mut args = on_the_test_library(data);
    args.extend(extra.iter().map(std::ffi::OsStr::new));
    let out = screen_reader(&args, input.as_bytes());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.is_empty(), "nothing on standard error: {stderr}");
    (String::from_utf8(out.stdout).unwrap(), out.status.code())
}

/// Everything a screen reader should not meet: escape sequences and other controls,
/// box-drawing characters.
fn assert_plain(text: &str) {
    for (i, c) in text.chars().enumerate() {
        assert!(!kurs::text::is_forbidden_control(c), "control {c:?} at {i}");
        assert!(
            !('\u{2500}'..='\u{259F}').contains(&c),
            "box drawing {c:?} at {i}: {text}"
        );
    }
}

#[test]
fn a_whole_course_by_typing_then_the_same_progress_on_screen() {
    let tmp = tempfile::tempdir().unwrap();
    let script = [
        "1", // the course
        "9", // not a choice: asked again
        "1", // the lesson
        "",  // the next page
        "",  // end of the lesson: on to the quiz
        "h",
        "1",
        "", // single choice: a hint, an answer, go on
        "1 3",
        "", // multiple choice
        "2",
        "", // true or false: false
        "Multi-Factor Authentication",
        "", // short answer
        "72,0",
        "", // number
        "abc",
        "1 2 3",
        "", // order: a wrong format first
        "1",
        "2",
        "3",
        "",  // match: a partner per term
        "q", // results: back to the course
        "q", // back to the courses
        "q", // quit
    ]
    .join("\n")
        + "\n";
    let (out, code) = converse(tmp.path(), &script, &[]);
    assert_eq!(code, Some(0), "{out}");
    assert_plain(&out);
    for expected in [
        "kurs, screen-reader mode",
        "1. Everything at once",
        "Please type a number from 1 to 4, or q.",
        "Lesson: Welcome. 2 pages.",
        "Question 1 of 7 (single choice, 1 point):",
        "Hint 1 of 2:",
        "Question 2 of 7 (multiple choice, 1 point):",
        "Type 1 for true or 2 for false.",
        "Question 6 of 7 (put in order, 1 point):",
        "Please type every number from the list once",
        "Partner for Phishing: type its number.",
        "Results: Every question type",
        "Pass mark: 80 %",
        "Your progress is saved. Goodbye.",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in:\n{out}");
    }
    assert!(
        out.contains("Right. 1 of 1 point.") || out.contains("Not quite. 0 of 1 point."),
        "{out}"
    );
    assert!(
        out.contains("Right. 1 of 1 point."),
        "the short and numeric answers were right:\n{out}"
    );

    // The full-screen runner shows the same progress.
    let data = DataDir {
        root: tmp.path().to_path_buf(),
    };
    let mut app = app_with(data.open("Ada").unwrap(), Some(data));
    let screen = draw(&mut app, 100, 30);
    assert!(screen.contains("Continue where you left off"), "{screen}");
    press(&mut app, &[Down, Enter]);
    let screen = draw(&mut app, 100, 30);
    assert!(screen.contains("Welcome  lesson · done"), "{screen}");
    assert!(screen.contains("Every question type  quiz ·"), "{screen}");
    let record = app
        .session
        .store
        .profile()
        .item("everything", "basics/check")
        .unwrap();
    assert_eq!(record.attempts.len(), 1);
    assert_eq!(record.attempts[0].answers.len(), 7);
    assert_eq!(record.attempts[0].answers[0].hints, 1);
}

#[test]
fn german_and_the_end_of_input_are_handled() {
    let tmp = tempfile::tempdir().unwrap();
    let (out, code) = converse(tmp.path(), "1\n", &["--lang", "de"]);
    assert_eq!(code, Some(0));
    assert_plain(&out);
    assert!(out.contains("Modus für Bildschirmleser"), "{out}");
    assert!(
        out.contains("Ihr Fortschritt ist gespeichert."),
        "input ended: kurs says goodbye\n{out}"
    );
}

#[test]
fn screen_reader_mode_says_when_progress_cannot_be_saved_and_exits_1() {
    let tmp = tempfile::tempdir().unwrap();
    let blocked = tmp.path().join("not-a-folder");
    std::fs::write(&blocked, "a file").unwrap();
    // Open the first course and its first lesson, then the input ends.
    let data = blocked.join("data");
    let out = screen_reader(&on_the_test_library(&data), b"1\n1\n");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stdout.matches("Your progress is not being saved").count(),
        1,
        "said once, not at every step: {stdout}"
    );
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(
        stderr.contains("kurs could not save your progress")
            && stderr.contains("changes were not saved"),
        "{stderr}"
    );
    assert_plain(&stdout);
}

#[test]
fn screen_reader_mode_lists_the_courses_in_the_interface_language_first() {
    let data = tempfile::tempdir().unwrap();
    let mut args: Vec<&std::ffi::OsStr> = vec!["--data-dir".as_ref(), data.path().as_os_str()];
    args.extend(
        ["--profile", "Ada", "--lang", "de"]
            .iter()
            .map(std::ffi::OsStr::new),
    );
    let out = screen_reader(&args, b"q\n");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("\n1. Einstieg in kurs ("), "{stdout}");
    let heading = stdout.find("Andere Sprachen:").expect("the heading");
    let english = stdout
        .find("Getting started with kurs")
        .expect("English too");
    let german = stdout
        .find("KI am Arbeitsplatz")
        .expect("all German courses");
    assert!(german < heading && heading < english, "{stdout}");
}

/// Screen-reader mode on `tests/fixtures/sequential` (module two opens when module one
/// is done), with each line of `steps` typed after its pause.
fn converse_slowly(data: &std::path::Path, steps: &[(u64, &str)]) -> String {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kurs"));
    crate::env::clean(&mut cmd)
        .args([
            "--no-bundled",
            "--courses",
            "tests/fixtures/sequential",
            "--data-dir",
        ])
        .arg(data)
        .args(["--profile", "Ada", "--screen-reader"])
        .env("LANG", "en_GB.UTF-8")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let mut input = child.stdin.take().unwrap();
    for (pause, line) in steps {
        std::thread::sleep(std::time::Duration::from_millis(*pause));
        input.write_all(format!("{line}\n").as_bytes()).unwrap();
    }
    drop(input);
    let out = child.wait_with_output().unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn screen_reader_mode_refuses_a_locked_module_when_moving_on() {
    let data = tempfile::tempdir().unwrap();
    // The course, module one's last lesson (one page), Enter to go on: the next item is
    // in module two, still locked because module one's other lessons are not done.
    let said = converse_slowly(
        data.path(),
        &[(0, "1"), (0, "3"), (0, ""), (0, "q"), (0, "q")],
    );
    assert!(said.contains("Lesson: Last."), "{said}");
    assert!(
        said.contains("This part is locked: finish the module before it first."),
        "{said}"
    );
    assert!(
        !said.contains("Lesson: Locked."),
        "the locked lesson is not opened: {said}"
    );
}

#[test]
fn screen_reader_mode_records_reading_time_and_position_and_resumes_there() {
    let data = tempfile::tempdir().unwrap();
    // The long lesson: read page 1 for a while, go on to page 2, leave.
    let said = converse_slowly(
        data.path(),
        &[
            (0, "1"),
            (0, "2"),
            (1_300, ""),
            (0, "q"),
            (0, "q"),
            (0, "q"),
        ],
    );
    assert!(said.contains("End of page 2 of 3"), "{said}");
    let store = DataDir {
        root: data.path().to_path_buf(),
    }
    .open("Ada")
    .unwrap();
    let record = store
        .profile()
        .item("sequential", "one/long")
        .expect("the lesson's record")
        .clone();
    assert!(record.seconds >= 1, "time spent is recorded: {record:?}");
    assert!(
        (record.position - 0.5).abs() < 1e-6,
        "page 2 of 3 is half way: {record:?}"
    );
    drop(store);
    // Opened again, the lesson starts at page 2.
    let again = converse_slowly(
        data.path(),
        &[(0, "1"), (0, "2"), (0, "q"), (0, "q"), (0, "q")],
    );
    let lesson = again.split("Lesson: Long.").nth(1).unwrap_or_default();
    assert!(lesson.contains("End of page 2 of 3"), "{again}");
    assert!(!lesson.contains("End of page 1 of 3"), "{again}");
}
