//! Writes archives in the canonical layout.

use std::io::{self, Read, Seek, SeekFrom, Write};

use super::layout::*;
use crate::format::digest::{StreamSummary, hash_reader};

/// Appends entries in the canonical layout to a seekable sink, then writes
/// the central directory and the end record.
///
/// Each entry's local header is written with placeholders, the data is
/// streamed through the hasher once, and the header is patched afterwards;
/// the result has no data descriptors.
pub struct CanonicalZipWriter<W: Write + Seek> {
    out: W,
    base: u64,
    offset: u64,
    central: Vec<u8>,
    count: usize,
}

/// One entry as written: its name and what was measured of its data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrittenEntry {
    /// Entry name.
    pub name: String,
    /// Size, SHA-256 and CRC-32 of the data.
    pub summary: StreamSummary,
}

fn too_big(what: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("{what} exceeds the 4 GiB limit of a bundle without ZIP64"),
    )
}

impl<W: Write + Seek> CanonicalZipWriter<W> {
    /// Starts an archive at the sink's current position.
    pub fn new(mut out: W) -> io::Result<Self> {
        let base = out.stream_position()?;
        Ok(CanonicalZipWriter {
            out,
            base,
            offset: 0,
            central: Vec::new(),
            count: 0,
        })
    }

    /// Streams one entry. The caller is responsible for the name being valid
    /// under the path rules and for the order of entries.
    pub fn add(&mut self, name: &str, data: impl Read) -> io::Result<WrittenEntry> {
        let name_len = u16::try_from(name.len()).map_err(|_| too_big("an entry name"))?;
        let header_offset = u32::try_from(self.offset).map_err(|_| too_big("the archive"))?;
        self.out.write_all(&local_header(name, 0, 0)?)?;
        let summary = hash_reader(TeeReader {
            inner: data,
            out: &mut self.out,
        })?;
        let size = u32::try_from(summary.len).map_err(|_| too_big("an entry"))?;
        let end = self.out.stream_position()?;
        // Patch CRC-32 and both sizes, which sit at offset 14 of the header.
        self.out
            .seek(SeekFrom::Start(self.base + self.offset + 14))?;
        let mut patch = [0u8; 12];
        patch[0..4].copy_from_slice(&summary.crc32.to_le_bytes());
        patch[4..8].copy_from_slice(&size.to_le_bytes());
        patch[8..12].copy_from_slice(&size.to_le_bytes());
        self.out.write_all(&patch)?;
        self.out.seek(SeekFrom::Start(end))?;

        let c = &mut self.central;
        c.extend_from_slice(&CENTRAL_SIG.to_le_bytes());
        c.extend_from_slice(&VERSION_MADE_BY.to_le_bytes());
        shared_fields(c, summary.crc32, size, name_len);
        c.extend_from_slice(&0u16.to_le_bytes()); // comment length
        c.extend_from_slice(&0u16.to_le_bytes()); // disk number start
        c.extend_from_slice(&0u16.to_le_bytes()); // internal attributes
        c.extend_from_slice(&EXTERNAL_ATTRS.to_le_bytes());
        c.extend_from_slice(&header_offset.to_le_bytes());
        c.extend_from_slice(name.as_bytes());

        self.offset = end - self.base;
        self.count += 1;
        Ok(WrittenEntry {
            name: name.to_string(),
            summary,
        })
    }

    /// Writes the central directory and end record; returns the sink.
    pub fn finish(mut self) -> io::Result<W> {
        let count = u16::try_from(self.count)
            .ok()
            .filter(|&c| c != u16::MAX)
            .ok_or_else(|| too_big("the entry count"))?;
        let cd_offset = u32::try_from(self.offset).map_err(|_| too_big("the archive"))?;
        let cd_size = u32::try_from(self.central.len()).map_err(|_| too_big("the archive"))?;
        cd_offset
            .checked_add(cd_size)
            .filter(|&e| e != u32::MAX)
            .ok_or_else(|| too_big("the archive"))?;
        self.out.write_all(&self.central)?;
        let mut e = Vec::with_capacity(EOCD_LEN);
        e.extend_from_slice(&EOCD_SIG.to_le_bytes());
        e.extend_from_slice(&0u16.to_le_bytes()); // this disk
        e.extend_from_slice(&0u16.to_le_bytes()); // disk with the central directory
        e.extend_from_slice(&count.to_le_bytes());
        e.extend_from_slice(&count.to_le_bytes());
        e.extend_from_slice(&cd_size.to_le_bytes());
        e.extend_from_slice(&cd_offset.to_le_bytes());
        e.extend_from_slice(&0u16.to_le_bytes()); // comment length
        self.out.write_all(&e)?;
        self.out.flush()?;
        Ok(self.out)
    }
}

/// The canonical local header for `name` with the given CRC and size.
pub fn local_header(name: &str, crc32: u32, size: u32) -> io::Result<Vec<u8>> {
    let name_len = u16::try_from(name.len()).map_err(|_| too_big("an entry name"))?;
    let mut h = Vec::with_capacity(LOCAL_LEN + name.len());
    h.extend_from_slice(&LOCAL_SIG.to_le_bytes());
    shared_fields(&mut h, crc32, size, name_len);
    h.extend_from_slice(name.as_bytes());
    Ok(h)
}

/// The 26 bytes that local and central headers share, from "version needed"
/// to "extra field length" (spec §3.2).
fn shared_fields(out: &mut Vec<u8>, crc32: u32, size: u32, name_len: u16) {
    out.extend_from_slice(&VERSION_NEEDED.to_le_bytes());
    out.extend_from_slice(&FLAGS.to_le_bytes());
    out.extend_from_slice(&METHOD_STORED.to_le_bytes());
    out.extend_from_slice(&DOS_TIME.to_le_bytes());
    out.extend_from_slice(&DOS_DATE.to_le_bytes());
    out.extend_from_slice(&crc32.to_le_bytes());
    out.extend_from_slice(&size.to_le_bytes());
    out.extend_from_slice(&size.to_le_bytes());
    out.extend_from_slice(&name_len.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes()); // extra field length
}

/// Copies what it reads into `out`, so data is hashed and written in one pass.
struct TeeReader<'a, R, W> {
    inner: R,
    out: &'a mut W,
}

impl<R: Read, W: Write> Read for TeeReader<'_, R, W> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.out.write_all(&buf[..n])?;
        Ok(n)
    }
}
