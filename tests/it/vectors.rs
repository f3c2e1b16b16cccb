//! The spec's test vectors: committed files are reproducible from fixed
//! keys and times, and each verifies exactly as `spec/vectors/index.json`
//! says. Run with `PROVSEAL_BLESS=1` to rewrite them after a deliberate
//! format change (and change the spec in the same commit).

use std::collections::BTreeSet;
use std::fs;

use crate::support::vectors::{self, IndexEntry, OTHER, TEST};
use crate::support::*;
use provseal::format::codes::{Code, Severity};
use provseal::format::sign::{self, KeyPair};
use provseal::verify::{AppendixState, Trust, VerifyOptions};

fn index_bytes(entries: &[IndexEntry]) -> Vec<u8> {
    let mut s = serde_json::to_vec_pretty(entries).unwrap();
    s.push(b'\n');
    s
}

fn key_files() -> Vec<(&'static str, String)> {
    let mut files = vec![
        (
            "keys/test-signer.pub",
            sign::public_key_to_pem(&test_key().verifying_key()),
        ),
        (
            "keys/test-signer.key",
            test_key().to_pkcs8_pem().to_string(),
        ),
        (
            "keys/other-signer.pub",
            sign::public_key_to_pem(&other_key().verifying_key()),
        ),
    ];
    files.extend(vectors::trust_stores());
    files
}

#[test]
fn committed_vectors_are_exactly_the_generated_ones() {
    let dir = repo_path("spec/vectors");
    let all = vectors::all();
    let index: Vec<IndexEntry> = all.iter().map(|v| v.entry.clone()).collect();
    if std::env::var_os("PROVSEAL_BLESS").is_some() {
        for sub in ["valid", "invalid", "keys"] {
            let _ = fs::remove_dir_all(dir.join(sub));
            fs::create_dir_all(dir.join(sub)).unwrap();
        }
        for v in &all {
            fs::write(dir.join(&v.entry.file), &v.bytes).unwrap();
        }
        for (name, text) in key_files() {
            fs::write(dir.join(name), text).unwrap();
        }
        fs::write(dir.join("index.json"), index_bytes(&index)).unwrap();
    }
    for v in &all {
        let on_disk =
            fs::read(dir.join(&v.entry.file)).unwrap_or_else(|e| panic!("{}: {e}", v.entry.file));
        assert!(
            on_disk == v.bytes,
            "{} differs from what the generator makes",
            v.entry.file
        );
    }
    for (name, text) in key_files() {
        assert_eq!(fs::read_to_string(dir.join(name)).unwrap(), text, "{name}");
    }
    assert_eq!(
        fs::read(dir.join("index.json")).unwrap(),
        index_bytes(&index)
    );
    let listed: BTreeSet<String> = index.iter().map(|e| e.file.clone()).collect();
    for sub in ["valid", "invalid"] {
        for f in fs::read_dir(dir.join(sub)).unwrap() {
            let name = format!("{sub}/{}", f.unwrap().file_name().to_string_lossy());
            assert!(listed.contains(&name), "{name} is not in index.json");
        }
    }
}

#[test]
fn each_vector_verifies_as_its_index_entry_says() {
    let dir = repo_path("spec/vectors");
    let index: Vec<IndexEntry> =
        serde_json::from_slice(&fs::read(dir.join("index.json")).unwrap()).unwrap();
    assert!(index.len() >= 30);
    for e in &index {
        let key = |name: &str| -> KeyPair {
            match name {
                TEST => test_key(),
                OTHER => other_key(),
                other => panic!("unknown key {other}"),
            }
        };
        let mut opts = VerifyOptions::new(
            chrono::DateTime::parse_from_rfc3339(&e.now)
                .unwrap()
                .to_utc(),
        );
        opts.trust = if let Some(store) = &e.trust_store {
            let text = fs::read_to_string(dir.join(store)).unwrap();
            Trust::Store(provseal::trust::TrustStore::parse(&text).unwrap())
        } else if !e.trusted_keys.is_empty() {
            Trust::Keys(
                e.trusted_keys
                    .iter()
                    .map(|k| key(k).verifying_key())
                    .collect(),
            )
        } else {
            Trust::Anyone {
                allow_unsigned: e.allow_unsigned,
            }
        };
        for root in &e.tsa_roots {
            let pem = fs::read(dir.join(root)).unwrap();
            opts.tsa_roots
                .extend(provseal::format::timestamp::pki::read_certificates(&pem).unwrap());
        }
        opts.custody_head = e.custody_head.clone();
        for (name, value) in &e.limits {
            let l = &mut opts.limits;
            match name.as_str() {
                "max_archive_bytes" => l.max_archive_bytes = *value,
                "max_entry_bytes" => l.max_entry_bytes = *value,
                "max_manifest_bytes" => l.max_manifest_bytes = *value,
                "max_signature_bytes" => l.max_signature_bytes = *value,
                "max_text_bytes" => l.max_text_bytes = *value,
                "max_appendix_entry_bytes" => l.max_appendix_entry_bytes = *value,
                other => panic!("{}: unknown limit {other}", e.file),
            }
        }
        let bytes = fs::read(dir.join(&e.file)).unwrap();
        let report = verify_bytes(&bytes, &opts);
        assert_eq!(
            codes(&report),
            e.codes,
            "{}: {:#?}",
            e.file,
            report.findings
        );
        assert_eq!(report.state.as_str(), e.state, "{}", e.file);
        let passed = !e.codes.iter().any(|c| c.starts_with('E'));
        assert_eq!(report.passed, passed, "{}", e.file);
        // The verdict line a person reads (spec §8.1): a bundle whose
        // signed core holds is never called forged for an appendix error.
        let verdict = report.verdict_line();
        let appendix_error = report
            .findings
            .iter()
            .any(|f| f.code.severity() == Severity::Error && f.code.is_appendix());
        if appendix_error {
            assert_eq!(report.appendix, AppendixState::Invalid, "{}", e.file);
        }
        match (report.state.as_str(), report.passed) {
            // A file that is not a bundle at all is not called forged.
            ("invalid", _) => assert!(
                verdict.starts_with("INVALID: ")
                    || ((verdict.starts_with("NOT A PROVSEAL BUNDLE: ")
                        || verdict.starts_with("CANNOT BE READ: "))
                        && !verdict.contains("forged")),
                "{}: {verdict}",
                e.file
            ),
            (_, false) => assert!(
                verdict.starts_with("FAILED: ") && !verdict.contains("forged"),
                "{}: {verdict}",
                e.file
            ),
            (_, true) => assert!(!verdict.starts_with("FAILED"), "{}: {verdict}", e.file),
        }
        let name = e.file.rsplit('/').next().unwrap();
        if e.file.starts_with("invalid/") {
            assert!(!report.passed);
            let code = &name[..4];
            assert!(
                e.codes.iter().any(|c| c == code),
                "{} is named after {code}, which it does not trigger",
                e.file
            );
        } else {
            assert!(report.passed, "{}", e.file);
        }
    }
}

#[test]
fn every_code_has_a_vector() {
    let index: Vec<IndexEntry> =
        serde_json::from_slice(&fs::read(repo_path("spec/vectors/index.json")).unwrap()).unwrap();
    let covered: BTreeSet<&str> = index
        .iter()
        .filter_map(|e| e.file.rsplit('/').next())
        .map(|n| &n[..4])
        .collect();
    for c in Code::ALL {
        assert!(covered.contains(c.as_str()), "no vector is named after {c}");
    }
}
