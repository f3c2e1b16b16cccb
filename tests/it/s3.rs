//! Bundles in S3-compatible object storage, against a real server on
//! loopback (s3s-fs, which checks SigV4, or the server named by
//! `PROVSEAL_TEST_S3_ENDPOINT`: see `support/s3.rs`): upload and verify,
//! cite and inspect, a tampered object, a missing object, wrong
//! credentials, a server that goes away mid-run, sharding a bucket, and an
//! archive kept in a bucket with its catalog on local disk.

use std::io::BufRead;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::support::cli::*;
use crate::support::s3::S3Server;

fn ok(o: std::process::Output) -> String {
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    stdout(&o)
}

fn setup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    ok(provseal()
        .current_dir(dir.path())
        .args(["key", "generate", "--out", "k"])
        .output()
        .unwrap());
    dir
}

fn pack_to(s3: &S3Server, d: &Path, uri: &str, extra: &[&str]) -> std::process::Output {
    s3.provseal(d)
        .arg("pack")
        .arg(example())
        .args([
            "--key",
            "k.key",
            "-o",
            uri,
            "--captured-at",
            "2024-03-15T08:30:00Z",
        ])
        .args(extra)
        .output()
        .unwrap()
}

/// A key pair in a fresh directory, a server, and `n` copies of one bundle
/// as `many/0….zip` (`width` digits), the first packed there; `None`
/// when there is no server to test with.
fn many_copies(n: usize, width: usize) -> Option<(tempfile::TempDir, S3Server, Vec<u8>)> {
    let dir = setup();
    let s3 = S3Server::start(&["many"])?;
    let first = format!("many/{:0width$}.zip", 0);
    ok(pack_to(&s3, dir.path(), &s3.uri(&first), &[]));
    let one = s3.read(&first).unwrap();
    let names: Vec<String> = (1..n).map(|i| format!("many/{i:0width$}.zip")).collect();
    s3.write_many(&names, &one);
    Some((dir, s3, one))
}

#[test]
fn bundles_upload_verify_cite_and_inspect_from_a_bucket() {
    let dir = setup();
    let d = dir.path();
    let Some(s3) = S3Server::start(&["evidence"]) else {
        return;
    };
    let a = s3.uri("evidence/2024/a.zip");
    let id = ok(pack_to(&s3, d, &a, &[]));
    assert!(
        s3.read("evidence/2024/a.zip").is_some(),
        "stored under its key"
    );
    // Never replaced without --force.
    let again = pack_to(&s3, d, &a, &[]);
    assert_eq!(again.status.code(), Some(2));
    assert!(
        stderr(&again).contains("already exists"),
        "{}",
        stderr(&again)
    );
    // One object, and a prefix.
    for target in [a.clone(), s3.uri("evidence/2024/"), s3.uri("evidence")] {
        let o = s3
            .provseal(d)
            .args(["verify", "--trust", "k.pub", "--format", "jsonl", &target])
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "{target}: {}", stderr(&o));
        let lines = jsonl(&o);
        assert_eq!(lines[0]["path"], a.as_str());
        assert_eq!(lines[0]["bundle_id"], id.trim());
        assert_eq!(lines[0]["state"], "verified-trusted");
    }
    let cite = ok(s3
        .provseal(d)
        .args(["cite", &a, "--format", "bibtex", "--trust", "k.pub"])
        .output()
        .unwrap());
    assert!(cite.starts_with("@misc{"), "{cite}");
    let same = ok(s3
        .provseal(d)
        .args(["compare", "--trust", "k.pub", &a, &a])
        .output()
        .unwrap());
    assert!(same.contains("identical"), "{same}");
    let shown = ok(s3.provseal(d).args(["inspect", &a]).output().unwrap());
    assert!(shown.contains(id.trim()), "{shown}");
}

#[test]
fn a_tampered_or_missing_object_fails_and_wrong_credentials_are_a_clear_error() {
    let dir = setup();
    let d = dir.path();
    let Some(s3) = S3Server::start(&["evidence"]) else {
        return;
    };
    ok(pack_to(&s3, d, &s3.uri("evidence/a.zip"), &[]));
    ok(pack_to(&s3, d, &s3.uri("evidence/b.zip"), &[]));
    s3.flip("evidence/b.zip", 300);
    let o = s3
        .provseal(d)
        .args(["verify", "--trust", "k.pub", "--format", "jsonl"])
        .arg(s3.uri("evidence/"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let lines = jsonl(&o);
    assert_eq!(lines[0]["passed"], true);
    assert_eq!(lines[1]["state"], "invalid");
    // A named object that is not there is a finding, not an empty run.
    let o = s3
        .provseal(d)
        .args(["verify", "--format", "jsonl"])
        .arg(s3.uri("evidence/gone.zip"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let lines = jsonl(&o);
    assert_eq!(lines[0]["findings"][0]["code"], "E001");
    assert!(
        lines[0]["findings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("no such object")
    );
    // Wrong credentials: exit 2 and says so.
    let o = s3
        .provseal(d)
        .env("AWS_SECRET_ACCESS_KEY", "wrong")
        .arg("verify")
        .arg(s3.uri("evidence/"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("access denied"), "{}", stderr(&o));
    let o = s3
        .provseal(d)
        .env("AWS_SECRET_ACCESS_KEY", "wrong")
        .arg("pack")
        .arg(example())
        .args(["--key", "k.key", "-o"])
        .arg(s3.uri("evidence/c.zip"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(s3.read("evidence/c.zip").is_none());
}

#[test]
fn a_server_that_goes_away_mid_run_gives_findings_not_a_hang() {
    let Some((dir, s3, _)) = many_copies(1000, 4) else {
        return;
    };
    let d = dir.path();
    // Through a relay that can be taken away, so that the server goes
    // away whichever server it is.
    let relay = s3.proxy();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("provseal"))
        .current_dir(d)
        .env("AWS_ACCESS_KEY_ID", &s3.access_key)
        .env("AWS_SECRET_ACCESS_KEY", &s3.secret_key)
        .env("AWS_REGION", &s3.region)
        .args(["--endpoint", &relay.endpoint, "--s3-timeout", "3"])
        // One request at a time, so that most are still to come when the
        // server goes.
        .args(["--s3-requests", "1"])
        .args(["verify", "-j", "1", "--format", "jsonl"])
        .arg(s3.uri("many/"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let first: serde_json::Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    assert_eq!(first["passed"], true);
    relay.stop();
    let rest: Vec<serde_json::Value> = lines
        .map(|l| serde_json::from_str(&l.unwrap()).unwrap())
        .collect();
    let status = child.wait().unwrap();
    // What each bundle after the first ended with, URIs left out, so that a
    // slow run says why.
    let mut outcomes = std::collections::BTreeMap::<String, usize>::new();
    for l in &rest {
        let what = match l["findings"].get(0) {
            Some(f) => f["message"]
                .as_str()
                .unwrap_or_default()
                .split_whitespace()
                .filter(|w| !w.contains("://") && !w.ends_with("ms,"))
                .collect::<Vec<_>>()
                .join(" "),
            None => l["state"].as_str().unwrap_or("summary").to_string(),
        };
        *outcomes.entry(what).or_default() += 1;
    }
    assert!(
        start.elapsed() < Duration::from_secs(120),
        "took {:?}: {outcomes:#?}",
        start.elapsed()
    );
    assert_eq!(status.code(), Some(1));
    let summary = rest.last().unwrap();
    assert_eq!(summary["record"], "summary");
    assert_eq!(summary["summary"]["total"], 1000, "every bundle has a line");
    let unreadable = rest
        .iter()
        .filter(|l| l["findings"].get(0).is_some_and(|f| f["code"] == "E001"))
        .count();
    assert!(
        unreadable > 0,
        "bundles after the server went away are unreadable findings"
    );
}

#[test]
fn requests_in_flight_are_bounded_and_results_stay_in_key_order() {
    let Some((dir, s3, one)) = many_copies(40, 2) else {
        return;
    };
    let d = dir.path();
    let mut broken = one.clone();
    broken[300] ^= 0x01;
    s3.write("many/17.zip", &broken);
    let expected: Vec<String> = (0..40)
        .map(|n| s3.uri(&format!("many/{n:02}.zip")))
        .collect();
    for (requests, jobs) in [(1, 4), (6, 1)] {
        let relay = s3.proxy();
        let o = s3
            .provseal_at(d, &relay.endpoint)
            .args(["--s3-requests", &requests.to_string()])
            .args(["verify", "-j", &jobs.to_string(), "--format", "jsonl"])
            .arg(s3.uri("many/"))
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        let bundles: Vec<serde_json::Value> = jsonl(&o)
            .into_iter()
            .filter(|l| l["record"] == "bundle")
            .collect();
        let paths: Vec<&str> = bundles
            .iter()
            .map(|l| l["path"].as_str().unwrap())
            .collect();
        assert_eq!(paths, expected, "in key order");
        let failed: Vec<&str> = bundles
            .iter()
            .filter(|l| l["passed"] == false)
            .map(|l| l["path"].as_str().unwrap())
            .collect();
        assert_eq!(failed, [s3.uri("many/17.zip")]);
        let most = relay.most_in_flight();
        assert!(
            most <= requests,
            "{most} requests in flight with --s3-requests {requests}"
        );
        if requests > 1 {
            assert!(most > 1, "fetches overlap: {most} in flight at most");
        }
    }
}

#[test]
fn shards_of_a_bucket_cover_each_bundle_exactly_once() {
    let Some((dir, s3, _)) = many_copies(12, 2) else {
        return;
    };
    let d = dir.path();
    let mut seen = Vec::new();
    for i in 1..=3 {
        let o = s3
            .provseal(d)
            .args([
                "verify",
                "--format",
                "jsonl",
                "--shard",
                &format!("{i}/3"),
                &s3.uri("many/"),
            ])
            .output()
            .unwrap();
        for l in jsonl(&o).iter().filter(|l| l["record"] == "bundle") {
            seen.push(l["path"].as_str().unwrap().to_string());
        }
    }
    seen.sort();
    let expected: Vec<String> = (0..12)
        .map(|n| s3.uri(&format!("many/{n:02}.zip")))
        .collect();
    assert_eq!(seen, expected);
}

#[test]
fn an_archive_in_a_bucket_keeps_its_catalog_on_local_disk() {
    let dir = setup();
    let d = dir.path();
    let Some(s3) = S3Server::start(&["arch"]) else {
        return;
    };
    let id = ok(s3
        .provseal(d)
        .arg("pack")
        .arg(example())
        .args([
            "--key",
            "k.key",
            "--captured-at",
            "2018-05-27T03:00:00Z",
            "--into",
            &s3.uri("arch/news"),
            "--catalog",
            "cat.sqlite",
        ])
        .output()
        .unwrap());
    let hex = id.trim().strip_prefix("sha256:").unwrap();
    let stored = format!("arch/news/2018/05/27/{hex}.zip");
    assert!(s3.read(&stored).is_some(), "stored under the layout");
    // The same page again: reported, not stored twice.
    let again = s3
        .provseal(d)
        .arg("pack")
        .arg(example())
        .args([
            "--key",
            "k.key",
            "--captured-at",
            "2018-05-28T03:00:00Z",
            "--into",
            &s3.uri("arch/news"),
            "--catalog",
            "cat.sqlite",
        ])
        .output()
        .unwrap();
    assert!(stderr(&again).contains("duplicate"), "{}", stderr(&again));
    let found: Vec<serde_json::Value> = serde_json::from_str(&ok(s3
        .provseal(d)
        .args(["catalog", "search", "--catalog", "cat.sqlite", "--json"])
        .output()
        .unwrap()))
    .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["location"], s3.uri(&stored));
    // catalog verify reads from the bucket; a damaged object fails it.
    ok(s3
        .provseal(d)
        .args(["catalog", "verify", "--catalog", "cat.sqlite"])
        .output()
        .unwrap());
    s3.flip(&stored, 100);
    let o = s3
        .provseal(d)
        .args(["catalog", "verify", "--catalog", "cat.sqlite"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    // catalog add over a prefix, into another catalog; --archive s3:// needs --catalog.
    ok(pack_to(&s3, d, &s3.uri("arch/other/b.zip"), &[]));
    let o = s3
        .provseal(d)
        .args(["catalog", "add", "--catalog", "two.sqlite"])
        .arg(s3.uri("arch/other/"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).starts_with(&format!("added\t{}", s3.uri("arch/other/b.zip"))),
        "{}",
        stdout(&o)
    );
    let text: Vec<serde_json::Value> = serde_json::from_str(&ok(s3
        .provseal(d)
        .args([
            "catalog",
            "search",
            "--catalog",
            "two.sqlite",
            "--json",
            "--text",
            "fishing crew",
        ])
        .output()
        .unwrap()))
    .unwrap();
    assert_eq!(text.len(), 1, "the article text of an object is indexed");
    let o = s3
        .provseal(d)
        .args(["catalog", "rebuild", "--archive"])
        .arg(s3.uri("arch/other"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--catalog"));
}

#[test]
fn a_bundle_larger_than_memory_reads_streams_through_ranged_gets() {
    let dir = setup();
    let d = dir.path();
    let Some(s3) = S3Server::start(&["big"]) else {
        return;
    };
    // About 6 MB of text: the bundle (source and text) is over 4 MiB, so it
    // is verified through 8 MiB ranged reads instead of one fetch.
    let para = "The harbour office said the boats returned before dawn, and the families waited on the pier.\n\n";
    std::fs::write(
        d.join("big.txt"),
        format!("A long report\n\n{}", para.repeat(60_000)),
    )
    .unwrap();
    ok(s3
        .provseal(d)
        .args(["pack", "big.txt", "--key", "k.key", "-o"])
        .arg(s3.uri("big/b.zip"))
        .output()
        .unwrap());
    let size = s3.read("big/b.zip").unwrap().len();
    assert!(size > 8 << 20, "{size} bytes: more than one ranged read");
    let o = s3
        .provseal(d)
        .args(["verify", "--trust", "k.pub"])
        .arg(s3.uri("big/b.zip"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // cite and inspect fetch without knowing the size: the GET finds the
    // object too large to hold and the reader streams it instead.
    let cited = ok(s3
        .provseal(d)
        .args(["cite", "--trust", "k.pub", "--format", "ris"])
        .arg(s3.uri("big/b.zip"))
        .output()
        .unwrap());
    assert!(cited.contains("A long report"), "{cited}");
    s3.flip("big/b.zip", -2_000_000);
    let o = s3
        .provseal(d)
        .args(["verify", "--trust", "k.pub"])
        .arg(s3.uri("big/b.zip"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn capture_writes_to_a_bucket_and_into_an_archive_there() {
    let dir = setup();
    let d = dir.path();
    let Some(s3) = S3Server::start(&["cap"]) else {
        return;
    };
    let site = crate::support::server::start();
    let url = format!("{}/article", site.base);
    ok(s3
        .provseal(d)
        .args([
            "capture",
            &url,
            "--key",
            "k.key",
            "-o",
            &s3.uri("cap/one.zip"),
        ])
        .output()
        .unwrap());
    ok(s3
        .provseal(d)
        .args(["verify", "--trust", "k.pub", &s3.uri("cap/one.zip")])
        .output()
        .unwrap());
    let id = ok(s3
        .provseal(d)
        .args([
            "capture",
            &url,
            "--key",
            "k.key",
            "--into",
            &s3.uri("cap/arch"),
            "--catalog",
            "c.sqlite",
        ])
        .output()
        .unwrap());
    let found: Vec<serde_json::Value> = serde_json::from_str(&ok(s3
        .provseal(d)
        .args([
            "catalog",
            "search",
            "--catalog",
            "c.sqlite",
            "--json",
            "--url",
            &url,
        ])
        .output()
        .unwrap()))
    .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["bundle_id"], id.trim());
    assert!(
        found[0]["location"]
            .as_str()
            .unwrap()
            .starts_with(&s3.uri("cap/arch/"))
    );
}

/// A loopback listener that counts the connections it is sent, standing in
/// for an address provseal must not contact unasked.
fn counting_listener() -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::io::Read as _;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let count = seen.clone();
    std::thread::spawn(move || {
        for conn in listener.incoming().flatten() {
            count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let mut conn = conn;
            let _ = conn.set_read_timeout(Some(std::time::Duration::from_millis(200)));
            let _ = conn.read(&mut [0u8; 1024]);
        }
    });
    (url, seen)
}

#[test]
fn without_credentials_nothing_but_the_endpoint_is_contacted() {
    let dir = tempfile::tempdir().unwrap();
    let (metadata, asked) = counting_listener();
    let (endpoint, _) = counting_listener();
    let run = |extra: &[&str]| {
        crate::support::cli::provseal()
            .current_dir(dir.path())
            .env_remove("AWS_ACCESS_KEY_ID")
            .env_remove("AWS_SECRET_ACCESS_KEY")
            .env_remove("AWS_SESSION_TOKEN")
            .env_remove("AWS_PROFILE")
            .env_remove("AWS_ENDPOINT_URL")
            .env_remove("AWS_WEB_IDENTITY_TOKEN_FILE")
            .env_remove("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")
            .env_remove("AWS_CONTAINER_CREDENTIALS_FULL_URI")
            .env("HOME", dir.path())
            .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
            .env("AWS_CONFIG_FILE", "/nonexistent")
            .env("AWS_REGION", "us-east-1")
            // Where the client would ask for instance credentials: a
            // listener on loopback instead of 169.254.169.254.
            .env("AWS_METADATA_ENDPOINT", &metadata)
            .args(["--endpoint", &endpoint, "--s3-timeout", "2"])
            .args(["verify", "s3://evidence/a.zip"])
            .args(extra)
            .output()
            .unwrap()
    };
    let o = run(&[]);
    assert_ne!(o.status.code(), Some(0));
    assert_eq!(
        asked.load(std::sync::atomic::Ordering::SeqCst),
        0,
        "the metadata address was contacted without --s3-instance-credentials: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    // The opt-in does ask: the listener stands where the client looks.
    let _ = run(&["--s3-instance-credentials"]);
    assert!(
        asked.load(std::sync::atomic::Ordering::SeqCst) > 0,
        "with --s3-instance-credentials the metadata service is asked"
    );
}
