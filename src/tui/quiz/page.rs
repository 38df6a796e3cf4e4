//! The question page: header, prompt, the input of the question's type, hints, and the
//! feedback after answering. Built as lines, then scrolled.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::{Input, Phase, QuizState};
use crate::markdown::{self, RenderOptions};
use crate::quiz::{Question, QuestionKind};
use crate::text::display_width;
use crate::tui::answer_text::{self, Verdict};
use crate::tui::app::App;
use crate::tui::lesson::LessonState;
use crate::tui::view::Ui;

/// A laid-out question page.
pub struct Page {
    /// The lines.
    pub lines: Vec<Line<'static>>,
    /// The line that should stay visible (the highlighted row).
    pub focus: usize,
    /// The text cursor: column within the text column, and line.
    pub text_cursor: Option<(u16, usize)>,
}

/// The left margin of the text column in a body `width` wide.
#[must_use]
pub fn left(width: u16, max: u16) -> u16 {
    width.saturating_sub(LessonState::reading_width(width, max) + 1) / 2
}

/// Lays out the page of the current question for a body `width` wide.
#[must_use]
pub fn build(state: &QuizState, ui: &Ui, width: u16) -> Page {
    let w = usize::from(LessonState::reading_width(width, ui.reading));
    let s = ui.strings;
    let mut page = Page {
        lines: Vec::new(),
        focus: 0,
        text_cursor: None,
    };
    let Some(q) = state.quiz.questions.get(state.index) else {
        return page;
    };
    let total = state.quiz.questions.len();
    let mut head = vec![Span::styled(
        s.fmt(
            "quiz.question_of",
            &[
                ("n", &(state.index + 1).to_string()),
                ("total", &total.to_string()),
            ],
        ),
        ui.theme.accent,
    )];
    let points = s.fmt(
        if (q.points - 1.0).abs() < f64::EPSILON {
            "quiz.one_point"
        } else {
            "quiz.points"
        },
        &[("n", &s.number(q.points))],
    );
    head.push(Span::styled(
        format!(
            " {} {} {} {points}",
            ui.symbols.dot,
            kind_name(q, ui),
            ui.symbols.dot
        ),
        ui.theme.dim,
    ));
    page.lines.push(Line::from(head));
    page.lines.push(Line::default());
    markdown_lines(&q.prompt, w, ui, Style::default(), &mut page.lines);
    page.lines.push(Line::default());
    let feedback = match state.phase {
        Phase::Feedback(g) => Some(g),
        Phase::Answering => None,
    };
    input_lines(state, q, ui, w, feedback.is_some(), &mut page);
    let shown = state.hints.get(state.index).copied().unwrap_or(0) as usize;
    for (i, hint) in q.hints.iter().take(shown).enumerate() {
        page.lines.push(Line::default());
        let label = s.fmt(
            "quiz.hint_n",
            &[
                ("n", &(i + 1).to_string()),
                ("total", &q.hints.len().to_string()),
            ],
        );
        page.lines.push(Line::from(Span::styled(
            label,
            ui.theme.warn.add_modifier(Modifier::BOLD),
        )));
        markdown_lines(hint, w, ui, Style::default(), &mut page.lines);
    }
    if let Some(message) = &state.message {
        page.lines.push(Line::default());
        for part in markdown::wrap_plain(message, w) {
            page.lines.push(Line::from(Span::styled(
                part,
                ui.theme.bad.add_modifier(Modifier::BOLD),
            )));
        }
    }
    if let (Some(grade), Some(Some((response, _)))) = (feedback, state.answers.get(state.index)) {
        feedback_lines(q, response, &grade, ui, w, &mut page);
    }
    page
}

/// The feedback after an answer: right or wrong, the feedback for the chosen options,
/// the right answer and the explanation.
fn feedback_lines(
    q: &Question,
    response: &crate::quiz::Response,
    grade: &crate::quiz::Grade,
    ui: &Ui,
    w: usize,
    page: &mut Page,
) {
    let s = ui.strings;
    page.lines.push(Line::default());
    let (verdict, kind) = answer_text::verdict(grade, ui.symbols, s);
    page.focus = page.lines.len();
    let style = match kind {
        Verdict::Right => ui.theme.good,
        Verdict::Partly => ui.theme.warn,
        Verdict::Wrong => ui.theme.bad,
    };
    page.lines.push(Line::from(Span::styled(
        verdict,
        style.add_modifier(Modifier::BOLD),
    )));
    for (option, text) in answer_text::chosen_feedback(q, response) {
        page.lines.push(Line::default());
        for part in markdown::wrap_plain(&format!("“{option}”"), w) {
            page.lines.push(Line::from(Span::styled(
                part,
                ui.theme.text.add_modifier(Modifier::BOLD),
            )));
        }
        markdown_lines(&text, w, ui, Style::default(), &mut page.lines);
    }
    if !grade.is_correct() {
        page.lines.push(Line::default());
        let right = format!(
            "{} {}",
            s.get("answer.right_answer"),
            answer_text::right_answer(q, s)
        );
        for part in markdown::wrap_plain(&right, w) {
            page.lines
                .push(Line::from(Span::styled(part, ui.theme.text)));
        }
    }
    if let Some(explanation) = &q.explanation {
        page.lines.push(Line::default());
        page.lines.push(Line::from(Span::styled(
            s.get("answer.explanation").to_owned(),
            ui.theme.accent,
        )));
        markdown_lines(explanation, w, ui, Style::default(), &mut page.lines);
    }
    page.lines.push(Line::default());
    page.lines.push(Line::from(Span::styled(
        s.get("quiz.enter_to_continue").to_owned(),
        ui.theme.dim,
    )));
}

/// The name of the question's type ("single choice").
fn kind_name(q: &Question, ui: &Ui) -> String {
    ui.strings
        .get(&format!("quiz.kind.{}", q.kind.name()))
        .to_owned()
}

/// Appends `text` rendered as Markdown at `width`.
fn markdown_lines(text: &str, width: usize, ui: &Ui, extra: Style, out: &mut Vec<Line<'static>>) {
    let lines = markdown::render(
        text,
        RenderOptions {
            width,
            ascii: ui.symbols.ascii,
        },
    );
    for line in &lines {
        out.push(Line::from(
            line.spans()
                .map(|s| Span::styled(s.text.to_owned(), ui.theme.markdown(s.style).patch(extra)))
                .collect::<Vec<_>>(),
        ));
    }
}

/// Appends one option row: `prefix` then the text, wrapped with a hanging indent.
fn row(page: &mut Page, prefix: &str, text: &str, width: usize, style: Style, prefix_style: Style) {
    let indent = display_width(prefix);
    let parts = markdown::wrap_plain(text, width.saturating_sub(indent).max(8));
    for (i, part) in parts.into_iter().enumerate() {
        let lead = if i == 0 {
            prefix.to_owned()
        } else {
            " ".repeat(indent)
        };
        page.lines.push(Line::from(vec![
            Span::styled(lead, prefix_style),
            Span::styled(part, style),
        ]));
    }
}

/// One row of a choice list (single, true/false, multiple): focused and highlighted when
/// `on`, until the question is `answered`.
fn choice_row(
    page: &mut Page,
    ui: &Ui,
    width: usize,
    (on, answered): (bool, bool),
    prefix: &str,
    text: &str,
) {
    if on {
        page.focus = page.lines.len();
    }
    let style = if on && !answered {
        ui.theme.selected
    } else {
        ui.theme.text
    };
    let prefix_style = if on { ui.theme.accent } else { ui.theme.text };
    row(page, prefix, text, width, style, prefix_style);
}

#[allow(clippy::too_many_lines)] // one arm per input type
fn input_lines(
    state: &QuizState,
    q: &Question,
    ui: &Ui,
    w: usize,
    answered: bool,
    page: &mut Page,
) {
    let s = ui.strings;
    let sym = ui.symbols;
    let selected = ui.theme.selected;
    let text = ui.theme.text;
    let pointer = |on: bool| {
        if on {
            format!("{} ", sym.pointer)
        } else {
            " ".repeat(display_width(sym.pointer) + 1)
        }
    };
    match (&state.input, &q.kind) {
        (Input::Choice { order, cursor }, kind) => {
            let labels: Vec<String> = match kind {
                QuestionKind::Single { options } => order
                    .iter()
                    .filter_map(|i| options.get(*i))
                    .map(|o| o.text.clone())
                    .collect(),
                _ => vec![
                    s.get("quiz.true").to_owned(),
                    s.get("quiz.false").to_owned(),
                ],
            };
            for (row_index, label) in labels.iter().enumerate() {
                let on = row_index == *cursor;
                let radio = if on { sym.radio_on } else { sym.radio_off };
                let mark = if answered {
                    outcome_mark(q, order.get(row_index).copied(), sym)
                } else {
                    ""
                };
                let prefix = format!("{}{radio} {}. ", pointer(on), row_index + 1);
                choice_row(
                    page,
                    ui,
                    w,
                    (on, answered),
                    &prefix,
                    &format!("{label}{mark}"),
                );
            }
        }
        (
            Input::Multi {
                order,
                cursor,
                ticked,
            },
            QuestionKind::Multiple { options },
        ) => {
            for (row_index, index) in order.iter().enumerate() {
                let on = row_index == *cursor;
                let tick = if ticked.get(*index).copied().unwrap_or(false) {
                    sym.check_on
                } else {
                    sym.check_off
                };
                let mark = if answered {
                    outcome_mark(q, Some(*index), sym)
                } else {
                    ""
                };
                let label = options
                    .get(*index)
                    .map(|o| o.text.as_str())
                    .unwrap_or_default();
                let prefix = format!("{}{tick} {}. ", pointer(on), row_index + 1);
                choice_row(
                    page,
                    ui,
                    w,
                    (on, answered),
                    &prefix,
                    &format!("{label}{mark}"),
                );
            }
        }
        (Input::Text(input), _) => {
            let label = if matches!(q.kind, QuestionKind::Numeric { .. }) {
                "quiz.your_number"
            } else {
                "quiz.your_answer"
            };
            page.lines.push(Line::from(Span::styled(
                s.get(label).to_owned(),
                ui.theme.dim,
            )));
            let field = w.saturating_sub(2).max(4);
            let scroll = input.visual_scroll(field);
            let shown: String = input.value().chars().skip(scroll).collect();
            let pad = field.saturating_sub(display_width(&shown));
            page.focus = page.lines.len();
            if !answered {
                let column = 2 + input.visual_cursor().saturating_sub(scroll);
                page.text_cursor = Some((u16::try_from(column).unwrap_or(0), page.lines.len()));
            }
            page.lines.push(Line::from(vec![
                Span::styled("> ", ui.theme.accent),
                Span::styled(
                    format!("{shown}{}", " ".repeat(pad)),
                    if answered {
                        text
                    } else {
                        selected.add_modifier(Modifier::UNDERLINED)
                    },
                ),
            ]));
        }
        (
            Input::Order {
                arrangement,
                cursor,
                carrying,
            },
            QuestionKind::Order { items },
        ) => {
            for (row_index, index) in arrangement.iter().enumerate() {
                let on = row_index == *cursor;
                if on {
                    page.focus = page.lines.len();
                }
                let label = items.get(*index).map(String::as_str).unwrap_or_default();
                let grip = if on && *carrying {
                    if sym.ascii { "<> " } else { "⇅ " }
                } else {
                    "   "
                };
                let prefix = format!("{}{grip}{}. ", pointer(on), row_index + 1);
                let style = if on && *carrying {
                    ui.theme.accent.add_modifier(Modifier::REVERSED)
                } else if on && !answered {
                    selected
                } else {
                    text
                };
                row(
                    page,
                    &prefix,
                    label,
                    w,
                    style,
                    if on { ui.theme.accent } else { text },
                );
            }
            if *carrying && !answered {
                page.lines.push(Line::from(Span::styled(
                    s.get("quiz.carrying").to_owned(),
                    ui.theme.dim,
                )));
            }
        }
        (
            Input::Match {
                right_order,
                cursor,
                chosen,
            },
            QuestionKind::Match { pairs },
        ) => {
            let left_width = pairs
                .iter()
                .map(|p| display_width(&p.left))
                .max()
                .unwrap_or(0)
                .min(w / 2);
            for (row_index, pair) in pairs.iter().enumerate() {
                let on = row_index == *cursor;
                if on {
                    page.focus = page.lines.len();
                }
                let partner = chosen
                    .get(row_index)
                    .copied()
                    .flatten()
                    .and_then(|d| right_order.get(d).map(|r| (d, *r)))
                    .and_then(|(d, r)| pairs.get(r).map(|p| format!("{}. {}", d + 1, p.right)))
                    .unwrap_or_else(|| s.get("quiz.no_partner").to_owned());
                let left = crate::text::truncate_to_width(&pair.left, left_width);
                let gap = " ".repeat(left_width.saturating_sub(display_width(&left)));
                let prefix = format!("{}{left}{gap}  {}  ", pointer(on), sym.pairs_with);
                let style = if on && !answered { selected } else { text };
                row(
                    page,
                    &prefix,
                    &partner,
                    w,
                    style,
                    if on { ui.theme.accent } else { text },
                );
            }
            page.lines.push(Line::default());
            page.lines.push(Line::from(Span::styled(
                s.get("quiz.partners").to_owned(),
                ui.theme.dim,
            )));
            for (number, r) in right_order.iter().enumerate() {
                let label = pairs.get(*r).map(|p| p.right.as_str()).unwrap_or_default();
                row(
                    page,
                    &format!("  {}. ", number + 1),
                    label,
                    w,
                    text,
                    ui.theme.dim,
                );
            }
        }
        _ => {}
    }
}

/// After answering, marks the right options ("  ✓ right answer") in choice lists.
fn outcome_mark(
    q: &Question,
    index: Option<usize>,
    sym: &crate::tui::theme::Symbols,
) -> &'static str {
    let right = match (&q.kind, index) {
        (QuestionKind::Single { options } | QuestionKind::Multiple { options }, Some(i)) => {
            options.get(i).is_some_and(|o| o.correct)
        }
        (QuestionKind::TrueFalse { answer }, Some(i)) => (i == 0) == *answer,
        _ => false,
    };
    if right {
        if sym.ascii { "  <- right" } else { "  ✓" }
    } else {
        ""
    }
}

/// Draws the page from the current scroll position.
pub fn render(state: &QuizState, app: &App, area: Rect, buf: &mut Buffer) {
    let page = build(state, &app.ui(), area.width);
    crate::tui::view::reading_column(app, page.lines, state.scroll, area, buf);
}
