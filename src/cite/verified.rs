//! Only a verified bundle is cited: a citation vouches for what it cites.
//! [`from_report`] is the way from a verification report to a
//! [`CiteSource`]; when the report did not pass, it says why as a value.

use std::fmt;

use super::{CiteSource, Markup};
use crate::format::codes::{Code, Severity};
use crate::verify::{Failure, Report, State};

/// Why a bundle is not cited.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum NotCited {
    /// The bundle is invalid: the error codes found, in report order.
    Invalid(Vec<Code>),
    /// The signed core is intact but the bundle did not pass: why, and the
    /// key id of its signer if it was signed.
    Failed {
        /// Why it did not pass, as [`Report::failures`] gives them.
        failures: Vec<Failure>,
        /// The signer's key id.
        signer: Option<String>,
    },
}

impl fmt::Display for NotCited {
    /// The words spec §10 records as `not_cited`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NotCited::Invalid(codes) => {
                let codes: Vec<String> = codes.iter().map(Code::to_string).collect();
                write!(f, "it is invalid ({})", codes.join(", "))
            }
            NotCited::Failed { failures, .. } if failures.is_empty() => {
                f.write_str("it did not verify")
            }
            NotCited::Failed { failures, signer } => {
                let why: Vec<String> = failures
                    .iter()
                    .map(|x| match x {
                        Failure::Unsigned => "it is unsigned, so nobody vouches for it \
                                              (--allow-unsigned accepts it)"
                            .to_string(),
                        Failure::SignerNotTrusted(Code::SignerUntrusted) => format!(
                            "its signer {} is not among the --trust keys",
                            signer.as_deref().unwrap_or("?")
                        ),
                        other => other.words().to_string(),
                    })
                    .collect();
                f.write_str(&why.join("; "))
            }
        }
    }
}

impl std::error::Error for NotCited {}

/// Citation settings that do not depend on the bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Style {
    /// Archive name for CSL `archive` and RIS `DB`.
    pub archive: String,
    /// Where the bundle itself is published, if anywhere.
    pub public_url: Option<String>,
    /// How human styles are marked up.
    pub markup: Markup,
    /// Human styles give every digest in full (see
    /// [`CiteSource::full_evidence`]).
    pub full_evidence: bool,
}

impl Default for Style {
    fn default() -> Self {
        Style {
            archive: super::DEFAULT_ARCHIVE.into(),
            public_url: None,
            markup: Markup::Plain,
            full_evidence: false,
        }
    }
}

impl Style {
    /// A style naming `archive` and, if given, where the bundle is
    /// published.
    pub fn new(archive: String, public_url: Option<String>, markup: Markup) -> Self {
        Style {
            archive,
            public_url,
            markup,
            full_evidence: false,
        }
    }
}

/// The citation source of a report that passed; why not, for the rest.
pub fn from_report<'a>(report: &'a Report, style: &'a Style) -> Result<CiteSource<'a>, NotCited> {
    match (&report.manifest, &report.bundle_id, report.passed) {
        (Some(manifest), Some(bundle_id), true) => Ok(CiteSource {
            manifest,
            bundle_id,
            archive: &style.archive,
            public_url: style.public_url.as_deref(),
            signer_name: report.signer.as_ref().and_then(|s| s.name.as_deref()),
            full_evidence: style.full_evidence,
        }),
        _ if report.state == State::Invalid || report.manifest.is_none() => Err(NotCited::Invalid(
            report
                .findings
                .iter()
                .filter(|f| f.severity == Severity::Error)
                .map(|f| f.code)
                .collect(),
        )),
        _ => Err(NotCited::Failed {
            failures: report.failures(),
            signer: report.signer.as_ref().map(|s| s.key_id.clone()),
        }),
    }
}
