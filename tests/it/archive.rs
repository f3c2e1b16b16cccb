//! `verify` over an archive: directories walked, bundles recognised by
//! content, parallel runs with deterministic output, shards, every output
//! format parsed, unreadable bundles as findings, `--fail-on`, `--summary`.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::cli::*;

/// An archive: nested bundles, a bundle under another name, a README, a
/// ZIP that is not a bundle, and a dangling link named like a bundle.
fn archive() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let (dir, key) = setup();
    let root = dir.path().join("archive");
    for sub in ["2024/03", "2024/04", "misc"] {
        fs::create_dir_all(root.join(sub)).unwrap();
    }
    for (i, name) in [
        "2024/03/a.zip",
        "2024/03/b.zip",
        "2024/04/c.zip",
        "2024/04/d.zip",
    ]
    .iter()
    .enumerate()
    {
        let title = format!("Report number {i}");
        pack_ok(&root, &key, &example(), name, &["--title", &title]);
    }
    pack_ok(&root, &key, &example(), "misc/e.bundle", &[]);
    fs::write(root.join("misc/README.txt"), "not a bundle").unwrap();
    fs::write(
        root.join("misc/zz-other.zip"),
        b"PK\x05\x06 not a bundle at all",
    )
    .unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(root.join("misc/gone.zip"), root.join("misc/vanished.zip")).unwrap();
    (dir, root, key)
}

fn verify(key: &Path, args: &[&str]) -> std::process::Output {
    provseal()
        .arg("verify")
        .arg("--trust")
        .arg(key.with_extension("pub"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn a_directory_is_walked_and_every_bundle_reported_in_the_same_order_whatever_j() {
    let (_dir, root, key) = archive();
    let r = root.to_str().unwrap();
    let one = verify(&key, &["--format", "jsonl", "-j", "1", r]);
    let four = verify(&key, &["--format", "jsonl", "-j", "4", r]);
    assert_eq!(one.status.code(), Some(1), "{}", stderr(&one));
    let (l1, l4) = (jsonl(&one), jsonl(&four));
    let paths = |l: &[serde_json::Value]| -> Vec<String> {
        l.iter()
            .filter(|v| v["record"] == "bundle")
            .map(|v| {
                v["path"]
                    .as_str()
                    .unwrap()
                    .strip_prefix(r)
                    .unwrap()
                    .to_string()
            })
            .collect()
    };
    let want = [
        "/2024/03/a.zip",
        "/2024/03/b.zip",
        "/2024/04/c.zip",
        "/2024/04/d.zip",
        "/misc/e.bundle",
        "/misc/vanished.zip",
        "/misc/zz-other.zip",
    ];
    assert_eq!(paths(&l1), want);
    // Everything but the timing is the same.
    assert_eq!(l1[..7], l4[..7]);
    let by_path = |p: &str| {
        l1.iter()
            .find(|v| v["path"].as_str().unwrap().ends_with(p))
            .unwrap()
    };
    assert_eq!(
        by_path("e.bundle")["state"],
        "verified-trusted",
        "found by content"
    );
    assert_eq!(by_path("vanished.zip")["findings"][0]["code"], "E001");
    assert!(
        by_path("vanished.zip")["findings"][0]["message"]
            .as_str()
            .unwrap()
            .starts_with("the file could not be read")
    );
    assert_eq!(by_path("zz-other.zip")["state"], "invalid");
    let summary = &l1[7];
    assert_eq!(summary["record"], "summary");
    let s = &summary["summary"];
    assert_eq!(
        (
            s["total"].as_u64(),
            s["passed"].as_u64(),
            s["failed"].as_u64()
        ),
        (Some(7), Some(5), Some(2))
    );
    assert_eq!(
        (s["unreadable"].as_u64(), s["skipped_files"].as_u64()),
        (Some(1), Some(1))
    );
}

#[test]
fn shards_cover_every_bundle_exactly_once() {
    let (_dir, root, key) = archive();
    let r = root.to_str().unwrap();
    let all: BTreeSet<String> = jsonl(&verify(&key, &["--format", "jsonl", r]))
        .iter()
        .filter_map(|v| v["path"].as_str().map(str::to_string))
        .collect();
    assert_eq!(all.len(), 7);
    for n in [1, 2, 3, 5] {
        let mut union = BTreeSet::new();
        let mut count = 0;
        for i in 1..=n {
            let shard = format!("{i}/{n}");
            let lines = jsonl(&verify(&key, &["--format", "jsonl", "--shard", &shard, r]));
            for p in lines.iter().filter_map(|v| v["path"].as_str()) {
                union.insert(p.to_string());
                count += 1;
            }
        }
        assert_eq!(union, all, "{n} shards");
        assert_eq!(count, all.len(), "{n} shards: a bundle in two shards");
    }
}

#[test]
fn junit_parses_with_one_testcase_per_bundle() {
    let (_dir, root, key) = archive();
    let out = verify(&key, &["--format", "junit", root.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let xml = dir_file(&out.stdout);
    let found = Command::new("python3")
        .args(["-c", "import junitparser"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        crate::support::skipped_without("junitparser", "pip install -r tests/requirements.txt");
        return;
    }
    let script = r#"
import sys, json
from junitparser import JUnitXml, Failure, Error
xml = JUnitXml.fromfile(sys.argv[1])
cases = []
for suite in xml:
    for case in suite:
        kinds = [type(r).__name__ for r in case.result]
        cases.append({"name": case.name, "results": kinds,
                      "messages": [r.message for r in case.result]})
print(json.dumps({"tests": xml.tests, "failures": xml.failures, "errors": xml.errors, "cases": cases}))
"#;
    let o = Command::new("python3")
        .args(["-c", script])
        .arg(&xml)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        (
            v["tests"].as_u64(),
            v["failures"].as_u64(),
            v["errors"].as_u64()
        ),
        (Some(7), Some(1), Some(1))
    );
    let cases = v["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 7);
    let case = |p: &str| {
        cases
            .iter()
            .find(|c| c["name"].as_str().unwrap().ends_with(p))
            .unwrap()
    };
    assert_eq!(case("a.zip")["results"], serde_json::json!([]));
    assert_eq!(
        case("vanished.zip")["results"],
        serde_json::json!(["Error"])
    );
    assert_eq!(
        case("zz-other.zip")["results"],
        serde_json::json!(["Failure"])
    );
    assert!(
        case("zz-other.zip")["messages"][0]
            .as_str()
            .unwrap()
            .contains("E00")
    );
}

fn dir_file(bytes: &[u8]) -> PathBuf {
    let dir = tempfile::tempdir().unwrap().keep();
    let p = dir.join("report.xml");
    fs::write(&p, bytes).unwrap();
    p
}

#[test]
fn lists_stdin_fail_on_summary_and_colour() {
    let (dir, root, key) = archive();
    let good = root.join("2024/03/a.zip");
    let list = dir.path().join("list.txt");
    fs::write(
        &list,
        format!(
            "{}\n\n{}\n",
            good.display(),
            root.join("2024/04/c.zip").display()
        ),
    )
    .unwrap();
    let out = verify(&key, &["--from-file", list.to_str().unwrap(), "--summary"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out).lines().count(), 1, "{}", stdout(&out));
    assert!(
        stdout(&out).starts_with("2 of 2 bundles passed, 0 failed: 2 signed by a trusted key, 0 intact with a signer not known to be trusted, 0 intact and unsigned, 0 invalid"),
        "{}",
        stdout(&out)
    );
    assert!(stderr(&out).is_empty(), "no progress bar off a terminal");

    let piped = provseal()
        .args(["verify", "--format", "json", "--from-file", "-", "--trust"])
        .arg(key.with_extension("pub"))
        .write_stdin(format!("{}\n", good.display()))
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&piped.stdout).unwrap();
    assert_eq!(doc["summary"]["passed"], 1);

    let bundle = provseal()
        .args(["verify", "-", "--trust"])
        .arg(key.with_extension("pub"))
        .write_stdin(fs::read(&good).unwrap())
        .output()
        .unwrap();
    assert_eq!(bundle.status.code(), Some(0), "{}", stderr(&bundle));
    assert!(stdout(&bundle).starts_with("-: VERIFIED"));

    // Without --trust a valid signature is only a warning (W003).
    let untrusted = |fail_on: &str| {
        provseal()
            .args(["verify", "--fail-on", fail_on])
            .arg(&good)
            .output()
            .unwrap()
    };
    assert_eq!(untrusted("error").status.code(), Some(0));
    assert_eq!(untrusted("warning").status.code(), Some(1));

    let coloured = |args: &[&str], no_color: bool| {
        let mut c = provseal();
        c.arg("verify").args(args).arg(&good);
        if no_color {
            c.env("NO_COLOR", "1");
        } else {
            c.env_remove("NO_COLOR");
        }
        stdout(&c.output().unwrap())
    };
    assert!(coloured(&["--color", "always"], false).contains("\x1b[1;33m"));
    assert!(
        !coloured(&[], false).contains('\x1b'),
        "stdout is not a terminal"
    );
    assert!(!coloured(&["--color", "never"], false).contains('\x1b'));

    let empty = dir.path().join("empty");
    fs::create_dir(&empty).unwrap();
    let none = verify(&key, &[empty.to_str().unwrap()]);
    assert_eq!(none.status.code(), Some(1));
    assert!(stderr(&none).contains("no bundles found"));
}

/// The text of a terminal frame, without its escape sequences.
fn strip_escapes(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            if chars.peek() == Some(&'[') {
                chars.next();
                for d in chars.by_ref() {
                    if d.is_ascii_alphabetic() {
                        break;
                    }
                }
            }
        } else if !c.is_control() {
            out.push(c);
        }
    }
    out
}

/// On a terminal (emulated by util-linux `script`), stderr carries a
/// progress bar with bundles done, bytes per second and ETA; `--quiet`
/// silences it.
#[test]
fn a_progress_bar_shows_on_a_terminal_only() {
    if Command::new("script").arg("--version").output().is_err() {
        crate::support::skipped_without("script(1)", "apt-get install bsdutils");
        return;
    }
    let (_dir, root, key) = archive();
    let bin = assert_cmd::cargo::cargo_bin("provseal");
    let run = |extra: &str| {
        let cmd = format!(
            "{} verify {extra} --trust {} {}",
            bin.display(),
            key.with_extension("pub").display(),
            root.display()
        );
        let o = Command::new("script")
            .args(["-qec", &cmd, "/dev/null"])
            .env("TERM", "xterm")
            .output()
            .unwrap();
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    let shown = run("");
    assert!(
        shown.contains("/7 bundles") && shown.contains("ETA"),
        "{shown}"
    );
    // Each frame of the bar, escapes removed, fits 80 columns, and its
    // rate is rounded (`370 B/s`, `4.2 MiB/s`).
    let frames: Vec<String> = shown
        .split(['\r', '\n'])
        .map(strip_escapes)
        .filter(|f| f.contains("ETA"))
        .collect();
    assert!(!frames.is_empty(), "{shown}");
    for f in &frames {
        assert!(
            f.trim_end().chars().count() <= 80,
            "{} columns: {f:?}",
            f.chars().count()
        );
        let rate = f
            .split_whitespace()
            .find(|w| w.ends_with("B/s"))
            .map(|unit| {
                let words: Vec<&str> = f.split_whitespace().collect();
                let i = words.iter().position(|w| w == &unit).unwrap();
                words[i - 1].to_string()
            })
            .unwrap_or_else(|| panic!("no rate in {f:?}"));
        let digits = rate.chars().filter(|c| c.is_ascii_digit()).count();
        assert!(
            digits <= 3 && rate.parse::<f64>().is_ok(),
            "rate {rate:?} in {f:?}"
        );
    }
    let quiet = run("--quiet");
    assert!(!quiet.contains("ETA"), "{quiet}");
}

/// The shell recipe in examples/ci/ runs as documented: a JUnit report and
/// a JSON Lines log, and the run's status.
#[test]
fn the_ci_recipe_writes_its_reports_and_fails_on_a_bad_archive() {
    let (dir, root, key) = archive();
    let keys = dir.path().join("keys");
    fs::create_dir(&keys).unwrap();
    fs::copy(key.with_extension("pub"), keys.join("newsroom.pub")).unwrap();
    let bin_dir = assert_cmd::cargo::cargo_bin("provseal")
        .parent()
        .unwrap()
        .to_path_buf();
    let path = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap());
    let reports = dir.path().join("reports");
    let run = |archive: &Path| {
        Command::new("sh")
            .arg(crate::support::repo_path("examples/ci/verify-archive.sh"))
            .env("PATH", &path)
            .env("ARCHIVE_DIR", archive)
            .env("TRUSTED_KEYS", &keys)
            .env("REPORT_DIR", &reports)
            .output()
            .unwrap()
    };
    let bad = run(&root);
    assert_eq!(
        bad.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );
    let junit = fs::read_to_string(reports.join("provseal-junit.xml")).unwrap();
    assert!(
        junit.contains("<testsuite name=\"provseal verify\" tests=\"7\""),
        "{junit}"
    );
    let log = fs::read_to_string(reports.join("provseal.jsonl")).unwrap();
    assert_eq!(log.lines().count(), 8);
    let good = run(&root.join("2024"));
    assert_eq!(
        good.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&good.stderr)
    );
    assert!(String::from_utf8_lossy(&good.stdout).contains("\"passed\":4"));
}
