use std::fs;

use super::store::{DataDir, slug};
use super::*;
use crate::quiz::Response;

fn data_dir() -> (tempfile::TempDir, DataDir) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = DataDir {
        root: tmp.path().to_path_buf(),
    };
    (tmp, dir)
}

fn answer(question: &str, points: f64) -> Answer {
    Answer {
        question: question.into(),
        response: Response::Choice(1),
        points,
        max: 1.0,
        hints: 0,
        at: Some(Timestamp(1_800_000_000)),
    }
}

/// The names "Who is learning?" lists.
fn learner_names(dir: &DataDir) -> Vec<String> {
    dir.profiles()
        .expect("list")
        .into_iter()
        .map(|p| p.name)
        .collect()
}

fn answered(attempt: &str, question: &str) -> Change {
    Change::Answered {
        course: "c".into(),
        item: "m/quiz".into(),
        attempt: attempt.into(),
        answer: answer(question, 1.0),
    }
}

#[test]
fn changes_build_the_records() {
    let mut p = Profile::new("Anna");
    let at = Timestamp(1_800_000_000);
    p.apply(
        &Change::Opened {
            course: "c".into(),
            item: "m/intro".into(),
        },
        at,
    );
    p.apply(
        &Change::Position {
            course: "c".into(),
            item: "m/intro".into(),
            position: 0.5,
        },
        at,
    );
    p.apply(
        &Change::Finished {
            course: "c".into(),
            item: "m/intro".into(),
        },
        Timestamp(at.0 + 60),
    );
    p.apply(
        &Change::Time {
            course: "c".into(),
            item: "m/intro".into(),
            seconds: 60,
        },
        at,
    );
    p.apply(
        &Change::AttemptStarted {
            course: "c".into(),
            item: "m/quiz".into(),
            attempt: "a1".into(),
            seed: 7,
        },
        at,
    );
    p.apply(&answered("a1", "q1"), at);
    p.apply(&answered("a1", "q1"), at); // answered again: replaced, not duplicated
    p.apply(
        &Change::AttemptEnded {
            course: "c".into(),
            item: "m/quiz".into(),
            attempt: "a1".into(),
            result: AttemptResult {
                points: 1.0,
                max: 1.0,
                passed: true,
                last: false,
            },
        },
        at,
    );
    let intro = p.item("c", "m/intro").expect("recorded");
    assert_eq!(intro.opened, Some(at));
    assert_eq!(intro.finished, Some(Timestamp(at.0 + 60)));
    assert!((intro.position - 0.5).abs() < f32::EPSILON);
    assert_eq!(intro.seconds, 60);
    let quiz = p.item("c", "m/quiz").expect("recorded");
    assert_eq!(quiz.attempts.len(), 1);
    assert_eq!(quiz.attempts.first().map(|a| a.answers.len()), Some(1));
    assert!(quiz.passed());
    assert_eq!(quiz.best(), Some(1.0));
    assert_eq!(
        p.courses.get("c").and_then(|c| c.last_item.as_deref()),
        Some("m/intro")
    );
    p.apply(
        &Change::Reset {
            course: Some("c".into()),
        },
        at,
    );
    assert!(p.courses.is_empty());
}

#[test]
fn records_round_trip_and_keep_unknown_fields() {
    let json = r#"{
        "name": "Anna", "created": "2026-11-26T17:24:00Z", "last_used": null,
        "future_field": {"kept": true},
        "courses": { "gone-course": { "items": { "old-module/old-item": {
            "opened": "2026-11-26T17:24:00Z", "seconds": 5, "also_new": 1 } } } }
    }"#;
    let profile: Profile = serde_json::from_str(json).expect("tolerant");
    assert_eq!(
        profile.extra.get("future_field"),
        Some(&serde_json::json!({"kept": true}))
    );
    let item = profile
        .item("gone-course", "old-module/old-item")
        .expect("kept");
    assert_eq!(item.extra.get("also_new"), Some(&serde_json::json!(1)));
    let again: Profile =
        serde_json::from_str(&serde_json::to_string(&profile).expect("write")).expect("read");
    assert_eq!(again, profile);
}

#[test]
fn a_profile_survives_reopening() {
    let (_tmp, dir) = data_dir();
    let mut store = dir.open("Anna Müller").expect("open");
    store.record(Change::Opened {
        course: "c".into(),
        item: "m/intro".into(),
    });
    store.record(answered("a1", "q1"));
    store.save().expect("save");
    drop(store);
    let store = dir.open("Anna Müller").expect("reopen");
    assert!(store.profile().item("c", "m/quiz").is_some());
    assert_eq!(store.profile().name, "Anna Müller");
    let names = learner_names(&dir);
    assert_eq!(names, ["Anna Müller"]);
}

#[test]
fn compaction_keeps_everything() {
    let (_tmp, dir) = data_dir();
    let mut store = dir.open("Ben").expect("open");
    for i in 0..10 {
        store.record(answered("a1", &format!("q{i}")));
        store.save().expect("save");
    }
    let before = store.profile().clone();
    store.compact().expect("compact");
    assert_eq!(store.profile().courses, before.courses);
    let logs: Vec<_> = fs::read_dir(dir.profiles_dir())
        .expect("list")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".log"))
        .collect();
    // The journals since the previous snapshot stay, with that snapshot kept as
    // `.json.prev`, so a damaged snapshot can be restored in full; older ones go.
    assert!(logs.len() <= 2, "old journals are removed: {logs:?}");
    store.compact().expect("compact again");
    let logs = fs::read_dir(dir.profiles_dir())
        .expect("list")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".log"))
        .count();
    assert!(logs <= 2, "{logs} journals after two compactions");
    store.record(answered("a1", "q10"));
    store.save().expect("save after compaction");
    let reopened = dir.open("Ben").expect("reopen");
    let attempt = &reopened
        .profile()
        .item("c", "m/quiz")
        .expect("item")
        .attempts;
    assert_eq!(attempt.first().map(|a| a.answers.len()), Some(11));
}

#[test]
fn two_stores_on_one_profile_lose_nothing() {
    let (_tmp, dir) = data_dir();
    let mut first = dir.open("Cem").expect("open");
    let mut second = dir.open("Cem").expect("open twice");
    for i in 0..5 {
        first.record(answered("first", &format!("q{i}")));
        first.save().expect("save");
        second.record(answered("second", &format!("q{i}")));
        second.save().expect("save");
    }
    let check = |p: &Profile| {
        let attempts = &p.item("c", "m/quiz").expect("item").attempts;
        let mut counts: Vec<(String, usize)> = attempts
            .iter()
            .map(|a| (a.id.clone(), a.answers.len()))
            .collect();
        counts.sort();
        counts
    };
    // The second store has reloaded and sees both.
    assert_eq!(
        check(second.profile()),
        [("first".into(), 5), ("second".into(), 5)]
    );
    first.compact().expect("compact");
    assert_eq!(
        check(first.profile()),
        [("first".into(), 5), ("second".into(), 5)]
    );
}

#[test]
fn a_torn_last_line_is_dropped_and_then_repaired() {
    let (_tmp, dir) = data_dir();
    let mut store = dir.open("Dana").expect("open");
    store.record(answered("a", "q1"));
    store.save().expect("save");
    drop(store);
    let log = fs::read_dir(dir.profiles_dir())
        .expect("list")
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "log"))
        .expect("a journal");
    let mut bytes = fs::read(&log).expect("read");
    bytes.extend_from_slice(br#"{"schema":1,"at":"2026-11-26T17:24:00Z","change":"answ"#);
    fs::write(&log, &bytes).expect("tear");
    let mut store = dir.open("Dana").expect("torn line ignored");
    assert!(store.take_notices().is_empty());
    store.record(answered("a", "q2"));
    store.save().expect("append after a torn line");
    let store = dir.open("Dana").expect("reopen");
    let answers = &store.profile().item("c", "m/quiz").expect("item").attempts;
    assert_eq!(answers.first().map(|a| a.answers.len()), Some(2));
}

#[test]
fn corrupt_files_are_kept_aside_and_reported() {
    let cases: [(&str, &[u8]); 4] = [
        (
            "truncated",
            br#"{"schema":1,"journal":0,"profile":{"name":"E","#,
        ),
        ("garbage", b"\x00\xffnot json at all"),
        ("empty", b""),
        (
            "wrong types",
            br#"{"schema":1,"journal":"zero","profile":{"name":5}}"#,
        ),
    ];
    for (label, bytes) in cases {
        let (_tmp, dir) = data_dir();
        drop(dir.open("Eva").expect("create"));
        let snapshot = dir.profiles_dir().join(format!("{}.json", slug("Eva")));
        fs::write(&snapshot, bytes).expect("corrupt it");
        let mut store = dir.open("Eva").expect(label);
        assert_eq!(store.profile().name, "Eva", "{label}: the name is kept");
        let notices = store.take_notices();
        assert_eq!(notices.len(), 1, "{label}: {notices:?}");
        let notice = notices.first().expect("one notice");
        assert!(
            notice.contains("restored everything it could still read"),
            "{label}: {notice}"
        );
        assert!(
            !notice.contains("line 1"),
            "{label}: no parser words: {notice}"
        );
        let aside = fs::read_dir(dir.profiles_dir())
            .expect("list")
            .flatten()
            .map(|e| e.path())
            .find(|p| p.to_string_lossy().contains(".json.corrupt-"))
            .expect("kept aside");
        assert_eq!(
            fs::read(&aside).expect("read"),
            bytes,
            "{label}: original bytes kept"
        );
        assert!(
            notice.contains(&aside.display().to_string()),
            "{label}: says where"
        );
    }
}

#[test]
fn a_newer_schema_is_refused_and_left_untouched() {
    let (_tmp, dir) = data_dir();
    drop(dir.open("Finn").expect("create"));
    let snapshot = dir.profiles_dir().join(format!("{}.json", slug("Finn")));
    let newer = br#"{"schema":2,"journal":0,"profile":{"name":"Finn","shiny":true}}"#;
    fs::write(&snapshot, newer).expect("write");
    let err = dir.open("Finn").expect_err("refused");
    let message = format!("{err:#}");
    assert!(message.contains("newer kurs"), "{message}");
    assert_eq!(fs::read(&snapshot).expect("read"), newer);
    assert!(
        !fs::read_dir(dir.profiles_dir())
            .expect("list")
            .flatten()
            .any(|e| e.file_name().to_string_lossy().contains("corrupt"))
    );
}

#[test]
fn profile_names_map_to_safe_distinct_file_names() {
    assert_eq!(
        slug("Anna Müller"),
        format!(
            "anna-m-ller-{:08x}",
            crate::quiz::shuffle::fnv1a("Anna Müller".as_bytes()) & 0xffff_ffff
        )
    );
    assert_ne!(slug("anna"), slug("Anna"));
    assert!(slug("../../etc/passwd").starts_with("etc-passwd-"));
    assert!(slug("日本").starts_with("learner-"));
    assert!(slug(&"x".repeat(500)).len() < 50);
    assert!(super::store::clean_name("  \u{1b}\u{7}\t ").is_err());
    assert_eq!(super::store::clean_name(" Bea\u{7} ").expect("name"), "Bea");
}

#[test]
fn data_dir_precedence() {
    let explicit = DataDir::locate(Some("/a".into()), Some("/b".into())).expect("dir");
    assert_eq!(explicit.root, std::path::PathBuf::from("/a"));
    let env = DataDir::locate(None, Some("/b".into())).expect("dir");
    assert_eq!(env.root, std::path::PathBuf::from("/b"));
}

#[test]
fn a_quiz_out_of_attempts_counts_as_done() {
    use crate::course::{ItemKind, ItemRef, Module};
    let module = Module {
        id: "m".into(),
        title: "M".into(),
        description: None,
        requires: vec![],
        items: vec![ItemRef {
            id: "quiz".into(),
            kind: ItemKind::Quiz,
            file: "m/quiz.quiz.toml".into(),
        }],
    };
    let item = &module.items[0];
    let mut p = Profile::new("Ada");
    let at = Timestamp(1_800_000_000);
    let end = |attempt: &str, last: bool| Change::AttemptEnded {
        course: "c".into(),
        item: "m/quiz".into(),
        attempt: attempt.into(),
        result: AttemptResult {
            points: 0.0,
            max: 1.0,
            passed: false,
            last,
        },
    };
    assert_eq!(p.status("c", &module, item), Status::NotStarted);
    p.apply(&end("a1", false), at);
    assert_eq!(
        p.status("c", &module, item),
        Status::InProgress,
        "failed, attempts left"
    );
    p.apply(&end("a2", true), at);
    assert_eq!(
        p.status("c", &module, item),
        Status::Done,
        "failed, no attempts left"
    );
}

#[test]
fn reasons_for_unreadable_files_are_safe_to_show() {
    // Found by the progress fuzz target: the parser's message quoted the file's text, so
    // an escape sequence in a progress file reached the learner's terminal in the notice.
    let (_tmp, dir) = data_dir();
    let mut store = dir.open("Gus").expect("create");
    store.record(Change::Used);
    store.save().expect("save");
    drop(store);
    let profiles = dir.profiles_dir();
    let journal = profiles.join(format!("{}.0.log", slug("Gus")));
    let mut bytes = fs::read(&journal).expect("read");
    bytes.extend_from_slice(b"{\"schema\":1,\"at\":\"\\u001b[2J\x7f\",\"change\":\"used\"}\n");
    fs::write(&journal, &bytes).expect("write");
    let snapshot = profiles.join(format!("{}.json", slug("Gus")));
    fs::write(
        &snapshot,
        br#"{"schema":1,"journal":0,"profile":{"name":"Gus","created":"\u001b]52;c;eA==\u0007"}}"#,
    )
    .expect("write");
    // For trainers (`kurs progress`), the parser's reasons, made safe to show.
    let (_, problems) = dir.read_all_reporting().expect("read all");
    assert_eq!(problems.len(), 2, "{problems:?}");
    for problem in &problems {
        assert!(
            !problem.chars().any(crate::text::is_forbidden_control),
            "{problem:?}"
        );
        assert!(problem.contains("is not an RFC 3339 time"), "{problem}");
    }
    // For the learner, plain words.
    let mut store = dir.open("Gus").expect("open");
    let notices = store.take_notices();
    assert_eq!(notices.len(), 1, "{notices:?}");
    for notice in &notices {
        assert!(
            !notice.chars().any(crate::text::is_forbidden_control),
            "{notice:?}"
        );
        assert!(!notice.contains("RFC 3339"), "{notice}");
    }
}

#[test]
fn a_damaged_snapshot_with_journals_behind_it_restores_name_and_progress() {
    let (_tmp, dir) = data_dir();
    let mut store = dir.open("Anna Müller").expect("create");
    store.record(answered("a1", "q1"));
    store.save().expect("save");
    store.compact().expect("compact: the snapshot holds q1");
    store.record(answered("a1", "q2"));
    store.save().expect("save: the journal holds q2");
    let expected = store.profile().courses.clone();
    drop(store);
    let snapshot = dir
        .profiles_dir()
        .join(format!("{}.json", slug("Anna Müller")));
    fs::write(&snapshot, b"{\"schema\":1,\"journ").expect("damage it");

    // The picker still lists her, under her own name.
    let names = learner_names(&dir);
    assert_eq!(names, ["Anna Müller"]);

    let mut store = dir.open("Anna Müller").expect("open");
    assert_eq!(store.profile().name, "Anna Müller");
    assert_eq!(
        store.profile().courses,
        expected,
        "snapshot and journal restored"
    );
    let notices = store.take_notices();
    assert_eq!(notices.len(), 1, "{notices:?}");
    drop(store);
    // Repaired: the next open has nothing to report and the same progress.
    let mut again = dir.open("Anna Müller").expect("reopen");
    assert!(again.take_notices().is_empty());
    assert_eq!(again.profile().courses, expected);
}

#[test]
fn an_unreadable_journal_line_is_skipped_not_the_whole_journal() {
    let (_tmp, dir) = data_dir();
    let mut store = dir.open("Ida").expect("create");
    store.record(answered("a1", "q1"));
    store.save().expect("save");
    store.record(answered("a1", "q2"));
    store.save().expect("save");
    drop(store);
    let journal = dir.profiles_dir().join(format!("{}.0.log", slug("Ida")));
    let text = fs::read_to_string(&journal).expect("read");
    let mut lines: Vec<&str> = text.lines().collect();
    // A damaged line before the last answer.
    lines.insert(lines.len() - 1, "{not json}");
    fs::write(&journal, lines.join("\n") + "\n").expect("write");
    let mut store = dir.open("Ida").expect("open");
    let item = store.profile().item("c", "m/quiz").expect("item");
    let attempt = item.attempts.first().expect("attempt");
    assert!(
        ["q1", "q2"]
            .iter()
            .all(|q| attempt.answers.iter().any(|a| a.question == *q)),
        "the lines around the damaged one are applied"
    );
    assert_eq!(store.take_notices().len(), 1);
}

/// Polls `store` until `done` holds (at most 10 s).
fn wait_for(store: &mut super::store::Store, done: impl Fn(&super::store::Store) -> bool) {
    let start = std::time::Instant::now();
    while !done(store) {
        assert!(
            start.elapsed().as_secs() < 10,
            "timed out: {:?}",
            store.problem()
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
        store.poll();
    }
}

#[test]
fn in_the_background_a_failed_save_is_shown_kept_and_retried() {
    let tmp = tempfile::tempdir().expect("temp dir");
    // The data folder's place is taken by a file: nothing can be created there.
    let root = tmp.path().join("data");
    fs::write(&root, "not a folder").expect("write");
    let data = DataDir { root: root.clone() };
    let mut store = super::store::Store::unsaved(&data, "Ada", "cannot create".to_owned());
    store.record(answered("a1", "q1"));
    store.save().expect("hands over");
    wait_for(&mut store, |s| {
        s.problem().is_some_and(|p| p.contains("profiles folder"))
    });
    assert_eq!(store.unsaved_count(), 1);
    // The disk comes back: the writer opens the profile and writes what it kept.
    fs::remove_file(&root).expect("free the place");
    wait_for(&mut store, |s| {
        s.problem().is_none() && s.unsaved_count() == 0
    });
    store.compact().expect("finish");
    let reopened = data.open("Ada").expect("reopen");
    assert!(
        reopened.profile().item("c", "m/quiz").is_some(),
        "q1 was saved"
    );
}

#[test]
fn in_the_background_a_save_never_waits_for_another_kurs_lock() {
    let (_tmp, dir) = data_dir();
    let mut store = dir.open("Bea").expect("open").in_background(&dir);
    let lock = fs::OpenOptions::new()
        .write(true)
        .open(dir.profiles_dir().join(format!("{}.lock", slug("Bea"))))
        .expect("lock file");
    lock.lock().expect("another kurs holds the lock");
    store.record(answered("a1", "q1"));
    let started = std::time::Instant::now();
    store.save().expect("hands over");
    assert!(
        started.elapsed().as_millis() < 50,
        "{:?}",
        started.elapsed()
    );
    assert_eq!(store.unsaved_count(), 2, "Used and the answer wait");
    lock.unlock().expect("unlock");
    wait_for(&mut store, |s| s.unsaved_count() == 0);
    store.compact().expect("finish");
    assert!(
        dir.open("Bea")
            .expect("reopen")
            .profile()
            .item("c", "m/quiz")
            .is_some()
    );
}

#[cfg(unix)]
#[test]
fn everything_kurs_writes_under_the_data_folder_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = DataDir {
        root: tmp.path().join("data"),
    };
    dir.machine_id().expect("machine id");
    let mut store = dir.open("Ada").expect("open");
    store.record(answered("a1", "q1"));
    store.save().expect("save");
    store
        .compact()
        .expect("compact: snapshot, previous snapshot, new journal");
    drop(store);
    // A damaged snapshot: the kept-aside copy is private too.
    let snapshot = dir.profiles_dir().join(format!("{}.json", slug("Ada")));
    fs::write(&snapshot, b"{").expect("damage");
    drop(dir.open("Ada").expect("repair"));
    let mut seen = 0;
    let mut stack = vec![dir.root.clone()];
    while let Some(path) = stack.pop() {
        let mode = fs::metadata(&path).expect("stat").permissions().mode() & 0o777;
        if path.is_dir() {
            assert_eq!(mode, 0o700, "{}", path.display());
            stack.extend(
                fs::read_dir(&path)
                    .expect("list")
                    .flatten()
                    .map(|e| e.path()),
            );
        } else {
            assert_eq!(mode, 0o600, "{}", path.display());
            seen += 1;
        }
    }
    // machine-id, lock, snapshot, .prev, journals, the kept-aside copy.
    assert!(seen >= 6, "{seen} files");
}

#[test]
fn a_sync_tools_conflict_copy_is_not_another_learner() {
    let (_tmp, dir) = data_dir();
    let mut store = dir.open("Anna Müller").expect("open");
    store.record(answered("a1", "q1"));
    store.compact().expect("save");
    drop(store);
    // OneDrive keeps both versions after a conflict: `<name>-<PC>.json`.
    let original = dir
        .profiles_dir()
        .join(format!("{}.json", slug("Anna Müller")));
    let copy = dir
        .profiles_dir()
        .join(format!("{}-DESKTOP-7Q2K.json", slug("Anna Müller")));
    fs::copy(&original, &copy).expect("copy");
    let names = learner_names(&dir);
    assert_eq!(names, ["Anna Müller"], "one learner, not two");
    let (_, problems) = dir.read_all_reporting().expect("read all");
    assert!(
        problems
            .iter()
            .any(|p| p.contains("DESKTOP-7Q2K") && p.contains("sync tool")),
        "the trainer is told: {problems:?}"
    );
    assert!(copy.exists(), "the copy is left alone");
}

#[test]
fn a_passing_refusal_is_retried_and_a_lasting_one_is_not() {
    use std::cell::Cell;
    let tries = Cell::new(0);
    // Busy twice (another program holds the file), then free.
    let result = super::store::with_retries(
        |e| e.kind() == std::io::ErrorKind::ResourceBusy,
        || {
            tries.set(tries.get() + 1);
            if tries.get() < 3 {
                Err(std::io::Error::from(std::io::ErrorKind::ResourceBusy))
            } else {
                Ok(7)
            }
        },
    );
    assert_eq!(result.ok(), Some(7));
    assert_eq!(tries.get(), 3);
    // Any other error is returned at once.
    tries.set(0);
    let result: std::io::Result<()> = super::store::with_retries(
        |e| e.kind() == std::io::ErrorKind::ResourceBusy,
        || {
            tries.set(tries.get() + 1);
            Err(std::io::Error::from(std::io::ErrorKind::NotFound))
        },
    );
    assert!(result.is_err());
    assert_eq!(tries.get(), 1);
}

#[test]
fn progress_on_a_share_whose_lock_cannot_be_written_is_still_read() {
    let (_tmp, dir) = data_dir();
    let mut store = dir.open("Cleo").expect("open");
    store.record(answered("a1", "q1"));
    store.compact().expect("save");
    drop(store);
    // The lock file cannot be opened for writing (here: a folder in its place; on a
    // share, because other accounts may only read).
    let lock = dir.profiles_dir().join(format!("{}.lock", slug("Cleo")));
    fs::remove_file(&lock).expect("remove the lock file");
    fs::create_dir(&lock).expect("a folder in its place");
    let (profiles, problems) = dir.read_all_reporting().expect("read all");
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(profiles.len(), 1);
    assert!(
        profiles[0].item("c", "m/quiz").is_some(),
        "the answers are read"
    );
}
