//! Step 3 of spec §8: every listed file streamed once through SHA-256 and
//! CRC-32, and the article text's normalisation.

use std::io::{self, Read, Seek, SeekFrom};

use crate::codes::Code;
use crate::container::Container;
use crate::container::layout::Limits;
use crate::digest::{hash_bytes, hash_reader_sized};
use crate::finding::Finding;
use crate::manifest::Manifest;
use crate::normalize::check_text;

/// Step 3: streams each listed entry once through SHA-256 and CRC-32.
/// Returns the main article text as it was read, for the caller to hand
/// on once it knows the text matched (the one read that is verified is
/// the one shown).
pub(super) fn check_files<R: Read + Seek>(
    r: &mut R,
    container: &Container,
    m: &Manifest,
    limits: &Limits,
    findings: &mut Vec<Finding>,
) -> io::Result<Option<Vec<u8>>> {
    let text_paths = m.text_paths();
    let mut article = None;
    for f in &m.files {
        let Some(e) = container.entry(&f.path) else {
            continue;
        };
        if !e.readable {
            continue;
        }
        if e.size != f.size {
            findings.push(Finding::new(
                Code::SizeMismatch,
                &f.path,
                format!(
                    "the archive holds {} bytes; the manifest says {}",
                    e.size, f.size
                ),
            ));
        }
        let is_text = text_paths.contains(&f.path.as_str());
        r.seek(SeekFrom::Start(e.data_offset))?;
        let (summary, text) = if is_text && e.size <= limits.max_text_bytes {
            let mut buf = Vec::with_capacity(e.size as usize);
            r.take(e.size).read_to_end(&mut buf)?;
            (hash_bytes(&buf), Some(buf))
        } else {
            (hash_reader_sized(r.take(e.size), e.size)?, None)
        };
        if summary.len != e.size {
            findings.push(Finding::new(
                Code::ContainerUnreadable,
                &f.path,
                "the entry's data ends early",
            ));
            continue;
        }
        if summary.crc32 != e.crc32 {
            findings.push(Finding::new(
                Code::CrcMismatch,
                &f.path,
                format!(
                    "CRC-32 of the data is {:08x}; the headers say {:08x}",
                    summary.crc32, e.crc32
                ),
            ));
        }
        if summary.sha256.to_hex() != f.sha256 {
            findings.push(Finding::new(
                Code::HashMismatch,
                &f.path,
                format!(
                    "SHA-256 of the data is {}; the manifest says {}",
                    summary.sha256, f.sha256
                ),
            ));
        }
        let matches =
            e.size == f.size && summary.crc32 == e.crc32 && summary.sha256.to_hex() == f.sha256;
        if is_text {
            match text {
                Some(t) => {
                    if let Err(why) = check_text(&t) {
                        findings.push(Finding::new(
                            Code::TextNotNormalised,
                            &f.path,
                            format!("the article text {why}"),
                        ));
                    }
                    if f.role == crate::manifest::FileRole::Text && matches {
                        article = Some(t);
                    }
                }
                None => findings.push(Finding::new(
                    Code::TextTooLarge,
                    &f.path,
                    format!(
                        "the article text is {} bytes; the limit is {}",
                        e.size, limits.max_text_bytes
                    ),
                )),
            }
        }
    }
    Ok(article)
}
