//! The human output of `verify`: a block per bundle. The machine shapes
//! (spec §10) are the library's [`provseal::run_report`].

use std::fmt::Write as _;
use std::path::Path;

use provseal::cite::{self, Format, Markup};
use provseal::display::{self, shown};
use provseal::run_report::verdict;
use provseal::verify::{FailOn, Report, State};

use super::render;

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
    // The verdict can quote what a server said of an object, or its key.
    let v = display::inline(&verdict(r, fail_on)).into_owned();
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
        f.severity.name(),
        f.step,
        shown(&f.location),
        shown(&f.message)
    )
}

#[cfg(test)]
mod tests {
    use provseal::format::codes::Code;
    use provseal::format::finding::Finding;

    use super::*;

    #[test]
    fn a_verdict_quoting_a_server_or_a_key_cannot_act_on_the_screen() {
        // An object whose key (chosen by whoever wrote the bucket) holds an
        // escape, which the verdict of an unreadable object quotes.
        let r = Report::unreadable(Finding::new(
            Code::ContainerUnreadable,
            "bundle",
            "the object could not be read: s3://b/x\x1b[2J\rVERIFIED.zip: no such object",
        ));
        let block = human_block(Path::new("s3://b/x.zip"), &r, false, FailOn::Error);
        assert!(
            block.starts_with("s3://b/x.zip: CANNOT BE READ: "),
            "{block}"
        );
        assert!(
            !block.contains('\x1b') && !block.contains('\r'),
            "{block:?}"
        );
        let inspected = super::render::inspect(Path::new("x.zip"), &r);
        assert!(
            !inspected.contains('\x1b') && !inspected.contains('\r'),
            "{inspected:?}"
        );
    }
}
