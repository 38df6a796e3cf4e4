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
