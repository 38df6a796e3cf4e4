//! The `kurs` binary: parse the command line, run it, print any error as one message.

use std::process::ExitCode;

use clap::Parser as _;
use kurs::cli::{self, Cli};
use kurs::text::sanitize;

fn main() -> ExitCode {
    let args = match Cli::try_parse() {
        Ok(args) => args,
        Err(e) => {
            // Usage errors quote the arguments: sanitise before printing.
            let text = e.render().to_string();
            if e.use_stderr() {
                eprint!("{}", sanitize(&text));
            } else {
                print!("{}", sanitize(&text));
            }
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    match cli::run(args) {
        Ok(code) => code,
        Err(e) if cli::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}", sanitize(&format!("{e:#}")));
            ExitCode::from(1)
        }
    }
}
