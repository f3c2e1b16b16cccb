//! The manifest: its types and its one canonical serialisation (spec §5.1).
//! The parser and the value rules are in `rules.rs`.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};

mod rules;

pub use rules::{is_blank, is_date_time, is_http_url, is_language_tag, is_published_value};

use crate::format::digest::Sha256Digest;

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

impl CaptureMethod {
    /// How a person would say it: "from a saved file", "from standard
    /// input", "over HTTP(S)".
    pub fn words(self) -> &'static str {
        match self {
            CaptureMethod::LocalFile => "from a saved file",
            CaptureMethod::Stdin => "from standard input",
            CaptureMethod::Http => "fetched over HTTP(S)",
        }
    }
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
    pub relation: Relation,
    /// Share of words in common, in thousandths (integers keep the manifest
    /// free of floating-point spellings).
    pub similarity_permille: u16,
    /// Words in the original's text.
    pub original_words: u64,
    /// Words in the repost's text.
    pub repost_words: u64,
}

/// The relation of a repost to the original (computed by
/// [`crate::compare`]; recorded in the manifest, so its names are format).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Relation {
    /// The captured bytes are the same.
    Identical,
    /// The words are the same; only markup or layout differs.
    SameTextDifferentMarkup,
    /// The repost is the beginning of the original and nothing else.
    Truncated,
    /// Mostly the same words, with passages removed, added or changed.
    Edited,
    /// Too little in common to call it a copy.
    Different,
}

impl Relation {
    /// The relation's name as printed.
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Identical => "identical",
            Relation::SameTextDifferentMarkup => "same-text-different-markup",
            Relation::Truncated => "truncated",
            Relation::Edited => "edited",
            Relation::Different => "different",
        }
    }
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

impl Manifest {
    /// The canonical bytes (spec §5.1): pretty JSON with two-space indent,
    /// keys in schema order, raw UTF-8, minimal escapes, one final LF.
    pub fn to_canonical_bytes(&self) -> Vec<u8> {
        crate::format::canonical::canonical_json(self)
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
}
