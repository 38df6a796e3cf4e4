//! Drawing: the frame (top bar, body, key bar), overlays, and the "enlarge" message.
//! Views only read the app; they never change it.

use std::fmt::Write as _;

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget, Wrap};

use super::app::{App, Overlay, Screen};
use super::keys::Action;
use super::theme::{Symbols, Theme};
use crate::i18n::Strings;
use crate::text::{display_width, truncate_to_width};

/// The smallest terminal kurs lays out; below it asks for a larger window.
pub const MIN_SIZE: (u16, u16) = (60, 16);

/// What views need besides the state: words, colours, symbols.
#[derive(Clone, Copy)]
pub struct Ui<'a> {
    /// Interface words.
    pub strings: &'a Strings,
    /// Colours.
    pub theme: &'a Theme,
    /// Symbols.
    pub symbols: &'a Symbols,
    /// The widest lines of text get.
    pub reading: u16,
}

impl App {
    /// The words, colours and symbols, for views.
    #[must_use]
    pub fn ui(&self) -> Ui<'_> {
        Ui {
            strings: &self.strings,
            theme: &self.theme,
            symbols: &self.symbols,
            reading: self.reading,
        }
    }
}

/// The size of the body (between the top bar, the banner of `banner` lines and the key
/// bar) for a terminal of this size.
#[must_use]
pub fn body_size(width: u16, height: u16, banner: u16) -> (u16, u16) {
    (width, height.saturating_sub(2).saturating_sub(banner))
}

/// The "Your progress is not being saved" banner's text, while saving fails.
fn banner_text(app: &App) -> Option<String> {
    let problem = app.session.store.problem()?;
    Some(app.strings.fmt(
        "status.not_saving",
        &[(
            "reason",
            crate::text::sanitize_line(problem).trim_end_matches('.'),
        )],
    ))
}

/// How many lines the banner takes at `width` × `height`: as many as its words need
/// (with a margin of one column each side), at most a quarter of the screen; 0 when
/// saving works.
#[must_use]
pub fn banner_height(app: &App, width: u16, height: u16) -> u16 {
    let Some(text) = banner_text(app) else {
        return 0;
    };
    let room = usize::from(width.saturating_sub(2)).max(1);
    let (mut lines, mut used) = (1usize, 0usize);
    for word in text.split_whitespace() {
        let w = display_width(word);
        if used > 0 && used + 1 + w > room {
            lines += 1 + w / room;
            used = w % room;
        } else {
            used += usize::from(used > 0) + w;
        }
    }
    u16::try_from(lines)
        .unwrap_or(u16::MAX)
        .min(height / 4)
        .max(1)
}

/// The first visible row of a list whose rows are `heights` lines tall, in `max` lines,
/// with row `selected` shown — the same window ratatui's `List` draws when it starts
/// from the top, so clicks can be mapped to rows without keeping state.
#[must_use]
pub fn list_first_visible(heights: &[usize], selected: usize, max: usize) -> usize {
    let mut used = 0;
    let mut last = 0;
    for h in heights {
        if used + h > max {
            break;
        }
        used += h;
        last += 1;
    }
    let mut first = 0;
    while selected >= last && last < heights.len() {
        used += heights.get(last).copied().unwrap_or(0);
        last += 1;
        while used > max && first < last {
            used -= heights.get(first).copied().unwrap_or(0);
            first += 1;
        }
    }
    first
}

/// The row of a list (rows `heights` tall, `selected` shown, `max` lines) at line `y`.
#[must_use]
pub fn list_row_at(heights: &[usize], selected: usize, max: usize, y: usize) -> Option<usize> {
    let mut top = 0;
    for (row, h) in heights
        .iter()
        .enumerate()
        .skip(list_first_visible(heights, selected, max))
    {
        if y < top + h {
            return Some(row);
        }
        top += h;
    }
    None
}

/// Draws `lines` from line `scroll` in a column of reading width, centred in `area`
/// (the quiz page and the results).
pub fn reading_column(
    app: &App,
    lines: Vec<Line<'static>>,
    scroll: usize,
    area: Rect,
    buf: &mut Buffer,
) {
    let visible: Vec<Line> = lines
        .into_iter()
        .skip(scroll)
        .take(usize::from(area.height))
        .collect();
    let left = area
        .width
        .saturating_sub(super::lesson::LessonState::reading_width(area.width, app.reading) + 1)
        / 2;
    let column = Rect {
        x: area.x + left,
        width: area.width - left,
        ..area
    };
    Paragraph::new(visible)
        .style(app.theme.text)
        .render(column, buf);
}

/// Draws the whole frame.
pub fn draw(app: &App, frame: &mut Frame) {
    let area = frame.area();
    let buf = frame.buffer_mut();
    if area.width < MIN_SIZE.0 || area.height < MIN_SIZE.1 {
        enlarge(app, area, buf);
        return;
    }
    let [header, banner, body, bar] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(banner_height(app, area.width, area.height)),
        Constraint::Fill(1),
        Constraint::Length(1),
    ])
    .areas(area);
    Block::new().style(app.theme.text).render(area, buf);
    top_bar(app, header, buf);
    match &app.screen {
        Screen::Picker(s) => super::picker::render(s, app, body, buf),
        Screen::Catalogue(s) => super::catalogue::render(s, app, body, buf),
        Screen::Course(s) => super::course::render(s, app, body, buf),
        Screen::Lesson(s) => super::lesson::render(s, app, body, buf),
        Screen::Quiz(s) => super::quiz::render(s, app, body, buf),
        Screen::Results(s) => super::results::render(s, app, body, buf),
    }
    if let Some(status) = &app.session.status {
        let line = Rect {
            y: body.bottom().saturating_sub(1),
            height: 1,
            ..body
        };
        Clear.render(line, buf);
        Paragraph::new(Line::from(Span::styled(
            format!(" {status}"),
            app.theme.warn.add_modifier(Modifier::BOLD),
        )))
        .style(app.theme.bar)
        .render(line, buf);
    }
    key_bar(app, &screen_keys(app), bar, buf);
    if let Some(text) = banner_text(app) {
        Paragraph::new(text)
            .wrap(Wrap { trim: true })
            .style(
                app.theme
                    .warn
                    .add_modifier(Modifier::BOLD | Modifier::REVERSED),
            )
            .block(Block::new().padding(ratatui::widgets::Padding::horizontal(1)))
            .render(banner, buf);
    }
    if let Some(overlay) = &app.session.overlay {
        draw_overlay(app, overlay, body, buf);
        return;
    }
    let cursor = match &app.screen {
        Screen::Quiz(s) => super::quiz::cursor(s, app, body),
        Screen::Picker(s) => super::picker::cursor(s, body),
        _ => None,
    };
    if let Some(position) = cursor {
        frame.set_cursor_position(position);
    }
}

/// An entry of the key bar: keys, what they do, and the action a click on it takes
/// (so the bar doubles as a row of buttons for mouse users).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hint {
    /// The key names, e.g. `↑↓` or `Enter`.
    pub keys: String,
    /// What they do, e.g. "choose".
    pub label: String,
    /// What a click on the entry does.
    pub action: Option<Action>,
}

impl Hint {
    /// An entry whose click takes `action`.
    #[must_use]
    pub fn new(keys: &str, label: &str, action: Action) -> Self {
        Self {
            keys: keys.to_owned(),
            label: label.to_owned(),
            action: Some(action),
        }
    }

    fn width(&self) -> usize {
        display_width(&self.keys) + display_width(&self.label) + 3
    }
}

/// The current screen's entries for the key bar, help last.
fn screen_keys(app: &App) -> Vec<Hint> {
    let s = &app.strings;
    let mut keys = if let Some(overlay) = &app.session.overlay {
        match overlay {
            Overlay::LeaveQuiz { .. } => vec![
                Hint::new("Enter", s.get("keys.leave"), Action::Enter),
                Hint::new("Esc", s.get("keys.stay"), Action::Back),
            ],
            _ => vec![Hint::new("Esc", s.get("keys.close"), Action::Back)],
        }
    } else {
        match &app.screen {
            Screen::Picker(p) => super::picker::keys(p, app),
            Screen::Catalogue(_) => super::catalogue::keys(app),
            Screen::Course(_) => super::course::keys(app),
            Screen::Lesson(l) => super::lesson::keys(l, app),
            Screen::Quiz(q) => super::quiz::keys(q, app),
            Screen::Results(r) => super::results::keys(r, app),
        }
    };
    if app.session.overlay.is_none() {
        let help_key = if app.typing() { "F1" } else { "?" };
        keys.push(Hint::new(help_key, s.get("keys.help"), Action::Help));
    }
    keys
}

/// The entries that fit in `width` columns, with the column each starts at: entries
/// are dropped from the end, but the last one (help) always stays.
fn bar_layout(keys: &[Hint], width: usize) -> Vec<(usize, &Hint)> {
    let Some((help, rest)) = keys.split_last() else {
        return Vec::new();
    };
    let mut used = 1 + help.width();
    let mut shown: Vec<&Hint> = Vec::new();
    for hint in rest {
        if used + hint.width() > width {
            break;
        }
        used += hint.width();
        shown.push(hint);
    }
    shown.push(help);
    let mut x = 1;
    shown
        .into_iter()
        .map(|h| {
            let at = x;
            x += h.width();
            (at, h)
        })
        .collect()
}

/// The action of the key bar entry at column `x`, for a click.
#[must_use]
pub fn bar_action(app: &App, x: u16) -> Option<Action> {
    let keys = screen_keys(app);
    let x = usize::from(x);
    bar_layout(&keys, usize::from(app.size.0))
        .into_iter()
        .find(|(at, h)| x >= *at && x < at + h.width())
        .and_then(|(_, h)| h.action.clone())
}

/// The key bar: `keys label  keys label …`.
fn key_bar(app: &App, keys: &[Hint], area: Rect, buf: &mut Buffer) {
    let mut spans = vec![Span::raw(" ")];
    for (_, hint) in bar_layout(keys, usize::from(area.width)) {
        spans.push(Span::styled(hint.keys.clone(), app.theme.bar_key));
        spans.push(Span::raw(format!(" {}  ", hint.label)));
    }
    Paragraph::new(Line::from(spans))
        .style(app.theme.bar)
        .render(area, buf);
}

/// The top bar: where the learner is, and who is learning.
fn top_bar(app: &App, area: Rect, buf: &mut Buffer) {
    let mut crumbs = vec!["kurs".to_owned()];
    let course_of = |index: usize| app.library.courses.get(index).map(|c| c.title.clone());
    let (course, item, percent) = match &app.screen {
        Screen::Picker(_) => (None, Some(app.strings.get("picker.title").to_owned()), None),
        Screen::Catalogue(_) => (None, None, None),
        Screen::Course(s) => (course_of(s.course), None, None),
        Screen::Lesson(s) => (
            course_of(s.course),
            Some(s.title.clone()),
            Some(s.percent()),
        ),
        Screen::Quiz(s) => (course_of(s.course), Some(s.quiz.title.clone()), None),
        Screen::Results(s) => (course_of(s.course), Some(s.quiz.title.clone()), None),
    };
    crumbs.extend(course);
    crumbs.extend(item);
    let mut right = String::new();
    if let Some(p) = percent {
        let _ = write!(right, "{p} %  ");
    }
    let name = &app.session.store.profile().name;
    if !name.is_empty() {
        right.push_str(name);
        right.push(' ');
    }
    let separator = if app.symbols.ascii { " > " } else { " › " };
    let room = usize::from(area.width).saturating_sub(display_width(&right) + 2);
    let left = truncate_to_width(&crumbs.join(separator), room).into_owned();
    let gap =
        usize::from(area.width).saturating_sub(display_width(&left) + display_width(&right) + 1);
    Paragraph::new(Line::from(format!(" {left}{}{right}", " ".repeat(gap))))
        .style(app.theme.header)
        .render(area, buf);
}

fn enlarge(app: &App, area: Rect, buf: &mut Buffer) {
    Clear.render(area, buf);
    let text = app.strings.fmt(
        "view.enlarge",
        &[
            ("w", &MIN_SIZE.0.to_string()),
            ("h", &MIN_SIZE.1.to_string()),
        ],
    );
    let lines = crate::markdown::wrap_plain(&text, usize::from(area.width.max(1)));
    let height = u16::try_from(lines.len()).unwrap_or(1).min(area.height);
    let [middle] = Layout::vertical([Constraint::Length(height)])
        .flex(Flex::Center)
        .areas(area);
    Paragraph::new(lines.into_iter().map(Line::from).collect::<Vec<_>>())
        .style(app.theme.text)
        .centered()
        .render(middle, buf);
}

/// A centred panel of at most `width` × `height` inside `area`.
fn panel(area: Rect, width: u16, height: u16) -> Rect {
    let [column] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(area);
    let [cell] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(column);
    cell
}

fn draw_overlay(app: &App, overlay: &Overlay, area: Rect, buf: &mut Buffer) {
    let s = &app.strings;
    let (title, lines): (String, Vec<Line>) = match overlay {
        Overlay::Help => (s.get("help.title").to_owned(), super::help::lines(app)),
        Overlay::LeaveQuiz { .. } => (
            s.get("leave.title").to_owned(),
            vec![
                Line::from(s.get("leave.body")),
                Line::default(),
                Line::from(Span::styled(s.get("leave.keys"), app.theme.accent)),
            ],
        ),
        Overlay::Message { title, body } => (
            title.clone(),
            body.iter().map(|l| Line::from(l.clone())).collect(),
        ),
    };
    let width = (area.width * 4 / 5).clamp(40, 90);
    let inner_width = width.saturating_sub(4);
    let wrapped: usize = lines
        .iter()
        .map(|l| (l.width().max(1)).div_ceil(usize::from(inner_width.max(1))))
        .sum();
    let height = u16::try_from(wrapped + 2)
        .unwrap_or(u16::MAX)
        .min(area.height.saturating_sub(2));
    let rect = panel(area, width, height);
    Clear.render(rect, buf);
    let block = Block::bordered()
        .title(Line::from(Span::styled(
            format!(" {title} "),
            app.theme.accent,
        )))
        .border_style(app.theme.border)
        .style(app.theme.text)
        .padding(ratatui::widgets::Padding::horizontal(1));
    Paragraph::new(lines)
        .block(block)
        .wrap(Wrap { trim: false })
        .render(rect, buf);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_windows_follow_the_selection() {
        let heights = [3, 3, 4, 3, 3];
        assert_eq!(list_first_visible(&heights, 0, 10), 0);
        assert_eq!(list_first_visible(&heights, 2, 10), 0);
        assert_eq!(list_first_visible(&heights, 3, 10), 1);
        assert_eq!(list_first_visible(&heights, 4, 10), 2);
        assert_eq!(list_row_at(&heights, 0, 10, 0), Some(0));
        assert_eq!(list_row_at(&heights, 0, 10, 5), Some(1));
        assert_eq!(list_row_at(&heights, 4, 10, 0), Some(2));
        assert_eq!(list_row_at(&heights, 0, 10, 99), None);
    }
}
