//! Two kurs on one profile at the same time lose nothing.
//!
//! The test binary re-runs itself twice as a writer ([`child`]): both open the same
//! profile, wait for a common start signal, then answer 50 questions each in an attempt
//! of their own, saving after every answer and compacting after every tenth. Afterwards
//! all 100 answers are on disk, and the real `kurs progress` and `kurs report` show them.

use std::ffi::OsStr;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use kurs::progress::store::DataDir;
use kurs::progress::{Answer, Change, Timestamp};
use kurs::quiz::Response;
use serde_json::Value;

use crate::{kurs_run, lines_of, spawn_self, text_of};

/// The data folder (set only when the parent runs a writer).
const DIR_VAR: &str = "KURS_TEST_CONCURRENT_DIR";
/// The writer's attempt id.
const ATTEMPT_VAR: &str = "KURS_TEST_CONCURRENT_ATTEMPT";
/// The file whose appearance starts both writers.
const GO_VAR: &str = "KURS_TEST_CONCURRENT_GO";

const PROFILE: &str = "Zoë Parallel";
/// A course id the library does not have: its records are kept and listed all the same.
const COURSE: &str = "not-installed";
const QUIZ: &str = "basics/check";
const ANSWERS: usize = 50;
const READY: &str = "kurs-concurrent:ready";
const DONE: &str = "kurs-concurrent:done";

fn question(n: usize) -> String {
    format!("q{n:02}")
}

/// A writer. Ignored in normal runs; does nothing without [`DIR_VAR`].
#[test]
#[ignore = "run as a child process by two_writers_on_one_profile_lose_no_answer"]
fn child() {
    let Some(root) = std::env::var_os(DIR_VAR) else {
        return;
    };
    let attempt = std::env::var(ATTEMPT_VAR).unwrap();
    let go = PathBuf::from(std::env::var_os(GO_VAR).unwrap());
    let data = DataDir { root: root.into() };
    let mut store = data.open(PROFILE).unwrap();
    store.record(Change::AttemptStarted {
        course: COURSE.into(),
        item: QUIZ.into(),
        attempt: attempt.clone(),
        seed: 7,
    });
    store.save().unwrap();
    let mut out = std::io::stdout();
    writeln!(out, "\n{READY}").unwrap();
    out.flush().unwrap();
    let waiting = Instant::now();
    while !go.exists() {
        assert!(
            waiting.elapsed() < Duration::from_secs(30),
            "no start signal"
        );
        std::thread::sleep(Duration::from_millis(1));
    }
    for n in 0..ANSWERS {
        store.record(Change::Answered {
            course: COURSE.into(),
            item: QUIZ.into(),
            attempt: attempt.clone(),
            answer: Answer {
                question: question(n),
                response: Response::Choice(n % 3),
                points: 1.0,
                max: 1.0,
                hints: 0,
                at: Some(Timestamp::now()),
            },
        });
        store.save().unwrap();
        // Fold the journal into a new snapshot now and then, while the other appends.
        if n % 10 == 9 {
            store.compact().unwrap();
        }
        // Leave the other writer room to save in between.
        std::thread::sleep(Duration::from_micros(300));
    }
    // The writer's own view has its answers too (the other's may still be coming).
    let own = store
        .profile()
        .item(COURSE, QUIZ)
        .and_then(|i| i.attempts.iter().find(|a| a.id == attempt))
        .map_or(0, |a| a.answers.len());
    assert_eq!(own, ANSWERS);
    writeln!(out, "\n{DONE}").unwrap();
    out.flush().unwrap();
}

/// Waits until a writer prints `marker`; fails with its output after `timeout`.
fn wait_for(lines: &std::sync::mpsc::Receiver<String>, marker: &str, who: &str) {
    let start = Instant::now();
    let timeout = Duration::from_secs(60);
    loop {
        match lines.recv_timeout(timeout.saturating_sub(start.elapsed())) {
            Ok(line) if line == marker => return,
            Ok(_) => {}
            Err(e) => panic!("writer {who} never printed {marker}: {e}"),
        }
    }
}

/// The answers of each attempt of the quiz, as a fresh reader sees them.
fn answers_on_disk(root: &Path) -> Vec<(String, Vec<String>)> {
    let data = DataDir {
        root: root.to_path_buf(),
    };
    let profiles = data.read_all().unwrap();
    assert_eq!(profiles.len(), 1, "one profile: {profiles:#?}");
    let profile = &profiles[0];
    assert_eq!(profile.name, PROFILE);
    let mut attempts: Vec<(String, Vec<String>)> = profile
        .item(COURSE, QUIZ)
        .unwrap()
        .attempts
        .iter()
        .map(|a| {
            (
                a.id.clone(),
                a.answers.iter().map(|x| x.question.clone()).collect(),
            )
        })
        .collect();
    attempts.sort();
    attempts
}

#[test]
fn two_writers_on_one_profile_lose_no_answer() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("data");
    let go = tmp.path().join("go");
    let attempts = ["attempt-a", "attempt-b"];
    let writers: Vec<_> = attempts
        .iter()
        .map(|attempt| {
            let mut child = spawn_self(
                "concurrency::child",
                &[
                    (DIR_VAR, root.as_os_str()),
                    (ATTEMPT_VAR, OsStr::new(attempt)),
                    (GO_VAR, go.as_os_str()),
                ],
            );
            let lines = lines_of(child.0.stdout.take().unwrap());
            let stderr = text_of(child.0.stderr.take().unwrap());
            (child, lines, stderr)
        })
        .collect();
    for ((_, lines, _), who) in writers.iter().zip(attempts) {
        wait_for(lines, READY, who);
    }
    std::fs::write(&go, "go").unwrap();
    for ((mut child, lines, stderr), who) in writers.into_iter().zip(attempts) {
        let status = child.0.wait().unwrap();
        let stderr = stderr.join().unwrap();
        let done = lines.iter().any(|l| l == DONE);
        assert!(
            status.success() && done,
            "writer {who} failed ({status}):\n{stderr}"
        );
    }

    let expected: Vec<String> = (0..ANSWERS).map(question).collect();
    let on_disk = answers_on_disk(&root);
    assert_eq!(
        on_disk,
        attempts
            .iter()
            .map(|a| ((*a).to_owned(), expected.clone()))
            .collect::<Vec<_>>(),
        "every answer of both writers, once, in the order given"
    );

    // The command line shows the records of the course it does not know.
    let data_dir = root.as_os_str();
    let run = kurs_run([
        OsStr::new("--no-bundled"),
        OsStr::new("--data-dir"),
        data_dir,
        OsStr::new("progress"),
        OsStr::new("--profile"),
        OsStr::new(PROFILE),
    ]);
    run.assert_no_panic();
    assert_eq!(run.code, Some(0), "{run:#?}");
    assert!(
        run.stdout.starts_with(&format!("Progress of {PROFILE}\n")),
        "{run:#?}"
    );
    assert!(
        run.stdout.contains(&format!(
            "{COURSE}  (this course is not installed; its records are kept)"
        )),
        "{run:#?}"
    );

    let run = kurs_run([
        OsStr::new("--no-bundled"),
        OsStr::new("--data-dir"),
        data_dir,
        OsStr::new("report"),
        OsStr::new("--format"),
        OsStr::new("json"),
    ]);
    assert_eq!(run.code, Some(0), "{run:#?}");
    let export: Value = serde_json::from_str(&run.stdout).unwrap();
    let quiz = &export["profiles"][0]["profile"]["courses"][COURSE]["items"][QUIZ];
    let answers: usize = quiz["attempts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["answers"].as_array().unwrap().len())
        .sum();
    assert_eq!(answers, 2 * ANSWERS, "{quiz:#}");
}
