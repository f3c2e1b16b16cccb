//! Citation records for a verified bundle: CSL-JSON, BibLaTeX, RIS and one
//! human sentence. Each cites the original article as the work and carries
//! the evidence: original URL, repost URL(s), capture time (UTC), the source
//! hash, the bundle id and the signer's key id.

use std::fmt::Write as _;
use std::str::FromStr;

use serde_json::{Value, json};

use crate::manifest::{FileRole, Manifest, UrlRole};

/// Archive name recorded in CSL-JSON `archive` and RIS `DB` by default.
pub const DEFAULT_ARCHIVE: &str = "provseal evidence bundle";

/// A citation output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// CSL-JSON, for Zotero, Pandoc and citeproc engines.
    CslJson,
    /// BibLaTeX.
    Biblatex,
    /// RIS, with CRLF line endings.
    Ris,
    /// One human sentence.
    Text,
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "csl-json" => Ok(Format::CslJson),
            "biblatex" => Ok(Format::Biblatex),
            "ris" => Ok(Format::Ris),
            "text" => Ok(Format::Text),
            other => Err(format!(
                "unknown citation format {other:?} (csl-json, biblatex, ris, text)"
            )),
        }
    }
}

/// What a citation is made from: the verified manifest and its bundle id.
#[derive(Debug, Clone, Copy)]
pub struct CiteSource<'a> {
    /// The verified manifest.
    pub manifest: &'a Manifest,
    /// `sha256:` of the manifest bytes.
    pub bundle_id: &'a str,
    /// Archive name for CSL `archive` and RIS `DB`.
    pub archive: &'a str,
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
            "Captured {} (UTC). Evidence bundle {}",
            self.captured(),
            self.bundle_id
        )
        .ok();
        if let Some(h) = self.source_sha256() {
            write!(s, " (source SHA-256 {h})").ok();
        }
        match self.key_id() {
            Some(k) => write!(s, ", signed by Ed25519 key {k}.").ok(),
            None => write!(s, ", unsigned.").ok(),
        };
        s
    }
}

/// Renders one citation.
pub fn render(format: Format, src: &CiteSource) -> String {
    match format {
        Format::CslJson => {
            let mut s =
                serde_json::to_string_pretty(&csl_json(src)).expect("JSON values serialise");
            s.push('\n');
            s
        }
        Format::Biblatex => biblatex(src),
        Format::Ris => ris(src),
        Format::Text => text(src),
    }
}

/// Words that mark a corporate author, cited as one literal name.
const CORPORATE: [&str; 12] = [
    "staff",
    "desk",
    "editorial",
    "news",
    "agency",
    "team",
    "service",
    "reporters",
    "bureau",
    "press",
    "newsroom",
    "board",
];

fn is_corporate(name: &str) -> bool {
    let words: Vec<String> = name.split_whitespace().map(str::to_lowercase).collect();
    words.len() < 2 || words.iter().any(|w| CORPORATE.contains(&w.as_str()))
}

/// Splits "Given Names Family" into (family, given).
fn split_name(name: &str) -> (String, String) {
    let mut words: Vec<&str> = name.split_whitespace().collect();
    let family = words.pop().unwrap_or_default().to_string();
    (family, words.join(" "))
}

fn date_parts(day: &str) -> Option<Value> {
    let mut it = day.split('-').map(|p| p.parse::<u32>().ok());
    let (y, m, d) = (it.next()??, it.next()??, it.next()??);
    Some(json!({ "date-parts": [[y, m, d]] }))
}

/// The CSL-JSON array (one item) for a bundle.
pub fn csl_json(src: &CiteSource) -> Value {
    let a = &src.manifest.article;
    let mut item = serde_json::Map::new();
    item.insert("id".into(), json!(src.key()));
    let kind = if a.publisher.is_some() {
        "article-newspaper"
    } else {
        "webpage"
    };
    item.insert("type".into(), json!(kind));
    item.insert("title".into(), json!(a.title));
    if let Some(p) = &a.publisher {
        item.insert("container-title".into(), json!(p));
    }
    if let Some(s) = &a.section {
        item.insert("section".into(), json!(s));
    }
    if !a.authors.is_empty() {
        let authors: Vec<Value> = a
            .authors
            .iter()
            .map(|n| {
                if is_corporate(n) {
                    json!({ "literal": n })
                } else {
                    let (family, given) = split_name(n);
                    json!({ "family": family, "given": given })
                }
            })
            .collect();
        item.insert("author".into(), Value::Array(authors));
    }
    match (src.published_day().and_then(date_parts), &a.published) {
        (Some(d), _) => {
            item.insert("issued".into(), d);
        }
        (None, Some(p)) => {
            item.insert("issued".into(), json!({ "raw": p.raw }));
        }
        (None, None) => {}
    }
    if let Some(d) = date_parts(src.captured_day()) {
        item.insert("accessed".into(), d);
    }
    if let Some(u) = src.work_url() {
        item.insert("URL".into(), json!(u));
    }
    if let Some(l) = &a.language {
        item.insert("language".into(), json!(l));
    }
    item.insert("archive".into(), json!(src.archive));
    item.insert("archive_location".into(), json!(src.bundle_id));
    item.insert("note".into(), json!(src.evidence_sentence()));
    item.insert(
        "custom".into(),
        json!({
            "original_url": src.original(),
            "repost_urls": src.reposts(),
            "captured_at": src.captured(),
            "source_sha256": src.source_sha256(),
            "bundle_id": src.bundle_id,
            "signer_key_id": src.key_id(),
        }),
    );
    Value::Array(vec![Value::Object(item)])
}

/// Escapes LaTeX's special characters in a field value.
fn latex_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '{' | '}' | '#' | '$' | '%' | '&' | '_' => {
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
/// start a comment are escaped.
fn latex_url(u: &str) -> String {
    u.replace('%', "\\%")
        .replace('{', "%7B")
        .replace('}', "%7D")
}

fn biblatex(src: &CiteSource) -> String {
    let a = &src.manifest.article;
    let mut fields: Vec<(&str, String)> = vec![("entrysubtype", "magazine".into())];
    if !a.authors.is_empty() {
        let names: Vec<String> = a
            .authors
            .iter()
            .map(|n| {
                if is_corporate(n) {
                    format!("{{{}}}", latex_escape(n))
                } else {
                    let (family, given) = split_name(n);
                    format!("{}, {}", latex_escape(&family), latex_escape(&given))
                }
            })
            .collect();
        fields.push(("author", names.join(" and ")));
    }
    fields.push(("title", protect_acronyms(&latex_escape(&a.title))));
    if let Some(s) = &a.subtitle {
        fields.push(("subtitle", protect_acronyms(&latex_escape(s))));
    }
    if let Some(p) = &a.publisher {
        fields.push(("journaltitle", format!("{{{}}}", latex_escape(p))));
    }
    if let Some(d) = src.published_day() {
        fields.push(("date", d.into()));
    }
    if let Some(l) = &a.language {
        fields.push(("langid", latex_escape(l)));
    }
    if let Some(u) = src.work_url() {
        fields.push(("url", latex_url(u)));
    }
    fields.push(("urldate", src.captured_day().into()));
    fields.push(("eprinttype", "sha256".into()));
    fields.push(("eprint", src.bundle_hex().into()));
    let mut addendum = String::new();
    let reposts = src.reposts();
    if !reposts.is_empty() {
        let urls: Vec<String> = reposts
            .iter()
            .map(|u| format!("\\url{{{}}}", latex_url(u)))
            .collect();
        write!(addendum, "Reposted at {}. ", urls.join(", ")).ok();
    }
    write!(
        addendum,
        "Captured {} (UTC). Evidence bundle {}",
        latex_escape(src.captured()),
        latex_escape(src.bundle_id)
    )
    .ok();
    if let Some(h) = src.source_sha256() {
        write!(addendum, " (source SHA-256 {h})").ok();
    }
    match src.key_id() {
        Some(k) => write!(addendum, ", signed by Ed25519 key {}.", latex_escape(k)).ok(),
        None => write!(addendum, ", unsigned.").ok(),
    };
    fields.push(("addendum", addendum));
    let mut out = format!("@article{{{},\n", src.key());
    for (k, v) in fields {
        writeln!(out, "  {k} = {{{v}}},").ok();
    }
    out.push_str("}\n");
    out
}

fn ris_line(out: &mut String, tag: &str, value: &str) {
    let one_line = crate::normalize::collapse_ws(value);
    if !one_line.is_empty() {
        out.push_str(&format!("{tag}  - {one_line}\r\n"));
    }
}

fn ris(src: &CiteSource) -> String {
    let a = &src.manifest.article;
    let mut out = String::new();
    ris_line(&mut out, "TY", "NEWS");
    ris_line(&mut out, "TI", &a.title);
    if let Some(p) = &a.publisher {
        ris_line(&mut out, "T2", p);
        ris_line(&mut out, "PB", p);
    }
    for n in &a.authors {
        if is_corporate(n) {
            ris_line(&mut out, "AU", n);
        } else {
            let (family, given) = split_name(n);
            ris_line(&mut out, "AU", &format!("{family}, {given}"));
        }
    }
    if let Some(d) = src.published_day() {
        ris_line(&mut out, "DA", &d.replace('-', "/"));
        ris_line(&mut out, "PY", &d[..4]);
    }
    if let Some(s) = &a.section {
        ris_line(&mut out, "SE", s);
    }
    if let Some(u) = src.work_url() {
        ris_line(&mut out, "UR", u);
    }
    ris_line(&mut out, "Y2", &src.captured_day().replace('-', "/"));
    ris_line(&mut out, "DB", src.archive);
    ris_line(&mut out, "AN", src.bundle_id);
    if let Some(l) = &a.language {
        ris_line(&mut out, "LA", l);
    }
    ris_line(&mut out, "N1", &src.evidence_sentence());
    out.push_str("ER  - \r\n");
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
        Some(p) => write!(s, ", {}.", p.value.as_deref().unwrap_or(&p.raw)).ok(),
        None => write!(s, ".").ok(),
    };
    writeln!(s, " {}", src.evidence_sentence()).ok();
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_split_and_corporate_authors_stay_whole() {
        assert_eq!(split_name("Ann B. Lee"), ("Lee".into(), "Ann B.".into()));
        assert!(is_corporate("Daily NK Staff"));
        assert!(is_corporate("Reuters"));
        assert!(!is_corporate("Ann Lee"));
    }

    #[test]
    fn latex_escaping_and_acronyms() {
        assert_eq!(latex_escape("50% & #1_a"), "50\\% \\& \\#1\\_a");
        assert_eq!(
            protect_acronyms("NK calls defectors"),
            "{NK} calls defectors"
        );
        assert_eq!(
            latex_url("http://x/?a=1%20&b={c}"),
            "http://x/?a=1\\%20&b=%7Bc%7D"
        );
    }

    #[test]
    fn formats_parse() {
        assert_eq!("ris".parse::<Format>(), Ok(Format::Ris));
        assert!("apa".parse::<Format>().is_err());
    }
}
