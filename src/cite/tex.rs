//! BibLaTeX (`@article` with `entrysubtype = {magazine}`, the biblatex
//! manual's type for newspaper articles) and classic BibTeX (`@misc`, for
//! `plain` and `natbib`).

use std::fmt::Write as _;

use super::CiteSource;
use super::names::{is_corporate, split_name};

/// Escapes LaTeX's special characters in a field value. Braces become
/// `\textbraceleft{}` and `\textbraceright{}`: BibTeX and biber count
/// every brace, escaped or not, to find where a field ends, so a `\}`
/// would end the field and let the rest of a title write fields of its
/// own. Every brace this writes is balanced.
pub(super) fn latex_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '{' => out.push_str("\\textbraceleft{}"),
            '}' => out.push_str("\\textbraceright{}"),
            '#' | '$' | '%' | '&' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            _ => out.push(c),
        }
    }
    out
}

/// Braces words with two or more capitals (acronyms such as "NK") so that
/// styles that change case leave them alone.
fn protect_acronyms(escaped: &str) -> String {
    escaped
        .split(' ')
        .map(|w| {
            if w.chars().filter(|c| c.is_uppercase()).count() >= 2 && !w.contains('\\') {
                format!("{{{w}}}")
            } else {
                w.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// URLs go into verbatim fields; only characters that would end the field or
/// start a comment are escaped, and a backslash, which could escape the
/// closing brace of `\url{}`, is percent-encoded as a URL allows.
fn latex_url(u: &str) -> String {
    u.replace('\\', "%5C")
        .replace('%', "\\%")
        .replace('{', "%7B")
        .replace('}', "%7D")
}

/// A name, escaped for a name list. `=` is braced, since biber reads
/// `given=…` in a name as its extended name format.
fn name_escape(s: &str) -> String {
    latex_escape(s).replace('=', "{=}")
}

/// Whether a name part would be split by BibTeX or biber: at a comma
/// (biber also skips the whole entry of a name with more than two), or at
/// the word "and" (a second person).
fn splits(part: &str) -> bool {
    part.contains(',')
        || part
            .split_whitespace()
            .any(|w| w.eq_ignore_ascii_case("and"))
}

/// A BibLaTeX name list: people as "Family, Given", organisations braced
/// whole so that they are not split into given and family names, and so is
/// any name whose parts a reader would split.
fn name_list(authors: &[String]) -> String {
    authors
        .iter()
        .map(|n| {
            let (family, given) = split_name(n);
            if is_corporate(n) || splits(&family) || splits(&given) {
                format!("{{{}}}", name_escape(n))
            } else {
                format!("{}, {}", name_escape(&family), name_escape(&given))
            }
        })
        .collect::<Vec<_>>()
        .join(" and ")
}

/// The evidence, as LaTeX: URLs in `\url{}`, the rest escaped.
fn evidence(src: &CiteSource) -> String {
    let mut out = String::new();
    let reposts = src.reposts();
    if !reposts.is_empty() {
        let urls: Vec<String> = reposts
            .iter()
            .map(|u| format!("\\url{{{}}}", latex_url(u)))
            .collect();
        write!(out, "Reposted at {}", urls.join(", ")).ok();
        if let Some(r) = src.manifest.relations.first() {
            write!(
                out,
                " ({}, {:.1}\\% similar to the original)",
                r.relation.as_str(),
                r.similarity_permille as f64 / 10.0
            )
            .ok();
        }
        out.push_str(". ");
    }
    write!(
        out,
        "Captured {} (UTC). Evidence bundle {}",
        latex_escape(src.captured()),
        latex_escape(src.bundle_id)
    )
    .ok();
    if let Some(h) = src.source_sha256() {
        write!(out, " (source SHA-256 {h})").ok();
    }
    out.push_str(&src.signed_by(latex_escape));
    out
}

fn entry(kind: &str, key: &str, fields: Vec<(&str, String)>) -> String {
    let mut out = format!("@{kind}{{{key},\n");
    for (k, v) in fields {
        writeln!(out, "  {k} = {{{v}}},").ok();
    }
    out.push_str("}\n");
    out
}

/// BibLaTeX. A signed article is `@article` with `entrysubtype =
/// {magazine}`; an unsigned one is `@online` with the outlet as
/// `organization`, since biblatex's data model requires an author for
/// `@article` and provseal does not make one up. With no publication date
/// the entry has no `date`: biber's data-model check then reports that one
/// missing field, which is the truth.
pub(super) fn biblatex(src: &CiteSource) -> String {
    let a = &src.manifest.article;
    let article = !a.authors.is_empty() && a.publisher.is_some();
    let mut fields: Vec<(&str, String)> = Vec::new();
    if article {
        fields.push(("entrysubtype", "magazine".into()));
    }
    if !a.authors.is_empty() {
        fields.push(("author", name_list(&a.authors)));
    }
    fields.push(("title", protect_acronyms(&latex_escape(&a.title))));
    if let Some(p) = &a.publisher {
        let key = if article {
            "journaltitle"
        } else {
            "organization"
        };
        fields.push((key, format!("{{{}}}", latex_escape(p))));
    }
    if let Some(d) = src.published_day() {
        fields.push(("date", d.into()));
    }
    if let Some(l) = a.language.as_deref().and_then(langid) {
        fields.push(("langid", l.into()));
    }
    if let Some(u) = src.work_url() {
        fields.push(("url", latex_url(u)));
    }
    fields.push(("urldate", src.captured_day().into()));
    fields.push(("eprinttype", "sha256".into()));
    fields.push(("eprint", src.bundle_hex().into()));
    fields.push(("addendum", evidence(src)));
    entry(
        if article { "article" } else { "online" },
        &src.key(),
        fields,
    )
}

/// Classic BibTeX `@misc`, which `plain`, `alpha` and `natbib` styles all
/// print: the outlet and URL in `howpublished`, the access date and the
/// evidence in `note`.
pub(super) fn bibtex(src: &CiteSource) -> String {
    let a = &src.manifest.article;
    let mut fields: Vec<(&str, String)> = Vec::new();
    if !a.authors.is_empty() {
        fields.push(("author", name_list(&a.authors)));
    }
    fields.push(("title", protect_acronyms(&latex_escape(&a.title))));
    let mut how = a
        .publisher
        .as_deref()
        .map(|p| format!("{{{}}}", latex_escape(p)))
        .unwrap_or_default();
    if let Some(u) = src.work_url() {
        if !how.is_empty() {
            how.push_str(", ");
        }
        write!(how, "\\url{{{}}}", latex_url(u)).ok();
    }
    if !how.is_empty() {
        fields.push(("howpublished", how));
    }
    if let Some(d) = src.published_day() {
        fields.push(("year", d[..4].into()));
        if let Some(m) = d.get(5..7).and_then(|m| m.parse::<usize>().ok()) {
            // BibTeX month macros are written bare, so they are added below.
            fields.push(("month", MONTHS[(m - 1).min(11)].into()));
        }
    }
    if let Some(u) = src.work_url() {
        fields.push(("url", latex_url(u)));
    }
    fields.push((
        "note",
        format!("Accessed {}. {}", src.captured_day(), evidence(src)),
    ));
    let mut out = entry("misc", &src.key(), fields);
    for m in MONTHS {
        out = out.replace(&format!("month = {{{m}}}"), &format!("month = {m}"));
    }
    out
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// The babel/polyglossia language name for a BCP 47 tag, for the languages
/// that both know by these names; others are left out rather than guessed.
fn langid(tag: &str) -> Option<&'static str> {
    let primary = tag.split(['-', '_']).next()?.to_ascii_lowercase();
    Some(match primary.as_str() {
        "en" => "english",
        "de" => "german",
        "fr" => "french",
        "es" => "spanish",
        "it" => "italian",
        "pt" => "portuguese",
        "nl" => "dutch",
        "pl" => "polish",
        "ru" => "russian",
        "uk" => "ukrainian",
        "cs" => "czech",
        "sv" => "swedish",
        "da" => "danish",
        "fi" => "finnish",
        "ko" => "korean",
        "ja" => "japanese",
        "zh" => "chinese",
        "ar" => "arabic",
        "tr" => "turkish",
        "el" => "greek",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latex_escaping_and_acronyms() {
        assert_eq!(latex_escape("50% & #1_a"), "50\\% \\& \\#1\\_a");
        assert_eq!(
            latex_escape("x}, note = {y"),
            "x\\textbraceright{}, note = \\textbraceleft{}y"
        );
        assert_eq!(
            name_list(&[
                "Tom and Jerry".into(),
                "Ann Lee".into(),
                "Lee, Jr., X".into()
            ]),
            "{Tom and Jerry} and Lee, Ann and {Lee, Jr., X}"
        );
        assert_eq!(name_list(&["Ann given=Evil".into()]), "given{=}Evil, Ann");
        assert_eq!(
            protect_acronyms("NK calls defectors"),
            "{NK} calls defectors"
        );
        assert_eq!(
            latex_url("http://x/?a=1%20&b={c}"),
            "http://x/?a=1\\%20&b=%7Bc%7D"
        );
        assert_eq!(langid("en-GB"), Some("english"));
        assert_eq!(langid("xx"), None);
    }
}
