//! What went wrong with an invalid bundle, in words a person who never
//! opens a terminal understands: the verdict line says it first, and the
//! codes and technical detail follow in the findings.
//!
//! The words name files by their role, which the entry name fixes (spec
//! §4.1), never by anything the manifest says: the manifest of an invalid
//! bundle is what a forger wrote.

use super::{Report, State};
use crate::format::codes::{Code, Severity};
use crate::format::finding::Finding;

/// Why a bundle is `invalid`, as a person would put it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Invalidity {
    /// The file could not be read at all (it does not exist, permission
    /// was refused, it vanished); nothing in it was checked.
    Unreadable(String),
    /// The file is not a provseal bundle: empty, not a ZIP archive (or a
    /// truncated one), or a ZIP archive without `manifest.json`.
    NotABundle(String),
    /// A bundle that was changed, damaged or forged: what changed first.
    Altered(String),
}

impl Invalidity {
    /// The verdict line for it (spec §8.1).
    pub fn verdict_line(&self) -> String {
        match self {
            Invalidity::Unreadable(why) => {
                format!("CANNOT BE READ: {why}; nothing in it was checked")
            }
            Invalidity::NotABundle(why) => format!("NOT A PROVSEAL BUNDLE: {why}"),
            Invalidity::Altered(what) => format!(
                "INVALID: {what}: the bundle was altered, damaged or forged; rely on nothing in it"
            ),
        }
    }
}

/// What the entry named `name` holds, by its role (spec §4.1).
fn role_of(name: &str) -> String {
    let path = name.split('#').next().unwrap_or(name);
    match path {
        "article/text.txt" => "the article text".into(),
        "manifest.json" => "the manifest (title, dates, URLs and file list)".into(),
        "signature.json" => "the signature".into(),
        "README.txt" => "the README".into(),
        "capture/capture.warc" => "the record of the capture (WARC)".into(),
        p if p.starts_with("source/") => "the page as it was captured".into(),
        p if p.starts_with("copies/") => "a copy captured with the page".into(),
        p if p.starts_with("custody/") => "a custody event".into(),
        p if p.starts_with("timestamps/") => "a timestamp".into(),
        _ => "a file of the bundle".into(),
    }
}

/// One error finding in plain words.
pub fn explain(f: &Finding) -> String {
    let what = role_of(&f.location);
    match f.code {
        Code::HashMismatch | Code::SizeMismatch | Code::CrcMismatch => {
            format!("{what} was changed after the bundle was made")
        }
        Code::TextNotNormalised => "the article text was changed after the bundle was made".into(),
        Code::ListedFileMissing => "a file the bundle lists was removed".into(),
        Code::UnlistedEntry | Code::DuplicateEntry | Code::PathCollision => {
            "a file was added to the bundle after it was made".into()
        }
        Code::ManifestMissing => "the manifest was removed".into(),
        Code::ManifestInvalid
        | Code::ManifestNotCanonical
        | Code::ManifestFileListInvalid
        | Code::JsonTooDeep
        | Code::UnsupportedVersion => {
            "the manifest was changed or damaged: it is not a manifest this version writes".into()
        }
        Code::SignaturePayloadMismatch => {
            "the manifest (title, dates, URLs or file list) was changed after it was signed: the signature no longer matches".into()
        }
        Code::SignatureInvalid => {
            "the signature does not match: the manifest or the signature was changed".into()
        }
        Code::SignatureMissing => "the signature was removed".into(),
        Code::UnexpectedSignature => {
            "a signature was added to a bundle that says it is unsigned".into()
        }
        Code::SignatureMalformed | Code::KeyIdMismatch | Code::PublicKeyInvalid => {
            "the signature was changed or damaged".into()
        }
        Code::TooManyEntries
        | Code::ArchiveTooLarge
        | Code::EntryTooLarge
        | Code::ManifestTooLarge
        | Code::SignatureTooLarge
        | Code::TextTooLarge
        | Code::PathTooDeep => "it is larger than any bundle this version makes".into(),
        Code::ContainerUnreadable => format!("{what} cannot be read: the file is damaged"),
        Code::ContainerNotCanonical
        | Code::EntryNotStored
        | Code::BadEntryPath
        | Code::SpecialFileMode
        | Code::Zip64Present => {
            "the archive was rewritten or changed after it was made (a ZIP tool, or an edit)".into()
        }
        _ => "a check failed".into(),
    }
}

/// Whether `f` is a whole-file finding: the file as such, before any
/// entry could be found.
fn whole_file(r: &Report, f: &Finding) -> bool {
    f.code == Code::ContainerUnreadable && f.location == "bundle" && r.manifest.is_none()
}

impl Report {
    /// Why the bundle is `invalid`, or `None` when it is not.
    pub fn invalidity(&self) -> Option<Invalidity> {
        if self.state != State::Invalid {
            return None;
        }
        let errors: Vec<&Finding> = self
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .collect();
        let first = errors.first()?;
        if whole_file(self, first) {
            // `batch::checked` words an I/O failure so; every other
            // whole-file E001 is about what the bytes are.
            if let Some(why) = first.message.strip_prefix("the file could not be read: ") {
                return Some(Invalidity::Unreadable(format!(
                    "the file could not be opened or read ({why})"
                )));
            }
            if let Some(why) = first.message.strip_prefix("the object could not be read: ") {
                return Some(Invalidity::Unreadable(format!(
                    "the object could not be fetched or read ({why})"
                )));
            }
            return Some(Invalidity::NotABundle(format!(
                "it is not a ZIP archive, or only part of one ({})",
                first.message
            )));
        }
        if errors.iter().all(|f| f.code == Code::ManifestMissing) && self.bundle_id.is_none() {
            return Some(Invalidity::NotABundle(
                "a ZIP archive without manifest.json".into(),
            ));
        }
        Some(Invalidity::Altered(explain(first)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_named_by_their_role_never_by_the_manifest() {
        let f = Finding::new(Code::HashMismatch, "article/text.txt", "SHA-256 differs");
        assert_eq!(
            explain(&f),
            "the article text was changed after the bundle was made"
        );
        let f = Finding::new(Code::HashMismatch, "source/page.html", "x");
        assert_eq!(
            explain(&f),
            "the page as it was captured was changed after the bundle was made"
        );
        let f = Finding::new(Code::SignaturePayloadMismatch, "signature.json", "x");
        assert!(
            explain(&f).starts_with("the manifest (title, dates, URLs or file list) was changed")
        );
    }

    #[test]
    fn a_file_that_cannot_be_read_or_is_not_a_zip_is_not_called_forged() {
        let missing = Report::unreadable(Finding::new(
            Code::ContainerUnreadable,
            "bundle",
            "the file could not be read: No such file or directory (os error 2)",
        ));
        let line = missing.invalidity().unwrap().verdict_line();
        assert!(line.starts_with("CANNOT BE READ: "), "{line}");
        assert!(!line.contains("forged"), "{line}");
        let png = Report::unreadable(Finding::new(
            Code::ContainerUnreadable,
            "bundle",
            "no end-of-central-directory record: not a ZIP archive, or truncated",
        ));
        let line = png.invalidity().unwrap().verdict_line();
        assert!(line.starts_with("NOT A PROVSEAL BUNDLE: "), "{line}");
        assert!(!line.contains("forged"), "{line}");
    }
}
