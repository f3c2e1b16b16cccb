//! What a newcomer meets first (issue 16): verdicts and errors in plain
//! words, checks of inputs and folders before any work, and the help.
//! Each test runs the binary as a person would and reads what they see.

use std::fs;

use crate::support::cli::*;
use crate::support::*;

fn verify(path: &std::path::Path, key: &std::path::Path) -> std::process::Output {
    provseal()
        .arg("verify")
        .arg(path)
        .arg("--trust")
        .arg(key.with_extension("pub"))
        .output()
        .unwrap()
}

/// A temp dir with a key pair and the example article packed as `name`.
fn packed_example(name: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, key) = setup();
    pack_ok(
        dir.path(),
        &key,
        &repo_path("examples/article.txt"),
        name,
        &[],
    );
    (dir, key)
}

/// A trust store at `dir/trust.toml` naming `key` "Example Newsroom".
fn newsroom_store(dir: &std::path::Path, key: &std::path::Path) -> std::path::PathBuf {
    let store = dir.join("trust.toml");
    let o = provseal()
        .args(["trust", "add", "--store"])
        .arg(&store)
        .args(["--name", "Example Newsroom"])
        .arg(key.with_extension("pub"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    store
}

/// The command stopped with exit 2 and said `says` on standard error.
fn refused(o: &std::process::Output, says: &str) {
    assert_eq!(o.status.code(), Some(2), "{}", stderr(o));
    assert!(stderr(o).contains(says), "{}", stderr(o));
}

/// No system error numbers, no Rust names, no temporary file names.
fn assert_plain(text: &str) {
    for raw in ["os error", ".partial", "LocalFile", "Os {", "kind:"] {
        assert!(!text.contains(raw), "{raw:?} reached the user: {text}");
    }
}

#[test]
fn a_missing_file_cannot_be_read_and_is_not_called_forged() {
    let (dir, key) = setup();
    let o = verify(&dir.path().join("nowhere.zip"), &key);
    assert_eq!(
        o.status.code(),
        Some(1),
        "a bundle that is not there fails the run"
    );
    let out = stdout(&o);
    assert!(
        out.contains("CANNOT BE READ: the file could not be opened or read (it does not exist)"),
        "{out}"
    );
    assert!(!out.contains("forged"), "{out}");
    assert_plain(&out);
}

#[test]
fn a_picture_is_not_a_bundle() {
    let (dir, key) = setup();
    let png = dir.path().join("photo.zip");
    fs::write(
        &png,
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR and the rest of a picture",
    )
    .unwrap();
    let o = verify(&png, &key);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(
        out.contains("NOT A PROVSEAL BUNDLE: it is not a ZIP archive"),
        "{out}"
    );
    assert!(!out.contains("forged"), "{out}");
}

#[test]
fn a_changed_article_is_explained_before_its_code() {
    let (dir, key) = packed_example("a.zip");
    let path = dir.path().join("a.zip");
    let mut e = entries(&fs::read(&path).unwrap());
    let mut text = get(&e, "article/text.txt").to_vec();
    text[10] ^= 0x20;
    set(&mut e, "article/text.txt", text);
    fs::write(&path, rebuild(&e)).unwrap();
    let o = verify(&path, &key);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    let words = out
        .find("INVALID: the article text was changed after the bundle was made")
        .unwrap_or_else(|| panic!("{out}"));
    let code = out.find("E021").unwrap_or_else(|| panic!("{out}"));
    assert!(words < code, "plain words first, then the code: {out}");
    // The forged manifest's title is never shown as the bundle's.
    assert!(
        out.contains("(NOT verified: the bundle is invalid)"),
        "{out}"
    );
    // inspect says so at the top, and how the page arrived in words.
    let shown = stdout(&provseal().arg("inspect").arg(&path).output().unwrap());
    let second = shown.lines().nth(1).unwrap_or_default();
    assert!(
        second.starts_with("  WARNING    INVALID: the article text was changed"),
        "{shown}"
    );
    assert!(shown.contains("from a saved file"), "{shown}");
    assert_plain(&shown);
}

#[test]
fn a_title_changed_after_signing_is_named_as_such() {
    let (dir, key) = packed_example("a.zip");
    let path = dir.path().join("a.zip");
    let mut e = entries(&fs::read(&path).unwrap());
    let m = String::from_utf8(get(&e, "manifest.json").to_vec()).unwrap();
    let forged = m.replacen("\"title\": \"Harbour", "\"title\": \"Harbor", 1);
    assert_ne!(m, forged);
    set(&mut e, "manifest.json", forged.into_bytes());
    fs::write(&path, rebuild(&e)).unwrap();
    let out = stdout(&verify(&path, &key));
    assert!(
        out.contains("INVALID: the manifest (title, dates, URLs or file list) was changed after it was signed: the signature no longer matches"),
        "{out}"
    );
}

#[test]
fn pack_refuses_what_is_not_a_page_whatever_its_name() {
    let (dir, key) = setup();
    let png = dir.path().join("article.txt");
    fs::write(&png, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    let o = pack(dir.path(), &key, &png, "a.zip", &[]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("the input is a PNG image, not a saved article"),
        "{err}"
    );
    assert!(!dir.path().join("a.zip").exists());
    let pdf = dir.path().join("report.html");
    fs::write(&pdf, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n").unwrap();
    let err = stderr(&pack(dir.path(), &key, &pdf, "b.zip", &[]));
    assert!(err.contains("a PDF document"), "{err}");
}

#[test]
fn a_missing_output_folder_is_named_before_any_work_and_made_with_parents() {
    let (dir, key) = setup();
    let input = repo_path("examples/article.txt");
    let o = pack(dir.path(), &key, &input, "no/such/folder/a.zip", &[]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("folder: the folder does not exist (create it first, or give --parents)"),
        "{err}"
    );
    assert_plain(&err);
    let o = pack(
        dir.path(),
        &key,
        &input,
        "no/such/folder/a.zip",
        &["--parents"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(dir.path().join("no/such/folder/a.zip").is_file());

    // A batch checks every job's folder before the first job runs.
    let jobs = dir.path().join("jobs.jsonl");
    let good = dir.path().join("ok.zip");
    let bad = dir.path().join("typo/b.zip");
    fs::write(
        &jobs,
        format!(
            "{}\n{}\n",
            serde_json::json!({"input": input, "out": good}),
            serde_json::json!({"input": input, "out": bad})
        ),
    )
    .unwrap();
    let o = provseal()
        .args(["pack", "--batch"])
        .arg(&jobs)
        .arg("--key")
        .arg(key.with_extension("key"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("typo: the folder does not exist"),
        "{}",
        stderr(&o)
    );
    assert!(!good.exists(), "no job ran");
}

#[test]
fn captured_at_takes_a_date_alone_or_says_what_it_wants() {
    let (dir, key) = setup();
    let input = repo_path("examples/article.txt");
    // `pack` with its own --captured-at (the helper fixes one).
    let packed_at = |out: &str, at: &str| {
        provseal()
            .arg("pack")
            .arg(&input)
            .arg("--key")
            .arg(key.with_extension("key"))
            .arg("-o")
            .arg(dir.path().join(out))
            .args(["--captured-at", at])
            .output()
            .unwrap()
    };
    let o = packed_at("a.zip", "2018-05-27");
    assert!(o.status.success(), "{}", stderr(&o));
    let inspect = provseal()
        .arg("inspect")
        .arg(dir.path().join("a.zip"))
        .output()
        .unwrap();
    assert!(
        stdout(&inspect).contains("2018-05-27T00:00:00Z"),
        "{}",
        stdout(&inspect)
    );
    let o = packed_at("b.zip", "27 May 2018");
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o)
            .contains("--captured-at: \"27 May 2018\" is not a time: write 2024-03-15T08:30:00Z"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn key_generate_wants_a_name_and_warns_of_an_unused_passphrase() {
    let dir = tempfile::tempdir().unwrap();
    let o = provseal()
        .args(["key", "generate", "--out"])
        .arg(format!("{}/", dir.path().display()))
        .output()
        .unwrap();
    refused(&o, "is a folder; --out takes a name for the key");
    let o = provseal()
        .args(["key", "generate", "--out"])
        .arg(dir.path().join("plain"))
        .env("PROVSEAL_PASSPHRASE", "correct horse")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("warning: PROVSEAL_PASSPHRASE is set, but without --encrypt the private key is written unencrypted"),
        "{}",
        stderr(&o)
    );
    assert!(!stderr(&o).contains("correct horse"));
}

#[test]
fn catalog_search_refuses_dates_it_cannot_read_and_matches_a_url_without_scheme() {
    let (dir, key) = setup();
    let archive = dir.path().join("archive");
    let o = provseal()
        .arg("pack")
        .arg(repo_path("examples/article.txt"))
        .arg("--key")
        .arg(key.with_extension("key"))
        .arg("--into")
        .arg(&archive)
        .args(["--original-url", "https://www.example.org/news/1"])
        .args(["--captured-at", "2024-03-15T08:30:00Z"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let search = |args: &[&str]| {
        provseal()
            .args(["catalog", "search", "--archive"])
            .arg(&archive)
            .args(args)
            .output()
            .unwrap()
    };
    let o = search(&["--captured-from", "March 2024"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains(
            "--captured-from: \"March 2024\" is not a date: write 2018, 2018-05, 2018-05-27"
        ),
        "{}",
        stderr(&o)
    );
    let o = search(&["--captured-from", "2024-03", "--url", "example.org/news/1"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("1 found"), "{}", stderr(&o));
}

#[test]
fn io_errors_say_what_is_wrong_with_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let o = provseal()
        .args(["trust", "list", "--store"])
        .arg(dir.path().join("missing.toml"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("missing.toml: it does not exist"), "{err}");
    assert_plain(&err);
    let o = provseal().arg("extract").arg(dir.path()).output().unwrap();
    let err = stderr(&o);
    assert!(err.contains("it is a folder, not a file"), "{err}");
    assert_plain(&err);
}

#[test]
fn help_groups_the_object_storage_options_and_help_command_works() {
    let o = provseal().args(["help", "verify"]).output().unwrap();
    assert!(o.status.success());
    let help = stdout(&o);
    let heading = help
        .find("Object storage (only for s3:// URIs)")
        .unwrap_or_else(|| panic!("{help}"));
    let endpoint = help.find("--endpoint").unwrap();
    assert!(
        endpoint > heading,
        "--endpoint is listed under its heading: {help}"
    );
    assert!(
        help.trim_end()
            .lines()
            .rev()
            .take(3)
            .any(|l| l.starts_with("  provseal verify ")),
        "{help}"
    );
    // Commands that never touch a bucket do not list its options.
    let key = stdout(&provseal().args(["key", "show", "--help"]).output().unwrap());
    assert!(!key.contains("--endpoint"), "{key}");
    assert!(key.contains("Examples:\n  provseal key show"), "{key}");
    // Given before the command, they still apply.
    let o = provseal()
        .args(["--endpoint", "http://127.0.0.1:9", "verify", "--help"])
        .output()
        .unwrap();
    assert!(o.status.success());
}

#[test]
fn completions_and_a_manual_page_are_generated() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let o = provseal().args(["completions", shell]).output().unwrap();
        assert!(o.status.success(), "{shell}");
        let script = stdout(&o);
        assert!(
            script.contains("catalog") && script.contains("--trust-store"),
            "{shell}: {script}"
        );
    }
    let o = provseal().arg("manpage").output().unwrap();
    assert!(o.status.success());
    let man = stdout(&o);
    assert!(
        man.starts_with(".ie") && man.contains(".TH provseal 1"),
        "{man}"
    );
    assert!(man.contains("verify"), "{man}");
}

#[test]
fn catalog_add_says_what_it_records_without_trust_and_what_rebuild_would_drop() {
    let (dir, _key) = packed_example("outside.zip");
    let archive = dir.path().join("archive");
    fs::create_dir(&archive).unwrap();
    let o = provseal()
        .args(["catalog", "add", "--archive"])
        .arg(&archive)
        .arg(dir.path().join("outside.zip"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains(
            "note: no --trust or --trust-store: bundles are catalogued as intact-untrusted"
        ),
        "{err}"
    );
    assert!(
        err.contains("note: 1 of them are outside")
            && err.contains("`catalog rebuild`, which reads only the archive, would drop them"),
        "{err}"
    );
    let found = provseal()
        .args(["catalog", "search", "--archive"])
        .arg(&archive)
        .output()
        .unwrap();
    assert!(
        stdout(&found).contains("intact-untrusted"),
        "{}",
        stdout(&found)
    );
}

#[test]
fn a_citation_names_the_signer_a_trust_store_names() {
    let (dir, key) = packed_example("a.zip");
    let store = newsroom_store(dir.path(), &key);
    let cite = |args: &[&str]| {
        provseal()
            .arg("cite")
            .arg(dir.path().join("a.zip"))
            .args(args)
            .output()
            .unwrap()
    };
    let named = cite(&["--trust-store", store.to_str().unwrap()]);
    assert!(named.status.success(), "{}", stderr(&named));
    assert!(
        stdout(&named).contains("signed by Example Newsroom (Ed25519 key sha256:"),
        "{}",
        stdout(&named)
    );
    let csl = cite(&[
        "--trust-store",
        store.to_str().unwrap(),
        "--format",
        "csl-json",
    ]);
    let items: serde_json::Value = serde_json::from_slice(&csl.stdout).unwrap();
    assert_eq!(items[0]["custom"]["signer_name"], "Example Newsroom");
    // With a key alone there is no name to give.
    let keyed = cite(&["--trust", key.with_extension("pub").to_str().unwrap()]);
    assert!(
        stdout(&keyed).contains("signed by Ed25519 key sha256:"),
        "{}",
        stdout(&keyed)
    );
}

#[test]
fn a_config_file_sets_defaults_which_the_environment_and_flags_override() {
    let (dir, key) = setup();
    let other = dir.path().join("other");
    let o = provseal()
        .args(["key", "generate", "--out"])
        .arg(&other)
        .output()
        .unwrap();
    assert!(o.status.success());
    // The file below names this store.
    newsroom_store(dir.path(), &key);
    // Relative paths in the file start at its folder.
    let xdg = dir.path().join("xdg");
    fs::create_dir_all(xdg.join("provseal")).unwrap();
    fs::write(
        xdg.join("provseal/config.toml"),
        "key = \"../../k.key\"\ntrust_store = \"../../trust.toml\"\narchive = \"../../archive\"\n",
    )
    .unwrap();
    let input = repo_path("examples/article.txt");
    let with_config = |args: &[&str]| {
        provseal()
            .env("XDG_CONFIG_HOME", &xdg)
            .args(args)
            .output()
            .unwrap()
    };
    // No --key, no -o: the file's key signs and the file's archive keeps it.
    let o = with_config(&[
        "pack",
        input.to_str().unwrap(),
        "--captured-at",
        "2024-03-15",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("stored "), "{}", stderr(&o));
    let archive = dir.path().join("archive");
    // verify trusts the file's store.
    let o = with_config(&["verify", archive.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("VERIFIED: intact, signed by a trusted key")
            && stdout(&o).contains("signer     Example Newsroom"),
        "{}",
        stdout(&o)
    );
    // The environment wins over the file: another key signs, which the
    // store does not hold.
    let out = dir.path().join("env.zip");
    let o = provseal()
        .env("XDG_CONFIG_HOME", &xdg)
        .env("PROVSEAL_KEY", other.with_extension("key"))
        .args(["pack", input.to_str().unwrap(), "-o", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let o = with_config(&["verify", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    // A flag wins over both: --trust replaces the file's store.
    let o = with_config(&[
        "verify",
        out.to_str().unwrap(),
        "--trust",
        other.with_extension("pub").to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stdout(&o));
    // A file that is not a config file, or is not there, says so.
    let bad = dir.path().join("bad.toml");
    fs::write(&bad, "kee = \"x\"\n").unwrap();
    let o = provseal()
        .args([
            "--config",
            bad.to_str().unwrap(),
            "verify",
            out.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    refused(&o, "bad.toml: not a provseal config file");
    refused(
        &o,
        "the keys are key, trust_store, tsa, archive and endpoint",
    );
    let o = provseal()
        .args([
            "--config",
            "/nonexistent/provseal.toml",
            "verify",
            out.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    refused(&o, "provseal.toml: it does not exist");
    // Without any key, pack says what to give.
    let o = provseal()
        .args(["pack", input.to_str().unwrap(), "-o", "x.zip"])
        .output()
        .unwrap();
    refused(&o, "nothing to sign with: give --key KEY");
}
