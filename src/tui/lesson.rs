//! The lesson reader: rendered Markdown at a comfortable width, scrolled by line, page
//! or to either end. Only the visible lines are drawn; wrapping happens once per width.

use std::time::SystemTime;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line as TuiLine, Span as TuiSpan};
use ratatui::widgets::{
    Paragraph, Scrollbar, ScrollbarOrientation, ScrollbarState, StatefulWidget, Widget,
};

use super::app::{App, Go};
use super::keys::Action;
use super::view::Hint;
use crate::course::{ItemPos, Lesson};
use crate::markdown::{self, Document, Line, Lines, Progressive, RenderOptions};

/// The widest the text gets by default, for comfortable reading; wider terminals centre
/// it. Learners can choose another width (`w`).
pub const MAX_READING_WIDTH: u16 = 100;
/// The reading widths `w` steps through.
pub const READING_WIDTHS: [u16; 4] = [60, 80, 100, 120];
/// Lines the mouse wheel scrolls.
const WHEEL_LINES: isize = 3;

/// Lessons larger than this open on their first screen, laid out before the rest: the
/// rest follows as soon as the reader is idle (see [`LessonState::complete_layout`]).
const PROGRESSIVE_BYTES: usize = 256 * 1024;

/// The reader's state.
#[derive(Debug)]
pub struct LessonState {
    /// Index of the course in the library.
    pub course: usize,
    /// The lesson's place in the course.
    pub pos: ItemPos,
    prev: Option<ItemPos>,
    next: Option<ItemPos>,
    /// The lesson's title.
    pub title: String,
    doc: Document,
    /// The lesson's size in bytes (compared with [`PROGRESSIVE_BYTES`]).
    bytes: usize,
    /// The lines wrapped at `width` and the end line, perhaps only the first screen so
    /// far.
    laid: Progressive,
    width: usize,
    ascii: bool,
    /// How many lines fit on screen.
    viewport: usize,
    /// The first visible line.
    pub scroll: usize,
    /// A saved position (0..=1) to restore at the first layout.
    restore: Option<f32>,
    /// Whether the learner has seen the last line.
    pub reached_end: bool,
    /// Set when the learner moves on with n / →.
    pub leaving_forward: bool,
    /// The file's modification time, for live reloading.
    pub modified: Option<SystemTime>,
}

impl LessonState {
    /// A reader for `lesson`, to be scrolled to `position` (0..=1) once laid out.
    #[must_use]
    pub fn new(
        course: usize,
        pos: ItemPos,
        (prev, next): (Option<ItemPos>, Option<ItemPos>),
        lesson: &Lesson,
        position: f32,
        modified: Option<SystemTime>,
    ) -> Self {
        Self {
            course,
            pos,
            prev,
            next,
            title: lesson.title.clone(),
            doc: markdown::parse(&lesson.markdown),
            bytes: lesson.markdown.len(),
            laid: Progressive::new(RenderOptions::new(1)),
            width: 0,
            ascii: false,
            viewport: 1,
            scroll: 0,
            restore: Some(position),
            reached_end: false,
            leaving_forward: false,
            modified,
        }
    }

    /// Shows a new version of the lesson, keeping the reading position.
    pub fn reload(&mut self, lesson: &Lesson, modified: Option<SystemTime>) {
        self.restore = Some(self.fraction());
        self.title.clone_from(&lesson.title);
        self.doc = markdown::parse(&lesson.markdown);
        self.bytes = lesson.markdown.len();
        self.width = 0;
        self.modified = modified;
    }

    /// The width the text is laid out at, for a body `body_width` wide and a reading
    /// width of at most `max` (the learner's setting).
    #[must_use]
    pub fn reading_width(body_width: u16, max: u16) -> u16 {
        // One column for the scrollbar and one of margin.
        body_width.saturating_sub(2).clamp(1, max.max(20))
    }

    /// Re-wraps for a body of `(width, height)` when the width changed, keeping the place.
    /// `end` is the line shown after the lesson's last line.
    pub fn layout(&mut self, (width, height): (u16, u16), max: u16, ascii: bool, end: &str) {
        let reading = usize::from(Self::reading_width(width, max));
        self.viewport = usize::from(height).max(1);
        if reading != self.width || ascii != self.ascii {
            let fraction = self.restore.take().unwrap_or_else(|| self.fraction());
            self.width = reading;
            self.ascii = ascii;
            let end: Lines = [
                Line::default(),
                Line {
                    spans: vec![markdown::Span {
                        text: end.into(),
                        style: markdown::Style::MARKER,
                    }],
                },
            ]
            .into_iter()
            .collect();
            self.laid = Progressive::with_tail(
                RenderOptions {
                    width: reading,
                    ascii,
                },
                end,
            );
            if self.bytes > PROGRESSIVE_BYTES && fraction <= 0.0 {
                self.laid.extend(&self.doc, self.viewport + 1);
            } else {
                self.complete_layout();
            }
            self.scroll = scale(fraction, self.max_scroll());
        }
        self.clamp();
    }

    /// Whether part of the lesson is still to be laid out.
    #[must_use]
    pub fn layout_pending(&self) -> bool {
        self.width > 0 && !self.laid.is_complete()
    }

    /// Lays out the rest of the lesson (when it was opened on its first screen).
    pub fn complete_layout(&mut self) {
        if self.layout_pending() {
            self.laid.complete(&self.doc);
            self.clamp();
        }
    }

    fn max_scroll(&self) -> usize {
        self.laid.lines().len().saturating_sub(self.viewport)
    }

    fn clamp(&mut self) {
        self.scroll = self.scroll.min(self.max_scroll());
        if self.scroll >= self.max_scroll() && self.laid.is_complete() && self.width > 0 {
            self.reached_end = true;
        }
    }

    /// The reading position, 0 (top) to 1 (the end is visible).
    #[must_use]
    pub fn fraction(&self) -> f32 {
        ratio(self.scroll, self.max_scroll())
    }

    /// The position as a whole percentage.
    #[must_use]
    pub fn percent(&self) -> usize {
        scale(self.fraction(), 100)
    }

    /// The wrapped lines (all of them once [`Self::complete_layout`] ran).
    #[must_use]
    pub fn lines(&self) -> &Lines {
        self.laid.lines()
    }

    fn scroll_by(&mut self, delta: isize) {
        self.scroll = self.scroll.saturating_add_signed(delta);
        self.clamp();
    }
}

/// `part / whole` (1 when `whole` is 0). Line counts are far below `f32`'s exact range.
#[allow(clippy::cast_precision_loss)]
fn ratio(part: usize, whole: usize) -> f32 {
    if whole == 0 {
        1.0
    } else {
        part as f32 / whole as f32
    }
}

/// `fraction` (clamped to 0..=1) of `whole`, rounded.
#[allow(
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss
)]
fn scale(fraction: f32, whole: usize) -> usize {
    // The product lies in 0..=whole, so the cast back is exact and non-negative.
    (f64::from(fraction.clamp(0.0, 1.0)) * whole as f64).round() as usize
}

/// Handles an action in the reader.
pub fn update(state: &mut LessonState, action: &Action) -> Option<Go> {
    // Moving needs to know where the lesson ends.
    state.complete_layout();
    let page = isize::try_from(state.viewport.saturating_sub(1).max(1)).unwrap_or(1);
    match action {
        Action::Up => state.scroll_by(-1),
        Action::Down => state.scroll_by(1),
        Action::ScrollUp => state.scroll_by(-WHEEL_LINES),
        Action::ScrollDown => state.scroll_by(WHEEL_LINES),
        Action::PageUp => state.scroll_by(-page),
        Action::PageDown | Action::Space => state.scroll_by(page),
        Action::Home => state.scroll = 0,
        Action::End => state.scroll_by(isize::MAX / 2),
        Action::Next | Action::Right => {
            state.leaving_forward = true;
            return Some(Go::item_or_course(state.course, state.next, state.pos));
        }
        Action::Prev | Action::Left => {
            return Some(Go::item_or_course(state.course, state.prev, state.pos));
        }
        Action::Back => {
            return Some(Go::Course {
                course: state.course,
                select: Some(state.pos),
            });
        }
        _ => {}
    }
    None
}

/// Draws the visible lines, centred, with a scrollbar.
pub fn render(state: &LessonState, app: &App, area: Rect, buf: &mut Buffer) {
    let reading = LessonState::reading_width(area.width, app.reading);
    let left = area.x + (area.width.saturating_sub(reading + 1)) / 2;
    let text_area = Rect {
        x: left,
        y: area.y,
        width: reading,
        height: area.height,
    };
    let visible: Vec<TuiLine> = state
        .lines()
        .iter()
        .skip(state.scroll)
        .take(usize::from(area.height))
        .map(|line| {
            TuiLine::from(
                line.spans()
                    .map(|s| TuiSpan::styled(s.text, app.theme.markdown(s.style)))
                    .collect::<Vec<_>>(),
            )
        })
        .collect();
    Paragraph::new(visible)
        .style(app.theme.text)
        .render(text_area, buf);
    if state.lines().len() > usize::from(area.height) {
        // Until a large lesson is laid out in full (a moment after it opens), its length
        // is not known: the thumb is drawn small, at the top.
        let length = if state.layout_pending() {
            state.max_scroll().max(state.viewport * 100)
        } else {
            state.max_scroll()
        };
        let mut scrollbar = ScrollbarState::new(length).position(state.scroll);
        let bar = Scrollbar::new(ScrollbarOrientation::VerticalRight)
            .begin_symbol(None)
            .end_symbol(None)
            .track_symbol(Some(if app.symbols.ascii { "|" } else { "│" }))
            .thumb_symbol(if app.symbols.ascii { "#" } else { "█" })
            .style(app.theme.marker);
        bar.render(area, buf, &mut scrollbar);
    }
}

/// The key bar entries.
#[must_use]
pub fn keys(state: &LessonState, app: &App) -> Vec<Hint> {
    let s = &app.strings;
    let page = format!("{} {}", s.get("keynames.space"), s.get("keynames.pgdn"));
    let mut keys = vec![
        Hint::new("↑↓ j k", s.get("keys.scroll"), Action::Down),
        Hint::new(&page, s.get("keys.page"), Action::PageDown),
    ];
    let next = if state.next.is_some() {
        s.get("keys.next_item")
    } else {
        s.get("keys.finish_course")
    };
    keys.push(Hint::new("n →", next, Action::Next));
    if state.prev.is_some() {
        keys.push(Hint::new("p ←", s.get("keys.prev_item"), Action::Prev));
    }
    keys.push(Hint::new("q", s.get("keys.back"), Action::Back));
    keys
}
