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
