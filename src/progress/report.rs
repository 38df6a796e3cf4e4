//! Results for trainers: CSV rows, a JSON export that merges without loss, and xAPI
//! statements for a learning record store.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::time::iso8601_duration;
use super::{Attempt, CourseRecord, ItemRecord, Profile, Timestamp};
use crate::course::{ItemKind, Library};
use crate::text::sanitize_line;

/// The `format` field of a JSON export.
pub const EXPORT_FORMAT: &str = "kurs-export";

/// A JSON export: every profile of one machine, or of several after a merge.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Export {
    /// Always [`EXPORT_FORMAT`].
    pub format: String,
    /// The progress schema.
    pub schema: u32,
    /// When it was made.
    pub exported: Timestamp,
    /// The profiles, each with the machine it comes from.
    pub profiles: Vec<MachineProfile>,
}

/// A profile and the machine it was recorded on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MachineProfile {
    /// The machine's id (see `DataDir::machine_id`).
    pub machine: String,
    /// The record.
    pub profile: Profile,
}

impl Export {
    /// An export of `profiles` recorded on `machine`.
    #[must_use]
    pub fn new(machine: &str, profiles: Vec<Profile>) -> Self {
        Self {
            format: EXPORT_FORMAT.to_owned(),
            schema: super::SCHEMA,
            exported: Timestamp::now(),
            profiles: profiles
                .into_iter()
                .map(|profile| MachineProfile {
                    machine: machine.to_owned(),
                    profile,
                })
                .collect(),
        }
    }

    /// Reads an export.
    ///
    /// # Errors
    /// When `text` is not a kurs export of a schema this kurs reads.
    pub fn parse(text: &str) -> Result<Self> {
        let value: Value = serde_json::from_str(text).context("not JSON")?;
        if value.get("format").and_then(Value::as_str) != Some(EXPORT_FORMAT) {
            bail!("not a kurs export (it has no \"format\": \"{EXPORT_FORMAT}\")");
        }
        if let Some(schema) = value.get("schema").and_then(Value::as_u64)
            && schema > u64::from(super::SCHEMA)
        {
            bail!("made by a newer kurs (progress format {schema}); please update kurs");
        }
        serde_json::from_value(value).context("the export's records are malformed")
    }
}

/// The export as JSON for people and other programs: every shuffle seed (a 64-bit
/// number) written as a string, since JavaScript and jq lose precision above 2^53.
/// [`Export::parse`] reads seeds in either form.
///
/// # Errors
/// When the export cannot be encoded.
pub fn json(export: &Export) -> Result<Value> {
    fn seeds_as_text(value: &mut Value) {
        match value {
            Value::Object(map) => {
                for (key, v) in map.iter_mut() {
                    if key == "seed"
                        && let Some(n) = v.as_u64()
                    {
                        *v = Value::String(n.to_string());
                    } else {
                        seeds_as_text(v);
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(seeds_as_text),
            _ => {}
        }
    }
    let mut value = serde_json::to_value(export).context("cannot encode the report")?;
    seeds_as_text(&mut value);
    Ok(value)
}

/// Merges exports: profiles are matched by machine and name, so learners with the same
/// name on different machines stay apart; attempts are matched by id, so an export
/// merged twice adds nothing, and no record is dropped.
#[must_use]
pub fn merge(exports: Vec<Export>) -> Export {
    let mut merged: BTreeMap<(String, String), Profile> = BTreeMap::new();
    for export in exports {
        for MachineProfile { machine, profile } in export.profiles {
            let key = (machine, profile.name.clone());
            match merged.get_mut(&key) {
                Some(existing) => merge_profile(existing, profile),
                None => {
                    merged.insert(key, profile);
                }
            }
        }
    }
    Export {
        format: EXPORT_FORMAT.to_owned(),
        schema: super::SCHEMA,
        exported: Timestamp::now(),
        profiles: merged
            .into_iter()
            .map(|((machine, _), profile)| MachineProfile { machine, profile })
            .collect(),
    }
}

fn merge_profile(into: &mut Profile, other: Profile) {
    let other_newer = other.last_used > into.last_used;
    into.created = min_some(into.created, other.created);
    if other_newer {
        into.last_used = other.last_used;
        into.last_course = other.last_course;
        into.settings = other.settings;
    }
    for (key, value) in other.extra {
        into.extra.entry(key).or_insert(value);
    }
    for (id, course) in other.courses {
        match into.courses.get_mut(&id) {
            Some(existing) => merge_course(existing, course),
            None => {
                into.courses.insert(id, course);
            }
        }
    }
}

fn merge_course(into: &mut CourseRecord, other: CourseRecord) {
    if other.last_visit > into.last_visit {
        into.last_visit = other.last_visit;
        into.last_item = other.last_item;
    }
    for (key, item) in other.items {
        match into.items.get_mut(&key) {
            Some(existing) => merge_item(existing, item),
            None => {
                into.items.insert(key, item);
            }
        }
    }
}

fn merge_item(into: &mut ItemRecord, other: ItemRecord) {
    into.opened = min_some(into.opened, other.opened);
    into.finished = min_some(into.finished, other.finished);
    // Time and position only grow on one machine: the larger is the later export.
    into.seconds = into.seconds.max(other.seconds);
    into.position = into.position.max(other.position);
    for attempt in other.attempts {
        match into.attempts.iter_mut().find(|a| a.id == attempt.id) {
            Some(existing) => {
                if more_complete(&attempt, existing) {
                    *existing = attempt;
                }
            }
            None => into.attempts.push(attempt),
        }
    }
    into.attempts
        .sort_by(|a, b| a.started.cmp(&b.started).then_with(|| a.id.cmp(&b.id)));
}

fn more_complete(a: &Attempt, b: &Attempt) -> bool {
    (a.result.is_some(), a.answers.len()) > (b.result.is_some(), b.answers.len())
}

fn min_some(a: Option<Timestamp>, b: Option<Timestamp>) -> Option<Timestamp> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    }
}

/// One CSV row per (profile, course, item): every item of each course a profile has
/// started (from `library`), and any recorded item the library no longer has.
#[must_use]
pub fn csv(export: &Export, library: &Library) -> String {
    let mut out = String::from(
        "profile,machine,course,module,item,kind,status,best_score,attempts,seconds,opened,finished\n",
    );
    for MachineProfile { machine, profile } in &export.profiles {
        for (course_id, record) in &profile.courses {
            let mut keys: Vec<(String, Option<ItemKind>)> = Vec::new();
            if let Some(course) = library.course(course_id) {
                for (_, module, item) in course.items() {
                    keys.push((super::item_key(module, item), Some(item.kind)));
                }
            }
            for key in record.items.keys() {
                if !keys.iter().any(|(k, _)| k == key) {
                    keys.push((key.clone(), None));
                }
            }
            for (key, kind) in keys {
                let item = record.items.get(&key);
                let kind = kind.unwrap_or_else(|| {
                    if item.is_some_and(|i| !i.attempts.is_empty()) {
                        ItemKind::Quiz
                    } else {
                        ItemKind::Lesson
                    }
                });
                let (module, item_id) = key.split_once('/').unwrap_or((&key, ""));
                let status = match item {
                    None => "not started",
                    Some(i) if i.finished.is_some() || i.passed() => "done",
                    Some(_) => "in progress",
                };
                let best = item
                    .and_then(ItemRecord::best)
                    .map(|b| format!("{:.2}", crate::quiz::shown_fraction(b, 2)))
                    .unwrap_or_default();
                let attempts = item.map_or(0, ItemRecord::completed_attempts);
                let fields = [
                    profile.name.clone(),
                    machine.clone(),
                    course_id.clone(),
                    module.to_owned(),
                    item_id.to_owned(),
                    match kind {
                        ItemKind::Lesson => "lesson".to_owned(),
                        ItemKind::Quiz => "quiz".to_owned(),
                    },
                    status.to_owned(),
                    best,
                    attempts.to_string(),
                    item.map_or(0, |i| i.seconds).to_string(),
                    item.and_then(|i| i.opened)
                        .map(Timestamp::rfc3339)
                        .unwrap_or_default(),
                    item.and_then(|i| i.finished)
                        .map(Timestamp::rfc3339)
                        .unwrap_or_default(),
                ];
                let row: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
                let _ = writeln!(out, "{}", row.join(","));
            }
        }
    }
    out
}

/// A CSV field: control characters removed, quoted when needed, and a leading `=`, `+`,
/// `-` or `@` neutralised so a spreadsheet never runs it as a formula.
fn csv_field(text: &str) -> String {
    let mut text = sanitize_line(text);
    if text.starts_with(['=', '+', '-', '@']) {
        text.insert(0, '\'');
    }
    if text.contains([',', '"', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// The namespace of kurs's statement ids (UUID version 5).
const STATEMENT_NAMESPACE: uuid::Uuid =
    uuid::Uuid::from_u128(0x6b75_7273_2d78_4150_8000_6b75_7273_0001);

const VERB_EXPERIENCED: &str = "http://adlnet.gov/expapi/verbs/experienced";
const VERB_COMPLETED: &str = "http://adlnet.gov/expapi/verbs/completed";
const VERB_ANSWERED: &str = "http://adlnet.gov/expapi/verbs/answered";
const VERB_PASSED: &str = "http://adlnet.gov/expapi/verbs/passed";
const VERB_FAILED: &str = "http://adlnet.gov/expapi/verbs/failed";

/// xAPI 1.0.3 statements for every record of `export`: `experienced` when a lesson or
/// quiz was opened, `completed` when a lesson was finished, `answered` per question,
/// `passed`/`failed` per complete attempt. Statement ids are derived from profile,
/// machine, item, attempt and verb, so sending the same export twice stores nothing twice.
#[must_use]
pub fn xapi(export: &Export, library: &Library) -> Value {
    let mut statements = Vec::new();
    for MachineProfile { machine, profile } in &export.profiles {
        let name = sanitize_line(&profile.name);
        let actor = json!({
            "objectType": "Agent",
            "name": name,
            "account": { "homePage": "urn:kurs:profile", "name": name },
        });
        for (course_id, record) in &profile.courses {
            let title = library.course(course_id).map(|c| c.title.clone());
            for (key, item) in &record.items {
                let parent = json!({ "id": activity_iri(course_id, ""), "objectType": "Activity",
                    "definition": title.as_ref().map_or_else(|| json!({}), |t| json!({ "name": { "und": t } })) });
                let builder = Statements {
                    seed: [profile.name.as_str(), machine, course_id, key],
                    actor: &actor,
                    context: json!({
                        "contextActivities": { "parent": [parent] },
                        "extensions": { "urn:kurs:machine": machine },
                    }),
                    object_id: activity_iri(course_id, key),
                    item_type: if item.attempts.is_empty() {
                        "http://adlnet.gov/expapi/activities/lesson"
                    } else {
                        "http://adlnet.gov/expapi/activities/assessment"
                    },
                };
                builder.item(item, &mut statements);
            }
        }
    }
    Value::Array(statements)
}

/// What the statements about one item share.
struct Statements<'a> {
    seed: [&'a str; 4],
    actor: &'a Value,
    context: Value,
    object_id: String,
    item_type: &'static str,
}

impl Statements<'_> {
    fn item(&self, item: &ItemRecord, out: &mut Vec<Value>) {
        let object = activity(&self.object_id, self.item_type);
        if let Some(opened) = item.opened {
            out.push(self.statement("", VERB_EXPERIENCED, &object, None, opened, None));
        }
        if let Some(finished) = item.finished {
            let result = json!({ "completion": true, "duration": iso8601_duration(item.seconds) });
            out.push(self.statement("", VERB_COMPLETED, &object, Some(result), finished, None));
        }
        for attempt in &item.attempts {
            let registration = registration(&attempt.id);
            for answer in &attempt.answers {
                let question = activity(
                    &format!("{}/{}", self.object_id, encode(&answer.question)),
                    "http://adlnet.gov/expapi/activities/cmi.interaction",
                );
                let result = json!({
                    "score": score(answer.points, answer.max),
                    "success": answer.max > 0.0 && answer.points >= answer.max,
                    "response": response_text(&answer.response),
                    "extensions": { "urn:kurs:hints": answer.hints },
                });
                let at = answer.at.or(attempt.started).unwrap_or_default();
                let detail = format!("{}/{}", attempt.id, answer.question);
                out.push(self.statement(
                    &detail,
                    VERB_ANSWERED,
                    &question,
                    Some(result),
                    at,
                    Some(&registration),
                ));
            }
            if let (Some(result), Some(ended)) = (attempt.result, attempt.ended) {
                let seconds = attempt.started.map_or(0, |s| ended.0.saturating_sub(s.0));
                let verb = if result.passed {
                    VERB_PASSED
                } else {
                    VERB_FAILED
                };
                let value = json!({
                    "score": score(result.points, result.max),
                    "success": result.passed,
                    "completion": true,
                    "duration": iso8601_duration(seconds),
                });
                out.push(self.statement(
                    &attempt.id,
                    verb,
                    &object,
                    Some(value),
                    ended,
                    Some(&registration),
                ));
            }
        }
    }

    fn statement(
        &self,
        detail: &str,
        verb: &str,
        object: &Value,
        result: Option<Value>,
        at: Timestamp,
        registration: Option<&str>,
    ) -> Value {
        let mut name = self.seed.join("\u{1f}");
        for part in [detail, verb] {
            name.push('\u{1f}');
            name.push_str(part);
        }
        let id = uuid::Uuid::new_v5(&STATEMENT_NAMESPACE, name.as_bytes());
        let display = verb.rsplit('/').next().unwrap_or(verb);
        let mut context = self.context.clone();
        if let (Some(map), Some(r)) = (context.as_object_mut(), registration) {
            map.insert("registration".into(), json!(r));
        }
        let mut statement = serde_json::Map::new();
        statement.insert("id".into(), json!(id.to_string()));
        statement.insert("version".into(), json!("1.0.3"));
        statement.insert("actor".into(), self.actor.clone());
        statement.insert(
            "verb".into(),
            json!({ "id": verb, "display": { "en-US": display } }),
        );
        statement.insert("object".into(), object.clone());
        statement.insert("timestamp".into(), json!(at.rfc3339()));
        statement.insert("context".into(), context);
        if let Some(result) = result {
            statement.insert("result".into(), result);
        }
        Value::Object(statement)
    }
}

fn activity(id: &str, kind: &str) -> Value {
    json!({ "objectType": "Activity", "id": id, "definition": { "type": kind } })
}

/// An xAPI score: scaled within −1..=1.
fn score(points: f64, max: f64) -> Value {
    let scaled = if max > 0.0 {
        (points / max).clamp(-1.0, 1.0)
    } else {
        0.0
    };
    json!({ "scaled": scaled, "raw": points, "min": 0.0, "max": max })
}

/// An attempt's registration UUID (attempt ids are UUIDs; others are hashed into one).
fn registration(attempt: &str) -> String {
    uuid::Uuid::parse_str(attempt)
        .unwrap_or_else(|_| uuid::Uuid::new_v5(&STATEMENT_NAMESPACE, attempt.as_bytes()))
        .to_string()
}

/// The activity IRI of a course (`key` empty) or an item (`module/item`).
#[must_use]
pub fn activity_iri(course: &str, key: &str) -> String {
    let mut iri = format!("urn:kurs:course:{}", encode(course));
    for part in key.split('/').filter(|p| !p.is_empty()) {
        iri.push('/');
        iri.push_str(&encode(part));
    }
    iri
}

/// Percent-encodes everything but unreserved URI characters.
fn encode(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

fn response_text(response: &crate::quiz::Response) -> String {
    use crate::quiz::Response;
    let list = |v: &[usize]| {
        v.iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("[,]")
    };
    match response {
        Response::Choice(i) => i.to_string(),
        Response::Choices(v) | Response::Order(v) => list(v),
        Response::Bool(b) => b.to_string(),
        Response::Text(t) => sanitize_line(t),
        Response::Match(v) => v
            .iter()
            .enumerate()
            .map(|(l, r)| format!("{l}[.]{}", r.map_or_else(String::new, |r| r.to_string())))
            .collect::<Vec<_>>()
            .join("[,]"),
    }
}

#[cfg(test)]
mod tests;
