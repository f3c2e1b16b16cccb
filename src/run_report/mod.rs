//! The reports of `provseal verify` (spec §10): the JSON object of one
//! bundle (shared by the `json` document and the `jsonl` records), the
//! documents and records around them, the JUnit test case of a bundle and
//! its document, and the run's totals. These are values and text; writing
//! them anywhere is the caller's business.
//!
//! A test deserialises each shape and checks it against §10, so the
//! fields here are a contract: a change is a change to the spec.

mod json;
mod junit;

pub use json::bundle_json;
pub use junit::{junit_case, junit_document};

use std::fmt::Write as _;

use serde_json::{Value, json};

use crate::display::shown;
use crate::format::codes::Severity;
use crate::verify::{FailOn, Report};

/// The `provseal` value that names a verify report.
pub const REPORT_KIND: &str = "verify-report";

/// The report format's version.
pub const REPORT_VERSION: u32 = 1;

fn header() -> Value {
    json!({ "provseal": REPORT_KIND, "version": REPORT_VERSION })
}

/// The `--format json` document: the bundles' objects (none with
/// `--summary`) and the summary.
pub fn json_document(bundles: Option<Vec<Value>>, totals: &Totals, fail_on: FailOn) -> Value {
    let mut doc = header();
    if let Some(b) = bundles {
        doc["bundles"] = Value::Array(b);
    }
    doc["summary"] = totals.json(fail_on);
    doc
}

/// A `--format jsonl` bundle record: the bundle's object with `"record":
/// "bundle"`.
pub fn jsonl_bundle(mut bundle: Value) -> Value {
    if let Value::Object(m) = &mut bundle {
        m.insert("record".into(), json!("bundle"));
    }
    bundle
}

/// The last `--format jsonl` record: the summary.
pub fn jsonl_summary(totals: &Totals, fail_on: FailOn) -> Value {
    let mut doc = header();
    doc["record"] = json!("summary");
    doc["summary"] = totals.json(fail_on);
    doc
}

/// The verdict line: the library's, which agrees with the state and with
/// `passed`; under `--fail-on warning` a bundle that passed with warnings
/// fails the run, and its line says so.
pub fn verdict(r: &Report, fail_on: FailOn) -> String {
    if r.passed && fail_on.fails(r) {
        return format!(
            "FAILED (--fail-on warning): it has warnings; otherwise {}",
            r.verdict_line()
        );
    }
    r.verdict_line()
}

/// A finding as one line of a report: code, severity, step, location and
/// message, as the bundle gave them (the caller escapes for its output).
pub fn finding_text(f: &crate::format::finding::Finding) -> String {
    format!(
        "{} {} (step {}) {}: {}",
        f.code,
        f.severity.name(),
        f.step,
        f.location,
        f.message
    )
}

/// Counts over a run.
#[derive(Debug, Default, Clone)]
#[non_exhaustive]
pub struct Totals {
    /// Bundles verified.
    pub total: usize,
    /// Bundles that passed under the run's [`FailOn`].
    pub passed: usize,
    /// Bundles that failed under it.
    pub failed: usize,
    /// Bundles that could not be read at all (also counted as failed).
    pub unreadable: usize,
    /// Bundles with at least one warning finding.
    pub with_warnings: usize,
    /// Bundles per state name.
    pub by_state: std::collections::BTreeMap<&'static str, usize>,
    /// Their sizes, summed.
    pub bytes: u64,
    /// The run's wall-clock time, which the caller measures.
    pub seconds: f64,
    /// Other files left alone under the directories walked.
    pub skipped_files: usize,
    /// Directories that could not be read, and why.
    pub unreadable_dirs: Vec<(String, String)>,
}

impl Totals {
    /// Counts one bundle's report, of `bytes` bytes.
    pub fn add(&mut self, r: &Report, unreadable: bool, bytes: u64, fail_on: FailOn) {
        self.total += 1;
        self.bytes += bytes;
        if fail_on.fails(r) {
            self.failed += 1;
        } else {
            self.passed += 1;
        }
        self.unreadable += usize::from(unreadable);
        if r.findings.iter().any(|f| f.severity == Severity::Warning) {
            self.with_warnings += 1;
        }
        *self.by_state.entry(r.state.as_str()).or_default() += 1;
    }

    /// Whether the run passes: every bundle passed and every directory
    /// could be read.
    pub fn ok(&self) -> bool {
        self.failed == 0 && self.unreadable_dirs.is_empty()
    }

    /// The `summary` object (§10).
    pub fn json(&self, fail_on: FailOn) -> Value {
        json!({
            "total": self.total,
            "passed": self.passed,
            "failed": self.failed,
            "unreadable": self.unreadable,
            "with_warnings": self.with_warnings,
            "states": self.by_state,
            "fail_on": fail_on.name(),
            "bytes": self.bytes,
            "seconds": (self.seconds * 1000.0).round() / 1000.0,
            "skipped_files": self.skipped_files,
            "unreadable_dirs": self.unreadable_dirs.iter()
                .map(|(p, e)| json!({ "path": p, "error": e }))
                .collect::<Vec<_>>(),
        })
    }

    /// The line of totals of the human report, then a line per directory
    /// that could not be read.
    pub fn human(&self) -> String {
        let n =
            |state: crate::verify::State| self.by_state.get(state.as_str()).copied().unwrap_or(0);
        use crate::verify::State::*;
        let mut s = format!(
            "{} of {} bundles passed, {} failed: {} signed by a trusted key, {} intact with a signer not known to be trusted, {} intact and unsigned, {} invalid",
            self.passed,
            self.total,
            self.failed,
            n(VerifiedTrusted),
            n(IntactUntrusted),
            n(IntactUnsigned),
            n(Invalid)
        );
        if self.unreadable > 0 {
            write!(s, " ({} could not be read)", self.unreadable).ok();
        }
        if self.with_warnings > 0 {
            write!(s, "; {} with warnings", self.with_warnings).ok();
        }
        write!(
            s,
            "; {:.1} MB in {:.2} s",
            self.bytes as f64 / 1e6,
            self.seconds
        )
        .ok();
        if self.skipped_files > 0 {
            write!(s, "; {} other files skipped", self.skipped_files).ok();
        }
        s.push('\n');
        for (p, e) in &self.unreadable_dirs {
            writeln!(
                s,
                "provseal: {}: directory could not be read: {}",
                shown(p),
                shown(e)
            )
            .ok();
        }
        s
    }
}
