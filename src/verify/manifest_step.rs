//! Step 2 of spec §8: `manifest.json` read, parsed and checked, and the
//! archive's entries checked against the files it lists.

use std::io::{self, Read, Seek};

use super::VerifyOptions;
use crate::format::canonical::json_depth;
use crate::format::codes::Code;
use crate::format::container::{Container, read_entry};
use crate::format::finding::Finding;
use crate::format::manifest::{MANIFEST_PATH, Manifest, SIGNATURE_PATH};

/// What step 2 read.
#[derive(Default)]
pub(super) struct ManifestRead {
    /// The manifest's bytes, when its entry could be read within the cap.
    pub bytes: Option<Vec<u8>>,
    /// `sha256:` of those bytes: the bundle id.
    pub bundle_id: Option<String>,
    /// The manifest, when it parsed.
    pub manifest: Option<Manifest>,
}

/// Step 2: reads and parses the manifest, then checks the entry set. A
/// manifest that cannot be read or parsed ends the checks of the signed
/// core here (§8.4): steps 3 to 6 need what it lists.
pub(super) fn check<R: Read + Seek>(
    r: &mut R,
    container: &Container,
    opts: &VerifyOptions,
    findings: &mut Vec<Finding>,
) -> io::Result<ManifestRead> {
    let mut out = ManifestRead::default();
    let Some(e) = container.entry(MANIFEST_PATH) else {
        findings.push(Finding::new(
            Code::ManifestMissing,
            MANIFEST_PATH,
            "the bundle has no manifest.json",
        ));
        return Ok(out);
    };
    let Some(data) = read_entry(
        r,
        e,
        opts.limits.max_manifest_bytes,
        Code::ManifestTooLarge,
        findings,
    )?
    else {
        return Ok(out);
    };
    let depth = json_depth(&data.bytes);
    if depth > opts.limits.max_json_depth {
        findings.push(Finding::new(
            Code::JsonTooDeep,
            MANIFEST_PATH,
            format!(
                "arrays and objects nest {depth} deep; the limit is {}",
                opts.limits.max_json_depth
            ),
        ));
    } else {
        let (m, problems) = Manifest::parse(&data.bytes);
        findings.extend(problems);
        out.manifest = m;
    }
    out.bundle_id = Some(data.summary.sha256.to_prefixed());
    out.bytes = Some(data.bytes);
    if let Some(m) = &out.manifest {
        check_entry_set(container, m, findings);
    }
    Ok(out)
}

/// The entries are exactly the listed files, then the manifest, then the
/// signature, then the appendix: E014 for each listed file missing, E015
/// for each entry not expected, and E002 for the order only when the
/// entries are the expected ones in another order.
fn check_entry_set(container: &Container, m: &Manifest, findings: &mut Vec<Finding>) {
    let mut expected: Vec<&str> = m.files.iter().map(|f| f.path.as_str()).collect();
    expected.push(MANIFEST_PATH);
    if m.signer.is_some() || container.entry(SIGNATURE_PATH).is_some() {
        expected.push(SIGNATURE_PATH);
    }
    // The appendix follows, in the order found: its own order is step 5's
    // to judge (E060).
    let appendix = crate::format::appendix::entries(container);
    expected.extend(appendix.iter().map(|(_, e)| e.name.as_str()));
    for f in &m.files {
        if container.entry(&f.path).is_none() {
            findings.push(Finding::new(
                Code::ListedFileMissing,
                &f.path,
                "listed in the manifest but not in the archive",
            ));
        }
    }
    for e in &container.entries {
        if !expected.contains(&e.name.as_str()) {
            findings.push(Finding::new(
                Code::UnlistedEntry,
                &e.name,
                "in the archive but not listed in the manifest",
            ));
        }
    }
    let actual: Vec<&str> = container.entries.iter().map(|e| e.name.as_str()).collect();
    if actual != expected
        && actual.len() == expected.len()
        && actual.iter().all(|a| expected.contains(a))
    {
        findings.push(Finding::new(
            Code::ContainerNotCanonical,
            "bundle",
            format!("entries are in the order {actual:?}; the canonical order is {expected:?}"),
        ));
    }
}
