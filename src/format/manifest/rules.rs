//! The manifest's rules (spec §5): the strict parser, and the checks every
//! value, every file entry and every copy must pass, each tied to the code
//! it reports.

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate};

use super::*;
use crate::format::codes::Code;
use crate::format::finding::Finding;
use crate::format::paths;

impl Manifest {
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
            if reserved.contains(&key) || crate::format::paths::is_reserved_prefix(&f.path) {
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
