//! Mutation test (spec §3.2: one accepted serialisation). For two valid
//! vector bundles, every single-byte change (each position XOR 0x01) and
//! every truncation must fail verification, and nothing may panic. The
//! counts are printed (`cargo test --test mutation -- --nocapture`).

mod support;

use std::panic::{AssertUnwindSafe, catch_unwind};

use provseal::verify::VerifyOptions;
use support::*;

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
