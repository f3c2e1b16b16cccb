//! Parses an archive and checks it against the canonical layout (verification
//! step 1). Nothing here trusts a length or offset before bounding it.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Read, Seek, SeekFrom};

use super::layout::*;
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

fn at(offset: u64) -> String {
    format!("zip@{offset}")
}

fn unreadable(location: String, message: impl Into<String>) -> Finding {
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
    if len == 0 {
        return Ok(Err(vec![unreadable("bundle".into(), "the file is empty")]));
    }
    if len > limits.max_archive_bytes {
        return Ok(Err(vec![Finding::new(
            Code::ArchiveTooLarge,
            "bundle",
            format!(
                "the file is {len} bytes; the limit is {}",
                limits.max_archive_bytes
            ),
        )]));
    }
    if len < EOCD_LEN as u64 {
        return Ok(Err(vec![unreadable(
            "bundle".into(),
            format!("{len} bytes is too short to be a ZIP archive"),
        )]));
    }
    let mut findings = Vec::new();

    // The canonical end record is the last 22 bytes. Anything else (a
    // comment, appended data) is searched for only to report it: the record
    // nearest the end of the file is the one a ZIP reader would use.
    let tail_len = len.min((EOCD_LEN + u16::MAX as usize) as u64);
    let tail_start = len - tail_len;
    let tail = read_at(r, tail_start, tail_len as usize)?;
    let sig = EOCD_SIG.to_le_bytes();
    let Some(eocd_rel) = (0..=tail.len() - EOCD_LEN)
        .rev()
        .find(|&i| tail[i..i + 4] == sig)
    else {
        return Ok(Err(vec![unreadable(
            "bundle".into(),
            "no end-of-central-directory record: not a ZIP archive, or truncated",
        )]));
    };
    let eocd_pos = tail_start + eocd_rel as u64;
    let e = &tail[eocd_rel..eocd_rel + EOCD_LEN];
    if eocd_pos + EOCD_LEN as u64 != len {
        findings.push(Finding::new(
            Code::ContainerNotCanonical,
            at(eocd_pos),
            format!(
                "{} bytes (a comment or appended data) follow the end record",
                len - eocd_pos - EOCD_LEN as u64
            ),
        ));
    }
    if u16_at(e, 20) != 0 {
        findings.push(Finding::new(
            Code::ContainerNotCanonical,
            at(eocd_pos),
            "the archive has a comment",
        ));
    }
    if eocd_pos >= 20 && u32_at(&read_at(r, eocd_pos - 20, 4)?, 0) == ZIP64_LOCATOR_SIG {
        findings.push(Finding::new(
            Code::Zip64Present,
            at(eocd_pos - 20),
            "a ZIP64 end-of-central-directory locator precedes the end record",
        ));
        return Ok(Err(findings));
    }
    let disk = u16_at(e, 4);
    let cd_disk = u16_at(e, 6);
    let n_disk = u16_at(e, 8) as usize;
    let n_total = u16_at(e, 10) as usize;
    let cd_size = u32_at(e, 12) as u64;
    let cd_offset = u32_at(e, 16) as u64;
    if disk != 0 || cd_disk != 0 || n_disk != n_total {
        findings.push(Finding::new(
            Code::ContainerNotCanonical,
            at(eocd_pos),
            "the end record describes a multi-disk archive",
        ));
    }
    if n_total == u16::MAX as usize || cd_size == u32::MAX as u64 || cd_offset == u32::MAX as u64 {
        findings.push(Finding::new(
            Code::Zip64Present,
            at(eocd_pos),
            "the end record carries ZIP64 markers; bundle archives never need ZIP64",
        ));
        return Ok(Err(findings));
    }
    if n_total > limits.max_entries {
        findings.push(Finding::new(
            Code::TooManyEntries,
            at(eocd_pos),
            format!("{n_total} entries; the limit is {}", limits.max_entries),
        ));
        return Ok(Err(findings));
    }
    let max_cd = (limits.max_entries * (CENTRAL_LEN + crate::format::paths::MAX_PATH_BYTES)) as u64;
    if cd_size > max_cd {
        findings.push(Finding::new(
            Code::TooManyEntries,
            at(eocd_pos),
            format!(
                "the central directory is {cd_size} bytes, more than {} entries can need",
                limits.max_entries
            ),
        ));
        return Ok(Err(findings));
    }
    if cd_offset + cd_size > eocd_pos {
        findings.push(unreadable(
            at(eocd_pos),
            "the central directory would extend past the end record: the file is truncated or corrupt",
        ));
        return Ok(Err(findings));
    }
    if cd_offset + cd_size != eocd_pos {
        // Every recorded offset would be off by this much; reading on would
        // only produce noise, so the archive is refused here.
        findings.push(Finding::new(
            Code::ContainerNotCanonical,
            at(cd_offset + cd_size),
            format!(
                "the central directory ends {} bytes before the end record: data was prepended to the archive (a polyglot) or inserted into it",
                eocd_pos - cd_offset - cd_size
            ),
        ));
        return Ok(Err(findings));
    }
    // cd_size is below eocd_pos, itself below the archive cap, so this read
    // is bounded by the file we were given.
    let cd = read_at(r, cd_offset, cd_size as usize)?;

    let mut entries = Vec::with_capacity(n_total);
    let mut pos = 0usize;
    for index in 0..n_total {
        let here = cd_offset + pos as u64;
        if pos + CENTRAL_LEN > cd.len() || u32_at(&cd, pos) != CENTRAL_SIG {
            findings.push(unreadable(
                at(here),
                format!("central directory entry {index} is missing or truncated"),
            ));
            return Ok(Err(findings));
        }
        let h = &cd[pos..pos + CENTRAL_LEN];
        let name_len = u16_at(h, 28) as usize;
        let extra_len = u16_at(h, 30) as usize;
        let comment_len = u16_at(h, 32) as usize;
        let var_end = pos + CENTRAL_LEN + name_len + extra_len + comment_len;
        if var_end > cd.len() {
            findings.push(unreadable(
                at(here),
                format!("central directory entry {index} runs past the directory"),
            ));
            return Ok(Err(findings));
        }
        let name_bytes = &cd[pos + CENTRAL_LEN..pos + CENTRAL_LEN + name_len];
        let (name, name_is_utf8) = match std::str::from_utf8(name_bytes) {
            Ok(s) => (s.to_string(), true),
            Err(_) => (String::from_utf8_lossy(name_bytes).into_owned(), false),
        };
        let label = format!("{name:?} (entry {index})");
        let flags = u16_at(h, 8);
        let method = u16_at(h, 10);
        let crc32 = u32_at(h, 16);
        let csize = u32_at(h, 20) as u64;
        let size = u32_at(h, 24) as u64;
        let header_offset = u32_at(h, 42) as u64;

        let mut stored = true;
        if flags & 0x0041 != 0 {
            findings.push(Finding::new(
                Code::EntryNotStored,
                &label,
                "the entry is encrypted",
            ));
            stored = false;
        }
        if method != METHOD_STORED {
            findings.push(Finding::new(
                Code::EntryNotStored,
                &label,
                format!("compression method {method}; only 0 (STORED) is allowed"),
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
            u16_at(h, 4).into(),
            VERSION_MADE_BY.into(),
        );
        expect("version needed", u16_at(h, 6).into(), VERSION_NEEDED.into());
        if stored {
            expect("flags", flags.into(), FLAGS.into());
        }
        expect("time", u16_at(h, 12).into(), DOS_TIME.into());
        expect("date", u16_at(h, 14).into(), DOS_DATE.into());
        if stored {
            expect("compressed size", csize, size);
        }
        expect("extra field length", extra_len as u64, 0);
        expect("comment length", comment_len as u64, 0);
        expect("disk number", u16_at(h, 34).into(), 0);
        expect("internal attributes", u16_at(h, 36).into(), 0);
        let external = u32_at(h, 38);
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
        let extra = &cd[pos + CENTRAL_LEN + name_len..pos + CENTRAL_LEN + name_len + extra_len];
        if has_zip64_extra(extra)
            || csize == u32::MAX as u64
            || size == u32::MAX as u64
            || header_offset == u32::MAX as u64
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
        entries.push(Entry {
            index,
            name,
            name_is_utf8,
            header_offset,
            data_offset: 0,
            size,
            crc32,
            readable: stored,
        });
        pos = var_end;
    }
    if pos != cd.len() {
        findings.push(Finding::new(
            Code::ContainerNotCanonical,
            at(cd_offset + pos as u64),
            format!(
                "{} unexplained bytes at the end of the central directory",
                cd.len() - pos
            ),
        ));
    }

    check_local_headers(r, &mut entries, cd_offset, &cd, &mut findings)?;
    check_names(&entries, &mut findings);
    Ok(Ok(Container { entries, findings }))
}

/// Compares each local header with its central record and checks that the
/// entries tile the file from offset 0 to the central directory.
fn check_local_headers<R: Read + Seek>(
    r: &mut R,
    entries: &mut [Entry],
    cd_offset: u64,
    cd: &[u8],
    findings: &mut Vec<Finding>,
) -> io::Result<()> {
    let mut expected_offset = 0u64;
    let mut cd_pos = 0usize;
    for e in entries.iter_mut() {
        let label = format!("{:?} (entry {})", e.name, e.index);
        let central = &cd[cd_pos..cd_pos + CENTRAL_LEN];
        let name_len = u16_at(central, 28) as usize;
        let central_name = &cd[cd_pos + CENTRAL_LEN..cd_pos + CENTRAL_LEN + name_len];
        cd_pos +=
            CENTRAL_LEN + name_len + u16_at(central, 30) as usize + u16_at(central, 32) as usize;

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
        let local = read_at(r, e.header_offset, LOCAL_LEN)?;
        if u32_at(&local, 0) != LOCAL_SIG {
            findings.push(unreadable(
                label.clone(),
                "no local header signature at the recorded offset",
            ));
            e.readable = false;
            expected_offset = implied_end;
            continue;
        }
        let local_name_len = u16_at(&local, 26) as u64;
        let local_extra_len = u16_at(&local, 28) as u64;
        if e.header_offset + LOCAL_LEN as u64 + local_name_len + local_extra_len > cd_offset {
            findings.push(unreadable(
                label.clone(),
                "the local header's name and extra field run into the central directory",
            ));
            e.readable = false;
            expected_offset = implied_end;
            continue;
        }
        e.data_offset = e.header_offset + LOCAL_LEN as u64 + local_name_len + local_extra_len;
        let mut deviations = Vec::new();
        // Offsets 4..26 of the local header repeat central fields 6..28.
        if local[4..26] != central[6..28] {
            deviations.push("version, flags, method, time, date, CRC-32 or sizes differ from the central directory".to_string());
        }
        if local_name_len != name_len as u64 {
            deviations.push("the name length differs from the central directory".into());
        } else if read_at(r, e.header_offset + LOCAL_LEN as u64, name_len)? != central_name {
            deviations.push("the name differs from the central directory".into());
        }
        if local_extra_len != 0 {
            deviations.push(format!("{local_extra_len} bytes of extra field"));
            let extra = read_at(
                r,
                e.header_offset + LOCAL_LEN as u64 + local_name_len,
                local_extra_len as usize,
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
fn has_zip64_extra(extra: &[u8]) -> bool {
    let mut i = 0;
    while i + 4 <= extra.len() {
        if u16_at(extra, i) == ZIP64_EXTRA_ID {
            return true;
        }
        i += 4 + u16_at(extra, i + 2) as usize;
    }
    false
}

fn read_at<R: Read + Seek>(r: &mut R, offset: u64, len: usize) -> io::Result<Vec<u8>> {
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
