//! The full-screen course runner (ratatui + crossterm). Only this module touches the
//! terminal.

use std::process::ExitCode;

use anyhow::Result;

use crate::course::Root;
use crate::progress::store::DataDir;

/// The terminal's width in columns (80 when it cannot be asked).
#[must_use]
pub fn terminal_width() -> u16 {
    ratatui::crossterm::terminal::size().map_or(80, |(w, _)| w)
}

/// Opens the course runner.
///
/// # Errors
/// When the library or the profile cannot be loaded, or the terminal fails.
pub fn run(_roots: &[Root], _data: DataDir, _profile: Option<&str>) -> Result<ExitCode> {
    eprintln!("The course runner is not available yet. Try `kurs list` or `kurs show COURSE`.");
    Ok(ExitCode::from(1))
}
