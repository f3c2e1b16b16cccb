//! Step 1 of spec §8: the container's structure and entry names.

use std::io::{self, Read, Seek};

use super::VerifyOptions;
use crate::format::container::{Container, read_container};
use crate::format::finding::Finding;

/// Step 1: parses the central directory and local headers against the
/// canonical layout (§3). `Err` holds the findings that end verification
/// here (§8.4): an archive that cannot be read any further.
pub(super) fn check<R: Read + Seek>(
    r: &mut R,
    len: u64,
    opts: &VerifyOptions,
    findings: &mut Vec<Finding>,
) -> io::Result<Result<Container, Vec<Finding>>> {
    Ok(read_container(r, len, &opts.limits)?
        .inspect(|c| findings.extend(c.findings.iter().cloned())))
}
