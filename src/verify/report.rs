//! What verification found: the state, the signer, the findings, and what
//! the bundle holds, as the spec §10 report shapes serialise it.

use serde::Serialize;

use crate::format::codes::Severity;
use crate::format::finding::Finding;
use crate::format::manifest::Manifest;

/// The overall result (spec §8.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum State {
    /// Some integrity or signature check failed.
    Invalid,
    /// The files agree with the manifest, but nothing signs it.
    IntactUnsigned,
    /// Intact and validly signed, by a key not among the trusted ones (or
    /// no trusted keys were given).
    IntactUntrusted,
    /// Intact and signed by a trusted key.
    VerifiedTrusted,
}

impl State {
    /// The state's name as printed and serialised.
    pub fn as_str(self) -> &'static str {
        match self {
            State::Invalid => "invalid",
            State::IntactUnsigned => "intact-unsigned",
            State::IntactUntrusted => "intact-untrusted",
            State::VerifiedTrusted => "verified-trusted",
        }
    }
}

/// The appendix (spec §6.4, §6.5): custody events and timestamp tokens
/// that anyone holding a bundle can add after it was signed. Its state is
/// reported apart from the signed core's (spec §8.1), so that an entry a
/// third party appended can fail a bundle but never make its signed core
/// look forged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum AppendixState {
    /// The bundle has no appendix entries.
    None,
    /// Every appendix entry checked out.
    Valid,
    /// Some appendix entry broke a rule of §6.4 or §6.5.
    Invalid,
}

/// Who signed, as far as the signature shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct SignerInfo {
    /// `sha256:` fingerprint of the public key named in the manifest.
    pub key_id: String,
    /// Whether the signature over the manifest verified.
    pub signature_valid: bool,
    /// Whether the key is among the trusted keys; `None` when none were
    /// given.
    pub trusted: Option<bool>,
    /// The signer's name in the trust store, when one was given and holds
    /// the key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// The verification result of one bundle.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct Report {
    /// `sha256:` of the manifest bytes, when a manifest entry was found.
    pub bundle_id: Option<String>,
    /// The overall state.
    pub state: State,
    /// True when there is no error finding.
    pub passed: bool,
    /// False when the bundle was too broken for every step to run (the
    /// container could not be parsed, or no manifest could be read): the
    /// findings then cover only the steps that ran.
    pub complete: bool,
    /// The signer named in the manifest, if any.
    pub signer: Option<SignerInfo>,
    /// Every problem found, in step order.
    pub findings: Vec<Finding>,
    /// The manifest, when it could be parsed. Its content is only vouched
    /// for when `state` is not `invalid`.
    pub manifest: Option<Manifest>,
    /// The custody events (spec §6.4), in chain order: the timeline.
    pub custody: Vec<crate::format::custody::EventInfo>,
    /// `sha256:` of the last custody event's entry: what a custodian records
    /// outside the bundle so that truncating the chain is detectable.
    pub custody_head: Option<String>,
    /// The RFC 3161 timestamp tokens (spec §6.5), in appendix order.
    pub timestamps: Vec<crate::format::timestamp::Stamp>,
    /// Whether the appendix checked out, apart from the signed core.
    pub appendix: AppendixState,
}

impl Report {
    /// The report of a bundle that could not be read at all.
    pub fn unreadable(finding: Finding) -> Self {
        Report::from_findings(vec![finding])
    }

    pub(super) fn from_findings(findings: Vec<Finding>) -> Self {
        Report {
            bundle_id: None,
            state: State::Invalid,
            passed: false,
            complete: false,
            signer: None,
            findings,
            manifest: None,
            custody: Vec::new(),
            custody_head: None,
            timestamps: Vec::new(),
            appendix: AppendixState::None,
        }
    }
}

/// A report, and the article text exactly as verification read and
/// checked it: `text` is `Some` only when `article/text.txt` was read
/// whole (within the text cap) and its size, CRC-32 and SHA-256 matched
/// the manifest. Commands that show or index the text take it from here,
/// never from a second read of the bundle, which could find other bytes.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Verified {
    /// The verification result.
    pub report: Report,
    /// The checked article text.
    pub text: Option<Vec<u8>>,
}

/// Which findings fail a bundle in a run: a caller's policy over the
/// verifier's verdict, which a nightly job may make stricter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum FailOn {
    /// Errors (and bundles that are unsigned or untrusted when that was
    /// not accepted): the verifier's own verdict, [`Report::passed`].
    #[default]
    Error,
    /// Warnings as well.
    Warning,
}

impl FailOn {
    /// The policy's name, as `--fail-on` spells it and spec §10 records it.
    pub fn name(self) -> &'static str {
        match self {
            FailOn::Error => "error",
            FailOn::Warning => "warning",
        }
    }

    /// Whether the bundle fails the run.
    pub fn fails(self, r: &Report) -> bool {
        !r.passed
            || (self == FailOn::Warning
                && r.findings.iter().any(|f| f.severity == Severity::Warning))
    }
}
