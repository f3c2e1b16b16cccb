//! Streaming SHA-256: the one hash the bundle format uses.
//!
//! Everything that provseal hashes goes through this module, so that the
//! buffer size and the hex form are decided in one place.

use std::fmt;
use std::io::{self, Read};

use sha2::{Digest as _, Sha256};

/// Size of the read buffer used when hashing a stream. Large reads keep the
/// hash function fed without per-call overhead dominating (see `benches/`).
pub const READ_BUFFER: usize = 1 << 20;

/// A SHA-256 digest value.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sha256Digest(pub [u8; 32]);

impl Sha256Digest {
    /// Hashes a byte slice.
    pub fn of(bytes: &[u8]) -> Self {
        Sha256Digest(Sha256::digest(bytes).into())
    }

    /// Lower-case hexadecimal form, 64 characters, as written in manifests.
    pub fn to_hex(&self) -> String {
        hex_lower(&self.0)
    }

    /// Parses exactly 64 lower-case hexadecimal characters.
    ///
    /// Upper-case digits are refused: the manifest has one spelling of each
    /// digest so that its bytes are canonical.
    pub fn from_hex(s: &str) -> Option<Self> {
        let bytes = s.as_bytes();
        if bytes.len() != 64 {
            return None;
        }
        let mut out = [0u8; 32];
        for (i, pair) in bytes.chunks_exact(2).enumerate() {
            out[i] = (hex_val(pair[0])? << 4) | hex_val(pair[1])?;
        }
        Some(Sha256Digest(out))
    }

    /// The `sha256:<hex>` form used for bundle ids and key ids.
    pub fn to_prefixed(&self) -> String {
        format!("sha256:{}", self.to_hex())
    }
}

impl fmt::Debug for Sha256Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Sha256Digest({})", self.to_hex())
    }
}

impl fmt::Display for Sha256Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

fn hex_val(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        _ => None,
    }
}

/// Lower-case hex of arbitrary bytes.
pub fn hex_lower(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 0xf) as usize] as char);
    }
    s
}

/// What [`hash_reader`] measured: digest, length and CRC-32 in one pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamSummary {
    /// SHA-256 of every byte read.
    pub sha256: Sha256Digest,
    /// Number of bytes read.
    pub len: u64,
    /// CRC-32 (ZIP polynomial) of every byte read.
    pub crc32: u32,
}

/// Reads `reader` to its end and returns SHA-256, length and CRC-32.
///
/// The ZIP container needs the CRC and the manifest needs the SHA-256; one
/// pass over the bytes computes both so that a large entry is read once.
pub fn hash_reader<R: Read>(reader: R) -> io::Result<StreamSummary> {
    hash_reader_sized(reader, READ_BUFFER as u64)
}

/// As [`hash_reader`], for a stream expected to hold about `expected`
/// bytes: the read buffer is no larger than that (and at most
/// [`READ_BUFFER`]), since zeroing a 1 MiB buffer for an 8 KB entry costs
/// more than hashing it (measured: 13% of verifying a typical bundle).
pub fn hash_reader_sized<R: Read>(mut reader: R, expected: u64) -> io::Result<StreamSummary> {
    let mut sha = Sha256::new();
    let mut crc = crc32fast::Hasher::new();
    let mut buf = vec![0u8; expected.clamp(4096, READ_BUFFER as u64) as usize];
    let mut len = 0u64;
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        sha.update(&buf[..n]);
        crc.update(&buf[..n]);
        len += n as u64;
    }
    Ok(StreamSummary {
        sha256: Sha256Digest(sha.finalize().into()),
        len,
        crc32: crc.finalize(),
    })
}

/// SHA-256, length and CRC-32 of bytes already in memory.
pub fn hash_bytes(bytes: &[u8]) -> StreamSummary {
    let mut crc = crc32fast::Hasher::new();
    crc.update(bytes);
    StreamSummary {
        sha256: Sha256Digest::of(bytes),
        len: bytes.len() as u64,
        crc32: crc.finalize(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_way_of_hashing_agrees() {
        let data: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
        let streamed = hash_reader(&data[..]).unwrap();
        assert_eq!(hash_reader_sized(&data[..], 10).unwrap(), streamed);
        assert_eq!(hash_reader_sized(&data[..], 5 << 20).unwrap(), streamed);
        assert_eq!(hash_bytes(&data), streamed);
    }

    #[test]
    fn empty_input_has_the_known_digest() {
        let s = hash_reader(&b""[..]).unwrap();
        assert_eq!(
            s.sha256.to_hex(),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(s.len, 0);
        assert_eq!(s.crc32, 0);
    }

    #[test]
    fn stream_and_slice_agree_across_buffer_boundaries() {
        let data: Vec<u8> = (0..(READ_BUFFER * 2 + 17))
            .map(|i| (i * 31) as u8)
            .collect();
        let s = hash_reader(&data[..]).unwrap();
        assert_eq!(s.sha256, Sha256Digest::of(&data));
        assert_eq!(s.len, data.len() as u64);
        assert_eq!(s.crc32, crc32fast::hash(&data));
    }

    #[test]
    fn hex_round_trips_and_refuses_upper_case() {
        let d = Sha256Digest::of(b"abc");
        assert_eq!(Sha256Digest::from_hex(&d.to_hex()), Some(d));
        assert_eq!(Sha256Digest::from_hex(&d.to_hex().to_uppercase()), None);
        assert_eq!(Sha256Digest::from_hex("abc"), None);
        assert!(d.to_prefixed().starts_with("sha256:ba7816bf"));
    }
}
