//! Golden output: a fixed input, key seed and time give a known bundle.
//! If this changes, the format changed: update the spec and the vectors in
//! the same commit, and say so in the changelog.

use crate::support::*;
use provseal::format::digest::Sha256Digest;

// The manifest records the tool version, so a release bump changes this too.
const GOLDEN_BUNDLE_SHA256: &str =
    "2b352c9c60a3b2e5e5f4dd87127b308d5be183f4fabc5652d2e1b18c9fdaad56";

#[test]
fn packing_the_example_gives_the_known_bundle() {
    let p = pack_example(Some(&test_key()));
    assert_eq!(Sha256Digest::of(&p.bytes).to_hex(), GOLDEN_BUNDLE_SHA256);
}

#[test]
fn the_golden_bundle_is_the_committed_valid_vector() {
    let p = pack_example(Some(&test_key()));
    let committed = std::fs::read(repo_path("spec/vectors/valid/signed.zip")).unwrap();
    assert!(p.bytes == committed);
}
