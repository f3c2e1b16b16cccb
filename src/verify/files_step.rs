//! Step 3 of spec §8: every listed file streamed once through SHA-256 and
//! CRC-32, and the article text's normalisation.

use std::io::{self, Read, Seek};

use crate::format::codes::Code;
use crate::format::container::layout::Limits;
use crate::format::container::{Container, read_entry, stream_entry};
use crate::format::finding::Finding;
use crate::format::manifest::Manifest;
use crate::format::normalize::check_text;

/// Step 3: streams each listed entry once through SHA-256 and CRC-32.
/// Returns the main article text as it was read, for the caller to hand
/// on once it knows the text matched (the one read that is verified is
/// the one shown).
pub(super) fn check<R: Read + Seek>(
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
        // Per file, in this order (§8.4): E020, E001 or E007, E021, then
        // E022 or E057 for the article text.
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
        let (summary, text) = if is_text && e.size <= limits.max_text_bytes {
            match read_entry(r, e, limits.max_text_bytes, Code::TextTooLarge, findings)? {
                Some(d) => (d.summary, Some(d.bytes)),
                None => continue,
            }
        } else {
            match stream_entry(r, e, findings)? {
                Some(s) => (s, None),
                None => continue,
            }
        };
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
                    if f.role == crate::format::manifest::FileRole::Text && matches {
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
