//! Whole flows through `App::update`, checked against what is recorded.

use std::fmt::Write as _;

use kurs::progress::store::DataDir;
use kurs::progress::{AttemptResult, Change, Status};
use kurs::tui::app::Screen;
use kurs::tui::keys::Action::{self, Back, Down, End, Enter, Hint, Next, Quit, Retry};

use crate::{app, app_with, draw, press, type_text};

fn status(app: &kurs::tui::app::App, module: usize, item: usize) -> Status {
    let course = app.library.course("everything").unwrap();
    let m = &course.modules[module];
    app.session
        .store
        .profile()
        .status("everything", m, &m.items[item])
}

#[test]
fn read_a_lesson_take_the_quiz_get_it_wrong_use_a_hint_and_retry() {
    let mut app = app();
    draw(&mut app, 80, 24);
    // Open the course and the suggested first lesson.
    press(&mut app, &[Enter, Enter]);
    assert!(matches!(app.screen, Screen::Lesson(_)));
    assert_eq!(status(&app, 0, 0), Status::InProgress);
    // Read to the end and move on: the lesson is finished, the quiz opens.
    press(&mut app, &[End, Next]);
    assert_eq!(status(&app, 0, 0), Status::Done);
    assert!(matches!(app.screen, Screen::Quiz(_)));
    // Question 1 (single): a hint, then a wrong answer.
    press(&mut app, &[Hint]);
    assert!(draw(&mut app, 80, 24).contains("Hint 1 of 2"));
    press(&mut app, &[Enter]);
    assert!(draw(&mut app, 80, 24).contains("Not quite"));
    press(&mut app, &[Enter]);
    // The rest, quickly and mostly wrong.
    for _ in 0..6 {
        let screen = draw(&mut app, 80, 24);
        if screen.contains("short answer") || screen.contains("· number") {
            type_text(&mut app, "1");
        } else if screen.contains("match the pairs") {
            press(
                &mut app,
                &[Action::Right, Down, Action::Right, Down, Action::Right],
            );
        }
        press(&mut app, &[Enter, Enter]);
    }
    assert!(matches!(app.screen, Screen::Results(_)));
    let screen = draw(&mut app, 80, 24);
    assert!(screen.contains("Not passed yet."), "{screen}");
    // The attempt is recorded with every answer and the hint.
    let record = app
        .session
        .store
        .profile()
        .item("everything", "basics/check")
        .unwrap();
    assert_eq!(record.attempts.len(), 1);
    let attempt = &record.attempts[0];
    assert_eq!(attempt.answers.len(), 7);
    assert_eq!(attempt.answers[0].hints, 1);
    assert!(!attempt.result.unwrap().passed);
    assert_eq!(status(&app, 0, 1), Status::InProgress);
    // Retry: a second attempt starts.
    press(&mut app, &[Retry]);
    assert!(matches!(app.screen, Screen::Quiz(_)));
    let record = app
        .session
        .store
        .profile()
        .item("everything", "basics/check")
        .unwrap();
    assert_eq!(record.attempts.len(), 2);
}

#[test]
fn a_lesson_left_before_its_end_is_not_finished() {
    let mut app = app();
    draw(&mut app, 80, 24);
    press(&mut app, &[Enter, Enter, Next]);
    assert_eq!(status(&app, 0, 0), Status::InProgress);
}

#[test]
fn the_reading_position_is_kept() {
    let mut app = app();
    draw(&mut app, 80, 24);
    press(&mut app, &[Enter, Enter, Down, Down, Down, Down, Back]);
    let position = app
        .session
        .store
        .profile()
        .item("everything", "basics/welcome")
        .unwrap()
        .position;
    assert!(position > 0.0 && position < 1.0, "{position}");
    press(&mut app, &[Enter]);
    let Screen::Lesson(lesson) = &app.screen else {
        panic!("lesson")
    };
    assert_eq!(lesson.scroll, 4);
}

#[test]
fn an_unfinished_attempt_is_continued() {
    let tmp = tempfile::tempdir().unwrap();
    let data = DataDir {
        root: tmp.path().to_path_buf(),
    };
    {
        let mut app = app_with(data.open("Ada").unwrap(), Some(data.clone()));
        draw(&mut app, 80, 24);
        press(&mut app, &[Enter, Down, Enter, Enter, Enter, Down]);
        assert!(draw(&mut app, 80, 24).contains("Question 2 of 7"));
        // Quit asks first; Enter confirms.
        press(&mut app, &[Quit, Enter]);
        assert!(app.quit);
        app.shutdown();
    }
    let mut app = app_with(data.open("Ada").unwrap(), Some(data));
    let screen = draw(&mut app, 80, 24);
    assert!(screen.contains("Continue where you left off"), "{screen}");
    press(&mut app, &[Enter]);
    assert!(
        draw(&mut app, 80, 24).contains("Question 2 of 7"),
        "resumes at the first unanswered question"
    );
}

#[test]
fn locked_modules_open_when_the_one_before_is_done() {
    let mut app = app();
    draw(&mut app, 80, 24);
    press(&mut app, &[Enter, End, Enter]);
    assert!(
        matches!(app.screen, Screen::Course(_)),
        "a locked item does not open"
    );
    assert!(
        draw(&mut app, 80, 24).contains("locked"),
        "and the learner is told"
    );
    // Finish the lesson and pass both quizzes (recorded as the player would).
    let pass = |item: &str, attempt: &str| {
        [
            Change::AttemptStarted {
                course: "everything".into(),
                item: item.into(),
                attempt: attempt.into(),
                seed: 1,
            },
            Change::AttemptEnded {
                course: "everything".into(),
                item: item.into(),
                attempt: attempt.into(),
                result: AttemptResult {
                    points: 2.0,
                    max: 2.0,
                    passed: true,
                    last: false,
                },
            },
        ]
    };
    app.session.record(Change::Finished {
        course: "everything".into(),
        item: "basics/welcome".into(),
    });
    for change in pass("basics/check", "a")
        .into_iter()
        .chain(pass("basics/exam", "b"))
    {
        app.session.record(change);
    }
    press(&mut app, &[Back, Enter]);
    let screen = draw(&mut app, 80, 24);
    assert!(!screen.contains("opens after"), "{screen}");
    press(&mut app, &[End, Enter]);
    assert!(
        matches!(app.screen, Screen::Lesson(_)),
        "the next module's lesson opens"
    );
}

#[test]
fn escape_always_leads_back_and_out() {
    let mut app = app();
    draw(&mut app, 80, 24);
    press(&mut app, &[Enter, Enter]);
    press(&mut app, &[Back]);
    assert!(matches!(app.screen, Screen::Course(_)));
    press(&mut app, &[Back]);
    assert!(matches!(app.screen, Screen::Catalogue(_)));
    press(&mut app, &[Back]);
    assert!(app.quit);
}

/// An app at 80×24 with the one lesson, `paragraphs` paragraphs long, of a course in a
/// temporary folder (returned too: the course lives as long as it) open.
fn open_long_lesson(paragraphs: usize) -> (tempfile::TempDir, kurs::tui::app::App) {
    use kurs::course::{Library, Root};
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let module = dir.join("big/01-only");
    std::fs::create_dir_all(&module).unwrap();
    std::fs::write(dir.join("big/course.toml"), "title = \"Big\"\n").unwrap();
    let mut text = String::from("# Big\n\n");
    for i in 0..paragraphs {
        let _ = write!(
            text,
            "Paragraph {i}, with enough words to wrap over two lines of a narrow terminal, as lessons do.\n\n"
        );
    }
    std::fs::write(module.join("01-lesson.md"), text).unwrap();
    let library = Library::load(&[Root::Dir(dir.to_path_buf())]);
    let mut app = crate::app_on(library, kurs::progress::store::Store::memory("Ada"), None);
    app.resize(80, 24);
    press(&mut app, &[Enter, Enter]);
    assert!(
        matches!(app.screen, Screen::Lesson(_)),
        "the lesson is open"
    );
    (tmp, app)
}

#[test]
fn a_large_lesson_opens_on_its_first_screen_and_the_rest_follows_when_idle() {
    // About 400 KB: over the size from which lessons open on their first screen.
    let (_dir, mut app) = open_long_lesson(4000);
    assert!(app.busy(), "only the first screen is laid out");
    let Screen::Lesson(lesson) = &app.screen else {
        panic!("the lesson is open")
    };
    let first: Vec<_> = lesson.lines().to_vec();
    assert!(first.len() < 100, "{} lines", first.len());
    assert!(
        !lesson.reached_end,
        "the end is not reached before it is known"
    );
    let screen = draw(&mut app, 80, 24);
    assert!(screen.contains("Paragraph 0,"), "{screen}");
    assert!(screen.contains("0 %"), "{screen}");
    app.idle();
    assert!(!app.busy());
    let Screen::Lesson(lesson) = &app.screen else {
        panic!("the lesson is open")
    };
    let all = lesson.lines().to_vec();
    assert!(all.len() > 8000, "{} lines", all.len());
    assert_eq!(
        &all[..first.len()],
        &first[..],
        "the first screen stays as it was"
    );
    assert!(
        all.last().unwrap().plain().contains("End of the lesson"),
        "{:?}",
        all.last()
    );
    assert!(draw(&mut app, 80, 24).contains("Paragraph 0,"));
}

#[test]
fn a_key_pressed_before_a_large_lesson_is_laid_out_acts_on_all_of_it() {
    let (_dir, mut app) = open_long_lesson(4000);
    assert!(app.busy());
    app.update(End);
    assert!(!app.busy(), "a key completes the layout first");
    let Screen::Lesson(lesson) = &app.screen else {
        panic!("the lesson is open")
    };
    assert!(lesson.reached_end);
    assert_eq!(lesson.percent(), 100);
    assert!(draw(&mut app, 80, 24).contains("Paragraph 3999,"));
}

#[test]
fn small_lessons_are_laid_out_at_once() {
    let (_dir, app) = open_long_lesson(100);
    assert!(!app.busy());
}
