//! The course runner without a terminal: every screen drawn to ratatui's `TestBackend`
//! and snapshotted at 80×24 and 120×40, and whole flows driven through `App::update`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::missing_panics_doc,
    clippy::must_use_candidate,
    clippy::format_collect,
    clippy::map_unwrap_or,
    missing_docs
)]

#[path = "../common/env.rs"]
mod env;
mod flows;
mod hostile;
mod looks;
mod screen_reader;
mod screens;

use kurs::course::{Library, Root};
use kurs::i18n::{Lang, Strings};
use kurs::progress::store::{DataDir, Store};
use kurs::tui::app::App;
use kurs::tui::keys::Action;
use kurs::tui::theme::{Symbols, Theme};
use kurs::tui::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// The test library: a course with everything, and one that fails to load.
pub fn library() -> Library {
    Library::load(&[Root::Dir("tests/fixtures/tui".into())])
}

/// An app on the test library for learner "Ada", with progress in memory and
/// reproducible attempts.
pub fn app() -> App {
    app_with(Store::memory("Ada"), None)
}

/// An app with the given store and data folder.
pub fn app_with(store: Store, data: Option<DataDir>) -> App {
    app_on(library(), store, data)
}

/// An app on `library` with the given store and data folder, in English, dark, with
/// reproducible attempts.
pub fn app_on(library: Library, store: Store, data: Option<DataDir>) -> App {
    let mut app = App::new(
        library,
        store,
        data,
        Strings::new(Lang::En),
        Theme::dark(),
        Symbols::UNICODE,
        false,
    );
    app.session.fixed_attempts = Some(0);
    app
}

/// Applies `actions` in order.
pub fn press(app: &mut App, actions: &[Action]) {
    for action in actions {
        app.update(action.clone());
        let (w, h) = app.size;
        app.resize(w, h);
    }
}

/// Types `text` into a text field.
pub fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        app.update(Action::Char(c));
    }
}

/// The screen as text at `width` × `height`.
pub fn draw(app: &mut App, width: u16, height: u16) -> String {
    app.resize(width, height);
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    terminal.draw(|frame| view::draw(app, frame)).expect("draw");
    terminal.backend().to_string()
}

/// Snapshots the screen at 80×24 and at 120×40, then returns to 80×24.
#[macro_export]
macro_rules! snap {
    ($app:expr, $name:expr) => {{
        let small = $crate::draw($app, 80, 24);
        let large = $crate::draw($app, 120, 40);
        $crate::draw($app, 80, 24);
        insta::assert_snapshot!(concat!($name, "_80x24"), small);
        insta::assert_snapshot!(concat!($name, "_120x40"), large);
    }};
}
