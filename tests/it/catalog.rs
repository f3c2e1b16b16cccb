//! The archive catalog end to end (spec/catalog-v1.md): `pack --into`
//! stores and catalogues, duplicates are reported and not stored, search
//! filters by URL, outlet, dates, signer and words, `catalog verify` is a
//! rotating fixity check that records every result, `rebuild` recreates the
//! index from the bundles alone, and concurrent writers lose nothing.

use std::path::Path;

use crate::support::cli::*;

fn run(dir: &Path, args: &[&str]) -> std::process::Output {
    provseal().current_dir(dir).args(args).output().unwrap()
}

fn ok(o: std::process::Output) -> String {
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    stdout(&o)
}

/// Writes an article file whose text differs by `n`, and returns its name.
fn write_article(dir: &Path, n: usize) -> String {
    let name = format!("a{n}.txt");
    std::fs::write(
        dir.join(&name),
        format!("Report number {n} from the coast\n\nThe harbour office said on day {n} that boats returned.\n"),
    )
    .unwrap();
    name
}

/// Writes an article file whose text differs by `n`, and packs it into
/// the archive `arch` with the given capture time and extra flags.
fn pack_into(dir: &Path, n: usize, at: &str, extra: &[&str]) -> std::process::Output {
    let name = write_article(dir, n);
    let mut args = vec![
        "pack",
        &name,
        "--key",
        "k.key",
        "--into",
        "arch",
        "--captured-at",
        at,
    ];
    args.extend_from_slice(extra);
    run(dir, &args)
}

fn search(dir: &Path, args: &[&str]) -> Vec<serde_json::Value> {
    let mut all = vec!["catalog", "search", "--archive", "arch", "--json"];
    all.extend_from_slice(args);
    serde_json::from_str(&ok(run(dir, &all))).unwrap()
}

fn setup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    ok(run(dir.path(), &["key", "generate", "--out", "k"]));
    dir
}

#[test]
fn pack_into_stores_by_date_and_search_finds_by_every_filter() {
    let dir = setup();
    let d = dir.path();
    ok(pack_into(
        d,
        1,
        "2018-05-27T03:00:00Z",
        &[
            "--publisher",
            "Daily NK",
            "--original-url",
            "https://www.dailynk.com/english/read.php?num=1&cataId=nk01500",
            "--published",
            "2018-05-26",
        ],
    ));
    ok(pack_into(
        d,
        2,
        "2018-06-02T03:00:00Z",
        &[
            "--publisher",
            "Daily NK",
            "--published",
            "2018-06-01",
            "--repost-url",
            "https://portal.example.net/view?id=2",
        ],
    ));
    let id3 = ok(pack_into(
        d,
        3,
        "2019-01-01T00:00:00Z",
        &["--publisher", "Other Outlet"],
    ));
    let hex3 = id3.trim().strip_prefix("sha256:").unwrap().to_string();
    assert!(d.join(format!("arch/2019/01/01/{hex3}.zip")).is_file());
    assert!(d.join("arch/catalog.sqlite").is_file());

    let titles = |v: &[serde_json::Value]| -> Vec<String> {
        v.iter()
            .map(|r| r["title"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(search(d, &[]).len(), 3);
    // The same URL, written differently, finds the original.
    let by_url = search(
        d,
        &[
            "--url",
            "http://dailynk.com/english/read.php?cataId=nk01500&num=1&utm_source=tw#c",
        ],
    );
    assert_eq!(titles(&by_url), ["Report number 1 from the coast"]);
    // A repost URL finds its bundle too.
    assert_eq!(
        search(d, &["--url", "https://portal.example.net/view?id=2"]).len(),
        1
    );
    // What do we hold from this outlet in May 2018?
    let may = search(
        d,
        &[
            "--publisher",
            "daily nk",
            "--published-from",
            "2018-05-01",
            "--published-to",
            "2018-05-31",
        ],
    );
    assert_eq!(titles(&may), ["Report number 1 from the coast"]);
    let captured = search(
        d,
        &[
            "--captured-from",
            "2018-06-01",
            "--captured-to",
            "2018-12-31",
        ],
    );
    assert_eq!(titles(&captured), ["Report number 2 from the coast"]);
    let key_id = ok(run(d, &["key", "show", "k.key"]));
    let key_id = key_id
        .split_whitespace()
        .find(|w| w.starts_with("sha256:"))
        .unwrap();
    assert_eq!(search(d, &["--signer", key_id]).len(), 3);
    assert_eq!(search(d, &["--signer", "sha256:00"]).len(), 0);
    // Full-text search over the article text; quotes and operators are
    // plain words, never an SQL or FTS syntax error.
    assert_eq!(
        titles(&search(d, &["--text", "day 2 boats"])),
        ["Report number 2 from the coast"]
    );
    assert_eq!(search(d, &["--text", "\"unbalanced OR NEAR( *"]).len(), 0);
    // Newest capture first, and the table form.
    assert_eq!(search(d, &[])[0]["captured_at"], "2019-01-01T00:00:00Z");
    let table = ok(run(
        d,
        &[
            "catalog",
            "search",
            "--archive",
            "arch",
            "--publisher",
            "Other Outlet",
        ],
    ));
    assert!(
        table.starts_with("captured\tpublished\tpublisher\tstate\tbundle id\ttitle\tlocation\n")
    );
    assert!(table.contains(&format!("2019/01/01/{hex3}.zip")));
}

#[test]
fn a_duplicate_capture_is_reported_and_not_stored_twice() {
    let dir = setup();
    let d = dir.path();
    let first = ok(pack_into(d, 1, "2018-05-27T03:00:00Z", &[]));
    let again = pack_into(d, 1, "2018-05-28T03:00:00Z", &[]);
    assert!(again.status.success());
    assert_eq!(
        stdout(&again),
        first,
        "prints the bundle id the archive holds"
    );
    assert!(stderr(&again).contains("duplicate"), "{}", stderr(&again));
    assert!(!d.join("arch/2018/05/28").exists());
    assert_eq!(search(d, &[]).len(), 1);
    // catalog add of a copy elsewhere: reported, not added.
    let stored = first_in(&d.join("arch/2018/05/27"));
    std::fs::create_dir(d.join("elsewhere")).unwrap();
    std::fs::copy(&stored, d.join("elsewhere/copy.zip")).unwrap();
    let o = run(d, &["catalog", "add", "--archive", "arch", "elsewhere"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).starts_with("duplicate\t"), "{}", stdout(&o));
    let o = run(
        d,
        &[
            "catalog",
            "add",
            "--archive",
            "arch",
            "--allow-duplicate",
            "elsewhere",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(search(d, &[]).len(), 2);
}

#[test]
fn catalog_verify_rotates_records_and_fails_loudly_on_a_changed_bit() {
    let dir = setup();
    let d = dir.path();
    for n in 1..=3 {
        ok(pack_into(d, n, &format!("2018-05-2{n}T03:00:00Z"), &[]));
    }
    let verify = |args: &[&str]| {
        let mut all = vec!["catalog", "verify", "--archive", "arch", "--json"];
        all.extend_from_slice(args);
        let o = run(d, &all);
        let lines: Vec<serde_json::Value> = stdout(&o)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        (o.status.code(), lines)
    };
    // A rotating check: one at a time, each time the longest-unchecked.
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..3 {
        let (code, lines) = verify(&["--limit", "1"]);
        assert_eq!(code, Some(0));
        assert_eq!(lines.len(), 2, "one bundle and the summary");
        seen.insert(lines[0]["location"].as_str().unwrap().to_string());
    }
    assert_eq!(seen.len(), 3, "three runs of --limit 1 checked all three");
    let (_, lines) = verify(&["--older-than", "1h"]);
    assert_eq!(
        lines.last().unwrap()["checked"],
        0,
        "all were checked within the hour"
    );
    // One changed bit: the next check fails with exit 1 and says where.
    let victim = d.join("arch").join(seen.iter().next().unwrap());
    let mut bytes = std::fs::read(&victim).unwrap();
    bytes[200] ^= 0x01;
    std::fs::write(&victim, bytes).unwrap();
    let (code, lines) = verify(&[]);
    assert_eq!(code, Some(1));
    let bad: Vec<_> = lines.iter().filter(|l| l["passed"] == false).collect();
    assert_eq!(bad.len(), 1);
    assert_eq!(bad[0]["state"], "invalid");
    // The catalog remembers the last result; search shows it.
    let states: Vec<String> = search(d, &[])
        .iter()
        .map(|r| r["state"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(states.iter().filter(|s| *s == "invalid").count(), 1);
    // A bundle deleted from the disk is a failure too, not a silent skip.
    std::fs::remove_file(&victim).unwrap();
    let (code, _) = verify(&[]);
    assert_eq!(code, Some(1));
}

#[test]
fn rebuild_recreates_the_catalog_from_the_bundles_alone() {
    let dir = setup();
    let d = dir.path();
    for n in 1..=3 {
        ok(pack_into(
            d,
            n,
            &format!("2018-05-2{n}T03:00:00Z"),
            &["--publisher", "Daily NK"],
        ));
    }
    let before = search(d, &[]);
    for f in ["catalog.sqlite", "catalog.sqlite-wal", "catalog.sqlite-shm"] {
        let _ = std::fs::remove_file(d.join("arch").join(f));
    }
    ok(run(d, &["catalog", "rebuild", "--archive", "arch"]));
    let after = search(d, &[]);
    let keys = |v: &[serde_json::Value]| -> Vec<(String, String, String)> {
        v.iter()
            .map(|r| {
                (
                    r["location"].to_string(),
                    r["bundle_id"].to_string(),
                    r["publisher"].to_string(),
                )
            })
            .collect()
    };
    assert_eq!(keys(&after), keys(&before));
    assert_eq!(
        search(d, &["--text", "day 2"]).len(),
        1,
        "full text is rebuilt too"
    );
}

#[test]
fn concurrent_pack_into_runs_lose_nothing_and_store_a_page_once() {
    let dir = setup();
    let d = dir.path();
    // Eight different articles and four copies of one, all at once.
    for n in 0..12 {
        let text = format!(
            "Report number {0} from the coast\n\nThe harbour office said on day {0} that boats returned.\n",
            if n < 8 { n } else { 99 }
        );
        std::fs::write(d.join(format!("c{n}.txt")), text).unwrap();
    }
    let children: Vec<_> = (0..12)
        .map(|n| {
            std::process::Command::new(assert_cmd::cargo::cargo_bin("provseal"))
                .current_dir(d)
                .args([
                    "pack",
                    &format!("c{n}.txt"),
                    "--key",
                    "k.key",
                    "--into",
                    "arch",
                ])
                .args(["--captured-at", &format!("2018-05-27T03:00:{n:02}Z")])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut duplicates = 0;
    for c in children {
        let out = c.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr).to_string();
        assert!(out.status.success(), "{err}");
        duplicates += usize::from(err.contains("duplicate"));
    }
    assert_eq!(
        duplicates, 3,
        "the same page stored once, reported three times"
    );
    assert_eq!(search(d, &[]).len(), 9);
    let stored = walk(&d.join("arch"));
    assert_eq!(stored, 9, "as many bundle files as catalogue rows");
    // The database is sound.
    let o = run(d, &["catalog", "verify", "--archive", "arch"]);
    assert!(o.status.success(), "{}", stderr(&o));
}

fn walk(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            if p.is_dir() {
                walk(&p)
            } else {
                usize::from(p.extension().is_some_and(|x| x == "zip"))
            }
        })
        .sum()
}

#[test]
fn catalog_verify_catches_custody_events_cut_off_since_the_last_check() {
    let dir = setup();
    let d = dir.path();
    ok(pack_into(d, 1, "2018-05-27T03:00:00Z", &[]));
    let stored = first_in(&d.join("arch/2018/05/27"));
    let bundle = stored.to_str().unwrap().to_string();
    let attest = |time: &str| {
        ok(run(
            d,
            &[
                "attest", &bundle, "--key", "k.key", "--action", "reviewed", "--time", time,
            ],
        ))
    };
    let check = || run(d, &["catalog", "verify", "--archive", "arch"]);
    attest("2018-05-28T00:00:00Z");
    assert!(check().status.success());
    // Appending is custody going on: still passes, and the new head is recorded.
    let head = attest("2018-05-29T00:00:00Z");
    assert!(check().status.success());
    assert_eq!(search(d, &[])[0]["custody_head"], head.trim());
    // Cutting the last event off leaves a valid chain, but not the recorded head.
    let bytes = std::fs::read(&stored).unwrap();
    let mut entries = crate::support::entries(&bytes);
    assert_eq!(entries.pop().unwrap().0, "custody/000002.json");
    std::fs::write(&stored, crate::support::rebuild(&entries)).unwrap();
    let o = check();
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("E066"), "{}", stdout(&o));
    // A failed check keeps the head known before.
    assert_eq!(search(d, &[])[0]["custody_head"], head.trim());
}

/// The first entry of a directory (the one bundle a test stored there).
fn first_in(dir: &Path) -> std::path::PathBuf {
    std::fs::read_dir(dir)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path()
}

#[test]
fn a_bundle_someone_else_made_never_takes_the_place_of_ones_own() {
    let dir = setup();
    let d = dir.path();
    ok(run(d, &["key", "generate", "--out", "other"]));
    // Someone catalogues the same page first: unsigned, then under
    // another key.
    write_article(d, 1);
    let mut args = vec![
        "pack",
        "a1.txt",
        "--unsigned",
        "--into",
        "arch",
        "--captured-at",
        "2018-05-25T03:00:00Z",
    ];
    ok(run(d, &args));
    args[2] = "--key";
    args.insert(3, "other.key");
    args[7] = "2018-05-26T03:00:00Z";
    ok(run(d, &args));
    assert_eq!(search(d, &[]).len(), 2, "an unsigned and another key's");

    // The archivist's own signed capture of that page is stored, not
    // reported as already held.
    let own = pack_into(d, 1, "2018-05-27T03:00:00Z", &[]);
    assert!(own.status.success(), "{}", stderr(&own));
    assert!(!stderr(&own).contains("duplicate"), "{}", stderr(&own));
    assert!(d.join("arch/2018/05/27").exists(), "nothing stored");
    assert_eq!(search(d, &[]).len(), 3);
    // A second capture under the same key is the duplicate.
    let again = pack_into(d, 1, "2018-05-28T03:00:00Z", &[]);
    assert!(again.status.success());
    assert!(stderr(&again).contains("duplicate"), "{}", stderr(&again));
    assert!(!d.join("arch/2018/05/28").exists());

    // catalog add follows the same rule: a copy of the other key's bundle
    // is a duplicate of that one, a bundle under a third key is not.
    ok(run(d, &["key", "generate", "--out", "third"]));
    std::fs::create_dir(d.join("incoming")).unwrap();
    let mut third = args.clone();
    third[3] = "third.key";
    third[4] = "-o";
    third[5] = "incoming/third.zip";
    ok(run(d, &third));
    let o = run(d, &["catalog", "add", "--archive", "arch", "incoming"]);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    assert_eq!(search(d, &[]).len(), 4);
}
