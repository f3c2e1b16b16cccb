//! A finding: one problem the verifier found, as data.

use serde::Serialize;

use crate::format::codes::{Code, Severity};

/// One problem, with where it is and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The stable code (spec §9).
    pub code: Code,
    /// Error or warning, derived from the code.
    pub severity: Severity,
    /// The verification step (spec §8) that found it.
    pub step: u8,
    /// Where: an entry name, `manifest.json#/json/pointer`, `zip@offset`, or
    /// `bundle` for the whole file.
    pub location: String,
    /// What is wrong, for a person.
    pub message: String,
}

impl Finding {
    /// A finding for `code` at `location`.
    pub fn new(code: Code, location: impl Into<String>, message: impl Into<String>) -> Self {
        Finding {
            code,
            severity: code.severity(),
            step: code.step(),
            location: location.into(),
            message: message.into(),
        }
    }
}
