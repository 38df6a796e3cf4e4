//! The course runner on hostile content and at every terminal size: no panic, no
//! control character in any cell.

use kurs::course::{Library, Root};
use kurs::progress::store::Store;
use kurs::tui::app::{App, Screen};
use kurs::tui::keys::Action::{self, Down, End, Enter, Next, Space};
use kurs::tui::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

#[path = "../common/pathological.rs"]
mod pathological;

const SIZES: [(u16, u16); 6] = [(1, 1), (2, 40), (20, 5), (59, 15), (80, 24), (1000, 1000)];

/// Draws the app at `w`×`h` and checks every cell.
fn check(app: &mut App, w: u16, h: u16) {
    app.resize(w, h);
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|frame| view::draw(app, frame)).unwrap();
    for cell in terminal.backend().buffer().content() {
        assert!(
            !cell.symbol().chars().any(kurs::text::is_forbidden_control),
            "a control character {:?} on screen at {w}x{h}",
            cell.symbol()
        );
    }
}

fn app_on(dir: &std::path::Path) -> App {
    let library = Library::load(&[Root::Dir(dir.to_path_buf())]);
    crate::app_on(library, Store::memory("Ada"), None)
}

fn check_everywhere(app: &mut App) {
    for (w, h) in SIZES {
        check(app, w, h);
    }
    check(app, 80, 24);
}

#[test]
fn escape_sequences_never_reach_the_screen() {
    let mut app = app_on(std::path::Path::new("tests/fixtures/hostile/escapes"));
    check_everywhere(&mut app);
    // The course, the lesson (top and end), every quiz question and the results.
    for actions in [
        vec![Enter],
        vec![Enter],
        vec![End],
        vec![Action::Help],
        vec![Action::Back, Next],
    ] {
        for action in actions {
            app.update(action);
            check_everywhere(&mut app);
        }
    }
    assert!(
        matches!(app.screen, Screen::Quiz(_)),
        "{}",
        crate::draw(&mut app, 80, 24)
    );
    for step in [
        vec![Action::Hint, Enter],
        vec![Enter],
        vec![Space, Enter],
        vec![Enter],
        vec![Action::Right, Down, Action::Right, Enter],
        vec![Enter],
    ] {
        for action in step {
            app.update(action);
            check_everywhere(&mut app);
        }
    }
    for c in "answer".chars() {
        app.update(Action::Char(c));
    }
    app.update(Enter);
    check_everywhere(&mut app);
    app.update(Enter);
    check_everywhere(&mut app);
}

#[test]
fn pathological_lessons_at_every_size() {
    let tmp = tempfile::tempdir().unwrap();
    pathological::write_pack(tmp.path());
    let mut app = app_on(tmp.path());
    app.update(Enter);
    app.update(Enter);
    for _ in pathological::lessons() {
        assert!(matches!(app.screen, Screen::Lesson(_)), "a lesson is open");
        for (w, h) in [(1, 1), (20, 5), (80, 24), (300, 100)] {
            check(&mut app, w, h);
        }
        app.update(End);
        check(&mut app, 80, 24);
        app.update(Next);
    }
}

#[test]
fn a_missing_course_folder_is_named_in_the_catalogue() {
    let library = Library::load(&[
        Root::Dir("tests/fixtures/usb-stick-that-is-gone".into()),
        Root::Dir("tests/fixtures/valid".into()),
    ]);
    assert_eq!(library.courses.len(), 1, "the good folder's course loads");
    let mut app = crate::app_on(library, Store::memory("Ada"), None);
    app.resize(80, 24);
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal.draw(|frame| view::draw(&app, frame)).unwrap();
    let screen: String = terminal
        .backend()
        .buffer()
        .content()
        .iter()
        .map(ratatui::buffer::Cell::symbol)
        .collect();
    assert!(screen.contains("A complete course pack"), "{screen}");
    assert!(
        screen.contains("Course folder not available: tests/fixtures/usb-stick-that-is-gone"),
        "{screen}"
    );
}
