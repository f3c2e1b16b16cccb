//! Vectors for RFC 3161 timestamp tokens (spec §6.5), each invalid one
//! breaking exactly one rule.

use provseal::format::appendix::{self, AppendixName};

use super::Hand::{Fail, NotApplicable, Pass};
use super::{Builder, OTHER, TEST};
use crate::support::*;

use super::custody::{signature_of, unix, with};

/// Timestamp tokens (spec §6.5), each invalid one breaking one rule, and
/// the bundle that has everything: tokens and the custody events `e1`,
/// `e2`.
// Long by reason: one stamped signature and the closure that adds a
// vector over it; every vector below is that token with one rule broken.
pub(super) fn add_all(b: &mut Builder, signed: &[u8], e1: &[u8], e2: &[u8]) {
    // Timestamps over the manifest signature (2024-03-15T08:30:00Z claimed).
    let sig = appendix::manifest_signature(signed).unwrap();
    let stamped = |tsa: &str, at: &str, over: &[u8]| {
        with(
            signed,
            vec![(
                AppendixName::SignatureToken(1),
                mini_tsa::token(tsa, over, unix(at), 1, false),
            )],
        )
    };
    let good = stamped("tsa", "2024-03-15T09:00:00Z", &sig);
    let add_ts = |b: &mut Builder,
                  file: &str,
                  d: &str,
                  bytes: Vec<u8>,
                  roots: &[&str],
                  state: &str,
                  codes: &[&str],
                  hand| {
        b.add(file, d, bytes, &[TEST, OTHER], false, state, codes, hand);
        b.out.last_mut().unwrap().entry.tsa_roots = roots.iter().map(|r| r.to_string()).collect();
    };
    let root = "tsa/root.pem";
    add_ts(
        b,
        "valid/timestamped.zip",
        "The signed bundle with an RFC 3161 token over its signature (genTime 2024-03-15T09:00:00Z), the TSA root trusted.",
        good.clone(),
        &[root],
        "verified-trusted",
        &[],
        Pass,
    );
    // A trusted token settles what the signer's claim alone cannot (spec
    // §8.2): the signature existed before the revocation, or by the end
    // of the retired key's window.
    for (file, d, store, codes) in [
        (
            "valid/W005_key_revoked_after_signing.zip",
            "Signed before its key was revoked (2025-06-01), as a trusted token (genTime 2024-03-15T09:00:00Z) proves: verified, with the revocation shown.",
            "keys/trust-store-revoked-later.toml",
            &["W005"][..],
        ),
        (
            "valid/trust_store_rotated_key.zip",
            "Signed with a key rotated out on 2025-01-01, and a trusted token proves the signature existed in 2024: verified, no warning.",
            "keys/trust-store-rotated.toml",
            &[][..],
        ),
    ] {
        add_ts(
            b,
            file,
            d,
            good.clone(),
            &[root],
            "verified-trusted",
            codes,
            NotApplicable,
        );
        let v = b.out.last_mut().unwrap();
        v.entry.trust_store = Some(store.into());
        v.entry.trusted_keys.clear();
    }
    add_ts(
        b,
        "valid/W008_timestamp_without_root.zip",
        "The same, verified without any TSA root: the token checks out but its time is not vouched for.",
        good.clone(),
        &[],
        "verified-trusted",
        &["W008"],
        Pass,
    );
    add_ts(
        b,
        "valid/timestamp_tsa_certificate_expired_since.zip",
        "A token by a TSA certificate valid 2023-01-01 to 2024-12-31, made in 2024 and verified in 2026: judged at genTime, so trusted.",
        stamped("expired", "2024-03-15T09:00:00Z", &sig),
        &[root],
        "verified-trusted",
        &[],
        Pass,
    );
    add_ts(
        b,
        "invalid/E070_timestamp_not_a_response.zip",
        "A timestamp entry that is not a DER TimeStampResp.",
        with(
            signed,
            vec![(
                AppendixName::SignatureToken(1),
                b"not a time-stamp response\n".to_vec(),
            )],
        ),
        &[root],
        "verified-trusted",
        &["E070"],
        Fail,
    );
    add_ts(
        b,
        "invalid/E071_timestamp_over_other_bytes.zip",
        "A genuine token over 64 other bytes, not this bundle's signature.",
        stamped("tsa", "2024-03-15T09:00:00Z", &[0x55; 64]),
        &[root],
        "verified-trusted",
        &["E071"],
        Fail,
    );
    add_ts(
        b,
        "invalid/E071_custody_timestamp_over_other_bytes.zip",
        "A genuine token over a custody event's place, but over 64 other bytes rather than that event's signature.",
        with(
            signed,
            vec![
                (AppendixName::Event(1), e1.to_vec()),
                (
                    AppendixName::EventToken(1, 1),
                    mini_tsa::token("tsa", &[0x66; 64], unix("2024-03-16T09:05:00Z"), 3, false),
                ),
            ],
        ),
        &[root],
        "verified-trusted",
        &["E071"],
        Fail,
    );
    add_ts(
        b,
        "invalid/E072_timestamp_signature_invalid.zip",
        "A token whose ECDSA signature is over other signed attributes.",
        with(
            signed,
            vec![(
                AppendixName::SignatureToken(1),
                mini_tsa::token("tsa", &sig, unix("2024-03-15T09:00:00Z"), 1, true),
            )],
        ),
        &[root],
        "verified-trusted",
        &["E072"],
        Fail,
    );
    add_ts(
        b,
        "invalid/E073_timestamp_not_a_tsa_certificate.zip",
        "A token signed with a certificate that lacks the timeStamping extended key usage.",
        stamped("plain", "2024-03-15T09:00:00Z", &sig),
        &[root],
        "verified-trusted",
        &["E073"],
        Fail,
    );
    add_ts(
        b,
        "invalid/E074_timestamp_untrusted_root.zip",
        "A genuine token whose TSA does not chain to the root the verifier trusts.",
        good.clone(),
        &["tsa/other-root.pem"],
        "verified-trusted",
        &["E074"],
        Fail,
    );
    add_ts(
        b,
        "invalid/E075_capture_time_after_timestamp.zip",
        "A token attesting the signature existed at 2024-03-15T08:00:00Z, half an hour before the capture time the manifest claims.",
        stamped("tsa", "2024-03-15T08:00:00Z", &sig),
        &[root],
        "verified-trusted",
        &["E075"],
        Fail,
    );

    // Everything together: the bundle the mutation test changes byte by byte.
    let t1 = mini_tsa::token(
        "tsa",
        &signature_of(e1),
        unix("2024-03-16T09:05:00Z"),
        2,
        false,
    );
    add_ts(
        b,
        "valid/custody_and_timestamps.zip",
        "A token over the signature, two custody events by two keys, and a token over the first event.",
        with(
            signed,
            vec![
                (
                    AppendixName::SignatureToken(1),
                    mini_tsa::token("tsa", &sig, unix("2024-03-15T09:00:00Z"), 1, false),
                ),
                (AppendixName::Event(1), e1.to_vec()),
                (AppendixName::EventToken(1, 1), t1),
                (AppendixName::Event(2), e2.to_vec()),
            ],
        ),
        &[root],
        "verified-trusted",
        &[],
        Pass,
    );
}
