//! `Read + Seek` over an object, by ranged GETs of a few MiB: the verifier
//! streams a bundle of any size from object storage in bounded memory, the
//! same way it streams a file.

use std::io::{self, Read, Seek, SeekFrom};

use super::{S3, S3Uri};

/// Bytes fetched per request.
pub const CHUNK: u64 = 8 << 20;

/// A reader over one object of known size.
pub struct RangedReader<'a> {
    s3: &'a S3,
    uri: S3Uri,
    len: u64,
    pos: u64,
    buf: Vec<u8>,
    buf_start: u64,
}

impl<'a> RangedReader<'a> {
    /// A reader over the `len` bytes of `uri`.
    pub fn new(s3: &'a S3, uri: S3Uri, len: u64) -> Self {
        RangedReader {
            s3,
            uri,
            len,
            pos: 0,
            buf: Vec::new(),
            buf_start: 0,
        }
    }
}

impl Read for RangedReader<'_> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.pos >= self.len || out.is_empty() {
            return Ok(0);
        }
        let in_buf =
            self.pos >= self.buf_start && self.pos < self.buf_start + self.buf.len() as u64;
        if !in_buf {
            let end = (self.pos + CHUNK).min(self.len);
            self.buf = self
                .s3
                .get_range(&self.uri, self.pos..end)
                .map_err(io::Error::other)?;
            self.buf_start = self.pos;
            if self.buf.len() as u64 != end - self.pos {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    format!("{}: the server sent a short range", self.uri),
                ));
            }
        }
        let at = (self.pos - self.buf_start) as usize;
        let n = out.len().min(self.buf.len() - at);
        out[..n].copy_from_slice(&self.buf[at..at + n]);
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for RangedReader<'_> {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let target = match to {
            SeekFrom::Start(n) => Some(n),
            SeekFrom::End(d) => self.len.checked_add_signed(d),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
        };
        self.pos = target
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "seek before the start"))?;
        Ok(self.pos)
    }
}
