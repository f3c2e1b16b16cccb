//! The JUnit XML report (spec §10): one test case per bundle.

use std::fmt::Write as _;
use std::path::Path;

use crate::cite;
use crate::display;
use crate::format::codes::Severity;
use crate::verify::{FailOn, Report};

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
    let line = super::finding_text;
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
            None => format!("{}: {}", r.state.as_str(), super::verdict(r, fail_on)),
        };
        let mut body = format!("{}\n", super::verdict(r, fail_on));
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
pub fn junit_document(cases: &str, totals: &super::Totals) -> String {
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
