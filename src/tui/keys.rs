//! Terminal events → [`Action`]s. One table for the whole app, with a text-entry mode in
//! which printable keys type instead of acting.

use ratatui::crossterm::event::{
    Event, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

/// What the learner asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// ↑ / k.
    Up,
    /// ↓ / j.
    Down,
    /// ← (previous item in the reader, partner in a match question, cursor in text).
    Left,
    /// → (next item in the reader, partner in a match question, cursor in text).
    Right,
    /// Page Up.
    PageUp,
    /// Page Down (and Space in the reader).
    PageDown,
    /// Home / g.
    Home,
    /// End / G.
    End,
    /// Enter.
    Enter,
    /// q / Esc: back one step.
    Back,
    /// Ctrl+C: quit kurs.
    Quit,
    /// ? / F1.
    Help,
    /// Space: tick, pick up, put down.
    Space,
    /// n: next item.
    Next,
    /// p: previous item (in the catalogue: switch learner).
    Prev,
    /// h / Tab: the next hint.
    Hint,
    /// r: retry a quiz.
    Retry,
    /// A digit 1–9: choose option n.
    Number(u8),
    /// A typed character (text entry).
    Char(char),
    /// Backspace (text entry).
    Backspace,
    /// Delete (text entry).
    Delete,
    /// Pasted text (text entry).
    Paste(String),
    /// The mouse wheel, up.
    ScrollUp,
    /// The mouse wheel, down.
    ScrollDown,
    /// A left click at (column, row).
    Click(u16, u16),
    /// Ctrl+Z: suspend to the shell.
    Suspend,
    /// t: the next colour theme.
    Theme,
    /// l: the next interface language.
    Language,
    /// w: the next reading width.
    Width,
}

/// The action for `event`; `typing` when a text field has the focus.
#[must_use]
pub fn action(event: &Event, typing: bool) -> Option<Action> {
    match event {
        Event::Key(key) if key.is_press() || key.is_repeat() => key_action(*key, typing),
        Event::Mouse(mouse) => mouse_action(*mouse),
        Event::Paste(text) if typing => Some(Action::Paste(text.clone())),
        _ => None,
    }
}

fn key_action(key: KeyEvent, typing: bool) -> Option<Action> {
    // Ctrl and Alt together are AltGr on Windows (crossterm reports it so): the character
    // it types (`@`, `€`, `{` on a German keyboard) is typed, not taken as a command.
    let ctrl =
        key.modifiers.contains(KeyModifiers::CONTROL) && !key.modifiers.contains(KeyModifiers::ALT);
    match key.code {
        KeyCode::Char('c') if ctrl => return Some(Action::Quit),
        KeyCode::Char('z') if ctrl => return Some(Action::Suspend),
        KeyCode::Up => return Some(Action::Up),
        KeyCode::Down => return Some(Action::Down),
        KeyCode::Left => return Some(Action::Left),
        KeyCode::Right => return Some(Action::Right),
        KeyCode::PageUp => return Some(Action::PageUp),
        KeyCode::PageDown => return Some(Action::PageDown),
        KeyCode::Home => return Some(Action::Home),
        KeyCode::End => return Some(Action::End),
        KeyCode::Enter => return Some(Action::Enter),
        KeyCode::Esc => return Some(Action::Back),
        KeyCode::F(1) => return Some(Action::Help),
        KeyCode::Tab => return Some(Action::Hint),
        _ => {}
    }
    if typing {
        return match key.code {
            KeyCode::Backspace => Some(Action::Backspace),
            KeyCode::Delete => Some(Action::Delete),
            KeyCode::Char(c) if !ctrl => Some(Action::Char(c)),
            _ => None,
        };
    }
    match key.code {
        KeyCode::Char('k') => Some(Action::Up),
        KeyCode::Char('j') => Some(Action::Down),
        KeyCode::Char('g') => Some(Action::Home),
        KeyCode::Char('G') => Some(Action::End),
        KeyCode::Char('q') | KeyCode::Backspace => Some(Action::Back),
        KeyCode::Char('?') => Some(Action::Help),
        KeyCode::Char(' ') => Some(Action::Space),
        KeyCode::Char('n') => Some(Action::Next),
        KeyCode::Char('p') => Some(Action::Prev),
        KeyCode::Char('h') => Some(Action::Hint),
        KeyCode::Char('r') => Some(Action::Retry),
        KeyCode::Char('t') => Some(Action::Theme),
        KeyCode::Char('l') => Some(Action::Language),
        KeyCode::Char('w') => Some(Action::Width),
        KeyCode::Char(c @ '1'..='9') => c
            .to_digit(10)
            .and_then(|d| u8::try_from(d).ok())
            .map(Action::Number),
        _ => None,
    }
}

fn mouse_action(mouse: MouseEvent) -> Option<Action> {
    match mouse.kind {
        MouseEventKind::ScrollUp => Some(Action::ScrollUp),
        MouseEventKind::ScrollDown => Some(Action::ScrollDown),
        MouseEventKind::Down(MouseButton::Left) => Some(Action::Click(mouse.column, mouse.row)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::KeyEventKind;

    fn press(code: KeyCode) -> Event {
        Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
    }

    #[test]
    fn vim_keys_and_arrows_both_work() {
        assert_eq!(
            action(&press(KeyCode::Char('j')), false),
            Some(Action::Down)
        );
        assert_eq!(action(&press(KeyCode::Down), false), Some(Action::Down));
        assert_eq!(action(&press(KeyCode::Char('G')), false), Some(Action::End));
        assert_eq!(
            action(&press(KeyCode::Char('3')), false),
            Some(Action::Number(3))
        );
    }

    #[test]
    fn typing_types_letters_but_keeps_control_keys() {
        assert_eq!(
            action(&press(KeyCode::Char('q')), true),
            Some(Action::Char('q'))
        );
        assert_eq!(
            action(&press(KeyCode::Char('h')), true),
            Some(Action::Char('h'))
        );
        assert_eq!(action(&press(KeyCode::Tab), true), Some(Action::Hint));
        assert_eq!(action(&press(KeyCode::Esc), true), Some(Action::Back));
        assert_eq!(
            action(&press(KeyCode::Backspace), true),
            Some(Action::Backspace)
        );
        // AltGr on Windows arrives as Ctrl+Alt: the character is typed.
        let alt_gr = |c| {
            Event::Key(KeyEvent::new(
                KeyCode::Char(c),
                KeyModifiers::CONTROL | KeyModifiers::ALT,
            ))
        };
        for c in ['@', '€', '{', '}', '[', ']', '\\', '|', '~'] {
            assert_eq!(action(&alt_gr(c), true), Some(Action::Char(c)), "{c}");
        }
        // Ctrl alone still quits.
        let ctrl_c = Event::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
        assert_eq!(action(&ctrl_c, true), Some(Action::Quit));
    }

    #[test]
    fn key_releases_are_ignored() {
        let mut release = KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE);
        release.kind = KeyEventKind::Release;
        assert_eq!(action(&Event::Key(release), false), None);
    }
}
