//! The verdict a person reads first (spec §8.1): one line that agrees with
//! the state, with `passed` and with the exit code, and that never calls a
//! bundle forged when only trust policy or an appended entry failed it.

use super::{AppendixState, Report, State};
use crate::format::appendix::AppendixName;
use crate::format::codes::{Code, Severity};
use crate::format::finding::Finding;

/// Whether a finding is about the appendix rather than the signed core: a
/// code of §6.4 or §6.5, or a CRC-32 mismatch of an appendix entry.
pub fn is_appendix_finding(f: &Finding) -> bool {
    f.code.is_appendix()
        || (f.code == Code::CrcMismatch && AppendixName::parse(&f.location).is_some())
}

/// Why a bundle whose signed core is intact did not pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Failure {
    /// The signer is not trusted for this signature (E040, E042, E043,
    /// E044): the code that says why.
    SignerNotTrusted(Code),
    /// Nobody signed it and unsigned bundles were not allowed (E041).
    Unsigned,
    /// A timestamp's authority does not chain to a trusted root (E074).
    TimestampUntrusted,
    /// A custody event or timestamp token added after signing is invalid
    /// (E060–E065, E067, E070–E073, or a CRC-32 error in one).
    AppendixInvalid,
    /// A trusted record of the custody chain's head is missing from the
    /// chain: events were removed (E066).
    CustodyTruncated,
    /// A timestamp token says the signature existed before the time the
    /// bundle claims (E075).
    ClaimedTimeContradicted,
}

impl Failure {
    /// The failure in words, after "intact …, but".
    pub fn words(self) -> &'static str {
        match self {
            Failure::SignerNotTrusted(Code::SignerUntrusted) => "the signer is not a trusted key",
            Failure::SignerNotTrusted(Code::KeyNotValidAtSigning) => {
                "the signer's key was outside its validity window when the bundle says it was signed"
            }
            Failure::SignerNotTrusted(Code::SignedAfterRevocation) => {
                "the signer's key had been revoked when the bundle says it was signed"
            }
            Failure::SignerNotTrusted(_) => {
                "the signer's key has been revoked and nothing proves the signature came before that"
            }
            Failure::Unsigned => "nobody signed it",
            Failure::TimestampUntrusted => "a timestamp's authority is not trusted",
            Failure::AppendixInvalid => {
                "a custody event or timestamp added after signing is invalid"
            }
            Failure::CustodyTruncated => "custody events recorded earlier were removed",
            Failure::ClaimedTimeContradicted => {
                "a timestamp shows the signature existed before the time the bundle claims"
            }
        }
    }
}

impl Report {
    /// False when an appendix entry (a custody event or a timestamp token)
    /// is invalid.
    pub fn appendix_ok(&self) -> bool {
        self.appendix != AppendixState::Invalid
    }

    /// Why the bundle did not pass although its signed core is intact, in
    /// finding order; empty when it passed or its core is `invalid`.
    pub fn failures(&self) -> Vec<Failure> {
        if self.passed || self.state == State::Invalid {
            return Vec::new();
        }
        let mut out: Vec<Failure> = Vec::new();
        for f in self
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
        {
            let failure = match f.code {
                Code::SignerUntrusted
                | Code::KeyNotValidAtSigning
                | Code::SignedAfterRevocation
                | Code::RevokedKeyTimeUnproven => Failure::SignerNotTrusted(f.code),
                Code::Unsigned => Failure::Unsigned,
                Code::TimestampUntrusted => Failure::TimestampUntrusted,
                Code::CustodyHeadMissing => Failure::CustodyTruncated,
                Code::ClaimedTimeContradicted => Failure::ClaimedTimeContradicted,
                _ if is_appendix_finding(f) => Failure::AppendixInvalid,
                _ => continue,
            };
            if !out.contains(&failure) {
                out.push(failure);
            }
        }
        out
    }

    /// The verdict line (spec §8.1): `VERIFIED`, `INTACT`, `FAILED`,
    /// `CANNOT BE READ`, `NOT A PROVSEAL BUNDLE` or `INVALID`, then why, in
    /// plain words. `FAILED` says that the signed core is intact and what
    /// failed the bundle; only `INVALID` says that the bundle was altered,
    /// damaged or forged, and first what changed (see [`Report::invalidity`]).
    pub fn verdict_line(&self) -> String {
        let failures = self.failures();
        match (self.state, self.passed) {
            (State::Invalid, _) => match self.invalidity() {
                Some(why) => why.verdict_line(),
                None => "INVALID: the bundle was altered, damaged or forged; rely on nothing in it"
                    .into(),
            },
            (State::VerifiedTrusted, true) => "VERIFIED: intact, signed by a trusted key".into(),
            (State::IntactUntrusted, true) => {
                "INTACT: validly signed, but the signer is not known to be trusted".into()
            }
            (State::IntactUnsigned, true) => "INTACT but UNSIGNED: nobody vouches for it".into(),
            (State::IntactUnsigned, false) => {
                let mut line = "FAILED: the files are intact but unsigned: nobody vouches for them"
                    .to_string();
                for f in failures.iter().filter(|f| **f != Failure::Unsigned) {
                    line.push_str("; and ");
                    line.push_str(f.words());
                }
                line
            }
            (core, false) => {
                let core = if core == State::VerifiedTrusted {
                    "intact and signed by a trusted key"
                } else {
                    "intact and validly signed"
                };
                let why: Vec<&str> = failures.iter().map(|f| f.words()).collect();
                if why.is_empty() {
                    // Every error has a failure above; this is a backstop
                    // that still never calls the bundle forged.
                    format!("FAILED: the signed core is {core}, but an error finding fails it")
                } else {
                    format!(
                        "FAILED: the signed core is {core}, but {}",
                        why.join("; and ")
                    )
                }
            }
        }
    }
}
