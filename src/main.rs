//! The `kurs` binary: parse the command line, run it, print any error as one message.

use std::io::Write as _;
use std::process::ExitCode;

use kurs::cli;
use kurs::i18n::{Lang, Strings};
use kurs::text::sanitize;

fn main() -> ExitCode {
    let args = match cli::parse_args(std::env::args_os().collect()) {
        Ok(args) => args,
        Err(e) => {
            // Usage errors quote the arguments: sanitise before printing.
            let text = e.render().to_string();
            // Printing never panics, even when the terminal has gone away.
            let _ = if e.use_stderr() {
                write!(std::io::stderr(), "{}", sanitize(&text))
            } else {
                write!(std::io::stdout(), "{}", sanitize(&text))
            };
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    let lang = Lang::choose(args.lang.as_deref(), |k| std::env::var(k).ok(), None);
    match cli::run(args) {
        Ok(code) => code,
        Err(e) if cli::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            let prefix = Strings::new(lang).get("main.error").to_owned();
            let _ = writeln!(
                std::io::stderr(),
                "{prefix}: {}",
                sanitize(&format!("{e:#}"))
            );
            ExitCode::from(1)
        }
    }
}
