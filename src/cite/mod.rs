//! Citation records for a verified bundle, in the formats researchers'
//! tools read: CSL-JSON, BibLaTeX, BibTeX, RIS, Chicago, APA, MLA and
//! Bluebook text, Robust Links HTML, and one plain evidence sentence.
//!
//! Each cites the original article as the work (its URL, not the repost's)
//! and carries the evidence in machine fields and in words: the original
//! URL, the URL(s) where the copy was captured, the capture time in UTC,
//! the source's SHA-256 and the bundle id, and the signer's key id. Nothing
//! is made up: a field the bundle does not record is left out, and each
//! style's own rule for a missing author or date applies.

mod bluebook;
mod csl;
mod evidence;
mod names;
mod ris;
mod robust;
mod styles;
mod tex;
mod title_case;
mod verified;

use std::fmt::Write as _;
use std::str::FromStr;

pub use csl::csl_json;
pub(crate) use evidence::{Dates, evidence_clause};
pub use verified::{NotCited, Style, from_report};

use crate::format::manifest::{FileRole, Manifest, UrlRole};

/// Archive name recorded in CSL-JSON `archive` and RIS `DB` by default.
pub const DEFAULT_ARCHIVE: &str = "provseal evidence bundle";

/// A citation output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// CSL-JSON (an array of one item), for Zotero, Pandoc and citeproc
    /// engines.
    CslJson,
    /// BibLaTeX: `@article` with `entrysubtype = {magazine}`.
    Biblatex,
    /// Classic BibTeX `@misc`, for `plain` and `natbib`.
    Bibtex,
    /// RIS (`TY  - NEWS`), with CRLF line endings.
    Ris,
    /// Chicago notes and bibliography: the note form, then the
    /// bibliography form, one per line.
    Chicago,
    /// APA 7th edition reference-list entry.
    Apa,
    /// MLA 9th edition works-cited entry.
    Mla,
    /// Bluebook citation of an online newspaper article.
    Bluebook,
    /// Robust Links: an HTML snippet whose links carry
    /// `data-originalurl`, `data-versiondate` and, given a public URL for
    /// the bundle, `data-versionurl`.
    RobustLinks,
    /// One plain sentence with the work and all the evidence.
    Text,
}

impl Format {
    /// Every format, in the order `all` prints them.
    pub const ALL: [Format; 10] = [
        Format::CslJson,
        Format::Biblatex,
        Format::Bibtex,
        Format::Ris,
        Format::Chicago,
        Format::Apa,
        Format::Mla,
        Format::Bluebook,
        Format::RobustLinks,
        Format::Text,
    ];

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::CslJson => "csl-json",
            Format::Biblatex => "biblatex",
            Format::Bibtex => "bibtex",
            Format::Ris => "ris",
            Format::Chicago => "chicago",
            Format::Apa => "apa",
            Format::Mla => "mla",
            Format::Bluebook => "bluebook",
            Format::RobustLinks => "robust-links",
            Format::Text => "text",
        }
    }

    /// The heading `all` gives the format.
    pub fn title(self) -> &'static str {
        match self {
            Format::CslJson => "CSL-JSON",
            Format::Biblatex => "BibLaTeX",
            Format::Bibtex => "BibTeX",
            Format::Ris => "RIS",
            Format::Chicago => "Chicago (notes and bibliography)",
            Format::Apa => "APA (7th edition)",
            Format::Mla => "MLA (9th edition)",
            Format::Bluebook => "Bluebook",
            Format::RobustLinks => "Robust Links",
            Format::Text => "Evidence sentence",
        }
    }

    /// The file `all --out-dir` writes the format to.
    pub fn file_name(self, markup: Markup) -> &'static str {
        let html = markup == Markup::Html;
        match self {
            Format::CslJson => "citation.csl.json",
            Format::Biblatex => "citation.biblatex.bib",
            Format::Bibtex => "citation.bibtex.bib",
            Format::Ris => "citation.ris",
            Format::Chicago if html => "citation.chicago.html",
            Format::Chicago => "citation.chicago.txt",
            Format::Apa if html => "citation.apa.html",
            Format::Apa => "citation.apa.txt",
            Format::Mla if html => "citation.mla.html",
            Format::Mla => "citation.mla.txt",
            Format::Bluebook if html => "citation.bluebook.html",
            Format::Bluebook => "citation.bluebook.txt",
            Format::RobustLinks => "citation.robust-links.html",
            Format::Text => "citation.txt",
        }
    }

    /// Whether `--html` changes the output (italics as `<i>`).
    pub fn has_markup(self) -> bool {
        matches!(
            self,
            Format::Chicago | Format::Apa | Format::Mla | Format::Bluebook
        )
    }
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Format::ALL
            .into_iter()
            .find(|f| f.name() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
                format!("unknown citation format {s:?} ({})", names.join(", "))
            })
    }
}

/// How human styles mark italics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Markup {
    /// Plain text: italics dropped.
    #[default]
    Plain,
    /// HTML: italics as `<i>`, text escaped.
    Html,
}

/// What a citation is made from: the verified manifest and its bundle id.
/// Get one from a verification report with [`from_report`], which refuses
/// a report that did not pass; building one by hand from a manifest is for
/// rendering a manifest already known to be good.
#[derive(Debug, Clone, Copy)]
pub struct CiteSource<'a> {
    /// The verified manifest.
    pub manifest: &'a Manifest,
    /// `sha256:` of the manifest bytes.
    pub bundle_id: &'a str,
    /// Archive name for CSL `archive` and RIS `DB`.
    pub archive: &'a str,
    /// Where the bundle itself is published, if anywhere; Robust Links
    /// give it as `data-versionurl`.
    pub public_url: Option<&'a str>,
    /// The signer's name, when the verifier's trust store names its key
    /// (never anything the bundle says).
    pub signer_name: Option<&'a str>,
    /// Human styles give the source's SHA-256 and the signer's full key id
    /// too (by default they give the bundle id in full, which leads to
    /// both, and a short key id).
    pub full_evidence: bool,
}

impl<'a> CiteSource<'a> {
    fn original(&self) -> Option<&'a str> {
        self.manifest.original_url()
    }
    fn reposts(&self) -> Vec<&'a str> {
        self.manifest.url_of(UrlRole::Repost).collect()
    }
    /// The URL the work is cited at: the original, else the first repost.
    fn work_url(&self) -> Option<&'a str> {
        self.original().or_else(|| self.reposts().first().copied())
    }
    fn source_sha256(&self) -> Option<&'a str> {
        self.manifest
            .file_with_role(FileRole::Source)
            .map(|f| f.sha256.as_str())
    }
    fn key_id(&self) -> Option<&'a str> {
        self.manifest.signer.as_ref().map(|s| s.key_id.as_str())
    }
    /// The end of every evidence clause: who signed, by name when the
    /// trust store gives one, and with which key.
    fn signed_by(&self, escape: impl Fn(&str) -> String) -> String {
        match (self.key_id(), self.signer_name) {
            (Some(k), Some(name)) => {
                format!(", signed by {} (Ed25519 key {}).", escape(name), escape(k))
            }
            (Some(k), None) => format!(", signed by Ed25519 key {}.", escape(k)),
            (None, _) => ", unsigned.".into(),
        }
    }
    fn captured(&self) -> &'a str {
        &self.manifest.capture.captured_at
    }
    fn captured_day(&self) -> &'a str {
        self.captured().get(..10).unwrap_or(self.captured())
    }
    fn published_day(&self) -> Option<&'a str> {
        let v = self.manifest.article.published.as_ref()?.value.as_deref()?;
        v.get(..10)
    }
    fn bundle_hex(&self) -> &'a str {
        self.bundle_id
            .strip_prefix("sha256:")
            .unwrap_or(self.bundle_id)
    }
    fn key(&self) -> String {
        format!(
            "provseal-{}",
            &self.bundle_hex()[..self.bundle_hex().len().min(12)]
        )
    }

    /// The evidence clause shared by every format.
    pub fn evidence_sentence(&self) -> String {
        let mut s = String::new();
        match self.original() {
            Some(o) => write!(s, "Original: {o}. ").ok(),
            None => write!(s, "Original URL not recorded. ").ok(),
        };
        let reposts = self.reposts();
        if !reposts.is_empty() {
            write!(s, "Reposted at {}. ", reposts.join(", ")).ok();
        }
        for r in &self.manifest.relations {
            write!(
                s,
                "The copy at {} is {} relative to the original (similarity {:.1}%). ",
                r.repost_url,
                r.relation.as_str(),
                r.similarity_permille as f64 / 10.0
            )
            .ok();
        }
        write!(
            s,
            // In words for a reader, then exact, as the machine formats
            // that carry this sentence need it.
            "Captured {} ({}). Evidence bundle {}",
            evidence::when(self.captured(), Dates::Long),
            self.captured(),
            self.bundle_id
        )
        .ok();
        if let Some(h) = self.source_sha256() {
            write!(s, " (source SHA-256 {h})").ok();
        }
        s.push_str(&self.signed_by(str::to_string));
        s
    }
}

/// The manifest as every format but CSL-JSON shows it: each text value
/// through the one sanitiser ([`crate::display`]), so that a line break
/// cannot start a RIS tag or a heading and an escape cannot reach a
/// screen, and each URL whose host could pass for another name in its
/// punycode form. CSL-JSON, a machine format, keeps the values exact; its
/// serialiser escapes them.
fn shown_manifest(m: &Manifest) -> Manifest {
    fn walk(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::String(s) => {
                let shown = if s.starts_with("http://") || s.starts_with("https://") {
                    crate::display::url(s).text
                } else {
                    crate::display::inline(s).into_owned()
                };
                *s = shown;
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(walk),
            serde_json::Value::Object(map) => map.values_mut().for_each(walk),
            _ => {}
        }
    }
    let Ok(mut v) = serde_json::to_value(m) else {
        return m.clone();
    };
    walk(&mut v);
    serde_json::from_value(v).unwrap_or_else(|_| m.clone())
}

/// Renders one citation. Human styles honour `markup`; the other formats
/// ignore it.
pub fn render(format: Format, src: &CiteSource, markup: Markup) -> String {
    if format != Format::CslJson {
        let manifest = shown_manifest(src.manifest);
        let archive = crate::display::inline(src.archive);
        let public_url = src.public_url.map(|u| crate::display::url(u).text);
        let signer_name = src.signer_name.map(crate::display::inline);
        let shown = CiteSource {
            manifest: &manifest,
            bundle_id: src.bundle_id,
            archive: &archive,
            public_url: public_url.as_deref(),
            signer_name: signer_name.as_deref(),
            full_evidence: src.full_evidence,
        };
        return render_exact(format, &shown, markup);
    }
    render_exact(format, src, markup)
}

fn render_exact(format: Format, src: &CiteSource, markup: Markup) -> String {
    let mut out = match format {
        Format::CslJson => crate::display::json_text(
            &serde_json::to_string_pretty(&csl_json(src)).expect("JSON values serialise"),
        )
        .into_owned(),
        Format::Biblatex => tex::biblatex(src),
        Format::Bibtex => tex::bibtex(src),
        Format::Ris => return ris::ris(src),
        Format::Chicago => styles::chicago(src, markup),
        Format::Apa => styles::apa(src, markup),
        Format::Mla => styles::mla(src, markup),
        Format::Bluebook => bluebook::bluebook(src, markup),
        Format::RobustLinks => robust::robust_links(src),
        Format::Text => text(src),
    };
    if matches!(
        format,
        Format::Chicago | Format::Apa | Format::Mla | Format::Bluebook | Format::Text
    ) {
        out = evidence::tidy_punctuation(&out);
    }
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// Every format in one document, each under a Markdown heading.
pub fn render_all(src: &CiteSource, markup: Markup) -> String {
    let mut out = String::new();
    for (i, f) in Format::ALL.into_iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        writeln!(out, "## {}\n", f.title()).ok();
        out.push_str(&render(f, src, markup));
    }
    out
}

pub(crate) fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A straight apostrophe between two letters ("O'Neil", "don't") as the
/// typographic one the style guides print, as citeproc-js does. Only names
/// and titles pass through here, never URLs.
pub(crate) fn typographic_apostrophes(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    chars
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            let between_letters = i > 0
                && chars[i - 1].is_alphabetic()
                && chars.get(i + 1).is_some_and(|n| n.is_alphabetic());
            if c == '\'' && between_letters {
                '\u{2019}'
            } else {
                c
            }
        })
        .collect()
}

/// Escapes text for HTML or XML element content and attribute values.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

fn text(src: &CiteSource) -> String {
    let a = &src.manifest.article;
    let mut s = String::new();
    if !a.authors.is_empty() {
        write!(s, "{}. ", a.authors.join(", ").trim_end_matches('.')).ok();
    }
    write!(s, "\u{201c}{}.\u{201d}", a.title.trim_end_matches('.')).ok();
    if let Some(p) = &a.publisher {
        write!(s, " {p}").ok();
    }
    match &a.published {
        Some(p) => write!(
            s,
            ", {}.",
            p.value
                .as_deref()
                .map_or_else(|| p.raw.clone(), evidence::day)
        )
        .ok(),
        None => write!(s, ".").ok(),
    };
    writeln!(s, " {}", src.evidence_sentence()).ok();
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apostrophes_inside_words_become_typographic() {
        assert_eq!(
            typographic_apostrophes("O'Neil's 'quoted' word"),
            "O\u{2019}Neil\u{2019}s 'quoted' word"
        );
    }

    #[test]
    fn formats_parse_by_name() {
        for f in Format::ALL {
            assert_eq!(f.name().parse::<Format>(), Ok(f));
        }
        assert!("harvard".parse::<Format>().is_err());
    }
}
