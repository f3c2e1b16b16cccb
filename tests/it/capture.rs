//! `provseal capture` against a real HTTP server on loopback (no mocks of
//! the HTTP client): what a bundle keeps, redirects, encodings, every
//! failure's message and exit code, and that nothing partial is left.

use std::fs;
use std::path::Path;
use std::process::Command as Process;

use crate::support::server::{self, ARTICLE};
use crate::support::*;
use assert_cmd::Command;

fn provseal() -> Command {
    Command::cargo_bin("provseal").unwrap()
}

fn capture(dir: &Path, url: &str, extra: &[&str]) -> std::process::Output {
    provseal()
        .arg("capture")
        .arg(url)
        .arg("--unsigned")
        .arg("-o")
        .arg(dir.join("out.zip"))
        .args(extra)
        .output()
        .unwrap()
}

/// Captures and fails the test, with capture's message, if it failed.
fn capture_ok(dir: &Path, url: &str, extra: &[&str]) {
    let out = capture(dir, url, extra);
    assert!(
        out.status.success(),
        "capture {url}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn manifest_of(dir: &Path) -> provseal::format::manifest::Manifest {
    let bytes = fs::read(dir.join("out.zip")).unwrap();
    let r = verify_bytes(&bytes, &options(&[], true));
    assert!(r.passed, "{:#?}", r.findings);
    r.manifest.unwrap()
}

fn only_expected_files(dir: &Path) {
    let names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.is_empty(), "left behind: {names:?}");
}

#[test]
fn a_page_is_captured_with_its_exchange_and_verifies() {
    let s = server::start();
    let dir = tempfile::tempdir().unwrap();
    let url = format!("{}/article", s.base);
    let out = capture(dir.path(), &url, &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let m = manifest_of(dir.path());
    assert_eq!(
        m.capture.method,
        provseal::format::manifest::CaptureMethod::Http
    );
    let http = m.capture.http.as_ref().unwrap();
    assert_eq!(
        (
            http.requested_url.as_str(),
            http.final_url.as_str(),
            http.status
        ),
        (url.as_str(), url.as_str(), 200)
    );
    assert_eq!(http.charset, "UTF-8");
    assert_eq!(m.original_url(), Some(url.as_str()));
    assert_eq!(m.article.title, "Pier reopens after repairs");
    assert_eq!(m.article.authors, vec!["Test Writer"]);
    assert_eq!(
        m.article.published.as_ref().unwrap().value.as_deref(),
        Some("2024-05-02T09:00:00Z")
    );
    let e = entries(&fs::read(dir.path().join("out.zip")).unwrap());
    assert_eq!(get(&e, "source/page.html"), ARTICLE.as_bytes());
    let text = String::from_utf8(get(&e, "article/text.txt").to_vec()).unwrap();
    assert!(text.starts_with("The pier reopened on Thursday"), "{text}");
    let warc = String::from_utf8_lossy(get(&e, "capture/capture.warc")).into_owned();
    assert!(warc.contains(&format!("WARC-Target-URI: {url}")));
    assert!(warc.contains("WARC-Type: request") && warc.contains("WARC-Type: response"));

    // Privacy: only the documented headers, and never a cookie.
    let reqs = s.requests.lock().unwrap();
    for (_, headers) in reqs.iter() {
        for (k, _) in headers {
            assert!(
                ["host", "user-agent", "accept", "accept-encoding"]
                    .contains(&k.to_ascii_lowercase().as_str()),
                "sent {k}"
            );
        }
        assert!(
            headers
                .iter()
                .any(|(k, v)| k.eq_ignore_ascii_case("user-agent") && v.starts_with("provseal/"))
        );
    }
}

#[test]
fn redirects_are_followed_and_recorded_and_a_given_original_makes_a_repost() {
    let s = server::start();
    let dir = tempfile::tempdir().unwrap();
    let url = format!("{}/chain", s.base);
    let out = capture(
        dir.path(),
        &url,
        &["--original-url", "https://news.example.org/pier"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let m = manifest_of(dir.path());
    let http = m.capture.http.as_ref().unwrap();
    let hops: Vec<(String, u16)> = http
        .redirects
        .iter()
        .map(|h| (h.url.clone(), h.status))
        .collect();
    assert_eq!(
        hops,
        vec![(url.clone(), 302), (format!("{}/moved", s.base), 301)]
    );
    assert_eq!(http.final_url, format!("{}/article", s.base));
    assert_eq!(m.original_url(), Some("https://news.example.org/pier"));
    assert_eq!(
        m.url_of(provseal::format::manifest::UrlRole::Repost)
            .collect::<Vec<_>>(),
        vec![url.as_str()]
    );
    let warc = String::from_utf8_lossy(get(
        &entries(&fs::read(dir.path().join("out.zip")).unwrap()),
        "capture/capture.warc",
    ))
    .into_owned();
    assert_eq!(warc.matches("WARC-Type: response").count(), 3);
}

#[test]
fn gzip_chunked_and_legacy_charsets_are_decoded_but_kept_raw() {
    let s = server::start();
    let dir = tempfile::tempdir().unwrap();
    capture_ok(dir.path(), &format!("{}/gzip", s.base), &[]);
    let e = entries(&fs::read(dir.path().join("out.zip")).unwrap());
    assert_eq!(
        get(&e, "source/page.html"),
        ARTICLE.as_bytes(),
        "the source is the decoded page"
    );
    let warc = get(&e, "capture/capture.warc");
    assert!(
        warc.windows(2).any(|w| w == [0x1f, 0x8b]),
        "the WARC keeps the gzip bytes as sent"
    );

    fs::remove_file(dir.path().join("out.zip")).unwrap();
    capture_ok(dir.path(), &format!("{}/chunked", s.base), &[]);
    let e = entries(&fs::read(dir.path().join("out.zip")).unwrap());
    assert_eq!(get(&e, "source/page.html"), ARTICLE.as_bytes());

    fs::remove_file(dir.path().join("out.zip")).unwrap();
    capture_ok(dir.path(), &format!("{}/latin1", s.base), &[]);
    let m = manifest_of(dir.path());
    assert_eq!(m.article.title, "Caf\u{e9} reopens");
    assert_eq!(m.capture.http.as_ref().unwrap().charset, "windows-1252");
    let e = entries(&fs::read(dir.path().join("out.zip")).unwrap());
    let text = String::from_utf8(get(&e, "article/text.txt").to_vec()).unwrap();
    assert!(text.contains("cr\u{e8}me br\u{fb}l\u{e9}e"), "{text}");
    assert!(
        get(&e, "source/page.html").contains(&0xe9),
        "the source keeps the Latin-1 bytes"
    );
}

#[test]
fn a_plain_text_repost_keeps_working_over_http() {
    let s = server::start();
    let dir = tempfile::tempdir().unwrap();
    let url = format!("{}/plain", s.base);
    capture_ok(dir.path(), &url, &[]);
    let m = manifest_of(dir.path());
    assert_eq!(m.article.title, "Pier reopens after repairs");
    assert_eq!(m.original_url(), Some("http://news.example.org/pier"));
    assert_eq!(
        m.url_of(provseal::format::manifest::UrlRole::Repost)
            .collect::<Vec<_>>(),
        vec![url.as_str()]
    );
    assert!(m.files.iter().any(|f| f.path == "source/page.txt"));
}

#[test]
fn failures_are_clear_exit_2_and_leave_nothing() {
    let s = server::start();
    let refused = format!("http://127.0.0.1:{}/x", server::closed_port());
    let tls = format!("{}/article", s.base.replace("http://", "https://"));
    let cases: Vec<(String, Vec<&str>, &str)> = vec![
        (format!("{}/missing", s.base), vec![], "404"),
        (format!("{}/broken", s.base), vec![], "500"),
        (
            format!("{}/slow", s.base),
            vec!["--timeout", "1"],
            "timed out",
        ),
        (
            format!("{}/big", s.base),
            vec!["--max-bytes", "1000000"],
            "larger than",
        ),
        (
            format!("{}/bomb", s.base),
            vec!["--max-bytes", "1000000"],
            "larger than",
        ),
        (format!("{}/loop-a", s.base), vec![], "redirect loop"),
        (format!("{}/pdf", s.base), vec![], "application/pdf"),
        (refused.clone(), vec![], "could not connect"),
        (tls, vec![], "TLS"),
        ("ftp://example.org/x".into(), vec![], "not an absolute http"),
    ];
    for (url, extra, needle) in cases {
        let dir = tempfile::tempdir().unwrap();
        let out = capture(dir.path(), &url, &extra);
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(2), "{url}: {err}");
        assert_eq!(err.lines().count(), 1, "{url}: {err}");
        assert!(
            err.contains(needle) && err.contains("provseal: "),
            "{url}: {err}"
        );
        only_expected_files(dir.path());
    }
}

#[test]
fn an_allowed_error_status_is_kept_as_evidence() {
    let s = server::start();
    let dir = tempfile::tempdir().unwrap();
    let out = capture(
        dir.path(),
        &format!("{}/missing", s.base),
        &["--allow-status", "404", "--title", "Removed page"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let m = manifest_of(dir.path());
    assert_eq!(m.capture.http.unwrap().status, 404);
}

#[test]
fn the_warc_passes_warcio() {
    let have = Process::new("warcio").arg("--help").output().is_ok();
    if !have {
        crate::support::skipped_without("warcio", "pip install -r tests/requirements.txt");
        return;
    }
    let s = server::start();
    let dir = tempfile::tempdir().unwrap();
    capture_ok(dir.path(), &format!("{}/chain", s.base), &[]);
    let e = entries(&fs::read(dir.path().join("out.zip")).unwrap());
    let warc = dir.path().join("capture.warc");
    fs::write(&warc, get(&e, "capture/capture.warc")).unwrap();
    let check = Process::new("warcio")
        .arg("check")
        .arg("-v")
        .arg(&warc)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
    let index = Process::new("warcio")
        .arg("index")
        .arg(&warc)
        .output()
        .unwrap();
    assert!(index.status.success());
    let lines = String::from_utf8_lossy(&index.stdout).lines().count();
    assert_eq!(
        lines,
        7,
        "warcinfo + 3 responses + 3 requests: {}",
        String::from_utf8_lossy(&index.stdout)
    );
}

#[test]
fn a_repost_captured_with_its_original_records_the_relation() {
    let s = server::start();
    let dir = tempfile::tempdir().unwrap();
    let (repost, original) = (format!("{}/repost", s.base), format!("{}/article", s.base));
    let out = capture(
        dir.path(),
        &repost,
        &["--also", &original, "--original-url", &original],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let m = manifest_of(dir.path());
    assert_eq!(m.original_url(), Some(original.as_str()));
    assert_eq!(
        m.url_of(provseal::format::manifest::UrlRole::Repost)
            .collect::<Vec<_>>(),
        vec![repost.as_str()]
    );
    assert_eq!(m.copies.len(), 1);
    assert_eq!(m.copies[0].url, original);
    assert_eq!(
        m.copies[0].role,
        provseal::format::manifest::UrlRole::Original
    );
    let r = &m.relations[0];
    assert_eq!(
        (r.original_url.as_str(), r.repost_url.as_str()),
        (original.as_str(), repost.as_str())
    );
    assert_eq!(r.relation, provseal::compare::Relation::Truncated);
    assert!(
        r.similarity_permille > 200 && r.similarity_permille < 800,
        "{}",
        r.similarity_permille
    );
    let e = entries(&fs::read(dir.path().join("out.zip")).unwrap());
    assert_eq!(get(&e, &m.copies[0].source), ARTICLE.as_bytes());
    assert_eq!(get(&e, "source/page.html"), server::REPOST.as_bytes());

    let shown = provseal()
        .arg("verify")
        .arg(dir.path().join("out.zip"))
        .arg("--allow-unsigned")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&shown.stdout).contains("truncated relative to the original"));
    let cited = provseal()
        .arg("cite")
        .arg(dir.path().join("out.zip"))
        .arg("--allow-unsigned")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&cited.stdout).contains(&format!(
        "The copy at {repost} is truncated relative to the original"
    )));
    let inspected = provseal()
        .arg("inspect")
        .arg(dir.path().join("out.zip"))
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&inspected.stdout).contains("copies/1/page.html"));
}

/// The blocks of a WARC's records of one type, in file order.
fn warc_blocks(warc: &[u8], kind: &str) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < warc.len() {
        let head_end = at
            + warc[at..]
                .windows(4)
                .position(|w| w == b"\r\n\r\n")
                .expect("a WARC header ends with a blank line");
        let head = String::from_utf8_lossy(&warc[at..head_end]).into_owned();
        let field = |name: &str| {
            head.lines()
                .find_map(|l| l.strip_prefix(name).map(|v| v.trim().to_string()))
        };
        let len: usize = field("Content-Length:").unwrap().parse().unwrap();
        let block = &warc[head_end + 4..head_end + 4 + len];
        if field("WARC-Type:").as_deref() == Some(kind) {
            out.push(block.to_vec());
        }
        at = head_end + 4 + len + 4;
    }
    out
}

#[test]
fn a_redirect_to_a_private_address_on_another_site_is_refused_unless_allowed() {
    let first = server::start();
    let second = server::start();
    let port = second.base.rsplit(':').next().unwrap().to_string();
    // By address, and by a name that resolves to loopback: what is judged
    // is the address connected to, not how the URL spells it.
    for route in ["to", "to-localhost"] {
        let url = format!("{}/{route}/{port}/article", first.base);
        let dir = tempfile::tempdir().unwrap();
        let out = capture(dir.path(), &url, &[]);
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(2), "{url}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.contains("not on the public internet")
                && err.contains("--allow-private-redirects")
                && (err.contains("127.0.0.1") || err.contains("::1")),
            "{err}"
        );
        only_expected_files(dir.path());
        assert!(
            second.requests.lock().unwrap().is_empty(),
            "the refused server was contacted"
        );

        capture_ok(dir.path(), &url, &["--allow-private-redirects"]);
        let m = manifest_of(dir.path());
        let http = m.capture.http.as_ref().unwrap();
        assert!(
            http.final_url.ends_with(&format!(":{port}/article")),
            "{}",
            http.final_url
        );
        assert_eq!(m.article.title, "Pier reopens after repairs");
        second.requests.lock().unwrap().clear();
    }
    // The user's own URL on loopback, and redirects within it, stay allowed.
    let dir = tempfile::tempdir().unwrap();
    capture_ok(dir.path(), &format!("{}/chain", first.base), &[]);
}

#[test]
fn a_url_with_credentials_is_refused_and_they_are_never_sent() {
    let s = server::start();
    let target = server::start();
    let port = target.base.rsplit(':').next().unwrap().to_string();
    let given = format!("http://reader:s3cret@127.0.0.1:{port}/article");
    let redirected = format!("{}/cred/{port}", s.base);
    for url in [given, redirected] {
        let dir = tempfile::tempdir().unwrap();
        let out = capture(dir.path(), &url, &["--allow-private-redirects"]);
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(2), "{url}: {err}");
        assert!(err.contains("user name or password"), "{err}");
        assert!(!err.contains("s3cret"), "the password was echoed: {err}");
        only_expected_files(dir.path());
    }
    assert!(
        target.requests.lock().unwrap().is_empty(),
        "a request went to the server the credentials were for"
    );
}

#[test]
fn the_timeout_bounds_every_hop_together() {
    let s = server::start();
    // Five answers of 0.6 s each: every one is well inside 2 s, all of
    // them together are not.
    let dir = tempfile::tempdir().unwrap();
    let out = capture(
        dir.path(),
        &format!("{}/hop/4", s.base),
        &["--timeout", "2"],
    );
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("timed out after 2 s"), "{err}");
    only_expected_files(dir.path());
    // Two hops fit in a generous deadline.
    capture_ok(
        dir.path(),
        &format!("{}/hop/1", s.base),
        &["--timeout", "20"],
    );
}

#[test]
fn the_warc_request_records_hold_exactly_the_bytes_sent() {
    let s = server::start();
    let dir = tempfile::tempdir().unwrap();
    capture_ok(dir.path(), &format!("{}/chain", s.base), &[]);
    let e = entries(&fs::read(dir.path().join("out.zip")).unwrap());
    let recorded = warc_blocks(get(&e, "capture/capture.warc"), "request");
    let received = s.raw.lock().unwrap().clone();
    assert_eq!(received.len(), 3);
    assert_eq!(
        recorded
            .iter()
            .map(|b| String::from_utf8_lossy(b).into_owned())
            .collect::<Vec<_>>(),
        received
            .iter()
            .map(|b| String::from_utf8_lossy(b).into_owned())
            .collect::<Vec<_>>()
    );
}

#[test]
fn also_pages_are_compared_even_without_an_original_url_or_when_it_is_written_otherwise() {
    let s = server::start();
    let dir = tempfile::tempdir().unwrap();
    let (repost, original) = (format!("{}/repost", s.base), format!("{}/article", s.base));
    // No --original-url: the page the capture was asked for is the
    // reference, and the --also page is compared with it.
    capture_ok(dir.path(), &repost, &["--also", &original]);
    let m = manifest_of(dir.path());
    assert_eq!(m.relations.len(), 1, "{:?}", m.relations);
    assert_eq!(
        (
            m.relations[0].original_url.as_str(),
            m.relations[0].repost_url.as_str()
        ),
        (repost.as_str(), original.as_str())
    );
    // The original named with a trailing slash (and so written otherwise
    // than the --also URL) is still the page fetched from it.
    fs::remove_file(dir.path().join("out.zip")).unwrap();
    let written_otherwise = format!("{original}/");
    capture_ok(
        dir.path(),
        &repost,
        &["--also", &original, "--original-url", &written_otherwise],
    );
    let m = manifest_of(dir.path());
    assert_eq!(
        m.copies[0].role,
        provseal::format::manifest::UrlRole::Original
    );
    let r = &m.relations[0];
    assert_eq!(
        (r.original_url.as_str(), r.repost_url.as_str()),
        (original.as_str(), repost.as_str()),
        "the original is recorded by the URL it was fetched from"
    );
    assert_eq!(m.original_url(), Some(original.as_str()));
    assert_eq!(r.relation, provseal::compare::Relation::Truncated);
}

#[test]
fn two_captures_of_one_page_into_an_archive_in_the_same_second_both_work() {
    let s = server::start();
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("archive");
    let url = format!("{}/article", s.base);
    for signing in [vec!["--unsigned"], vec![]] {
        let key = dir.path().join("k");
        if signing.is_empty() && !key.with_extension("key").exists() {
            let o = provseal()
                .args(["key", "generate", "--out"])
                .arg(&key)
                .output()
                .unwrap();
            assert!(o.status.success());
        }
        let key_path = key.with_extension("key");
        let run = || {
            let mut c = provseal();
            c.arg("capture").arg(&url).arg("--into").arg(&archive);
            if signing.is_empty() {
                c.arg("--key").arg(&key_path);
            } else {
                c.args(&signing);
            }
            c.output().unwrap()
        };
        let (first, second) = (run(), run());
        for o in [&first, &second] {
            assert!(
                o.status.success(),
                "{signing:?}: {}",
                String::from_utf8_lossy(&o.stderr)
            );
        }
    }
    // The same second for certain: the same bytes, packed twice with one
    // capture time, land on one path; the second is reported, not refused.
    let input = dir.path().join("page.html");
    fs::write(&input, ARTICLE).unwrap();
    let pack_into = || {
        provseal()
            .arg("pack")
            .arg(&input)
            .args([
                "--unsigned",
                "--captured-at",
                "2024-03-15T08:30:00Z",
                "--into",
            ])
            .arg(&archive)
            .output()
            .unwrap()
    };
    let (first, second) = (pack_into(), pack_into());
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(
        second.status.success(),
        "{}",
        String::from_utf8_lossy(&second.stderr)
    );
    assert_eq!(first.stdout, second.stdout, "the same bundle id");
    assert!(
        String::from_utf8_lossy(&second.stderr).starts_with("duplicate: "),
        "{}",
        String::from_utf8_lossy(&second.stderr)
    );
}
