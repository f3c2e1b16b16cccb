//! The outputs of `verify`: a human block per bundle, the JSON object of a
//! bundle (spec §10, shared by `json` and `jsonl`), a JUnit test case per
//! bundle, and the run's totals.

use std::fmt::Write as _;
use std::path::Path;

use provseal::Severity;
use provseal::cite::{self, Format, Markup};
use provseal::display::{self, shown};
use provseal::verify::{FailOn, Report, State};
use serde::Serialize;
use serde_json::{Value, json};

use super::render;

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

/// ANSI colour of a verdict: green verified, yellow intact, red failed.
fn paint(r: &Report, fail_on: FailOn, text: &str) -> String {
    let code = match (r.state, !fail_on.fails(r)) {
        (State::VerifiedTrusted, true) => "32",
        (_, true) => "33",
        _ => "31",
    };
    format!("\x1b[1;{code}m{text}\x1b[0m")
}

/// The human block of one bundle. Every value the bundle (or a trust
/// store, or a file name) supplies goes through [`shown`], so that nothing
/// in it can move the cursor, recolour the screen or start a line of its
/// own.
pub fn human_block(path: &Path, r: &Report, color: bool, fail_on: FailOn) -> String {
    let mut out = String::new();
    let v = verdict(r, fail_on);
    let v = if color { paint(r, fail_on, &v) } else { v };
    writeln!(out, "{}: {v}", display::path(path)).ok();
    writeln!(out, "  state      {}", r.state.as_str()).ok();
    if let Some(id) = &r.bundle_id {
        writeln!(out, "  bundle id  {id}").ok();
    }
    if let Some(s) = &r.signer {
        let trust = match (s.trusted, r.state) {
            (Some(true), _) => "trusted",
            (Some(false), _) if s.name.is_some() => "NOT trusted at signing time",
            (Some(false), _) => "NOT among the trusted keys",
            (None, State::Invalid) => "trust not assessed: the bundle is invalid",
            (None, _) => "not known to be trusted (no --trust given)",
        };
        let sig = if s.signature_valid {
            "valid signature"
        } else {
            "signature NOT valid"
        };
        match &s.name {
            Some(name) => writeln!(
                out,
                "  signer     {}, key {} ({sig}; {trust})",
                shown(name),
                shown(&s.key_id)
            ),
            None => writeln!(out, "  signer     {} ({sig}; {trust})", shown(&s.key_id)),
        }
        .ok();
    }
    if let Some(m) = &r.manifest {
        // An invalid bundle's manifest is what a forger wrote: shown, but
        // never as the bundle's.
        let claim = if r.state == State::Invalid {
            " (NOT verified: the bundle is invalid)"
        } else {
            ""
        };
        writeln!(out, "  title      {}{claim}", shown(&m.article.title)).ok();
        if let Some(p) = m.article.published.as_ref().and_then(|p| p.value.as_ref()) {
            writeln!(out, "  published  {} (as the page states)", shown(p)).ok();
        }
        writeln!(
            out,
            "  captured   {} (as the bundle states)",
            shown(&m.capture.captured_at)
        )
        .ok();
        for rel in &m.relations {
            out.push_str(&render::relation_row("  repost     ", rel));
        }
    }
    out.push_str(&render::appendix_lines(r));
    if !r.findings.is_empty() {
        writeln!(out, "  findings").ok();
        for f in &r.findings {
            writeln!(out, "    {}", finding_line(f)).ok();
        }
    }
    if !r.complete {
        writeln!(
            out,
            "  (verification stopped early: the bundle is too broken for the later steps to run)"
        )
        .ok();
    }
    let style = cite::Style::default();
    if let Ok(src) = cite::from_report(r, &style) {
        let text = cite::render(Format::Text, &src, Markup::Plain);
        writeln!(out, "  cite as    {}", shown(text.trim_end())).ok();
    }
    out
}

/// One finding for a person: code, severity, step, where and what, the
/// location and message shown safely.
pub fn finding_line(f: &provseal::Finding) -> String {
    format!(
        "{} {} (step {}) {}: {}",
        f.code,
        severity(f.severity),
        f.step,
        shown(&f.location),
        shown(&f.message)
    )
}

fn severity(s: Severity) -> &'static str {
    s.name()
}

#[derive(Serialize)]
struct JsonBundle<'a> {
    path: String,
    #[serde(flatten)]
    report: &'a Report,
    citation: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    not_cited: Option<String>,
}

/// The JSON object of one bundle (spec §10). With `--cite F`, a cited
/// bundle's `citation` also holds `format` and `formatted`, and a bundle
/// not cited says why in `not_cited`.
pub fn bundle_json(
    path: &Path,
    report: &Report,
    cite: Option<Format>,
    style: &cite::Style,
) -> Value {
    let src = cite::from_report(report, style);
    let b = JsonBundle {
        path: path.display().to_string(),
        report,
        citation: src.as_ref().ok().map(|src| {
            let mut c = json!({
                "text": cite::render(Format::Text, src, Markup::Plain).trim_end(),
                "csl_json": cite::csl_json(src),
            });
            if let Some(f) = cite {
                c["format"] = json!(f.name());
                c["formatted"] = json!(cite::render(f, src, style.markup));
            }
            c
        }),
        not_cited: match (cite, &src) {
            (Some(_), Err(why)) => Some(why.to_string()),
            _ => None,
        },
    };
    serde_json::to_value(b).expect("reports serialise")
}

/// Escapes text for JUnit XML: exact wherever XML 1.0 can say it, and
/// safe on a terminal. Unsafe characters ([`display`]) become character
/// references, except the C0 controls other than tab and line feed, which
/// XML 1.0 cannot carry at all, even escaped: they are shown as `\u{…}`.
fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\t' | '\n' => out.push(c),
            '\r' => out.push_str("&#xD;"),
            c if (c as u32) < 0x20 => out.push_str(&display::escape_char(c)),
            c if display::is_unsafe_char(c) || matches!(c, '\u{200C}' | '\u{200D}') => {
                out.push_str(&format!("&#x{:X};", c as u32))
            }
            c => out.push_str(&cite::html_escape(c.encode_utf8(&mut [0; 4]))),
        }
    }
    out
}

/// The JUnit `<testcase>` of one bundle: named by its path, with a
/// `<failure>` listing the findings that fail it, an `<error>` when it
/// could not be read at all, and its other findings in `<system-out>`.
pub fn junit_case(
    path: &Path,
    r: &Report,
    unreadable: bool,
    fail_on: FailOn,
    seconds: f64,
) -> String {
    let name = xml_escape(&path.display().to_string());
    let mut out = format!(
        "    <testcase classname=\"provseal.verify\" name=\"{name}\" time=\"{seconds:.3}\">\n"
    );
    let line = |f: &provseal::Finding| {
        format!(
            "{} {} (step {}) {}: {}",
            f.code,
            severity(f.severity),
            f.step,
            f.location,
            f.message
        )
    };
    let failing: Vec<String> = r
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error || fail_on == FailOn::Warning)
        .map(line)
        .collect();
    if fail_on.fails(r) {
        let tag = if unreadable { "error" } else { "failure" };
        let first = r
            .findings
            .iter()
            .find(|f| f.severity == Severity::Error)
            .or(r.findings.first());
        let message = match first {
            Some(f) => format!("{}: {}", r.state.as_str(), line(f)),
            None => format!("{}: {}", r.state.as_str(), verdict(r, fail_on)),
        };
        let mut body = format!("{}\n", verdict(r, fail_on));
        for l in &failing {
            body.push_str(l);
            body.push('\n');
        }
        writeln!(
            out,
            "      <{tag} message=\"{}\" type=\"{}\">{}</{tag}>",
            xml_escape(&message),
            first.map_or("state".to_string(), |f| f.code.to_string()),
            xml_escape(&body)
        )
        .ok();
    }
    let others: Vec<String> = r
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Warning && fail_on == FailOn::Error)
        .map(line)
        .collect();
    let mut sysout = format!("state {}\n", r.state.as_str());
    if let Some(id) = &r.bundle_id {
        writeln!(sysout, "bundle id {id}").ok();
    }
    for l in others {
        writeln!(sysout, "{l}").ok();
    }
    writeln!(
        out,
        "      <system-out>{}</system-out>",
        xml_escape(&sysout)
    )
    .ok();
    out.push_str("    </testcase>\n");
    out
}

/// The JUnit document around the test cases.
pub fn junit_document(cases: &str, totals: &Totals) -> String {
    let (tests, failures, errors) = (
        totals.total,
        totals.failed - totals.unreadable,
        totals.unreadable,
    );
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <testsuites name=\"provseal verify\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" time=\"{t:.3}\">\n  \
         <testsuite name=\"provseal verify\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"0\" time=\"{t:.3}\">\n\
         {cases}  </testsuite>\n</testsuites>\n",
        t = totals.seconds
    )
}

/// Counts over a run.
#[derive(Debug, Default, Clone)]
pub struct Totals {
    pub total: usize,
    pub passed: usize,
    pub failed: usize,
    /// Bundles that could not be read at all (also counted as failed).
    pub unreadable: usize,
    pub with_warnings: usize,
    pub by_state: std::collections::BTreeMap<&'static str, usize>,
    pub bytes: u64,
    pub seconds: f64,
    /// Other files left alone under the directories walked.
    pub skipped_files: usize,
    /// Directories that could not be read, and why.
    pub unreadable_dirs: Vec<(String, String)>,
}

impl Totals {
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

    pub fn human(&self) -> String {
        let mut s = format!(
            "{} of {} bundles verified, {} failed",
            self.passed, self.total, self.failed
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
