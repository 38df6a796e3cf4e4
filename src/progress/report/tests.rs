use std::collections::HashSet;

use super::*;
use crate::progress::{Answer, AttemptResult, Change};
use crate::quiz::Response;

fn t(n: u64) -> Timestamp {
    Timestamp(1_800_000_000 + n)
}

/// A profile with a finished lesson and one attempt with `answers` answers.
fn profile(name: &str, attempt: &str, answers: usize, passed: Option<bool>) -> Profile {
    let mut p = Profile::new(name);
    p.apply(&Change::Named { name: name.into() }, t(0));
    p.apply(&Change::Used, t(1));
    p.apply(
        &Change::Opened {
            course: "c".into(),
            item: "m/intro".into(),
        },
        t(2),
    );
    p.apply(
        &Change::Time {
            course: "c".into(),
            item: "m/intro".into(),
            seconds: 125,
        },
        t(3),
    );
    p.apply(
        &Change::Finished {
            course: "c".into(),
            item: "m/intro".into(),
        },
        t(4),
    );
    p.apply(
        &Change::AttemptStarted {
            course: "c".into(),
            item: "m/check".into(),
            attempt: attempt.into(),
            seed: 1,
        },
        t(5),
    );
    for i in 0..answers {
        let answer = Answer {
            question: format!("q{i}"),
            response: Response::Text("72,0".into()),
            points: if i % 2 == 0 { 1.0 } else { 0.5 },
            max: 1.0,
            hints: 1,
            at: Some(t(10 + i as u64)),
        };
        p.apply(
            &Change::Answered {
                course: "c".into(),
                item: "m/check".into(),
                attempt: attempt.into(),
                answer,
            },
            t(10),
        );
    }
    if let Some(passed) = passed {
        let result = AttemptResult {
            points: 1.5,
            max: 2.0,
            passed,
            last: false,
        };
        p.apply(
            &Change::AttemptEnded {
                course: "c".into(),
                item: "m/check".into(),
                attempt: attempt.into(),
                result,
            },
            t(100),
        );
    }
    p
}

#[test]
fn merging_three_exports_keeps_every_attempt_once() {
    let a = Export::new("machine-a", vec![profile("Anna", "att-1", 2, Some(true))]);
    // The same attempt later and more complete, plus a second attempt.
    let mut later = profile("Anna", "att-1", 2, Some(true));
    let extra = profile("Anna", "att-2", 1, None);
    if let (Some(course), Some(extra_course)) = (later.courses.get_mut("c"), extra.courses.get("c"))
        && let (Some(item), Some(extra_item)) = (
            course.items.get_mut("m/check"),
            extra_course.items.get("m/check"),
        )
    {
        item.attempts.extend(extra_item.attempts.clone());
    }
    let b = Export::new("machine-a", vec![later]);
    // Another machine with a learner of the same name.
    let c = Export::new("machine-b", vec![profile("Anna", "att-9", 1, Some(false))]);
    let merged = merge(vec![a.clone(), b, c.clone()]);
    assert_eq!(
        merged.profiles.len(),
        2,
        "same name on two machines stays two profiles"
    );
    let on_a = merged
        .profiles
        .iter()
        .find(|p| p.machine == "machine-a")
        .expect("machine a");
    let attempts = &on_a.profile.courses["c"].items["m/check"].attempts;
    let ids: Vec<&str> = attempts.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["att-1", "att-2"]);
    assert_eq!(
        on_a.profile.courses["c"].items["m/intro"].seconds, 125,
        "not doubled"
    );
    // Merging again changes nothing (idempotent).
    let again = merge(vec![merged.clone(), a, c]);
    assert_eq!(again.profiles, merged.profiles);
    // The export format round-trips.
    let text = serde_json::to_string(&merged).expect("write");
    assert_eq!(
        Export::parse(&text).expect("read").profiles,
        merged.profiles
    );
    assert!(Export::parse("{\"format\":\"other\"}").is_err());
    assert!(Export::parse("{\"format\":\"kurs-export\",\"schema\":9,\"profiles\":[]}").is_err());
}

#[test]
fn xapi_statements_have_the_required_properties() {
    let export = Export::new(
        "machine-a",
        vec![profile(
            "Anna Müller",
            "0b6f5ff4-3f07-4d6b-9a7f-0d3b3c1d2e4f",
            3,
            Some(true),
        )],
    );
    let library = Library::default();
    let value = xapi(&export, &library);
    let statements = value.as_array().expect("an array");
    // experienced ×2 (lesson, quiz), completed, answered ×3, passed.
    assert_eq!(statements.len(), 7);
    let mut ids = HashSet::new();
    for s in statements {
        let id = s["id"].as_str().expect("id");
        let uuid = uuid::Uuid::parse_str(id).expect("a UUID");
        assert_eq!(uuid.get_version_num(), 5);
        assert!(ids.insert(id.to_owned()), "ids are unique");
        assert_eq!(s["version"], "1.0.3");
        assert_eq!(s["actor"]["account"]["homePage"], "urn:kurs:profile");
        assert_eq!(s["actor"]["account"]["name"], "Anna Müller");
        let verb = s["verb"]["id"].as_str().expect("verb");
        assert!(
            verb.starts_with("http://adlnet.gov/expapi/verbs/"),
            "{verb}"
        );
        let object = s["object"]["id"].as_str().expect("object id");
        assert!(object.starts_with("urn:kurs:course:c/m/"), "{object}");
        assert!(!object.contains(' '), "an IRI");
        let ts = s["timestamp"].as_str().expect("timestamp");
        assert!(Timestamp::parse(ts).is_some(), "RFC 3339: {ts}");
        if let Some(scaled) = s["result"]["score"]["scaled"].as_f64() {
            assert!((-1.0..=1.0).contains(&scaled));
        }
        if let Some(duration) = s["result"]["duration"].as_str() {
            let ok = duration.starts_with("PT")
                && duration.len() > 2
                && duration[2..]
                    .chars()
                    .all(|c| c.is_ascii_digit() || "HMS".contains(c));
            assert!(ok, "ISO 8601 duration: {duration}");
        }
    }
    let completed = statements
        .iter()
        .find(|s| s["verb"]["id"] == VERB_COMPLETED)
        .expect("completed");
    assert_eq!(completed["result"]["duration"], "PT2M5S");
    let passed = statements
        .iter()
        .find(|s| s["verb"]["id"] == VERB_PASSED)
        .expect("passed");
    assert_eq!(passed["result"]["score"]["scaled"], 0.75);
    assert_eq!(
        passed["context"]["registration"],
        "0b6f5ff4-3f07-4d6b-9a7f-0d3b3c1d2e4f"
    );
    // The same export gives the same ids: sending it twice stores nothing twice.
    let again = xapi(&export, &library);
    let again_ids: HashSet<String> = again
        .as_array()
        .expect("array")
        .iter()
        .map(|s| s["id"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(again_ids, ids);
}

#[test]
fn csv_rows_are_safe_for_spreadsheets() {
    let mut p = profile("=HYPERLINK(\"x\")", "a", 1, Some(true));
    p.name.push('\u{1b}');
    let text = csv(&Export::new("m", vec![p]), &Library::default());
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some(
            "profile,machine,course,module,item,kind,status,best_score,attempts,seconds,opened,finished"
        )
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 2);
    assert!(
        rows.iter()
            .all(|r| r.starts_with("\"'=HYPERLINK(\"\"x\"\")\",m,c,m,")),
        "{rows:?}"
    );
    assert!(
        rows.iter().any(|r| r.contains(",check,quiz,done,0.75,1,")),
        "{rows:?}"
    );
    assert!(
        rows.iter()
            .any(|r| r.contains(",intro,lesson,done,,0,125,")),
        "{rows:?}"
    );
    assert!(!text.contains('\u{1b}'));
}

#[test]
fn activity_iris_are_percent_encoded() {
    assert_eq!(
        activity_iri("c", "01 mod/ä"),
        "urn:kurs:course:c/01%20mod/%C3%A4"
    );
    assert_eq!(activity_iri("c", ""), "urn:kurs:course:c");
}

#[test]
fn seeds_are_strings_in_json_and_read_back_either_way() {
    let mut profile = Profile::new("Ada");
    profile.apply(
        &Change::AttemptStarted {
            course: "c".into(),
            item: "m/q".into(),
            attempt: "a1".into(),
            seed: u64::MAX - 1,
        },
        Timestamp(1_800_000_000),
    );
    let export = Export::new("machine", vec![profile]);
    let value = json(&export).expect("json");
    let text = value.to_string();
    assert!(text.contains("\"seed\":\"18446744073709551614\""), "{text}");
    let back = Export::parse(&text).expect("reads its own JSON");
    let seed = back.profiles[0].profile.courses["c"].items["m/q"].attempts[0].seed;
    assert_eq!(seed, u64::MAX - 1, "no precision lost");
    // Older exports with numbers still merge.
    let numbers = serde_json::to_string(&export).expect("plain");
    assert!(Export::parse(&numbers).is_ok());
}
