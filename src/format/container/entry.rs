//! The one entry reader: an entry's data read within its cap, its length
//! and CRC-32 checked against the central directory. Verification reads
//! every entry through here, and hands back the bytes it checked, so that
//! nothing shown or indexed comes from a second, unchecked read.

use std::io::{self, Read, Seek, SeekFrom};

use super::Entry;
use crate::format::codes::Code;
use crate::format::digest::{StreamSummary, hash_bytes, hash_reader_sized};
use crate::format::finding::Finding;

/// An entry's data, read whole, with what one pass over it measured.
#[derive(Debug, Clone)]
pub struct EntryData {
    /// The data bytes.
    pub bytes: Vec<u8>,
    /// SHA-256, length and CRC-32 of `bytes`.
    pub summary: StreamSummary,
}

/// Reads `e` whole when it is readable and at most `cap` bytes. A larger
/// entry is `too_large` (a finding); data that ends early is E001 and
/// yields `None`; a CRC-32 that differs from the central directory's is
/// E007, and the bytes are still returned, for the checks after it.
pub fn read_entry<R: Read + Seek>(
    r: &mut R,
    e: &Entry,
    cap: u64,
    too_large: Code,
    findings: &mut Vec<Finding>,
) -> io::Result<Option<EntryData>> {
    if !e.readable {
        return Ok(None);
    }
    if e.size > cap {
        findings.push(Finding::new(
            too_large,
            &e.name,
            format!("{} bytes; the limit is {cap}", e.size),
        ));
        return Ok(None);
    }
    r.seek(SeekFrom::Start(e.data_offset))?;
    let mut bytes = Vec::with_capacity(e.size as usize);
    r.take(e.size).read_to_end(&mut bytes)?;
    let summary = hash_bytes(&bytes);
    Ok(check_read(e, &summary, findings).then_some(EntryData { bytes, summary }))
}

/// Streams `e` once through SHA-256 and CRC-32 without holding it, with
/// the checks of [`read_entry`] except the cap. `None` when the entry is
/// not readable or its data ends early.
pub fn stream_entry<R: Read + Seek>(
    r: &mut R,
    e: &Entry,
    findings: &mut Vec<Finding>,
) -> io::Result<Option<StreamSummary>> {
    if !e.readable {
        return Ok(None);
    }
    r.seek(SeekFrom::Start(e.data_offset))?;
    let summary = hash_reader_sized(r.take(e.size), e.size)?;
    Ok(check_read(e, &summary, findings).then_some(summary))
}

/// Reads `e` whole, within `cap`, and returns it only when every check
/// passed: for callers that want good bytes or nothing.
pub fn read_checked<R: Read + Seek>(r: &mut R, e: &Entry, cap: u64) -> io::Result<Option<Vec<u8>>> {
    // Any finding means no bytes, so the code of an over-cap entry is
    // never seen.
    let mut findings = Vec::new();
    let data = read_entry(r, e, cap, Code::ContainerUnreadable, &mut findings)?;
    Ok(data.filter(|_| findings.is_empty()).map(|d| d.bytes))
}

/// E001 when the data ended early (false: the bytes are unusable), E007
/// when the CRC-32 differs (true: they are still what the entry holds).
fn check_read(e: &Entry, summary: &StreamSummary, findings: &mut Vec<Finding>) -> bool {
    if summary.len != e.size {
        findings.push(Finding::new(
            Code::ContainerUnreadable,
            &e.name,
            "the entry's data ends early",
        ));
        return false;
    }
    if summary.crc32 != e.crc32 {
        findings.push(Finding::new(
            Code::CrcMismatch,
            &e.name,
            format!(
                "CRC-32 of the data is {:08x}; the headers say {:08x}",
                summary.crc32, e.crc32
            ),
        ));
    }
    true
}
