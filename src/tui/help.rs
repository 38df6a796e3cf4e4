//! The help overlay: every key of the current screen, explained.
//!
//! The texts live in the string catalogue as `help.<screen>`: one `keys | what they do`
//! pair per line.

use ratatui::text::{Line, Span};

use super::app::{App, Screen};
use super::quiz::Input;
use crate::text::display_width;

/// The help text for the current screen.
#[must_use]
pub fn lines(app: &App) -> Vec<Line<'static>> {
    let s = &app.strings;
    let section = match &app.screen {
        Screen::Picker(_) => "help.picker",
        Screen::Catalogue(_) => "help.catalogue",
        Screen::Course(_) => "help.course",
        Screen::Lesson(_) => "help.lesson",
        Screen::Quiz(q) => match q.input {
            Input::Choice { .. } => "help.quiz_choice",
            Input::Multi { .. } => "help.quiz_multiple",
            Input::Text(_) => "help.quiz_text",
            Input::Order { .. } => "help.quiz_order",
            Input::Match { .. } => "help.quiz_match",
        },
        Screen::Results(_) => "help.results",
    };
    let mut pairs: Vec<(String, String)> = Vec::new();
    for key in [section, "help.everywhere"] {
        for line in s.get(key).lines() {
            if let Some((keys, what)) = line.split_once('|') {
                pairs.push((keys.trim().to_owned(), what.trim().to_owned()));
            }
        }
        pairs.push((String::new(), String::new()));
    }
    pairs.pop();
    let width = pairs
        .iter()
        .map(|(k, _)| display_width(k))
        .max()
        .unwrap_or(0);
    let mut out = vec![
        Line::from(Span::styled(
            s.get(&format!("{section}_intro")).to_owned(),
            app.theme.dim,
        )),
        Line::default(),
    ];
    for (keys, what) in pairs {
        if keys.is_empty() && what.is_empty() {
            out.push(Line::default());
            continue;
        }
        let pad = " ".repeat(width.saturating_sub(display_width(&keys)));
        out.push(Line::from(vec![
            Span::styled(format!("{keys}{pad}  "), app.theme.key),
            Span::styled(what, app.theme.text),
        ]));
    }
    out
}
