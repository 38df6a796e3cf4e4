//! A writer killed at random moments never loses progress it has acknowledged.
//!
//! The test binary re-runs itself as the writer ([`child`]): it opens a profile and saves
//! in a loop, one change per save, compacting now and then, and prints how many saves
//! returned. The parent kills it with SIGKILL after a random delay, then reads the profile
//! back: it must load without a notice, and hold every acknowledged change (plus, at
//! most, the one that was being written when the signal came). The next writer continues
//! on the same files, so kills also land in the middle of compactions and of repairs of
//! a torn last line. (Every 20 rounds the parent compacts too, so that on a slow disk,
//! where a writer rarely lives long enough to compact, loading does not slow down.)
//!
//! The delays come from a seeded generator; `KURS_TEST_CRASH_SEED=N` replays a run.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::thread;
use std::time::{Duration, Instant};

use kurs::progress::store::DataDir;
use kurs::progress::{Answer, Change};
use kurs::quiz::Response;

use crate::{lines_of, spawn_self, text_of};

/// The data folder of the writer (set only when the parent runs it).
const DIR_VAR: &str = "KURS_TEST_CRASH_DIR";
/// Shifts when the writer compacts, so short runs compact too.
const PHASE_VAR: &str = "KURS_TEST_CRASH_PHASE";
/// Overrides the seed of the random delays (to replay a failure).
const SEED_VAR: &str = "KURS_TEST_CRASH_SEED";

const PROFILE: &str = "Crash Test Dummy";
const COURSE: &str = "crash-course";
const ITEM: &str = "basics/reading";
const QUIZ: &str = "basics/check";
/// The writer compacts every this many saves.
const COMPACT_EVERY: u64 = 25;
/// How many times the writer is killed.
const KILLS: usize = 220;

/// What the writer prints after the profile is open, and before each count.
const READY: &str = "kurs-crash:ready";
const SAVED: &str = "kurs-crash:saved=";
const COMPACTED: &str = "kurs-crash:compacted";

/// The writer. Ignored in normal runs; does nothing without [`DIR_VAR`].
#[test]
#[ignore = "run as a child process by a_killed_writer_never_loses_saved_progress"]
fn child() {
    let Some(root) = std::env::var_os(DIR_VAR) else {
        return;
    };
    let phase: u64 = std::env::var(PHASE_VAR)
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    let data = DataDir { root: root.into() };
    let mut store = data.open(PROFILE).unwrap();
    let notices = store.take_notices();
    assert!(notices.is_empty(), "opening reported: {notices:?}");
    let mut out = std::io::stdout();
    writeln!(out, "\n{READY}").unwrap();
    out.flush().unwrap();
    // A bound, in case the parent is gone.
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut saved: u64 = 0;
    while Instant::now() < deadline {
        store.record(Change::Time {
            course: COURSE.into(),
            item: ITEM.into(),
            seconds: 1,
        });
        if saved % 10 == 4 {
            // A large line now and then, so that a write spans several pages and a kill
            // can tear it.
            store.record(Change::Answered {
                course: COURSE.into(),
                item: QUIZ.into(),
                attempt: "long-answers".into(),
                answer: Answer {
                    question: "essay".into(),
                    response: Response::Text(format!("{saved} {}", "words ".repeat(1500))),
                    points: 0.0,
                    max: 1.0,
                    hints: 0,
                    at: None,
                },
            });
        }
        store.save().unwrap();
        saved += 1;
        writeln!(out, "\n{SAVED}{saved}").unwrap();
        out.flush().unwrap();
        if (saved + phase).is_multiple_of(COMPACT_EVERY) {
            store.compact().unwrap();
            writeln!(out, "\n{COMPACTED}").unwrap();
            out.flush().unwrap();
        }
    }
}

/// `SplitMix64`: a small, seeded generator, so a failing run can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `low..high`.
    fn range(&mut self, low: u64, high: u64) -> u64 {
        low + self.next() % (high - low)
    }
}

/// The seconds recorded so far, as a fresh reader sees them (`None`: no such profile).
fn recorded_seconds(data: &DataDir) -> Option<u64> {
    let profiles = data.read_all().unwrap();
    let profile = profiles.iter().find(|p| p.name == PROFILE)?;
    Some(profile.item(COURSE, ITEM).map_or(0, |i| i.seconds))
}

/// The files in the profiles folder whose name contains `part`.
fn files_containing(dir: &Path, part: &str) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().contains(part))
        .collect()
}

/// What one killed writer acknowledged.
struct Round {
    saved: u64,
    compactions: u64,
    /// From starting the writer to its profile being open.
    startup: Duration,
}

/// Runs one writer and kills it (SIGKILL) `delay` after it has opened the profile.
fn kill_a_writer(root: &Path, phase: u64, delay: Duration, seed: u64, round: usize) -> Round {
    let phase = phase.to_string();
    let mut child = spawn_self(
        "crash::child",
        &[
            (DIR_VAR, root.as_os_str()),
            (PHASE_VAR, std::ffi::OsStr::new(&phase)),
        ],
    );
    let stdout = lines_of(child.0.stdout.take().unwrap());
    let stderr = text_of(child.0.stderr.take().unwrap());
    let started = Instant::now();
    let mut lines = Vec::new();
    loop {
        match stdout.recv_timeout(Duration::from_secs(30).saturating_sub(started.elapsed())) {
            Ok(line) if line == READY => break,
            Ok(line) => lines.push(line),
            Err(_) => {
                drop(child);
                panic!(
                    "round {round} (seed {seed}): the writer did not start:\n{}\n{}",
                    lines.join("\n"),
                    stderr.join().unwrap()
                );
            }
        }
    }
    let startup = started.elapsed();
    thread::sleep(delay);
    child.0.kill().unwrap();
    let status = child.0.wait().unwrap();
    let stderr = stderr.join().unwrap();
    {
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(
            status.signal(),
            Some(9),
            "round {round} (seed {seed}): the writer stopped by itself ({status}):\n{stderr}"
        );
    }
    let mut result = Round {
        saved: 0,
        compactions: 0,
        startup,
    };
    for line in &stdout {
        if let Some(n) = line.strip_prefix(SAVED) {
            result.saved = n.parse().unwrap();
        } else if line == COMPACTED {
            result.compactions += 1;
        }
    }
    result
}

#[test]
fn a_killed_writer_never_loses_saved_progress() {
    let seed: u64 = std::env::var(SEED_VAR)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x6b75_7273);
    let mut rng = Rng(seed);
    let tmp = tempfile::tempdir().unwrap();
    let data = DataDir {
        root: tmp.path().to_path_buf(),
    };
    // The profile exists before the first kill.
    data.open(PROFILE).unwrap().save().unwrap();
    let mut seconds = recorded_seconds(&data).unwrap();
    assert_eq!(seconds, 0);

    let start = Instant::now();
    let (mut saves, mut compactions, mut unacknowledged) = (0, 0, 0);
    let mut startup = Duration::ZERO;
    let mut checking = Duration::ZERO;
    let mut torn_lines = 0;
    for round in 0..KILLS {
        let delay = Duration::from_micros(rng.range(1_000, 30_000));
        let phase = rng.range(0, COMPACT_EVERY);
        let done = kill_a_writer(tmp.path(), phase, delay, seed, round);
        saves += done.saved;
        compactions += done.compactions;
        startup += done.startup;

        let context = format!(
            "round {round} (seed {seed}, delay {delay:?}): {} saves acknowledged after {seconds} s were recorded",
            done.saved
        );
        let check_start = Instant::now();
        let torn = journals(&data.profiles_dir())
            .last()
            .and_then(|log| std::fs::read(log).ok())
            .is_some_and(|bytes| bytes.last().is_some_and(|&b| b != b'\n'));
        torn_lines += u32::from(torn);
        let Some(now) = recorded_seconds(&data) else {
            panic!("{context}: the profile no longer loads");
        };
        assert!(
            now == seconds + done.saved || now == seconds + done.saved + 1,
            "{context}: now {now} s are recorded"
        );
        if now > seconds + done.saved {
            unacknowledged += 1;
        }
        // Opening it as a learner would: nothing is reported or kept aside.
        let mut store = data.open(PROFILE).unwrap();
        assert_eq!(store.take_notices(), Vec::<String>::new(), "{context}");
        assert_eq!(
            store.profile().item(COURSE, ITEM).map_or(0, |i| i.seconds),
            now,
            "{context}"
        );
        let aside = files_containing(&data.profiles_dir(), ".corrupt-");
        assert!(
            aside.is_empty(),
            "{context}: files were kept aside: {aside:?}"
        );
        // On a slow disk a writer may never live long enough to compact: then the parent
        // does, now and then, so that loading does not get slower with every round.
        if round % 20 == 19 {
            store.compact().unwrap();
            assert_eq!(store.take_notices(), Vec::<String>::new(), "{context}");
            assert_eq!(recorded_seconds(&data), Some(now), "{context}");
        }
        drop(store);
        seconds = now;
        checking += check_start.elapsed();
    }
    eprintln!(
        "crash test: {KILLS} kills in {:.1?} (writers took {:.1?} to start, checks {:.1?}), {saves} saves \
         acknowledged, {compactions} compactions, {unacknowledged} unacknowledged saves found \
         on disk, {torn_lines} torn last lines, {seconds} changes recorded (seed {seed})",
        start.elapsed(),
        startup,
        checking,
    );
    assert!(saves > 0, "no writer ever saved: the kills came too early");
    // Temporary snapshot files of killed writers do not pile up: the next snapshot
    // written removes them.
    data.open(PROFILE).unwrap().compact().unwrap();
    let leftovers = files_containing(&data.profiles_dir(), ".tmp-");
    assert!(
        leftovers.is_empty(),
        "temporary files of killed writers are left behind: {leftovers:?}"
    );
    assert_eq!(recorded_seconds(&data), Some(seconds));
}

/// The journal files (`<slug>.<n>.log`) in `dir`, by number.
fn journals(dir: &Path) -> Vec<PathBuf> {
    let number = |p: &PathBuf| -> u64 {
        let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
        stem.rsplit('.').next().unwrap().parse().unwrap()
    };
    let mut logs: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "log"))
        .collect();
    logs.sort_by_key(number);
    logs
}

/// A write cut off just before its line break leaves a last line that is complete JSON.
/// Whatever a reader makes of it, a later save must not take back what was shown: a
/// learner who saw a lesson marked done must not find it undone after the next save.
#[test]
fn a_line_cut_before_its_line_break_is_never_shown_then_lost() {
    let tmp = tempfile::tempdir().unwrap();
    let data = DataDir {
        root: tmp.path().to_path_buf(),
    };
    let mut store = data.open(PROFILE).unwrap();
    store.record(Change::Time {
        course: COURSE.into(),
        item: ITEM.into(),
        seconds: 1,
    });
    store.save().unwrap();
    store.record(Change::Finished {
        course: COURSE.into(),
        item: ITEM.into(),
    });
    store.save().unwrap();
    drop(store);
    let log = journals(&data.profiles_dir()).pop().unwrap();
    let mut bytes = std::fs::read(&log).unwrap();
    assert_eq!(bytes.pop(), Some(b'\n'));
    std::fs::write(&log, &bytes).unwrap();

    let finished = |data: &DataDir| {
        data.read_all().unwrap()[0]
            .item(COURSE, ITEM)
            .is_some_and(|i| i.finished.is_some())
    };
    let seen = finished(&data);
    let mut store = data.open(PROFILE).unwrap();
    assert_eq!(store.take_notices(), Vec::<String>::new());
    assert_eq!(
        store
            .profile()
            .item(COURSE, ITEM)
            .unwrap()
            .finished
            .is_some(),
        seen,
        "the reader and the writer agree"
    );
    store.record(Change::Time {
        course: COURSE.into(),
        item: ITEM.into(),
        seconds: 1,
    });
    store.save().unwrap();
    drop(store);
    assert_eq!(
        finished(&data),
        seen,
        "what was shown after the crash is what is kept after the next save"
    );
    let seconds = recorded_seconds(&data).unwrap();
    assert_eq!(seconds, 2, "the complete lines before and after are kept");
}
