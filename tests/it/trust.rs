//! Trust stores end to end (spec §8.2): a key rotated out still vouches
//! for what it signed before, a key used outside its window fails (E042), a
//! revoked key fails for what it signed afterwards (E043) and only warns
//! for what it signed before (W005), and reports name the signer.

use std::path::Path;

use crate::support::cli::*;

fn run(dir: &Path, args: &[&str]) -> std::process::Output {
    provseal().current_dir(dir).args(args).output().unwrap()
}

fn ok(o: std::process::Output) -> String {
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    stdout(&o)
}

fn pack(dir: &Path, key: &str, out: &str, at: &str) {
    ok(run(
        dir,
        &[
            "pack",
            example().to_str().unwrap(),
            "--key",
            key,
            "-o",
            out,
            "--captured-at",
            at,
        ],
    ));
}

fn verify(dir: &Path, bundle: &str) -> (Option<i32>, serde_json::Value) {
    let o = run(
        dir,
        &["verify", "--json", "--trust-store", "trust.toml", bundle],
    );
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    (o.status.code(), doc["bundles"][0].clone())
}

fn codes(b: &serde_json::Value) -> Vec<String> {
    b["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect()
}

/// `provseal trust SUB --store trust.toml ARGS…`, which must succeed.
fn trust(dir: &Path, sub: &str, args: &[&str]) -> String {
    let mut all = vec!["trust", sub, "--store", "trust.toml"];
    all.extend_from_slice(args);
    ok(run(dir, &all))
}

#[test]
fn rotation_revocation_and_signer_names() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let old_id = ok(run(d, &["key", "generate", "--out", "old"]))
        .trim()
        .to_string();
    let new_id = ok(run(d, &["key", "generate", "--out", "new"]))
        .trim()
        .to_string();
    trust(d, "add", &["--name", "Coast Newsroom", "old.pub"]);
    pack(d, "old.key", "a-old-2024.zip", "2024-03-15T08:30:00Z");
    let (code, a) = verify(d, "a-old-2024.zip");
    assert_eq!(
        (code, a["state"].as_str()),
        (Some(0), Some("verified-trusted"))
    );
    assert_eq!(a["signer"]["name"], "Coast Newsroom");

    // Rotation: the old key ends, the new one starts.
    trust(d, "retire", &[&old_id, "--at", "2025-01-01T00:00:00Z"]);
    trust(
        d,
        "add",
        &[
            "--name",
            "Coast Newsroom",
            "new.pub",
            "--not-before",
            "2025-01-01T00:00:00Z",
        ],
    );
    pack(d, "new.key", "b-new-2026.zip", "2026-01-10T00:00:00Z");
    pack(d, "old.key", "c-old-2026.zip", "2026-01-10T00:00:00Z");
    pack(d, "new.key", "d-new-2025.zip", "2025-06-01T00:00:00Z");
    // Signed before the rotation: it stands, with W011 saying that only
    // the signer's claim dates it inside the retired key's window.
    let (code, a) = verify(d, "a-old-2024.zip");
    assert_eq!((code, codes(&a)), (Some(0), vec!["W011".to_string()]));
    assert_eq!(verify(d, "b-new-2026.zip").0, Some(0));
    let (code, c) = verify(d, "c-old-2026.zip");
    assert_eq!((code, codes(&c)), (Some(1), vec!["E042".to_string()]));
    assert_eq!(c["state"], "intact-untrusted");

    // Revocation of the new key on 2026-01-05.
    trust(
        d,
        "revoke",
        &[
            &new_id,
            "--at",
            "2026-01-05T00:00:00Z",
            "--reason",
            "laptop stolen",
        ],
    );
    let (code, b) = verify(d, "b-new-2026.zip");
    assert_eq!((code, codes(&b)), (Some(1), vec!["E043".to_string()]));
    assert!(
        b["findings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("laptop stolen")
    );
    // Signed (it says) before the revocation, but nothing proves it: a
    // stolen key can write any date, so by default it does not pass.
    let (code, dd) = verify(d, "d-new-2025.zip");
    assert_eq!((code, codes(&dd)), (Some(1), vec!["E044".to_string()]));
    assert_eq!(dd["state"], "intact-untrusted");

    let listed = trust(d, "list", &[]);
    assert!(listed.starts_with("Coast Newsroom\n"), "{listed}");
    assert!(
        listed.contains(&format!(
            "{new_id}  valid 2025-01-01T00:00:00+00:00 to -  REVOKED"
        )),
        "{listed}"
    );
    let human = ok(run(
        d,
        &["verify", "--trust-store", "trust.toml", "a-old-2024.zip"],
    ));
    assert!(
        human.contains("signer     Coast Newsroom, key sha256:"),
        "{human}"
    );

    // Usage errors.
    let both = run(
        d,
        &[
            "verify",
            "--trust-store",
            "trust.toml",
            "--trust",
            "old.pub",
            "a-old-2024.zip",
        ],
    );
    assert_eq!(both.status.code(), Some(2));
    std::fs::write(d.join("bad.toml"), "version = 9\n").unwrap();
    let bad = run(
        d,
        &["verify", "--trust-store", "bad.toml", "a-old-2024.zip"],
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("version 9 is not supported"));
    let again = run(
        d,
        &[
            "trust",
            "add",
            "--store",
            "trust.toml",
            "--name",
            "Other",
            "old.pub",
        ],
    );
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("already in the trust store"));

    // A store edited by hand that lists a key twice is refused whole: which
    // signer a signature is credited to must not depend on the file's order.
    let text = std::fs::read_to_string(d.join("trust.toml")).unwrap();
    let first_key = text
        .split("[[signer.key]]")
        .nth(1)
        .unwrap()
        .split("[[")
        .next()
        .unwrap()
        .to_string();
    let twice = format!("{text}\n[[signer]]\nname = \"Impostor\"\n\n[[signer.key]]{first_key}");
    std::fs::write(d.join("twice.toml"), twice).unwrap();
    let o = run(
        d,
        &["verify", "--trust-store", "twice.toml", "a-old-2024.zip"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("is listed twice"), "{}", stderr(&o));
    // Names and reasons that could make a report lie are refused.
    let o = run(
        d,
        &[
            "trust",
            "add",
            "--store",
            "n.toml",
            "--name",
            "Desk\u{1b}[2J",
            "new.pub",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("control character \\u{1b}"),
        "{}",
        stderr(&o)
    );
    assert!(!d.join("n.toml").exists());
}
