//! Attesting (spec §6.4): verify a bundle, then sign the next event of its
//! chain of custody. Kept apart from [`crate::format::custody`], which holds only
//! the event format and its checks, because it runs the whole verifier:
//! nobody should vouch for holding a bundle that does not verify.

use chrono::{DateTime, Utc};

use crate::format::custody::{Action, EVENT_PAYLOAD_TYPE, MAX_NOTE_BYTES, make_event, parse_time};
use crate::format::digest::Sha256Digest;
use crate::format::manifest::format_captured_at;
use crate::format::sign::{KeyPair, open_envelope};

/// Why an event cannot be added.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AttestError {
    /// The bundle does not verify: nobody should vouch for holding it.
    #[error("the bundle does not verify ({0}); custody is recorded only for intact bundles")]
    Invalid(String),
    /// The event would be dated before the capture or the last event.
    #[error("the event time {0} is before {1}; check the clock")]
    TimeBackwards(String, String),
    /// The note is empty or too long.
    #[error("the note must be non-empty text of at most {MAX_NOTE_BYTES} bytes")]
    BadNote,
    /// The note holds a control, bidirectional or invisible format
    /// character: it would be signed, and could make a report lie.
    #[error("{0}")]
    UnsafeNote(crate::display::UnsafeValue),
    /// The chain is full.
    #[error("the bundle already holds the most custody events a bundle can ({0})")]
    Full(u64),
    /// Reading or rewriting the bundle failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// A signed event ready to be appended, and what the caller may need to
/// stamp it or record its head.
#[derive(Debug, Clone)]
pub struct PreparedEvent {
    /// Its position.
    pub sequence: u64,
    /// The entry's bytes (a canonical DSSE envelope).
    pub bytes: Vec<u8>,
    /// The raw signature, which a timestamp stamps.
    pub signature: [u8; 64],
    /// `sha256:` of the bytes: the new chain head.
    pub digest: String,
}

/// Verifies the bundle of `len` bytes in `bundle` for integrity, then signs
/// the next custody event of its chain. Append it with
/// [`crate::format::appendix::append_to`].
pub fn prepare_event<R: std::io::Read + std::io::Seek>(
    bundle: &mut R,
    len: u64,
    key: &KeyPair,
    action: Action,
    note: Option<String>,
    time: DateTime<Utc>,
) -> Result<PreparedEvent, AttestError> {
    if note
        .as_ref()
        .is_some_and(|n| n.len() > MAX_NOTE_BYTES || n.trim().is_empty())
    {
        return Err(AttestError::BadNote);
    }
    if let Some(n) = &note {
        crate::display::check_clean("--note", n).map_err(AttestError::UnsafeNote)?;
    }
    let opts = crate::verify::VerifyOptions::new(time).with_trust(crate::verify::Trust::Anyone {
        allow_unsigned: true,
    });
    let report = crate::verify::verify_reader(bundle, len, &opts)?;
    let errors: Vec<String> = report
        .findings
        .iter()
        .filter(|f| f.severity == crate::Severity::Error)
        .map(|f| format!("{} at {}", f.code, f.location))
        .collect();
    let (Some(bundle_id), Some(m)) = (&report.bundle_id, &report.manifest) else {
        return Err(AttestError::Invalid(errors.join(", ")));
    };
    if !errors.is_empty() {
        return Err(AttestError::Invalid(errors.join(", ")));
    }
    let last = report.custody.last();
    let floor = last
        .and_then(|e| e.time.as_deref())
        .unwrap_or(m.capture.captured_at.as_str());
    if parse_time(floor).is_some_and(|f| time < f) {
        return Err(AttestError::TimeBackwards(
            format_captured_at(&time),
            floor.to_string(),
        ));
    }
    let previous = match last {
        Some(e) if e.sequence >= crate::format::appendix::MAX_EVENTS => {
            return Err(AttestError::Full(crate::format::appendix::MAX_EVENTS));
        }
        Some(e) => Some((
            e.sequence,
            crate::format::appendix::entry_bytes_from(
                bundle,
                len,
                &e.entry,
                opts.limits.max_appendix_entry_bytes,
            )
            .ok_or_else(|| AttestError::Invalid(format!("{} cannot be read", e.entry)))?,
        )),
        None => None,
    };
    let bytes = make_event(
        key,
        bundle_id,
        previous.as_ref().map(|(n, b)| (*n, b.as_slice())),
        time,
        action,
        note,
    );
    let signature = open_envelope(&bytes, EVENT_PAYLOAD_TYPE)
        .map(|o| o.signature)
        .map_err(|e| AttestError::Invalid(e.to_string()))?;
    Ok(PreparedEvent {
        sequence: previous.map_or(1, |(n, _)| n + 1),
        digest: Sha256Digest::of(&bytes).to_prefixed(),
        bytes,
        signature,
    })
}
