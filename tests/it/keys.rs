//! `provseal key`: passphrase-encrypted keys (PBES2, which OpenSSL reads
//! and writes), `key show`, `key export-public`, and signing with an
//! encrypted key. A passphrase or private key never reaches the output.

use std::fs;
use std::process::Command;

use crate::support::cli::*;

const PASS: &str = "correct horse battery";

fn key_cmd(dir: &std::path::Path, args: &[&str], pass: Option<&str>) -> std::process::Output {
    let mut c = provseal();
    c.current_dir(dir).arg("key").args(args);
    match pass {
        Some(p) => c.env("PROVSEAL_PASSPHRASE", p),
        None => c.env_remove("PROVSEAL_PASSPHRASE"),
    };
    c.output().unwrap()
}

#[test]
fn an_encrypted_key_signs_shows_and_exports_but_never_leaks() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let gen_out = key_cmd(d, &["generate", "--out", "k", "--encrypt"], Some(PASS));
    assert!(gen_out.status.success(), "{}", stderr(&gen_out));
    let key_id = stdout(&gen_out).trim().to_string();
    let private = fs::read_to_string(d.join("k.key")).unwrap();
    assert!(
        private.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----\n"),
        "{private}"
    );
    assert!(!private.contains(PASS));

    let shown = key_cmd(d, &["show", "k.key"], Some(PASS));
    assert!(shown.status.success(), "{}", stderr(&shown));
    let s = stdout(&shown);
    assert!(
        s.contains(&key_id) && s.contains("encrypted") && s.contains("fingerprint  SHA256 "),
        "{s}"
    );
    let public = key_cmd(d, &["show", "k.pub"], None);
    let fp = |t: &str| {
        t.lines()
            .find(|l| l.contains("fingerprint"))
            .unwrap()
            .to_string()
    };
    assert_eq!(fp(&stdout(&public)), fp(&s));

    let exported = key_cmd(d, &["export-public", "k.key"], Some(PASS));
    assert_eq!(
        stdout(&exported),
        fs::read_to_string(d.join("k.pub")).unwrap()
    );

    for (pass, needle) in [(Some("wrong"), "does not decrypt"), (None, "no passphrase")] {
        let o = key_cmd(d, &["show", "k.key"], pass);
        assert_eq!(o.status.code(), Some(2));
        let err = stderr(&o);
        assert!(err.contains(needle) && err.lines().count() == 1, "{err}");
    }

    let packed = provseal()
        .current_dir(d)
        .env("PROVSEAL_PASSPHRASE", PASS)
        .args(["pack", "--key", "k.key", "-o", "a.zip"])
        .arg(example())
        .output()
        .unwrap();
    assert!(packed.status.success(), "{}", stderr(&packed));
    let verified = provseal()
        .current_dir(d)
        .args(["verify", "a.zip", "--trust", "k.pub"])
        .output()
        .unwrap();
    assert!(stdout(&verified).contains("VERIFIED"));
    for o in [&gen_out, &shown, &exported, &packed, &verified] {
        for text in [stdout(o), stderr(o)] {
            assert!(
                !text.contains(PASS) && !text.contains("PRIVATE KEY"),
                "{text}"
            );
        }
    }
}

/// OpenSSL reads provseal's encrypted key with the passphrase and finds the
/// same public key; provseal reads a key OpenSSL encrypted.
#[test]
fn openssl_and_provseal_read_each_others_encrypted_keys() {
    if Command::new("openssl").arg("version").output().is_err() {
        assert!(std::env::var_os("CI").is_none(), "CI must install openssl");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert!(
        key_cmd(d, &["generate", "--out", "k", "--encrypt"], Some(PASS))
            .status
            .success()
    );
    let ours = Command::new("openssl")
        .current_dir(d)
        .args([
            "pkey",
            "-in",
            "k.key",
            "-passin",
            &format!("pass:{PASS}"),
            "-pubout",
        ])
        .output()
        .unwrap();
    assert!(
        ours.status.success(),
        "{}",
        String::from_utf8_lossy(&ours.stderr)
    );
    assert_eq!(ours.stdout, fs::read(d.join("k.pub")).unwrap());

    let theirs = Command::new("openssl")
        .current_dir(d)
        .args([
            "genpkey",
            "-algorithm",
            "ed25519",
            "-aes-256-cbc",
            "-pass",
            "pass:other",
            "-out",
            "o.key",
        ])
        .output()
        .unwrap();
    assert!(theirs.status.success());
    let public = Command::new("openssl")
        .current_dir(d)
        .args(["pkey", "-in", "o.key", "-passin", "pass:other", "-pubout"])
        .output()
        .unwrap();
    let exported = key_cmd(d, &["export-public", "o.key"], Some("other"));
    assert!(exported.status.success(), "{}", stderr(&exported));
    assert_eq!(exported.stdout, public.stdout);
}
