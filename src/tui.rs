//! The full-screen course runner (ratatui + crossterm). Only this module touches the
//! terminal.
//!
//! The loop: draw → wait for an event (or a tick, for live reloading and signals) → turn
//! it into an [`keys::Action`] → [`app::App::update`]. The terminal is restored however
//! kurs ends: normally, on a panic (a hook restores it first), or on SIGTERM, SIGHUP or
//! SIGINT (the loop notices and ends normally). Progress is saved as it is made, and
//! once more on the way out.

mod answer_text;
pub mod app;
mod catalogue;
mod course;
mod help;
mod input;
pub mod keys;
mod lesson;
mod picker;
mod quiz;
mod results;
pub mod theme;
pub mod view;

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::Result;
use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
    Event,
};
use ratatui::crossterm::{cursor, execute};

use self::app::App;
use self::keys::Action;
use self::theme::{Symbols, Theme};
use crate::course::{Library, Root};
use crate::i18n::{Lang, Strings};
use crate::progress::store::DataDir;
pub use crate::start::Options;

/// How often the loop wakes without input (live reload, signals).
const TICK: Duration = Duration::from_millis(400);

/// The terminal's width in columns (80 when it cannot be asked).
#[must_use]
pub fn terminal_width() -> u16 {
    ratatui::crossterm::terminal::size().map_or(80, |(w, _)| w)
}

/// Opens the course runner.
///
/// # Errors
/// When the library cannot be loaded or the terminal fails.
pub fn run(roots: &[Root], data: DataDir, options: &Options) -> Result<ExitCode> {
    let env = |k: &str| std::env::var(k).ok();
    if !io::stdin().is_terminal() || !io::stdout().is_terminal() {
        let strings = Strings::new(Lang::choose(options.lang, env, None));
        let _ = writeln!(io::stderr(), "{}", strings.get("main.no_terminal"));
        return Ok(ExitCode::from(1));
    }
    let library = Library::load(roots);
    let start = crate::start::start(&data, options, &env);
    let theme = Theme::by_name(&start.theme).unwrap_or_else(Theme::dark);
    let symbols = Symbols::detect(env);
    let strings = Strings::new(start.lang);
    let mut app = App::new(
        library,
        start.store.in_background(&data),
        Some(data),
        strings,
        theme,
        symbols,
        start.ask_who,
    );
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let env_lang = std::env::var_os("KURS_LANG").is_some_and(|v| !v.is_empty());
    app.forced = (
        options.theme.is_some() || no_color,
        options.lang.is_some() || env_lang,
    );
    run_app(&mut app)?;
    // Said in the catalogue too; here once more, where it stays after kurs has ended.
    for missing in &app.library.unavailable {
        let _ = writeln!(
            io::stderr(),
            "warning: {}",
            crate::text::sanitize_line(&missing.to_string())
        );
    }
    Ok(not_saved_report(&app.session.store, &app.strings))
}

/// After the learner leaves: when something could not be saved, says so on standard
/// error (naming why and how much) and gives exit status 1.
pub(crate) fn not_saved_report(
    store: &crate::progress::store::Store,
    strings: &Strings,
) -> ExitCode {
    let count = store.unsaved_count();
    match store.problem() {
        None if count == 0 => ExitCode::SUCCESS,
        problem => {
            let reason = problem.unwrap_or("the disk did not answer in time");
            // Standard error may be the terminal that went away: never panic on it.
            let _ = writeln!(
                io::stderr(),
                "{}",
                crate::text::sanitize(&strings.fmt(
                    if count == 0 {
                        "status.not_saved_on_exit_none"
                    } else {
                        "status.not_saved_on_exit"
                    },
                    &[
                        ("reason", reason.trim_end_matches('.')),
                        ("count", &count.to_string())
                    ],
                ))
            );
            ExitCode::from(1)
        }
    }
}

/// Sets up the terminal, runs the loop, and restores the terminal whatever happened.
fn run_app(app: &mut App) -> Result<()> {
    install_panic_hook();
    let mut terminal = ratatui::try_init()?;
    let _ = execute!(io::stdout(), EnableMouseCapture, EnableBracketedPaste);
    let stop = Arc::new(AtomicBool::new(false));
    let waiter = input::Waiter::new(&stop)?;
    let result = event_loop(app, &mut terminal, &stop, &waiter);
    waiter.finished();
    // The terminal first, so that a slow disk never leaves a frozen screen: the shell is
    // back while the writer finishes (bounded; what it cannot write is said below).
    restore();
    // ratatui's Terminal shows the cursor again when dropped and prints to standard error
    // when it cannot, which panics when the terminal has gone away. `restore` has shown
    // the cursor already (or there is no terminal to show it on): nothing is left to drop.
    std::mem::forget(terminal);
    app.shutdown();
    if let Some(status) = app.session.status.take() {
        // Standard error may be the terminal that went away: never panic on it.
        let _ = writeln!(io::stderr(), "{}", crate::text::sanitize(&status));
    }
    result
}

fn event_loop(
    app: &mut App,
    terminal: &mut DefaultTerminal,
    stop: &AtomicBool,
    waiter: &input::Waiter,
) -> Result<()> {
    let test_panic = std::env::var_os("KURS_TEST_PANIC").is_some();
    loop {
        waiter.beat();
        app.session.store.poll();
        let size = terminal.size()?;
        app.resize(size.width, size.height);
        terminal.draw(|frame| view::draw(app, frame))?;
        // A test hook: proves the terminal is restored after a panic in the loop.
        assert!(!test_panic, "KURS_TEST_PANIC is set");
        if app.quit || stop.load(Ordering::Relaxed) {
            return Ok(());
        }
        // Work left for the next idle moment (a large lesson's layout) is done as soon as
        // no key is waiting, and the screen drawn again.
        let busy = app.busy();
        match waiter.wait(if busy { Duration::ZERO } else { TICK })? {
            input::Wake::Gone => return Ok(()),
            input::Wake::Signal => continue,
            input::Wake::Timeout => {
                if busy {
                    app.idle();
                } else {
                    app.tick();
                }
                continue;
            }
            input::Wake::Input => {}
        }
        // Every event crossterm has read (one read may hold several keys).
        while event::poll(Duration::ZERO)? {
            let event = event::read()?;
            if matches!(event, Event::Resize(..)) {
                continue;
            }
            match keys::action(&event, app.typing()) {
                Some(Action::Suspend) => suspend(terminal)?,
                Some(action) => app.update(action),
                None => {}
            }
            if app.quit {
                break;
            }
        }
    }
}

/// Leaves the terminal as it was: cooked mode, main screen, cursor shown, no mouse
/// reporting, no bracketed paste. Errors are ignored: a terminal that has gone away
/// cannot be restored, and saying so on its standard error would fail too.
fn restore() {
    let _ = execute!(
        io::stdout(),
        DisableMouseCapture,
        DisableBracketedPaste,
        cursor::Show
    );
    let _ = ratatui::try_restore();
    let _ = io::stdout().flush();
}

/// A panic restores the terminal and says, in one sentence, what happened; no stack
/// trace reaches the learner. (`ratatui::try_init` wraps this hook with its own
/// restore.)
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let _ = execute!(
            io::stdout(),
            DisableMouseCapture,
            DisableBracketedPaste,
            cursor::Show
        );
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let place = info
            .location()
            .map(|l| format!(" ({}:{})", l.file(), l.line()))
            .unwrap_or_default();
        // Never panic in the panic hook, even when standard error is gone.
        let _ = writeln!(
            io::stderr(),
            "kurs stopped because of an internal error: {}{place}. Your progress up to your last answer is saved. Please report this to your trainer.",
            crate::text::sanitize_line(&what)
        );
    }));
}

/// Ctrl+Z: give the terminal back to the shell, stop, and take it again after `fg`.
#[cfg(unix)]
fn suspend(terminal: &mut DefaultTerminal) -> Result<()> {
    restore();
    signal_hook::low_level::raise(signal_hook::consts::SIGTSTP)?;
    // Execution continues here after `fg`.
    *terminal = ratatui::try_init()?;
    let _ = execute!(io::stdout(), EnableMouseCapture, EnableBracketedPaste);
    terminal.clear()?;
    Ok(())
}

#[cfg(not(unix))]
fn suspend(_terminal: &mut DefaultTerminal) -> Result<()> {
    Ok(())
}
