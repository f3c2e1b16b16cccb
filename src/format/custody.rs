//! Chain of custody (spec §6.4): signed events appended to a bundle by
//! whoever receives, reviews, transfers or verifies it. Each event names
//! the bundle id and the digest of the event before it, so the events form
//! a hash chain rooted in the manifest; the manifest and its signature are
//! never touched.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use chrono::{DateTime, Utc};
use ed25519_dalek::VerifyingKey;
use serde::{Deserialize, Serialize};

use crate::format::canonical::{canonical_json, json_depth};
use crate::format::codes::Code;
use crate::format::digest::Sha256Digest;
use crate::format::finding::Finding;
use crate::format::manifest::{Signer, format_captured_at};
use crate::format::sign::{
    KeyPair, OpenedEnvelope, SignatureProblem, key_id, open_envelope, signer_key, verify_opened,
};

/// The DSSE payload type of a custody event.
pub const EVENT_PAYLOAD_TYPE: &str = "application/vnd.provseal.custody-event+json;version=1";

/// The `type` field of every custody event.
pub const EVENT_TYPE: &str = "provseal-custody-event";

/// Longest `note`, in bytes.
pub const MAX_NOTE_BYTES: usize = 4096;

/// What the actor did with the bundle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// The actor received the bundle.
    Received,
    /// The actor reviewed its content.
    Reviewed,
    /// The actor handed it on.
    Transferred,
    /// The actor verified it.
    Verified,
}

impl Action {
    /// Every action, in the spec's order.
    pub const ALL: [Action; 4] = [
        Action::Received,
        Action::Reviewed,
        Action::Transferred,
        Action::Verified,
    ];

    /// The name as written in an event.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Received => "received",
            Action::Reviewed => "reviewed",
            Action::Transferred => "transferred",
            Action::Verified => "verified",
        }
    }

    /// Reads an action name.
    pub fn parse(s: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The signed statement of one custody event (spec §6.4), with keys in
/// their canonical order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// Always [`EVENT_TYPE`].
    #[serde(rename = "type")]
    pub kind: String,
    /// Always 1.
    pub version: u64,
    /// The id of the bundle the event is about.
    pub bundle_id: String,
    /// 1 for the first event, then one more for each.
    pub sequence: u64,
    /// The bundle id for the first event; then the `sha256:` of the bytes
    /// of the previous event's entry.
    pub previous: String,
    /// When the actor says it happened, in the manifest's time form.
    pub time: String,
    /// What happened.
    pub action: Action,
    /// The key that signs the event.
    pub actor: Signer,
    /// Free text from the actor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One event as the verifier saw it: what the report's timeline shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventInfo {
    /// The event's entry name.
    pub entry: String,
    /// Its position, from 1.
    pub sequence: u64,
    /// `sha256:` of the entry bytes: what the next event's `previous`
    /// holds, and what a custodian records as the chain head.
    pub digest: String,
    /// When the actor says it happened; `None` when the statement cannot
    /// be read.
    pub time: Option<String>,
    /// What happened; `None` when the statement cannot be read.
    pub action: Option<Action>,
    /// The actor's key id; `None` when the statement cannot be read.
    pub actor_key_id: Option<String>,
    /// The actor's name in the trust store, when it holds the key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actor_name: Option<String>,
    /// Whether the actor's key is trusted; `None` when no trust was given.
    pub actor_trusted: Option<bool>,
    /// The note, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Whether every check of this event passed.
    pub valid: bool,
}

/// Builds and signs the next event of a chain. `last` is the bytes of the
/// chain's current last event entry, or `None` when there is none yet.
pub fn make_event(
    key: &KeyPair,
    bundle_id: &str,
    last: Option<(u64, &[u8])>,
    time: DateTime<Utc>,
    action: Action,
    note: Option<String>,
) -> Vec<u8> {
    let (sequence, previous) = match last {
        None => (1, bundle_id.to_string()),
        Some((n, bytes)) => (n + 1, Sha256Digest::of(bytes).to_prefixed()),
    };
    let event = Event {
        kind: EVENT_TYPE.into(),
        version: 1,
        bundle_id: bundle_id.into(),
        sequence,
        previous,
        time: format_captured_at(&time),
        action,
        actor: key.signer_record(),
        note,
    };
    key.sign_envelope(EVENT_PAYLOAD_TYPE, &canonical_json(&event))
}

/// What step 5 learns from one event entry that checked out far enough to
/// be shown.
#[derive(Debug, Clone)]
pub struct CheckedEvent {
    /// For the report.
    pub info: EventInfo,
    /// The actor's key, when the signature verified.
    pub key: Option<VerifyingKey>,
    /// The raw signature, which a timestamp token stamps.
    pub signature: Option<[u8; 64]>,
    /// The event time, parsed.
    pub at: Option<DateTime<Utc>>,
}

/// The chain-level state carried from one event to the next.
pub struct ChainCursor<'a> {
    /// The bundle id events must name.
    pub bundle_id: &'a str,
    /// What the next event's `previous` must be.
    pub expected_previous: String,
    /// The time the next event may not precede, and what it is.
    pub not_before: Option<(DateTime<Utc>, String)>,
}

/// Step 5 for one event entry: structure, signature, binding, link and
/// time (E061–E065). Returns what could be learnt for the timeline.
// Long (~115 lines) by reason: the §6.4 checks in the spec's order, each
// a few lines ending in its code; the order is the contract.
pub fn check_event(
    entry: &str,
    sequence: u64,
    bytes: &[u8],
    cursor: &mut ChainCursor<'_>,
    findings: &mut Vec<Finding>,
) -> CheckedEvent {
    let digest = Sha256Digest::of(bytes).to_prefixed();
    let before = findings.len();
    let mut push = |code: Code, msg: String| findings.push(Finding::new(code, entry, msg));
    let expected_previous = std::mem::replace(&mut cursor.expected_previous, digest.clone());
    let mut checked = CheckedEvent {
        info: EventInfo {
            entry: entry.into(),
            sequence,
            digest,
            time: None,
            action: None,
            actor_key_id: None,
            actor_name: None,
            actor_trusted: None,
            note: None,
            valid: false,
        },
        key: None,
        signature: None,
        at: None,
    };
    let opened = match open_envelope(bytes, EVENT_PAYLOAD_TYPE) {
        Ok(o) => o,
        Err(p) => {
            push(Code::CustodyEventMalformed, p.to_string());
            return checked;
        }
    };
    let payload = match parse_statement(&opened) {
        Ok(p) => p,
        Err(msg) => {
            push(Code::CustodyEventMalformed, msg);
            return checked;
        }
    };
    let (event, payload_bytes) = payload;
    checked.info.time = Some(event.time.clone());
    checked.info.action = Some(event.action);
    checked.info.actor_key_id = Some(event.actor.key_id.clone());
    checked.info.note = event.note.clone();
    checked.signature = Some(opened.signature);
    if let Err(msg) = check_values(&event) {
        push(Code::CustodyEventMalformed, msg);
    }
    match signer_key(&event.actor) {
        Err(p) => push(Code::CustodyEventSignatureInvalid, p.to_string()),
        Ok(key) => {
            let envelope_key = &opened.envelope.signatures[0].keyid;
            if *envelope_key != key_id(&key) {
                push(
                    Code::CustodyEventSignatureInvalid,
                    SignatureProblem::EnvelopeKeyId(envelope_key.clone()).to_string(),
                );
            } else if verify_opened(&opened, EVENT_PAYLOAD_TYPE, &payload_bytes, &key).is_err() {
                push(
                    Code::CustodyEventSignatureInvalid,
                    "the Ed25519 signature does not verify over the event".into(),
                );
            } else {
                checked.key = Some(key);
            }
        }
    }
    if event.bundle_id != cursor.bundle_id {
        push(
            Code::CustodyEventMisbound,
            format!(
                "the event is about bundle {}, not this bundle {}",
                event.bundle_id, cursor.bundle_id
            ),
        );
    }
    if event.sequence != sequence {
        push(
            Code::CustodyEventMisbound,
            format!(
                "the event says it is number {}, but it is stored as number {sequence}",
                event.sequence
            ),
        );
    }
    if event.previous != expected_previous {
        push(
            Code::CustodyChainBroken,
            format!(
                "the event links to {}, but the {} is {expected_previous}",
                event.previous,
                if sequence == 1 {
                    "bundle id"
                } else {
                    "digest of the event before it"
                }
            ),
        );
    }
    if let Some(at) = parse_time(&event.time) {
        if let Some((floor, what)) = &cursor.not_before
            && at < *floor
        {
            push(
                Code::CustodyTimeBackwards,
                format!("the event is dated {}, before {what}", event.time),
            );
        }
        cursor.not_before = Some((at, format!("event {sequence} ({})", event.time)));
        checked.at = Some(at);
    }
    checked.info.valid = findings.len() == before;
    checked
}

/// Decodes the envelope's payload as a canonical event statement.
fn parse_statement(opened: &OpenedEnvelope) -> Result<(Event, Vec<u8>), String> {
    let payload = B64
        .decode(&opened.envelope.payload)
        .map_err(|e| format!("the payload is not base64: {e}"))?;
    if json_depth(&payload) > 4 {
        return Err("the event statement nests too deeply".into());
    }
    let event: Event = serde_json::from_slice(&payload)
        .map_err(|e| format!("the event statement is not valid: {e}"))?;
    if canonical_json(&event) != payload {
        return Err("the event statement is not in canonical form".into());
    }
    Ok((event, payload))
}

/// The value rules of an event statement.
fn check_values(e: &Event) -> Result<(), String> {
    if e.kind != EVENT_TYPE || e.version != 1 {
        return Err(format!(
            "type {:?} version {} is not {EVENT_TYPE:?} version 1",
            e.kind, e.version
        ));
    }
    if e.actor.algorithm != "ed25519" {
        return Err(format!(
            "the actor's algorithm is {:?}, not ed25519",
            e.actor.algorithm
        ));
    }
    if parse_time(&e.time).is_none() {
        return Err(format!(
            "time {:?} is not an RFC 3339 UTC time in canonical form",
            e.time
        ));
    }
    for (what, v) in [("bundle_id", &e.bundle_id), ("previous", &e.previous)] {
        if v.strip_prefix("sha256:")
            .and_then(Sha256Digest::from_hex)
            .is_none_or(|d| d.to_prefixed() != *v)
        {
            return Err(format!(
                "{what} {v:?} is not sha256: and 64 lower-case hex digits"
            ));
        }
    }
    if let Some(n) = &e.note
        && (n.len() > MAX_NOTE_BYTES || n.trim().is_empty())
    {
        return Err(format!(
            "the note is empty or longer than {MAX_NOTE_BYTES} bytes"
        ));
    }
    Ok(())
}

/// An event time, only in the canonical form the manifest uses.
pub fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    let t = DateTime::parse_from_rfc3339(s).ok()?.with_timezone(&Utc);
    (format_captured_at(&t) == s).then_some(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        parse_time(s).unwrap()
    }

    #[test]
    fn a_chain_of_two_events_checks_and_each_break_is_named() {
        let a = KeyPair::from_seed(&[1; 32]);
        let b = KeyPair::from_seed(&[2; 32]);
        let id = Sha256Digest::of(b"manifest").to_prefixed();
        let e1 = make_event(
            &a,
            &id,
            None,
            t("2026-01-01T00:00:00Z"),
            Action::Received,
            None,
        );
        let e2 = make_event(
            &b,
            &id,
            Some((1, &e1)),
            t("2026-01-02T00:00:00Z"),
            Action::Transferred,
            Some("to counsel".into()),
        );
        let run = |events: &[&[u8]]| {
            let mut f = Vec::new();
            let mut c = ChainCursor {
                bundle_id: &id,
                expected_previous: id.clone(),
                not_before: Some((t("2025-12-31T00:00:00Z"), "the capture".into())),
            };
            let infos: Vec<_> = events
                .iter()
                .enumerate()
                .map(|(i, e)| check_event("e", i as u64 + 1, e, &mut c, &mut f).info)
                .collect();
            (f.iter().map(|f| f.code).collect::<Vec<_>>(), infos)
        };
        let (codes, infos) = run(&[&e1, &e2]);
        assert!(codes.is_empty(), "{codes:?}");
        assert_eq!(infos[1].note.as_deref(), Some("to counsel"));
        assert_eq!(infos[1].actor_key_id, Some(b.key_id()));
        // Swapped: each names the wrong position and the wrong link.
        let (codes, _) = run(&[&e2, &e1]);
        assert!(codes.contains(&Code::CustodyEventMisbound));
        assert!(codes.contains(&Code::CustodyChainBroken));
        // A byte of the signature changed.
        let text = String::from_utf8(e1.clone()).unwrap();
        let sig_at = text.find("\"sig\": \"").unwrap() + 8;
        let mut bad = e1.clone();
        bad[sig_at] = if bad[sig_at] == b'A' { b'B' } else { b'A' };
        assert_eq!(run(&[&bad]).0, vec![Code::CustodyEventSignatureInvalid]);
        // Time going backwards.
        let early = make_event(
            &a,
            &id,
            Some((1, &e1)),
            t("2025-12-31T12:00:00Z"),
            Action::Reviewed,
            None,
        );
        assert_eq!(run(&[&e1, &early]).0, vec![Code::CustodyTimeBackwards]);
        assert_eq!(run(&[b"{}"]).0, vec![Code::CustodyEventMalformed]);
    }
}
