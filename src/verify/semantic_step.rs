//! Step 7 of spec §8: warnings about what the bundle says, which do not
//! make it fail: times that cannot be right (W001, W002, W007), text values
//! that carry characters a screen would act on or hide (W009, §5.4), and
//! URLs whose host could pass for another name (W010, §5.4).

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde_json::Value;

use super::CLOCK_SKEW;
use crate::display;
use crate::format::codes::Code;
use crate::format::custody::EventInfo;
use crate::format::finding::Finding;
use crate::format::manifest::{MANIFEST_PATH, Manifest};

/// Step 7 for the manifest.
pub(super) fn check_manifest(m: &Manifest, now: DateTime<Utc>, findings: &mut Vec<Finding>) {
    times(m, now, findings);
    // Every string of the manifest, wherever it sits: a field added to the
    // format later is covered without a change here.
    if let Ok(v) = serde_json::to_value(m) {
        walk(&v, &mut String::new(), MANIFEST_PATH, findings);
    }
}

/// Step 7 for custody events: W007 for an event dated after the verifier's
/// clock (beyond the skew), W009 for a note with unsafe characters.
pub(super) fn check_events(events: &[EventInfo], now: DateTime<Utc>, findings: &mut Vec<Finding>) {
    for e in events {
        if let Some(time) = &e.time
            && let Some(t) = crate::format::custody::parse_time(time)
            && t > now + CLOCK_SKEW
        {
            findings.push(Finding::new(
                Code::CustodyEventInFuture,
                &e.entry,
                format!(
                    "custody event {} is dated {time}, after the verifier's clock ({})",
                    e.sequence,
                    now.to_rfc3339()
                ),
            ));
        }
        if let Some(note) = &e.note {
            unsafe_text(note, &format!("{}#/note", e.entry), findings);
        }
    }
}

fn walk(v: &Value, pointer: &mut String, file: &str, findings: &mut Vec<Finding>) {
    match v {
        Value::String(s) => {
            let at = format!("{file}#{pointer}");
            unsafe_text(s, &at, findings);
            if s.starts_with("http://") || s.starts_with("https://") {
                confusable(s, &at, findings);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let len = pointer.len();
                pointer.push_str(&format!("/{i}"));
                walk(item, pointer, file, findings);
                pointer.truncate(len);
            }
        }
        Value::Object(map) => {
            for (k, item) in map {
                let len = pointer.len();
                // JSON pointer escapes (RFC 6901); the keys are the schema's.
                pointer.push('/');
                pointer.push_str(&k.replace('~', "~0").replace('/', "~1"));
                walk(item, pointer, file, findings);
                pointer.truncate(len);
            }
        }
        _ => {}
    }
}

fn unsafe_text(s: &str, at: &str, findings: &mut Vec<Finding>) {
    if let Some((offset, c)) = display::first_unsafe(s) {
        findings.push(Finding::new(
            Code::UnsafeCharacters,
            at,
            format!(
                "the value holds {} {} at byte {offset}: it is shown escaped, and a tool that shows it raw could be made to display something else",
                display::describe(c),
                display::escape_char(c)
            ),
        ));
    }
}

fn confusable(u: &str, at: &str, findings: &mut Vec<Finding>) {
    if let Some(why) = display::confusable_host(u) {
        findings.push(Finding::new(
            Code::ConfusableHost,
            at,
            format!(
                "the URL's host could pass for another name ({}): it is shown as {}",
                display::inline(&why),
                display::url(u).text
            ),
        ));
    }
}

fn times(m: &Manifest, now: DateTime<Utc>, findings: &mut Vec<Finding>) {
    let Some(captured) = m.captured_at() else {
        return;
    };
    if captured > now + CLOCK_SKEW {
        findings.push(Finding::new(
            Code::CapturedInFuture,
            format!("{MANIFEST_PATH}#/capture/captured_at"),
            format!(
                "captured at {}, after the verifier's clock ({})",
                m.capture.captured_at,
                now.to_rfc3339()
            ),
        ));
    }
    let Some(value) = m
        .article
        .published
        .as_ref()
        .and_then(|p| p.value.as_deref())
    else {
        return;
    };
    let after = if let Ok(t) = DateTime::parse_from_rfc3339(value) {
        t.with_timezone(&Utc) > captured
    } else if let Ok(d) = NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        // A bare date may be in any time zone: only a whole day later counts.
        d > (captured + Duration::days(1)).date_naive()
    } else {
        false
    };
    if after {
        findings.push(Finding::new(
            Code::PublishedAfterCaptured,
            format!("{MANIFEST_PATH}#/article/published"),
            format!(
                "published {value}, after the capture at {}",
                m.capture.captured_at
            ),
        ));
    }
}
