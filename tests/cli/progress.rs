//! `kurs paths`, `kurs progress`, `kurs report` (and `report merge`) and `kurs reset`, on
//! a temporary data folder with profiles written through the library.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Stdio;

use kurs::progress::store::DataDir;
use kurs::progress::{Answer, AttemptResult, Change, Profile, Timestamp};
use kurs::quiz::Response;
use serde_json::Value;

use crate::{Run, fixture, kurs, run};

/// The course of `tests/fixtures/valid/complete` and two of its items.
const COURSE: &str = "complete";
const LESSON: &str = "basics/welcome";
const QUIZ: &str = "basics/check";

/// `kurs --no-bundled --courses <the complete fixture> --data-dir DATA ARGS…`.
fn kurs_in(data: &Path, args: &[&str]) -> Run {
    run(kurs()
        .args(["--no-bundled", "--courses"])
        .arg(fixture("valid/complete"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .stdin(Stdio::null()))
}

fn data_dir(root: &Path) -> DataDir {
    DataDir {
        root: root.to_path_buf(),
    }
}

/// Records, for `name`, an attempt at the quiz: one answer, then (if `complete`) its end.
fn record_attempt(data: &DataDir, name: &str, attempt: &str, complete: bool) {
    let mut store = data.open(name).unwrap();
    let (course, item, attempt) = (COURSE.to_owned(), QUIZ.to_owned(), attempt.to_owned());
    store.record(Change::AttemptStarted {
        course: course.clone(),
        item: item.clone(),
        attempt: attempt.clone(),
        seed: 42,
    });
    store.record(Change::Answered {
        course: course.clone(),
        item: item.clone(),
        attempt: attempt.clone(),
        answer: Answer {
            question: "padlock".into(),
            response: Response::Bool(false),
            points: 1.0,
            max: 1.0,
            hints: 1,
            at: Some(Timestamp::now()),
        },
    });
    if complete {
        store.record(Change::AttemptEnded {
            course,
            item,
            attempt,
            result: AttemptResult {
                points: 4.0,
                max: 5.0,
                passed: true,
                last: false,
            },
        });
    }
    store.save().unwrap();
}

/// A learner who read the first lesson to its end and passed the quiz, and one whose only
/// records are of a course that is not installed.
fn two_learners(data: &DataDir) {
    let mut anna = data.open("Anna Müller").unwrap();
    for change in [
        Change::Opened {
            course: COURSE.into(),
            item: LESSON.into(),
        },
        Change::Time {
            course: COURSE.into(),
            item: LESSON.into(),
            seconds: 95,
        },
        Change::Finished {
            course: COURSE.into(),
            item: LESSON.into(),
        },
    ] {
        anna.record(change);
    }
    anna.save().unwrap();
    record_attempt(
        data,
        "Anna Müller",
        "0b7e0d4c-5d3e-4c39-9a43-3f7f0c1e2a11",
        true,
    );
    let mut ben = data.open("Ben").unwrap();
    ben.record(Change::Opened {
        course: "retired-course".into(),
        item: "old/lesson".into(),
    });
    ben.save().unwrap();
}

fn profile(data: &DataDir, name: &str) -> Profile {
    data.read_all()
        .unwrap()
        .into_iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("no profile {name}"))
}

#[test]
fn paths_names_the_data_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("kurs-data");
    let shown = kurs_in(&data, &["paths"]);
    shown.assert_no_panic();
    assert_eq!(shown.code, Some(0), "{shown:#?}");
    let root = data.display().to_string();
    let profiles = data.join("profiles").display().to_string();
    assert!(
        shown.stdout.contains(&format!("\nprogress:  {root}\n")),
        "{shown:#?}"
    );
    assert!(
        shown.stdout.contains(&format!("\nprofiles:  {profiles}\n")),
        "{shown:#?}"
    );
    assert!(
        !data.exists(),
        "`paths` only says where; it creates nothing"
    );

    // KURS_HOME is used when there is no --data-dir, and --data-dir wins over it.
    let home = tmp.path().join("from-env");
    let from_env = run(kurs().arg("paths").env("KURS_HOME", &home));
    assert!(
        from_env
            .stdout
            .contains(&format!("\nprogress:  {}\n", home.display())),
        "{from_env:#?}"
    );
    let both = run(kurs()
        .arg("--data-dir")
        .arg(&data)
        .arg("paths")
        .env("KURS_HOME", &home));
    assert!(
        both.stdout.contains(&format!("\nprogress:  {root}\n")),
        "{both:#?}"
    );
}

#[test]
fn progress_without_profiles_says_nothing_is_recorded() {
    let tmp = tempfile::tempdir().unwrap();
    for data in [tmp.path().to_path_buf(), tmp.path().join("not-yet-created")] {
        let shown = kurs_in(&data, &["progress"]);
        shown.assert_no_panic();
        assert_eq!(shown.code, Some(0), "{shown:#?}");
        assert_eq!(
            shown.stdout,
            "No progress has been recorded on this machine yet.\n"
        );
        assert_eq!(shown.stderr, "");

        let named = kurs_in(&data, &["progress", "--profile", "Nobody"]);
        named.assert_no_panic();
        assert_eq!(named.code, Some(1), "{named:#?}");
        assert_eq!(
            named.stderr,
            "error: there is no profile \"Nobody\": no progress has been recorded on this machine yet\n"
        );
    }
}

#[test]
fn progress_shows_a_profile_per_course() {
    let tmp = tempfile::tempdir().unwrap();
    let data = data_dir(tmp.path());
    two_learners(&data);
    let shown = kurs_in(tmp.path(), &["progress", "--profile", "Anna Müller"]);
    shown.assert_no_panic();
    assert_eq!(shown.code, Some(0), "{shown:#?}");
    assert!(
        shown.stdout.starts_with("Progress of Anna Müller\n\n"),
        "{shown:#?}"
    );
    assert!(
        shown.stdout.contains("A complete course pack  2 of 4 done"),
        "{shown:#?}"
    );
    assert!(
        shown.stdout.contains("    [done]        basics/welcome\n"),
        "{shown:#?}"
    );
    assert!(
        shown
            .stdout
            .contains("    [done]        basics/check  best 80 %\n"),
        "{shown:#?}"
    );
    let ben = kurs_in(tmp.path(), &["progress", "--profile", "Ben"]);
    assert!(
        ben.stdout
            .contains("retired-course  (this course is not installed; its records are kept)\n"),
        "{ben:#?}"
    );
}

/// The UUID of this machine, made by the first `kurs report`.
fn machine_id(data: &Path) -> String {
    let id = std::fs::read_to_string(data.join("machine-id")).unwrap();
    let id = id.trim().to_owned();
    uuid::Uuid::parse_str(&id).unwrap();
    id
}

#[test]
fn report_csv_has_a_header_and_a_row_per_item() {
    let tmp = tempfile::tempdir().unwrap();
    two_learners(&data_dir(tmp.path()));
    let report = kurs_in(tmp.path(), &["report", "--format", "csv"]);
    report.assert_no_panic();
    assert_eq!(report.code, Some(0), "{report:#?}");
    assert_eq!(report.stderr, "");
    let machine = machine_id(tmp.path());
    let lines: Vec<&str> = report.stdout.lines().collect();
    assert_eq!(
        lines[0],
        "profile,machine,course,module,item,kind,status,best_score,attempts,seconds,opened,finished"
    );
    // Every item of the started course, and the one record of the course that is gone.
    assert_eq!(lines.len(), 1 + 4 + 1, "{}", report.stdout);
    for line in &lines[1..] {
        assert_eq!(line.split(',').count(), 12, "{line}");
    }
    let row = |module_item: &str| {
        lines
            .iter()
            .find(|l| l.contains(module_item))
            .unwrap_or_else(|| panic!("no row for {module_item}:\n{}", report.stdout))
    };
    assert!(
        row(",basics,welcome,").starts_with(&format!(
            "Anna Müller,{machine},complete,basics,welcome,lesson,done,,0,95,"
        )),
        "{}",
        report.stdout
    );
    assert!(
        row(",basics,check,").starts_with(&format!(
            "Anna Müller,{machine},complete,basics,check,quiz,done,0.80,1,0,"
        )),
        "{}",
        report.stdout
    );
    assert!(
        row(",practice,numbers,").contains(",quiz,not started,,0,0,,"),
        "{}",
        report.stdout
    );
    assert!(
        row(",old,lesson,").starts_with(&format!(
            "Ben,{machine},retired-course,old,lesson,lesson,in progress,"
        )),
        "{}",
        report.stdout
    );
}

#[test]
fn report_json_is_a_kurs_export() {
    let tmp = tempfile::tempdir().unwrap();
    two_learners(&data_dir(tmp.path()));
    let report = kurs_in(tmp.path(), &["report", "--format", "json"]);
    report.assert_no_panic();
    assert_eq!(report.code, Some(0), "{report:#?}");
    let export: Value = serde_json::from_str(&report.stdout).unwrap();
    assert_eq!(export["format"], "kurs-export");
    assert_eq!(export["schema"], 1);
    assert!(export["exported"].as_str().unwrap().ends_with('Z'));
    let machine = machine_id(tmp.path());
    let profiles = export["profiles"].as_array().unwrap();
    let names: BTreeSet<&str> = profiles
        .iter()
        .map(|p| p["profile"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, BTreeSet::from(["Anna Müller", "Ben"]));
    for p in profiles {
        assert_eq!(p["machine"], machine.as_str());
    }
    // The export round-trips through the library.
    let parsed = kurs::progress::report::Export::parse(&report.stdout).unwrap();
    assert_eq!(parsed.profiles.len(), 2);

    // With --out, the file gets the export and the screen nothing.
    let out = tmp.path().join("export.json");
    let written = kurs_in(
        tmp.path(),
        &["report", "--format", "json", "--out", out.to_str().unwrap()],
    );
    assert_eq!(written.code, Some(0), "{written:#?}");
    assert_eq!(written.stdout, "");
    let file: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(file["profiles"], export["profiles"]);
}

#[test]
fn report_xapi_is_an_array_of_statements_with_uuids() {
    let tmp = tempfile::tempdir().unwrap();
    two_learners(&data_dir(tmp.path()));
    let report = kurs_in(tmp.path(), &["report", "--format", "xapi"]);
    report.assert_no_panic();
    assert_eq!(report.code, Some(0), "{report:#?}");
    let statements: Value = serde_json::from_str(&report.stdout).unwrap();
    let statements = statements.as_array().unwrap();
    let mut ids = BTreeSet::new();
    let mut verbs = BTreeSet::new();
    for s in statements {
        let id = s["id"].as_str().unwrap();
        uuid::Uuid::parse_str(id).unwrap_or_else(|e| panic!("{id} is not a UUID: {e}"));
        assert!(ids.insert(id.to_owned()), "statement id {id} used twice");
        assert_eq!(s["version"], "1.0.3");
        assert_eq!(s["actor"]["objectType"], "Agent");
        assert!(
            s["object"]["id"]
                .as_str()
                .unwrap()
                .starts_with("urn:kurs:course:")
        );
        verbs.insert(
            s["verb"]["id"]
                .as_str()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
                .to_owned(),
        );
    }
    // Lesson opened and finished, quiz opened, one answer, one pass; the other learner's
    // lesson opened.
    assert_eq!(
        statements.len(),
        6,
        "{:#}",
        Value::Array(statements.clone())
    );
    assert_eq!(
        verbs,
        ["answered", "completed", "experienced", "passed"]
            .map(str::to_owned)
            .into(),
    );
    // The same records give the same statement ids, so sending twice stores nothing twice.
    let again = kurs_in(tmp.path(), &["report", "--format", "xapi"]);
    let again: Value = serde_json::from_str(&again.stdout).unwrap();
    let again: BTreeSet<String> = again
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(again, ids);
}

/// Exports this data folder's profiles to `out` with the real binary.
fn export_to(data: &Path, out: &Path) {
    let run = kurs_in(
        data,
        &["report", "--format", "json", "--out", out.to_str().unwrap()],
    );
    run.assert_no_panic();
    assert_eq!(run.code, Some(0), "{run:#?}");
}

/// A profile's machine, name, and quiz attempts: (id, complete).
type Attempts = (String, String, Vec<(String, bool)>);

/// The quiz attempts in an export file, per profile.
fn attempts_in(file: &Path) -> Vec<Attempts> {
    let export: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    export["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let attempts = p["profile"]["courses"][COURSE]["items"][QUIZ]["attempts"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|a| (a["id"].as_str().unwrap().to_owned(), !a["result"].is_null()))
                        .collect()
                })
                .unwrap_or_default();
            (
                p["machine"].as_str().unwrap().to_owned(),
                p["profile"]["name"].as_str().unwrap().to_owned(),
                attempts,
            )
        })
        .collect()
}

#[test]
fn merging_overlapping_exports_keeps_each_attempt_once() {
    let tmp = tempfile::tempdir().unwrap();
    let path = |name: &str| tmp.path().join(name);
    let classroom = path("classroom");
    let data = data_dir(&classroom);
    // Three exports of one machine during a day: each has what the one before had.
    record_attempt(&data, "Anna", "attempt-1", true);
    record_attempt(&data, "Anna", "attempt-2", false);
    export_to(&classroom, &path("a.json"));
    // Attempt 2 is finished: the later export has it complete.
    let mut anna = data.open("Anna").unwrap();
    anna.record(Change::AttemptEnded {
        course: COURSE.into(),
        item: QUIZ.into(),
        attempt: "attempt-2".into(),
        result: AttemptResult {
            points: 2.0,
            max: 5.0,
            passed: false,
            last: false,
        },
    });
    anna.save().unwrap();
    export_to(&classroom, &path("b.json"));
    record_attempt(&data, "Anna", "attempt-3", true);
    export_to(&classroom, &path("c.json"));

    let merged = run(kurs()
        .args(["report", "merge"])
        .args([path("a.json"), path("b.json"), path("c.json")])
        .arg("--out")
        .arg(path("m.json")));
    merged.assert_no_panic();
    assert_eq!(merged.code, Some(0), "{merged:#?}");
    assert_eq!(merged.stdout, "");
    assert!(
        merged
            .stderr
            .starts_with("Merged 3 exports (1 profile) into "),
        "{merged:#?}"
    );
    let machine = machine_id(&classroom);
    let expected = vec![(
        machine.clone(),
        "Anna".to_owned(),
        vec![
            ("attempt-1".to_owned(), true),
            ("attempt-2".to_owned(), true),
            ("attempt-3".to_owned(), true),
        ],
    )];
    assert_eq!(attempts_in(&path("m.json")), expected);

    // Merging again, in any order, with what was merged before, adds nothing.
    let again = run(kurs()
        .args(["report", "merge"])
        .args([path("c.json"), path("m.json"), path("a.json")])
        .arg("--out")
        .arg(path("m2.json")));
    assert_eq!(again.code, Some(0), "{again:#?}");
    assert_eq!(attempts_in(&path("m2.json")), expected);

    // A learner of the same name on another machine stays apart.
    let other = path("other-machine");
    record_attempt(&data_dir(&other), "Anna", "attempt-x", true);
    export_to(&other, &path("d.json"));
    let both = run(kurs()
        .args(["report", "merge"])
        .args([path("m.json"), path("d.json")])
        .arg("--out")
        .arg(path("m3.json")));
    assert_eq!(both.code, Some(0), "{both:#?}");
    assert!(
        both.stderr
            .starts_with("Merged 2 exports (2 profiles) into "),
        "{both:#?}"
    );
    let mut all = attempts_in(&path("m3.json"));
    all.sort();
    let mut want = vec![
        expected[0].clone(),
        (
            machine_id(&other),
            "Anna".to_owned(),
            vec![("attempt-x".to_owned(), true)],
        ),
    ];
    want.sort();
    assert_eq!(all, want);

    // A report can be made from the merged file.
    let csv = kurs_in(
        tmp.path(),
        &["report", "--from", path("m.json").to_str().unwrap()],
    );
    assert_eq!(csv.code, Some(0), "{csv:#?}");
    assert!(
        csv.stdout.contains(&format!(
            "Anna,{machine},complete,basics,check,quiz,done,0.80,3,"
        )),
        "{csv:#?}"
    );
}

#[test]
fn merging_something_else_is_a_clear_error() {
    let tmp = tempfile::tempdir().unwrap();
    let not_export = tmp.path().join("notes.json");
    std::fs::write(&not_export, "{\"hello\": 1}").unwrap();
    let out = tmp.path().join("m.json");
    let merged = run(kurs()
        .args(["report", "merge"])
        .arg(&not_export)
        .arg("--out")
        .arg(&out));
    merged.assert_no_panic();
    assert_eq!(merged.code, Some(1), "{merged:#?}");
    assert!(
        merged.stderr.starts_with("error: ") && merged.stderr.contains("is not a kurs export"),
        "{merged:#?}"
    );
    assert!(!out.exists());
}

#[test]
fn reset_asks_first_and_refuses_without_a_terminal() {
    let tmp = tempfile::tempdir().unwrap();
    let data = data_dir(tmp.path());
    two_learners(&data);

    let refused = kurs_in(tmp.path(), &["reset", "--profile", "Anna Müller"]);
    refused.assert_no_panic();
    assert_eq!(refused.code, Some(1), "{refused:#?}");
    assert_eq!(refused.stdout, "");
    assert_eq!(
        refused.stderr,
        "error: this deletes all progress of Anna Müller; add --yes to confirm\n"
    );
    assert!(profile(&data, "Anna Müller").courses.contains_key(COURSE));

    let nobody = kurs_in(tmp.path(), &["reset", "--yes"]);
    assert_eq!(nobody.code, Some(1), "{nobody:#?}");
    assert_eq!(
        nobody.stderr,
        "error: say whose progress to reset with --profile NAME\n"
    );

    let deleted = kurs_in(tmp.path(), &["reset", "--profile", "Anna Müller", "--yes"]);
    deleted.assert_no_panic();
    assert_eq!(deleted.code, Some(0), "{deleted:#?}");
    assert_eq!(deleted.stdout, "Deleted all progress of Anna Müller.\n");
    let anna = profile(&data, "Anna Müller");
    assert!(anna.courses.is_empty(), "{anna:#?}");
    assert_eq!(anna.last_course, None);
    // The other learner keeps everything.
    assert!(profile(&data, "Ben").courses.contains_key("retired-course"));

    // One course only.
    let mut ben = data.open("Ben").unwrap();
    ben.record(Change::Opened {
        course: COURSE.into(),
        item: LESSON.into(),
    });
    ben.save().unwrap();
    let one = kurs_in(
        tmp.path(),
        &["reset", "--profile", "Ben", "retired-course", "--yes"],
    );
    assert_eq!(one.code, Some(0), "{one:#?}");
    assert_eq!(
        one.stdout,
        "Deleted the progress in \"retired-course\" of Ben.\n"
    );
    let ben = profile(&data, "Ben");
    assert_eq!(ben.courses.keys().collect::<Vec<_>>(), [COURSE]);

    // A course with no progress (a typo, or done already): nothing is deleted, exit 1,
    // and the courses that do have progress are named.
    let unknown = kurs_in(
        tmp.path(),
        &["reset", "--profile", "Ben", "retird-course", "--yes"],
    );
    assert_eq!(unknown.code, Some(1), "{unknown:#?}");
    assert!(unknown.stdout.is_empty(), "{unknown:#?}");
    assert!(
        unknown.stderr.contains("no progress in \"retird-course\"")
            && unknown
                .stderr
                .contains(&format!("Ben has progress in: {COURSE}")),
        "{unknown:#?}"
    );
    assert_eq!(
        profile(&data, "Ben").courses.keys().collect::<Vec<_>>(),
        [COURSE]
    );
}

/// Bytes that are neither JSON nor text, with terminal controls among them.
const GARBAGE: &[u8] =
    b"\x00\xff\xfe{\"schema\": 1, \x1b[2J\x1b]52;c;SGVsbG8=\x07\xc2\x9b31m\x08\r\n\x7f";

#[test]
fn a_corrupt_profile_file_is_left_alone_and_does_not_stop_the_others() {
    let tmp = tempfile::tempdir().unwrap();
    let data = data_dir(tmp.path());
    two_learners(&data);
    let ben = data.open("Ben").unwrap().path().unwrap();
    std::fs::write(&ben, GARBAGE).unwrap();
    let before = list_dir(&data.profiles_dir());

    for args in [
        &["progress"][..],
        &["progress", "--profile", "Anna Müller"],
        &["report"],
        &["report", "--format", "json"],
        &["report", "--format", "xapi"],
    ] {
        let shown = kurs_in(tmp.path(), args);
        shown.assert_no_panic();
        assert_eq!(shown.code, Some(0), "{args:?}: {shown:#?}");
        assert!(shown.stdout.contains("Anna Müller"), "{args:?}: {shown:#?}");
        // What can still be read of Ben (his journal, with his name) is shown.
        if !args.contains(&"--profile") {
            assert!(shown.stdout.contains("Ben"), "{args:?}: {shown:#?}");
        }
        // The trainer or learner is told which file could not be read.
        let name = ben.file_name().unwrap().to_str().unwrap();
        assert!(
            shown.stderr.starts_with("warning: ") && shown.stderr.contains(name),
            "{args:?}: {shown:#?}"
        );
        crate::hostile_output::assert_no_controls(
            &format!("{args:?}"),
            shown.stdout.as_bytes(),
            shown.stderr.as_bytes(),
        );
        // Reading never changes, renames or removes anything.
        assert_eq!(std::fs::read(&ben).unwrap(), GARBAGE, "{args:?}");
        assert_eq!(list_dir(&data.profiles_dir()), before, "{args:?}");
    }
}

fn list_dir(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn a_profile_name_that_is_not_known_lists_the_others() {
    let tmp = tempfile::tempdir().unwrap();
    two_learners(&data_dir(tmp.path()));
    let shown = kurs_in(tmp.path(), &["progress", "--profile", "Anne"]);
    shown.assert_no_panic();
    assert_eq!(shown.code, Some(1), "{shown:#?}");
    // Most recently used first; both saved within the same second here.
    assert!(
        shown.stderr == "error: there is no profile \"Anne\" (profiles: Anna Müller, Ben)\n"
            || shown.stderr == "error: there is no profile \"Anne\" (profiles: Ben, Anna Müller)\n",
        "{shown:#?}"
    );
}
