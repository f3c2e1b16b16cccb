//! Parses an archive and checks it against the canonical layout (verification
//! step 1). Nothing here trusts a length or offset before bounding it.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Read, Seek, SeekFrom};

use super::headers::{CentralHeader, CentralProblem, EndRecord};
use super::layout::*;
use super::local;
use crate::format::codes::Code;
use crate::format::finding::Finding;
use crate::format::paths;

/// One entry as found in the central directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Position in the central directory, from 0.
    pub index: usize,
    /// The name, if it is UTF-8 (lossy otherwise, for messages only).
    pub name: String,
    /// False if the name bytes were not UTF-8.
    pub name_is_utf8: bool,
    /// Offset of the local header.
    pub header_offset: u64,
    /// Offset of the first data byte.
    pub data_offset: u64,
    /// Stored size from the central directory.
    pub size: u64,
    /// CRC-32 from the central directory.
    pub crc32: u32,
    /// True when the data can be read as STORED bytes (method 0, not
    /// encrypted, inside the file).
    pub readable: bool,
}

/// The parsed archive and every deviation found on the way.
#[derive(Debug, Clone, Default)]
pub struct Container {
    /// Entries in central-directory order.
    pub entries: Vec<Entry>,
    /// Problems with the container.
    pub findings: Vec<Finding>,
}

impl Container {
    /// The first entry with this exact name.
    pub fn entry(&self, name: &str) -> Option<&Entry> {
        self.entries
            .iter()
            .find(|e| e.name_is_utf8 && e.name == name)
    }
}

pub(super) fn at(offset: u64) -> String {
    format!("zip@{offset}")
}

pub(super) fn unreadable(location: String, message: impl Into<String>) -> Finding {
    Finding::new(Code::ContainerUnreadable, location, message)
}

/// Reads the structure of the archive in `r`, of total length `len`.
///
/// `Err` carries the findings that made the archive impossible to read any
/// further (always including an E001 or E008); `Ok` may still carry
/// findings about deviations from the canonical layout.
pub fn read_container<R: Read + Seek>(
    r: &mut R,
    len: u64,
    limits: &Limits,
) -> io::Result<Result<Container, Vec<Finding>>> {
    if let Some(f) = length_problem(len, limits) {
        return Ok(Err(vec![f]));
    }
    let mut findings = Vec::new();
    let Some(end) = find_end_record(r, len)? else {
        return Ok(Err(vec![unreadable(
            "bundle".into(),
            "no end-of-central-directory record: not a ZIP archive, or truncated",
        )]));
    };
    if !check_end_record(r, &end, len, limits, &mut findings)? {
        return Ok(Err(findings));
    }
    // The directory ends at the end record, itself below the archive cap,
    // so this read is bounded by the file we were given.
    let cd = read_at(r, end.cd_offset(), end.cd_size() as usize)?;
    let mut headers = Vec::with_capacity(usize::from(end.entries));
    let mut entries = Vec::with_capacity(usize::from(end.entries));
    let mut pos = 0usize;
    for index in 0..usize::from(end.entries) {
        let here = at(end.cd_offset() + pos as u64);
        let (h, next) = match CentralHeader::parse(&cd, pos) {
            Ok(parsed) => parsed,
            Err(problem) => {
                let what = match problem {
                    CentralProblem::MissingOrTruncated => "is missing or truncated",
                    CentralProblem::RunsPast => "runs past the directory",
                };
                findings.push(unreadable(
                    here,
                    format!("central directory entry {index} {what}"),
                ));
                return Ok(Err(findings));
            }
        };
        entries.push(check_central(&h, index, limits, &mut findings));
        headers.push(h);
        pos = next;
    }
    if pos != cd.len() {
        findings.push(Finding::new(
            Code::ContainerNotCanonical,
            at(end.cd_offset() + pos as u64),
            format!(
                "{} unexplained bytes at the end of the central directory",
                cd.len() - pos
            ),
        ));
    }
    local::check_local_headers(r, &mut entries, &headers, end.cd_offset(), &mut findings)?;
    check_names(&entries, &mut findings);
    Ok(Ok(Container { entries, findings }))
}

/// An archive that is empty, too large, or too short for an end record.
fn length_problem(len: u64, limits: &Limits) -> Option<Finding> {
    if len == 0 {
        return Some(unreadable("bundle".into(), "the file is empty"));
    }
    if len > limits.max_archive_bytes {
        return Some(Finding::new(
            Code::ArchiveTooLarge,
            "bundle",
            format!(
                "the file is {len} bytes; the limit is {}",
                limits.max_archive_bytes
            ),
        ));
    }
    if len < EOCD_LEN as u64 {
        return Some(unreadable(
            "bundle".into(),
            format!("{len} bytes is too short to be a ZIP archive"),
        ));
    }
    None
}

/// The end record nearest the end of the file, which is the one a ZIP
/// reader would use. The canonical one is the last 22 bytes; anything else
/// (a comment, appended data) is searched for only to report it.
fn find_end_record<R: Read + Seek>(r: &mut R, len: u64) -> io::Result<Option<EndRecord>> {
    let tail_len = len.min((EOCD_LEN + u16::MAX as usize) as u64);
    let tail_start = len - tail_len;
    let tail = read_at(r, tail_start, tail_len as usize)?;
    let sig = EOCD_SIG.to_le_bytes();
    Ok((0..=tail.len() - EOCD_LEN)
        .rev()
        .find(|&i| tail[i..i + 4] == sig)
        .map(|i| EndRecord::parse(&tail[i..i + EOCD_LEN], tail_start + i as u64)))
}

/// Checks the end record field by field (§3.2); `false` when the archive
/// cannot be read further (ZIP64, too many entries, a directory that does
/// not end at the end record).
fn check_end_record<R: Read + Seek>(
    r: &mut R,
    end: &EndRecord,
    len: u64,
    limits: &Limits,
    findings: &mut Vec<Finding>,
) -> io::Result<bool> {
    let here = || at(end.pos);
    if end.pos + EOCD_LEN as u64 != len {
        findings.push(Finding::new(
            Code::ContainerNotCanonical,
            here(),
            format!(
                "{} bytes (a comment or appended data) follow the end record",
                len - end.pos - EOCD_LEN as u64
            ),
        ));
    }
    if end.comment_len != 0 {
        findings.push(Finding::new(
            Code::ContainerNotCanonical,
            here(),
            "the archive has a comment",
        ));
    }
    if end.pos >= 20 && u32_at(&read_at(r, end.pos - 20, 4)?, 0) == ZIP64_LOCATOR_SIG {
        findings.push(Finding::new(
            Code::Zip64Present,
            at(end.pos - 20),
            "a ZIP64 end-of-central-directory locator precedes the end record",
        ));
        return Ok(false);
    }
    if end.disk != 0 || end.central_directory_disk != 0 || end.entries_on_disk != end.entries {
        findings.push(Finding::new(
            Code::ContainerNotCanonical,
            here(),
            "the end record describes a multi-disk archive",
        ));
    }
    let (n, cd_size, cd_offset) = (usize::from(end.entries), end.cd_size(), end.cd_offset());
    if end.entries == u16::MAX
        || end.central_directory_size == u32::MAX
        || end.central_directory_offset == u32::MAX
    {
        findings.push(Finding::new(
            Code::Zip64Present,
            here(),
            "the end record carries ZIP64 markers; bundle archives never need ZIP64",
        ));
        return Ok(false);
    }
    if n > limits.max_entries {
        findings.push(Finding::new(
            Code::TooManyEntries,
            here(),
            format!("{n} entries; the limit is {}", limits.max_entries),
        ));
        return Ok(false);
    }
    let max_cd = (limits.max_entries * (CENTRAL_LEN + crate::format::paths::MAX_PATH_BYTES)) as u64;
    if cd_size > max_cd {
        findings.push(Finding::new(
            Code::TooManyEntries,
            here(),
            format!(
                "the central directory is {cd_size} bytes, more than {} entries can need",
                limits.max_entries
            ),
        ));
        return Ok(false);
    }
    if cd_offset + cd_size > end.pos {
        findings.push(unreadable(
            here(),
            "the central directory would extend past the end record: the file is truncated or corrupt",
        ));
        return Ok(false);
    }
    if cd_offset + cd_size != end.pos {
        // Every recorded offset would be off by this much; reading on would
        // only produce noise, so the archive is refused here.
        findings.push(Finding::new(
            Code::ContainerNotCanonical,
            at(cd_offset + cd_size),
            format!(
                "the central directory ends {} bytes before the end record: data was prepended to the archive (a polyglot) or inserted into it",
                end.pos - cd_offset - cd_size
            ),
        ));
        return Ok(false);
    }
    Ok(true)
}

/// Checks one central header field by field (§3.2) and returns its entry,
/// readable only when its data can be read as STORED bytes.
// Long (~115 lines) by reason: one check per §3.2 central-header field, in
// the table's order, so the code reads against the table row by row.
fn check_central(
    h: &CentralHeader,
    index: usize,
    limits: &Limits,
    findings: &mut Vec<Finding>,
) -> Entry {
    let (name, name_is_utf8) = match std::str::from_utf8(&h.name) {
        Ok(s) => (s.to_string(), true),
        Err(_) => (String::from_utf8_lossy(&h.name).into_owned(), false),
    };
    let label = format!("{name:?} (entry {index})");
    let csize = u64::from(h.compressed_size);
    let size = u64::from(h.size);
    let mut stored = true;
    if h.flags & 0x0041 != 0 {
        findings.push(Finding::new(
            Code::EntryNotStored,
            &label,
            "the entry is encrypted",
        ));
        stored = false;
    }
    if h.method != METHOD_STORED {
        findings.push(Finding::new(
            Code::EntryNotStored,
            &label,
            format!(
                "compression method {}; only 0 (STORED) is allowed",
                h.method
            ),
        ));
        stored = false;
    }
    let mut deviations = Vec::new();
    let mut expect = |what: &str, got: u64, want: u64| {
        if got != want {
            deviations.push(format!("{what} is {got:#x}, not {want:#x}"));
        }
    };
    expect(
        "version made by",
        h.version_made_by.into(),
        VERSION_MADE_BY.into(),
    );
    expect(
        "version needed",
        h.version_needed.into(),
        VERSION_NEEDED.into(),
    );
    if stored {
        expect("flags", h.flags.into(), FLAGS.into());
    }
    expect("time", h.time.into(), DOS_TIME.into());
    expect("date", h.date.into(), DOS_DATE.into());
    if stored {
        expect("compressed size", csize, size);
    }
    expect("extra field length", h.extra_len.into(), 0);
    expect("comment length", h.comment_len.into(), 0);
    expect("disk number", h.disk.into(), 0);
    expect("internal attributes", h.internal_attributes.into(), 0);
    let external = h.external_attributes;
    let unix_type = (external >> 16) & UNIX_TYPE_MASK;
    if unix_type != UNIX_REGULAR || external & 0x10 != 0 {
        findings.push(Finding::new(
            Code::SpecialFileMode,
            &label,
            format!("external attributes {external:#010x} describe a symbolic link, directory or special file"),
        ));
        stored = false;
    } else {
        expect(
            "external attributes",
            external.into(),
            EXTERNAL_ATTRS.into(),
        );
    }
    if has_zip64_extra(&h.extra)
        || h.compressed_size == u32::MAX
        || h.size == u32::MAX
        || h.local_header_offset == u32::MAX
    {
        findings.push(Finding::new(
            Code::Zip64Present,
            &label,
            "the central header has a ZIP64 extra field or marker",
        ));
    }
    if size > limits.max_entry_bytes {
        findings.push(Finding::new(
            Code::EntryTooLarge,
            &label,
            format!("{size} bytes; the limit is {}", limits.max_entry_bytes),
        ));
        stored = false;
    }
    if !deviations.is_empty() {
        findings.push(Finding::new(
            Code::ContainerNotCanonical,
            &label,
            format!("central header: {}", deviations.join("; ")),
        ));
    }
    Entry {
        index,
        name,
        name_is_utf8,
        header_offset: h.local_header_offset.into(),
        data_offset: 0,
        size,
        crc32: h.crc32,
        readable: stored,
    }
}

/// Path rules, duplicates and case-folding collisions (spec §4).
fn check_names(entries: &[Entry], findings: &mut Vec<Finding>) {
    let mut exact: HashMap<&str, usize> = HashMap::new();
    let mut folded: BTreeMap<String, usize> = BTreeMap::new();
    for e in entries {
        let label = format!("{:?} (entry {})", e.name, e.index);
        if !e.name_is_utf8 {
            findings.push(Finding::new(
                Code::BadEntryPath,
                &label,
                "the name is not UTF-8",
            ));
            continue;
        }
        match paths::check(&e.name) {
            Ok(()) => {}
            Err(err @ (paths::PathError::TooLong(_) | paths::PathError::TooDeep(_))) => {
                findings.push(Finding::new(Code::PathTooDeep, &label, err.to_string()))
            }
            Err(err) => findings.push(Finding::new(Code::BadEntryPath, &label, err.to_string())),
        }
        if let Some(first) = exact.insert(&e.name, e.index) {
            findings.push(Finding::new(
                Code::DuplicateEntry,
                &label,
                format!("the same name as entry {first}"),
            ));
            continue;
        }
        if let Some(first) = folded.insert(paths::collision_key(&e.name), e.index) {
            findings.push(Finding::new(
                Code::PathCollision,
                &label,
                format!(
                    "collides with {:?} after NFC and case folding",
                    entries[first].name
                ),
            ));
        }
    }
}

/// Whether an extra-field block holds a ZIP64 record (header id 1). A
/// malformed block counts as one only if a well-formed prefix names it.
pub(super) fn has_zip64_extra(extra: &[u8]) -> bool {
    let mut i = 0;
    while i + 4 <= extra.len() {
        if u16_at(extra, i) == ZIP64_EXTRA_ID {
            return true;
        }
        i += 4 + u16_at(extra, i + 2) as usize;
    }
    false
}

pub(super) fn read_at<R: Read + Seek>(r: &mut R, offset: u64, len: usize) -> io::Result<Vec<u8>> {
    r.seek(SeekFrom::Start(offset))?;
    let mut buf = vec![0u8; len];
    r.read_exact(&mut buf)?;
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use super::*;
    use crate::format::container::CanonicalZipWriter;

    fn archive(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = CanonicalZipWriter::new(Cursor::new(Vec::new())).unwrap();
        for (n, d) in entries {
            w.add(n, *d).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    fn parse(bytes: &[u8]) -> Result<Container, Vec<Finding>> {
        read_container(
            &mut Cursor::new(bytes),
            bytes.len() as u64,
            &Limits::default(),
        )
        .unwrap()
    }

    fn codes(fs: &[Finding]) -> Vec<Code> {
        fs.iter().map(|f| f.code).collect()
    }

    #[test]
    fn canonical_archive_parses_cleanly() {
        let bytes = archive(&[("a.txt", b"hello"), ("dir/b.bin", b"")]);
        let c = parse(&bytes).unwrap();
        assert_eq!(c.findings, vec![]);
        assert_eq!(c.entries.len(), 2);
        assert_eq!(c.entries[0].size, 5);
        assert_eq!(c.entries[0].data_offset, 30 + 5);
        assert_eq!(&bytes[35..40], b"hello");
        assert_eq!(c.entries[1].crc32, 0);
    }

    #[test]
    fn an_end_record_signature_inside_data_is_just_data() {
        let bytes = archive(&[("a.bin", b"xxPK\x05\x06\0\0\0\0xx"), ("b.txt", b"tail")]);
        assert_eq!(parse(&bytes).unwrap().findings, vec![]);
    }

    #[test]
    fn empty_short_and_garbage_files_are_unreadable() {
        assert_eq!(
            codes(&parse(b"").unwrap_err()),
            vec![Code::ContainerUnreadable]
        );
        assert_eq!(
            codes(&parse(b"PK").unwrap_err()),
            vec![Code::ContainerUnreadable]
        );
        assert_eq!(
            codes(&parse(&[0u8; 100]).unwrap_err()),
            vec![Code::ContainerUnreadable]
        );
    }

    #[test]
    fn prepended_and_appended_bytes_are_not_canonical() {
        let bytes = archive(&[("a.txt", b"hello")]);
        let mut appended = bytes.clone();
        appended.extend_from_slice(b"tail");
        assert!(codes(&parse(&appended).unwrap().findings).contains(&Code::ContainerNotCanonical));
        let mut prepended = b"junk".to_vec();
        prepended.extend_from_slice(&bytes);
        let r = parse(&prepended);
        let fs = match r {
            Ok(c) => c.findings,
            Err(f) => f,
        };
        assert!(!fs.is_empty());
    }

    #[test]
    fn every_single_byte_flip_in_the_headers_is_noticed() {
        let bytes = archive(&[("a.txt", b"hello")]);
        let data = 35..40;
        for i in 0..bytes.len() {
            if data.contains(&i) {
                continue; // data bytes are caught by the CRC and hash checks
            }
            let mut m = bytes.clone();
            m[i] ^= 0x01;
            let fs = match parse(&m) {
                Ok(c) => c.findings,
                Err(f) => f,
            };
            assert!(!fs.is_empty(), "flipping byte {i} went unnoticed");
        }
    }

    #[test]
    fn names_are_checked() {
        let bytes = archive(&[
            ("a.txt", b"1"),
            ("A.TXT", b"2"),
            ("../x", b"3"),
            ("a.txt", b"4"),
        ]);
        let got = codes(&parse(&bytes).unwrap().findings);
        assert!(got.contains(&Code::PathCollision), "{got:?}");
        assert!(got.contains(&Code::BadEntryPath), "{got:?}");
        assert!(got.contains(&Code::DuplicateEntry), "{got:?}");
    }
}
