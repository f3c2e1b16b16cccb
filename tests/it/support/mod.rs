//! Shared test helpers: fixed keys and times, the example article, and
//! low-level archive surgery for building broken bundles.
#![allow(dead_code)]

pub mod citations;
pub mod cli;
pub mod mini_tsa;
pub mod report_shape;
pub mod s3;
pub mod server;
pub mod tsa;
pub mod vectors;

use std::io::Cursor;
use std::path::PathBuf;

use chrono::{DateTime, TimeZone, Utc};
use provseal::format::container::layout::Limits;
use provseal::format::container::{CanonicalZipWriter, read_container};
use provseal::format::manifest::CaptureMethod;
use provseal::format::sign::KeyPair;
use provseal::pack::{self, Overrides, PackRequest, Packed};
use provseal::verify::{self, Report, Trust, VerifyOptions};

/// Says that a test is skipped because `what` is not installed, on the
/// terminal itself: the test harness captures `eprintln!` of a passing
/// test, and a skip nobody sees reads as a pass. Under CI (the `CI`
/// environment variable, which `.ci/run` sets) a missing tool is a
/// failure instead, since CI installs every one.
pub fn skipped_without(what: &str, install: &str) {
    use std::io::Write as _;
    assert!(
        std::env::var_os("CI").is_none(),
        "CI must install {what} ({install}; see .ci/run)"
    );
    let _ = writeln!(
        std::io::stderr(),
        "skipped: {what} not installed ({install})"
    );
}

/// As [`skipped_without`], for an input outside the repository (the
/// shared seed article or schemas) that is not there.
pub fn skipped_missing(what: &std::path::Path) {
    use std::io::Write as _;
    assert!(
        std::env::var_os("CI").is_none(),
        "CI must provide {}",
        what.display()
    );
    let _ = writeln!(
        std::io::stderr(),
        "skipped: {} is not there",
        what.display()
    );
}

/// Seed of the published test signing key (spec §11).
pub const TEST_SEED: [u8; 32] = [1u8; 32];
/// Seed of the second, untrusted test key.
pub const OTHER_SEED: [u8; 32] = [2u8; 32];

pub fn test_key() -> KeyPair {
    KeyPair::from_seed(&TEST_SEED)
}

pub fn other_key() -> KeyPair {
    KeyPair::from_seed(&OTHER_SEED)
}

pub fn captured_at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 3, 15, 8, 30, 0).unwrap()
}

pub fn verifier_now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap()
}

pub fn repo_path(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel)
}

pub fn example_input() -> Vec<u8> {
    std::fs::read(repo_path("examples/article.txt")).unwrap()
}

pub fn request(overrides: Overrides) -> PackRequest {
    let mut req = PackRequest::new(example_input(), CaptureMethod::LocalFile, captured_at());
    req.name_hint = Some("article.txt".into());
    req.overrides = overrides;
    req
}

pub fn example_overrides() -> Overrides {
    Overrides {
        repost_urls: vec!["https://portal.example.net/news/view?id=991".into()],
        ..Overrides::default()
    }
}

pub fn pack_example(key: Option<&KeyPair>) -> Packed {
    pack::pack(&request(example_overrides()), key).unwrap()
}

pub fn options(trusted: &[&KeyPair], allow_unsigned: bool) -> VerifyOptions {
    let trust = if trusted.is_empty() {
        Trust::Anyone { allow_unsigned }
    } else {
        Trust::Keys(trusted.iter().map(|k| k.verifying_key()).collect())
    };
    VerifyOptions::new(verifier_now()).with_trust(trust)
}

pub fn verify_bytes(bytes: &[u8], opts: &VerifyOptions) -> Report {
    verify::verify_reader(&mut Cursor::new(bytes), bytes.len() as u64, opts).unwrap()
}

pub fn codes(r: &Report) -> Vec<String> {
    let mut c: Vec<String> = r.findings.iter().map(|f| f.code.to_string()).collect();
    c.sort();
    c.dedup();
    c
}

/// The parsed container of a well-formed archive.
pub fn container(bytes: &[u8]) -> provseal::format::container::Container {
    read_container(
        &mut Cursor::new(bytes),
        bytes.len() as u64,
        &Limits::default(),
    )
    .unwrap()
    .unwrap()
}

/// The entries of a well-formed archive, in order.
pub fn entries(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let c = container(bytes);
    c.entries
        .iter()
        .map(|e| {
            let start = e.data_offset as usize;
            (
                e.name.clone(),
                bytes[start..start + e.size as usize].to_vec(),
            )
        })
        .collect()
}

/// Writes entries in the canonical layout.
pub fn rebuild(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut w = CanonicalZipWriter::new(Cursor::new(Vec::new())).unwrap();
    for (n, d) in entries {
        w.add(n, &d[..]).unwrap();
    }
    w.finish().unwrap().into_inner()
}

pub fn get<'a>(entries: &'a [(String, Vec<u8>)], name: &str) -> &'a [u8] {
    &entries.iter().find(|(n, _)| n == name).unwrap().1
}

pub fn set(entries: &mut [(String, Vec<u8>)], name: &str, data: Vec<u8>) {
    entries.iter_mut().find(|(n, _)| n == name).unwrap().1 = data;
}

/// Replaces the manifest with `manifest` and signs it again with `key`, so
/// that the only problem is the one the caller put into the manifest.
pub fn with_manifest(bytes: &[u8], manifest: Vec<u8>, key: Option<&KeyPair>) -> Vec<u8> {
    let mut e = entries(bytes);
    e.retain(|(n, _)| n != "signature.json");
    if let Some(k) = key {
        e.push(("signature.json".into(), k.sign_manifest(&manifest)));
    }
    set(&mut e, "manifest.json", manifest);
    rebuild(&e)
}

/// Edits the manifest as JSON text and re-signs.
pub fn edit_manifest(
    bytes: &[u8],
    key: Option<&KeyPair>,
    f: impl FnOnce(&mut provseal::format::manifest::Manifest),
) -> Vec<u8> {
    let e = entries(bytes);
    let (m, _) = provseal::format::manifest::Manifest::parse(get(&e, "manifest.json"));
    let mut m = m.unwrap();
    f(&mut m);
    with_manifest(bytes, m.to_canonical_bytes(), key)
}

/// Offsets of an entry's local and central headers.
pub fn header_offsets(bytes: &[u8], name: &str) -> (usize, usize) {
    let c = container(bytes);
    let e = c.entries.iter().find(|e| e.name == name).unwrap();
    let local = e.header_offset as usize;
    let sig = [0x50, 0x4b, 0x01, 0x02];
    let central = (0..bytes.len() - 4)
        .find(|&i| {
            bytes[i..i + 4] == sig
                && bytes.get(i + 46..i + 46 + name.len()) == Some(name.as_bytes())
                && u16::from_le_bytes([bytes[i + 28], bytes[i + 29]]) as usize == name.len()
        })
        .unwrap();
    (local, central)
}

/// Sets a field that local and central headers share (local offset `lo`,
/// central offset `lo + 2`) in both, so that they still agree.
pub fn patch_both(bytes: &mut [u8], name: &str, local_field: usize, value: &[u8]) {
    let (l, c) = header_offsets(bytes, name);
    bytes[l + local_field..l + local_field + value.len()].copy_from_slice(value);
    bytes[c + local_field + 2..c + local_field + 2 + value.len()].copy_from_slice(value);
}

/// One entry for [`raw_archive`]: the canonical layout, except for what the
/// caller sets here.
#[derive(Clone, Default)]
pub struct RawEntry {
    pub name: Vec<u8>,
    pub data: Vec<u8>,
    pub local_extra: Vec<u8>,
    pub central_extra: Vec<u8>,
}

/// Writes an archive byte by byte, for layouts the canonical writer refuses
/// to produce (extra fields, names that are not UTF-8).
pub fn raw_archive(entries: &[RawEntry]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for e in entries {
        let offset = out.len() as u32;
        let crc = crc32fast::hash(&e.data);
        let size = e.data.len() as u32;
        let common = |v: &mut Vec<u8>| {
            v.extend_from_slice(&10u16.to_le_bytes());
            v.extend_from_slice(&0x0800u16.to_le_bytes());
            v.extend_from_slice(&0u16.to_le_bytes());
            v.extend_from_slice(&0u16.to_le_bytes());
            v.extend_from_slice(&0x0021u16.to_le_bytes());
            v.extend_from_slice(&crc.to_le_bytes());
            v.extend_from_slice(&size.to_le_bytes());
            v.extend_from_slice(&size.to_le_bytes());
            v.extend_from_slice(&(e.name.len() as u16).to_le_bytes());
        };
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        common(&mut out);
        out.extend_from_slice(&(e.local_extra.len() as u16).to_le_bytes());
        out.extend_from_slice(&e.name);
        out.extend_from_slice(&e.local_extra);
        out.extend_from_slice(&e.data);
        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        central.extend_from_slice(&0x031eu16.to_le_bytes());
        common(&mut central);
        central.extend_from_slice(&(e.central_extra.len() as u16).to_le_bytes());
        central.extend_from_slice(&0u16.to_le_bytes());
        central.extend_from_slice(&0u16.to_le_bytes());
        central.extend_from_slice(&0u16.to_le_bytes());
        central.extend_from_slice(&(0o100644u32 << 16).to_le_bytes());
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(&e.name);
        central.extend_from_slice(&e.central_extra);
    }
    let cd_offset = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&cd_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

/// The entries of a bundle as raw entries.
pub fn raw_entries(bytes: &[u8]) -> Vec<RawEntry> {
    entries(bytes)
        .into_iter()
        .map(|(n, d)| RawEntry {
            name: n.into_bytes(),
            data: d,
            ..RawEntry::default()
        })
        .collect()
}

/// A fetch as the HTTP client would return it, built by hand so that the
/// bundle made from it is reproducible: one redirect, then the page.
pub fn synthetic_fetch() -> provseal::capture::Fetched {
    use provseal::capture::{Exchange, Fetched};
    let page = std::fs::read(repo_path("examples/article.html")).unwrap();
    let when = captured_at();
    let request = || {
        vec![
            ("Host".to_string(), "portal.example.net".to_string()),
            (
                "User-Agent".to_string(),
                provseal::capture::DEFAULT_USER_AGENT.to_string(),
            ),
            ("Accept".to_string(), provseal::capture::ACCEPT.to_string()),
            ("Accept-Encoding".to_string(), "gzip".to_string()),
        ]
    };
    let redirect = Exchange {
        url: "https://portal.example.net/r/991".into(),
        request_headers: request(),
        request_head: Vec::new(),
        http_version: "HTTP/1.1".into(),
        status: 301,
        reason: "Moved Permanently".into(),
        response_headers: vec![(
            "location".into(),
            "https://portal.example.net/news/991".into(),
        )],
        body: Vec::new(),
        retrieved_at: when,
    };
    let final_page = Exchange {
        url: "https://portal.example.net/news/991".into(),
        request_headers: request(),
        request_head: Vec::new(),
        http_version: "HTTP/1.1".into(),
        status: 200,
        reason: "OK".into(),
        response_headers: vec![
            ("content-type".into(), "text/html; charset=utf-8".into()),
            ("content-length".into(), page.len().to_string()),
        ],
        body: page.clone(),
        retrieved_at: when,
    };
    Fetched {
        exchanges: vec![redirect, final_page],
        body: page,
    }
}

/// A single-hop fetch of `url` answering `body` as UTF-8 HTML.
pub fn synthetic_page(url: &str, body: Vec<u8>) -> provseal::capture::Fetched {
    use provseal::capture::{Exchange, Fetched};
    let e = Exchange {
        url: url.into(),
        request_head: Vec::new(),
        request_headers: vec![("Host".into(), url.split('/').nth(2).unwrap_or("").into())],
        http_version: "HTTP/1.1".into(),
        status: 200,
        reason: "OK".into(),
        response_headers: vec![("content-type".into(), "text/html; charset=utf-8".into())],
        body: body.clone(),
        retrieved_at: captured_at(),
    };
    Fetched {
        exchanges: vec![e],
        body,
    }
}

/// The example page and a repost of it cut after its first paragraph.
pub fn synthetic_original_and_repost() -> (provseal::capture::Fetched, provseal::capture::Fetched) {
    let page = std::fs::read_to_string(repo_path("examples/article.html")).unwrap();
    let cut_from = page.find("<p>This sample page").unwrap();
    let cut_to = page.find("<aside>").unwrap();
    let repost = format!("{}<p>....</p>\n{}", &page[..cut_from], &page[cut_to..]);
    (
        synthetic_page(
            "https://news.example.org/2024/03/ferry-service-resumes",
            page.into_bytes(),
        ),
        synthetic_page("https://portal.example.net/news/992", repost.into_bytes()),
    )
}
