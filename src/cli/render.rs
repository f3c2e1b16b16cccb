//! Human and JSON renderings of library results.

use std::fmt::Write as _;

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
        let claimed = t.claimed_time.as_deref().unwrap_or("?");
        match t.gen_time {
            Some(g) if t.valid => writeln!(
                out,
                "  timestamp  {} existed by {} (claimed {claimed}); {}, {trust}",
                t.subject,
                g.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
                t.tsa.as_deref().unwrap_or("?"),
            ),
            _ => writeln!(out, "  timestamp  {}: {trust} ({})", t.subject, t.entry),
        }
        .ok();
    }
    if !r.custody.is_empty() {
        writeln!(out, "  custody").ok();
        for e in &r.custody {
            let (Some(time), Some(action), Some(key)) = (&e.time, e.action, &e.actor_key_id) else {
                writeln!(out, "    {}. [BROKEN: unreadable] {}", e.sequence, e.entry).ok();
                continue;
            };
            let who = match (&e.actor_name, e.actor_trusted) {
                (Some(n), Some(true)) => format!("{n} (trusted)"),
                (Some(n), _) => format!("{n} (NOT trusted then)"),
                (None, Some(false)) => format!("{key} (NOT trusted)"),
                (None, Some(true)) => format!("{key} (trusted)"),
                (None, None) => key.clone(),
            };
            let note = e
                .note
                .as_deref()
                .map(|n| format!(": {n}"))
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

/// The human summary of `inspect`.
pub fn inspect(path: &std::path::Path, r: &Report) -> String {
    let mut out = String::new();
    writeln!(out, "{}", path.display()).ok();
    if let Some(id) = &r.bundle_id {
        writeln!(out, "  bundle id   {id}").ok();
    }
    match &r.manifest {
        None => {
            writeln!(out, "  (no readable manifest)").ok();
        }
        Some(m) => {
            let a = &m.article;
            writeln!(out, "  title       {}", a.title).ok();
            let opt = |label: &str, v: &Option<String>, out: &mut String| {
                if let Some(v) = v {
                    writeln!(out, "  {label:<11} {v}").ok();
                }
            };
            opt("subtitle", &a.subtitle, &mut out);
            if !a.authors.is_empty() {
                writeln!(out, "  authors     {}", a.authors.join("; ")).ok();
            }
            opt("publisher", &a.publisher, &mut out);
            opt("section", &a.section, &mut out);
            opt("language", &a.language, &mut out);
            if let Some(p) = &a.published {
                writeln!(
                    out,
                    "  published   {} (as found: {:?})",
                    p.value.as_deref().unwrap_or("?"),
                    p.raw
                )
                .ok();
            }
            for u in &m.urls {
                writeln!(
                    out,
                    "  {:<11} {}",
                    format!("{:?}", u.role).to_lowercase(),
                    u.url
                )
                .ok();
            }
            writeln!(
                out,
                "  captured    {} ({:?}, {} {})",
                m.capture.captured_at,
                m.capture.method,
                m.capture.tool.name,
                m.capture.tool.version
            )
            .ok();
            match &m.signer {
                Some(s) => writeln!(out, "  signer      {} ({})", s.key_id, s.algorithm).ok(),
                None => writeln!(out, "  signer      (unsigned)").ok(),
            };
            for c in &m.copies {
                writeln!(
                    out,
                    "  copy        {} ({}), HTTP {}, files {} {} {}",
                    c.url,
                    format!("{:?}", c.role).to_lowercase(),
                    c.http.status,
                    c.source,
                    c.text,
                    c.warc
                )
                .ok();
            }
            for r in &m.relations {
                writeln!(out, "  relation    {}: {}", r.repost_url, relation_line(r)).ok();
            }
            writeln!(out, "  files").ok();
            for f in &m.files {
                writeln!(
                    out,
                    "    {:<20} {:>9} bytes  {:<8} {}  sha256:{}",
                    f.path,
                    f.size,
                    format!("{:?}", f.role).to_lowercase(),
                    f.media_type,
                    f.sha256
                )
                .ok();
            }
        }
    }
    out.push_str(&appendix_lines(r));
    writeln!(
        out,
        "  (run `provseal verify` for a verdict: {} finding(s) were noted)",
        r.findings
            .iter()
            .filter(|f| f.severity == provseal::Severity::Error)
            .count()
    )
    .ok();
    out
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
            "text": e.text,
        });
        let mut s = serde_json::to_string_pretty(&doc).expect("JSON values serialise");
        s.push('\n');
        return s;
    }
    let mut out = String::new();
    let line = |k: &str, v: Option<&str>, out: &mut String| {
        writeln!(out, "{k:<14} {}", v.unwrap_or("-")).ok();
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
    writeln!(out, "\n{}", e.text).ok();
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
        let mut s = serde_json::to_string_pretty(&doc).expect("JSON values serialise");
        s.push('\n');
        return s;
    }
    let mut out = String::new();
    writeln!(out, "original  {} ({original_id})", original.display()).ok();
    writeln!(out, "repost    {} ({repost_id})", repost.display()).ok();
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
        out.push_str(&provseal::compare::render_diff(original_text, c));
    }
    out
}

pub(super) fn relation_line(r: &provseal::manifest::RepostRelation) -> String {
    format!(
        "{} relative to the original {} (similarity {:.1}%; {} and {} words)",
        r.relation.as_str(),
        r.original_url,
        r.similarity_permille as f64 / 10.0,
        r.repost_words,
        r.original_words
    )
}
