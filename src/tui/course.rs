//! A course: its description, its modules and their lessons and quizzes, each with a
//! status mark, locks where `sequential` or `requires` apply, and the suggested next item.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{
    HighlightSpacing, List, ListItem, ListState, Paragraph, StatefulWidget, Widget, Wrap,
};

use super::app::{App, Go, Overlay, Session};
use super::keys::Action;
use super::view::Hint;
use crate::course::{ItemKind, ItemPos, Library};
use crate::i18n::Strings;
use crate::progress::Status;
use crate::progress::store::Store;

/// A row of the course screen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Row {
    /// A module heading.
    Module {
        /// Its number and title.
        title: String,
        /// Its description.
        description: Option<String>,
        /// Whether it is locked, and by which module titles.
        locked_by: Option<Vec<String>>,
    },
    /// A lesson or quiz.
    Item {
        /// Its place.
        pos: ItemPos,
        /// Its title.
        title: String,
        /// Lesson or quiz.
        kind: ItemKind,
        /// Done, in progress, not started.
        status: Status,
        /// In a locked module.
        locked: bool,
        /// Load errors, as text lines (empty when it loads).
        errors: Vec<String>,
    },
}

/// The course screen's state.
#[derive(Clone, Debug, Default)]
pub struct CourseState {
    /// Index of the course in the library.
    pub course: usize,
    /// Module and item rows.
    pub rows: Vec<Row>,
    /// The selected row (always an item row).
    pub selected: usize,
    /// The row of the suggested next item.
    pub suggested: Option<usize>,
}

impl CourseState {
    /// Builds the rows of course `course`, selecting `select` (default: the suggested next
    /// item). `None` when there is no such course.
    #[must_use]
    pub fn new(
        library: &Library,
        course: usize,
        store: &Store,
        select: Option<ItemPos>,
    ) -> Option<Self> {
        let c = library.courses.get(course)?;
        let profile = store.profile();
        let status_of =
            |m: &crate::course::Module, i: &crate::course::ItemRef| profile.status(&c.id, m, i);
        let locked = c.locked_modules(|m, i| status_of(m, i) == Status::Done);
        let mut rows = Vec::new();
        let mut suggested = None;
        let mut wanted = None;
        for (m, module) in c.modules.iter().enumerate() {
            let is_locked = locked.get(m).copied().unwrap_or(false);
            let locked_by = is_locked.then(|| {
                let mut by: Vec<String> = module
                    .requires
                    .iter()
                    .filter_map(|r| {
                        c.modules
                            .iter()
                            .find(|x| &x.id == r)
                            .map(|x| x.title.clone())
                    })
                    .collect();
                if by.is_empty()
                    && let Some(prev) = m.checked_sub(1).and_then(|p| c.modules.get(p))
                {
                    by.push(prev.title.clone());
                }
                by
            });
            rows.push(Row::Module {
                title: format!("{}. {}", m + 1, module.title),
                description: module.description.clone(),
                locked_by,
            });
            for (i, item) in module.items.iter().enumerate() {
                let pos = ItemPos { module: m, item: i };
                let (title, errors) = match c.load_item(pos) {
                    Ok(content) => (content.title().to_owned(), Vec::new()),
                    Err(diagnostics) => (
                        crate::course::manifest::title_from_id(&item.id),
                        diagnostics
                            .iter()
                            .flat_map(|d| {
                                d.to_string().lines().map(str::to_owned).collect::<Vec<_>>()
                            })
                            .collect(),
                    ),
                };
                let status = profile.status(&c.id, module, item);
                if suggested.is_none() && status != Status::Done && !is_locked && errors.is_empty()
                {
                    suggested = Some(rows.len());
                }
                if select == Some(pos) {
                    wanted = Some(rows.len());
                }
                rows.push(Row::Item {
                    pos,
                    title,
                    kind: item.kind,
                    status,
                    locked: is_locked,
                    errors,
                });
            }
        }
        let first_item = rows
            .iter()
            .position(|r| matches!(r, Row::Item { .. }))
            .unwrap_or(0);
        let selected = wanted.or(suggested).unwrap_or(first_item);
        Some(Self {
            course,
            rows,
            selected,
            suggested,
        })
    }

    fn move_by(&mut self, delta: isize) {
        let mut index = self.selected;
        loop {
            let Some(next) = index
                .checked_add_signed(delta)
                .filter(|&n| n < self.rows.len())
            else {
                return;
            };
            index = next;
            if matches!(self.rows.get(index), Some(Row::Item { .. })) {
                self.selected = index;
                return;
            }
        }
    }
}

/// How many lines the course screen's head takes in a body `height` lines tall.
fn head_height(course: &crate::course::Course, height: u16) -> u16 {
    let lines = 2 + u16::from(!course.description.is_empty());
    (lines + 1).min(height / 2)
}

/// The item row at line `y` of the body (`height` lines), for a click.
#[must_use]
pub fn row_at(state: &CourseState, library: &Library, y: u16, height: u16) -> Option<usize> {
    let course = library.courses.get(state.course)?;
    let head = head_height(course, height);
    let y = y.checked_sub(head)?;
    let heights: Vec<usize> = state
        .rows
        .iter()
        .map(|r| {
            if matches!(r, Row::Module { .. }) {
                2
            } else {
                1
            }
        })
        .collect();
    let row = super::view::list_row_at(
        &heights,
        state.selected,
        usize::from(height - head),
        usize::from(y),
    )?;
    matches!(state.rows.get(row), Some(Row::Item { .. })).then_some(row)
}

/// Handles an action on the course screen.
pub fn update(
    state: &mut CourseState,
    action: &Action,
    session: &mut Session,
    strings: &Strings,
) -> Option<Go> {
    match action {
        Action::Up => state.move_by(-1),
        Action::Down => state.move_by(1),
        Action::Home | Action::PageUp => {
            state.selected = 0;
            state.move_by(1);
            state.move_by(-1);
            if !matches!(state.rows.get(state.selected), Some(Row::Item { .. })) {
                state.move_by(1);
            }
        }
        Action::End | Action::PageDown => {
            state.selected = state.rows.len().saturating_sub(1);
            if !matches!(state.rows.get(state.selected), Some(Row::Item { .. })) {
                state.move_by(-1);
            }
        }
        Action::Back | Action::Left => return Some(Go::Catalogue),
        Action::Enter | Action::Right => {
            if let Some(Row::Item {
                pos,
                locked,
                errors,
                title,
                ..
            }) = state.rows.get(state.selected)
            {
                if *locked {
                    session.status = Some(strings.get("course.locked_message").to_owned());
                } else if !errors.is_empty() {
                    session.overlay = Some(Overlay::Message {
                        title: title.clone(),
                        body: errors.clone(),
                    });
                } else {
                    return Some(Go::Item {
                        course: state.course,
                        pos: *pos,
                    });
                }
            }
        }
        _ => {}
    }
    None
}

/// Draws the course screen.
pub fn render(state: &CourseState, app: &App, area: Rect, buf: &mut Buffer) {
    let s = &app.strings;
    let Some(course) = app.library.courses.get(state.course) else {
        return;
    };
    let summary = app.session.store.profile().course_summary(course);
    let mut head = vec![Line::from(Span::styled(
        course.title.as_str(),
        app.theme.accent,
    ))];
    if !course.description.is_empty() {
        head.push(Line::from(Span::styled(
            course.description.as_str(),
            app.theme.dim,
        )));
    }
    head.push(Line::from(vec![
        Span::styled(
            super::catalogue::gauge(app, summary.done, summary.total, 12),
            app.theme.good,
        ),
        Span::styled(
            format!(
                " {}",
                s.fmt(
                    "catalogue.done_of",
                    &[
                        ("done", &summary.done.to_string()),
                        ("total", &summary.total.to_string())
                    ]
                )
            ),
            app.theme.text,
        ),
    ]));
    let head_height = head_height(course, area.height);
    let [head_area, list_area] =
        Layout::vertical([Constraint::Length(head_height), Constraint::Fill(1)]).areas(area);
    Paragraph::new(head)
        .wrap(Wrap { trim: true })
        .render(head_area.inner(ratatui::layout::Margin::new(1, 0)), buf);

    let sym = app.symbols;
    let items: Vec<ListItem> = state
        .rows
        .iter()
        .enumerate()
        .map(|(index, row)| row_item(state, app, index, row))
        .collect();
    let list = List::new(items)
        .highlight_style(app.theme.selected)
        .highlight_symbol(if sym.ascii { "> " } else { "▌ " })
        .highlight_spacing(HighlightSpacing::Always);
    let mut list_state = ListState::default().with_selected(Some(state.selected));
    StatefulWidget::render(list, list_area, buf, &mut list_state);
}

/// One row of the list: a module heading or an item with its status.
fn row_item(state: &CourseState, app: &App, index: usize, row: &Row) -> ListItem<'static> {
    let s = &app.strings;
    let sym = app.symbols;
    match row {
        Row::Module {
            title, locked_by, ..
        } => {
            let mut spans = vec![Span::styled(
                title.clone(),
                app.theme.text.add_modifier(Modifier::BOLD),
            )];
            if let Some(by) = locked_by {
                spans.push(Span::styled(
                    format!(
                        "  {} {}",
                        sym.locked,
                        s.fmt("course.locked_by", &[("modules", &by.join(", "))])
                    ),
                    app.theme.warn,
                ));
            }
            ListItem::new(Text::from(vec![Line::default(), Line::from(spans)]))
        }
        Row::Item {
            title,
            kind,
            status,
            locked,
            errors,
            ..
        } => {
            let (mark, word, style) = if !errors.is_empty() {
                (sym.broken, s.get("status.broken"), app.theme.bad)
            } else if *locked {
                (sym.locked, s.get("status.locked"), app.theme.warn)
            } else {
                match status {
                    Status::Done => (sym.done, s.get("status.done"), app.theme.good),
                    Status::InProgress => {
                        (sym.in_progress, s.get("status.in_progress"), app.theme.warn)
                    }
                    Status::NotStarted => {
                        (sym.not_started, s.get("status.not_started"), app.theme.dim)
                    }
                }
            };
            let kind_word = match kind {
                ItemKind::Lesson => s.get("course.lesson"),
                ItemKind::Quiz => s.get("course.quiz"),
            };
            let mut spans = vec![
                Span::raw("  "),
                Span::styled(format!("{mark} "), style),
                Span::styled(title.clone(), app.theme.text),
                Span::styled(format!("  {kind_word} {} {word}", sym.dot), app.theme.dim),
            ];
            if state.suggested == Some(index) {
                spans.push(Span::styled(
                    format!("  {} {}", sym.pointer, s.get("course.next")),
                    app.theme.accent,
                ));
            }
            ListItem::new(Line::from(spans))
        }
    }
}

/// The key bar entries.
#[must_use]
pub fn keys(app: &App) -> Vec<Hint> {
    let s = &app.strings;
    vec![
        Hint::new("↑↓", s.get("keys.choose"), Action::Down),
        Hint::new("Enter", s.get("keys.open"), Action::Enter),
        Hint::new("q", s.get("keys.back"), Action::Back),
    ]
}
