//! The catalogue: every course with its progress, and "continue where you left off".

use std::fmt::Write as _;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{HighlightSpacing, List, ListItem, ListState, StatefulWidget};

use super::app::{App, Go, Overlay, Session};
use super::keys::Action;
use super::view::Hint;
use crate::course::{Course, ItemPos, Library};
use crate::i18n::Lang;
use crate::progress::store::Store;
use crate::text::truncate_to_width;

/// The catalogue's state: which row is selected.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CatalogueState {
    /// Index into [`entries`].
    pub selected: usize,
    /// "Course · item title" of the item to continue, when there is one.
    pub resume: Option<String>,
    /// The interface language: its courses come first.
    pub lang: Lang,
}

impl CatalogueState {
    /// The catalogue with row `selected` chosen, courses in `lang` first.
    #[must_use]
    pub fn new(library: &Library, store: &Store, selected: usize, lang: Lang) -> Self {
        let resume = entries(library, store, lang)
            .into_iter()
            .find_map(|e| match e {
                Entry::Continue { course, pos } => {
                    let c = library.courses.get(course)?;
                    let title = c.load_item(pos).map_or_else(
                        |_| c.item(pos).map(|i| i.id.clone()).unwrap_or_default(),
                        |i| i.title().to_owned(),
                    );
                    Some(format!("{} · {title}", c.title))
                }
                _ => None,
            });
        Self {
            selected,
            resume,
            lang,
        }
    }
}

/// A row of the catalogue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entry {
    /// Resume the last item.
    Continue {
        /// Index of the course.
        course: usize,
        /// The item.
        pos: ItemPos,
    },
    /// A course.
    Course(usize),
    /// A course that failed to load.
    Failed(usize),
}

/// The rows: "continue" (when there is something to continue), the courses in the
/// interface language `lang`, the courses in other languages (under "Other languages"),
/// then the courses that failed to load. "Continue" opens the item the learner was last
/// in, or the one after it when that one is done.
#[must_use]
pub fn entries(library: &Library, store: &Store, lang: Lang) -> Vec<Entry> {
    let mut out = Vec::new();
    let resume = store.profile().resume(library);
    out.extend(resume.map(|(course, pos)| Entry::Continue { course, pos }));
    out.extend(
        library
            .in_language_order(lang.code())
            .0
            .into_iter()
            .map(Entry::Course),
    );
    out.extend((0..library.failed.len()).map(Entry::Failed));
    out
}

/// The row that starts "Other languages": the first course not in `lang`, when some
/// course is in it (a library with no course in the interface language has no heading).
fn other_languages_from(entries: &[Entry], library: &Library, lang: Lang) -> Option<usize> {
    let (order, split) = library.in_language_order(lang.code());
    let first_other = *order.get(split?)?;
    entries
        .iter()
        .position(|e| *e == Entry::Course(first_other))
}

/// How many lines each entry takes in the list (the blank line after it, and the
/// "Other languages" heading above the first course in another language, included).
fn entry_heights(entries: &[Entry], library: &Library, lang: Lang) -> Vec<usize> {
    let heading = other_languages_from(entries, library, lang);
    entries
        .iter()
        .enumerate()
        .map(|(row, entry)| {
            let own = match entry {
                Entry::Course(index) => {
                    let described = library
                        .courses
                        .get(*index)
                        .is_some_and(|c| !c.description.is_empty());
                    3 + usize::from(described)
                }
                Entry::Continue { .. } | Entry::Failed(_) => 3,
            };
            own + 2 * usize::from(heading == Some(row))
        })
        .collect()
}

/// The entry at line `y` of a list `height` lines tall, for a click.
#[must_use]
pub fn row_at(
    state: &CatalogueState,
    library: &Library,
    store: &Store,
    y: u16,
    height: u16,
) -> Option<usize> {
    let heights = entry_heights(&entries(library, store, state.lang), library, state.lang);
    super::view::list_row_at(
        &heights,
        state.selected,
        usize::from(height.saturating_sub(notice_lines(library))),
        usize::from(y),
    )
}

/// The lines at the foot of the course list that name course folders that could not be
/// read (an unplugged USB stick, a share that is gone) or hold no course: at most three.
fn notice_lines(library: &Library) -> u16 {
    u16::try_from(library.unavailable.len().min(3)).unwrap_or(3)
}

/// Handles an action in the catalogue.
pub fn update(
    state: &mut CatalogueState,
    action: &Action,
    library: &Library,
    session: &mut Session,
) -> Option<Go> {
    let entries = entries(library, &session.store, state.lang);
    let last = entries.len().saturating_sub(1);
    match action {
        Action::Up => state.selected = state.selected.saturating_sub(1),
        Action::Down => state.selected = (state.selected + 1).min(last),
        Action::Home | Action::PageUp => state.selected = 0,
        Action::End | Action::PageDown => state.selected = last,
        Action::Number(n) => state.selected = usize::from(*n).saturating_sub(1).min(last),
        Action::Back => return Some(Go::Quit),
        Action::Prev if session.data.is_some() => return Some(Go::Picker),
        Action::Enter | Action::Right => match entries.get(state.selected) {
            Some(Entry::Continue { course, pos }) => {
                return Some(Go::Item {
                    course: *course,
                    pos: *pos,
                });
            }
            Some(Entry::Course(course)) => {
                return Some(Go::Course {
                    course: *course,
                    select: None,
                });
            }
            Some(Entry::Failed(index)) => {
                if let Some(failed) = library.failed.get(*index) {
                    session.overlay = Some(Overlay::Message {
                        title: failed
                            .title
                            .clone()
                            .unwrap_or_else(|| failed.folder.clone()),
                        body: failed
                            .diagnostics
                            .iter()
                            .flat_map(|d| {
                                d.to_string().lines().map(str::to_owned).collect::<Vec<_>>()
                            })
                            .collect(),
                    });
                }
            }
            None => {}
        },
        _ => {}
    }
    None
}

/// A text progress bar of `width` cells.
#[must_use]
pub fn gauge(app: &App, done: usize, total: usize, width: usize) -> String {
    let filled = if total == 0 {
        0
    } else {
        (done * width).div_ceil(total).min(width)
    };
    let filled = if done < total {
        filled.min(width.saturating_sub(1))
    } else {
        filled
    };
    format!(
        "{}{}",
        app.symbols.gauge_full.repeat(filled),
        app.symbols.gauge_empty.repeat(width - filled)
    )
}

/// Draws the catalogue.
pub fn render(state: &CatalogueState, app: &App, area: Rect, buf: &mut Buffer) {
    let s = &app.strings;
    let area = render_unavailable(app, area, buf);
    let width = usize::from(area.width.saturating_sub(4));
    let rows = entries(&app.library, &app.session.store, state.lang);
    let heading = other_languages_from(&rows, &app.library, state.lang);
    let items: Vec<ListItem> = rows
        .into_iter()
        .enumerate()
        .map(|(row, entry)| {
            let mut lines: Vec<Line> = Vec::new();
            if heading == Some(row) {
                lines.push(Line::from(Span::styled(
                    s.get("catalogue.other_languages").to_owned(),
                    app.theme.accent.add_modifier(Modifier::BOLD),
                )));
                lines.push(Line::default());
            }
            match entry {
                Entry::Continue { .. } => {
                    lines.push(Line::from(Span::styled(
                        format!("{} {}", app.symbols.pointer, s.get("catalogue.continue")),
                        app.theme.accent,
                    )));
                    let resume = state.resume.as_deref().unwrap_or_default();
                    lines.push(Line::from(Span::styled(
                        truncate_to_width(resume, width).into_owned(),
                        app.theme.dim,
                    )));
                }
                Entry::Course(index) => {
                    let Some(course) = app.library.courses.get(index) else {
                        return ListItem::new("");
                    };
                    lines.extend(course_lines(app, course, width));
                }
                Entry::Failed(index) => {
                    let Some(failed) = app.library.failed.get(index) else {
                        return ListItem::new("");
                    };
                    let title = failed
                        .title
                        .clone()
                        .unwrap_or_else(|| failed.folder.clone());
                    lines.push(Line::from(Span::styled(
                        truncate_to_width(&title, width).into_owned(),
                        app.theme.text.add_modifier(Modifier::BOLD),
                    )));
                    lines.push(Line::from(Span::styled(
                        format!("{} {}", app.symbols.broken, s.get("catalogue.failed")),
                        app.theme.bad,
                    )));
                }
            }
            lines.push(Line::default());
            ListItem::new(Text::from(lines))
        })
        .collect();
    let list = List::new(items)
        .style(app.theme.text)
        .highlight_style(app.theme.selected)
        .highlight_symbol(if app.symbols.ascii { "> " } else { "▌ " })
        .highlight_spacing(HighlightSpacing::Always);
    let mut list_state = ListState::default().with_selected(Some(state.selected));
    StatefulWidget::render(list, area, buf, &mut list_state);
}

/// Names the course folders that could not be read at the foot of `area`; returns the
/// rest of it, for the list.
fn render_unavailable(app: &App, area: Rect, buf: &mut Buffer) -> Rect {
    let rows = notice_lines(&app.library).min(area.height / 2);
    let area = Rect {
        height: area.height - rows,
        ..area
    };
    let y = area.y + area.height;
    let s = &app.strings;
    for (row, missing) in (y..y + rows).zip(&app.library.unavailable) {
        let line = s.fmt(
            "catalogue.folder_unavailable",
            &[("folder", &missing.path), ("reason", &missing.reason)],
        );
        let text = format!(" {} {line}", app.symbols.broken);
        let text = truncate_to_width(&text, usize::from(area.width));
        buf.set_line(
            area.x,
            row,
            &Line::from(Span::styled(text.into_owned(), app.theme.warn)),
            area.width,
        );
    }
    area
}

/// The lines of a course's row: title and language, description, progress gauge.
fn course_lines<'a>(app: &App, course: &'a Course, width: usize) -> Vec<Line<'a>> {
    let s = &app.strings;
    let profile = app.session.store.profile();
    let mut lines: Vec<Line> = Vec::new();
    let summary = profile.course_summary(course);
    let mut meta = course.language.clone();
    if let Some(m) = course.minutes {
        let _ = write!(
            meta,
            " {} {}",
            app.symbols.dot,
            s.fmt("catalogue.minutes", &[("n", &m.to_string())])
        );
    }
    lines.push(Line::from(vec![
        Span::styled(
            truncate_to_width(&course.title, width.saturating_sub(meta.len() + 3)).into_owned(),
            app.theme.text.add_modifier(Modifier::BOLD),
        ),
        Span::styled(format!("  {meta}"), app.theme.dim),
    ]));
    if !course.description.is_empty() {
        lines.push(Line::from(Span::styled(
            truncate_to_width(&course.description, width).into_owned(),
            app.theme.dim,
        )));
    }
    let mut progress = s.fmt(
        "catalogue.done_of",
        &[
            ("done", &summary.done.to_string()),
            ("total", &summary.total.to_string()),
        ],
    );
    if let Some(avg) = summary.quiz_average {
        let _ = write!(
            progress,
            " {} {}",
            app.symbols.dot,
            s.fmt("catalogue.quiz_average", &[("percent", &s.percent(avg))])
        );
    }
    lines.push(Line::from(vec![
        Span::styled(gauge(app, summary.done, summary.total, 12), app.theme.good),
        Span::styled(format!(" {progress}"), app.theme.text),
    ]));
    lines
}

/// The key bar entries.
#[must_use]
pub fn keys(app: &App) -> Vec<Hint> {
    let s = &app.strings;
    let mut keys = vec![
        Hint::new("↑↓", s.get("keys.choose"), Action::Down),
        Hint::new("Enter", s.get("keys.open"), Action::Enter),
    ];
    if app.session.data.is_some() {
        keys.push(Hint::new("p", s.get("keys.switch_learner"), Action::Prev));
    }
    keys.push(Hint::new("t", s.get("keys.theme"), Action::Theme));
    keys.push(Hint::new("q", s.get("keys.quit"), Action::Back));
    keys
}
