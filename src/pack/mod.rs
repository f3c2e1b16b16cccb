//! Making a bundle from one article: metadata resolution, the manifest, the
//! canonical archive, and the atomic write.

pub mod fetched;

use std::io::{self, Cursor};
use std::path::PathBuf;

use chrono::{DateTime, Utc};

use crate::extract::{self, Extracted, InputKind, dates::normalise_published};
use crate::format::container::CanonicalZipWriter;
use crate::format::digest::Sha256Digest;
use crate::format::manifest::*;
use crate::format::normalize::collapse_ws;
use crate::format::readme_txt::README_TXT;
use crate::format::sign::KeyPair;

/// Entry name of the article text.
pub const TEXT_PATH: &str = "article/text.txt";
/// Entry name of the README.
pub const README_PATH: &str = "README.txt";

/// Errors while packing. Each names the field or file at fault.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PackError {
    /// The input is not text or HTML (an image, a PDF, an archive, binary
    /// data), by its content.
    #[error(
        "the input is {0}, not a saved article: pack takes a page saved as text or HTML (to capture a live page, use provseal capture URL)"
    )]
    NotAPage(&'static str),
    /// No title was given and none could be extracted.
    #[error("no title could be found in the input; give one with --title")]
    NoTitle,
    /// A URL given or found is not an absolute http(s) URL.
    #[error("{field}: {url:?} is not an absolute http or https URL")]
    BadUrl {
        /// Which option or field.
        field: &'static str,
        /// The value.
        url: String,
    },
    /// `--published` could not be read as a date.
    #[error("--published: {0:?} is not a date (use YYYY-MM-DD or RFC 3339)")]
    BadPublished(String),
    /// `--language` is not a language tag.
    #[error("--language: {0:?} is not a BCP 47 language tag")]
    BadLanguage(String),
    /// A metadata value is empty.
    #[error("{0} is empty")]
    Empty(&'static str),
    /// A value given by the caller holds a control, bidirectional or
    /// invisible format character, which provseal does not sign.
    #[error("{0}")]
    UnsafeText(#[from] crate::display::UnsafeValue),
    /// The input or output failed.
    #[error("{path}: {source}")]
    Io {
        /// The file involved.
        path: PathBuf,
        /// The I/O error.
        source: io::Error,
    },
}

/// Values given by the person packing; each one, when set, wins over what
/// extraction found.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// Headline.
    pub title: Option<String>,
    /// Deck.
    pub subtitle: Option<String>,
    /// Authors (replace extracted ones when not empty).
    pub authors: Vec<String>,
    /// Outlet.
    pub publisher: Option<String>,
    /// Section.
    pub section: Option<String>,
    /// Publication date, as the person wrote it.
    pub published: Option<String>,
    /// Language tag.
    pub language: Option<String>,
    /// The original's URL.
    pub original_url: Option<String>,
    /// Where copies were found.
    pub repost_urls: Vec<String>,
}

/// One article to pack.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct PackRequest {
    /// The input bytes, exactly as given.
    pub input: Vec<u8>,
    /// The input's file name, used only to tell HTML from text; it is not
    /// recorded.
    pub name_hint: Option<String>,
    /// How the input arrived.
    pub method: CaptureMethod,
    /// What the caller says about the article.
    pub overrides: Overrides,
    /// The capture time (the library never reads the clock itself).
    pub captured_at: DateTime<Utc>,
}

impl PackRequest {
    /// A request for `input`, arriving by `method` and captured at
    /// `captured_at`, with no name hint and nothing overridden; set the
    /// other fields on the value returned.
    pub fn new(input: Vec<u8>, method: CaptureMethod, captured_at: DateTime<Utc>) -> Self {
        PackRequest {
            input,
            name_hint: None,
            method,
            overrides: Overrides::default(),
            captured_at,
        }
    }
}

/// A packed bundle, in memory.
#[derive(Debug, Clone)]
pub struct Packed {
    /// The archive bytes.
    pub bytes: Vec<u8>,
    /// The manifest as written.
    pub manifest: Manifest,
    /// `sha256:` of the manifest bytes.
    pub bundle_id: String,
    /// What the packer should tell the person, such as a page reduced
    /// before extraction (see [`crate::extract::budget`]).
    pub notes: Vec<String>,
}

fn clean(v: Option<String>) -> Option<String> {
    v.map(|s| collapse_ws(&s)).filter(|s| !s.is_empty())
}

fn check_url(field: &'static str, url: String) -> Result<String, PackError> {
    let url = url.trim().to_string();
    if is_http_url(&url) {
        Ok(url)
    } else {
        Err(PackError::BadUrl { field, url })
    }
}

/// Refuses a given value that holds an unsafe character (see
/// [`crate::display`]): a person's own flag should not carry a terminal
/// escape into signed evidence, and silently dropping it would sign
/// something other than what was asked.
pub fn check_overrides(ov: &Overrides) -> Result<(), PackError> {
    use crate::display::check_clean;
    let one = [
        ("--title", &ov.title),
        ("--subtitle", &ov.subtitle),
        ("--publisher", &ov.publisher),
        ("--section", &ov.section),
        ("--published", &ov.published),
        ("--language", &ov.language),
        ("--original-url", &ov.original_url),
    ];
    for (field, v) in one {
        if let Some(v) = v {
            check_clean(field, v)?;
        }
    }
    for a in &ov.authors {
        check_clean("--author", a)?;
    }
    for u in &ov.repost_urls {
        check_clean("--repost-url", u)?;
    }
    Ok(())
}

/// Combines what extraction found with the caller's overrides into the
/// article record and URL list (spec §5.2 says which wins).
pub fn resolve_metadata(
    ex: &Extracted,
    ov: &Overrides,
) -> Result<(Article, Vec<UrlRecord>), PackError> {
    check_overrides(ov)?;
    let title = clean(ov.title.clone())
        .or_else(|| clean(ex.title.clone()))
        .ok_or(PackError::NoTitle)?;
    let authors: Vec<String> = if ov.authors.is_empty() {
        ex.authors.clone()
    } else {
        ov.authors.clone()
    }
    .into_iter()
    .map(|a| collapse_ws(&a))
    .filter(|a| !a.is_empty())
    .collect();
    let published = match clean(ov.published.clone()) {
        Some(raw) => {
            let value =
                normalise_published(&raw).ok_or_else(|| PackError::BadPublished(raw.clone()))?;
            Some(Published {
                raw,
                value: Some(value),
            })
        }
        None => clean(ex.published_raw.clone()).map(|raw| Published {
            value: normalise_published(&raw),
            raw,
        }),
    };
    let language = match clean(ov.language.clone()) {
        Some(l) if is_language_tag(&l) => Some(l),
        Some(l) => return Err(PackError::BadLanguage(l)),
        None => clean(ex.language.clone()).filter(|l| is_language_tag(l)),
    };
    let article = Article {
        title,
        subtitle: clean(ov.subtitle.clone()).or_else(|| clean(ex.subtitle.clone())),
        authors,
        publisher: clean(ov.publisher.clone()).or_else(|| clean(ex.publisher.clone())),
        section: clean(ov.section.clone()).or_else(|| clean(ex.section.clone())),
        language,
        published,
    };

    let mut reposts = Vec::new();
    for u in &ov.repost_urls {
        let u = check_url("--repost-url", u.clone())?;
        if !reposts.contains(&u) {
            reposts.push(u);
        }
    }
    // A repost page's canonical link often points at the original; one that
    // points at the repost itself says nothing about the original.
    let original = match &ov.original_url {
        Some(u) => Some(check_url("--original-url", u.clone())?),
        None => ex
            .original_url
            .clone()
            .or_else(|| ex.canonical_url.clone())
            .filter(|u| is_http_url(u) && !reposts.contains(u)),
    };
    let mut urls: Vec<UrlRecord> = original
        .into_iter()
        .map(|url| UrlRecord {
            url,
            role: UrlRole::Original,
        })
        .collect();
    let original_url = urls.first().map(|o| o.url.clone());
    urls.extend(
        reposts
            .into_iter()
            .filter(|u| original_url.as_ref() != Some(u))
            .map(|url| UrlRecord {
                url,
                role: UrlRole::Repost,
            }),
    );
    Ok((article, urls))
}

/// Builds the bundle in memory. Deterministic: the same request and key give
/// the same bytes. An input that is not a page by its content (an image, a
/// PDF, an archive, binary data) is refused ([`PackError::NotAPage`]).
pub fn pack(req: &PackRequest, key: Option<&KeyPair>) -> Result<Packed, PackError> {
    if let Some(what) = extract::sniff::not_a_page(&req.input) {
        return Err(PackError::NotAPage(what));
    }
    let kind = InputKind::detect(req.name_hint.as_deref(), &req.input);
    let extracted = extract::extract(kind, &req.input);
    let (article, urls) = resolve_metadata(&extracted, &req.overrides)?;
    let capture = Capture {
        captured_at: format_captured_at(&req.captured_at),
        method: req.method,
        tool: this_tool(),
        http: None,
    };
    let source = (
        file_entry(
            kind.source_path(),
            &req.input,
            kind.media_type(),
            FileRole::Source,
        ),
        &req.input[..],
    );
    let mut packed = assemble(
        article,
        urls,
        capture,
        &extracted.text,
        vec![source],
        Default::default(),
        key,
    )?;
    packed.notes.extend(extracted.reduced);
    Ok(packed)
}

pub(crate) fn this_tool() -> Tool {
    Tool {
        name: env!("CARGO_PKG_NAME").into(),
        version: env!("CARGO_PKG_VERSION").into(),
    }
}

/// Lays out the README, the text and `extra` files with the manifest and
/// signature in the canonical layout.
pub(crate) fn assemble(
    article: Article,
    urls: Vec<UrlRecord>,
    capture: Capture,
    text: &str,
    extra: Vec<(FileEntry, &[u8])>,
    copies: (Vec<CopyRecord>, Vec<RepostRelation>),
    key: Option<&KeyPair>,
) -> Result<Packed, PackError> {
    let mut files: Vec<(FileEntry, &[u8])> = vec![
        (
            file_entry(
                README_PATH,
                README_TXT.as_bytes(),
                "text/plain; charset=utf-8",
                FileRole::Readme,
            ),
            README_TXT.as_bytes(),
        ),
        (
            file_entry(
                TEXT_PATH,
                text.as_bytes(),
                "text/plain; charset=utf-8",
                FileRole::Text,
            ),
            text.as_bytes(),
        ),
    ];
    files.extend(extra);
    files.sort_by(|a, b| a.0.path.as_bytes().cmp(b.0.path.as_bytes()));

    let manifest = Manifest {
        format: FORMAT_ID.into(),
        version: FORMAT_VERSION,
        article,
        urls,
        capture,
        files: files.iter().map(|(f, _)| f.clone()).collect(),
        copies: copies.0,
        relations: copies.1,
        signer: key.map(KeyPair::signer_record),
    };
    let manifest_bytes = manifest.to_canonical_bytes();
    let bundle_id = Sha256Digest::of(&manifest_bytes).to_prefixed();

    let io_err = |source| PackError::Io {
        path: PathBuf::from("(memory)"),
        source,
    };
    let mut w = CanonicalZipWriter::new(Cursor::new(Vec::new())).map_err(io_err)?;
    for (entry, data) in &files {
        w.add(&entry.path, *data).map_err(io_err)?;
    }
    w.add(MANIFEST_PATH, &manifest_bytes[..]).map_err(io_err)?;
    if let Some(k) = key {
        w.add(SIGNATURE_PATH, &k.sign_manifest(&manifest_bytes)[..])
            .map_err(io_err)?;
    }
    let bytes = w.finish().map_err(io_err)?.into_inner();
    Ok(Packed {
        bytes,
        manifest,
        bundle_id,
        notes: Vec::new(),
    })
}

pub(crate) fn file_entry(path: &str, data: &[u8], media_type: &str, role: FileRole) -> FileEntry {
    FileEntry {
        path: path.into(),
        size: data.len() as u64,
        sha256: Sha256Digest::of(data).to_hex(),
        media_type: media_type.into(),
        role,
    }
}

pub use crate::archive::atomic::write_atomically;
