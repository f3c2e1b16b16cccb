//! WARC/1.1 records of a fetch (ISO 28500:2017): one `warcinfo`, then a
//! `request` and a `response` per hop. Record ids are derived from the
//! records' content, so the same fetch gives the same bytes.

use chrono::SecondsFormat;

use super::{Exchange, Fetched};
use crate::format::digest::{Sha256Digest, hex_lower};

/// Headers that describe the transfer, not the payload: the body is stored
/// without chunking, so a reader must not try to de-chunk it. They are kept
/// under a prefixed name.
const TRANSFER_HEADERS: [&str; 1] = ["transfer-encoding"];

/// A urn:uuid built from a digest (RFC 9562 version 8, "custom").
fn uuid_from(digest: &Sha256Digest) -> String {
    let mut b = [0u8; 16];
    b.copy_from_slice(&digest.0[..16]);
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex_lower(&b);
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}

fn record(
    kind: &str,
    fields: &[(&str, String)],
    content_type: &str,
    block: &[u8],
) -> (String, Vec<u8>) {
    let block_digest = Sha256Digest::of(block);
    let mut seed = Vec::new();
    seed.extend_from_slice(kind.as_bytes());
    for (k, v) in fields {
        seed.extend_from_slice(k.as_bytes());
        seed.extend_from_slice(v.as_bytes());
    }
    seed.extend_from_slice(&block_digest.0);
    let id = format!("<{}>", uuid_from(&Sha256Digest::of(&seed)));
    let mut out = format!("WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Record-ID: {id}\r\n");
    for (k, v) in fields {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str(&format!(
        "Content-Type: {content_type}\r\nWARC-Block-Digest: sha256:{}\r\nContent-Length: {}\r\n\r\n",
        block_digest.to_hex(),
        block.len()
    ));
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(block);
    bytes.extend_from_slice(b"\r\n\r\n");
    (id, bytes)
}

/// The request as sent: the recorded bytes when there are any, else the
/// request rebuilt from its headers.
fn request_block(e: &Exchange) -> Vec<u8> {
    if !e.request_head.is_empty() {
        return e.request_head.clone();
    }
    let url = url::Url::parse(&e.url).ok();
    let target = url
        .as_ref()
        .map(|u| match u.query() {
            Some(q) => format!("{}?{q}", u.path()),
            None => u.path().to_string(),
        })
        .unwrap_or_else(|| "/".into());
    let mut s = format!("GET {target} HTTP/1.1\r\n");
    for (k, v) in &e.request_headers {
        s.push_str(&format!("{k}: {v}\r\n"));
    }
    s.push_str("\r\n");
    s.into_bytes()
}

fn response_block(e: &Exchange) -> Vec<u8> {
    let version = if e.http_version.starts_with("HTTP/") {
        e.http_version.as_str()
    } else {
        "HTTP/1.1"
    };
    let mut s = format!("{version} {} {}\r\n", e.status, e.reason);
    for (k, v) in &e.response_headers {
        if TRANSFER_HEADERS.contains(&k.to_ascii_lowercase().as_str()) {
            s.push_str(&format!("X-Provseal-Removed-{k}: {v}\r\n"));
        } else {
            s.push_str(&format!("{k}: {v}\r\n"));
        }
    }
    s.push_str("\r\n");
    let mut bytes = s.into_bytes();
    bytes.extend_from_slice(&e.body);
    bytes
}

/// The WARC file of a fetch.
pub fn write_warc(fetched: &Fetched) -> Vec<u8> {
    let first = fetched.exchanges.first().map(|e| e.retrieved_at);
    let date = first
        .map(|d| d.to_rfc3339_opts(SecondsFormat::Secs, true))
        .unwrap_or_default();
    let info = format!(
        "software: provseal/{}\r\nformat: WARC File Format 1.1\r\nconformsTo: https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\nrobots: ignore\r\n",
        env!("CARGO_PKG_VERSION")
    );
    let (_, mut out) = record(
        "warcinfo",
        &[
            ("WARC-Date", date),
            ("WARC-Filename", "capture.warc".into()),
        ],
        "application/warc-fields",
        info.as_bytes(),
    );
    for e in &fetched.exchanges {
        let when = e.retrieved_at.to_rfc3339_opts(SecondsFormat::Secs, true);
        let response = response_block(e);
        let payload = Sha256Digest::of(&e.body);
        let (response_id, bytes) = record(
            "response",
            &[
                ("WARC-Date", when.clone()),
                ("WARC-Target-URI", e.url.clone()),
                (
                    "WARC-Payload-Digest",
                    format!("sha256:{}", payload.to_hex()),
                ),
            ],
            "application/http;msgtype=response",
            &response,
        );
        out.extend_from_slice(&bytes);
        let (_, req) = record(
            "request",
            &[
                ("WARC-Date", when),
                ("WARC-Target-URI", e.url.clone()),
                ("WARC-Concurrent-To", response_id),
            ],
            "application/http;msgtype=request",
            &request_block(e),
        );
        out.extend_from_slice(&req);
    }
    out
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn fetched() -> Fetched {
        let e = Exchange {
            url: "http://127.0.0.1:8080/a?b=1".into(),
            request_headers: vec![("Host".into(), "127.0.0.1:8080".into())],
            request_head: Vec::new(),
            http_version: "HTTP/1.1".into(),
            status: 200,
            reason: "OK".into(),
            response_headers: vec![
                ("Content-Type".into(), "text/html".into()),
                ("Transfer-Encoding".into(), "chunked".into()),
            ],
            body: b"<html>hi</html>".to_vec(),
            retrieved_at: chrono::Utc.with_ymd_and_hms(2024, 1, 2, 3, 4, 5).unwrap(),
        };
        Fetched {
            body: e.body.clone(),
            exchanges: vec![e],
        }
    }

    #[test]
    fn records_are_deterministic_and_well_formed() {
        let w = write_warc(&fetched());
        assert_eq!(w, write_warc(&fetched()));
        let text = String::from_utf8_lossy(&w);
        assert_eq!(text.matches("WARC/1.1\r\n").count(), 3);
        assert!(
            text.contains("WARC-Type: response\r\n") && text.contains("WARC-Type: request\r\n")
        );
        assert!(text.contains("GET /a?b=1 HTTP/1.1\r\n"));
        assert!(text.contains("X-Provseal-Removed-Transfer-Encoding: chunked\r\n"));
        assert!(!text.contains("\r\nTransfer-Encoding"));
        assert!(text.contains("WARC-Record-ID: <urn:uuid:"));
    }
}
