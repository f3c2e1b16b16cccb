//! Step 5 of spec §8: the appendix. The custody chain (§6.4) is checked
//! link by link, and each timestamp token (§6.5) against the signature it
//! stamps, offline.

use std::io::{self, Read, Seek};

use chrono::{DateTime, Utc};
use ed25519_dalek::VerifyingKey;

use super::{AppendixState, CLOCK_SKEW, VerifyOptions, is_appendix_finding};
use crate::format::appendix::{self, AppendixName};
use crate::format::codes::Code;
use crate::format::codes::Severity;
use crate::format::container::{Container, read_entry};
use crate::format::custody::{ChainCursor, EventInfo, check_event};
use crate::format::finding::Finding;
use crate::format::manifest::{MANIFEST_PATH, Manifest, SIGNATURE_PATH};
use crate::format::timestamp::{Stamp, Token, TokenProblem, check_token};

/// A custody event with what step 6 needs to judge its actor.
pub(super) type JudgedEvent = (EventInfo, Option<VerifyingKey>, Option<DateTime<Utc>>);

/// What step 5 found, for the later steps and the report.
#[derive(Default)]
pub(super) struct Appendix {
    /// The custody events in chain order.
    pub events: Vec<JudgedEvent>,
    /// The tokens, with the checked token when it checked out.
    pub stamps: Vec<(Stamp, Option<Token>)>,
}

/// Step 5: the appendix's names and shape (E060), then each custody event
/// in chain order and each timestamp token against the signature it
/// stamps, then the recorded custody head (E066).
pub(super) fn check<R: Read + Seek>(
    r: &mut R,
    container: &Container,
    bundle_id: &str,
    m: &Manifest,
    manifest_signature: Option<&[u8; 64]>,
    opts: &VerifyOptions,
    findings: &mut Vec<Finding>,
) -> io::Result<Appendix> {
    let mut entries = appendix::entries(container);
    let names: Vec<AppendixName> = entries.iter().map(|(n, _)| *n).collect();
    appendix::check_shape(&names, m.signer.is_some(), findings);
    entries.sort_by_key(|(n, _)| n.order_key());

    let mut out = Appendix::default();
    let mut cursor = ChainCursor {
        bundle_id,
        expected_previous: bundle_id.to_string(),
        not_before: m
            .captured_at()
            .map(|t| (t, format!("the capture time ({})", m.capture.captured_at))),
    };
    // The raw signature and claimed time of each subject a token may stamp.
    let mut subjects: Vec<(AppendixName, [u8; 64], String)> = Vec::new();
    if let Some(sig) = manifest_signature {
        subjects.push((
            AppendixName::SignatureToken(0),
            *sig,
            m.capture.captured_at.clone(),
        ));
    }
    for (name, entry) in &entries {
        let Some(data) = read_entry(
            r,
            entry,
            opts.limits.max_appendix_entry_bytes,
            Code::AppendixEntryTooLarge,
            findings,
        )?
        else {
            continue;
        };
        let bytes = data.bytes;
        match *name {
            AppendixName::Event(n) => {
                let c = check_event(&entry.name, n, &bytes, &mut cursor, findings);
                if let (Some(sig), Some(time), Some(_)) = (c.signature, &c.info.time, &c.key) {
                    subjects.push((AppendixName::Event(n), sig, time.clone()));
                }
                out.events.push((c.info, c.key, c.at));
            }
            AppendixName::SignatureToken(_) | AppendixName::EventToken(..) => {
                let subject = match *name {
                    AppendixName::EventToken(n, _) => AppendixName::Event(n),
                    _ => AppendixName::SignatureToken(0),
                };
                let Some((_, sig, claimed)) = subjects.iter().find(|(s, ..)| *s == subject) else {
                    // No verified signature to stamp: E060 or a signature
                    // finding already says why.
                    continue;
                };
                let subject_entry = match subject {
                    AppendixName::Event(_) => subject.to_string(),
                    _ => SIGNATURE_PATH.to_string(),
                };
                out.stamps.push(check_stamp(
                    &entry.name,
                    subject_entry,
                    &bytes,
                    sig,
                    claimed,
                    findings,
                ));
            }
        }
    }

    if let Some(head) = &opts.custody_head
        && !out.events.iter().any(|(e, ..)| e.digest == *head)
    {
        findings.push(Finding::new(
            Code::CustodyHeadMissing,
            "bundle",
            format!(
                "the custody chain ({} event(s), head {}) does not contain the recorded head {head}: events were removed",
                out.events.len(),
                out.events
                    .last()
                    .map_or("none".to_string(), |(e, ..)| e.digest.clone())
            ),
        ));
    }
    Ok(out)
}

impl Appendix {
    /// The appendix's state (§8.1): none when the bundle has no appendix
    /// entry (every event and token comes from one), invalid when any
    /// error finding is about an appendix entry, else valid.
    pub(super) fn state(container: &Container, findings: &[Finding]) -> AppendixState {
        if appendix::entries(container).is_empty() {
            AppendixState::None
        } else if findings
            .iter()
            .any(|f| f.severity == Severity::Error && is_appendix_finding(f))
        {
            AppendixState::Invalid
        } else {
            AppendixState::Valid
        }
    }
}

fn check_stamp(
    entry: &str,
    subject: String,
    bytes: &[u8],
    sig: &[u8; 64],
    claimed: &str,
    findings: &mut Vec<Finding>,
) -> (Stamp, Option<Token>) {
    let mut stamp = Stamp {
        entry: entry.into(),
        subject,
        claimed_time: Some(claimed.to_string()),
        gen_time: None,
        tsa: None,
        serial: None,
        valid: false,
        trusted: None,
        path: Vec::new(),
    };
    match check_token(bytes, sig) {
        Err(p) => {
            let code = match p {
                TokenProblem::Malformed(_) => Code::TimestampMalformed,
                TokenProblem::Imprint(_) => Code::TimestampImprintMismatch,
                TokenProblem::Signature(_) => Code::TimestampSignatureInvalid,
                TokenProblem::NotTsa(_) => Code::TimestampNotTsaCertificate,
            };
            findings.push(Finding::new(code, entry, p.to_string()));
            (stamp, None)
        }
        Ok(token) => {
            stamp.gen_time = Some(token.info.gen_time);
            stamp.tsa = Some(token.info.tsa.clone());
            stamp.serial = Some(token.info.serial.clone());
            stamp.valid = true;
            if let Ok(t) = DateTime::parse_from_rfc3339(claimed)
                && t.with_timezone(&Utc) > token.info.gen_time + CLOCK_SKEW
            {
                stamp.valid = false;
                findings.push(Finding::new(
                    Code::ClaimedTimeContradicted,
                    if stamp.subject == SIGNATURE_PATH {
                        format!("{MANIFEST_PATH}#/capture/captured_at")
                    } else {
                        stamp.subject.clone()
                    },
                    format!(
                        "{} claims {claimed}, but {} attests that its signature existed at {}",
                        stamp.subject,
                        token.info.tsa,
                        token.info.gen_time.to_rfc3339()
                    ),
                ));
            }
            (stamp, Some(token))
        }
    }
}
