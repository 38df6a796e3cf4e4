//! Snapshots of every screen and overlay.

use kurs::progress::store::DataDir;
use kurs::tui::keys::Action::{
    self, Back, Down, End, Enter, Help, Hint, Left, Next, Quit, Right, Space, Up,
};

use crate::{app, app_with, draw, press, snap, type_text};

/// Opens the course "everything" and its item number `n` (0-based, in order).
fn open_item(app: &mut kurs::tui::app::App, n: usize) {
    press(app, &[Enter]);
    // The course screen selects the suggested item (the first): move from there.
    press(app, &[Action::Home]);
    for _ in 0..n {
        press(app, &[Down]);
    }
    press(app, &[Enter]);
}

#[test]
fn catalogue() {
    let mut app = app();
    snap!(&mut app, "catalogue");
    press(&mut app, &[Help]);
    snap!(&mut app, "catalogue_help");
}

#[test]
fn a_course_that_failed_to_load() {
    let mut app = app();
    press(&mut app, &[Down, Enter]);
    snap!(&mut app, "failed_course");
}

#[test]
fn course_with_a_locked_module() {
    let mut app = app();
    press(&mut app, &[Enter]);
    snap!(&mut app, "course");
    press(&mut app, &[End, Enter]);
    snap!(&mut app, "course_locked_message");
}

#[test]
fn lesson_reader() {
    let mut app = app();
    open_item(&mut app, 0);
    snap!(&mut app, "lesson_top");
    press(&mut app, &[End]);
    snap!(&mut app, "lesson_end");
    press(&mut app, &[Help]);
    snap!(&mut app, "lesson_help");
}

/// Opens the every-type quiz at question `n` (0-based), answering the ones before.
fn quiz_at(n: usize) -> kurs::tui::app::App {
    let mut app = app();
    open_item(&mut app, 1);
    for _ in 0..n {
        answer_current(&mut app);
        press(&mut app, &[Enter]);
    }
    app
}

/// Gives some answer to the current question (typing where needed).
fn answer_current(app: &mut kurs::tui::app::App) {
    let text = draw(app, 80, 24);
    if text.contains("short answer") {
        type_text(app, "multi-factor authentication");
    } else if text.contains("· number") {
        type_text(app, "72,0");
    } else if text.contains("match the pairs") {
        press(app, &[Right, Down, Right, Right, Down, Right, Right, Right]);
    }
    press(app, &[Enter]);
}

#[test]
fn quiz_single_choice() {
    let mut app = quiz_at(0);
    snap!(&mut app, "quiz_single_before");
    press(&mut app, &[Hint, Hint]);
    snap!(&mut app, "quiz_single_hints");
    press(&mut app, &[Enter]);
    snap!(&mut app, "quiz_single_after");
}

#[test]
fn quiz_multiple_choice() {
    let mut app = quiz_at(1);
    press(&mut app, &[Space, Down, Space]);
    snap!(&mut app, "quiz_multiple_before");
    press(&mut app, &[Enter]);
    snap!(&mut app, "quiz_multiple_after");
}

#[test]
fn quiz_true_false() {
    let mut app = quiz_at(2);
    press(&mut app, &[Down]);
    snap!(&mut app, "quiz_true_false_before");
    press(&mut app, &[Enter]);
    snap!(&mut app, "quiz_true_false_after");
}

#[test]
fn quiz_short_answer() {
    let mut app = quiz_at(3);
    press(&mut app, &[Enter]);
    snap!(&mut app, "quiz_short_empty");
    type_text(&mut app, "Multi-factor  Authentication");
    press(&mut app, &[Hint]);
    snap!(&mut app, "quiz_short_before");
    press(&mut app, &[Enter]);
    snap!(&mut app, "quiz_short_after");
}

#[test]
fn quiz_number() {
    let mut app = quiz_at(4);
    type_text(&mut app, "seventy");
    press(&mut app, &[Enter]);
    snap!(&mut app, "quiz_number_not_a_number");
    for _ in 0..7 {
        press(&mut app, &[Action::Backspace]);
    }
    type_text(&mut app, "72,0");
    snap!(&mut app, "quiz_number_before");
    press(&mut app, &[Enter]);
    snap!(&mut app, "quiz_number_after");
}

#[test]
fn quiz_order() {
    let mut app = quiz_at(5);
    snap!(&mut app, "quiz_order_before");
    press(&mut app, &[Space, Down]);
    snap!(&mut app, "quiz_order_carrying");
    press(&mut app, &[Space, Enter]);
    snap!(&mut app, "quiz_order_after");
}

#[test]
fn quiz_match() {
    let mut app = quiz_at(6);
    snap!(&mut app, "quiz_match_before");
    press(&mut app, &[Enter]);
    snap!(&mut app, "quiz_match_unpaired");
    press(&mut app, &[Right, Down, Right, Right, Down, Left]);
    snap!(&mut app, "quiz_match_paired");
    press(&mut app, &[Enter]);
    snap!(&mut app, "quiz_match_after");
}

#[test]
fn leaving_a_quiz_asks_first() {
    let mut app = quiz_at(1);
    press(&mut app, &[Back]);
    snap!(&mut app, "quiz_leave");
    press(&mut app, &[Back]);
    assert!(
        !draw(&mut app, 80, 24).contains("Leave the quiz?"),
        "Esc stays in the quiz"
    );
    press(&mut app, &[Quit]);
    assert!(
        draw(&mut app, 80, 24).contains("Leave the quiz?"),
        "Ctrl+C asks too"
    );
}

#[test]
fn results_after_the_every_type_quiz() {
    let mut app = quiz_at(7);
    snap!(&mut app, "results");
    press(&mut app, &[Help]);
    snap!(&mut app, "results_help");
}

#[test]
fn exam_results_hide_answers_until_passed() {
    let mut app = app();
    open_item(&mut app, 2);
    snap!(&mut app, "exam_question");
    press(&mut app, &[Down, Enter]);
    type_text(&mut app, "3");
    press(&mut app, &[Enter]);
    snap!(&mut app, "exam_results_hidden");
}

#[test]
fn too_small_a_terminal_asks_to_enlarge() {
    let mut app = app();
    insta::assert_snapshot!("enlarge_59x15", draw(&mut app, 59, 15));
    insta::assert_snapshot!("enlarge_20x5", draw(&mut app, 20, 5));
    insta::assert_snapshot!("enlarge_1x1", draw(&mut app, 1, 1));
}

#[test]
fn profile_picker() {
    let tmp = tempfile::tempdir().unwrap();
    let data = DataDir {
        root: tmp.path().to_path_buf(),
    };
    drop(data.open("Ben").unwrap());
    let store = data.open("Ada").unwrap();
    let mut app = app_with(store, Some(data));
    press(&mut app, &[Action::Prev]);
    snap!(&mut app, "picker");
    press(&mut app, &[Down, Down, Enter]);
    type_text(&mut app, "Chloé");
    snap!(&mut app, "picker_new_name");
    press(&mut app, &[Enter]);
    assert_eq!(app.session.store.profile().name, "Chloé");
    let _ = (Up, Next, Left);
}
