//! The trust store (spec §8.2): named signers, each with one or more
//! Ed25519 keys, each key valid from `not_before` to `not_after` and
//! possibly revoked at a time, for a reason. A signature is judged by its
//! key's standing at signing time, so rotating a key (ending the old key's
//! window and starting the new one's) leaves every bundle signed earlier
//! with the old key verified.
//!
//! The file is TOML:
//!
//! ```toml
//! version = 1
//!
//! [[signer]]
//! name = "Example Newsroom"
//!
//! [[signer.key]]
//! public_key = "iojj3XQJ8ZX9UtstPLpdcspnCb8dlBIb83SIAbQPb1w="  # raw Ed25519 key, base64
//! key_id = "sha256:…"                                          # checked against public_key
//! not_before = "2024-01-01T00:00:00Z"                          # optional
//! not_after = "2026-01-01T00:00:00Z"                           # optional
//! revoked_at = "2025-06-01T00:00:00Z"                          # optional
//! revoked_reason = "laptop stolen"                             # with revoked_at
//!
//! [[tsa]]
//! name = "Example TSA"
//! certificate = """
//! -----BEGIN CERTIFICATE-----
//! …the TSA's root certificate…
//! -----END CERTIFICATE-----
//! """
//! ```

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use chrono::{DateTime, SecondsFormat, Utc};
use ed25519_dalek::VerifyingKey;
use serde::{Deserialize, Serialize};

use crate::format::sign::key_id;

pub mod edit;

/// The trust store format's version.
pub const TRUST_STORE_VERSION: u32 = 1;

/// A trust store.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustStore {
    /// The signers, in the file's order.
    pub signers: Vec<TrustedSigner>,
    /// Time-stamping authorities whose root certificates vouch for RFC 3161
    /// tokens (spec §8.3).
    pub tsas: Vec<TrustedTsa>,
}

/// A time-stamping authority the store trusts, by its root certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustedTsa {
    /// A name for people.
    pub name: String,
    /// The root certificate tokens must chain to.
    pub root: x509_cert::Certificate,
}

/// A signer: a person or organisation, by name, and its keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustedSigner {
    /// The name reports show for bundles it vouches for.
    pub name: String,
    /// Its keys, current and past.
    pub keys: Vec<TrustedKey>,
}

/// One key of a signer and its standing over time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustedKey {
    /// The public key.
    pub key: VerifyingKey,
    /// Signatures made before this time are not vouched for.
    pub not_before: Option<DateTime<Utc>>,
    /// Signatures made after this time are not vouched for (the key was
    /// retired, for example by rotation).
    pub not_after: Option<DateTime<Utc>>,
    /// When and why the key was revoked: signatures made from then on are
    /// refused.
    pub revoked: Option<(DateTime<Utc>, String)>,
}

/// What the store says of a signature by a key at a time.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Standing {
    /// The key belongs to this signer and was valid then.
    Trusted {
        /// The signer's name.
        signer: String,
        /// Set when the key was revoked later: when and why.
        revoked_later: Option<(DateTime<Utc>, String)>,
        /// The end of the key's window, when it has one: a key retired
        /// since dates its signatures only by the signer's claim.
        not_after: Option<DateTime<Utc>>,
    },
    /// The store does not hold the key.
    Unknown,
    /// The key belongs to this signer but was outside its validity window.
    OutsideWindow {
        /// The signer's name.
        signer: String,
        /// The window, as text, for the message.
        window: String,
    },
    /// The key had been revoked before the signature was made.
    Revoked {
        /// The signer's name.
        signer: String,
        /// When it was revoked.
        at: DateTime<Utc>,
        /// Why.
        reason: String,
    },
}

/// Why a trust store file was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum TrustStoreError {
    /// Not TOML, or not the documented shape.
    #[error("not a provseal trust store: {0}")]
    Syntax(String),
    /// A version this provseal does not know.
    #[error(
        "trust store version {0} is not supported (this provseal reads version {TRUST_STORE_VERSION})"
    )]
    Version(u32),
    /// A key that is not a valid Ed25519 public key, or whose key id does
    /// not match it.
    #[error("signer {signer:?}: {problem}")]
    BadKey {
        /// The signer's name.
        signer: String,
        /// What is wrong.
        problem: String,
    },
    /// One key listed twice (under one signer or two): which name the
    /// store gives it, and so whom a signature would be credited to, would
    /// be the file's order's choice.
    #[error(
        "key {key_id} is listed twice (under {first:?} and {second:?}); a key belongs to one signer, once"
    )]
    DuplicateKey {
        /// The key's id.
        key_id: String,
        /// The signer it is listed under first.
        first: String,
        /// The signer it is listed under again.
        second: String,
    },
    /// A name or reason with a control, bidirectional or invisible
    /// character, which could make a report show something else.
    #[error("{0}")]
    UnsafeText(crate::display::UnsafeValue),
    /// A TSA entry whose certificate cannot be read.
    #[error("tsa {tsa:?}: {problem}")]
    BadTsa {
        /// The TSA's name.
        tsa: String,
        /// What is wrong.
        problem: String,
    },
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileForm {
    version: u32,
    #[serde(default, rename = "signer")]
    signers: Vec<SignerForm>,
    #[serde(default, rename = "tsa", skip_serializing_if = "Vec::is_empty")]
    tsas: Vec<TsaForm>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct TsaForm {
    name: String,
    certificate: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SignerForm {
    name: String,
    #[serde(default, rename = "key")]
    keys: Vec<KeyForm>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyForm {
    public_key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    key_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    not_before: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    not_after: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    revoked_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    revoked_reason: Option<String>,
}

fn time(field: &str, v: &Option<String>) -> Result<Option<DateTime<Utc>>, String> {
    v.as_deref()
        .map(|t| {
            DateTime::parse_from_rfc3339(t)
                .map(|d| d.with_timezone(&Utc))
                .map_err(|e| format!("{field} {t:?} is not an RFC 3339 time: {e}"))
        })
        .transpose()
}

fn rfc3339(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

impl TrustStore {
    /// Parses a trust store file.
    pub fn parse(text: &str) -> Result<Self, TrustStoreError> {
        let form: FileForm =
            toml::from_str(text).map_err(|e| TrustStoreError::Syntax(e.message().to_string()))?;
        if form.version != TRUST_STORE_VERSION {
            return Err(TrustStoreError::Version(form.version));
        }
        let mut signers: Vec<TrustedSigner> = Vec::with_capacity(form.signers.len());
        let mut seen: std::collections::HashMap<[u8; 32], String> = Default::default();
        for s in form.signers {
            crate::display::check_clean("signer name", &s.name)
                .map_err(TrustStoreError::UnsafeText)?;
            let bad = |problem: String| TrustStoreError::BadKey {
                signer: s.name.clone(),
                problem,
            };
            let mut keys = Vec::with_capacity(s.keys.len());
            for k in &s.keys {
                let raw = B64
                    .decode(k.public_key.trim())
                    .map_err(|_| bad("public_key is not base64".into()))?;
                let raw: [u8; 32] = raw
                    .try_into()
                    .map_err(|_| bad("public_key is not 32 bytes".into()))?;
                let key = VerifyingKey::from_bytes(&raw)
                    .map_err(|_| bad("public_key is not an Ed25519 key".into()))?;
                if let Some(first) = seen.insert(raw, s.name.clone()) {
                    return Err(TrustStoreError::DuplicateKey {
                        key_id: key_id(&key),
                        first,
                        second: s.name.clone(),
                    });
                }
                if let Some(r) = &k.revoked_reason {
                    crate::display::check_clean("revoked_reason", r)
                        .map_err(TrustStoreError::UnsafeText)?;
                }
                if let Some(id) = &k.key_id
                    && *id != key_id(&key)
                {
                    return Err(bad(format!("key_id {id} does not match its public_key")));
                }
                let revoked = match (
                    time("revoked_at", &k.revoked_at).map_err(bad)?,
                    &k.revoked_reason,
                ) {
                    (Some(at), reason) => Some((at, reason.clone().unwrap_or_default())),
                    (None, Some(_)) => return Err(bad("revoked_reason without revoked_at".into())),
                    (None, None) => None,
                };
                keys.push(TrustedKey {
                    key,
                    not_before: time("not_before", &k.not_before).map_err(bad)?,
                    not_after: time("not_after", &k.not_after).map_err(bad)?,
                    revoked,
                });
            }
            signers.push(TrustedSigner { name: s.name, keys });
        }
        let mut tsas = Vec::with_capacity(form.tsas.len());
        for t in form.tsas {
            crate::display::check_clean("tsa name", &t.name)
                .map_err(TrustStoreError::UnsafeText)?;
            let mut certs =
                crate::format::timestamp::pki::read_certificates(t.certificate.as_bytes())
                    .map_err(|e| TrustStoreError::BadTsa {
                        tsa: t.name.clone(),
                        problem: e,
                    })?;
            if certs.len() != 1 {
                return Err(TrustStoreError::BadTsa {
                    tsa: t.name,
                    problem: "certificate must hold exactly one certificate".into(),
                });
            }
            tsas.push(TrustedTsa {
                name: t.name,
                root: certs.remove(0),
            });
        }
        Ok(TrustStore { signers, tsas })
    }

    /// The file form, as [`TrustStore::parse`] reads it.
    pub fn to_toml(&self) -> String {
        let form = FileForm {
            version: TRUST_STORE_VERSION,
            signers: self
                .signers
                .iter()
                .map(|s| SignerForm {
                    name: s.name.clone(),
                    keys: s
                        .keys
                        .iter()
                        .map(|k| KeyForm {
                            public_key: B64.encode(k.key.as_bytes()),
                            key_id: Some(key_id(&k.key)),
                            not_before: k.not_before.as_ref().map(rfc3339),
                            not_after: k.not_after.as_ref().map(rfc3339),
                            revoked_at: k.revoked.as_ref().map(|r| rfc3339(&r.0)),
                            revoked_reason: k.revoked.as_ref().map(|r| r.1.clone()),
                        })
                        .collect(),
                })
                .collect(),
            tsas: self
                .tsas
                .iter()
                .map(|t| TsaForm {
                    name: t.name.clone(),
                    certificate: der::EncodePem::to_pem(&t.root, der::pem::LineEnding::LF)
                        .unwrap_or_default(),
                })
                .collect(),
        };
        format!(
            "# provseal trust store (spec §8.2)\n{}",
            toml::to_string(&form).unwrap_or_default()
        )
    }

    /// The signer and entry holding `key`, if any.
    pub fn find(&self, key: &VerifyingKey) -> Option<(&TrustedSigner, &TrustedKey)> {
        self.signers
            .iter()
            .find_map(|s| s.keys.iter().find(|k| k.key == *key).map(|k| (s, k)))
    }

    /// The standing of a signature by `key` made at `signed_at`.
    pub fn standing(&self, key: &VerifyingKey, signed_at: DateTime<Utc>) -> Standing {
        let Some((signer, k)) = self.find(key) else {
            return Standing::Unknown;
        };
        let signer = signer.name.clone();
        if let Some((at, reason)) = &k.revoked
            && *at <= signed_at
        {
            return Standing::Revoked {
                signer,
                at: *at,
                reason: reason.clone(),
            };
        }
        let before = k.not_before.is_some_and(|nb| signed_at < nb);
        let after = k.not_after.is_some_and(|na| signed_at > na);
        if before || after {
            let window = format!(
                "{} to {}",
                k.not_before
                    .as_ref()
                    .map_or("the beginning".into(), rfc3339),
                k.not_after.as_ref().map_or("no end".into(), rfc3339)
            );
            return Standing::OutsideWindow { signer, window };
        }
        Standing::Trusted {
            signer,
            revoked_later: k.revoked.clone(),
            not_after: k.not_after,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::sign::KeyPair;
    use chrono::TimeZone;

    fn t(y: i32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, 1, 1, 0, 0, 0).unwrap()
    }

    #[test]
    fn a_tsa_entry_must_hold_one_readable_certificate() {
        let text = "version = 1\n[[tsa]]\nname = \"x\"\ncertificate = \"not a certificate\"\n";
        assert!(matches!(
            TrustStore::parse(text),
            Err(TrustStoreError::BadTsa { .. })
        ));
        let unknown = "version = 1\n[[tsa]]\nname = \"x\"\ncertificate = \"\"\nurl = \"y\"\n";
        assert!(matches!(
            TrustStore::parse(unknown),
            Err(TrustStoreError::Syntax(_))
        ));
    }

    #[test]
    fn a_rotated_key_still_vouches_for_what_it_signed_before() {
        let old = KeyPair::from_seed(&[1u8; 32]).verifying_key();
        let new = KeyPair::from_seed(&[2u8; 32]).verifying_key();
        let stolen = KeyPair::from_seed(&[3u8; 32]).verifying_key();
        let store = TrustStore {
            signers: vec![TrustedSigner {
                name: "Newsroom".into(),
                keys: vec![
                    TrustedKey {
                        key: old,
                        not_before: None,
                        not_after: Some(t(2025)),
                        revoked: None,
                    },
                    TrustedKey {
                        key: new,
                        not_before: Some(t(2025)),
                        not_after: None,
                        revoked: None,
                    },
                    TrustedKey {
                        key: stolen,
                        not_before: None,
                        not_after: None,
                        revoked: Some((t(2024), "laptop stolen".into())),
                    },
                ],
            }],
            tsas: Vec::new(),
        };
        let trusted = |k, y| matches!(store.standing(k, t(y)), Standing::Trusted { .. });
        assert!(trusted(&old, 2024) && !trusted(&old, 2026));
        assert!(trusted(&new, 2026) && !trusted(&new, 2024));
        assert!(matches!(
            store.standing(&stolen, t(2023)),
            Standing::Trusted {
                revoked_later: Some(_),
                ..
            }
        ));
        assert!(matches!(
            store.standing(&stolen, t(2024)),
            Standing::Revoked { .. }
        ));
        let unknown = KeyPair::from_seed(&[9u8; 32]).verifying_key();
        assert_eq!(store.standing(&unknown, t(2024)), Standing::Unknown);
        // The file form reads back as it was.
        assert_eq!(TrustStore::parse(&store.to_toml()), Ok(store));
    }

    #[test]
    fn bad_stores_are_refused_with_a_reason() {
        for (text, needle) in [
            ("version = 2", "version 2"),
            ("nonsense", "not a provseal trust store"),
            (
                "version = 1\n[[signer]]\nname = \"x\"\n[[signer.key]]\npublic_key = \"AAAA\"",
                "32 bytes",
            ),
            ("version = 1\ncolour = 1", "not a provseal trust store"),
        ] {
            let e = TrustStore::parse(text).unwrap_err().to_string();
            assert!(e.contains(needle), "{text}: {e}");
        }
    }
}
