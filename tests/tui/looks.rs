//! The same screens in German and in every theme, and the mouse.
//!
//! Text snapshots do not show colour, so the theme snapshots add a style map: every
//! distinct style on screen gets a letter, the grid shows which cell has which, and a
//! legend names the styles.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use kurs::i18n::{Lang, Strings};
use kurs::progress::store::Store;
use kurs::tui::app::{App, Screen};
use kurs::tui::keys::Action::{self, Down, Enter};
use kurs::tui::theme::{Symbols, Theme};
use kurs::tui::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::{draw, library, press, snap};

fn app_in(lang: Lang, theme: Theme) -> App {
    let mut app = App::new(
        library(),
        Store::memory("Ada"),
        None,
        Strings::new(lang),
        theme,
        Symbols::UNICODE,
        false,
    );
    app.session.fixed_attempts = Some(0);
    app
}

/// The screen with a map of its styles.
fn styled(app: &mut App) -> String {
    app.resize(80, 24);
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal.draw(|frame| view::draw(app, frame)).unwrap();
    let buffer = terminal.backend().buffer().clone();
    let mut letters: BTreeMap<String, char> = BTreeMap::new();
    let mut grid = String::new();
    for y in 0..buffer.area.height {
        for x in 0..buffer.area.width {
            let cell = &buffer[(x, y)];
            let key = format!("fg {:?} bg {:?} {:?}", cell.fg, cell.bg, cell.modifier);
            let next = char::from(b'a' + u8::try_from(letters.len() % 26).unwrap());
            grid.push(*letters.entry(key).or_insert(next));
        }
        grid.push('\n');
    }
    let mut legend = String::new();
    for (style, letter) in &letters {
        let _ = writeln!(legend, "{letter}: {style}");
    }
    format!("{}\n{grid}\n{legend}", terminal.backend())
}

fn screens(app: &mut App) -> [String; 3] {
    let catalogue = styled(app);
    press(app, &[Enter, Enter]);
    let lesson = styled(app);
    press(app, &[Action::Back, Down, Enter]);
    assert!(matches!(app.screen, Screen::Quiz(_)));
    let quiz = styled(app);
    [catalogue, lesson, quiz]
}

#[test]
fn every_theme() {
    for theme in Theme::NAMES {
        let mut app = app_in(Lang::En, Theme::by_name(theme).unwrap());
        let [catalogue, lesson, quiz] = screens(&mut app);
        insta::assert_snapshot!(format!("theme_{theme}_catalogue"), catalogue);
        insta::assert_snapshot!(format!("theme_{theme}_lesson"), lesson);
        insta::assert_snapshot!(format!("theme_{theme}_quiz"), quiz);
    }
}

#[test]
fn in_german() {
    let mut app = app_in(Lang::De, Theme::dark());
    snap!(&mut app, "de_catalogue");
    press(&mut app, &[Action::Help]);
    snap!(&mut app, "de_catalogue_help");
    press(&mut app, &[Action::Back, Enter]);
    snap!(&mut app, "de_course");
    press(&mut app, &[Enter]);
    snap!(&mut app, "de_lesson");
    press(&mut app, &[Action::Back, Down, Enter]);
    snap!(&mut app, "de_quiz_single");
    press(&mut app, &[Enter]);
    snap!(&mut app, "de_quiz_feedback");
}

#[test]
fn settings_switch_and_are_saved_for_the_learner() {
    let mut app = app_in(Lang::En, Theme::dark());
    draw(&mut app, 80, 24);
    press(&mut app, &[Action::Theme]);
    assert_eq!(app.theme.name, "light");
    assert!(draw(&mut app, 80, 24).contains("Colours: light"));
    press(&mut app, &[Action::Language]);
    assert_eq!(app.strings.lang(), Lang::De);
    assert!(draw(&mut app, 80, 24).contains("Sprache: Deutsch"));
    press(&mut app, &[Action::Width]);
    assert_eq!(app.reading, 120);
    press(&mut app, &[Action::Width]);
    assert_eq!(app.reading, 60);
    let settings = &app.session.store.profile().settings;
    assert_eq!(settings.theme.as_deref(), Some("light"));
    assert_eq!(settings.language.as_deref(), Some("de"));
    assert_eq!(settings.width, Some(60));
    // The narrow width applies to lessons.
    press(&mut app, &[Enter, Enter]);
    draw(&mut app, 120, 40);
    let Screen::Lesson(lesson) = &app.screen else {
        panic!("lesson")
    };
    let widest = lesson
        .lines()
        .iter()
        .map(kurs::markdown::LineRef::width)
        .max()
        .unwrap_or(0);
    assert!(
        widest <= 60 && widest > 40,
        "lines are at most 60 columns: {widest}"
    );
}

#[test]
fn the_mouse_selects_opens_and_presses_buttons() {
    let mut app = app_in(Lang::En, Theme::dark());
    draw(&mut app, 80, 24);
    // The second catalogue entry (the broken course) starts at line 5 (1 + 4 lines).
    press(&mut app, &[Action::Click(10, 5)]);
    let Screen::Catalogue(catalogue) = &app.screen else {
        panic!("catalogue")
    };
    assert_eq!(catalogue.selected, 1, "a click selects");
    press(&mut app, &[Action::Click(10, 1)]);
    press(&mut app, &[Action::Click(10, 1)]);
    assert!(
        matches!(app.screen, Screen::Course(_)),
        "a second click opens"
    );
    // The key bar is a row of buttons: " ↑↓ choose  Enter open  q back …"
    let bar = draw(&mut app, 80, 24)
        .lines()
        .last()
        .unwrap_or_default()
        .to_owned();
    let enter = bar.find("Enter").unwrap();
    let column = u16::try_from(bar[..enter].chars().count()).unwrap();
    press(&mut app, &[Action::Click(column + 1, 23)]);
    assert!(
        matches!(app.screen, Screen::Lesson(_)),
        "clicking \"Enter open\" opens: {bar}"
    );
    press(&mut app, &[Action::ScrollDown]);
    let Screen::Lesson(lesson) = &app.screen else {
        panic!("lesson")
    };
    assert_eq!(lesson.scroll, 3, "the wheel scrolls");
}

#[test]
fn every_size_from_60x16_to_300x100_lays_out() {
    let mut app = app_in(Lang::De, Theme::dark());
    for (w, h) in [(60, 16), (61, 17), (80, 24), (132, 43), (300, 100)] {
        for keys in [
            vec![],
            vec![Enter],
            vec![Enter],
            vec![Action::Back, Down, Enter],
            vec![Enter],
            vec![Action::Back, Enter],
        ] {
            press(&mut app, &keys);
            let screen = draw(&mut app, w, h);
            assert!(
                !screen.contains("enlarge") && !screen.contains("vergrößern"),
                "{w}x{h}"
            );
            let bar = screen.lines().last().unwrap_or_default();
            assert!(
                bar.contains("Hilfe"),
                "the help key is always in the bar at {w}x{h}: {bar}"
            );
        }
        app = app_in(Lang::De, Theme::dark());
    }
}

/// The courses in the interface language come first; the others follow under "Other
/// languages" ("Andere Sprachen"), and switching the language reorders them.
#[test]
fn courses_in_the_interface_language_come_first() {
    use kurs::course::{Library, Root};
    let library = Library::load(&[Root::Embedded]);
    let position = |screen: &str, text: &str| {
        screen
            .find(text)
            .unwrap_or_else(|| panic!("{text:?} is on screen:\n{screen}"))
    };
    let on_the_library = |lang| {
        App::new(
            library.clone(),
            Store::memory("Ada"),
            None,
            Strings::new(lang),
            Theme::dark(),
            Symbols::UNICODE,
            false,
        )
    };
    let mut app = on_the_library(Lang::De);
    let german = draw(&mut app, 100, 60);
    assert!(
        position(&german, "Einstieg in kurs") < position(&german, "Andere Sprachen")
            && position(&german, "Andere Sprachen")
                < position(&german, "Getting started with kurs"),
        "{german}"
    );
    // Enter opens the first course: the German one.
    press(&mut app, &[Enter]);
    let course = draw(&mut app, 100, 60);
    assert!(
        course
            .lines()
            .next()
            .unwrap_or_default()
            .contains("kurs › Einstieg in kurs"),
        "{course}"
    );

    let mut app = on_the_library(Lang::En);
    let english = draw(&mut app, 100, 60);
    assert!(
        position(&english, "Getting started with kurs") < position(&english, "Other languages")
            && position(&english, "Other languages") < position(&english, "Einstieg in kurs"),
        "{english}"
    );
    // Switching the language (l) puts the German courses first.
    press(&mut app, &[Action::Language]);
    let switched = draw(&mut app, 100, 60);
    assert!(
        position(&switched, "Einstieg in kurs") < position(&switched, "Getting started with kurs"),
        "{switched}"
    );
}
