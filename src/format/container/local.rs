//! Each local header against its central header, and the entries tiling
//! the file from offset 0 to the central directory (spec §3.2).

use std::io::{self, Read, Seek};

use super::headers::{CentralHeader, LocalHeader};
use super::layout::LOCAL_LEN;
use super::read::{Entry, at, has_zip64_extra, read_at, unreadable};
use crate::format::codes::Code;
use crate::format::finding::Finding;

/// Compares each local header with its central record and checks that the
/// entries tile the file from offset 0 to the central directory.
// Long (~105 lines) by reason: one pass over the entries in file order,
// carrying where the next header must start; each `continue` is a
// documented stop of §8.4.
pub(super) fn check_local_headers<R: Read + Seek>(
    r: &mut R,
    entries: &mut [Entry],
    headers: &[CentralHeader],
    cd_offset: u64,
    findings: &mut Vec<Finding>,
) -> io::Result<()> {
    let mut expected_offset = 0u64;
    for (e, central) in entries.iter_mut().zip(headers) {
        let label = format!("{:?} (entry {})", e.name, e.index);
        let name_len = central.name.len();
        if e.header_offset != expected_offset {
            findings.push(Finding::new(
                Code::ContainerNotCanonical,
                &label,
                format!(
                    "the local header is at offset {}, not {expected_offset}: entries must follow each other with no gap, overlap or prepended data",
                    e.header_offset
                ),
            ));
        }
        if e.header_offset + (LOCAL_LEN + name_len) as u64 > cd_offset {
            findings.push(unreadable(
                label.clone(),
                "the local header lies outside the entry area",
            ));
            e.readable = false;
            expected_offset = e.header_offset.max(expected_offset);
            continue;
        }
        // Where the central header puts this entry's end: the next header
        // is expected there when this one cannot be read, so that one
        // broken header is one E001, not also a gap (spec §8.4).
        let implied_end = e.header_offset + (LOCAL_LEN + name_len) as u64 + e.size;
        let local = LocalHeader::parse(&read_at(r, e.header_offset, LOCAL_LEN)?);
        if !local.signature_ok {
            findings.push(unreadable(
                label.clone(),
                "no local header signature at the recorded offset",
            ));
            e.readable = false;
            expected_offset = implied_end;
            continue;
        }
        if e.header_offset + local.total_len() > cd_offset {
            findings.push(unreadable(
                label.clone(),
                "the local header's name and extra field run into the central directory",
            ));
            e.readable = false;
            expected_offset = implied_end;
            continue;
        }
        e.data_offset = e.header_offset + local.total_len();
        let mut deviations = Vec::new();
        if local.repeated != central.repeated {
            deviations.push("version, flags, method, time, date, CRC-32 or sizes differ from the central directory".to_string());
        }
        if usize::from(local.name_len) != name_len {
            deviations.push("the name length differs from the central directory".into());
        } else if read_at(r, e.header_offset + LOCAL_LEN as u64, name_len)? != central.name {
            deviations.push("the name differs from the central directory".into());
        }
        if local.extra_len != 0 {
            deviations.push(format!("{} bytes of extra field", local.extra_len));
            let extra = read_at(
                r,
                e.header_offset + LOCAL_LEN as u64 + u64::from(local.name_len),
                usize::from(local.extra_len),
            )?;
            if has_zip64_extra(&extra) {
                findings.push(Finding::new(
                    Code::Zip64Present,
                    &label,
                    "the local header has a ZIP64 extra field",
                ));
            }
        }
        if !deviations.is_empty() {
            findings.push(Finding::new(
                Code::ContainerNotCanonical,
                &label,
                format!("local header: {}", deviations.join("; ")),
            ));
        }
        let data_end = e.data_offset + e.size;
        if data_end > cd_offset {
            findings.push(unreadable(
                label,
                "the entry's data runs into the central directory: the file is truncated or corrupt",
            ));
            e.readable = false;
            continue;
        }
        expected_offset = data_end;
    }
    if expected_offset != cd_offset && !entries.is_empty() {
        findings.push(Finding::new(
            Code::ContainerNotCanonical,
            at(expected_offset),
            format!(
                "the central directory starts at {cd_offset}, not right after the last entry at {expected_offset}"
            ),
        ));
    }
    Ok(())
}
