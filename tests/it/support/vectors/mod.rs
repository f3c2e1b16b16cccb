//! The spec's test vectors (spec §11), generated from fixed keys and times.
//! `tests/vectors.rs` checks that the committed files are exactly these and
//! that each verifies as its index entry says.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use chrono::{TimeZone, Utc};
use provseal::format::manifest::{FileRole, Signer};
use provseal::format::sign::Envelope;
use provseal::pack::{self, Overrides};
use serde::{Deserialize, Serialize};

use super::*;

mod container;
mod custody;
mod manifest;
mod rules;
mod signature;
mod timestamps;
mod valid;

/// What `verify-by-hand.sh` must answer for a vector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Hand {
    Pass,
    Fail,
    #[serde(rename = "n/a")]
    NotApplicable,
}

/// One index entry of `spec/vectors/index.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexEntry {
    pub file: String,
    pub description: String,
    pub trusted_keys: Vec<String>,
    pub allow_unsigned: bool,
    pub now: String,
    pub state: String,
    pub codes: Vec<String>,
    pub verify_by_hand: Hand,
    /// Caps lowered for this vector (field names of `Limits`); the rule
    /// is the same at any cap, and a small cap keeps the vector small.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub limits: std::collections::BTreeMap<String, u64>,
    /// A trust store (spec §8.2) to verify with, relative to spec/vectors;
    /// it then decides trust instead of `trusted_keys`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trust_store: Option<String>,
    /// TSA root certificates (PEM, relative to spec/vectors) to verify
    /// timestamp tokens with (spec §8.3).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tsa_roots: Vec<String>,
    /// A custody chain head recorded elsewhere (spec §6.4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custody_head: Option<String>,
}

pub struct Vector {
    pub entry: IndexEntry,
    pub bytes: Vec<u8>,
}

struct Builder {
    out: Vec<Vector>,
}

impl Builder {
    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        file: &str,
        description: &str,
        bytes: Vec<u8>,
        trusted: &[&str],
        allow_unsigned: bool,
        state: &str,
        codes: &[&str],
        hand: Hand,
    ) {
        self.out.push(Vector {
            entry: IndexEntry {
                file: file.into(),
                description: description.into(),
                trusted_keys: trusted.iter().map(|s| s.to_string()).collect(),
                allow_unsigned,
                now: verifier_now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                state: state.into(),
                codes: codes.iter().map(|s| s.to_string()).collect(),
                verify_by_hand: hand,
                limits: Default::default(),
                trust_store: None,
                tsa_roots: Vec::new(),
                custody_head: None,
            },
            bytes,
        });
    }

    fn invalid(
        &mut self,
        file: &str,
        description: &str,
        bytes: Vec<u8>,
        codes: &[&str],
        hand: Hand,
    ) {
        self.add(
            &format!("invalid/{file}"),
            description,
            bytes,
            &[TEST],
            false,
            "invalid",
            codes,
            hand,
        );
    }

    fn over_cap(
        &mut self,
        file: &str,
        description: &str,
        bytes: Vec<u8>,
        limit: &str,
        value: u64,
        code: &str,
    ) {
        self.invalid(file, description, bytes, &[code], Hand::NotApplicable);
        self.out
            .last_mut()
            .unwrap()
            .entry
            .limits
            .insert(limit.into(), value);
    }
}

pub const TEST: &str = "test-signer";
pub const OTHER: &str = "other-signer";

fn without(bytes: &[u8], name: &str) -> Vec<u8> {
    let mut e = entries(bytes);
    e.retain(|(n, _)| n != name);
    rebuild(&e)
}

fn insert_before_manifest(bytes: &[u8], name: &str, data: &[u8]) -> Vec<u8> {
    let mut e = entries(bytes);
    let at = e.iter().position(|(n, _)| n == "manifest.json").unwrap();
    e.insert(at, (name.into(), data.to_vec()));
    rebuild(&e)
}

fn manifest_text(bytes: &[u8]) -> String {
    String::from_utf8(get(&entries(bytes), "manifest.json").to_vec()).unwrap()
}

/// All vectors, in a fixed order.
/// What several families start from: the example bundle signed and
/// unsigned, its manifest text and signature envelope, and a bundle
/// captured over HTTP.
struct Ctx {
    signed: Packed,
    unsigned: Packed,
    base: Vec<u8>,
    text: String,
    env: Envelope,
    captured: Packed,
}

/// Every vector, in `index.json` order: one family after another, each
/// in its own function next to the rules it breaks.
pub fn all() -> Vec<Vector> {
    let test = test_key();
    let signed = pack_example(Some(&test));
    let base = signed.bytes.clone();
    let c = Ctx {
        unsigned: pack_example(None),
        text: manifest_text(&base),
        env: serde_json::from_slice(get(&entries(&base), "signature.json")).unwrap(),
        captured: provseal::pack::fetched::pack_fetched(
            &synthetic_fetch(),
            &Overrides::default(),
            captured_at(),
            Some(&test),
        )
        .unwrap(),
        base,
        signed,
    };
    let mut b = Builder { out: Vec::new() };
    valid::valid(&mut b, &c);
    container::container(&mut b, &c);
    manifest::manifest(&mut b, &c);
    signature::signature(&mut b, &c);
    container::path_tricks(&mut b, &c);
    container::entry_tricks(&mut b, &c);
    container::archive_tricks(&mut b, &c);
    manifest::manifest_tricks(&mut b, &c);
    signature::signature_tricks(&mut b, &c);
    manifest::caps(&mut b, &c);
    signature::trust_store_vectors(&mut b, &c);
    valid::shown_text(&mut b, &c);
    let (e1, e2) = custody::add_all(&mut b, &c.signed.bytes);
    timestamps::add_all(&mut b, &c.signed.bytes, &e1, &e2);
    rules::add_all(&mut b, &c.signed.bytes, &c.captured.bytes);
    b.out
}

/// The trust stores the trust-store vectors name, as (path under
/// spec/vectors, TOML text).
pub fn trust_stores() -> Vec<(&'static str, String)> {
    use provseal::trust::{TrustStore, TrustedKey, TrustedSigner};
    let t = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap().to_utc();
    let store = |keys: Vec<TrustedKey>| {
        TrustStore {
            signers: vec![TrustedSigner {
                name: "Test Newsroom".into(),
                keys,
            }],
            tsas: Vec::new(),
        }
        .to_toml()
    };
    let key = |k: &KeyPair| TrustedKey {
        key: k.verifying_key(),
        not_before: None,
        not_after: None,
        revoked: None,
    };
    vec![
        (
            "keys/trust-store-rotated.toml",
            store(vec![
                TrustedKey {
                    not_after: Some(t("2025-01-01T00:00:00Z")),
                    ..key(&test_key())
                },
                TrustedKey {
                    not_before: Some(t("2025-01-01T00:00:00Z")),
                    ..key(&other_key())
                },
            ]),
        ),
        (
            "keys/trust-store-revoked-later.toml",
            store(vec![TrustedKey {
                revoked: Some((t("2025-06-01T00:00:00Z"), "key compromised".into())),
                ..key(&test_key())
            }]),
        ),
        (
            "keys/trust-store-not-yet-valid.toml",
            store(vec![TrustedKey {
                not_before: Some(t("2025-01-01T00:00:00Z")),
                ..key(&test_key())
            }]),
        ),
        (
            "keys/trust-store-revoked.toml",
            store(vec![TrustedKey {
                revoked: Some((t("2024-01-01T00:00:00Z"), "key compromised".into())),
                ..key(&test_key())
            }]),
        ),
    ]
}
