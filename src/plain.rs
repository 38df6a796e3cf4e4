//! Screen-reader mode: kurs as a conversation on standard input and output.
//!
//! No full-screen drawing, no cursor movement, no colour, no box-drawing characters:
//! menus are numbered lists ("Type a number and press Enter"), lessons are plain text in
//! pages, quizzes are numbered prompts with typed answers, feedback is sentences. Screen
//! readers (Orca, NVDA in a terminal) read it line by line, and it works on the
//! smallest or dumbest terminal. Progress is recorded exactly as in the full-screen
//! runner, so a learner can switch between the two.

mod quiz;

use std::io::{BufRead, Write};

use anyhow::Result;

use std::process::ExitCode;

use crate::course::{ItemContent, ItemKind, ItemPos, Library, Root};
use crate::i18n::Strings;
use crate::markdown::{self, RenderOptions};
use crate::progress::store::DataDir;
use crate::progress::store::Store;
use crate::progress::{ActiveTime, Change, Status, item_key};
use crate::start::Options;
use crate::text::sanitize;

/// Runs screen-reader mode on standard input and output.
///
/// # Errors
/// When the library cannot be loaded or the output cannot be written.
pub fn run_with_stdio(roots: &[Root], data: &DataDir, options: &Options) -> Result<ExitCode> {
    let env = |k: &str| std::env::var(k).ok();
    let library = Library::load(roots);
    let mut start = crate::start::start(data, options, &env);
    start.store = start.store.in_background(data);
    let strings = Strings::new(start.lang);
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    if start.ask_who {
        match who(data, &strings, &mut stdin.lock(), &mut stdout.lock())? {
            Some(store) => {
                let _ = start.store.compact();
                start.store = store.in_background(data);
            }
            None => return Ok(crate::tui::not_saved_report(&start.store, &strings)),
        }
    }
    let result = Plain::new(
        &library,
        &mut start.store,
        &strings,
        stdin.lock(),
        stdout.lock(),
    )
    .run();
    // However the conversation ended (the input closed, the output went away), what
    // the learner did is written before kurs exits.
    let _ = start.store.compact();
    result?;
    Ok(crate::tui::not_saved_report(&start.store, &strings))
}

/// "Who is learning?" as a numbered list; a name that is not in it adds a learner.
fn who(
    data: &DataDir,
    strings: &Strings,
    input: &mut impl BufRead,
    output: &mut impl Write,
) -> Result<Option<Store>> {
    let profiles = data.profiles()?;
    writeln!(output, "{}", sanitize(strings.get("picker.title")))?;
    for (n, p) in profiles.iter().enumerate() {
        writeln!(output, "{}. {}", n + 1, sanitize(&p.name))?;
    }
    loop {
        writeln!(output, "{}", sanitize(strings.get("sr.who")))?;
        write!(output, "> ")?;
        output.flush()?;
        let mut line = String::new();
        if input.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        let answer = line.trim();
        if answer.is_empty() {
            continue;
        }
        let name = match answer.parse::<usize>() {
            Ok(n) => match profiles.get(n.wrapping_sub(1)) {
                Some(p) => p.name.clone(),
                None => continue,
            },
            Err(_) => answer.to_owned(),
        };
        match data.open(&name) {
            Ok(store) => return Ok(Some(store)),
            Err(e) => writeln!(output, "{}", sanitize(&format!("{e:#}")))?,
        }
    }
}

/// How many lines of a lesson are printed at a time.
pub const PAGE_LINES: usize = 24;
/// The width lessons are wrapped to.
pub const WIDTH: usize = 78;

/// Where to go after a screen.
enum Go {
    /// Back to the course list.
    Catalogue,
    /// A course's item list.
    Course(usize),
    /// An item.
    Item(usize, ItemPos),
    /// End kurs.
    Quit,
}

/// The conversation.
pub struct Plain<'a, R: BufRead, W: Write> {
    library: &'a Library,
    store: &'a mut Store,
    strings: &'a Strings,
    input: R,
    output: W,
    /// The save problem last announced, so it is said once, not at every step.
    announced: Option<String>,
    /// Time spent on the open lesson or quiz (each answer is an action).
    activity: ActiveTime,
}

impl<'a, R: BufRead, W: Write> Plain<'a, R, W> {
    /// A conversation over `input` and `output`.
    pub fn new(
        library: &'a Library,
        store: &'a mut Store,
        strings: &'a Strings,
        input: R,
        output: W,
    ) -> Self {
        Self {
            library,
            store,
            strings,
            input,
            output,
            announced: None,
            activity: ActiveTime::new(),
        }
    }

    /// Runs until the learner quits or the input ends. Progress is saved as it is made.
    ///
    /// # Errors
    /// When the output cannot be written.
    pub fn run(&mut self) -> Result<()> {
        let s = self.strings;
        self.say(s.get("sr.welcome"))?;
        self.say(&s.fmt("sr.learner", &[("name", &self.store.profile().name)]))?;
        for notice in self.store.take_notices() {
            self.say(&notice)?;
        }
        for missing in &self.library.unavailable {
            let line = s.fmt(
                "catalogue.folder_unavailable",
                &[("folder", &missing.path), ("reason", &missing.reason)],
            );
            self.say(&line)?;
        }
        self.announce_problem();
        let mut go = Go::Catalogue;
        loop {
            go = match go {
                Go::Catalogue => self.catalogue()?,
                Go::Course(c) => self.course(c)?,
                Go::Item(c, pos) => self.item(c, pos)?,
                Go::Quit => break,
            };
        }
        self.save();
        self.say(s.get("sr.goodbye"))?;
        Ok(())
    }

    /// Writes `text` (sanitised) and a line break.
    fn say(&mut self, text: &str) -> Result<()> {
        writeln!(self.output, "{}", sanitize(text))?;
        Ok(())
    }

    /// Asks `prompt` and reads one line; `None` when the input has ended.
    fn ask(&mut self, prompt: &str) -> Result<Option<String>> {
        writeln!(self.output, "{}", sanitize(prompt))?;
        write!(self.output, "> ")?;
        self.output.flush()?;
        let mut line = String::new();
        if self.input.read_line(&mut line)? == 0 {
            writeln!(self.output)?;
            return Ok(None);
        }
        self.activity.touch();
        Ok(Some(line.trim().to_owned()))
    }

    fn save(&mut self) {
        if let Err(e) = self.store.save() {
            let message = self
                .strings
                .fmt("status.save_failed", &[("reason", &format!("{e:#}"))]);
            let _ = self.say(&message);
        }
        self.announce_problem();
    }

    /// Says "Your progress is not being saved …" when saving starts failing (once per
    /// reason), as the full-screen runner's banner does.
    fn announce_problem(&mut self) {
        let problem = self.store.problem().map(str::to_owned);
        if problem != self.announced {
            if let Some(reason) = &problem {
                let message = self.strings.fmt(
                    "status.not_saving",
                    &[("reason", reason.trim_end_matches('.'))],
                );
                let _ = self.say(&message);
            }
            self.announced = problem;
        }
    }

    /// Asks for a number from 1 to `count` (or `q`); repeats until given.
    fn choose(&mut self, prompt: &str, count: usize) -> Result<Choice> {
        loop {
            let Some(answer) = self.ask(prompt)? else {
                return Ok(Choice::End);
            };
            let lower = answer.to_lowercase();
            if lower == "q" {
                return Ok(Choice::Back);
            }
            match lower.parse::<usize>() {
                Ok(n) if (1..=count).contains(&n) => return Ok(Choice::Number(n)),
                _ => {
                    let message = self
                        .strings
                        .fmt("sr.not_a_choice", &[("max", &count.to_string())]);
                    self.say(&message)?;
                }
            }
        }
    }

    fn catalogue(&mut self) -> Result<Go> {
        let s = self.strings;
        let profile = self.store.profile();
        let resume = profile.resume(self.library).map(|(course, pos)| {
            let title = self
                .library
                .courses
                .get(course)
                .map_or_else(String::new, |c| {
                    let item = c
                        .load_item(pos)
                        .map_or_else(|_| String::new(), |i| i.title().to_owned());
                    format!("{}, {item}", c.title)
                });
            (course, pos, title)
        });
        let mut lines = vec![String::new(), s.get("sr.courses").to_owned()];
        let mut targets: Vec<Go> = Vec::new();
        if let Some((course, pos, title)) = &resume {
            targets.push(Go::Item(*course, *pos));
            lines.push(format!(
                "{}. {}: {title}",
                targets.len(),
                s.get("catalogue.continue")
            ));
        }
        let (order, others_from) = self.library.in_language_order(s.lang().code());
        for (n, &i) in order.iter().enumerate() {
            let Some(course) = self.library.courses.get(i) else {
                continue;
            };
            if others_from == Some(n) {
                lines.push(format!("{}:", s.get("catalogue.other_languages")));
            }
            let summary = profile.course_summary(course);
            let done = s.fmt(
                "catalogue.done_of",
                &[
                    ("done", &summary.done.to_string()),
                    ("total", &summary.total.to_string()),
                ],
            );
            let minutes = course
                .minutes
                .map(|m| format!(", {}", s.fmt("catalogue.minutes", &[("n", &m.to_string())])))
                .unwrap_or_default();
            targets.push(Go::Course(i));
            lines.push(format!(
                "{}. {} ({}{minutes}, {done})",
                targets.len(),
                course.title,
                course.language
            ));
        }
        for line in lines {
            self.say(&line)?;
        }
        if targets.is_empty() {
            self.say(s.get("sr.no_courses"))?;
            return Ok(Go::Quit);
        }
        match self.choose(s.get("sr.choose_course"), targets.len())? {
            Choice::Number(n) => Ok(targets.into_iter().nth(n - 1).unwrap_or(Go::Catalogue)),
            Choice::Back | Choice::End => Ok(Go::Quit),
        }
    }

    fn course(&mut self, index: usize) -> Result<Go> {
        let s = self.strings;
        let Some(course) = self.library.courses.get(index) else {
            return Ok(Go::Catalogue);
        };
        let profile = self.store.profile();
        let locked = profile.locked_modules(course);
        let mut lines = vec![String::new(), course.title.clone()];
        if !course.description.is_empty() {
            lines.push(course.description.clone());
        }
        let mut items: Vec<(ItemPos, bool)> = Vec::new();
        for (m, module) in course.modules.iter().enumerate() {
            let is_locked = locked.get(m).copied().unwrap_or(false);
            let mut heading = s.fmt(
                "sr.module",
                &[("n", &(m + 1).to_string()), ("title", &module.title)],
            );
            if is_locked {
                heading = format!("{heading} ({})", s.get("sr.locked"));
            }
            lines.push(heading);
            for (i, item) in module.items.iter().enumerate() {
                let pos = ItemPos { module: m, item: i };
                let title = course
                    .load_item(pos)
                    .map_or_else(|_| item.id.clone(), |c| c.title().to_owned());
                let kind = match item.kind {
                    ItemKind::Lesson => s.get("course.lesson"),
                    ItemKind::Quiz => s.get("course.quiz"),
                };
                let status = match profile.status(&course.id, module, item) {
                    Status::Done => s.get("status.done"),
                    Status::InProgress => s.get("status.in_progress"),
                    Status::NotStarted => s.get("status.not_started"),
                };
                items.push((pos, is_locked));
                lines.push(format!("  {}. {title} ({kind}, {status})", items.len()));
            }
        }
        for line in lines {
            self.say(&line)?;
        }
        loop {
            match self.choose(s.get("sr.choose_item"), items.len())? {
                Choice::Number(n) => match items.get(n - 1) {
                    Some((_, true)) => self.say(s.get("course.locked_message"))?,
                    Some((pos, false)) => return Ok(Go::Item(index, *pos)),
                    None => {}
                },
                Choice::Back => return Ok(Go::Catalogue),
                Choice::End => return Ok(Go::Quit),
            }
        }
    }

    fn item(&mut self, course_index: usize, pos: ItemPos) -> Result<Go> {
        let Some(course) = self.library.courses.get(course_index) else {
            return Ok(Go::Catalogue);
        };
        let (Some(module), Some(item)) = (course.modules.get(pos.module), course.item(pos)) else {
            return Ok(Go::Course(course_index));
        };
        let key = item_key(module, item);
        let course_id = course.id.clone();
        self.activity.reset();
        // Moving on from the item before can reach a locked module: refused, as in the
        // course list and the full-screen runner.
        if self.store.profile().is_locked(course, pos) {
            self.say(self.strings.get("course.locked_message"))?;
            return Ok(Go::Course(course_index));
        }
        match course.load_item(pos) {
            Err(diagnostics) => {
                self.say(self.strings.get("course.item_errors"))?;
                for d in diagnostics {
                    self.say(&d.to_string())?;
                }
                Ok(Go::Course(course_index))
            }
            Ok(ItemContent::Lesson(lesson)) => {
                self.store.record(Change::Opened {
                    course: course_id.clone(),
                    item: key.clone(),
                });
                self.save();
                let start = self
                    .store
                    .profile()
                    .item(&course_id, &key)
                    .map_or(0.0, |r| r.position);
                let mut position = start;
                let finished = self.lesson(&lesson.title, &lesson.markdown, &mut position);
                // Position and time are recorded however the lesson ended, as in the
                // full-screen runner.
                self.store.record(Change::Position {
                    course: course_id.clone(),
                    item: key.clone(),
                    position,
                });
                self.record_time(&course_id, &key);
                match finished? {
                    Some(true) => {
                        self.store.record(Change::Finished {
                            course: course_id,
                            item: key,
                        });
                        self.save();
                        Ok(course
                            .next_pos(pos)
                            .map_or(Go::Course(course_index), |next| {
                                Go::Item(course_index, next)
                            }))
                    }
                    Some(false) => Ok(Go::Course(course_index)),
                    None => Ok(Go::Quit),
                }
            }
            Ok(ItemContent::Quiz(q)) => {
                self.store.record(Change::Opened {
                    course: course_id.clone(),
                    item: key.clone(),
                });
                self.save();
                let after = self.quiz(&course_id, &key, &q);
                self.record_time(&course_id, &key);
                match after? {
                    quiz::After::Next => Ok(course
                        .next_pos(pos)
                        .map_or(Go::Course(course_index), |next| {
                            Go::Item(course_index, next)
                        })),
                    quiz::After::Retry => Ok(Go::Item(course_index, pos)),
                    quiz::After::Course => Ok(Go::Course(course_index)),
                    quiz::After::Quit => Ok(Go::Quit),
                }
            }
        }
    }

    /// Reads a lesson page by page. `Some(true)`: read to the end and moved on;
    /// `Some(false)`: left early; `None`: the input ended.
    /// Records the time spent on the open item since it opened (or since last recorded).
    fn record_time(&mut self, course: &str, item: &str) {
        let seconds = self.activity.seconds();
        if seconds > 0 {
            self.store.record(Change::Time {
                course: course.to_owned(),
                item: item.to_owned(),
                seconds,
            });
            self.activity.take(seconds);
        }
        self.save();
    }

    /// Reads a lesson page by page, from the page holding `position` (0..=1, as in the
    /// full-screen runner); `position` follows the learner.
    fn lesson(&mut self, title: &str, text: &str, position: &mut f32) -> Result<Option<bool>> {
        let s = self.strings;
        let lines: Vec<String> = markdown::render(
            text,
            RenderOptions {
                width: WIDTH,
                ascii: true,
            },
        )
        .iter()
        .map(|l| l.text().trim_end().to_owned())
        .collect();
        let pages = lines.len().div_ceil(PAGE_LINES).max(1);
        self.say("")?;
        self.say(&s.fmt(
            "sr.lesson",
            &[("title", title), ("pages", &pages.to_string())],
        ))?;
        // Where the learner left off: the page that holds the saved position.
        let last_page = pages - 1;
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            clippy::cast_precision_loss,
            reason = "a fraction 0..=1 of a page count"
        )]
        let mut page = ((f64::from(position.clamp(0.0, 1.0)) * last_page as f64).round() as usize)
            .min(last_page);
        loop {
            #[expect(
                clippy::cast_possible_truncation,
                clippy::cast_precision_loss,
                reason = "a page number as a fraction 0..=1"
            )]
            {
                *position = if last_page == 0 {
                    0.0
                } else {
                    (page as f64 / last_page as f64) as f32
                };
            }
            self.say("")?;
            for line in lines.iter().skip(page * PAGE_LINES).take(PAGE_LINES) {
                self.say(line)?;
            }
            self.say("")?;
            let last = page + 1 >= pages;
            let prompt = if last {
                s.fmt(
                    "sr.lesson_end",
                    &[
                        ("n", &(page + 1).to_string()),
                        ("pages", &pages.to_string()),
                    ],
                )
            } else {
                s.fmt(
                    "sr.lesson_page",
                    &[
                        ("n", &(page + 1).to_string()),
                        ("pages", &pages.to_string()),
                    ],
                )
            };
            let Some(answer) = self.ask(&prompt)? else {
                return Ok(None);
            };
            match answer.to_lowercase().as_str() {
                "q" => return Ok(Some(false)),
                "b" => page = page.saturating_sub(1),
                "" | "n" if last => return Ok(Some(true)),
                "" | "n" => page += 1,
                _ => self.say(s.get("sr.lesson_keys"))?,
            }
        }
    }
}

/// An answer to a numbered menu.
enum Choice {
    /// A number in range.
    Number(usize),
    /// `q`: back (or leave).
    Back,
    /// The input ended.
    End,
}
