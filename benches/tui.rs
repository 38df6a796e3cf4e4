//! The lesson reader with a very large lesson (about 5 MB, generated).
//!
//! Budgets: drawing one frame of the lesson scrolled to the middle at 120×40 takes at
//! most 1 ms — independent of the lesson's length, because only visible lines are drawn
//! and wrapping is cached per width — and opening it (from the course screen to the
//! first frame: read, parse, lay out the first screen, draw) at most 50 ms. The rest of
//! such a large lesson is laid out in the loop's next idle moment: `complete_layout`
//! measures that, for information (it is how long a key pressed at once may wait).
//! And: a learner action that saves, plus the next frame, while another process holds the
//! profile's lock, takes at most 1 ms (the save goes to the writer thread).
//!
//! Run with `cargo bench --bench tui`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

mod common;

use std::sync::LazyLock;

use divan::Bencher;
use kurs::course::{Library, Root};
use kurs::i18n::{Lang, Strings};
use kurs::progress::store::Store;
use kurs::tui::app::{App, Screen};
use kurs::tui::keys::Action;
use kurs::tui::theme::{Symbols, Theme};
use kurs::tui::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const BYTES: usize = 5 * 1024 * 1024;
const SIZE: (u16, u16) = (120, 40);

/// A course folder with one module holding the big lesson.
static LIBRARY: LazyLock<(tempfile::TempDir, Library)> = LazyLock::new(|| {
    let dir = tempfile::tempdir().unwrap();
    let module = dir.path().join("big").join("01-only");
    std::fs::create_dir_all(&module).unwrap();
    std::fs::write(dir.path().join("big/course.toml"), "title = \"Big\"\n").unwrap();
    std::fs::write(module.join("01-lesson.md"), common::big_lesson(BYTES)).unwrap();
    let library = Library::load(&[Root::Dir(dir.path().to_path_buf())]);
    (dir, library)
});

fn main() {
    LazyLock::force(&LIBRARY);
    divan::main();
}

/// An app on the course screen of the big course.
fn course_screen() -> App {
    let library = LIBRARY.1.clone();
    let mut app = App::new(
        library,
        Store::memory("Bench"),
        None,
        Strings::new(Lang::En),
        Theme::dark(),
        Symbols::UNICODE,
        false,
    );
    app.resize(SIZE.0, SIZE.1);
    app.update(Action::Enter);
    assert!(matches!(app.screen, Screen::Course(_)));
    app
}

fn terminal() -> Terminal<TestBackend> {
    Terminal::new(TestBackend::new(SIZE.0, SIZE.1)).unwrap()
}

/// One frame of the lesson scrolled to the middle.
#[divan::bench(sample_count = 100)]
fn frame_middle_120x40(bencher: Bencher) {
    let mut app = course_screen();
    app.update(Action::Enter);
    app.resize(SIZE.0, SIZE.1);
    let Screen::Lesson(lesson) = &mut app.screen else {
        panic!("the lesson is open")
    };
    lesson.complete_layout();
    lesson.scroll = lesson.lines().len() / 2;
    let mut terminal = terminal();
    bencher.bench_local(|| {
        terminal.draw(|frame| view::draw(&app, frame)).unwrap();
    });
}

/// From the course screen to the first frame of the lesson.
#[divan::bench(sample_count = 10)]
fn open_to_first_frame_120x40(bencher: Bencher) {
    bencher
        .with_inputs(|| (course_screen(), terminal()))
        .bench_local_values(|(mut app, mut terminal)| {
            app.update(Action::Enter);
            app.resize(SIZE.0, SIZE.1);
            terminal.draw(|frame| view::draw(&app, frame)).unwrap();
            app
        });
}

/// For information: laying out the rest of the lesson after the first frame.
#[divan::bench(sample_count = 10)]
fn complete_layout(bencher: Bencher) {
    bencher
        .with_inputs(|| {
            let mut app = course_screen();
            app.update(Action::Enter);
            app.resize(SIZE.0, SIZE.1);
            assert!(app.busy(), "a large lesson opens on its first screen");
            app
        })
        .bench_local_values(|mut app| {
            app.idle();
            app
        });
}

/// Holds a profile's lock from another process (`flock(1)`, the same kind of lock kurs
/// takes) until dropped.
struct LockHolder(std::process::Child);

impl LockHolder {
    fn hold(lock: &std::path::Path) -> Self {
        let child = std::process::Command::new("flock")
            .arg(lock)
            .args(["sleep", "600"])
            .spawn()
            .expect("flock(1) from util-linux");
        // Until the other process has the lock, the bench would measure nothing.
        let file = std::fs::OpenOptions::new().write(true).open(lock).unwrap();
        while file.try_lock().is_ok() {
            file.unlock().unwrap();
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        Self(child)
    }
}

impl Drop for LockHolder {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Budget ≤ 1 ms: a learner action that saves (here, switching the colour theme) and the
/// frame after it, while another kurs holds the profile's lock. The save is handed to the
/// writer thread, so the screen never waits for the lock (it used to stop for up to 5 s).
#[divan::bench(sample_count = 200)]
fn save_and_frame_while_another_kurs_holds_the_lock(bencher: Bencher) {
    let data_dir = tempfile::tempdir().unwrap();
    let data = kurs::progress::store::DataDir {
        root: data_dir.path().to_path_buf(),
    };
    let store = data.open("Bench").unwrap().in_background(&data);
    let lock = data
        .profiles_dir()
        .join(format!("{}.lock", kurs::progress::store::slug("Bench")));
    let _holder = LockHolder::hold(&lock);
    let mut app = App::new(
        LIBRARY.1.clone(),
        store,
        Some(data.clone()),
        Strings::new(Lang::En),
        Theme::dark(),
        Symbols::UNICODE,
        false,
    );
    app.resize(SIZE.0, SIZE.1);
    let mut terminal = terminal();
    bencher.bench_local(|| {
        app.update(Action::Theme);
        app.session.store.poll();
        terminal.draw(|frame| view::draw(&app, frame)).unwrap();
    });
    assert!(
        app.session.store.unsaved_count() > 0,
        "the lock was held throughout: the saves are still waiting"
    );
}
