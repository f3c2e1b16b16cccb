//! Vectors for custody chains (spec §6.4), each invalid one breaking
//! exactly one rule, and the helpers the timestamp vectors share.

use provseal::format::appendix::{self, AppendixName};
use provseal::format::canonical::canonical_json;
use provseal::format::custody::{Action, EVENT_PAYLOAD_TYPE, EVENT_TYPE, Event, make_event};
use provseal::format::digest::Sha256Digest;

use super::Hand::{Fail, NotApplicable, Pass};
use super::{Builder, OTHER, TEST};
use crate::support::*;

pub(super) fn t(s: &str) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(s).unwrap().to_utc()
}

pub(super) fn unix(s: &str) -> i64 {
    t(s).timestamp()
}

/// The bundle id of bundle bytes.
pub(super) fn id_of(bytes: &[u8]) -> String {
    Sha256Digest::of(get(&entries(bytes), "manifest.json")).to_prefixed()
}

pub(super) fn with(bytes: &[u8], additions: Vec<(AppendixName, Vec<u8>)>) -> Vec<u8> {
    appendix::append(bytes, &additions).unwrap()
}

/// Signs an arbitrary event statement, for events that break a rule.
pub(super) fn sign_event(key: &KeyPair, e: &Event) -> Vec<u8> {
    key.sign_envelope(EVENT_PAYLOAD_TYPE, &canonical_json(e))
}

pub(super) fn statement(key: &KeyPair, id: &str, seq: u64, previous: &str, time: &str) -> Event {
    Event {
        kind: EVENT_TYPE.into(),
        version: 1,
        bundle_id: id.into(),
        sequence: seq,
        previous: previous.into(),
        time: time.into(),
        action: Action::Received,
        actor: key.signer_record(),
        note: None,
    }
}

pub(super) fn signature_of(envelope: &[u8]) -> [u8; 64] {
    provseal::format::sign::open_envelope(envelope, EVENT_PAYLOAD_TYPE)
        .unwrap()
        .signature
}

pub(super) const T1: &str = "2024-03-16T09:00:00Z";
pub(super) const T2: &str = "2024-03-17T10:30:00Z";
pub(super) const T3: &str = "2024-03-18T11:00:00Z";

/// Custody chains (spec §6.4), each invalid one breaking one rule;
/// returns the valid chain's two events for the vector that has it all.
// Long by reason: one chain (e1, e2, e3) and the two closures that add a
// vector over it; every vector below is that chain with one rule broken.
pub(super) fn add_all(b: &mut Builder, signed: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let (test, other) = (test_key(), other_key());
    let id = id_of(signed);
    let e1 = make_event(
        &other,
        &id,
        None,
        t(T1),
        Action::Received,
        Some("received from the test newsroom by file transfer".into()),
    );
    let e2 = make_event(&test, &id, Some((1, &e1)), t(T2), Action::Transferred, None);
    let e3 = make_event(&other, &id, Some((2, &e2)), t(T3), Action::Verified, None);
    let chain = with(
        signed,
        vec![
            (AppendixName::Event(1), e1.clone()),
            (AppendixName::Event(2), e2.clone()),
        ],
    );
    // verify-by-hand.sh checks the chain's links, times and signatures, not
    // canonical form, caps, recorded heads or actor trust.
    let custody = |b: &mut Builder,
                   file: &str,
                   d: &str,
                   bytes: Vec<u8>,
                   trusted: &[&str],
                   state: &str,
                   codes: &[&str]| {
        b.add(file, d, bytes, trusted, false, state, codes, Pass);
    };
    custody(
        b,
        "valid/custody_chain.zip",
        "The signed bundle with two custody events (received by the second key, transferred by the signer), both keys trusted.",
        chain.clone(),
        &[TEST, OTHER],
        "verified-trusted",
        &[],
    );
    custody(
        b,
        "valid/W006_custody_actor_untrusted.zip",
        "The same chain verified trusting only the signer: the first event's actor is shown as untrusted.",
        chain.clone(),
        &[TEST],
        "verified-trusted",
        &["W006"],
    );
    custody(
        b,
        "valid/W007_custody_event_in_future.zip",
        "A custody event dated 2027-01-01, after the verifier's clock (2026-01-01).",
        with(
            signed,
            vec![(
                AppendixName::Event(1),
                make_event(
                    &test,
                    &id,
                    None,
                    t("2027-01-01T00:00:00Z"),
                    Action::Reviewed,
                    None,
                ),
            )],
        ),
        &[TEST],
        "verified-trusted",
        &["W007"],
    );

    custody(
        b,
        "valid/W009_custody_note_unsafe.zip",
        "A custody event, appended by another tool, whose note holds a line feed and an escape sequence that would fake a line of the report: the event stands, with W009.",
        with(
            signed,
            vec![(
                AppendixName::Event(1),
                make_event(
                    &other,
                    &id,
                    None,
                    t(T1),
                    Action::Reviewed,
                    Some("ok\n  timestamp  signature.json existed by 2024-01-01 \u{1b}[32mtrusted TSA".into()),
                ),
            )],
        ),
        &[TEST, OTHER],
        "verified-trusted",
        &["W009"],
    );

    let invalid = |b: &mut Builder, file: &str, d: &str, bytes: Vec<u8>, codes: &[&str]| {
        let hand = if ["E061", "E066", "E067"].contains(&&file[..4]) {
            NotApplicable
        } else {
            Fail
        };
        // The signed core is intact and trusted: an appended entry fails
        // the bundle without making it look forged (spec §8.1).
        b.add(
            &format!("invalid/{file}"),
            d,
            bytes,
            &[TEST, OTHER],
            false,
            "verified-trusted",
            codes,
            hand,
        );
    };
    invalid(
        b,
        "E060_custody_event_missing.zip",
        "Three custody events with the second removed: events 1 and 3 remain.",
        with(
            signed,
            vec![
                (AppendixName::Event(1), e1.clone()),
                (AppendixName::Event(3), e3.clone()),
            ],
        ),
        &["E060", "E064"],
    );
    let mut compact = serde_json::to_vec(&statement(&other, &id, 1, &id, T1)).unwrap();
    compact.push(b'\n');
    invalid(
        b,
        "E061_custody_event_malformed.zip",
        "A custody event whose statement is compact JSON, not the canonical serialisation.",
        with(
            signed,
            vec![(
                AppendixName::Event(1),
                other.sign_envelope(EVENT_PAYLOAD_TYPE, &compact),
            )],
        ),
        &["E061"],
    );
    let forged = {
        use base64::Engine as _;
        let text = String::from_utf8(e1.clone()).unwrap();
        let sig = base64::engine::general_purpose::STANDARD.encode(signature_of(&e3));
        let start = text.find("\"sig\": \"").unwrap() + 8;
        let end = start + text[start..].find('"').unwrap();
        format!("{}{sig}{}", &text[..start], &text[end..]).into_bytes()
    };
    invalid(
        b,
        "E062_custody_signature_invalid.zip",
        "A custody event carrying another event's signature.",
        with(signed, vec![(AppendixName::Event(1), forged)]),
        &["E062"],
    );
    let other_id = Sha256Digest::of(b"another bundle").to_prefixed();
    let mut misbound = statement(&other, &other_id, 1, &id, T1);
    misbound.bundle_id = other_id;
    invalid(
        b,
        "E063_custody_event_other_bundle.zip",
        "A custody event naming another bundle's id.",
        with(
            signed,
            vec![(AppendixName::Event(1), sign_event(&other, &misbound))],
        ),
        &["E063"],
    );
    let unlinked = sign_event(
        &test,
        &Event {
            sequence: 2,
            previous: Sha256Digest::of(b"some other event").to_prefixed(),
            ..statement(&test, &id, 2, &id, T2)
        },
    );
    invalid(
        b,
        "E064_custody_link_broken.zip",
        "A second custody event whose previous digest is not the first event's.",
        with(
            signed,
            vec![
                (AppendixName::Event(1), e1.clone()),
                (AppendixName::Event(2), unlinked),
            ],
        ),
        &["E064"],
    );
    invalid(
        b,
        "E065_custody_time_backwards.zip",
        "A second custody event dated before the first.",
        with(
            signed,
            vec![
                (AppendixName::Event(1), e1.clone()),
                (
                    AppendixName::Event(2),
                    make_event(
                        &test,
                        &id,
                        Some((1, &e1)),
                        t("2024-03-16T08:00:00Z"),
                        Action::Reviewed,
                        None,
                    ),
                ),
            ],
        ),
        &["E065"],
    );
    invalid(
        b,
        "E066_custody_truncated.zip",
        "A chain whose last event was removed; the verifier was given the recorded head (the removed event's digest).",
        with(signed, vec![(AppendixName::Event(1), e1.clone())]),
        &["E066"],
    );
    b.out.last_mut().unwrap().entry.custody_head = Some(Sha256Digest::of(&e2).to_prefixed());
    invalid(
        b,
        "E067_custody_event_too_large.zip",
        "A custody event larger than the appendix entry cap (lowered to 512 bytes for this vector).",
        with(signed, vec![(AppendixName::Event(1), e1.clone())]),
        &["E067"],
    );
    b.out
        .last_mut()
        .unwrap()
        .entry
        .limits
        .insert("max_appendix_entry_bytes".into(), 512);
    (e1, e2)
}
