//! The full-screen course runner (ratatui + crossterm). Only this module touches the
//! terminal.

/// The terminal's width in columns (80 when it cannot be asked).
#[must_use]
pub fn terminal_width() -> u16 {
    ratatui::crossterm::terminal::size().map_or(80, |(w, _)| w)
}
