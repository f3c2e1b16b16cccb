//! Mutation test (spec §3.2: one accepted serialisation). For two valid
//! vector bundles, every single-byte change (each position XOR 0x01) and
//! every truncation must fail verification, and nothing may panic. The
//! counts are printed (`cargo test --test it mutation:: -- --nocapture`).

use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::support::*;
use provseal::verify::VerifyOptions;

#[derive(Default, Debug)]
struct Tally {
    variants: usize,
    detected: usize,
    panics: usize,
    undetected: Vec<String>,
}

impl Tally {
    fn check(&mut self, what: String, bytes: &[u8], opts: &VerifyOptions) {
        self.variants += 1;
        match catch_unwind(AssertUnwindSafe(|| verify_bytes(bytes, opts))) {
            Ok(r) if r.passed => self.undetected.push(what),
            Ok(_) => self.detected += 1,
            Err(_) => self.panics += 1,
        }
    }
}

fn mutate(file: &str, opts: VerifyOptions) {
    let bytes = std::fs::read(repo_path(&format!("spec/vectors/valid/{file}"))).unwrap();
    assert!(
        verify_bytes(&bytes, &opts).passed,
        "{file} must verify before mutation"
    );
    let mut flips = Tally::default();
    for i in 0..bytes.len() {
        let mut m = bytes.clone();
        m[i] ^= 0x01;
        flips.check(format!("byte {i}"), &m, &opts);
    }
    let mut cuts = Tally::default();
    for len in 0..bytes.len() {
        cuts.check(format!("length {len}"), &bytes[..len], &opts);
    }
    for (kind, t) in [("single-byte changes", &flips), ("truncations", &cuts)] {
        println!(
            "{file}: {kind}: {} variants, {} detected ({:.1}%), {} undetected, {} panics",
            t.variants,
            t.detected,
            100.0 * t.detected as f64 / t.variants as f64,
            t.undetected.len(),
            t.panics
        );
        assert_eq!(t.panics, 0, "{file}: {kind} panicked");
        assert!(
            t.undetected.is_empty(),
            "{file}: {kind} still verified: {:?}",
            t.undetected
        );
    }
}

#[test]
fn every_byte_change_and_truncation_of_a_signed_bundle_fails() {
    mutate("signed.zip", options(&[&test_key()], false));
}

#[test]
fn every_byte_change_and_truncation_of_an_unsigned_bundle_fails() {
    mutate("W004_unsigned_allowed.zip", options(&[], true));
}

#[test]
fn every_byte_change_and_truncation_of_a_bundle_with_custody_events_and_tokens_fails() {
    let mut opts = options(&[&test_key(), &other_key()], false);
    opts.tsa_roots = provseal::format::timestamp::pki::read_certificates(
        &std::fs::read(repo_path("spec/vectors/tsa/root.pem")).unwrap(),
    )
    .unwrap();
    mutate("custody_and_timestamps.zip", opts);
}

/// An attacker can fix the CRC-32 after changing a byte. In the appendix,
/// which no manifest hash covers, every such change to a custody event or
/// token is still detected by the signatures and the pinned fields (spec
/// §6.5), except the token's PKIStatus (granted, 0, or granted with
/// modifications, 1), which RFC 3161 leaves outside the TSA's signature and
/// which changes nothing the token attests.
#[test]
fn crc_fixed_changes_to_custody_events_and_tokens_are_detected() {
    let bytes = std::fs::read(repo_path("spec/vectors/valid/custody_and_timestamps.zip")).unwrap();
    let mut opts = options(&[&test_key(), &other_key()], false);
    opts.tsa_roots = provseal::format::timestamp::pki::read_certificates(
        &std::fs::read(repo_path("spec/vectors/tsa/root.pem")).unwrap(),
    )
    .unwrap();
    let all = entries(&bytes);
    let mut checked = 0;
    for (i, (name, data)) in all.iter().enumerate() {
        if !(name.starts_with("custody/") || name.starts_with("timestamps/")) {
            continue;
        }
        let mut undetected = Vec::new();
        for j in 0..data.len() {
            let mut e = all.clone();
            e[i].1[j] ^= 0x01;
            let r = verify_bytes(&rebuild(&e), &opts);
            checked += 1;
            if r.passed && r.findings.is_empty() {
                undetected.push(j);
            }
        }
        let allowed: &[usize] = if name.ends_with(".tsr") { &[8] } else { &[] };
        println!(
            "{name}: {} CRC-fixed changes, undetected at {undetected:?}",
            data.len()
        );
        assert_eq!(undetected, allowed, "{name}");
    }
    assert!(checked > 3000);
}
