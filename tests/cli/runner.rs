//! `kurs` without a command opens the course runner, which needs a terminal.

use std::process::Stdio;

use crate::{kurs, run};

#[test]
fn without_a_terminal_kurs_says_so_in_one_sentence() {
    let data = tempfile::tempdir().unwrap();
    let out = run(kurs()
        .arg("--data-dir")
        .arg(data.path())
        .stdin(Stdio::null()));
    out.assert_no_panic();
    assert_eq!(out.code, Some(1), "{out:#?}");
    assert_eq!(out.stderr.lines().count(), 1, "{out:#?}");
    assert!(out.stderr.contains("needs a terminal"), "{out:#?}");
    assert!(
        out.stderr.contains("kurs list") && out.stderr.contains("kurs show"),
        "{out:#?}"
    );
    assert!(out.stdout.is_empty(), "nothing is drawn: {out:#?}");
}

#[test]
fn learner_facing_commands_speak_german() {
    let help = run(kurs().args(["--lang", "de", "--help"]));
    assert_eq!(help.code, Some(0), "{help:#?}");
    assert!(
        help.stdout.contains("Aufruf:") && help.stdout.contains("Die Kurse auflisten."),
        "{help:#?}"
    );
    let list = run(kurs().args(["--lang", "de", "list"]));
    assert!(list.stdout.contains("3 Module · 9 Punkte"), "{list:#?}");
    let missing = run(kurs().env("KURS_LANG", "de").args(["show", "nope"]));
    assert_eq!(missing.code, Some(1), "{missing:#?}");
    assert!(
        missing
            .stderr
            .starts_with("Fehler: es gibt keinen Kurs `nope`"),
        "{missing:#?}"
    );
    let quiz = run(kurs().args([
        "--lang",
        "de",
        "show",
        "kurs-einstieg/orientieren/uebung",
        "--width",
        "80",
    ]));
    assert!(quiz.stdout.contains("Frage 1 von 7"), "{quiz:#?}");
    let english = run(kurs().env("LANG", "en_GB.UTF-8").args(["list"]));
    assert!(
        english.stdout.contains("3 modules · 9 items"),
        "{english:#?}"
    );
}

/// An unplugged USB stick or a share that is gone must not keep a learner out: the other
/// folders' courses are listed, and the missing folder is named.
#[test]
fn a_missing_course_folder_next_to_a_good_one_is_named_not_fatal() {
    let empty = tempfile::tempdir().unwrap();
    let list = run(kurs()
        .args([
            "--no-bundled",
            "--courses",
            "tests/fixtures/usb-stick-that-is-gone",
            "--courses",
            "tests/fixtures/valid",
            "--courses",
        ])
        .arg(empty.path())
        .arg("list"));
    list.assert_no_panic();
    assert_eq!(list.code, Some(0), "{list:#?}");
    assert!(list.stdout.contains("A complete course pack"), "{list:#?}");
    assert!(
        list.stderr.contains(
            "warning: cannot read the course folder tests/fixtures/usb-stick-that-is-gone: "
        ),
        "{list:#?}"
    );
    assert!(
        list.stderr.contains("it holds no course"),
        "an empty folder is said too: {list:#?}"
    );
    // validate still fails on it.
    let validate = run(kurs().args([
        "--no-bundled",
        "validate",
        "tests/fixtures/usb-stick-that-is-gone",
        "tests/fixtures/valid",
    ]));
    assert_eq!(validate.code, Some(1), "{validate:#?}");
    assert!(
        validate
            .stderr
            .contains("error: cannot read the course folder tests/fixtures/usb-stick-that-is-gone"),
        "{validate:#?}"
    );
}
