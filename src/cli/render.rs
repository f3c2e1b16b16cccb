//! Human and JSON renderings of library results.

use std::fmt::Write as _;

use provseal::display::{self, shown};
use provseal::extract::{Extracted, InputKind};
use provseal::verify::Report;
use serde_json::json;

/// The timestamps and the custody timeline of a report, as lines of the
/// human output of `verify` and `inspect`: each token's attested time next
/// to the time its subject claims.
pub fn appendix_lines(r: &Report) -> String {
    let mut out = String::new();
    for t in &r.timestamps {
        let trust = match t.trusted {
            Some(true) => "trusted TSA",
            Some(false) => "TSA NOT trusted",
            None if t.valid => "TSA not checked: no --tsa-root",
            None => "token NOT valid",
        };
        let claimed = shown(t.claimed_time.as_deref().unwrap_or("?"));
        match t.gen_time {
            Some(g) if t.valid => writeln!(
                out,
                "  timestamp  {} existed by {} (claimed {claimed}); {}, {trust}",
                shown(&t.subject),
                g.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
                shown(t.tsa.as_deref().unwrap_or("?")),
            ),
            _ => writeln!(
                out,
                "  timestamp  {}: {trust} ({})",
                shown(&t.subject),
                shown(&t.entry)
            ),
        }
        .ok();
    }
    if !r.custody.is_empty() {
        writeln!(out, "  custody").ok();
        for e in &r.custody {
            let (Some(time), Some(action), Some(key)) = (&e.time, e.action, &e.actor_key_id) else {
                writeln!(
                    out,
                    "    {}. [BROKEN: unreadable] {}",
                    e.sequence,
                    shown(&e.entry)
                )
                .ok();
                continue;
            };
            let (time, key) = (shown(time), shown(key));
            let who = match (&e.actor_name, e.actor_trusted) {
                (Some(n), Some(true)) => format!("{} (trusted)", shown(n)),
                (Some(n), _) => format!("{} (NOT trusted then)", shown(n)),
                (None, Some(false)) => format!("{key} (NOT trusted)"),
                (None, Some(true)) => format!("{key} (trusted)"),
                (None, None) => key.to_string(),
            };
            // A note is the actor's words, not the tool's: quoted, and
            // shown on its one line whatever it holds.
            let note = e
                .note
                .as_deref()
                .map(|n| format!(": note \u{201c}{}\u{201d}", shown(n)))
                .unwrap_or_default();
            let mark = if e.valid { "" } else { " [BROKEN]" };
            writeln!(
                out,
                "    {}. {time} {action} by {who}{note}{mark}",
                e.sequence
            )
            .ok();
        }
        if let Some(h) = &r.custody_head {
            writeln!(out, "    head {h}").ok();
        }
    }
    out
}

/// The human summary of `inspect`: what the bundle says, every value
/// shown safely, with the verdict's first word at the top when the bundle
/// does not pass, so that nobody reads a forged manifest as a real one.
pub fn inspect(path: &std::path::Path, r: &Report) -> String {
    let mut out = String::new();
    writeln!(out, "{}", display::path(path)).ok();
    let errors = r
        .findings
        .iter()
        .filter(|f| f.severity == provseal::Severity::Error)
        .count();
    if r.state == provseal::verify::State::Invalid {
        writeln!(
            out,
            "  WARNING    {}; what follows is what the bundle claims, not what it proves ({errors} error(s))",
            shown(&r.verdict_line())
        )
        .ok();
    } else if !r.appendix_ok() {
        writeln!(
            out,
            "  WARNING    the entries added after signing are invalid ({errors} error(s))"
        )
        .ok();
    }
    if let Some(id) = &r.bundle_id {
        writeln!(out, "  bundle id   {id}").ok();
    }
    match &r.manifest {
        None => {
            writeln!(out, "  (no readable manifest)").ok();
        }
        Some(m) => inspect_manifest(m, &mut out),
    }
    out.push_str(&appendix_lines(r));
    writeln!(
        out,
        "  (run `provseal verify` for a verdict: {errors} error finding(s) were noted)"
    )
    .ok();
    out
}

fn inspect_manifest(m: &provseal::format::manifest::Manifest, out: &mut String) {
    let a = &m.article;
    writeln!(out, "  title       {}", shown(&a.title)).ok();
    let opt = |label: &str, v: &Option<String>, out: &mut String| {
        if let Some(v) = v {
            writeln!(out, "  {label:<11} {}", shown(v)).ok();
        }
    };
    opt("subtitle", &a.subtitle, out);
    if !a.authors.is_empty() {
        writeln!(out, "  authors     {}", shown(&a.authors.join("; "))).ok();
    }
    opt("publisher", &a.publisher, out);
    opt("section", &a.section, out);
    opt("language", &a.language, out);
    if let Some(p) = &a.published {
        writeln!(
            out,
            "  published   {} (as found: \u{201c}{}\u{201d})",
            shown(p.value.as_deref().unwrap_or("?")),
            shown(&p.raw)
        )
        .ok();
    }
    for u in &m.urls {
        writeln!(
            out,
            "  {:<11} {}",
            format!("{:?}", u.role).to_lowercase(),
            display::url_with_note(&u.url)
        )
        .ok();
    }
    writeln!(
        out,
        "  captured    {} ({}, by {} {})",
        shown(&m.capture.captured_at),
        m.capture.method.words(),
        shown(&m.capture.tool.name),
        shown(&m.capture.tool.version)
    )
    .ok();
    match &m.signer {
        Some(s) => writeln!(
            out,
            "  signer      {} ({})",
            shown(&s.key_id),
            shown(&s.algorithm)
        )
        .ok(),
        None => writeln!(out, "  signer      (unsigned)").ok(),
    };
    for c in &m.copies {
        writeln!(
            out,
            "  copy        {} ({}), HTTP {}, files {} {} {}",
            display::url_with_note(&c.url),
            format!("{:?}", c.role).to_lowercase(),
            c.http.status,
            shown(&c.source),
            shown(&c.text),
            shown(&c.warc)
        )
        .ok();
    }
    for r in &m.relations {
        out.push_str(&relation_row("  relation    ", r));
    }
    writeln!(out, "  files").ok();
    for f in &m.files {
        writeln!(
            out,
            "    {:<20} {:>9} bytes  {:<8} {}  sha256:{}",
            shown(&f.path).to_string(),
            f.size,
            format!("{:?}", f.role).to_lowercase(),
            shown(&f.media_type),
            shown(&f.sha256)
        )
        .ok();
    }
}

/// The output of `extract`.
pub fn extracted(kind: InputKind, e: &Extracted, json: bool) -> String {
    if json {
        let published = e.published_raw.as_deref().map(|raw| {
            provseal::extract::dates::normalise_published(raw).unwrap_or_else(|| raw.to_string())
        });
        let doc = json!({
            "kind": kind,
            "title": e.title,
            "subtitle": e.subtitle,
            "authors": e.authors,
            "publisher": e.publisher,
            "published": published,
            "published_raw": e.published_raw,
            "modified": e.modified_raw.as_deref().map(|raw| {
                provseal::extract::dates::normalise_published(raw).unwrap_or_else(|| raw.to_string())
            }),
            "canonical_url": e.canonical_url,
            "original_url": e.original_url,
            "language": e.language,
            "section": e.section,
            "encoding": e.encoding,
            "reduced": e.reduced,
            "text": e.text,
        });
        let mut s = super::json_out(&doc, true);
        s.push('\n');
        return s;
    }
    let mut out = String::new();
    let line = |k: &str, v: Option<&str>, out: &mut String| {
        writeln!(out, "{k:<14} {}", shown(v.unwrap_or("-"))).ok();
    };
    line("kind", Some(&format!("{kind:?}").to_lowercase()), &mut out);
    line("title", e.title.as_deref(), &mut out);
    line("subtitle", e.subtitle.as_deref(), &mut out);
    line(
        "authors",
        Some(&e.authors.join("; "))
            .filter(|s| !s.is_empty())
            .map(|s| s.as_str()),
        &mut out,
    );
    line("publisher", e.publisher.as_deref(), &mut out);
    line("published", e.published_raw.as_deref(), &mut out);
    line("section", e.section.as_deref(), &mut out);
    line("language", e.language.as_deref(), &mut out);
    line("original url", e.original_url.as_deref(), &mut out);
    line("canonical url", e.canonical_url.as_deref(), &mut out);
    line("encoding", Some(&e.encoding), &mut out);
    if let Some(r) = &e.reduced {
        line("reduced", Some(r), &mut out);
    }
    // The text is the page's, not the tool's: indented, so that none of
    // its lines can pass for one of the lines above.
    writeln!(out, "text").ok();
    out.push_str(&display::block(&e.text, "  "));
    out
}

/// The output of `compare`.
pub fn comparison(
    original: &std::path::Path,
    repost: &std::path::Path,
    original_id: &str,
    repost_id: &str,
    original_text: &str,
    c: &provseal::compare::Comparison,
    json: bool,
) -> String {
    if json {
        let doc = json!({
            "original": { "path": original.display().to_string(), "bundle_id": original_id },
            "repost": { "path": repost.display().to_string(), "bundle_id": repost_id },
            "comparison": c,
        });
        let mut s = super::json_out(&doc, true);
        s.push('\n');
        return s;
    }
    let mut out = String::new();
    writeln!(out, "original  {} ({original_id})", display::path(original)).ok();
    writeln!(out, "repost    {} ({repost_id})", display::path(repost)).ok();
    writeln!(
        out,
        "relation  {} (similarity {:.3}; {} words in the original, {} in the repost)",
        c.relation.as_str(),
        c.similarity,
        c.original_words,
        c.repost_words
    )
    .ok();
    if !c.passages.is_empty() {
        writeln!(
            out,
            "differences ([-only in the original-] {{+only in the repost+}})"
        )
        .ok();
        out.push_str(&display::block(
            &provseal::compare::render_diff(original_text, c),
            "  ",
        ));
    }
    out
}

/// One line for a repost's relation: `prefix`, the repost's URL, then
/// [`relation_line`].
pub(super) fn relation_row(prefix: &str, r: &provseal::format::manifest::RepostRelation) -> String {
    format!(
        "{prefix}{}: {}\n",
        display::url_with_note(&r.repost_url),
        relation_line(r)
    )
}

fn relation_line(r: &provseal::format::manifest::RepostRelation) -> String {
    format!(
        "{} relative to the original {} (similarity {:.1}%; {} and {} words)",
        r.relation.as_str(),
        display::url_with_note(&r.original_url),
        r.similarity_permille as f64 / 10.0,
        r.repost_words,
        r.original_words
    )
}

/// A rate for a progress bar, rounded as a person reads it: `370 B/s`,
/// `4.2 MiB/s`, `12 MiB/s` (no figure has more than three digits).
pub fn rounded_rate(bytes_per_sec: f64) -> String {
    let mut v = if bytes_per_sec.is_finite() {
        bytes_per_sec.max(0.0)
    } else {
        0.0
    };
    let mut unit = 0;
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    while v >= 999.5 && unit + 1 < UNITS.len() {
        v /= 1024.0;
        unit += 1;
    }
    if v < 9.95 && unit > 0 {
        format!("{v:.1} {}/s", UNITS[unit])
    } else {
        format!("{v:.0} {}/s", UNITS[unit])
    }
}

/// A count per second, rounded: `370/s`, `4.2/s`.
pub fn rounded_count_rate(per_sec: f64) -> String {
    let v = if per_sec.is_finite() {
        per_sec.max(0.0)
    } else {
        0.0
    };
    if v < 9.95 {
        format!("{v:.1}/s")
    } else {
        format!("{v:.0}/s")
    }
}

#[cfg(test)]
mod rate_tests {
    use super::*;

    #[test]
    fn rates_are_rounded_to_at_most_three_digits() {
        assert_eq!(rounded_rate(370.4), "370 B/s");
        assert_eq!(rounded_rate(4.2 * 1024.0 * 1024.0), "4.2 MiB/s");
        assert_eq!(rounded_rate(123.456 * 1024.0 * 1024.0), "123 MiB/s");
        assert_eq!(rounded_rate(f64::NAN), "0 B/s");
        assert_eq!(rounded_count_rate(370.6), "371/s");
        assert_eq!(rounded_count_rate(4.24), "4.2/s");
    }
}
