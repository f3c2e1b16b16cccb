//! Chain of custody and RFC 3161 timestamps end to end (spec §6.4, §6.5),
//! through the CLI, against a real TSA on loopback (`openssl ts -reply`):
//! events from several keys form a chain that `verify` shows as a
//! timeline; removing, reordering or truncating events is detected; tokens
//! are checked offline against `--tsa-root`, at their genTime; and
//! `openssl ts -verify` accepts the stored token.

use std::path::Path;

use crate::support::cli::*;
use crate::support::tsa::{self, TsaCert};

fn run(dir: &Path, args: &[&str]) -> std::process::Output {
    provseal().current_dir(dir).args(args).output().unwrap()
}

fn ok(o: std::process::Output) -> String {
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    stdout(&o)
}

fn key(dir: &Path, name: &str) {
    ok(run(dir, &["key", "generate", "--out", name]));
}

fn pack(dir: &Path, out: &str, extra: &[&str]) -> std::process::Output {
    let input = example();
    let mut args = vec![
        "pack",
        input.to_str().unwrap(),
        "--key",
        "signer.key",
        "-o",
        out,
        "--captured-at",
        "2024-03-15T08:30:00Z",
    ];
    args.extend_from_slice(extra);
    run(dir, &args)
}

fn attest(dir: &Path, bundle: &str, key: &str, action: &str, time: &str, extra: &[&str]) -> String {
    let mut args = vec![
        "attest", bundle, "--key", key, "--action", action, "--time", time,
    ];
    args.extend_from_slice(extra);
    ok(run(dir, &args)).trim().to_string()
}

fn verify(dir: &Path, args: &[&str]) -> (Option<i32>, serde_json::Value) {
    let mut all = vec!["verify", "--json", "--trust", "signer.pub"];
    all.extend_from_slice(args);
    let o = run(dir, &all);
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|_| panic!("{}{}", stdout(&o), stderr(&o)));
    (o.status.code(), doc["bundles"][0].clone())
}

fn codes(b: &serde_json::Value) -> Vec<&str> {
    b["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect()
}

fn setup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for k in ["signer", "desk", "counsel"] {
        key(dir.path(), k);
    }
    dir
}

#[test]
fn custody_chain_from_three_keys_verifies_and_shows_a_timeline() {
    let dir = setup();
    let d = dir.path();
    ok(pack(d, "b.zip", &[]));
    let (_, before) = verify(d, &["b.zip"]);
    let h1 = attest(
        d,
        "b.zip",
        "desk.key",
        "received",
        "2024-03-16T09:00:00Z",
        &["--note", "from the stringer, on a USB stick"],
    );
    let h2 = attest(
        d,
        "b.zip",
        "counsel.key",
        "reviewed",
        "2024-03-17T10:00:00Z",
        &[],
    );
    let h3 = attest(
        d,
        "b.zip",
        "desk.key",
        "transferred",
        "2024-03-18T11:00:00Z",
        &["--note", "to the tribunal registry"],
    );
    assert!(h1.starts_with("sha256:") && h1 != h2 && h2 != h3);

    let (code, b) = verify(d, &["b.zip"]);
    assert_eq!(code, Some(0), "{b:#}");
    assert_eq!(b["state"], "verified-trusted");
    // The bundle id never changes: the manifest and its signature are untouched.
    assert_eq!(b["bundle_id"], before["bundle_id"]);
    let events = b["custody"].as_array().unwrap();
    assert_eq!(events.len(), 3);
    assert_eq!(events[0]["action"], "received");
    assert_eq!(events[0]["note"], "from the stringer, on a USB stick");
    assert_eq!(events[1]["sequence"], 2);
    assert_eq!(b["custody_head"], h3.as_str());
    // Two different keys: several independent signatures on one bundle.
    assert_ne!(events[0]["actor_key_id"], events[1]["actor_key_id"]);
    // Trust given as --trust keys: the actors are not among them (W006).
    assert_eq!(codes(&b), vec!["W006", "W006", "W006"]);
    // With every actor trusted, no warning.
    let (code, b) = verify(
        d,
        &["--trust", "desk.pub", "--trust", "counsel.pub", "b.zip"],
    );
    assert_eq!((code, codes(&b)), (Some(0), Vec::<&str>::new()));

    // The human report is a timeline.
    let o = run(d, &["verify", "--trust", "signer.pub", "b.zip"]);
    let text = stdout(&o);
    assert!(
        text.contains("  custody\n    1. 2024-03-16T09:00:00Z received by sha256:"),
        "{text}"
    );
    assert!(
        text.contains("3. 2024-03-18T11:00:00Z transferred by"),
        "{text}"
    );
    assert!(text.contains(&format!("head {h3}")), "{text}");

    // The recorded head is found; a head the chain lacks is E066.
    let (code, b) = verify(d, &["--custody-head", &h2, "b.zip"]);
    assert_eq!(code, Some(0), "{b:#}");
    let (code, b) = verify(
        d,
        &[
            "--custody-head",
            &format!("sha256:{}", "0".repeat(64)),
            "b.zip",
        ],
    );
    assert_eq!(code, Some(1));
    assert!(codes(&b).contains(&"E066"));
}

#[test]
fn removing_reordering_or_truncating_events_is_detected() {
    let dir = setup();
    let d = dir.path();
    ok(pack(d, "b.zip", &[]));
    attest(
        d,
        "b.zip",
        "desk.key",
        "received",
        "2024-03-16T09:00:00Z",
        &[],
    );
    attest(
        d,
        "b.zip",
        "counsel.key",
        "reviewed",
        "2024-03-17T10:00:00Z",
        &[],
    );
    let head = attest(
        d,
        "b.zip",
        "desk.key",
        "verified",
        "2024-03-18T11:00:00Z",
        &[],
    );
    let bytes = std::fs::read(d.join("b.zip")).unwrap();
    let entries = crate::support::entries(&bytes);
    let names: Vec<&str> = entries.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        &names[names.len() - 3..],
        [
            "custody/000001.json",
            "custody/000002.json",
            "custody/000003.json"
        ]
    );

    let check = |name: &str, entries: Vec<(String, Vec<u8>)>, args: &[&str], expected: &str| {
        std::fs::write(d.join(name), crate::support::rebuild(&entries)).unwrap();
        let mut all = args.to_vec();
        all.push(name);
        let (code, b) = verify(d, &all);
        assert_eq!(code, Some(1), "{name}: {b:#}");
        assert!(codes(&b).contains(&expected), "{name}: {:?}", codes(&b));
    };
    // The middle event removed: a gap in the numbers.
    let mut gap = entries.clone();
    gap.retain(|(n, _)| n != "custody/000002.json");
    check("gap.zip", gap.clone(), &[], "E060");
    // ... and renumbered to hide the gap: the link breaks.
    let mut renumbered = gap;
    let last = renumbered.len() - 1;
    renumbered[last].0 = "custody/000002.json".into();
    check("renumbered.zip", renumbered, &[], "E064");
    // Two events swapped in place (names kept in order): each is misbound.
    let mut swapped = entries.clone();
    let n = swapped.len();
    let (a, b) = (swapped[n - 3].1.clone(), swapped[n - 2].1.clone());
    swapped[n - 3].1 = b;
    swapped[n - 2].1 = a;
    check("swapped.zip", swapped, &[], "E063");
    // Entries reordered in the archive.
    let mut reordered = entries.clone();
    reordered.swap(n - 3, n - 2);
    check("reordered.zip", reordered, &[], "E060");
    // The last event cut off: a valid prefix, caught only by the recorded head.
    let mut truncated = entries.clone();
    truncated.pop();
    std::fs::write(d.join("truncated.zip"), crate::support::rebuild(&truncated)).unwrap();
    let (code, _) = verify(d, &["truncated.zip"]);
    assert_eq!(code, Some(0), "a prefix of a chain is a valid chain");
    check(
        "truncated2.zip",
        truncated,
        &["--custody-head", &head],
        "E066",
    );
}

#[test]
fn attest_refuses_invalid_bundles_and_backwards_times() {
    let dir = setup();
    let d = dir.path();
    ok(pack(d, "b.zip", &[]));
    let o = run(
        d,
        &[
            "attest",
            "b.zip",
            "--key",
            "desk.key",
            "--action",
            "received",
            "--time",
            "2024-03-14T00:00:00Z",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("before 2024-03-15T08:30:00Z"),
        "{}",
        stderr(&o)
    );
    let mut bytes = std::fs::read(d.join("b.zip")).unwrap();
    let at = bytes.windows(4).position(|w| w == b"file").unwrap();
    bytes[at] ^= 0x20;
    std::fs::write(d.join("bad.zip"), &bytes).unwrap();
    let o = run(
        d,
        &[
            "attest", "bad.zip", "--key", "desk.key", "--action", "received",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("does not verify"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read(d.join("bad.zip")).unwrap(),
        bytes,
        "left untouched"
    );
}

fn openssl_verify(dir: &Path, bundle: &Path, token: &str, root: &Path) -> std::process::Output {
    // By hand, as spec/verify-by-hand.sh does: the stamped bytes are the raw
    // signature, base64 in signature.json.
    let bytes = std::fs::read(bundle).unwrap();
    let entries = crate::support::entries(&bytes);
    let env: serde_json::Value =
        serde_json::from_slice(crate::support::get(&entries, "signature.json")).unwrap();
    use base64::Engine as _;
    let sig = base64::engine::general_purpose::STANDARD
        .decode(env["signatures"][0]["sig"].as_str().unwrap())
        .unwrap();
    std::fs::write(dir.join("sig.bin"), sig).unwrap();
    std::fs::write(dir.join("token.tsr"), crate::support::get(&entries, token)).unwrap();
    std::process::Command::new("openssl")
        .args([
            "ts",
            "-verify",
            "-data",
            "sig.bin",
            "-in",
            "token.tsr",
            "-CAfile",
        ])
        .arg(root)
        .current_dir(dir)
        .output()
        .unwrap()
}

#[test]
fn timestamps_from_a_loopback_tsa_verify_offline_and_with_openssl() {
    let dir = setup();
    let d = dir.path();
    let a = tsa::start(TsaCert::Good);
    let b = tsa::start(TsaCert::Good);
    ok(pack(d, "b.zip", &["--tsa", &a.url, "--tsa", &b.url]));
    attest(
        d,
        "b.zip",
        "desk.key",
        "received",
        &chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        &["--tsa", &a.url],
    );
    let names: Vec<String> = crate::support::entries(&std::fs::read(d.join("b.zip")).unwrap())
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert!(
        names.ends_with(&[
            "signature.json".into(),
            "timestamps/signature.1.tsr".into(),
            "timestamps/signature.2.tsr".into(),
            "custody/000001.json".into(),
            "timestamps/custody-000001.1.tsr".into(),
        ]),
        "{names:?}"
    );

    // Both roots trusted: verified, each token's genTime reported.
    let root_a = a.root().to_str().unwrap().to_string();
    let root_b = b.root().to_str().unwrap().to_string();
    let (code, r) = verify(
        d,
        &[
            "--tsa-root",
            &root_a,
            "--tsa-root",
            &root_b,
            "--trust",
            "desk.pub",
            "b.zip",
        ],
    );
    assert_eq!((code, codes(&r)), (Some(0), Vec::<&str>::new()), "{r:#}");
    let stamps = r["timestamps"].as_array().unwrap();
    assert_eq!(stamps.len(), 3);
    assert!(
        stamps
            .iter()
            .all(|s| s["trusted"] == true && s["valid"] == true)
    );
    assert_eq!(stamps[0]["subject"], "signature.json");
    assert_eq!(stamps[0]["claimed_time"], "2024-03-15T08:30:00Z");
    assert_eq!(stamps[2]["subject"], "custody/000001.json");
    assert_eq!(stamps[0]["tsa"], "CN=provseal vectors tsa");

    // No roots: the tokens check out but their time is not vouched for.
    let (code, r) = verify(d, &["--trust", "desk.pub", "b.zip"]);
    assert_eq!((code, codes(&r)), (Some(0), vec!["W008", "W008", "W008"]));
    // Only one root: the other TSA's token is untrusted (E074), exit 1.
    let (code, r) = verify(d, &["--tsa-root", &root_a, "--trust", "desk.pub", "b.zip"]);
    assert_eq!((code, codes(&r)), (Some(1), vec!["E074"]));
    assert_eq!(
        r["state"], "verified-trusted",
        "trust policy, not integrity"
    );

    // The stored token is a plain RFC 3161 response: OpenSSL agrees.
    let o = openssl_verify(d, &d.join("b.zip"), "timestamps/signature.1.tsr", &a.root());
    assert!(
        stdout(&o).contains("Verification: OK"),
        "{}{}",
        stdout(&o),
        stderr(&o)
    );
    let o = openssl_verify(d, &d.join("b.zip"), "timestamps/signature.1.tsr", &b.root());
    assert!(!o.status.success(), "the other root must not verify it");
}

#[test]
fn a_token_over_other_bytes_or_from_a_non_tsa_certificate_fails() {
    let dir = setup();
    let d = dir.path();
    let good = tsa::start(TsaCert::Good);
    let plain = tsa::start(TsaCert::NoTimeStampingUsage);
    ok(pack(d, "a.zip", &["--tsa", &good.url]));
    let input = example();
    ok(run(
        d,
        &[
            "pack",
            input.to_str().unwrap(),
            "--key",
            "desk.key",
            "-o",
            "other.zip",
            "--captured-at",
            "2024-03-15T08:30:00Z",
            "--tsa",
            &good.url,
        ],
    ));
    // Wrong imprint: a's token put into the other bundle.
    let a = crate::support::entries(&std::fs::read(d.join("a.zip")).unwrap());
    let mut other = crate::support::entries(&std::fs::read(d.join("other.zip")).unwrap());
    crate::support::set(
        &mut other,
        "timestamps/signature.1.tsr",
        crate::support::get(&a, "timestamps/signature.1.tsr").to_vec(),
    );
    std::fs::write(d.join("swapped.zip"), crate::support::rebuild(&other)).unwrap();
    let root = good.root().to_str().unwrap().to_string();
    let (code, r) = verify(
        d,
        &["--trust", "desk.pub", "--tsa-root", &root, "swapped.zip"],
    );
    assert_eq!((code, codes(&r)), (Some(1), vec!["E071"]));
    // A token anyone could have added: the bundle fails, but its signed
    // core is not called forged (spec §8.1).
    assert_eq!(r["state"], "verified-trusted");
    assert_eq!(
        (&r["appendix"], &r["passed"]),
        (&"invalid".into(), &false.into())
    );
    // A certificate without the timeStamping usage: openssl refuses to
    // sign with it, so the TSA answers 500 and pack fails, writing nothing.
    let o = pack(d, "c.zip", &["--tsa", &plain.url]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!d.join("c.zip").exists());
}

#[test]
fn a_tsa_that_is_down_fails_pack_unless_unstamped_output_is_allowed() {
    let dir = setup();
    let d = dir.path();
    let down = tsa::down_url();
    let o = pack(d, "b.zip", &["--tsa", &down, "--tsa-timeout", "5"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("could not be reached") && err.contains("nothing was written"),
        "{err}"
    );
    assert!(!d.join("b.zip").exists());
    let o = pack(d, "b.zip", &["--tsa", &down, "--allow-unstamped"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("continuing without its token"));
    let (code, r) = verify(d, &["b.zip"]);
    assert_eq!(
        (code, r["timestamps"].as_array().unwrap().len()),
        (Some(0), 0)
    );
}

#[test]
fn an_expired_tsa_certificate_still_vouches_for_tokens_made_while_valid() {
    // The token is judged at its genTime, not at the verifier's clock: the
    // library takes the clock as input, so "two years later" is a date.
    use provseal::verify::{Trust, VerifyOptions, verify_path};
    let dir = setup();
    let d = dir.path();
    let a = tsa::start(TsaCert::Good);
    ok(pack(d, "b.zip", &["--tsa", &a.url]));
    let roots =
        provseal::format::timestamp::pki::read_certificates(&std::fs::read(a.root()).unwrap())
            .unwrap();
    let tsa_cert = provseal::format::timestamp::pki::read_certificates(
        &std::fs::read(a.dir.join("tsa.pem")).unwrap(),
    )
    .unwrap();
    let (_, not_after) = provseal::format::timestamp::pki::validity(&tsa_cert[0]);
    let mut opts =
        VerifyOptions::new(not_after + chrono::Duration::days(400)).with_trust(Trust::Anyone {
            allow_unsigned: true,
        });
    opts.tsa_roots = roots;
    let r = verify_path(&d.join("b.zip"), &opts).unwrap();
    assert!(r.timestamps[0].trusted == Some(true), "{:?}", r.findings);
    assert!(r.timestamps[0].gen_time.unwrap() < not_after);
    assert!(
        !r.findings
            .iter()
            .any(|f| f.code == provseal::Code::TimestampUntrusted)
    );
}

#[test]
fn pack_batch_stamps_each_bundle_and_fails_only_the_jobs_without_a_token() {
    let dir = setup();
    let d = dir.path();
    let a = tsa::start(TsaCert::Good);
    let input = example();
    let jobs = format!(
        "{{\"input\": {0:?}, \"out\": \"one.zip\"}}\n{{\"input\": {0:?}, \"out\": \"two.zip\"}}\n",
        input.to_str().unwrap()
    );
    std::fs::write(d.join("jobs.jsonl"), jobs).unwrap();
    let o = run(
        d,
        &[
            "pack",
            "--batch",
            "jobs.jsonl",
            "--key",
            "signer.key",
            "--tsa",
            &a.url,
            "-j",
            "2",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let root = a.root().to_str().unwrap().to_string();
    for b in ["one.zip", "two.zip"] {
        let (code, r) = verify(d, &["--tsa-root", &root, b]);
        assert_eq!(code, Some(0), "{r:#}");
        assert_eq!(r["timestamps"][0]["trusted"], true);
    }
    std::fs::write(
        d.join("jobs2.jsonl"),
        format!(
            "{{\"input\": {:?}, \"out\": \"three.zip\"}}\n",
            input.to_str().unwrap()
        ),
    )
    .unwrap();
    let o = run(
        d,
        &[
            "pack",
            "--batch",
            "jobs2.jsonl",
            "--key",
            "signer.key",
            "--tsa",
            &tsa::down_url(),
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).starts_with("FAILED"), "{}", stdout(&o));
    assert!(!d.join("three.zip").exists());
}

#[test]
fn a_trust_store_holds_tsa_roots_and_custodians_by_name() {
    let dir = setup();
    let d = dir.path();
    let a = tsa::start(TsaCert::Good);
    ok(pack(d, "b.zip", &["--tsa", &a.url]));
    attest(
        d,
        "b.zip",
        "desk.key",
        "received",
        "2024-03-16T09:00:00Z",
        &[],
    );
    let root = a.root().to_str().unwrap().to_string();
    for (sub, args) in [
        ("add", vec!["--name", "Coast Newsroom", "signer.pub"]),
        ("add", vec!["--name", "Evidence Desk", "desk.pub"]),
        ("add-tsa", vec!["--name", "Loopback TSA", root.as_str()]),
    ] {
        let mut all = vec!["trust", sub, "--store", "trust.toml"];
        all.extend(args);
        ok(run(d, &all));
    }
    let listed = ok(run(d, &["trust", "list", "--store", "trust.toml"]));
    assert!(
        listed.contains("TSA Loopback TSA\n  root CN=provseal vectors root"),
        "{listed}"
    );
    let o = run(
        d,
        &["verify", "--json", "--trust-store", "trust.toml", "b.zip"],
    );
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let b = &doc["bundles"][0];
    assert_eq!(o.status.code(), Some(0), "{b:#}");
    assert_eq!(codes(b), Vec::<&str>::new());
    assert_eq!(b["signer"]["name"], "Coast Newsroom");
    assert_eq!(b["custody"][0]["actor_name"], "Evidence Desk");
    assert_eq!(b["timestamps"][0]["trusted"], true);
    let again = run(
        d,
        &[
            "trust",
            "add-tsa",
            "--store",
            "trust.toml",
            "--name",
            "Again",
            &root,
        ],
    );
    assert_eq!(again.status.code(), Some(2));
}

#[test]
fn capture_stamps_its_signature_and_refuses_tsa_without_a_key() {
    let dir = setup();
    let d = dir.path();
    let site = crate::support::server::start();
    let a = tsa::start(TsaCert::Good);
    let url = format!("{}/article", site.base);
    let o = run(
        d,
        &[
            "capture",
            &url,
            "--key",
            "signer.key",
            "-o",
            "c.zip",
            "--tsa",
            &a.url,
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let root = a.root().to_str().unwrap().to_string();
    let (code, r) = verify(d, &["--tsa-root", &root, "c.zip"]);
    assert_eq!((code, codes(&r)), (Some(0), Vec::<&str>::new()), "{r:#}");
    let stamp = &r["timestamps"][0];
    assert_eq!(
        stamp["claimed_time"],
        r["manifest"]["capture"]["captured_at"]
    );
    let o = run(
        d,
        &[
            "capture",
            &url,
            "--unsigned",
            "-o",
            "u.zip",
            "--tsa",
            &a.url,
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("give --key"), "{}", stderr(&o));
    assert!(!d.join("u.zip").exists());
}

#[test]
fn concurrent_attests_on_one_bundle_each_land_in_the_chain() {
    let dir = setup();
    let d = dir.path();
    ok(pack(d, "c.zip", &[]));
    let spawned: Vec<_> = ["desk", "counsel", "desk", "counsel", "desk", "counsel"]
        .iter()
        .map(|k| {
            std::process::Command::new(assert_cmd::cargo::cargo_bin("provseal"))
                .current_dir(d)
                .args(["attest", "c.zip", "--key", &format!("{k}.key")])
                .args(["--action", "reviewed", "--time", "2024-03-16T09:00:00Z"])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for c in spawned {
        let out = c.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let (code, r) = verify(
        d,
        &["--trust", "desk.pub", "--trust", "counsel.pub", "c.zip"],
    );
    assert_eq!(code, Some(0), "{r:#}");
    assert_eq!(r["custody"].as_array().unwrap().len(), 6, "no event lost");
}

#[test]
fn a_trusted_timestamp_settles_whether_a_signature_predates_its_keys_revocation() {
    let dir = setup();
    let d = dir.path();
    let a = tsa::start(TsaCert::Good);
    // Claimed 2024-03-15; the token is made now.
    ok(pack(d, "b.zip", &["--tsa", &a.url]));
    let root = a.root().to_str().unwrap().to_string();
    let key_id = ok(run(
        d,
        &[
            "trust",
            "add",
            "--store",
            "t.toml",
            "--name",
            "Coast Newsroom",
            "signer.pub",
        ],
    ));
    ok(run(
        d,
        &[
            "trust", "add-tsa", "--store", "t.toml", "--name", "TSA", &root,
        ],
    ));
    let judged = |revoked: &str| {
        ok(run(
            d,
            &[
                "trust",
                "revoke",
                "--store",
                "t.toml",
                key_id.trim(),
                "--at",
                revoked,
                "--reason",
                "stolen",
            ],
        ));
        let o = run(d, &["verify", "--json", "--trust-store", "t.toml", "b.zip"]);
        let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let b = doc["bundles"][0].clone();
        (o.status.code(), b)
    };
    // Revoked after the claimed time but before the token: only the claim
    // dates it, and a thief can claim any time, so it fails (E044).
    let (code, b) = judged("2025-01-01T00:00:00Z");
    assert_eq!((code, codes(&b)), (Some(1), vec!["E044"]), "{b:#}");
    assert_eq!(b["state"], "intact-untrusted");
    let m = b["findings"][0]["message"].as_str().unwrap();
    assert!(m.contains("is after the revocation"), "{m}");
    // Revoked after the token too: the token proves it was signed before.
    let (code, b) = judged("2099-01-01T00:00:00Z");
    assert_eq!((code, codes(&b)), (Some(0), vec!["W005"]), "{b:#}");
    let m = b["findings"][0]["message"].as_str().unwrap();
    assert!(
        m.contains("a trusted timestamp proves the signature existed at"),
        "{m}"
    );
}
