//! The app's state and its one entry point for change: [`App::update`].
//!
//! Key → [`Action`] → `update` → draw. Each screen keeps its own state in its module and
//! handles its actions there, returning a [`Go`] when the learner moves to another
//! screen; this file owns navigation, progress recording and overlays.

use std::time::{Duration, Instant};

use crate::course::{ItemContent, ItemPos, Library};
use crate::i18n::{Lang, Strings};
use crate::progress::store::{DataDir, Store};
use crate::progress::{ActiveTime, Change, item_key};
use crate::quiz::Quiz;

use super::catalogue::CatalogueState;
use super::course::CourseState;
use super::keys::Action;
use super::lesson::LessonState;
use super::picker::PickerState;
use super::quiz::QuizState;
use super::results::ResultsState;
use super::theme::{Symbols, Theme};

/// How often, while the learner pauses, the reading position (when it changed) is
/// recorded; time spent is recorded every six of these. So nothing depends on a clean
/// exit (a console window closed on Windows, a killed process).
const CHECKPOINT_EVERY: Duration = Duration::from_secs(5);

/// The screen shown.
#[derive(Debug)]
pub enum Screen {
    /// "Who is learning?"
    Picker(PickerState),
    /// The list of courses.
    Catalogue(CatalogueState),
    /// One course's modules and items.
    Course(CourseState),
    /// The lesson reader.
    Lesson(Box<LessonState>),
    /// The quiz player.
    Quiz(Box<QuizState>),
    /// A quiz attempt's results.
    Results(Box<ResultsState>),
}

/// What is shown above the screen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Overlay {
    /// The keys of the current screen.
    Help,
    /// Leave an unfinished quiz? (`quit`: leave kurs, else back to the course.)
    LeaveQuiz {
        /// Whether leaving quits kurs.
        quit: bool,
    },
    /// A message with a title, e.g. a course's load errors.
    Message {
        /// The title.
        title: String,
        /// The lines.
        body: Vec<String>,
    },
}

/// A move to another screen, asked for by a screen's update.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Go {
    /// The course list.
    Catalogue,
    /// A course, with an item to select.
    Course {
        /// Index into `library.courses`.
        course: usize,
        /// The item to select (default: the suggested next one).
        select: Option<ItemPos>,
    },
    /// Open an item.
    Item {
        /// Index into `library.courses`.
        course: usize,
        /// The item.
        pos: ItemPos,
    },
    /// The profile picker.
    Picker,
    /// The quiz on screen is finished: show its results.
    Finished,
    /// Quit kurs.
    Quit,
}

impl Go {
    /// Item `target` of course `course`, or — when there is none — the course screen
    /// with `from` selected (moving on from the last item, or back from the first).
    #[must_use]
    pub fn item_or_course(course: usize, target: Option<ItemPos>, from: ItemPos) -> Go {
        match target {
            Some(pos) => Go::Item { course, pos },
            None => Go::Course {
                course,
                select: Some(from),
            },
        }
    }
}

/// Everything a screen may change besides its own state.
#[derive(Debug)]
pub struct Session {
    /// The learner's progress.
    pub store: Store,
    /// Where profiles live (`None`: progress is kept in memory only).
    pub data: Option<DataDir>,
    /// A one-line message shown above the key bar until the next action.
    pub status: Option<String>,
    /// The open overlay.
    pub overlay: Option<Overlay>,
    /// For tests: number new attempts 1, 2, … with seeds derived from the number, so
    /// every shuffle is the same on every run (`None`: random ids and seeds).
    pub fixed_attempts: Option<u64>,
}

impl Session {
    /// The id and seed of a new quiz attempt.
    pub fn new_attempt(&mut self) -> (String, u64) {
        if let Some(n) = &mut self.fixed_attempts {
            *n += 1;
            return (
                format!("attempt-{n}"),
                n.wrapping_mul(0x9E37_79B9_7F4A_7C15),
            );
        }
        let id = uuid::Uuid::new_v4();
        (id.to_string(), id.as_u64_pair().1)
    }

    /// Records a change (written at the next save).
    pub fn record(&mut self, change: Change) {
        self.store.record(change);
    }

    /// Saves; a failure becomes a status message, never a crash.
    pub fn save(&mut self, strings: &Strings) {
        if let Err(e) = self.store.save() {
            self.status = Some(strings.fmt("status.save_failed", &[("reason", &format!("{e:#}"))]));
        }
    }
}

/// The whole app.
#[derive(Debug)]
pub struct App {
    /// The courses.
    pub library: Library,
    /// Progress, status and overlay.
    pub session: Session,
    /// The current screen.
    pub screen: Screen,
    /// Interface words.
    pub strings: Strings,
    /// Colours.
    pub theme: Theme,
    /// Symbols.
    pub symbols: Symbols,
    /// The terminal's size at the last draw.
    pub size: (u16, u16),
    /// The widest lines of text get (the learner's setting).
    pub reading: u16,
    /// Whether the theme and the language were decided by the command line or the
    /// environment (then switching learner keeps them).
    pub forced: (bool, bool),
    /// Set when the learner quits.
    pub quit: bool,
    /// Time spent in the open lesson or quiz, not yet recorded.
    activity: ActiveTime,
    /// The reading position last recorded for the open lesson.
    checkpoint: Option<f32>,
    /// When the position and time were last recorded on a tick.
    last_checkpoint: Instant,
}

impl App {
    /// An app on `library` for the learner of `store`, starting at the catalogue (or the
    /// picker when `picker` is set).
    #[must_use]
    pub fn new(
        library: Library,
        store: Store,
        data: Option<DataDir>,
        strings: Strings,
        theme: Theme,
        symbols: Symbols,
        picker: bool,
    ) -> Self {
        let mut app = Self {
            library,
            session: Session {
                store,
                data,
                status: None,
                overlay: None,
                fixed_attempts: None,
            },
            screen: Screen::Picker(PickerState::default()),
            strings,
            theme,
            symbols,
            size: (80, 24),
            reading: super::lesson::MAX_READING_WIDTH,
            forced: (true, true),
            quit: false,
            activity: ActiveTime::new(),
            checkpoint: None,
            last_checkpoint: Instant::now(),
        };
        if let Some(width) = app.session.store.profile().settings.width {
            app.reading = width.clamp(40, 300);
        }
        app.go(if picker { Go::Picker } else { Go::Catalogue });
        let notices = app.session.store.take_notices();
        if !notices.is_empty() {
            app.session.overlay = Some(Overlay::Message {
                title: app.strings.get("notice.title").to_owned(),
                body: notices,
            });
        }
        app
    }

    /// Whether a text field has the focus (so letters type).
    #[must_use]
    pub fn typing(&self) -> bool {
        if self.session.overlay.is_some() {
            return false;
        }
        match &self.screen {
            Screen::Quiz(q) => q.typing(),
            Screen::Picker(p) => p.typing(),
            _ => false,
        }
    }

    /// Keeps width-dependent state (wrapped lines, page sizes) in step with the
    /// terminal; called before every draw.
    pub fn resize(&mut self, width: u16, height: u16) {
        self.size = (width, height);
        let banner = super::view::banner_height(self, width, height);
        let body = super::view::body_size(width, height, banner);
        let ui = super::view::Ui {
            strings: &self.strings,
            theme: &self.theme,
            symbols: &self.symbols,
            reading: self.reading,
        };
        match &mut self.screen {
            Screen::Lesson(l) => l.layout(
                body,
                self.reading,
                self.symbols.ascii,
                self.strings.get("lesson.end"),
            ),
            Screen::Quiz(q) => q.layout(body, &ui),
            Screen::Results(r) => r.layout(body, &ui),
            _ => {}
        }
    }

    /// Applies one action.
    pub fn update(&mut self, action: Action) {
        self.count_activity();
        if let Action::Click(x, y) = action {
            // The key bar is a row of buttons; elsewhere a click selects.
            if y + 1 == self.size.1 {
                if let Some(action) = super::view::bar_action(self, x) {
                    self.update(action);
                }
            } else if self.session.overlay.is_none() {
                self.click(x, y);
            }
            return;
        }
        self.session.status = None;
        if let Some(overlay) = self.session.overlay.clone() {
            self.update_overlay(&overlay, &action);
            return;
        }
        match action {
            Action::Help if !self.typing() => {
                self.session.overlay = Some(Overlay::Help);
                return;
            }
            Action::Theme | Action::Language | Action::Width => {
                self.change_setting(&action);
                return;
            }
            Action::Quit => {
                if matches!(&self.screen, Screen::Quiz(q) if q.unfinished()) {
                    self.session.overlay = Some(Overlay::LeaveQuiz { quit: true });
                } else {
                    self.go(Go::Quit);
                }
                return;
            }
            _ => {}
        }
        let go = match &mut self.screen {
            Screen::Picker(s) => super::picker::update(s, action, &mut self.session, &self.strings),
            Screen::Catalogue(s) => {
                super::catalogue::update(s, &action, &self.library, &mut self.session)
            }
            Screen::Course(s) => {
                super::course::update(s, &action, &mut self.session, &self.strings)
            }
            Screen::Lesson(s) => super::lesson::update(s, &action),
            Screen::Quiz(s) => super::quiz::update(s, &action, &mut self.session, &self.strings),
            Screen::Results(s) => {
                super::results::update(s, &action, &mut self.session, &self.strings)
            }
        };
        if let Some(go) = go {
            self.go(go);
        }
    }

    /// A click at `(x, y)` outside the key bar: on a list row, selects it, and opens it
    /// when it was selected already.
    fn click(&mut self, x: u16, y: u16) {
        let _ = x;
        let (width, height) = self.size;
        let banner = super::view::banner_height(self, width, height);
        let body_y = y.saturating_sub(1 + banner);
        let (_, height) = super::view::body_size(width, height, banner);
        let row = match &self.screen {
            Screen::Catalogue(s) => {
                super::catalogue::row_at(s, &self.library, &self.session.store, body_y, height)
            }
            Screen::Course(s) => super::course::row_at(s, &self.library, body_y, height),
            _ => None,
        };
        let Some(row) = row else { return };
        let selected = match &mut self.screen {
            Screen::Catalogue(s) => std::mem::replace(&mut s.selected, row) == row,
            Screen::Course(s) => std::mem::replace(&mut s.selected, row) == row,
            _ => false,
        };
        if selected {
            self.update(Action::Enter);
        }
    }

    /// Steps to the next theme, language or reading width, and saves it for the learner.
    fn change_setting(&mut self, action: &Action) {
        let mut settings = self.session.store.profile().settings.clone();
        let message = match action {
            Action::Theme => {
                self.theme = self.theme.next();
                settings.theme = Some(self.theme.name.to_owned());
                self.strings
                    .fmt("settings.theme", &[("name", self.theme.name)])
            }
            Action::Language => {
                let all = Lang::ALL;
                let i = all
                    .iter()
                    .position(|l| *l == self.strings.lang())
                    .unwrap_or(0);
                let next = all.get((i + 1) % all.len()).copied().unwrap_or_default();
                self.strings = Strings::new(next);
                settings.language = Some(next.code().to_owned());
                // The courses in the new language come first now.
                if let Screen::Catalogue(state) = &mut self.screen {
                    *state = CatalogueState::new(&self.library, &self.session.store, 0, next);
                }
                self.strings.get("settings.language").to_owned()
            }
            _ => {
                let widths = super::lesson::READING_WIDTHS;
                let next = widths
                    .iter()
                    .copied()
                    .find(|w| *w > self.reading)
                    .or_else(|| widths.first().copied())
                    .unwrap_or(super::lesson::MAX_READING_WIDTH);
                self.reading = next;
                settings.width = Some(next);
                self.strings
                    .fmt("settings.width", &[("n", &next.to_string())])
            }
        };
        self.session.record(Change::Settings { settings });
        self.session.save(&self.strings);
        self.session.status = Some(message);
        let (w, h) = self.size;
        self.resize(w, h);
    }

    /// Takes the learner's saved reading width (and, unless the command line or the
    /// environment decided them, language and theme) — after opening or switching a
    /// profile.
    pub fn apply_saved_settings(&mut self, forced_theme: bool, forced_lang: bool) {
        let settings = self.session.store.profile().settings.clone();
        if let Some(width) = settings.width {
            self.reading = width.clamp(40, 300);
        }
        if !forced_theme && let Some(theme) = settings.theme.as_deref().and_then(Theme::by_name) {
            self.theme = theme;
        }
        if !forced_lang && let Some(lang) = settings.language.as_deref().and_then(Lang::from_code) {
            self.strings = Strings::new(lang);
        }
    }

    fn update_overlay(&mut self, overlay: &Overlay, action: &Action) {
        match overlay {
            Overlay::LeaveQuiz { quit } => match action {
                Action::Enter | Action::Char('y' | 'j') => {
                    self.session.overlay = None;
                    if *quit {
                        self.go(Go::Quit);
                    } else if let Screen::Quiz(q) = &self.screen {
                        let course = q.course;
                        let select = Some(q.pos);
                        self.go(Go::Course { course, select });
                    }
                }
                Action::Back | Action::Char('n') => self.session.overlay = None,
                Action::Quit => self.go(Go::Quit),
                _ => {}
            },
            Overlay::Help | Overlay::Message { .. } => match action {
                Action::Quit => self.go(Go::Quit),
                Action::Back | Action::Enter | Action::Help | Action::Space => {
                    self.session.overlay = None;
                }
                _ => {}
            },
        }
    }

    /// Adds the time since the last action (capped, so a pause is not counted).
    fn count_activity(&mut self) {
        self.activity.touch();
    }

    /// Leaves the current screen, recording what it owes (time, reading position), and
    /// opens the one `go` names.
    pub fn go(&mut self, go: Go) {
        self.leave_screen(go);
        match go {
            Go::Quit => self.quit = true,
            Go::Picker => {
                let profiles = self
                    .session
                    .data
                    .as_ref()
                    .and_then(|d| d.profiles().ok())
                    .unwrap_or_default();
                self.screen = Screen::Picker(PickerState::new(
                    profiles,
                    self.session.store.profile().name.clone(),
                ));
            }
            Go::Catalogue => {
                if matches!(self.screen, Screen::Picker(_)) {
                    self.apply_saved_settings(self.forced.0, self.forced.1);
                }
                let selected = self.catalogue_selection();
                self.screen = Screen::Catalogue(CatalogueState::new(
                    &self.library,
                    &self.session.store,
                    selected,
                    self.strings.lang(),
                ));
            }
            Go::Course { course, select } => {
                match CourseState::new(&self.library, course, &self.session.store, select) {
                    Some(state) => self.screen = Screen::Course(state),
                    None => self.go(Go::Catalogue),
                }
            }
            Go::Item { course, pos } => self.open_item(course, pos),
            Go::Finished => {
                if let Screen::Quiz(q) = &self.screen {
                    let mut results = ResultsState::from_quiz(q, &self.session);
                    results.next = self
                        .library
                        .courses
                        .get(q.course)
                        .and_then(|c| c.next_pos(q.pos));
                    self.screen = Screen::Results(Box::new(results));
                    let (w, h) = self.size;
                    self.resize(w, h);
                }
            }
        }
        self.activity.reset();
    }

    /// The catalogue row of the course we come from, so going back keeps the place.
    fn catalogue_selection(&self) -> usize {
        let course = match &self.screen {
            Screen::Course(s) => Some(s.course),
            Screen::Lesson(s) => Some(s.course),
            Screen::Quiz(s) => Some(s.course),
            Screen::Results(s) => Some(s.course),
            _ => None,
        };
        let entries =
            super::catalogue::entries(&self.library, &self.session.store, self.strings.lang());
        course
            .and_then(|c| {
                entries
                    .iter()
                    .position(|e| *e == super::catalogue::Entry::Course(c))
            })
            .unwrap_or(0)
    }

    /// The course id and item key of the lesson or quiz on screen.
    fn open_item_key(&self) -> Option<(String, String)> {
        let (course, pos) = match &self.screen {
            Screen::Lesson(l) => (l.course, l.pos),
            Screen::Quiz(q) => (q.course, q.pos),
            _ => return None,
        };
        let c = self.library.courses.get(course)?;
        let module = c.modules.get(pos.module)?;
        let item = module.items.get(pos.item)?;
        Some((c.id.clone(), item_key(module, item)))
    }

    /// Records the reading position, when it changed, and the time spent not yet
    /// recorded, when it is at least `min_seconds`.
    fn record_time_and_position(&mut self, min_seconds: u64) {
        let Some((course, item)) = self.open_item_key() else {
            return;
        };
        if let Screen::Lesson(lesson) = &self.screen {
            let position = lesson.fraction();
            if self.checkpoint != Some(position) {
                self.checkpoint = Some(position);
                self.session.record(Change::Position {
                    course: course.clone(),
                    item: item.clone(),
                    position,
                });
            }
        }
        let seconds = self.activity.seconds();
        if seconds > 0 && seconds >= min_seconds {
            self.session.record(Change::Time {
                course,
                item,
                seconds,
            });
            self.activity.take(seconds);
        }
    }

    fn leave_screen(&mut self, go: Go) {
        self.record_time_and_position(1);
        if let Screen::Lesson(lesson) = &self.screen
            && lesson.leaving_forward
            && lesson.reached_end
            && !matches!(go, Go::Quit)
            && let Some((course, item)) = self.open_item_key()
        {
            self.session.record(Change::Finished { course, item });
        }
        self.checkpoint = None;
        self.session.save(&self.strings);
    }

    fn open_item(&mut self, course_index: usize, pos: ItemPos) {
        let Some(course) = self.library.courses.get(course_index) else {
            return self.go(Go::Catalogue);
        };
        let Some(item) = course.item(pos).cloned() else {
            return self.go(Go::Course {
                course: course_index,
                select: None,
            });
        };
        let module = course
            .modules
            .get(pos.module)
            .map(|m| m.id.clone())
            .unwrap_or_default();
        let key = format!("{module}/{}", item.id);
        let locked = self.session.store.profile().is_locked(course, pos);
        let back_to_course = |app: &mut Self| {
            let state = CourseState::new(&app.library, course_index, &app.session.store, Some(pos));
            app.screen = Screen::Course(state.unwrap_or_default());
        };
        if locked {
            back_to_course(self);
            self.session.status = Some(self.strings.get("course.locked_message").to_owned());
            return;
        }
        match course.load_item(pos) {
            Err(diagnostics) => {
                back_to_course(self);
                self.session.overlay = Some(Overlay::Message {
                    title: self.strings.get("course.item_errors").to_owned(),
                    body: diagnostics
                        .iter()
                        .flat_map(|d| d.to_string().lines().map(str::to_owned).collect::<Vec<_>>())
                        .collect(),
                });
            }
            Ok(ItemContent::Lesson(lesson)) => {
                let neighbours = (course.prev_pos(pos), course.next_pos(pos));
                let modified = course.root.modified(&item.file);
                let course_id = course.id.clone();
                let position = self
                    .session
                    .store
                    .profile()
                    .item(&course_id, &key)
                    .map_or(0.0, |r| r.position);
                self.session.record(Change::Opened {
                    course: course_id,
                    item: key,
                });
                self.session.save(&self.strings);
                let state =
                    LessonState::new(course_index, pos, neighbours, &lesson, position, modified);
                self.checkpoint = Some(position);
                self.screen = Screen::Lesson(Box::new(state));
            }
            Ok(ItemContent::Quiz(quiz)) => {
                let next = course.next_pos(pos);
                let course_id = course.id.clone();
                self.open_quiz(course_index, pos, (&course_id, &key), quiz, next);
            }
        }
        let (w, h) = self.size;
        self.resize(w, h);
    }

    /// Starts or resumes an attempt at `quiz`, or shows the last results when no
    /// attempts are left.
    fn open_quiz(
        &mut self,
        course_index: usize,
        pos: ItemPos,
        (course_id, key): (&str, &str),
        quiz: Quiz,
        next: Option<ItemPos>,
    ) {
        self.session.record(Change::Opened {
            course: course_id.to_owned(),
            item: key.to_owned(),
        });
        let record = self
            .session
            .store
            .profile()
            .item(course_id, key)
            .cloned()
            .unwrap_or_default();
        self.screen = match QuizState::open(
            course_index,
            pos,
            course_id,
            key,
            quiz,
            &record,
            &mut self.session,
        ) {
            Ok(state) => Screen::Quiz(Box::new(state)),
            Err(mut results) => {
                results.next = next;
                Screen::Results(results)
            }
        };
        self.session.save(&self.strings);
    }

    /// Whether there is work to do before waiting for the learner: the rest of a large
    /// lesson's layout (see [`Self::idle`]).
    #[must_use]
    pub fn busy(&self) -> bool {
        matches!(&self.screen, Screen::Lesson(l) if l.layout_pending())
    }

    /// Does the work [`Self::busy`] announces; the loop calls it when no event waits.
    pub fn idle(&mut self) {
        if let Screen::Lesson(lesson) = &mut self.screen {
            lesson.complete_layout();
        }
    }

    /// Checks whether the open lesson's file changed on disk and shows the new text
    /// (live preview for authors). Called on idle ticks.
    pub fn tick(&mut self) {
        // Nothing depends on a clean exit: a window closed on Windows, a power cut or a
        // killed process loses at most the last tick's scrolling.
        if self.last_checkpoint.elapsed() >= CHECKPOINT_EVERY {
            self.last_checkpoint = Instant::now();
            self.record_time_and_position(CHECKPOINT_EVERY.as_secs() * 6);
            if self.session.store.has_pending() {
                self.session.save(&self.strings);
            }
        }
        let Screen::Lesson(lesson) = &mut self.screen else {
            return;
        };
        let Some(course) = self.library.courses.get(lesson.course) else {
            return;
        };
        let Some(item) = course.item(lesson.pos) else {
            return;
        };
        let modified = course.root.modified(&item.file);
        if modified.is_none() || modified == lesson.modified {
            return;
        }
        if let Ok(ItemContent::Lesson(new)) = course.load_item(lesson.pos) {
            lesson.reload(&new, modified);
            let (w, h) = self.size;
            self.resize(w, h);
        }
    }

    /// Saves what is pending (called when kurs exits, however it exits).
    pub fn shutdown(&mut self) {
        self.count_activity();
        self.leave_screen(Go::Quit);
        // A failure is in the store's problem, which the caller reports on the way out
        // (what was not saved, and exit status 1).
        let _ = self.session.store.compact();
    }
}
