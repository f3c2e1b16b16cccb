//! The three ZIP records a bundle has (spec §3.2), each parsed once into a
//! struct whose fields are named as §3.2 names them, so that the checks
//! read field by field against the table and not by byte offset. Parsing
//! only slices what is there; every judgement is the reader's.

use super::layout::{CENTRAL_LEN, CENTRAL_SIG, EOCD_LEN, LOCAL_LEN, LOCAL_SIG, u16_at, u32_at};

/// The end-of-central-directory record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct EndRecord {
    /// Where the record starts in the file.
    pub pos: u64,
    pub disk: u16,
    pub central_directory_disk: u16,
    pub entries_on_disk: u16,
    pub entries: u16,
    pub central_directory_size: u32,
    pub central_directory_offset: u32,
    pub comment_len: u16,
}

impl EndRecord {
    /// The record in `b` (at least [`EOCD_LEN`] bytes, from its signature),
    /// which starts at `pos` in the file.
    pub fn parse(b: &[u8], pos: u64) -> EndRecord {
        debug_assert!(b.len() >= EOCD_LEN);
        EndRecord {
            pos,
            disk: u16_at(b, 4),
            central_directory_disk: u16_at(b, 6),
            entries_on_disk: u16_at(b, 8),
            entries: u16_at(b, 10),
            central_directory_size: u32_at(b, 12),
            central_directory_offset: u32_at(b, 16),
            comment_len: u16_at(b, 20),
        }
    }

    /// Where the central directory starts, as recorded.
    pub fn cd_offset(&self) -> u64 {
        self.central_directory_offset.into()
    }

    /// How long the central directory is, as recorded.
    pub fn cd_size(&self) -> u64 {
        self.central_directory_size.into()
    }
}

/// A central directory file header, with its variable parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CentralHeader {
    pub version_made_by: u16,
    pub version_needed: u16,
    pub flags: u16,
    pub method: u16,
    pub time: u16,
    pub date: u16,
    pub crc32: u32,
    pub compressed_size: u32,
    pub size: u32,
    pub extra_len: u16,
    pub comment_len: u16,
    pub disk: u16,
    pub internal_attributes: u16,
    pub external_attributes: u32,
    pub local_header_offset: u32,
    pub name: Vec<u8>,
    pub extra: Vec<u8>,
    /// Bytes 6..28 of the fixed part (version needed to sizes), which a
    /// local header repeats at its bytes 4..26.
    pub repeated: [u8; 22],
}

/// Why a central header could not be sliced out of the directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CentralProblem {
    /// No signature, or fewer bytes than the fixed part.
    MissingOrTruncated,
    /// The name, extra field or comment runs past the directory.
    RunsPast,
}

impl CentralHeader {
    /// The header at `pos` in the central directory `cd`, and where the
    /// next one starts.
    pub fn parse(cd: &[u8], pos: usize) -> Result<(CentralHeader, usize), CentralProblem> {
        if pos + CENTRAL_LEN > cd.len() || u32_at(cd, pos) != CENTRAL_SIG {
            return Err(CentralProblem::MissingOrTruncated);
        }
        let h = &cd[pos..pos + CENTRAL_LEN];
        let name_len = usize::from(u16_at(h, 28));
        let extra_len = u16_at(h, 30);
        let comment_len = u16_at(h, 32);
        let name_start = pos + CENTRAL_LEN;
        let extra_start = name_start + name_len;
        let end = extra_start + usize::from(extra_len) + usize::from(comment_len);
        if end > cd.len() {
            return Err(CentralProblem::RunsPast);
        }
        let mut repeated = [0u8; 22];
        repeated.copy_from_slice(&h[6..28]);
        Ok((
            CentralHeader {
                version_made_by: u16_at(h, 4),
                version_needed: u16_at(h, 6),
                flags: u16_at(h, 8),
                method: u16_at(h, 10),
                time: u16_at(h, 12),
                date: u16_at(h, 14),
                crc32: u32_at(h, 16),
                compressed_size: u32_at(h, 20),
                size: u32_at(h, 24),
                extra_len,
                comment_len,
                disk: u16_at(h, 34),
                internal_attributes: u16_at(h, 36),
                external_attributes: u32_at(h, 38),
                local_header_offset: u32_at(h, 42),
                name: cd[name_start..extra_start].to_vec(),
                extra: cd[extra_start..extra_start + usize::from(extra_len)].to_vec(),
                repeated,
            },
            end,
        ))
    }
}

/// A local file header's fixed part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LocalHeader {
    pub signature_ok: bool,
    pub name_len: u16,
    pub extra_len: u16,
    /// Bytes 4..26: version needed, flags, method, time, date, CRC-32 and
    /// sizes, which must equal the central header's.
    pub repeated: [u8; 22],
}

impl LocalHeader {
    /// The fixed part in `b` ([`LOCAL_LEN`] bytes).
    pub fn parse(b: &[u8]) -> LocalHeader {
        debug_assert!(b.len() >= LOCAL_LEN);
        let mut repeated = [0u8; 22];
        repeated.copy_from_slice(&b[4..26]);
        LocalHeader {
            signature_ok: u32_at(b, 0) == LOCAL_SIG,
            name_len: u16_at(b, 26),
            extra_len: u16_at(b, 28),
            repeated,
        }
    }

    /// How many bytes the header takes, variable parts included.
    pub fn total_len(&self) -> u64 {
        LOCAL_LEN as u64 + u64::from(self.name_len) + u64::from(self.extra_len)
    }
}
