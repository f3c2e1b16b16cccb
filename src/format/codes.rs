//! Verification codes: one variant per row of the table in
//! `spec/bundle-v1.md` §9. A test keeps the two in step.

use std::fmt;

use serde::{Serialize, Serializer};

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Severity {
    /// The bundle is not verified.
    Error,
    /// Worth a reader's attention; does not fail verification by itself.
    Warning,
}

impl Severity {
    /// The lower-case name the JSON report and the text lines use.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

macro_rules! codes {
    ($( $(#[$doc:meta])* $variant:ident = ($code:literal, $sev:ident, $step:literal, $section:literal, $rule:literal); )*) => {
        /// A verification finding code, stable across releases.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum Code {
            $( $(#[$doc])* $variant, )*
        }

        impl Code {
            /// Every code, in table order.
            pub const ALL: &'static [Code] = &[ $( Code::$variant, )* ];

            /// The stable identifier, e.g. `E021`.
            pub fn as_str(self) -> &'static str {
                match self { $( Code::$variant => $code, )* }
            }

            /// Error or warning.
            pub fn severity(self) -> Severity {
                match self { $( Code::$variant => Severity::$sev, )* }
            }

            /// The step of the verification algorithm (spec §8) that reports it.
            pub fn step(self) -> u8 {
                match self { $( Code::$variant => $step, )* }
            }

            /// The spec section that states the rule.
            pub fn section(self) -> &'static str {
                match self { $( Code::$variant => $section, )* }
            }

            /// The rule the code enforces, as worded in the spec's table.
            pub fn rule(self) -> &'static str {
                match self { $( Code::$variant => $rule, )* }
            }

            /// Looks a code up by its identifier.
            pub fn parse(s: &str) -> Option<Code> {
                match s { $( $code => Some(Code::$variant), )* _ => None }
            }
        }
    };
}

codes! {
    /// The file is not a ZIP archive that can be parsed at all.
    ContainerUnreadable = ("E001", Error, 1, "3", "The container is a ZIP archive with an end-of-central-directory record and a central directory that can be parsed.");
    /// A byte of the container deviates from the canonical layout.
    ContainerNotCanonical = ("E002", Error, 1, "3.2", "The container bytes follow the canonical layout exactly: entry order, offsets, header fields, local and central headers agree, no extra fields, comments, data descriptors, gaps, overlaps, prepended or trailing bytes.");
    /// An entry is compressed or encrypted.
    EntryNotStored = ("E003", Error, 1, "3.1", "Every entry uses compression method 0 (STORED) and is not encrypted.");
    /// Two entries carry the same name.
    DuplicateEntry = ("E004", Error, 1, "4", "Entry names are unique.");
    /// An entry name breaks the path rules.
    BadEntryPath = ("E005", Error, 1, "4", "Entry names follow the path rules: UTF-8, relative, '/'-separated, NFC, no '.' or '..' or empty segments, no backslash, colon or control characters.");
    /// Two entry names collide after NFC and case folding.
    PathCollision = ("E006", Error, 1, "4", "Entry names are unique after NFC normalisation and case folding.");
    /// Stored data does not match the CRC-32 in its headers.
    CrcMismatch = ("E007", Error, 3, "3.2", "The CRC-32 in the headers matches the stored data.");
    /// An entry is a symbolic link, directory or other special file.
    SpecialFileMode = ("E008", Error, 1, "3.2", "Every entry is a regular file: no symbolic links, directories, devices or other special modes.");
    /// The archive uses ZIP64 structures.
    Zip64Present = ("E009", Error, 1, "3.2", "The archive has no ZIP64 records, extra fields or markers.");
    /// There is no `manifest.json` entry.
    ManifestMissing = ("E010", Error, 2, "5", "The bundle has a manifest.json entry.");
    /// The manifest is not valid UTF-8 JSON of the schema.
    ManifestInvalid = ("E011", Error, 2, "5", "The manifest is UTF-8 JSON valid against manifest-v1.schema.json: no duplicate keys, no unknown fields, values in range.");
    /// The manifest bytes are not the canonical serialisation.
    ManifestNotCanonical = ("E012", Error, 2, "5.1", "The manifest bytes are exactly the canonical serialisation of its content.");
    /// The manifest names a format or version this verifier does not implement.
    UnsupportedVersion = ("E013", Error, 2, "5", "The manifest's format is provseal-bundle and its version is 1.");
    /// A file the manifest lists is not in the archive.
    ListedFileMissing = ("E014", Error, 2, "4.1", "Every file the manifest lists is an entry of the archive.");
    /// An archive entry is not listed by the manifest.
    UnlistedEntry = ("E015", Error, 2, "4.1", "Every entry is listed by the manifest, or is manifest.json or signature.json.");
    /// The manifest's file list breaks the path or role rules.
    ManifestFileListInvalid = ("E016", Error, 2, "5.3", "The manifest's file list is sorted, has unique valid paths, does not list reserved names, and has exactly one file of each required role.");
    /// A file's size differs from the manifest.
    SizeMismatch = ("E020", Error, 3, "5.3", "Each file's size equals the size in the manifest.");
    /// A file's SHA-256 differs from the manifest.
    HashMismatch = ("E021", Error, 3, "5.3", "Each file's SHA-256 equals the digest in the manifest.");
    /// The article text is not normalised.
    TextNotNormalised = ("E022", Error, 3, "6", "The article text is UTF-8, NFC, with LF line endings.");
    /// The manifest names a signer but no signature is present.
    SignatureMissing = ("E030", Error, 4, "6.2", "A manifest that names a signer is accompanied by signature.json.");
    /// The signature file is not a canonical DSSE envelope of the right type.
    SignatureMalformed = ("E031", Error, 4, "6.2", "signature.json is a canonical DSSE envelope with the provseal payload type and exactly one signature.");
    /// The envelope's payload is not the manifest.
    SignaturePayloadMismatch = ("E032", Error, 4, "6.2", "The envelope's payload is byte-for-byte the manifest.json entry.");
    /// The Ed25519 signature does not verify.
    SignatureInvalid = ("E033", Error, 4, "6.1", "The Ed25519 signature verifies (strictly) over the PAE bytes.");
    /// A key id does not match the public key.
    KeyIdMismatch = ("E034", Error, 4, "6", "The key ids in the manifest and the envelope are the SHA-256 fingerprint of the signer's public key.");
    /// The signer's public key is malformed or weak.
    PublicKeyInvalid = ("E035", Error, 4, "6", "The signer's public key is 32 bytes, a valid point, and not of small order.");
    /// A signature is present but the manifest names no signer.
    UnexpectedSignature = ("E036", Error, 4, "6.2", "An unsigned manifest has no signature.json.");
    /// The signer is not one of the keys the verifier trusts.
    SignerUntrusted = ("E040", Error, 6, "8", "When trusted keys are given, the signer is one of them.");
    /// The bundle is unsigned and unsigned bundles were not allowed.
    Unsigned = ("E041", Error, 6, "8", "A bundle is signed, unless the verifier explicitly allows unsigned bundles.");
    /// The signer's key was outside its validity window in the trust store
    /// when the bundle says it was signed.
    KeyNotValidAtSigning = ("E042", Error, 6, "8.2", "With a trust store, the signer's key was within its validity window (not_before, not_after) at signing time.");
    /// The signer's key had been revoked when the bundle says it was signed.
    SignedAfterRevocation = ("E043", Error, 6, "8.2", "With a trust store, the signer's key had not been revoked at signing time.");
    /// The signer's key was revoked after the time the bundle claims, and
    /// no trusted timestamp proves the signature predates the revocation.
    RevokedKeyTimeUnproven = ("E044", Error, 6, "8.2", "With a trust store, a signature by a key that has been revoked is accepted only when a trusted timestamp proves it existed before the revocation.");
    /// More entries than the cap.
    TooManyEntries = ("E050", Error, 1, "7", "The archive has at most the capped number of entries.");
    /// The archive is larger than the cap.
    ArchiveTooLarge = ("E051", Error, 1, "7", "The archive is no larger than the archive cap.");
    /// An entry is larger than the cap.
    EntryTooLarge = ("E052", Error, 1, "7", "No entry is larger than the entry cap.");
    /// The manifest is larger than the cap.
    ManifestTooLarge = ("E053", Error, 2, "7", "manifest.json is no larger than the manifest cap.");
    /// The signature file is larger than the cap.
    SignatureTooLarge = ("E054", Error, 4, "7", "signature.json is no larger than the signature cap.");
    /// An entry name is longer or deeper than the caps.
    PathTooDeep = ("E055", Error, 1, "7", "Entry names are at most 255 bytes long with at most 16 segments.");
    /// The manifest's JSON nests deeper than the cap.
    JsonTooDeep = ("E056", Error, 2, "7", "The manifest's JSON nests arrays and objects at most 16 levels deep.");
    /// The article text is larger than the normalisation check reads.
    TextTooLarge = ("E057", Error, 3, "7", "article/text.txt is no larger than the text cap.");
    /// The appendix's custody events or timestamp tokens are missing a
    /// number, stamp a signature that is not there, or are out of order.
    AppendixNotInOrder = ("E060", Error, 5, "6.4", "The appendix holds custody events numbered from 1 without gaps and timestamp tokens numbered from 1 under a signature the bundle has, in the canonical order.");
    /// A custody event is not a canonical envelope over a valid statement.
    CustodyEventMalformed = ("E061", Error, 5, "6.4", "Each custody event is a canonical DSSE envelope with the custody payload type and one signature, over a canonical event statement with valid values.");
    /// A custody event's signature or actor key does not verify.
    CustodyEventSignatureInvalid = ("E062", Error, 5, "6.4", "Each custody event's actor key is a valid Ed25519 key whose key id matches, and its signature verifies strictly.");
    /// A custody event names another bundle or another position.
    CustodyEventMisbound = ("E063", Error, 5, "6.4", "Each custody event names this bundle's id and its own sequence number.");
    /// A custody event does not link to the one before it.
    CustodyChainBroken = ("E064", Error, 5, "6.4", "Each custody event's previous digest is the SHA-256 of the event entry before it, or the bundle id for the first event.");
    /// Custody event times go backwards.
    CustodyTimeBackwards = ("E065", Error, 5, "6.4", "Custody event times do not go backwards: each is no earlier than the event before it, and the first no earlier than the capture time.");
    /// The chain does not contain the head the verifier was told to expect.
    CustodyHeadMissing = ("E066", Error, 5, "6.4", "When the verifier is given a chain head recorded elsewhere, the chain contains that event: it was not truncated.");
    /// A custody event or timestamp entry is larger than its cap.
    AppendixEntryTooLarge = ("E067", Error, 5, "7", "Each custody event and timestamp token is no larger than the appendix entry cap.");
    /// A timestamp entry is not a granted RFC 3161 response.
    TimestampMalformed = ("E070", Error, 5, "6.5", "Each timestamp entry is a DER TimeStampResp with status granted, whose token is CMS SignedData over a TSTInfo.");
    /// A timestamp token stamps other bytes than its signature.
    TimestampImprintMismatch = ("E071", Error, 5, "6.5", "Each token's message imprint is the hash of the raw signature it stamps.");
    /// A timestamp token's CMS signature does not verify.
    TimestampSignatureInvalid = ("E072", Error, 5, "6.5", "Each token's CMS signature verifies with the TSA certificate it carries, over signed attributes that bind the TSTInfo and that certificate.");
    /// The certificate that signed a token is not a timestamping certificate.
    TimestampNotTsaCertificate = ("E073", Error, 5, "6.5", "The certificate that signs a token has a critical extended key usage of id-kp-timeStamping only.");
    /// A token's TSA does not chain to a trusted root at genTime.
    TimestampUntrusted = ("E074", Error, 6, "8.3", "When TSA roots are given, each token's certificate chains to one of them, every certificate valid at the token's genTime.");
    /// A time the bundle claims is later than a token proves.
    ClaimedTimeContradicted = ("E075", Error, 5, "6.5", "A signature's claimed time (the capture time, or a custody event's time) is not later than the genTime of a token over it, beyond the clock skew.");
    /// The published time is after the capture time.
    PublishedAfterCaptured = ("W001", Warning, 7, "8", "The article was not published after it was captured.");
    /// The capture time is after the verifier's clock.
    CapturedInFuture = ("W002", Warning, 7, "8", "The capture time is not later than the verifier's clock.");
    /// The signature is valid but no trusted keys were given.
    SignerNotKnownTrusted = ("W003", Warning, 6, "8", "Without trusted keys a valid signature shows integrity, not who vouches for the bundle.");
    /// The bundle is unsigned and the verifier allowed it.
    UnsignedAllowed = ("W004", Warning, 6, "8", "An unsigned bundle shows only that its files agree with its manifest.");
    /// The signer's key was revoked after the bundle was signed.
    KeyRevokedSince = ("W005", Warning, 6, "8.2", "The signer's key was not revoked after signing; if it was, the signature still stands, and the revocation is shown.");
    /// A custody event is signed by a key outside the given trust.
    CustodyActorNotTrusted = ("W006", Warning, 6, "8", "When trusted keys or a trust store are given, a custody event signed by a key outside them is shown as untrusted.");
    /// A custody event's time is after the verifier's clock.
    CustodyEventInFuture = ("W007", Warning, 7, "8", "A custody event's time is not later than the verifier's clock.");
    /// Timestamp tokens were not checked against any TSA root.
    TimestampRootNotGiven = ("W008", Warning, 6, "8.3", "Without TSA roots a token's signature shows integrity, not that a trusted authority attests its time.");
    /// A text value carries control, bidirectional or invisible format
    /// characters.
    UnsafeCharacters = ("W009", Warning, 7, "5.4", "Text values of the manifest and custody notes hold no control, bidirectional or invisible format characters.");
    /// A URL's host mixes scripts or is written in look-alike characters.
    ConfusableHost = ("W010", Warning, 7, "5.4", "No URL's host mixes scripts beyond the highly restrictive profile of UTS 39 or is written wholly in look-alikes of Latin letters.");
    /// The signer's key was retired, and only the signer's claim dates the
    /// signature inside its window.
    RetiredKeyTimeUnproven = ("W011", Warning, 6, "8.2", "With a trust store, a signature by a key whose window has ended is dated only by the signer's claim unless a trusted timestamp proves it existed by the window's end.");
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl Code {
    /// True for codes about the appendix (spec §6.4, §6.5): entries anyone
    /// holding the bundle can add, whose errors fail the bundle without
    /// making its signed core `invalid` (spec §8.1).
    pub fn is_appendix(self) -> bool {
        matches!(
            self,
            Code::AppendixNotInOrder
                | Code::CustodyEventMalformed
                | Code::CustodyEventSignatureInvalid
                | Code::CustodyEventMisbound
                | Code::CustodyChainBroken
                | Code::CustodyTimeBackwards
                | Code::CustodyHeadMissing
                | Code::AppendixEntryTooLarge
                | Code::TimestampMalformed
                | Code::TimestampImprintMismatch
                | Code::TimestampSignatureInvalid
                | Code::TimestampNotTsaCertificate
                | Code::ClaimedTimeContradicted
        )
    }

    /// True for codes about trust policy rather than about the bundle's
    /// integrity: they fail a run but do not make the bundle invalid.
    pub fn is_policy(self) -> bool {
        matches!(
            self,
            Code::SignerUntrusted
                | Code::Unsigned
                | Code::KeyNotValidAtSigning
                | Code::SignedAfterRevocation
                | Code::RevokedKeyTimeUnproven
                | Code::TimestampUntrusted
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_unique_well_formed_and_parse_back() {
        let mut seen = std::collections::BTreeSet::new();
        for &c in Code::ALL {
            let id = c.as_str();
            assert!(seen.insert(id), "duplicate {id}");
            assert_eq!(id.len(), 4);
            let prefix = if c.severity() == Severity::Error {
                'E'
            } else {
                'W'
            };
            assert!(
                id.starts_with(prefix),
                "{id} prefix disagrees with severity"
            );
            assert_eq!(Code::parse(id), Some(c));
            assert!((1..=7).contains(&c.step()));
        }
        assert_eq!(Code::parse("X001"), None);
        assert_eq!(Code::parse("e001"), None);
    }
}
