//! Third-party tools and specifications agree with provseal: OpenSSL
//! verifies its signatures and reads its keys, an independent ZIP reader and
//! `unzip` read its archives, the shared CSL-JSON schema accepts its
//! citations, the manifest schema accepts its manifests, and Python's JSON
//! encoder reproduces its canonical bytes.
//!
//! Where a tool is missing the test is skipped, except under CI (the `CI`
//! environment variable), where `.ci/run` installs every tool and a missing
//! one is a failure.

use std::fs;
use std::io::{Cursor, Read};
use std::process::Command;

use crate::support::*;
use provseal::cite::{self, CiteSource};
use provseal::format::sign;

fn have(tool: &str) -> bool {
    let found = Command::new(tool).arg("--version").output().is_ok()
        || Command::new(tool).arg("version").output().is_ok();
    if !found {
        skipped_without(tool, "see README.md, On a fresh machine");
    }
    found
}

#[test]
fn openssl_verifies_a_provseal_signature_and_signs_identically() {
    if !have("openssl") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let key = test_key();
    let p = pack_example(Some(&key));
    let e = entries(&p.bytes);
    let manifest = get(&e, "manifest.json");
    let env: sign::Envelope = serde_json::from_slice(get(&e, "signature.json")).unwrap();
    use base64::Engine as _;
    let sig = base64::engine::general_purpose::STANDARD
        .decode(&env.signatures[0].sig)
        .unwrap();
    fs::write(
        dir.path().join("pae"),
        sign::pae(sign::PAYLOAD_TYPE, manifest),
    )
    .unwrap();
    fs::write(dir.path().join("sig"), &sig).unwrap();
    fs::write(
        dir.path().join("pub.pem"),
        sign::public_key_to_pem(&key.verifying_key()),
    )
    .unwrap();
    fs::write(dir.path().join("key.pem"), key.to_pkcs8_pem().as_bytes()).unwrap();

    let verify = |sigfile: &str| {
        Command::new("openssl")
            .args([
                "pkeyutl", "-verify", "-pubin", "-inkey", "pub.pem", "-rawin", "-in", "pae",
                "-sigfile", sigfile,
            ])
            .current_dir(dir.path())
            .output()
            .unwrap()
    };
    let ok = verify("sig");
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );

    let mut bad = sig.clone();
    bad[5] ^= 1;
    fs::write(dir.path().join("bad"), bad).unwrap();
    assert!(!verify("bad").status.success());

    // OpenSSL reads the private key file and, Ed25519 being deterministic,
    // produces the very same signature.
    let signed = Command::new("openssl")
        .args([
            "pkeyutl", "-sign", "-inkey", "key.pem", "-rawin", "-in", "pae",
        ])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        signed.status.success(),
        "{}",
        String::from_utf8_lossy(&signed.stderr)
    );
    assert_eq!(signed.stdout, sig);

    // And provseal reads a key that OpenSSL generated.
    let generated = Command::new("openssl")
        .args(["genpkey", "-algorithm", "ed25519"])
        .output()
        .unwrap();
    assert!(sign::KeyPair::from_pkcs8_pem(&String::from_utf8(generated.stdout).unwrap()).is_ok());
}

#[test]
fn an_independent_zip_reader_reads_every_entry() {
    let p = pack_example(Some(&test_key()));
    let mut z = zip::ZipArchive::new(Cursor::new(&p.bytes)).unwrap();
    let names: Vec<String> = (0..z.len())
        .map(|i| z.by_index(i).unwrap().name().unwrap().to_string())
        .collect();
    assert_eq!(
        names,
        [
            "README.txt",
            "article/text.txt",
            "source/page.txt",
            "manifest.json",
            "signature.json"
        ]
    );
    for (name, data) in entries(&p.bytes) {
        let mut f = z.by_name(&name).unwrap();
        assert_eq!(f.compression(), zip::CompressionMethod::Stored);
        assert_eq!(f.unix_mode(), Some(0o100644));
        let mut got = Vec::new();
        f.read_to_end(&mut got).unwrap();
        assert_eq!(got, data, "{name}");
    }
}

#[test]
fn unzip_tests_the_archive_cleanly() {
    if !have("unzip") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("b.zip");
    fs::write(&path, pack_example(Some(&test_key())).bytes).unwrap();
    let out = Command::new("unzip").arg("-t").arg(&path).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("No errors detected"));
}

fn load_schema(rel: &str) -> Option<jsonschema::Validator> {
    let path = repo_path(rel);
    let Ok(text) = fs::read_to_string(&path) else {
        skipped_missing(&path);
        return None;
    };
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    Some(
        jsonschema::options()
            .should_validate_formats(true)
            .build(&schema)
            .unwrap(),
    )
}

fn assert_valid(v: &jsonschema::Validator, doc: &serde_json::Value) {
    let errors: Vec<String> = v
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}\n{doc:#}");
}

#[test]
fn csl_json_validates_against_the_shared_schema() {
    let Some(v) = load_schema("../shared/schemas/csl-data.json") else {
        return;
    };
    let mut cases = vec![pack_example(Some(&test_key())), pack_example(None)];
    let mut req = request(provseal::pack::Overrides {
        authors: vec!["Ann Lee".into(), "Newsroom Staff".into()],
        publisher: None,
        ..Default::default()
    });
    req.input = b"Untitled\n\nno date, no outlet\n".to_vec();
    cases.push(provseal::pack::pack(&req, Some(&test_key())).unwrap());
    for p in &cases {
        let doc = cite::csl_json(&CiteSource {
            manifest: &p.manifest,
            bundle_id: &p.bundle_id,
            archive: cite::DEFAULT_ARCHIVE,
            public_url: None,
            signer_name: None,
            full_evidence: false,
        });
        assert_valid(&v, &doc);
        let item = &doc[0];
        assert_eq!(item["archive_location"], serde_json::json!(p.bundle_id));
        assert!(item["note"].as_str().unwrap().contains(&p.bundle_id));
    }
}

/// The synthetic page captured over HTTP, unsigned.
fn captured_unsigned() -> provseal::pack::Packed {
    provseal::pack::fetched::pack_fetched(
        &synthetic_fetch(),
        &Default::default(),
        captured_at(),
        None,
    )
    .unwrap()
}

#[test]
fn manifests_validate_against_the_manifest_schema() {
    let Some(v) = load_schema("spec/manifest-v1.schema.json") else {
        return;
    };
    let captured = captured_unsigned();
    for p in [
        pack_example(Some(&test_key())),
        pack_example(None),
        captured,
    ] {
        assert_valid(&v, &serde_json::to_value(&p.manifest).unwrap());
    }
    let mut bad = serde_json::to_value(pack_example(None).manifest).unwrap();
    bad["extra"] = serde_json::json!(1);
    assert!(!v.is_valid(&bad));
}

/// Each value rule of spec §5 that the schema can express is judged alike
/// by the schema and by the verifier: a manifest edited to break (or to
/// just meet) one rule is valid for both or for neither, and as expected.
#[test]
fn the_schema_and_the_verifier_agree_on_each_value_rule() {
    use serde_json::{Value, json};
    let Some(schema) = load_schema("spec/manifest-v1.schema.json") else {
        return;
    };
    let captured = captured_unsigned();
    let base = serde_json::to_value(&captured.manifest).unwrap();
    type Edit = fn(&mut Value);
    let cases: &[(&str, bool, Edit)] = &[
        ("as packed", true, |_| {}),
        ("a blank title", false, |m| {
            m["article"]["title"] = json!(" \t")
        }),
        ("a blank author", false, |m| {
            m["article"]["authors"] = json!(["\u{a0}"])
        }),
        ("language ko-KR", true, |m| {
            m["article"]["language"] = json!("ko-KR")
        }),
        ("language zh-Hant-TW", true, |m| {
            m["article"]["language"] = json!("zh-Hant-TW")
        }),
        ("language e", false, |m| {
            m["article"]["language"] = json!("e")
        }),
        ("language en_US", false, |m| {
            m["article"]["language"] = json!("en_US")
        }),
        ("an empty tool name", false, |m| {
            m["capture"]["tool"]["name"] = json!("")
        }),
        ("a blank tool version", false, |m| {
            m["capture"]["tool"]["version"] = json!(" ")
        }),
        ("status 99", false, |m| {
            m["capture"]["http"]["status"] = json!(99)
        }),
        ("status 600", false, |m| {
            m["capture"]["http"]["status"] = json!(600)
        }),
        ("status 599", true, |m| {
            m["capture"]["http"]["status"] = json!(599)
        }),
        ("a blank charset", false, |m| {
            m["capture"]["http"]["charset"] = json!(" ")
        }),
        ("a retrieval time with a space", false, |m| {
            m["capture"]["http"]["retrieved_at"] = json!("2024-01-02 03:04:05Z")
        }),
        ("a retrieval time with an offset", true, |m| {
            m["capture"]["http"]["retrieved_at"] = json!("2024-01-02T12:04:05+09:00")
        }),
        ("a capture time with one fraction digit", false, |m| {
            m["capture"]["captured_at"] = json!("2024-01-02T03:04:05.5Z")
        }),
        ("a capture time with three", true, |m| {
            m["capture"]["captured_at"] = json!("2024-01-02T03:04:05.500Z")
        }),
        (
            "a capture time with six, three of them needless",
            false,
            |m| m["capture"]["captured_at"] = json!("2024-01-02T03:04:05.500000Z"),
        ),
        ("a capture time with six", true, |m| {
            m["capture"]["captured_at"] = json!("2024-01-02T03:04:05.500001Z")
        }),
        ("a capture time with zero fraction", false, |m| {
            m["capture"]["captured_at"] = json!("2024-01-02T03:04:05.000Z")
        }),
        ("a publication time with a space", false, |m| {
            m["article"]["published"] = json!({"raw": "x", "value": "2024-01-02 03:04:05+09:00"})
        }),
        ("a publication date", true, |m| {
            m["article"]["published"] = json!({"raw": "x", "value": "2024-01-02"})
        }),
        ("a media type with a control character", false, |m| {
            m["files"][0]["media_type"] = json!("text/plain\u{7}")
        }),
        ("a media type with DEL", false, |m| {
            m["files"][0]["media_type"] = json!("text/\u{7f}")
        }),
        ("a blank media type", false, |m| {
            m["files"][0]["media_type"] = json!("  ")
        }),
        ("a media type with parameters", true, |m| {
            m["files"][0]["media_type"] = json!("text/html; charset=EUC-KR")
        }),
        ("an ftp URL", false, |m| {
            m["urls"][0]["url"] = json!("ftp://example.org/")
        }),
    ];
    for (what, valid, edit) in cases {
        let mut doc = base.clone();
        edit(&mut doc);
        let by_code = serde_json::from_value::<provseal::format::manifest::Manifest>(doc.clone())
            .is_ok_and(|m| {
                !m.check_values()
                    .iter()
                    .any(|f| f.code == provseal::format::codes::Code::ManifestInvalid)
            });
        assert_eq!(by_code, *valid, "{what}: the verifier");
        assert_eq!(schema.is_valid(&doc), *valid, "{what}: the schema");
    }
}

#[test]
fn python_json_reproduces_the_canonical_manifest_bytes() {
    if !have("python3") {
        return;
    }
    let p = pack_example(Some(&test_key()));
    let manifest = get(&entries(&p.bytes), "manifest.json").to_vec();
    let mut child = Command::new("python3")
        .args(["-c", "import json,sys; d=json.loads(sys.stdin.buffer.read().decode('utf-8')); sys.stdout.buffer.write((json.dumps(d, indent=2, ensure_ascii=False) + '\\n').encode('utf-8'))"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(&manifest).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(manifest).unwrap()
    );
}
