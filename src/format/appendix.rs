//! The bundle's appendix (spec §6.4): the entries after `manifest.json` and
//! `signature.json` that the manifest does not list, namely custody events
//! and RFC 3161 timestamp tokens. Adding to it never changes the manifest or
//! its signature, so the bundle id stays the same.

use std::fmt;
use std::io::{self, Cursor, Read, Seek, SeekFrom, Write};

use crate::format::codes::Code;
use crate::format::container::layout::Limits;
use crate::format::container::{CanonicalZipWriter, Container, read_container};
use crate::format::finding::Finding;

/// Largest sequence number a custody event may carry: six digits.
pub const MAX_EVENTS: u64 = 999_999;

/// Most timestamp tokens over one signature.
pub const MAX_TOKENS: u32 = 99;

/// What an appendix entry holds, from its name alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AppendixName {
    /// `timestamps/signature.K.tsr`: token K over the manifest signature.
    SignatureToken(u32),
    /// `custody/NNNNNN.json`: custody event N.
    Event(u64),
    /// `timestamps/custody-NNNNNN.K.tsr`: token K over event N's signature.
    EventToken(u64, u32),
}

impl AppendixName {
    /// Reads an entry name; `None` for any name that is not of these forms
    /// (including ones with leading zeros where none belong).
    pub fn parse(name: &str) -> Option<Self> {
        if let Some(n) = name
            .strip_prefix("custody/")
            .and_then(|r| r.strip_suffix(".json"))
        {
            return event_number(n).map(AppendixName::Event);
        }
        let rest = name
            .strip_prefix("timestamps/")
            .and_then(|r| r.strip_suffix(".tsr"))?;
        let (subject, k) = rest.rsplit_once('.')?;
        let k = token_number(k)?;
        if subject == "signature" {
            return Some(AppendixName::SignatureToken(k));
        }
        let n = event_number(subject.strip_prefix("custody-")?)?;
        Some(AppendixName::EventToken(n, k))
    }

    /// The position in the canonical order: signature tokens, then each
    /// event followed by its tokens.
    pub fn order_key(self) -> (u64, u32) {
        match self {
            AppendixName::SignatureToken(k) => (0, k),
            AppendixName::Event(n) => (n, 0),
            AppendixName::EventToken(n, k) => (n, k),
        }
    }
}

impl fmt::Display for AppendixName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AppendixName::SignatureToken(k) => write!(f, "timestamps/signature.{k}.tsr"),
            AppendixName::Event(n) => write!(f, "custody/{n:06}.json"),
            AppendixName::EventToken(n, k) => write!(f, "timestamps/custody-{n:06}.{k}.tsr"),
        }
    }
}

fn event_number(s: &str) -> Option<u64> {
    let n: u64 =
        (s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok())??;
    (1..=MAX_EVENTS).contains(&n).then_some(n)
}

fn token_number(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 2 || s.starts_with('0') || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// The appendix entries of a container in archive order, with their names
/// parsed.
pub fn entries(container: &Container) -> Vec<(AppendixName, &crate::format::container::Entry)> {
    container
        .entries
        .iter()
        .filter(|e| e.name_is_utf8)
        .filter_map(|e| AppendixName::parse(&e.name).map(|a| (a, e)))
        .collect()
}

/// Step 5, the shape of the appendix (E060): events numbered from 1 with
/// no gap, tokens numbered from 1 with no gap under a subject that exists,
/// no signature token in an unsigned bundle, all in the canonical order.
pub fn check_shape(names: &[AppendixName], signed: bool, findings: &mut Vec<Finding>) {
    let mut bad = |name: String, msg: String| {
        findings.push(Finding::new(Code::AppendixNotInOrder, name, msg));
    };
    let mut sorted = names.to_vec();
    sorted.sort_by_key(|n| n.order_key());
    if sorted != names {
        bad(
            "bundle".into(),
            format!(
                "the appendix entries are in the order [{}]; the canonical order is [{}]",
                join(names),
                join(&sorted)
            ),
        );
    }
    let events: Vec<u64> = sorted
        .iter()
        .filter_map(|n| match n {
            AppendixName::Event(n) => Some(*n),
            _ => None,
        })
        .collect();
    for (i, n) in events.iter().enumerate() {
        let expected = i as u64 + 1;
        if *n != expected {
            bad(
                AppendixName::Event(*n).to_string(),
                format!(
                    "custody event {n} follows event {}: event {expected} is missing",
                    expected - 1
                ),
            );
            break;
        }
    }
    let mut last: Option<(u64, u32)> = None;
    for n in &sorted {
        let (subject, k) = match n {
            AppendixName::Event(_) => continue,
            AppendixName::SignatureToken(k) => (0, *k),
            AppendixName::EventToken(e, k) => (*e, *k),
        };
        let subject_exists = if subject == 0 {
            signed
        } else {
            events.contains(&subject)
        };
        if !subject_exists {
            bad(
                n.to_string(),
                "a timestamp token over a signature the bundle does not have".into(),
            );
        }
        let expected = match last {
            Some((s, prev)) if s == subject => prev + 1,
            _ => 1,
        };
        if k != expected {
            bad(
                n.to_string(),
                format!("timestamp token {k} of its subject, but token {expected} is missing"),
            );
        }
        last = Some((subject, k));
    }
}

fn join(names: &[AppendixName]) -> String {
    names
        .iter()
        .map(|n| n.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Rewrites a bundle with `additions` appended to its appendix. Every
/// existing entry is copied in order, so its headers and data keep their
/// bytes and offsets: the result differs from the input only after the last
/// entry's data. The caller checks the bundle first (`attest` verifies it).
pub fn append(bundle: &[u8], additions: &[(AppendixName, Vec<u8>)]) -> io::Result<Vec<u8>> {
    let out = Cursor::new(Vec::with_capacity(
        bundle.len() + additions.iter().map(|(_, b)| b.len() + 128).sum::<usize>(),
    ));
    append_to(
        &mut Cursor::new(bundle),
        bundle.len() as u64,
        out,
        additions,
    )
    .map(Cursor::into_inner)
}

/// [`append`] streamed: from the bundle of `len` bytes in `src` to `out`,
/// one bounded buffer at a time, however large the bundle.
pub fn append_to<R: Read + Seek, W: Write + Seek>(
    src: &mut R,
    len: u64,
    out: W,
    additions: &[(AppendixName, Vec<u8>)],
) -> io::Result<W> {
    let container = match read_container(src, len, &Limits::default())? {
        Ok(c) if c.findings.is_empty() => c,
        _ => {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "the bundle's container is not canonical",
            ));
        }
    };
    let mut w = CanonicalZipWriter::new(out)?;
    for e in &container.entries {
        src.seek(SeekFrom::Start(e.data_offset))?;
        let written = w.add(&e.name, (&mut *src).take(e.size))?;
        if written.summary.len != e.size {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!("{} ends early", e.name),
            ));
        }
        // The writer computes a fresh CRC-32: without this check a damaged
        // entry would be copied under a CRC that hides the damage.
        if written.summary.crc32 != e.crc32 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("{}: its CRC-32 does not match its headers", e.name),
            ));
        }
    }
    for (name, bytes) in additions {
        w.add(&name.to_string(), bytes.as_slice())?;
    }
    w.finish()
}

/// The bytes of one small entry (at most `cap` bytes) of the bundle of
/// `len` bytes in `r`, if the container can be read and the entry is
/// readable STORED data whose length and CRC-32 match its headers.
pub fn entry_bytes_from<R: Read + Seek>(
    r: &mut R,
    len: u64,
    name: &str,
    cap: u64,
) -> Option<Vec<u8>> {
    let container = read_container(r, len, &Limits::default()).ok()?.ok()?;
    let e = container.entry(name)?;
    crate::format::container::read_checked(r, e, cap)
        .ok()
        .flatten()
}

/// The bytes of one entry of a bundle held in memory.
pub fn entry_bytes(bundle: &[u8], name: &str) -> Option<Vec<u8>> {
    entry_bytes_from(
        &mut Cursor::new(bundle),
        bundle.len() as u64,
        name,
        bundle.len() as u64,
    )
}

/// The raw Ed25519 signature in a bundle's `signature.json`: what a
/// timestamp over the bundle's signature stamps. `None` for an unsigned
/// bundle or a malformed envelope.
pub fn manifest_signature(bundle: &[u8]) -> Option<[u8; 64]> {
    let env = entry_bytes(bundle, crate::format::manifest::SIGNATURE_PATH)?;
    crate::format::sign::open_envelope(&env, crate::format::sign::PAYLOAD_TYPE)
        .ok()
        .map(|o| o.signature)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_refuse_near_misses() {
        for n in [
            AppendixName::SignatureToken(1),
            AppendixName::SignatureToken(12),
            AppendixName::Event(1),
            AppendixName::Event(999_999),
            AppendixName::EventToken(3, 2),
        ] {
            assert_eq!(AppendixName::parse(&n.to_string()), Some(n));
        }
        for bad in [
            "custody/1.json",
            "custody/000000.json",
            "custody/0000001.json",
            "custody/00000a.json",
            "timestamps/signature.0.tsr",
            "timestamps/signature.01.tsr",
            "timestamps/signature.100.tsr",
            "timestamps/custody-1.1.tsr",
            "timestamps/manifest.1.tsr",
            "custody/000001.json.bak",
        ] {
            assert_eq!(AppendixName::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn shape_finds_gaps_orphans_and_reordering() {
        use AppendixName::*;
        let run = |names: &[AppendixName], signed| {
            let mut f = Vec::new();
            check_shape(names, signed, &mut f);
            f.len()
        };
        assert_eq!(
            run(
                &[SignatureToken(1), Event(1), EventToken(1, 1), Event(2)],
                true
            ),
            0
        );
        assert_eq!(run(&[Event(1), Event(3)], false), 1);
        assert_eq!(run(&[Event(2), Event(1)], false), 1);
        assert_eq!(run(&[SignatureToken(1)], false), 1);
        assert_eq!(run(&[Event(1), EventToken(2, 1)], true), 1);
        assert_eq!(run(&[SignatureToken(2)], true), 1);
    }
}
