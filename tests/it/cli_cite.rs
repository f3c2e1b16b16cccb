//! `provseal cite` and `verify --cite` end to end: every format, `all`
//! with and without `--out-dir`, citations only for bundles that verified,
//! and hostile metadata escaped in every format that has syntax.

use std::fs;
use std::path::{Path, PathBuf};

use crate::support::cli::*;

/// A signed bundle of the example article with an author and a repost.
fn signed_bundle(dir: &Path, key: &Path, name: &str, extra: &[&str]) -> PathBuf {
    let mut args = vec![
        "--repost-url",
        "https://portal.example.net/x",
        "--author",
        "Ann Lee",
    ];
    args.extend_from_slice(extra);
    pack_ok(dir, key, &example(), name, &args);
    dir.join(name)
}

fn cite(bundle: &Path, key: &Path, args: &[&str]) -> std::process::Output {
    provseal()
        .arg("cite")
        .arg(bundle)
        .arg("--trust")
        .arg(key.with_extension("pub"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn every_format_carries_the_evidence() {
    let (dir, key) = setup();
    let bundle = signed_bundle(dir.path(), &key, "a.zip", &[]);
    let out = |fmt: &str| {
        let o = cite(&bundle, &key, &["--format", fmt]);
        assert!(o.status.success(), "{fmt}: {}", stderr(&o));
        stdout(&o)
    };
    let text = out("text");
    for needle in [
        "http://news.example.org/read.php?num=4821&cat=c07",
        "https://portal.example.net/x",
        "2024-03-15T08:30:00Z",
        "Evidence bundle sha256:",
        "signed by Ed25519 key sha256:",
    ] {
        assert!(text.contains(needle), "{needle}: {text}");
    }
    let ris = out("ris");
    assert!(ris.starts_with("TY  - NEWS\r\n") && ris.ends_with("ER  - \r\n"));
    assert!(!ris.replace("\r\n", "").contains('\n'));
    for tag in [
        "TI  - ",
        "T2  - ",
        "PB  - ",
        "AU  - Lee, Ann",
        "DA  - 2024/03/14",
        "PY  - 2024",
        "UR  - ",
        "Y2  - 2024/03/15",
        "DB  - ",
        "AN  - sha256:",
        "N1  - ",
    ] {
        assert!(ris.contains(tag), "{tag}");
    }
    let bib = out("biblatex");
    assert!(bib.starts_with("@article{provseal-"), "{bib}");
    for field in [
        "entrysubtype = {magazine}",
        "author = {Lee, Ann}",
        "journaltitle = {{Example Coast News}}",
        "date = {2024-03-14}",
        "urldate = {2024-03-15}",
        "eprinttype = {sha256}",
        "addendum = {Reposted at \\url{https://portal.example.net/x}",
    ] {
        assert!(bib.contains(field), "{field}: {bib}");
    }
    let bibtex = out("bibtex");
    assert!(
        bibtex.starts_with("@misc{provseal-") && bibtex.contains("month = mar,"),
        "{bibtex}"
    );
    let csl: serde_json::Value = serde_json::from_str(&out("csl-json")).unwrap();
    assert_eq!(csl[0]["type"], "article-newspaper");
    assert_eq!(csl[0]["author"][0]["family"], "Lee");

    let chicago = out("chicago");
    let lines: Vec<&str> = chicago.lines().collect();
    assert_eq!(lines.len(), 2, "note and bibliography: {chicago}");
    assert!(
        lines[0].starts_with("Ann Lee, \u{201c}Harbour Town Families Questioned"),
        "{chicago}"
    );
    assert!(
        lines[1].starts_with("Lee, Ann. \u{201c}Harbour Town"),
        "{chicago}"
    );
    assert!(out("apa").starts_with("Lee, A. (2024, March 14). Harbour town families"));
    assert!(out("mla").starts_with("Lee, Ann. \u{201c}Harbour Town Families"));
    assert!(out("bluebook").starts_with("Ann Lee, Harbour Town Families Questioned After"));
    // Dates as each style writes them; the bundle id in full; the other
    // digests only in the machine formats, unless --full-evidence.
    for (human, archived) in [
        (chicago, "archived March 15, 2024, 08:30 UTC"),
        (out("apa"), "archived March 15, 2024, 08:30 UTC"),
        (out("mla"), "archived 15 Mar. 2024, 08:30 UTC"),
        (out("bluebook"), "archived Mar. 15, 2024, 08:30 UTC"),
    ] {
        for needle in [
            "Reposted at https://portal.example.net/x",
            archived,
            "evidence bundle sha256:",
            "signed by Ed25519 key sha256:",
        ] {
            assert!(human.contains(needle), "{needle}: {human}");
        }
        assert!(!human.contains("source SHA-256"), "{human}");
        assert!(
            !human.contains("2024-03-15"),
            "no ISO date in prose: {human}"
        );
    }
    let full = stdout(&cite(
        &bundle,
        &key,
        &["--format", "apa", "--full-evidence"],
    ));
    assert!(full.contains(", source SHA-256 "), "{full}");
    let key_id = csl[0]["custom"]["signer_key_id"].as_str().unwrap();
    assert!(
        full.contains(&format!("signed by Ed25519 key {key_id}.")),
        "{full}"
    );
    assert!(csl[0]["custom"]["source_sha256"].is_string());
    let html = stdout(&cite(&bundle, &key, &["--format", "mla", "--html"]));
    assert!(html.contains("<i>Example Coast News</i>"), "{html}");
    let robust = out("robust-links");
    assert_eq!(
        robust.matches("<a ").count(),
        2,
        "original and repost: {robust}"
    );
    assert!(
        !robust.contains("data-versionurl"),
        "no public URL given: {robust}"
    );
    let public = stdout(&cite(
        &bundle,
        &key,
        &[
            "--format",
            "robust-links",
            "--public-url",
            "https://archive.example.org/a.zip",
        ],
    ));
    assert_eq!(
        public
            .matches("data-versionurl=\"https://archive.example.org/a.zip\"")
            .count(),
        2
    );
}

#[test]
fn all_prints_every_format_or_writes_one_file_each() {
    let (dir, key) = setup();
    let bundle = signed_bundle(dir.path(), &key, "a.zip", &[]);
    let doc = stdout(&cite(&bundle, &key, &["--format", "all"]));
    for heading in [
        "## CSL-JSON",
        "## BibLaTeX",
        "## BibTeX",
        "## RIS",
        "## Chicago",
        "## APA",
        "## MLA",
        "## Bluebook",
        "## Robust Links",
        "## Evidence sentence",
    ] {
        assert!(doc.contains(heading), "{heading}");
    }
    let out_dir = dir.path().join("cites");
    let o = cite(&bundle, &key, &["--format", "all", "--html", "--out-dir"]);
    assert_eq!(o.status.code(), Some(2), "--out-dir needs a value");
    let into = |extra: &[&str]| {
        provseal()
            .arg("cite")
            .arg(&bundle)
            .arg("--trust")
            .arg(key.with_extension("pub"))
            .args(["--format", "all", "--html", "--out-dir"])
            .arg(&out_dir)
            .args(extra)
            .output()
            .unwrap()
    };
    // A folder that is not there is an error, named, before any work.
    let o = into(&[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o)
            .contains("cites: the folder does not exist (create it first, or give --parents)"),
        "{}",
        stderr(&o)
    );
    assert!(!out_dir.exists());
    let o = into(&["--parents"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut names: Vec<String> = fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "citation.apa.html",
            "citation.biblatex.bib",
            "citation.bibtex.bib",
            "citation.bluebook.html",
            "citation.chicago.html",
            "citation.csl.json",
            "citation.mla.html",
            "citation.ris",
            "citation.robust-links.html",
            "citation.txt",
        ]
    );
    let o = cite(&bundle, &key, &["--format", "apa", "--out-dir", "x"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--out-dir goes with --format all"));
}

#[test]
fn verify_cites_only_what_verified_and_says_why_not_for_the_rest() {
    let (dir, key) = setup();
    let good = signed_bundle(dir.path(), &key, "good.zip", &[]);
    let also = signed_bundle(
        dir.path(),
        &key,
        "also.zip",
        &["--title", "A second report"],
    );
    let broken = signed_bundle(dir.path(), &key, "broken.zip", &[]);
    let mut bytes = fs::read(&broken).unwrap();
    let n = bytes.len();
    bytes[n / 2] ^= 1;
    fs::write(&broken, bytes).unwrap();
    let out = dir.path().join("unsigned.zip");
    let o = provseal()
        .arg("pack")
        .arg(example())
        .args(["--unsigned", "-o"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));

    let verify = |format: &str, extra: &[&str]| {
        provseal()
            .arg("verify")
            .args(["--cite", format, "--trust"])
            .arg(key.with_extension("pub"))
            .args(extra)
            .args([&good, &broken, &out, &also])
            .output()
            .unwrap()
    };
    let o = verify("biblatex", &[]);
    assert_eq!(o.status.code(), Some(1));
    let cited = stdout(&o);
    assert_eq!(cited.matches("@article{").count(), 2, "{cited}");
    assert!(cited.contains("A second report"));
    let err = stderr(&o);
    assert!(
        err.contains("broken.zip: not cited: it is invalid (E0"),
        "{err}"
    );
    assert!(
        err.contains("unsigned.zip: not cited: it is unsigned"),
        "{err}"
    );
    assert!(err.contains("VERIFIED"), "the report goes to stderr: {err}");

    let o = verify("csl-json", &[]);
    let items: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        items.as_array().unwrap().len(),
        2,
        "one array for all bundles"
    );

    let o = verify("apa", &["--json"]);
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let bundles = doc["bundles"].as_array().unwrap();
    assert!(
        bundles[0]["citation"]["formatted"]
            .as_str()
            .unwrap()
            .starts_with("Lee, A. (2024, March 14).")
    );
    assert_eq!(bundles[0]["citation"]["format"], "apa");
    assert!(bundles[1]["citation"].is_null());
    assert!(
        bundles[1]["not_cited"]
            .as_str()
            .unwrap()
            .starts_with("it is invalid")
    );

    let o = verify("all", &[]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn hostile_metadata_is_escaped_in_every_syntax() {
    let (dir, key) = setup();
    let title = "<script>alert(1)</script> & {\\evil} 100% \"quoted\"";
    let bundle = signed_bundle(
        dir.path(),
        &key,
        "h.zip",
        &["--title", title, "--publisher", "<b>Outlet</b> & Co"],
    );
    for fmt in ["robust-links", "chicago", "apa", "mla", "bluebook"] {
        let html = stdout(&cite(&bundle, &key, &["--format", fmt, "--html"]));
        assert!(
            !html.contains("<script>") && !html.contains("<b>"),
            "{fmt}: {html}"
        );
        assert!(
            html.to_lowercase().contains("&lt;script&gt;"),
            "{fmt}: {html}"
        );
    }
    let bib = stdout(&cite(&bundle, &key, &["--format", "biblatex"]));
    assert!(
        bib.contains("\\textbraceleft{}\\textbackslash{}evil\\textbraceright{}")
            && bib.contains("100\\%"),
        "{bib}"
    );
    let ris = stdout(&cite(&bundle, &key, &["--format", "ris"]));
    assert!(ris.contains(&format!("TI  - {title}\r\n")), "{ris}");
    let csl: serde_json::Value =
        serde_json::from_str(&stdout(&cite(&bundle, &key, &["--format", "csl-json"]))).unwrap();
    assert_eq!(csl[0]["title"], title);
}

#[test]
fn out_dir_never_overwrites_without_force_and_never_follows_a_link() {
    let (dir, key) = setup();
    let bundle = signed_bundle(dir.path(), &key, "a.zip", &[]);
    let write = |out: &Path, force: bool| {
        let mut args = vec![
            "--format",
            "all",
            "--parents",
            "--out-dir",
            out.to_str().unwrap(),
        ];
        if force {
            args.push("--force");
        }
        cite(&bundle, &key, &args)
    };
    let out = dir.path().join("cites");
    let first = write(&out, false);
    assert!(first.status.success(), "{}", stderr(&first));
    let ris = out.join("citation.ris");
    let fresh = fs::read(&ris).unwrap();
    fs::write(&ris, "my own notes").unwrap();
    let again = write(&out, false);
    assert_eq!(again.status.code(), Some(2));
    assert!(
        stderr(&again).contains("already exists (use --force to replace it); nothing was written"),
        "{}",
        stderr(&again)
    );
    assert_eq!(fs::read(&ris).unwrap(), b"my own notes");
    let forced = write(&out, true);
    assert!(forced.status.success(), "{}", stderr(&forced));
    assert_eq!(fs::read(&ris).unwrap(), fresh);

    // A link planted in the directory, to a file outside it, or to
    // nothing: refused without --force; with it the link itself is
    // replaced and what it pointed at is untouched.
    let linked = dir.path().join("linked");
    fs::create_dir(&linked).unwrap();
    let outside = dir.path().join("outside.txt");
    fs::write(&outside, "keep me").unwrap();
    std::os::unix::fs::symlink(&outside, linked.join("citation.ris")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("nowhere"), linked.join("citation.txt")).unwrap();
    let refused = write(&linked, false);
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    assert_eq!(fs::read_dir(&linked).unwrap().count(), 2, "nothing written");
    assert!(!dir.path().join("nowhere").exists());
    let forced = write(&linked, true);
    assert!(forced.status.success(), "{}", stderr(&forced));
    assert_eq!(fs::read(&outside).unwrap(), b"keep me");
    assert!(!dir.path().join("nowhere").exists());
    for name in ["citation.ris", "citation.txt"] {
        let meta = fs::symlink_metadata(linked.join(name)).unwrap();
        assert!(meta.file_type().is_file(), "{name} is still a link");
    }
    assert_eq!(fs::read(linked.join("citation.ris")).unwrap(), fresh);
}

#[test]
fn cite_without_trust_says_the_signer_is_not_known_to_be_trusted() {
    let (dir, key) = setup();
    let bundle = signed_bundle(dir.path(), &key, "a.zip", &[]);
    let o = provseal()
        .arg("cite")
        .arg(&bundle)
        .args(["--format", "apa"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("is not known to be trusted"),
        "{}",
        stderr(&o)
    );
    let trusted = cite(&bundle, &key, &["--format", "apa"]);
    assert!(trusted.status.success());
    assert!(!stderr(&trusted).contains("not known to be trusted"));
    assert_eq!(stdout(&o), stdout(&trusted));
}

#[test]
fn a_question_in_the_title_is_not_followed_by_a_second_mark() {
    let (dir, key) = setup();
    let bundle = signed_bundle(
        dir.path(),
        &key,
        "q.zip",
        &["--title", "Who is watching the families?"],
    );
    for format in ["chicago", "apa", "mla", "bluebook", "text"] {
        let text = stdout(&cite(&bundle, &key, &["--format", format]));
        for doubled in ["?.", "?,", "?\u{201d}.", "?\u{201d},"] {
            assert!(!text.contains(doubled), "{format}: {doubled:?} in {text}");
        }
        assert!(
            text.to_lowercase().contains("families?"),
            "{format}: {text}"
        );
    }
}
