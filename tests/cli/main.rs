//! Command-line integration tests: one test binary, one module per command.
//!
//! Every test runs the real `kurs` binary from the repository root, so paths in its
//! output are relative (`tests/fixtures/…`) and snapshots do not depend on the machine.

// Tests stop loudly: unwrapping and indexing are the point here (clippy.toml allows them
// in unit tests, but this file is a crate of its own).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod concurrency;
#[cfg(unix)]
mod crash;
#[path = "../common/env.rs"]
mod env;
mod hostile;
mod hostile_output;
mod portability;
mod progress;
mod runner;
mod validate;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;

/// The repository root (where `Cargo.toml` is).
fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture folder, relative to the repository root: `fixture("invalid/no-modules")`.
fn fixture(rel: &str) -> PathBuf {
    Path::new("tests").join("fixtures").join(rel)
}

/// A `kurs` command run from the repository root, in a predictable environment: none of
/// the caller's kurs settings, locale or colour choices; English; no colours.
fn kurs() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kurs"));
    cmd.current_dir(repo_root());
    env::clean(&mut cmd)
        .env("NO_COLOR", "1")
        .env("LANG", "C.UTF-8");
    cmd
}

/// What a finished run of `kurs` left behind.
#[derive(Debug)]
struct Run {
    /// The exit status (`None` when killed by a signal).
    code: Option<i32>,
    /// Standard output, lossily decoded.
    stdout: String,
    /// Standard error, lossily decoded, with `\` turned into `/` so paths read the same
    /// on every platform.
    stderr: String,
}

impl Run {
    /// Fails the test when the output shows a panic or a backtrace: kurs must never show
    /// a learner or a trainer a stack trace.
    fn assert_no_panic(&self) {
        for text in [&self.stdout, &self.stderr] {
            for needle in ["panicked", "RUST_BACKTRACE", "stack backtrace"] {
                assert!(
                    !text.contains(needle),
                    "output shows a panic ({needle}):\n{self:#?}"
                );
            }
        }
    }
}

/// Runs `cmd` to the end and collects its output.
fn run(cmd: &mut Command) -> Run {
    let output = cmd.output().expect("the kurs binary runs");
    Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).replace('\\', "/"),
    }
}

/// Runs `kurs` with `args` (see [`kurs`]).
fn kurs_run<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    run(kurs().args(args))
}

/// Copies folder `from` into `to` (created), recursively, so a test can change a fixture
/// without touching the repository.
#[cfg_attr(not(unix), allow(dead_code))] // only the symlink fixture needs it so far
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A child process that is killed and reaped when it goes out of scope, so a failing test
/// leaves nothing running.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Runs this test binary again, as its (ignored) test `name` only, with `envs` added: how
/// the crash and concurrency tests get writer processes that use the library directly.
/// Standard output and error are piped.
fn spawn_self(name: &str, envs: &[(&str, &std::ffi::OsStr)]) -> Killed {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args([
        "--exact",
        name,
        "--ignored",
        "--nocapture",
        "--test-threads=1",
    ])
    .env_remove("RUST_BACKTRACE")
    .stdin(Stdio::null())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    for (key, value) in envs {
        cmd.env(key, value);
    }
    Killed(cmd.spawn().unwrap())
}

/// Sends every complete line of `stream` (without its line break) to the returned
/// channel, from a thread of its own. A last line cut off before its line break is not
/// sent: a writer killed while printing never acknowledged it.
fn lines_of(stream: impl std::io::Read + Send + 'static) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        while let Ok(n) = reader.read_line(&mut line) {
            if n == 0 || !line.ends_with('\n') || tx.send(line.trim_end().to_owned()).is_err() {
                break;
            }
            line.clear();
        }
    });
    rx
}

/// Reads all of `stream` into a string, from a thread of its own.
fn text_of(stream: impl std::io::Read + Send + 'static) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut text = String::new();
        let _ = std::io::Read::read_to_string(&mut BufReader::new(stream), &mut text);
        text
    })
}
