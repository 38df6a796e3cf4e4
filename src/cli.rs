//! The command line: clap definitions and one thin function per command.

mod ansi;
mod list;
mod progress;
mod report;
mod show;
mod validate;

use std::ffi::OsString;
use std::io;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand, ValueEnum};

use crate::course::{Library, Root};
use crate::progress::store::DataDir;

/// kurs — a terminal course runner for digital-skills training.
///
/// Run without a command to open the course runner. Course packs are folders of Markdown
/// lessons and TOML quizzes; see docs/course-format.md.
#[derive(Debug, Parser)]
#[command(name = "kurs", version, about, long_about = None)]
pub struct Cli {
    /// Also load course packs from DIR (a course folder or a folder of courses).
    /// Repeatable; `KURS_COURSES` adds more, separated by ':'.
    #[arg(long = "courses", value_name = "DIR", global = true)]
    pub courses: Vec<PathBuf>,

    /// Leave out the bundled library (use only --courses / `KURS_COURSES`).
    #[arg(long, global = true)]
    pub no_bundled: bool,

    /// The learner's profile (created when new). Default: the one used last.
    #[arg(long, value_name = "NAME", global = true)]
    pub profile: Option<String>,

    /// Keep progress in DIR (default: `KURS_HOME`, else the system's data folder).
    #[arg(long, value_name = "DIR", global = true)]
    pub data_dir: Option<PathBuf>,

    /// The interface language: en or de (default: `KURS_LANG`, else the learner's
    /// choice, else the system's language).
    #[arg(long, value_name = "LANG", global = true, value_parser = ["en", "de"])]
    pub lang: Option<String>,

    /// Colours: dark, light, high-contrast or mono (saved for the learner).
    #[arg(long, value_name = "THEME", global = true, value_parser = ["dark", "light", "high-contrast", "mono"])]
    pub theme: Option<String>,

    /// A line-by-line conversation instead of the full screen, for screen readers and
    /// very small or simple terminals (also `KURS_SCREEN_READER=1`).
    #[arg(long, global = true)]
    pub screen_reader: bool,

    /// The command to run (default: open the course runner).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the courses.
    List,
    /// Print a lesson, a quiz's questions (not the answers), or a course outline.
    Show {
        /// COURSE, COURSE/MODULE or COURSE/MODULE/ITEM (ids as `kurs show COURSE` lists them).
        path: String,
        /// Lay the text out for N columns (default: the terminal's width, at most 100; else 80).
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(10..=1000))]
        width: Option<u16>,
        /// No colours or text styles, even on a terminal.
        #[arg(long)]
        plain: bool,
    },
    /// Check course packs: every error with its file, line and column.
    ///
    /// Exit status: 0 when there are no errors (warnings allowed), 1 on any error.
    Validate {
        /// Course folders or folders of courses (default: the library kurs would load).
        dirs: Vec<PathBuf>,
    },
    /// Show a learner's progress, per course.
    Progress,
    /// Export the results of every profile on this machine (for trainers).
    Report {
        /// What to do instead of exporting.
        #[command(subcommand)]
        action: Option<ReportAction>,
        /// csv: one row per learner, course and item; json: a full export (to merge);
        /// xapi: xAPI 1.0.3 statements for a learning record store.
        #[arg(long, value_enum, default_value_t = Format::Csv)]
        format: Format,
        /// Write to FILE instead of the screen.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Report on JSON exports (e.g. a merged one) instead of this machine's profiles.
        #[arg(long = "from", value_name = "FILE")]
        from: Vec<PathBuf>,
    },
    /// Delete a learner's progress (in one course, or all).
    Reset {
        /// Only this course.
        course: Option<String>,
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
    },
    /// Print where kurs keeps progress and where it finds courses.
    Paths,
}

/// `kurs report merge`.
#[derive(Debug, Subcommand)]
pub enum ReportAction {
    /// Merge JSON exports from several machines into one, without duplicates.
    Merge {
        /// The exports to merge.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The merged export.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
}

/// Export formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Comma-separated values.
    Csv,
    /// A kurs export.
    Json,
    /// xAPI statements.
    Xapi,
}

/// Parses the command line, with `--help` in the learner's language (from `--lang`,
/// `KURS_LANG` or the system locale).
///
/// # Errors
/// A usage error, or the help or version text to print (clap's convention).
pub fn parse_args(args: Vec<OsString>) -> Result<Cli, clap::Error> {
    use clap::{CommandFactory, FromArgMatches};
    let requested = lang_argument(&args);
    let lang = crate::i18n::Lang::choose(requested.as_deref(), |k| std::env::var(k).ok(), None);
    let matches = command(lang).try_get_matches_from(args)?;
    Cli::from_arg_matches(&matches).map_err(|e| e.format(&mut Cli::command()))
}

/// The value of `--lang X` or `--lang=X` in `args`, if any.
fn lang_argument(args: &[OsString]) -> Option<String> {
    let mut args = args.iter().filter_map(|a| a.to_str());
    while let Some(arg) = args.next() {
        if arg == "--lang" {
            return args.next().map(str::to_owned);
        }
        if let Some(value) = arg.strip_prefix("--lang=") {
            return Some(value.to_owned());
        }
    }
    None
}

/// The clap command, its texts in `lang`. English is the derive's own text; other
/// languages replace the texts of the learner-facing parts (the runner's options,
/// `list`, `show`, `progress`) and the headings.
#[must_use]
pub fn command(lang: crate::i18n::Lang) -> clap::Command {
    use clap::{Arg, ArgAction, CommandFactory};
    let cmd = Cli::command();
    if lang == crate::i18n::Lang::En {
        return cmd;
    }
    let strings = crate::i18n::Strings::new(lang);
    let h = |key: &str| strings.get(&format!("cli.help.{key}")).to_owned();
    let help_arg = Arg::new("help")
        .short('h')
        .long("help")
        .action(ArgAction::Help)
        .help(h("help"));
    let template = format!("{{about}}\n\n{} {{usage}}\n\n{{all-args}}", h("usage"));
    let localise = |c: clap::Command| {
        c.disable_help_flag(true)
            .arg(help_arg.clone())
            .help_template(template.clone())
            .subcommand_help_heading(h("commands"))
            .mut_args(|a| {
                let heading = if a.is_positional() {
                    h("arguments")
                } else {
                    h("options")
                };
                a.help_heading(heading)
            })
    };
    localise(cmd)
        .about(h("about"))
        .disable_version_flag(true)
        .arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help(h("version"))
                .help_heading(h("options")),
        )
        .mut_arg("courses", |a| a.help(h("courses")))
        .mut_arg("no_bundled", |a| a.help(h("no_bundled")))
        .mut_arg("profile", |a| a.help(h("profile")))
        .mut_arg("data_dir", |a| a.help(h("data_dir")))
        .mut_arg("lang", |a| a.help(h("lang")))
        .mut_arg("theme", |a| a.help(h("theme")))
        .mut_arg("screen_reader", |a| a.help(h("screen_reader")))
        .mut_subcommands(localise)
        .mut_subcommand("list", |c| c.about(h("list")))
        .mut_subcommand("progress", |c| c.about(h("progress")))
        .mut_subcommand("show", |c| {
            c.about(h("show"))
                .mut_arg("path", |a| a.help(h("show_path")))
                .mut_arg("width", |a| a.help(h("show_width")))
                .mut_arg("plain", |a| a.help(h("show_plain")))
        })
}

/// Runs the parsed command line.
///
/// # Errors
/// Any error for the user; `main` prints it as one message and exits with status 1.
pub fn run(cli: Cli) -> Result<ExitCode> {
    let roots = roots(&cli);
    let data = || DataDir::locate(cli.data_dir.clone(), std::env::var_os("KURS_HOME"));
    let strings = crate::i18n::Strings::new(crate::i18n::Lang::choose(
        cli.lang.as_deref(),
        |k| std::env::var(k).ok(),
        None,
    ));
    match cli.command {
        None => {
            let options = crate::start::Options {
                profile: cli.profile.as_deref(),
                lang: cli.lang.as_deref(),
                theme: cli.theme.as_deref(),
            };
            if cli.screen_reader || screen_reader_wanted(|k| std::env::var(k).ok()) {
                crate::plain::run_with_stdio(&roots, &data()?, &options)
            } else {
                crate::tui::run(&roots, data()?, &options)
            }
        }
        Some(Command::List) => list::run(&Library::load(&roots), &strings),
        Some(Command::Show { path, width, plain }) => {
            show::run(&roots, &path, width, plain, &strings)
        }
        Some(Command::Validate { dirs }) => {
            let roots = if dirs.is_empty() {
                roots
            } else {
                dirs.into_iter().map(Root::Dir).collect()
            };
            validate::run(&roots)
        }
        Some(Command::Progress) => progress::show(
            &Library::load(&roots),
            &data()?,
            cli.profile.as_deref(),
            &strings,
        ),
        Some(Command::Reset { course, yes }) => {
            progress::reset(&data()?, cli.profile.as_deref(), course.as_deref(), yes)
        }
        Some(Command::Paths) => progress::paths(&data()?, &roots),
        Some(Command::Report {
            action: Some(ReportAction::Merge { files, out }),
            ..
        }) => report::merge(&files, &out),
        Some(Command::Report {
            action: None,
            format,
            out,
            from,
        }) => report::export(
            &Library::load(&roots),
            &data()?,
            &from,
            format,
            out.as_deref(),
        ),
    }
}

/// Whether the environment asks for screen-reader mode: `KURS_SCREEN_READER` set (and
/// not `0`), or a terminal that cannot do full-screen drawing (`TERM=dumb`).
fn screen_reader_wanted(env: impl Fn(&str) -> Option<String>) -> bool {
    env("KURS_SCREEN_READER").is_some_and(|v| !v.is_empty() && v != "0")
        || env("TERM").is_some_and(|t| t == "dumb")
}

/// The places to load courses from: the bundled library first (unless left out), then
/// `--courses` folders, then `KURS_COURSES` folders.
fn roots(cli: &Cli) -> Vec<Root> {
    let mut roots = Vec::new();
    if !cli.no_bundled {
        roots.push(Root::Embedded);
    }
    roots.extend(cli.courses.iter().cloned().map(Root::Dir));
    roots.extend(
        env_course_dirs(std::env::var_os("KURS_COURSES"))
            .into_iter()
            .map(Root::Dir),
    );
    roots
}

/// Splits `KURS_COURSES` (`:`-separated, `;` on Windows), skipping empty entries.
fn env_course_dirs(value: Option<OsString>) -> Vec<PathBuf> {
    value
        .map(|v| {
            std::env::split_paths(&v)
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        })
        .unwrap_or_default()
}

/// Was this error caused by a closed output pipe (`kurs list | head -1`)? Then kurs
/// stops quietly, like any Unix tool.
#[must_use]
pub fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error
        .chain()
        .filter_map(|e| e.downcast_ref::<io::Error>())
        .any(|e| e.kind() == io::ErrorKind::BrokenPipe)
}

/// The terminal's width, for laying out `show` output.
fn terminal_width() -> u16 {
    crate::tui::terminal_width()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn course_dirs_from_the_environment() {
        let dirs = env_course_dirs(Some("a::b".into()));
        assert_eq!(dirs, [PathBuf::from("a"), PathBuf::from("b")]);
        assert!(env_course_dirs(None).is_empty());
    }

    #[test]
    fn the_command_line_is_well_formed() {
        for lang in crate::i18n::Lang::ALL {
            command(lang).debug_assert();
        }
    }

    #[test]
    fn help_speaks_german() {
        let help = command(crate::i18n::Lang::De)
            .render_long_help()
            .to_string();
        assert!(
            help.contains("Aufruf:") && help.contains("Optionen:") && help.contains("Befehle:"),
            "{help}"
        );
        assert!(help.contains("Die Kurse auflisten."), "{help}");
        let show = parse_args(vec![
            "kurs".into(),
            "--lang".into(),
            "de".into(),
            "show".into(),
            "--help".into(),
        ])
        .err()
        .map(|e| e.render().to_string())
        .unwrap_or_default();
        assert!(show.contains("Keine Farben"), "{show}");
        assert_eq!(
            lang_argument(&["kurs".into(), "--lang=de".into()]),
            Some("de".into())
        );
    }
}
