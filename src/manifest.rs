//! The manifest: its types, its one canonical serialisation (spec §5.1), and
//! the strict parser the verifier uses.

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};

use crate::codes::Code;
use crate::digest::Sha256Digest;
use crate::finding::Finding;
use crate::paths;

/// The value of the manifest's `format` field.
pub const FORMAT_ID: &str = "provseal-bundle";
/// The manifest version this crate writes and verifies.
pub const FORMAT_VERSION: u64 = 1;
/// Name of the manifest entry.
pub const MANIFEST_PATH: &str = "manifest.json";
/// Name of the signature entry.
pub const SIGNATURE_PATH: &str = "signature.json";

/// The whole manifest. Field order here is the canonical key order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Always [`FORMAT_ID`].
    pub format: String,
    /// Always [`FORMAT_VERSION`].
    pub version: u64,
    /// What the article says about itself.
    pub article: Article,
    /// The original URL and the reposts, each with its role.
    pub urls: Vec<UrlRecord>,
    /// When and how the capture was made.
    pub capture: Capture,
    /// Every file of the bundle except the manifest and the signature,
    /// sorted by path.
    pub files: Vec<FileEntry>,
    /// Further pages captured with the main one (`capture --also`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub copies: Vec<CopyRecord>,
    /// How each repost captured in the bundle relates to the original.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub relations: Vec<RepostRelation>,
    /// The key that signs the manifest; absent in an unsigned bundle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signer: Option<Signer>,
}

/// Bibliographic metadata of the captured article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Article {
    /// The headline.
    pub title: String,
    /// The deck or second headline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subtitle: Option<String>,
    /// Authors, personal or corporate, as credited.
    pub authors: Vec<String>,
    /// The outlet that published the original.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    /// The outlet's section or category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    /// BCP 47 language tag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// When the original was published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<Published>,
}

/// A publication time: the string as found and, where it could be read, its
/// normalised value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Published {
    /// Exactly as found in the input or given on the command line.
    pub raw: String,
    /// `YYYY-MM-DD`, or an RFC 3339 date-time with its offset as found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// The role a URL plays for the article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UrlRole {
    /// Where the outlet first published the article.
    Original,
    /// Where a copy of it was found.
    Repost,
}

/// One URL with its role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UrlRecord {
    /// An absolute `http` or `https` URL.
    pub url: String,
    /// What this URL is to the article.
    pub role: UrlRole,
}

/// How the capture was made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Capture {
    /// UTC, RFC 3339, `Z` suffix, fractional seconds only when non-zero.
    pub captured_at: String,
    /// How the input reached provseal.
    pub method: CaptureMethod,
    /// The tool that made the bundle.
    pub tool: Tool,
    /// What the server answered, for method `http`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http: Option<HttpCapture>,
}

/// The HTTP exchange behind a capture; the full requests and responses are
/// in the bundle's WARC file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpCapture {
    /// The URL asked for.
    pub requested_url: String,
    /// Each redirect followed, in order.
    pub redirects: Vec<HttpHop>,
    /// The URL of the final response.
    pub final_url: String,
    /// The final response's status code.
    pub status: u16,
    /// The final response's media type, as sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// The character encoding the page was decoded with for extraction.
    pub charset: String,
    /// When the final response arrived (UTC, RFC 3339).
    pub retrieved_at: String,
}

/// One redirect response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpHop {
    /// The URL that answered with a redirect.
    pub url: String,
    /// Its status code (301, 302, 303, 307, 308).
    pub status: u16,
}

/// How the input reached provseal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CaptureMethod {
    /// A file saved by someone else and handed to `pack`.
    LocalFile,
    /// Bytes read from standard input by `pack -`.
    Stdin,
    /// Fetched over HTTP(S) by `capture`.
    Http,
}

/// Name and version of the tool that made a bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tool {
    /// Tool name.
    pub name: String,
    /// Tool version.
    pub version: String,
}

/// What a file is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FileRole {
    /// The in-bundle README for future readers.
    Readme,
    /// The article text, normalised.
    Text,
    /// The input exactly as given.
    Source,
    /// The HTTP requests and responses as WARC/1.1 records.
    Warc,
    /// A file of a further capture, described by a [`CopyRecord`].
    Copy,
}

/// A further page captured in the same bundle: its files and its exchange.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CopyRecord {
    /// The URL requested.
    pub url: String,
    /// Whether it is the original or a repost.
    pub role: UrlRole,
    /// Path of its body, decoded (role `copy`).
    pub source: String,
    /// Path of its extracted text (role `copy`).
    pub text: String,
    /// Path of its WARC records (role `copy`).
    pub warc: String,
    /// What the server answered.
    pub http: HttpCapture,
}

/// How a repost's text relates to the original's (see `compare`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RepostRelation {
    /// The original's URL.
    pub original_url: String,
    /// The repost's URL.
    pub repost_url: String,
    /// `identical`, `same-text-different-markup`, `truncated`, `edited` or
    /// `different`.
    pub relation: crate::compare::Relation,
    /// Share of words in common, in thousandths (integers keep the manifest
    /// free of floating-point spellings).
    pub similarity_permille: u16,
    /// Words in the original's text.
    pub original_words: u64,
    /// Words in the repost's text.
    pub repost_words: u64,
}

/// One listed file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileEntry {
    /// Entry name inside the ZIP.
    pub path: String,
    /// Length in bytes.
    pub size: u64,
    /// Lower-case hex SHA-256 of the bytes.
    pub sha256: String,
    /// IANA media type.
    pub media_type: String,
    /// What the file is for.
    pub role: FileRole,
}

/// The signing key, named inside the signed bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signer {
    /// Always `ed25519`.
    pub algorithm: String,
    /// Standard base64 (with padding) of the 32-byte public key.
    pub public_key: String,
    /// `sha256:` and the hex SHA-256 of the 32 raw public-key bytes.
    pub key_id: String,
}

/// Formats a capture time in the manifest's canonical form.
pub fn format_captured_at(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// The canonical JSON serialisation of spec §5.1, shared by the manifest and
/// the signature envelope: pretty-printed with two-space indentation, keys
/// in declaration order, raw UTF-8, minimal escapes, one final LF.
pub fn canonical_json<T: Serialize>(value: &T) -> Vec<u8> {
    let mut out = serde_json::to_vec_pretty(value)
        .expect("serialising plain structs with string keys cannot fail");
    out.push(b'\n');
    out
}

impl Manifest {
    /// The canonical bytes (spec §5.1): pretty JSON with two-space indent,
    /// keys in schema order, raw UTF-8, minimal escapes, one final LF.
    pub fn to_canonical_bytes(&self) -> Vec<u8> {
        canonical_json(self)
    }

    /// The `captured_at` time, if it is well formed.
    pub fn captured_at(&self) -> Option<DateTime<Utc>> {
        DateTime::parse_from_rfc3339(&self.capture.captured_at)
            .ok()
            .map(|t| t.with_timezone(&Utc))
    }

    /// The URL whose role is `original`, if any.
    pub fn original_url(&self) -> Option<&str> {
        self.url_of(UrlRole::Original).next()
    }

    /// URLs with the given role, in manifest order.
    pub fn url_of(&self, role: UrlRole) -> impl Iterator<Item = &str> {
        self.urls
            .iter()
            .filter(move |u| u.role == role)
            .map(|u| u.url.as_str())
    }

    /// The first file with the given role.
    pub fn file_with_role(&self, role: FileRole) -> Option<&FileEntry> {
        self.files.iter().find(|f| f.role == role)
    }

    /// Parses manifest bytes strictly. Returns the manifest when it could be
    /// read at all, plus every problem found.
    pub fn parse(bytes: &[u8]) -> (Option<Manifest>, Vec<Finding>) {
        let mut problems = Vec::new();
        let text = match std::str::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                problems.push(Finding::new(
                    Code::ManifestInvalid,
                    MANIFEST_PATH,
                    format!("not UTF-8 (invalid byte at offset {})", e.valid_up_to()),
                ));
                return (None, problems);
            }
        };

        // The version gate comes first so that a newer bundle is reported as
        // unsupported rather than as a pile of unknown-field errors.
        #[derive(Deserialize)]
        struct Header {
            format: Option<serde_json::Value>,
            version: Option<serde_json::Value>,
        }
        if let Ok(h) = serde_json::from_str::<Header>(text) {
            let format_ok = h.format.as_ref().and_then(|v| v.as_str()) == Some(FORMAT_ID);
            let version_ok = h.version.as_ref().and_then(|v| v.as_u64()) == Some(FORMAT_VERSION);
            if !format_ok || !version_ok {
                problems.push(Finding::new(
                    Code::UnsupportedVersion,
                    format!("{MANIFEST_PATH}#/format"),
                    format!(
                        "format {} version {} is not {FORMAT_ID} version {FORMAT_VERSION}",
                        h.format.map_or("(missing)".into(), |v| v.to_string()),
                        h.version.map_or("(missing)".into(), |v| v.to_string()),
                    ),
                ));
                return (None, problems);
            }
        }

        let manifest: Manifest = match serde_json::from_str(text) {
            Ok(m) => m,
            Err(e) => {
                problems.push(Finding::new(
                    Code::ManifestInvalid,
                    MANIFEST_PATH,
                    format!("does not match the schema: {e}"),
                ));
                return (None, problems);
            }
        };
        if manifest.to_canonical_bytes() != bytes {
            problems.push(Finding::new(
                Code::ManifestNotCanonical,
                MANIFEST_PATH,
                "the bytes are not the canonical serialisation of the manifest's content",
            ));
        }
        problems.extend(manifest.check_values());
        (Some(manifest), problems)
    }

    /// Checks the value rules that JSON types alone do not express.
    pub fn check_values(&self) -> Vec<Finding> {
        let mut p = Vec::new();
        let invalid = |loc: &str, msg: String| {
            Finding::new(Code::ManifestInvalid, format!("{MANIFEST_PATH}#{loc}"), msg)
        };
        if let Some(l) = &self.article.language
            && !is_language_tag(l)
        {
            p.push(invalid(
                "/article/language",
                format!("{l:?} does not have the shape of a BCP 47 language tag"),
            ));
        }
        let tool = &self.capture.tool;
        if is_blank(&tool.name) || is_blank(&tool.version) {
            p.push(invalid(
                "/capture/tool",
                "the tool's name or version is empty".into(),
            ));
        }
        if is_blank(&self.article.title) {
            p.push(invalid("/article/title", "the title is empty".into()));
        }
        for (i, a) in self.article.authors.iter().enumerate() {
            if is_blank(a) {
                p.push(invalid(
                    &format!("/article/authors/{i}"),
                    "an author is empty".into(),
                ));
            }
        }
        if let Some(v) = self
            .article
            .published
            .as_ref()
            .and_then(|p| p.value.as_ref())
            && !is_published_value(v)
        {
            p.push(invalid(
                "/article/published/value",
                format!("{v:?} is neither YYYY-MM-DD nor an RFC 3339 date-time"),
            ));
        }
        match self.captured_at() {
            Some(t) if format_captured_at(&t) == self.capture.captured_at => {}
            _ => p.push(invalid(
                "/capture/captured_at",
                format!(
                    "{:?} is not a canonical UTC RFC 3339 time",
                    self.capture.captured_at
                ),
            )),
        }
        match (&self.capture.method, &self.capture.http) {
            (CaptureMethod::Http, None) => p.push(invalid(
                "/capture",
                "method http needs the http object".into(),
            )),
            (CaptureMethod::Http, Some(h)) => p.extend(h.check_values("/capture/http")),
            (_, Some(_)) => p.push(invalid(
                "/capture/http",
                "only method http has an http object".into(),
            )),
            (_, None) => {}
        }
        p.extend(self.check_copies());
        let originals = self.url_of(UrlRole::Original).count();
        if originals > 1 {
            p.push(invalid(
                "/urls",
                format!("{originals} URLs have the role original; at most one may"),
            ));
        }
        for (i, u) in self.urls.iter().enumerate() {
            if !is_http_url(&u.url) {
                p.push(invalid(
                    &format!("/urls/{i}/url"),
                    format!("{:?} is not an absolute http(s) URL", u.url),
                ));
            }
        }
        p.extend(self.check_file_list());
        if let Some(s) = &self.signer
            && s.algorithm != "ed25519"
        {
            p.push(invalid(
                "/signer/algorithm",
                format!("{:?} is not ed25519", s.algorithm),
            ));
        }
        p
    }

    /// Copies and relations refer to files and URLs the manifest lists.
    fn check_copies(&self) -> Vec<Finding> {
        let mut p = Vec::new();
        let at = |loc: String| format!("{MANIFEST_PATH}#{loc}");
        if !self.copies.is_empty() && self.capture.method != CaptureMethod::Http {
            p.push(Finding::new(
                Code::ManifestInvalid,
                at("/copies".into()),
                "only a capture over HTTP has copies",
            ));
        }
        let listed =
            |url: &str, role: UrlRole| self.urls.iter().any(|u| u.url == url && u.role == role);
        let mut referenced: Vec<&str> = Vec::new();
        for (i, c) in self.copies.iter().enumerate() {
            if !listed(&c.url, c.role) {
                p.push(Finding::new(
                    Code::ManifestInvalid,
                    at(format!("/copies/{i}/url")),
                    format!("{:?} is not in urls with the role {:?}", c.url, c.role),
                ));
            }
            p.extend(c.http.check_values(&format!("/copies/{i}/http")));
            for path in [&c.source, &c.text, &c.warc] {
                referenced.push(path);
                if !self
                    .files
                    .iter()
                    .any(|f| &f.path == path && f.role == FileRole::Copy)
                {
                    p.push(Finding::new(
                        Code::ManifestFileListInvalid,
                        at(format!("/copies/{i}")),
                        format!("{path:?} is not listed as a file with the role copy"),
                    ));
                }
            }
        }
        for (i, f) in self.files.iter().enumerate() {
            let uses = referenced.iter().filter(|r| **r == f.path).count();
            if (f.role == FileRole::Copy) != (uses == 1) {
                p.push(Finding::new(
                    Code::ManifestFileListInvalid,
                    at(format!("/files/{i}")),
                    format!("{:?} has the role {:?} but {uses} copies refer to it; a copy file belongs to exactly one copy", f.path, f.role),
                ));
            }
        }
        for (i, r) in self.relations.iter().enumerate() {
            let known = |u: &str| self.urls.iter().any(|x| x.url == u);
            if !known(&r.original_url) || !known(&r.repost_url) || r.similarity_permille > 1000 {
                p.push(Finding::new(
                    Code::ManifestInvalid,
                    at(format!("/relations/{i}")),
                    "a relation names a URL the manifest does not list, or a similarity over 1000",
                ));
            }
        }
        p
    }

    /// Paths of every article text in the bundle: the main one and each
    /// copy's.
    pub fn text_paths(&self) -> Vec<&str> {
        self.files
            .iter()
            .filter(|f| f.role == FileRole::Text)
            .map(|f| f.path.as_str())
            .chain(self.copies.iter().map(|c| c.text.as_str()))
            .collect()
    }

    fn check_file_list(&self) -> Vec<Finding> {
        let mut p = Vec::new();
        let bad = |i: usize, msg: String| {
            Finding::new(
                Code::ManifestFileListInvalid,
                format!("{MANIFEST_PATH}#/files/{i}"),
                msg,
            )
        };
        let reserved = [
            paths::collision_key(MANIFEST_PATH),
            paths::collision_key(SIGNATURE_PATH),
        ];
        let mut keys = BTreeSet::new();
        for (i, f) in self.files.iter().enumerate() {
            if let Err(e) = paths::check(&f.path) {
                p.push(bad(i, format!("path {:?}: {e}", f.path)));
            }
            let key = paths::collision_key(&f.path);
            if reserved.contains(&key) || crate::appendix::is_reserved_prefix(&f.path) {
                p.push(bad(
                    i,
                    format!("path {:?} is reserved for the bundle's own files", f.path),
                ));
            }
            if !keys.insert(key) {
                p.push(bad(
                    i,
                    format!(
                        "path {:?} is listed twice (after NFC and case folding)",
                        f.path
                    ),
                ));
            }
            if i > 0 && self.files[i - 1].path.as_bytes() >= f.path.as_bytes() {
                p.push(bad(i, format!("path {:?} is out of byte order", f.path)));
            }
            if Sha256Digest::from_hex(&f.sha256).is_none() {
                p.push(Finding::new(
                    Code::ManifestInvalid,
                    format!("{MANIFEST_PATH}#/files/{i}/sha256"),
                    format!("{:?} is not 64 lower-case hex digits", f.sha256),
                ));
            }
            if is_blank(&f.media_type) || f.media_type.chars().any(char::is_control) {
                p.push(Finding::new(
                    Code::ManifestInvalid,
                    format!("{MANIFEST_PATH}#/files/{i}/media_type"),
                    "the media type is empty or has control characters",
                ));
            }
        }
        let http = self.capture.method == CaptureMethod::Http;
        for role in [
            FileRole::Readme,
            FileRole::Text,
            FileRole::Source,
            FileRole::Warc,
        ] {
            let n = self.files.iter().filter(|f| f.role == role).count();
            let wanted = if role == FileRole::Warc {
                usize::from(http)
            } else {
                1
            };
            if n != wanted {
                p.push(Finding::new(
                    Code::ManifestFileListInvalid,
                    format!("{MANIFEST_PATH}#/files"),
                    format!("{n} files have the role {role:?}; {wanted} must"),
                ));
            }
        }
        p
    }
}

/// True for a string of the BCP 47 tag shape: `en`, `ko-KR`, `zh-Hant-TW`.
pub fn is_language_tag(s: &str) -> bool {
    let mut parts = s.split('-');
    let first = parts.next().unwrap_or("");
    (2..=8).contains(&first.len())
        && first.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// True for `YYYY-MM-DD` or an RFC 3339 date-time.
pub fn is_published_value(v: &str) -> bool {
    (v.len() == 10 && NaiveDate::parse_from_str(v, "%Y-%m-%d").is_ok()) || is_date_time(v)
}

/// True for an RFC 3339 §5.6 `date-time`, as JSON Schema's `date-time`
/// format reads it: `T` or `t` between date and time. The space that RFC
/// 3339's note allows "for readability" (and chrono's parser accepts) is
/// refused, so that the schema and the verifier agree (spec §5).
pub fn is_date_time(v: &str) -> bool {
    matches!(v.as_bytes().get(10), Some(b'T' | b't')) && DateTime::parse_from_rfc3339(v).is_ok()
}

/// True for a value with nothing but white space (Unicode `White_Space`).
pub fn is_blank(v: &str) -> bool {
    v.trim().is_empty()
}

impl HttpCapture {
    /// The value rules of an `http` object (spec §5), at JSON pointer `at`.
    fn check_values(&self, at: &str) -> Vec<Finding> {
        let mut p = Vec::new();
        let invalid = |loc: &str, msg: String| {
            Finding::new(
                Code::ManifestInvalid,
                format!("{MANIFEST_PATH}#{at}{loc}"),
                msg,
            )
        };
        let mut urls = std::iter::once(&self.requested_url)
            .chain(self.redirects.iter().map(|r| &r.url))
            .chain(std::iter::once(&self.final_url));
        if urls.any(|u| !is_http_url(u)) {
            p.push(invalid(
                "",
                "a URL of the exchange is not an absolute http(s) URL".into(),
            ));
        }
        let mut statuses =
            std::iter::once(self.status).chain(self.redirects.iter().map(|r| r.status));
        if let Some(bad) = statuses.find(|s| !(100..=599).contains(s)) {
            p.push(invalid(
                "",
                format!("HTTP status {bad} is outside 100 to 599"),
            ));
        }
        if is_blank(&self.charset) {
            p.push(invalid("/charset", "the charset is empty".into()));
        }
        if !is_date_time(&self.retrieved_at) {
            p.push(invalid(
                "/retrieved_at",
                format!("{:?} is not an RFC 3339 date-time", self.retrieved_at),
            ));
        }
        p
    }
}

/// True for an absolute `http` or `https` URL with a host and no white space
/// or control characters. Deliberately strict and simple: URLs are recorded
/// as found, not rewritten.
pub fn is_http_url(u: &str) -> bool {
    let rest = u
        .strip_prefix("https://")
        .or_else(|| u.strip_prefix("http://"));
    match rest {
        Some(r) => {
            let host = r.split(['/', '?', '#']).next().unwrap_or("");
            !host.is_empty() && !u.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn sample() -> Manifest {
        Manifest {
            format: FORMAT_ID.into(),
            version: FORMAT_VERSION,
            article: Article {
                title: "A title".into(),
                subtitle: None,
                authors: vec!["A. Writer".into()],
                publisher: Some("The Outlet".into()),
                section: None,
                language: Some("en".into()),
                published: Some(Published {
                    raw: "May 1, 2020".into(),
                    value: Some("2020-05-01".into()),
                }),
            },
            urls: vec![UrlRecord {
                url: "https://example.org/a".into(),
                role: UrlRole::Original,
            }],
            capture: Capture {
                captured_at: "2020-05-02T03:04:05Z".into(),
                method: CaptureMethod::LocalFile,
                tool: Tool {
                    name: "provseal".into(),
                    version: "0.1.0".into(),
                },
                http: None,
            },
            files: ["README.txt", "article/text.txt", "source/page.txt"]
                .iter()
                .zip([FileRole::Readme, FileRole::Text, FileRole::Source])
                .map(|(p, role)| FileEntry {
                    path: (*p).into(),
                    size: 1,
                    sha256: Sha256Digest::of(b"x").to_hex(),
                    media_type: "text/plain".into(),
                    role,
                })
                .collect(),
            copies: vec![],
            relations: vec![],
            signer: None,
        }
    }

    fn codes(bytes: &[u8]) -> Vec<Code> {
        Manifest::parse(bytes)
            .1
            .into_iter()
            .map(|p| p.code)
            .collect()
    }

    #[test]
    fn canonical_bytes_parse_back_without_problems() {
        let m = sample();
        let (back, problems) = Manifest::parse(&m.to_canonical_bytes());
        assert_eq!(problems, vec![]);
        assert_eq!(back, Some(m));
    }

    #[test]
    fn reformatted_json_is_not_canonical() {
        let m = sample();
        let compact = serde_json::to_vec(&m).unwrap();
        assert_eq!(codes(&compact), vec![Code::ManifestNotCanonical]);
    }

    #[test]
    fn unknown_and_duplicate_fields_are_invalid() {
        let text = String::from_utf8(sample().to_canonical_bytes()).unwrap();
        let unknown = text.replacen("\"urls\"", "\"extra\": 1,\n  \"urls\"", 1);
        assert_eq!(codes(unknown.as_bytes()), vec![Code::ManifestInvalid]);
        let dup = text.replacen("\"urls\"", "\"capture\": {},\n  \"urls\"", 1);
        assert_eq!(codes(dup.as_bytes()), vec![Code::ManifestInvalid]);
        assert_eq!(codes(b"\xff{}"), vec![Code::ManifestInvalid]);
        let deep = "[".repeat(10_000);
        assert_eq!(codes(deep.as_bytes()), vec![Code::ManifestInvalid]);
    }

    #[test]
    fn other_versions_are_unsupported() {
        let text = String::from_utf8(sample().to_canonical_bytes()).unwrap();
        let v2 = text.replacen("\"version\": 1", "\"version\": 2", 1);
        assert_eq!(codes(v2.as_bytes()), vec![Code::UnsupportedVersion]);
    }

    #[test]
    fn value_rules_are_checked() {
        let mut m = sample();
        m.files.swap(0, 1);
        m.files[0].path = "manifest.JSON".into();
        m.capture.captured_at = "2020-05-02T03:04:05+00:00".into();
        m.urls[0].url = "ftp://x".into();
        let got: Vec<Code> = m.check_values().into_iter().map(|p| p.code).collect();
        assert!(got.contains(&Code::ManifestFileListInvalid), "{got:?}");
        assert_eq!(
            got.iter().filter(|c| **c == Code::ManifestInvalid).count(),
            2,
            "{got:?}"
        );
    }

    #[test]
    fn url_and_date_helpers() {
        assert!(is_http_url(
            "http://english.dailynk.com/english/read.php?num=1"
        ));
        assert!(!is_http_url("http:///x"));
        assert!(!is_http_url("https://a b"));
        assert!(is_published_value("2018-05-27"));
        assert!(is_published_value("2018-05-27T10:00:00+09:00"));
        assert!(!is_published_value("May 27, 2018"));
    }
}
