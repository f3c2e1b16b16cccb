//! Bundles from pages fetched over HTTP: the main capture, and further
//! copies captured with it (`capture --also`), each with its WARC records,
//! and the relation of every repost to the original.

use chrono::{DateTime, Utc};

use crate::capture::Fetched;
use crate::capture::warc::write_warc;
use crate::compare::compare;
use crate::extract::{self, Extracted, InputKind};
use crate::format::manifest::*;
use crate::format::sign::KeyPair;
use crate::format::urls::normalize_url;
use crate::pack::{
    Overrides, PackError, Packed, assemble, file_entry, resolve_metadata, this_tool,
};

/// Entry name of the main capture's WARC records.
pub const WARC_PATH: &str = "capture/capture.warc";

/// One fetched page, decoded and extracted.
struct Page<'a> {
    fetched: &'a Fetched,
    kind: InputKind,
    media: String,
    extracted: Extracted,
    http: HttpCapture,
    warc: Vec<u8>,
}

impl Page<'_> {
    /// The URL asked for, before any redirect.
    fn requested(&self) -> &str {
        &self.http.requested_url
    }
}

fn page(fetched: &Fetched) -> Page<'_> {
    let last = fetched.last();
    let requested = fetched
        .exchanges
        .first()
        .map(|e| e.url.clone())
        .unwrap_or_default();
    let kind = match last.media_type().as_deref() {
        Some("text/plain") => InputKind::Text,
        Some(_) => InputKind::Html,
        None => InputKind::detect(None, &fetched.body),
    };
    let extracted = extract::extract_with_charset(kind, &fetched.body, last.charset().as_deref());
    let http = HttpCapture {
        requested_url: requested,
        redirects: fetched.exchanges[..fetched.exchanges.len() - 1]
            .iter()
            .map(|e| HttpHop {
                url: e.url.clone(),
                status: e.status,
            })
            .collect(),
        final_url: last.url.clone(),
        status: last.status,
        content_type: last.header("content-type").map(str::to_string),
        charset: extracted.encoding.clone(),
        retrieved_at: format_captured_at(&last.retrieved_at),
    };
    Page {
        fetched,
        kind,
        media: last
            .media_type()
            .unwrap_or_else(|| kind.media_type().to_string()),
        extracted,
        http,
        warc: write_warc(fetched),
    }
}

/// Builds the bundle of a page fetched over HTTP: the decoded body as the
/// source, the whole exchange (every redirect) as WARC records, the text
/// and metadata extracted with the charset the server declared. The URL
/// requested is the original unless `overrides` names another original (or
/// the page names one), in which case it is recorded as a repost.
pub fn pack_fetched(
    fetched: &Fetched,
    overrides: &Overrides,
    captured_at: DateTime<Utc>,
    key: Option<&KeyPair>,
) -> Result<Packed, PackError> {
    pack_captures(fetched, &[], overrides, captured_at, key)
}

/// Stores each further page under `copies/N/` (its bytes, its text and
/// its WARC) and describes it for the manifest's `copies`.
fn store_copies(
    copies: &[Page],
    role_of: &dyn Fn(&str) -> UrlRole,
    files: &mut Vec<(FileEntry, Vec<u8>)>,
) -> Vec<CopyRecord> {
    let mut records = Vec::new();
    for (i, c) in copies.iter().enumerate() {
        let dir = format!("copies/{}", i + 1);
        let ext = if c.kind == InputKind::Html {
            "html"
        } else {
            "txt"
        };
        let (source, text, warc) = (
            format!("{dir}/page.{ext}"),
            format!("{dir}/text.txt"),
            format!("{dir}/capture.warc"),
        );
        files.push((
            file_entry(&source, &c.fetched.body, &c.media, FileRole::Copy),
            c.fetched.body.clone(),
        ));
        files.push((
            file_entry(
                &text,
                c.extracted.text.as_bytes(),
                "text/plain; charset=utf-8",
                FileRole::Copy,
            ),
            c.extracted.text.clone().into_bytes(),
        ));
        files.push((
            file_entry(&warc, &c.warc, "application/warc", FileRole::Copy),
            c.warc.clone(),
        ));
        records.push(CopyRecord {
            url: c.requested().to_string(),
            role: role_of(c.requested()),
            source,
            text,
            warc,
            http: c.http.clone(),
        });
    }
    records
}

/// Each page's text compared with the reference's: the page captured from
/// the original URL, or, when none was (the original named is not among
/// the pages), the page the capture was asked for, which comes first.
fn relations_to_reference(
    all: &[&Page],
    role_of: &dyn Fn(&str) -> UrlRole,
    original_url: Option<&str>,
) -> Vec<RepostRelation> {
    let (reference, reference_url) = match all
        .iter()
        .copied()
        .find(|p| role_of(p.requested()) == UrlRole::Original)
    {
        Some(r) => (Some(r), original_url.unwrap_or(r.requested())),
        None => match all.first() {
            Some(first) => (Some(*first), first.requested()),
            None => (None, ""),
        },
    };
    let mut relations = Vec::new();
    if let Some(r) = reference {
        for p in all.iter().filter(|p| !std::ptr::eq(**p, r)) {
            let c = compare(
                &r.extracted.text,
                &p.extracted.text,
                r.fetched.body == p.fetched.body,
            );
            relations.push(RepostRelation {
                original_url: reference_url.to_string(),
                repost_url: p.requested().to_string(),
                relation: c.relation,
                similarity_permille: (c.similarity * 1000.0).round().clamp(0.0, 1000.0) as u16,
                original_words: c.original_words as u64,
                repost_words: c.repost_words as u64,
            });
        }
    }
    relations
}

/// As [`pack_fetched`], with further pages captured together (`--also`):
/// each is stored under `copies/N/` and described in the manifest's
/// `copies`; the page whose URL is the original (else the main page) is the
/// reference, and every other page's text is compared with it into
/// `relations`.
pub fn pack_captures(
    main: &Fetched,
    also: &[Fetched],
    overrides: &Overrides,
    captured_at: DateTime<Utc>,
    key: Option<&KeyPair>,
) -> Result<Packed, PackError> {
    let first = page(main);
    let copies: Vec<Page> = also.iter().map(page).collect();
    let mut ov = overrides.clone();
    // An original named on the command line, in a plain-text repost's
    // header, or by a page's canonical link to another URL (syndicated
    // copies point there).
    let named_original = ov
        .original_url
        .clone()
        .or_else(|| first.extracted.original_url.clone())
        .or_else(|| {
            first
                .extracted
                .canonical_url
                .clone()
                .filter(|c| *c != first.requested() && *c != first.http.final_url)
        });
    let same = |a: &str, b: &str| normalize_url(a) == normalize_url(b);
    match &named_original {
        Some(o) if !same(o, first.requested()) => {
            if !ov.repost_urls.iter().any(|u| u == first.requested()) {
                ov.repost_urls.insert(0, first.requested().to_string());
            }
        }
        _ => ov.original_url = Some(first.requested().to_string()),
    }
    // A page fetched from the original's URL written otherwise (`https://www.`
    // for `http://`) is recorded under the URL it was fetched from, so that
    // `copies` and `relations` name a URL that `urls` lists.
    let original_url = ov.original_url.clone().or(named_original.clone()).map(|o| {
        copies
            .iter()
            .map(Page::requested)
            .find(|u| same(u, &o))
            .map_or(o, str::to_string)
    });
    if original_url.is_some() && original_url != ov.original_url {
        ov.original_url = original_url.clone();
    }
    // The page fetched from the original URL, however it was written
    // (`https://www.` for `http://`, a trailing `/`), is the original.
    let role_of = |url: &str| {
        if original_url.as_deref().is_some_and(|o| same(url, o)) {
            UrlRole::Original
        } else {
            UrlRole::Repost
        }
    };
    for c in &copies {
        if role_of(c.requested()) == UrlRole::Repost
            && !ov.repost_urls.iter().any(|u| u == c.requested())
        {
            ov.repost_urls.push(c.requested().to_string());
        }
    }
    let (article, urls) = resolve_metadata(&first.extracted, &ov)?;

    let mut files: Vec<(FileEntry, Vec<u8>)> = vec![
        (
            file_entry(
                first.kind.source_path(),
                &first.fetched.body,
                &first.media,
                FileRole::Source,
            ),
            first.fetched.body.clone(),
        ),
        (
            file_entry(WARC_PATH, &first.warc, "application/warc", FileRole::Warc),
            first.warc.clone(),
        ),
    ];
    let records = store_copies(&copies, &role_of, &mut files);

    let all: Vec<&Page> = std::iter::once(&first).chain(copies.iter()).collect();
    let relations = relations_to_reference(&all, &role_of, original_url.as_deref());
    let capture = Capture {
        captured_at: format_captured_at(&captured_at),
        method: CaptureMethod::Http,
        tool: this_tool(),
        http: Some(first.http.clone()),
    };
    let extra: Vec<(FileEntry, &[u8])> = files.iter().map(|(f, d)| (f.clone(), &d[..])).collect();
    let mut packed = assemble(
        article,
        urls,
        capture,
        &first.extracted.text,
        extra,
        (records, relations),
        key,
    )?;
    for c in std::iter::once(&first).chain(copies.iter()) {
        if let Some(n) = &c.extracted.reduced {
            packed.notes.push(format!("{}: {n}", c.http.final_url));
        }
    }
    Ok(packed)
}
