//! The `provseal` binary end to end: flags, output, exit codes.

use std::fs;
use std::path::PathBuf;

use crate::support::cli::*;
use crate::support::*;

use crate::support::citations::SEED_FILE;

#[test]
fn key_generate_writes_private_0600_and_public_and_refuses_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let prefix = dir.path().join("signer");
    let out = provseal()
        .args(["key", "generate", "--out"])
        .arg(&prefix)
        .output()
        .unwrap();
    assert!(out.status.success());
    let key_id = stdout(&out);
    assert!(
        key_id.starts_with("sha256:") && key_id.trim().len() == 71,
        "{key_id}"
    );
    let private = fs::read_to_string(prefix.with_extension("key")).unwrap();
    assert!(private.starts_with("-----BEGIN PRIVATE KEY-----"));
    assert!(!stdout(&out).contains("PRIVATE") && !stderr(&out).contains("PRIVATE KEY-----"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(prefix.with_extension("key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    assert!(
        fs::read_to_string(prefix.with_extension("pub"))
            .unwrap()
            .starts_with("-----BEGIN PUBLIC KEY-----")
    );
    let again = provseal()
        .args(["key", "generate", "--out"])
        .arg(&prefix)
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("already exists"));
    assert_eq!(
        fs::read_to_string(prefix.with_extension("key")).unwrap(),
        private
    );
}

#[test]
fn the_seed_packs_with_its_metadata_and_verifies() {
    let seed = repo_path(SEED_FILE);
    if !seed.exists() {
        crate::support::skipped_missing(&seed);
        return;
    }
    let (dir, key) = setup();
    let out = pack(
        dir.path(),
        &key,
        &seed,
        "seed.zip",
        &["--repost-url", "https://portal.example.net/news/15210"],
    );
    assert!(out.status.success(), "{}", stderr(&out));

    let r = verify_bytes(
        &fs::read(dir.path().join("seed.zip")).unwrap(),
        &options(&[], false),
    );
    let m = r.manifest.unwrap();
    let a = &m.article;
    assert_eq!(
        a.title,
        "NK calls defectors in SK to persuade them to come back"
    );
    assert_eq!(
        a.subtitle.as_deref(),
        Some(
            "N. Korean political police call defectors in South Korea to persuade them to come back"
        )
    );
    assert_eq!(
        a.published.as_ref().unwrap().value.as_deref(),
        Some("2018-05-27")
    );
    assert_eq!(a.published.as_ref().unwrap().raw, "May 27, 2018");
    assert_eq!(
        m.original_url(),
        Some("http://english.dailynk.com/english/read.php?num=15210&cataId=nk01500")
    );
    assert_eq!(
        m.url_of(provseal::format::manifest::UrlRole::Repost)
            .collect::<Vec<_>>(),
        vec!["https://portal.example.net/news/15210"]
    );
    assert_eq!(a.publisher.as_deref(), Some("Daily NK"));
    assert_eq!(a.section.as_deref(), Some("NK Human Rights Issues"));

    let e = entries(&fs::read(dir.path().join("seed.zip")).unwrap());
    let text = String::from_utf8(get(&e, "article/text.txt").to_vec()).unwrap();
    assert!(
        text.starts_with("As North Korea makes increasingly aggressive calls"),
        "{text}"
    );
    assert!(
        text.trim_end()
            .ends_with("making phone calls.\u{201d} ...."),
        "{text}"
    );
    for nav in ["Prev", "Next", "Home >", "[Source", "Date :", "http://"] {
        assert!(!text.contains(nav), "body contains {nav:?}");
    }
    assert_eq!(
        get(&e, "source/page.txt"),
        fs::read(&seed).unwrap().as_slice()
    );

    let v = provseal()
        .arg("verify")
        .arg(dir.path().join("seed.zip"))
        .output()
        .unwrap();
    assert_eq!(v.status.code(), Some(0), "{}", stdout(&v));
    assert!(stdout(&v).contains("not known to be trusted"));
}

#[test]
fn verify_exit_codes_follow_trust() {
    let (dir, key) = setup();
    pack_ok(dir.path(), &key, &example(), "a.zip", &[]);
    let bundle = dir.path().join("a.zip");
    let trusted = provseal()
        .arg("verify")
        .arg(&bundle)
        .arg("--trust")
        .arg(key.with_extension("pub"))
        .output()
        .unwrap();
    assert_eq!(trusted.status.code(), Some(0));
    assert!(stdout(&trusted).contains("VERIFIED"));
    assert!(stdout(&trusted).contains("cite as"));

    let other = dir.path().join("other");
    provseal()
        .args(["key", "generate", "--out"])
        .arg(&other)
        .assert()
        .success();
    let untrusted = provseal()
        .arg("verify")
        .arg(&bundle)
        .arg("--trust")
        .arg(other.with_extension("pub"))
        .output()
        .unwrap();
    assert_eq!(untrusted.status.code(), Some(1));
    assert!(stdout(&untrusted).contains("E040"));

    let unsigned = dir.path().join("u.zip");
    provseal()
        .arg("pack")
        .arg(example())
        .args(["--unsigned", "-o"])
        .arg(&unsigned)
        .assert()
        .success();
    provseal().arg("verify").arg(&unsigned).assert().code(1);
    provseal()
        .arg("verify")
        .arg(&unsigned)
        .arg("--allow-unsigned")
        .assert()
        .code(0);
    // Allowing unsigned bundles while naming whom to trust is a
    // contradiction: a usage error, never silently one or the other.
    for trust in ["--trust", "--trust-store"] {
        let out = provseal()
            .arg("verify")
            .arg(&unsigned)
            .arg("--allow-unsigned")
            .arg(trust)
            .arg(key.with_extension("pub"))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{trust}");
        assert!(
            stderr(&out).contains("'--allow-unsigned' cannot be used with"),
            "{trust}: {}",
            stderr(&out)
        );
    }
    provseal()
        .arg("verify")
        .arg(&bundle)
        .arg(&unsigned)
        .assert()
        .code(1);
}

#[test]
fn changing_any_byte_of_a_content_file_exits_1_with_a_hash_code() {
    let (dir, key) = setup();
    pack_ok(dir.path(), &key, &example(), "a.zip", &[]);
    let bytes = fs::read(dir.path().join("a.zip")).unwrap();
    let c = provseal::format::container::read_container(
        &mut std::io::Cursor::new(&bytes),
        bytes.len() as u64,
        &Default::default(),
    )
    .unwrap()
    .unwrap();
    let text = c
        .entries
        .iter()
        .find(|e| e.name == "article/text.txt")
        .unwrap();
    for i in [0, text.size / 2, text.size - 1] {
        let mut m = bytes.clone();
        m[(text.data_offset + i) as usize] ^= 0x04;
        let path = dir.path().join(format!("t{i}.zip"));
        fs::write(&path, &m).unwrap();
        let out = provseal().arg("verify").arg(&path).output().unwrap();
        assert_eq!(out.status.code(), Some(1));
        assert!(stdout(&out).contains("E021"), "{}", stdout(&out));
        assert!(stdout(&out).contains("INVALID"));
    }
}

#[test]
fn packing_twice_gives_identical_files_and_never_overwrites() {
    let (dir, key) = setup();
    pack_ok(dir.path(), &key, &example(), "a.zip", &[]);
    pack_ok(dir.path(), &key, &example(), "b.zip", &[]);
    let a = fs::read(dir.path().join("a.zip")).unwrap();
    assert_eq!(a, fs::read(dir.path().join("b.zip")).unwrap());

    fs::write(dir.path().join("c.zip"), b"precious").unwrap();
    let refused = pack(dir.path(), &key, &example(), "c.zip", &[]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(stderr(&refused).contains("already exists"));
    assert_eq!(fs::read(dir.path().join("c.zip")).unwrap(), b"precious");
    pack_ok(dir.path(), &key, &example(), "c.zip", &["--force"]);
    assert_eq!(fs::read(dir.path().join("c.zip")).unwrap(), a);
    let leftovers: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("partial"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn flags_override_extraction_and_stdin_works() {
    let (dir, key) = setup();
    let out = provseal()
        .args(["pack", "-", "--key"])
        .arg(key.with_extension("key"))
        .arg("-o")
        .arg(dir.path().join("s.zip"))
        .args([
            "--title",
            "Given title",
            "--author",
            "Ann Lee",
            "--author",
            "Bo Kim",
            "--published",
            "2024-03-14T09:00:00+09:00",
            "--language",
            "en",
            "--publisher",
            "Given Outlet",
        ])
        .args([
            "--original-url",
            "https://given.example.org/a",
            "--captured-at",
            "2024-03-15T08:30:00Z",
        ])
        .write_stdin(fs::read(example()).unwrap())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let r = verify_bytes(
        &fs::read(dir.path().join("s.zip")).unwrap(),
        &options(&[], false),
    );
    let m = r.manifest.unwrap();
    assert_eq!(m.article.title, "Given title");
    assert_eq!(m.article.authors, vec!["Ann Lee", "Bo Kim"]);
    assert_eq!(
        m.article.published.as_ref().unwrap().value.as_deref(),
        Some("2024-03-14T09:00:00+09:00")
    );
    assert_eq!(m.article.publisher.as_deref(), Some("Given Outlet"));
    assert_eq!(m.original_url(), Some("https://given.example.org/a"));
    assert_eq!(
        m.capture.method,
        provseal::format::manifest::CaptureMethod::Stdin
    );
    let manifest = String::from_utf8(
        get(
            &entries(&fs::read(dir.path().join("s.zip")).unwrap()),
            "manifest.json",
        )
        .to_vec(),
    )
    .unwrap();
    assert!(
        !manifest.contains(dir.path().to_str().unwrap()),
        "the manifest leaks a local path"
    );
}

#[test]
fn bad_input_gives_one_line_errors_and_exit_2() {
    let (dir, key) = setup();
    let out = dir.path().join("x.zip").display().to_string();
    let key_file = |ext: &str| key.with_extension(ext).display().to_string();
    let page = example().display().to_string();
    // An unsigned pack of the example with one flag set to a bad value.
    let bad_flag = |flag: &str, value: &str| -> Vec<String> {
        ["pack", &page, "--unsigned", flag, value, "-o", &out]
            .map(String::from)
            .to_vec()
    };
    let owned = |args: &[&str]| -> Vec<String> { args.iter().map(|a| a.to_string()).collect() };
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            owned(&[
                "pack",
                "/nonexistent/article.txt",
                "--key",
                &key_file("key"),
                "-o",
                &out,
            ]),
            "/nonexistent/article.txt",
        ),
        (
            owned(&["pack", &page, "--key", &key_file("pub"), "-o", &out]),
            "not an Ed25519 private key",
        ),
        (bad_flag("--repost-url", "ftp://x"), "--repost-url"),
        (bad_flag("--published", "someday"), "--published"),
        (bad_flag("--captured-at", "noon"), "--captured-at"),
        // A value provseal would sign, holding what could rewrite a
        // reader's screen: refused, shown escaped on the one error line.
        (bad_flag("--title", "Pier\x1b[2J\nVERIFIED"), "\\u{1b}"),
        (bad_flag("--author", "Ann\u{202e}eeL"), "\\u{202e}"),
        (
            owned(&["verify", "--from-file", "/nonexistent/list"]),
            "/nonexistent/list",
        ),
        (
            owned(&["verify", &page, "--trust", &page]),
            "not an Ed25519 public key",
        ),
    ];
    for (args, needle) in cases {
        let out = provseal().args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(
            err.starts_with("provseal: ") && err.contains(needle),
            "{args:?}: {err}"
        );
        assert!(!err.contains("panicked"));
    }
    assert!(!dir.path().join("x.zip").exists());
    // A file that is not a bundle is a finding (exit 1), not an I/O error.
    provseal()
        .arg("verify")
        .arg(example())
        .assert()
        .code(1)
        .stdout(predicates_str("E001"));
    provseal().arg("verify").assert().code(2);
}

fn predicates_str(needle: &'static str) -> impl predicates::Predicate<[u8]> {
    predicates::function::function(move |out: &[u8]| String::from_utf8_lossy(out).contains(needle))
}

#[test]
fn verify_json_deserialises_to_the_documented_shape() {
    let (dir, key) = setup();
    pack_ok(
        dir.path(),
        &key,
        &example(),
        "a.zip",
        &["--repost-url", "https://portal.example.net/x"],
    );
    let good = dir.path().join("a.zip");
    let mut bad_bytes = fs::read(&good).unwrap();
    bad_bytes[40] ^= 1;
    let bad = dir.path().join("bad.zip");
    fs::write(&bad, bad_bytes).unwrap();
    let out = provseal()
        .arg("verify")
        .arg("--json")
        .arg(&good)
        .arg(&bad)
        .arg("--trust")
        .arg(key.with_extension("pub"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));

    use crate::support::report_shape::Doc;

    let doc: Doc = serde_json::from_slice(&out.stdout).unwrap();
    // Without --cite or jsonl, no bundle says why it is not cited or what
    // record it is.
    assert!(
        doc.bundles
            .iter()
            .all(|b| b.not_cited.is_none() && b.record.is_none())
    );
    // Neither bundle has an appendix: empty timeline, no head, no tokens.
    assert!(
        doc.bundles
            .iter()
            .all(|b| b.custody.is_empty() && b.custody_head.is_none() && b.timestamps.is_empty())
    );
    assert!(doc.bundles.iter().all(|b| b.appendix == "none"));
    // A bundle with custody events and tokens, in the same shape.
    let vectors = crate::support::repo_path("spec/vectors");
    let with_appendix = provseal()
        .arg("verify")
        .arg("--json")
        .arg(vectors.join("valid/custody_and_timestamps.zip"))
        .arg("--trust")
        .arg(vectors.join("keys/test-signer.pub"))
        .arg("--trust")
        .arg(vectors.join("keys/other-signer.pub"))
        .arg("--tsa-root")
        .arg(vectors.join("tsa/root.pem"))
        .output()
        .unwrap();
    assert_eq!(with_appendix.status.code(), Some(0));
    let appendix: Doc = serde_json::from_slice(&with_appendix.stdout).unwrap();
    let b = &appendix.bundles[0];
    assert_eq!(b.appendix, "valid");
    assert_eq!(b.custody.len(), 2);
    assert!(
        b.custody
            .iter()
            .all(|e| e.valid && e.actor_trusted == Some(true))
    );
    assert_eq!(
        b.custody_head.as_deref(),
        Some(b.custody[1].digest.as_str())
    );
    assert_eq!(
        b.timestamps
            .iter()
            .map(|t| t.subject.as_str())
            .collect::<Vec<_>>(),
        ["signature.json", "custody/000001.json"]
    );
    assert!(
        b.timestamps
            .iter()
            .all(|t| t.valid && t.trusted == Some(true) && !t.path.is_empty())
    );
    assert_eq!((doc.provseal.as_str(), doc.version), ("verify-report", 1));
    assert_eq!(
        (doc.summary.total, doc.summary.passed, doc.summary.failed),
        (2, 1, 1)
    );
    assert_eq!(doc.summary.fail_on, "error");
    assert_eq!(doc.summary.states.get("invalid"), Some(&1));
    assert!(doc.summary.bytes > 0 && doc.summary.seconds >= 0.0);
    assert_eq!(
        (
            doc.summary.unreadable,
            doc.summary.with_warnings,
            doc.summary.skipped_files,
            doc.summary.unreadable_dirs.len()
        ),
        (0, 0, 0, 0)
    );
    let g = &doc.bundles[0];
    assert!(g.path.ends_with("a.zip") && g.passed && g.complete && g.state == "verified-trusted");
    assert!(g.bundle_id.as_ref().unwrap().starts_with("sha256:"));
    let s = g.signer.as_ref().unwrap();
    assert!(s.signature_valid && s.trusted == Some(true) && s.key_id.starts_with("sha256:"));
    assert!(g.findings.is_empty() && g.manifest.is_some());
    let c = g.citation.as_ref().unwrap();
    assert!(c.text.contains("https://portal.example.net/x"));
    assert_eq!(
        c.csl_json[0]["archive_location"],
        serde_json::json!(g.bundle_id)
    );
    let b = &doc.bundles[1];
    assert!(!b.passed && b.state == "invalid" && b.citation.is_none());
    assert!(!b.findings.is_empty());
    for f in &b.findings {
        assert!(provseal::Code::parse(&f.code).is_some());
        assert!(matches!(f.severity.as_str(), "error" | "warning") && (1..=6).contains(&f.step));
        assert!(!f.location.is_empty() && !f.message.is_empty());
    }
}

#[test]
fn inspect_and_extract_show_what_is_inside() {
    let (dir, key) = setup();
    pack_ok(dir.path(), &key, &example(), "a.zip", &[]);
    let out = provseal()
        .arg("inspect")
        .arg(dir.path().join("a.zip"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let s = stdout(&out);
    for needle in [
        "Harbour town families questioned",
        "Coastal Affairs",
        "article/text.txt",
        "source/page.txt",
        "README.txt",
        "signer      sha256:",
    ] {
        assert!(s.contains(needle), "{needle}: {s}");
    }
    let out = provseal()
        .arg("extract")
        .arg(example())
        .arg("--json")
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["published"], "2024-03-14");
    assert_eq!(
        v["original_url"],
        "http://news.example.org/read.php?num=4821&cat=c07"
    );
    assert_eq!(v["publisher"], "Example Coast News");
}

#[test]
fn an_html_page_packs_with_its_metadata_and_raw_bytes() {
    let (dir, key) = setup();
    let page = repo_path("examples/article.html");
    let out = pack(dir.path(), &key, &page, "h.zip", &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let bytes = fs::read(dir.path().join("h.zip")).unwrap();
    let r = verify_bytes(&bytes, &options(&[], false));
    assert!(r.passed, "{:#?}", r.findings);
    let m = r.manifest.unwrap();
    assert_eq!(m.article.title, "Ferry service resumes after storm damage");
    assert_eq!(
        m.article.subtitle.as_deref(),
        Some("Harbour crews repaired the pier in nine days")
    );
    assert_eq!(m.article.authors, vec!["Mira Cho", "Daniel Ahn"]);
    assert_eq!(m.article.publisher.as_deref(), Some("Example Coast News"));
    assert_eq!(m.article.section.as_deref(), Some("Coastal Affairs"));
    assert_eq!(m.article.language.as_deref(), Some("en"));
    assert_eq!(
        m.article.published.as_ref().unwrap().value.as_deref(),
        Some("2024-03-12T07:45:00+09:00")
    );
    assert_eq!(
        m.original_url(),
        Some("https://news.example.org/2024/03/ferry-service-resumes")
    );
    let source = m
        .files
        .iter()
        .find(|f| f.path == "source/page.html")
        .unwrap();
    assert_eq!(source.media_type, "text/html");
    let e = entries(&bytes);
    assert_eq!(
        get(&e, "source/page.html"),
        fs::read(&page).unwrap().as_slice()
    );
    let text = String::from_utf8(get(&e, "article/text.txt").to_vec()).unwrap();
    assert!(text.contains("The ferry between the harbour town"));
    for boilerplate in ["Most read", "analytics", "Home", "©", "By Mira Cho"] {
        assert!(!text.contains(boilerplate), "{boilerplate}: {text}");
    }
}

#[test]
fn compare_classifies_truncation_and_edits() {
    let (dir, key) = setup();
    let original = fs::read_to_string(example()).unwrap();
    // The header and the first two body paragraphs, then the portal's
    // truncation mark, source line and navigation.
    let cut = original.find("This sample article").unwrap();
    let truncated = format!(
        "{}....\n\n[Source: Example Coast News]\n\nPrev  Next\n",
        &original[..cut]
    );
    let edited = original.replace("three times", "twice");
    for (name, text) in [("t.txt", truncated.as_str()), ("e.txt", edited.as_str())] {
        fs::write(dir.path().join(name), text).unwrap();
    }
    pack_ok(dir.path(), &key, &example(), "o.zip", &[]);
    pack_ok(dir.path(), &key, &dir.path().join("t.txt"), "t.zip", &[]);
    pack_ok(dir.path(), &key, &dir.path().join("e.txt"), "e.zip", &[]);
    let run = |repost: &str| {
        let out = provseal()
            .arg("compare")
            .arg(dir.path().join("o.zip"))
            .arg(dir.path().join(repost))
            .arg("--json")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let t = run("t.zip");
    assert_eq!(t["comparison"]["relation"], "truncated", "{t:#}");
    let e = run("e.zip");
    assert_eq!(e["comparison"]["relation"], "edited", "{e:#}");
    assert_eq!(e["comparison"]["passages"][0]["original"], "three times.\"");
    assert_eq!(e["comparison"]["passages"][0]["repost"], "twice.\"");
    assert_eq!(run("o.zip")["comparison"]["relation"], "identical");

    let human = provseal()
        .arg("compare")
        .arg(dir.path().join("o.zip"))
        .arg(dir.path().join("e.zip"))
        .output()
        .unwrap();
    assert!(
        stdout(&human).contains("[-three times.\"-] {+twice.\"+}"),
        "{}",
        stdout(&human)
    );

    let mut bad = fs::read(dir.path().join("e.zip")).unwrap();
    bad[100] ^= 1;
    fs::write(dir.path().join("bad.zip"), bad).unwrap();
    let refused = provseal()
        .arg("compare")
        .arg(dir.path().join("o.zip"))
        .arg(dir.path().join("bad.zip"))
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(1));
    assert!(stderr(&refused).contains("did not verify"));
}

#[test]
fn a_closed_output_pipe_is_not_a_panic() {
    let bundles: Vec<PathBuf> = fs::read_dir(repo_path("spec/vectors/invalid"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    for _ in 0..3 {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("provseal"))
            .arg("verify")
            .args(&bundles)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("panicked"), "{err}");
        assert_eq!(out.status.code(), Some(1), "{err}");
    }
}
