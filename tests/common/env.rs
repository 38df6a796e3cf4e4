//! The variables kurs reads, which a test must not inherit from the caller's shell
//! (`NO_COLOR=1` or `KURS_LANG=de` exported there would change what kurs shows).

use std::process::Command;

/// Every environment variable kurs reads.
pub const KURS_VARIABLES: &[&str] = &[
    "KURS_COURSES",
    "KURS_HOME",
    "KURS_LANG",
    "KURS_SCREEN_READER",
    "KURS_ASCII",
    "KURS_TEST_PANIC",
    "NO_COLOR",
    "COLORTERM",
    "LANG",
    "LC_ALL",
    "LC_MESSAGES",
    "LC_CTYPE",
    "RUST_BACKTRACE",
];

/// Removes every variable kurs reads from `cmd`'s environment.
pub fn clean(cmd: &mut Command) -> &mut Command {
    for variable in KURS_VARIABLES {
        cmd.env_remove(variable);
    }
    cmd
}
