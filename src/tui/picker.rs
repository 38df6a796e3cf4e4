//! "Who is learning?": choose a profile, or type a new name.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    HighlightSpacing, List, ListItem, ListState, Paragraph, StatefulWidget, Widget, Wrap,
};
use tui_input::{Input, InputRequest};

use super::app::{App, Go, Session};
use super::keys::Action;
use super::view::Hint;
use crate::i18n::Strings;
use crate::progress::store::{MAX_NAME_CHARS, ProfileInfo};

/// The picker's state.
#[derive(Clone, Debug, Default)]
pub struct PickerState {
    /// Known profiles, most recently used first.
    pub profiles: Vec<ProfileInfo>,
    /// The learner using kurs now.
    pub current: String,
    /// The selected row (the last row is "new learner").
    pub selected: usize,
    /// The name being typed, when adding a learner.
    pub entering: Option<Input>,
}

impl PickerState {
    /// A picker over `profiles`.
    #[must_use]
    pub fn new(profiles: Vec<ProfileInfo>, current: String) -> Self {
        let entering = profiles.is_empty().then(Input::default);
        Self {
            profiles,
            current,
            selected: 0,
            entering,
        }
    }

    /// Whether the name field has the focus.
    #[must_use]
    pub fn typing(&self) -> bool {
        self.entering.is_some()
    }
}

/// Handles an action in the picker.
pub fn update(
    state: &mut PickerState,
    action: Action,
    session: &mut Session,
    strings: &Strings,
) -> Option<Go> {
    if let Some(input) = &mut state.entering {
        match action {
            Action::Enter => {
                let name = input.value().trim().to_owned();
                if name.is_empty() {
                    session.status = Some(strings.get("picker.name_needed").to_owned());
                    return None;
                }
                return switch(&name, session, strings);
            }
            Action::Back => {
                state.entering = None;
                if state.profiles.is_empty() {
                    return Some(Go::Quit);
                }
            }
            other => {
                edit(input, &other);
                if input.value().chars().count() > MAX_NAME_CHARS {
                    input.handle(InputRequest::DeletePrevChar);
                }
            }
        }
        return None;
    }
    let last = state.profiles.len();
    match action {
        Action::Up => state.selected = state.selected.saturating_sub(1),
        Action::Down => state.selected = (state.selected + 1).min(last),
        Action::Number(n) => state.selected = usize::from(n).saturating_sub(1).min(last),
        Action::Enter | Action::Right => match state.profiles.get(state.selected) {
            Some(profile) => {
                let name = profile.name.clone();
                return switch(&name, session, strings);
            }
            None => state.entering = Some(Input::default()),
        },
        Action::Back => {
            return Some(if state.current.is_empty() {
                Go::Quit
            } else {
                Go::Catalogue
            });
        }
        _ => {}
    }
    None
}

/// Applies a text-editing action to `input`.
pub fn edit(input: &mut Input, action: &Action) {
    let request = match action {
        Action::Char(c) => InputRequest::InsertChar(*c),
        Action::Backspace => InputRequest::DeletePrevChar,
        Action::Delete => InputRequest::DeleteNextChar,
        Action::Left => InputRequest::GoToPrevChar,
        Action::Right => InputRequest::GoToNextChar,
        Action::Home => InputRequest::GoToStart,
        Action::End => InputRequest::GoToEnd,
        Action::Paste(text) => {
            for c in text.chars().filter(|c| !c.is_control()) {
                input.handle(InputRequest::InsertChar(c));
            }
            return;
        }
        _ => return,
    };
    input.handle(request);
}

/// Makes `name` the current learner.
fn switch(name: &str, session: &mut Session, strings: &Strings) -> Option<Go> {
    let data = session.data.clone()?;
    if let Err(e) = session.store.compact() {
        session.status = Some(strings.fmt("status.save_failed", &[("reason", &format!("{e:#}"))]));
        return None;
    }
    match data.open(name) {
        Ok(mut store) => {
            store.save().ok();
            let notices = store.take_notices();
            session.store = store;
            if !notices.is_empty() {
                session.overlay = Some(super::app::Overlay::Message {
                    title: strings.get("notice.title").to_owned(),
                    body: notices,
                });
            }
            Some(Go::Catalogue)
        }
        Err(e) => {
            session.status = Some(format!("{e:#}"));
            None
        }
    }
}

/// Draws the picker.
pub fn render(state: &PickerState, app: &App, area: Rect, buf: &mut Buffer) {
    let s = &app.strings;
    let [intro, list_area] = Layout::vertical([Constraint::Length(4), Constraint::Fill(1)])
        .areas(area.inner(ratatui::layout::Margin::new(2, 1)));
    Paragraph::new(vec![
        Line::from(Span::styled(s.get("picker.title"), app.theme.accent)),
        Line::from(Span::styled(s.get("picker.intro"), app.theme.dim)),
    ])
    .wrap(Wrap { trim: true })
    .render(intro, buf);
    if let Some(input) = &state.entering {
        let label = s.get("picker.name_prompt");
        let width = list_area.width.saturating_sub(2);
        let scroll = input.visual_scroll(usize::from(width));
        let shown: String = input.value().chars().skip(scroll).collect();
        Paragraph::new(vec![
            Line::from(Span::styled(label, app.theme.text)),
            Line::from(Span::styled(format!("> {shown}"), app.theme.selected)),
        ])
        .render(list_area, buf);
        return;
    }
    let mut items: Vec<ListItem> = state
        .profiles
        .iter()
        .map(|p| {
            let mut spans = vec![Span::styled(p.name.clone(), app.theme.text)];
            if p.name == state.current {
                spans.push(Span::styled(
                    format!("  ({})", s.get("picker.current")),
                    app.theme.dim,
                ));
            }
            ListItem::new(Line::from(spans))
        })
        .collect();
    items.push(ListItem::new(Line::from(Span::styled(
        format!("+ {}", s.get("picker.new")),
        app.theme.accent,
    ))));
    let list = List::new(items)
        .highlight_style(app.theme.selected)
        .highlight_symbol(if app.symbols.ascii { "> " } else { "▌ " })
        .highlight_spacing(HighlightSpacing::Always);
    let mut list_state = ListState::default().with_selected(Some(state.selected));
    StatefulWidget::render(list, list_area, buf, &mut list_state);
}

/// The cursor position when typing a name (column, row), for the terminal cursor.
#[must_use]
pub fn cursor(state: &PickerState, area: Rect) -> Option<(u16, u16)> {
    let input = state.entering.as_ref()?;
    let inner = area.inner(ratatui::layout::Margin::new(2, 1));
    let width = inner.width.saturating_sub(2);
    let scroll = input.visual_scroll(usize::from(width));
    let x = input.visual_cursor().saturating_sub(scroll);
    Some((inner.x + 2 + u16::try_from(x).unwrap_or(0), inner.y + 5))
}

/// The key bar entries.
#[must_use]
pub fn keys(state: &PickerState, app: &App) -> Vec<Hint> {
    let s = &app.strings;
    if state.typing() {
        vec![
            Hint::new("Enter", s.get("keys.confirm"), Action::Enter),
            Hint::new("Esc", s.get("keys.cancel"), Action::Back),
        ]
    } else {
        vec![
            Hint::new("↑↓", s.get("keys.choose"), Action::Down),
            Hint::new("Enter", s.get("keys.select"), Action::Enter),
            Hint::new("q", s.get("keys.back"), Action::Back),
        ]
    }
}
