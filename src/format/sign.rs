//! Keys, the exact signed bytes, signing and signature verification
//! (spec §6).
//!
//! The manifest is signed inside a DSSE envelope: the signature covers the
//! pre-authentication encoding [`pae`] of the payload type and the manifest
//! bytes, so a signature made for provseal can never be replayed as a
//! signature over some other kind of document, and vice versa.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use ed25519_dalek::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey};
use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::format::digest::Sha256Digest;
use crate::format::manifest::Signer;

/// The DSSE payload type of a provseal manifest.
pub const PAYLOAD_TYPE: &str = "application/vnd.provseal.manifest+json;version=1";

/// Errors reading or writing key files.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The text is not a PKCS#8 Ed25519 private key in PEM.
    #[error("not an Ed25519 private key in PKCS#8 PEM form")]
    BadPrivateKey,
    /// The text is not an SPKI Ed25519 public key in PEM.
    #[error("not an Ed25519 public key in SubjectPublicKeyInfo PEM form")]
    BadPublicKey,
    /// The operating system's random source failed.
    #[error("the system random number generator failed: {0}")]
    Random(String),
    /// The private key is encrypted and no passphrase was given.
    #[error("the private key is encrypted: a passphrase is needed")]
    NeedsPassphrase,
    /// The passphrase does not decrypt the private key (or the encrypted
    /// key is damaged).
    #[error("the passphrase does not decrypt this private key")]
    WrongPassphrase,
    /// Encrypting the private key failed.
    #[error("the private key could not be encrypted: {0}")]
    Encrypt(String),
}

/// Whether PEM text holds an encrypted private key.
pub fn is_encrypted_pem(pem: &str) -> bool {
    pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")
}

/// The exact bytes an Ed25519 signature covers: DSSE's PAE,
/// `"DSSEv1" SP LEN(type) SP type SP LEN(body) SP body`, where LEN is the
/// byte length in ASCII decimal without leading zeros.
pub fn pae(payload_type: &str, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(payload.len() + payload_type.len() + 32);
    out.extend_from_slice(b"DSSEv1 ");
    out.extend_from_slice(payload_type.len().to_string().as_bytes());
    out.push(b' ');
    out.extend_from_slice(payload_type.as_bytes());
    out.push(b' ');
    out.extend_from_slice(payload.len().to_string().as_bytes());
    out.push(b' ');
    out.extend_from_slice(payload);
    out
}

/// The key id of a public key: `sha256:` and the hex SHA-256 of its 32 raw
/// bytes.
pub fn key_id(key: &VerifyingKey) -> String {
    Sha256Digest::of(key.as_bytes()).to_prefixed()
}

/// A signing key, zeroised when dropped.
pub struct KeyPair {
    signing: SigningKey,
}

impl std::fmt::Debug for KeyPair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print key material, not even in debug output.
        write!(f, "KeyPair({})", self.key_id())
    }
}

impl KeyPair {
    /// A fresh key from the operating system's random source.
    pub fn generate() -> Result<Self, KeyError> {
        let mut seed = Zeroizing::new([0u8; 32]);
        getrandom::fill(&mut seed[..]).map_err(|e| KeyError::Random(e.to_string()))?;
        Ok(Self::from_seed(&seed))
    }

    /// The key derived from a 32-byte seed (RFC 8032 secret key). Used for
    /// test vectors; real keys come from [`KeyPair::generate`].
    pub fn from_seed(seed: &[u8; 32]) -> Self {
        KeyPair {
            signing: SigningKey::from_bytes(seed),
        }
    }

    /// Reads a PKCS#8 PEM private key (`-----BEGIN PRIVATE KEY-----`), the
    /// form `openssl genpkey -algorithm ed25519` writes.
    pub fn from_pkcs8_pem(pem: &str) -> Result<Self, KeyError> {
        SigningKey::from_pkcs8_pem(pem)
            .map(|signing| KeyPair { signing })
            .map_err(|_| KeyError::BadPrivateKey)
    }

    /// Reads a private key in PEM: PKCS#8 as [`KeyPair::from_pkcs8_pem`], or
    /// encrypted PKCS#8 (`-----BEGIN ENCRYPTED PRIVATE KEY-----`, PBES2 as
    /// RFC 8018 defines it), decrypted with `passphrase`.
    pub fn from_pem(pem: &str, passphrase: Option<&[u8]>) -> Result<Self, KeyError> {
        if !is_encrypted_pem(pem) {
            return Self::from_pkcs8_pem(pem);
        }
        let passphrase = passphrase.ok_or(KeyError::NeedsPassphrase)?;
        let (label, der) = pkcs8::der::pem::decode_vec(pem.trim().as_bytes())
            .map_err(|_| KeyError::BadPrivateKey)?;
        let der = Zeroizing::new(der);
        if label != "ENCRYPTED PRIVATE KEY" {
            return Err(KeyError::BadPrivateKey);
        }
        let info = pkcs8::EncryptedPrivateKeyInfoRef::try_from(der.as_slice())
            .map_err(|_| KeyError::BadPrivateKey)?;
        let plain = info
            .decrypt(passphrase)
            .map_err(|_| KeyError::WrongPassphrase)?;
        SigningKey::from_pkcs8_der(plain.as_bytes())
            .map(|signing| KeyPair { signing })
            .map_err(|_| KeyError::BadPrivateKey)
    }

    /// The private key as encrypted PKCS#8 PEM: PBES2 with scrypt (log₂N
    /// 15, r 8, p 1) and AES-256-CBC, a random salt and IV, as RFC 8018 and
    /// RFC 7914 define them; `openssl pkey -passin` reads it.
    pub fn to_encrypted_pkcs8_pem(&self, passphrase: &[u8]) -> Result<Zeroizing<String>, KeyError> {
        let bytes = ed25519_dalek::pkcs8::KeypairBytes {
            secret_key: self.signing.to_bytes(),
            public_key: None,
        };
        let der = bytes
            .to_pkcs8_der()
            .map_err(|e| KeyError::Encrypt(e.to_string()))?;
        let info = pkcs8::PrivateKeyInfoRef::try_from(der.as_bytes())
            .map_err(|e| KeyError::Encrypt(e.to_string()))?;
        let encrypted = info
            .encrypt(passphrase)
            .map_err(|e| KeyError::Encrypt(e.to_string()))?;
        let pem = encrypted
            .to_pem("ENCRYPTED PRIVATE KEY", pkcs8::LineEnding::LF)
            .map_err(|e| KeyError::Encrypt(e.to_string()))?;
        Ok(Zeroizing::new(pem.to_string()))
    }

    /// The private key as PKCS#8 v1 PEM, which OpenSSL reads.
    pub fn to_pkcs8_pem(&self) -> Zeroizing<String> {
        let bytes = ed25519_dalek::pkcs8::KeypairBytes {
            secret_key: self.signing.to_bytes(),
            public_key: None,
        };
        let pem = bytes
            .to_pkcs8_pem(ed25519_dalek::pkcs8::spki::der::pem::LineEnding::LF)
            .expect("encoding a 32-byte Ed25519 key as PKCS#8 cannot fail");
        // The temporary KeypairBytes zeroises itself on drop.
        Zeroizing::new(pem.to_string())
    }

    /// The public half.
    pub fn verifying_key(&self) -> VerifyingKey {
        self.signing.verifying_key()
    }

    /// The key id of the public half.
    pub fn key_id(&self) -> String {
        key_id(&self.verifying_key())
    }

    /// The manifest's `signer` object for this key.
    pub fn signer_record(&self) -> Signer {
        let vk = self.verifying_key();
        Signer {
            algorithm: "ed25519".into(),
            public_key: B64.encode(vk.as_bytes()),
            key_id: key_id(&vk),
        }
    }

    /// Signs `manifest` and returns the canonical envelope bytes.
    pub fn sign_manifest(&self, manifest: &[u8]) -> Vec<u8> {
        self.sign_envelope(PAYLOAD_TYPE, manifest)
    }

    /// Signs `payload` under `payload_type` (the PAE of [`pae`]) and returns
    /// the canonical envelope bytes, with exactly one signature.
    pub fn sign_envelope(&self, payload_type: &str, payload: &[u8]) -> Vec<u8> {
        let sig = self.signing.sign(&pae(payload_type, payload));
        Envelope {
            payload_type: payload_type.into(),
            payload: B64.encode(payload),
            signatures: vec![EnvelopeSignature {
                keyid: self.key_id(),
                sig: B64.encode(sig.to_bytes()),
            }],
        }
        .to_canonical_bytes()
    }
}

/// Writes a public key as SPKI PEM (`-----BEGIN PUBLIC KEY-----`).
pub fn public_key_to_pem(key: &VerifyingKey) -> String {
    key.to_public_key_pem(ed25519_dalek::pkcs8::spki::der::pem::LineEnding::LF)
        .expect("encoding a 32-byte Ed25519 key as SPKI cannot fail")
}

/// Reads an SPKI PEM public key, refusing keys of small order.
pub fn public_key_from_pem(pem: &str) -> Result<VerifyingKey, KeyError> {
    let key = VerifyingKey::from_public_key_pem(pem).map_err(|_| KeyError::BadPublicKey)?;
    if key.is_weak() {
        return Err(KeyError::BadPublicKey);
    }
    Ok(key)
}

/// A DSSE envelope as stored in `signature.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Envelope {
    /// Always [`PAYLOAD_TYPE`].
    #[serde(rename = "payloadType")]
    pub payload_type: String,
    /// Standard base64 of the manifest bytes.
    pub payload: String,
    /// Exactly one signature in format version 1.
    pub signatures: Vec<EnvelopeSignature>,
}

/// One signature of an envelope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnvelopeSignature {
    /// The signer's key id.
    pub keyid: String,
    /// Standard base64 of the 64-byte Ed25519 signature.
    pub sig: String,
}

impl Envelope {
    /// Canonical bytes: the same JSON conventions as the manifest (§5.1).
    pub fn to_canonical_bytes(&self) -> Vec<u8> {
        crate::format::canonical::canonical_json(self)
    }
}

/// Why a signature check failed, in the order of spec §6.2.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignatureProblem {
    /// `signer.public_key` is not base64 of 32 bytes, not a valid point, or
    /// of small order.
    #[error("the signer's public key is invalid: {0}")]
    BadPublicKey(String),
    /// `signer.key_id` is not the fingerprint of `signer.public_key`.
    #[error("the manifest's key id {claimed} is not the fingerprint {actual} of its public key")]
    ManifestKeyId {
        /// What the manifest says.
        claimed: String,
        /// What the key hashes to.
        actual: String,
    },
    /// The envelope is not canonical JSON of the envelope schema.
    #[error("the envelope is malformed: {0}")]
    Malformed(String),
    /// The envelope's key id differs from the manifest's.
    #[error("the envelope's key id {0} is not the manifest's signer")]
    EnvelopeKeyId(String),
    /// The envelope's payload is not the manifest bytes.
    #[error("the envelope's payload is not the bytes of manifest.json")]
    PayloadMismatch,
    /// The signature does not verify strictly.
    #[error("the Ed25519 signature does not verify over the manifest")]
    BadSignature,
}

/// Decodes the manifest's signer record into a usable key.
pub fn signer_key(signer: &Signer) -> Result<VerifyingKey, SignatureProblem> {
    let raw = B64
        .decode(&signer.public_key)
        .map_err(|e| SignatureProblem::BadPublicKey(format!("not base64: {e}")))?;
    if B64.encode(&raw) != signer.public_key {
        return Err(SignatureProblem::BadPublicKey(
            "base64 is not canonical".into(),
        ));
    }
    let bytes: [u8; 32] = raw
        .as_slice()
        .try_into()
        .map_err(|_| SignatureProblem::BadPublicKey(format!("{} bytes, not 32", raw.len())))?;
    let key = VerifyingKey::from_bytes(&bytes)
        .map_err(|_| SignatureProblem::BadPublicKey("not a valid curve point".into()))?;
    if key.is_weak() {
        return Err(SignatureProblem::BadPublicKey("a small-order point".into()));
    }
    let actual = key_id(&key);
    if actual != signer.key_id {
        return Err(SignatureProblem::ManifestKeyId {
            claimed: signer.key_id.clone(),
            actual,
        });
    }
    Ok(key)
}

/// An envelope whose structure has been checked: canonical bytes, the
/// expected payload type, exactly one signature of 64 bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenedEnvelope {
    /// The parsed envelope.
    pub envelope: Envelope,
    /// The raw Ed25519 signature: the bytes an RFC 3161 timestamp covers
    /// (spec §6.5).
    pub signature: [u8; 64],
}

/// Checks an envelope's structure (spec §6.2), before any cryptography.
pub fn open_envelope(
    envelope_bytes: &[u8],
    payload_type: &str,
) -> Result<OpenedEnvelope, SignatureProblem> {
    let env: Envelope = serde_json::from_slice(envelope_bytes)
        .map_err(|e| SignatureProblem::Malformed(e.to_string()))?;
    if env.to_canonical_bytes() != envelope_bytes {
        return Err(SignatureProblem::Malformed(
            "the bytes are not the canonical serialisation".into(),
        ));
    }
    if env.payload_type != payload_type {
        return Err(SignatureProblem::Malformed(format!(
            "payload type {:?} is not {payload_type:?}",
            env.payload_type
        )));
    }
    let [one] = env.signatures.as_slice() else {
        return Err(SignatureProblem::Malformed(format!(
            "{} signatures; format version 1 has exactly one",
            env.signatures.len()
        )));
    };
    let sig_raw = B64
        .decode(&one.sig)
        .map_err(|e| SignatureProblem::Malformed(format!("signature is not base64: {e}")))?;
    let signature: [u8; 64] = sig_raw.as_slice().try_into().map_err(|_| {
        SignatureProblem::Malformed(format!("signature is {} bytes, not 64", sig_raw.len()))
    })?;
    Ok(OpenedEnvelope {
        envelope: env,
        signature,
    })
}

/// Verifies an opened envelope's one signature strictly over the PAE of
/// `payload`, by `key`.
pub fn verify_opened(
    opened: &OpenedEnvelope,
    payload_type: &str,
    payload: &[u8],
    key: &VerifyingKey,
) -> Result<(), SignatureProblem> {
    let sig = Signature::from_bytes(&opened.signature);
    // verify_strict refuses non-canonical S, small-order R and weak keys, so a
    // signature has one accepted encoding (no malleability).
    key.verify_strict(&pae(payload_type, payload), &sig)
        .map_err(|_| SignatureProblem::BadSignature)
}

/// Checks `signature.json` bytes against the manifest bytes and the signer
/// key named inside them. Structure is checked before any cryptography.
/// On success returns the raw signature.
pub fn verify_envelope(
    envelope_bytes: &[u8],
    manifest: &[u8],
    key: &VerifyingKey,
) -> Result<[u8; 64], SignatureProblem> {
    let opened = open_envelope(envelope_bytes, PAYLOAD_TYPE)?;
    let one = &opened.envelope.signatures[0];
    if one.keyid != key_id(key) {
        return Err(SignatureProblem::EnvelopeKeyId(one.keyid.clone()));
    }
    // A payload that does not decode cannot be the manifest; either way the
    // signed bytes are not the ones in manifest.json.
    if B64.decode(&opened.envelope.payload).ok().as_deref() != Some(manifest) {
        return Err(SignatureProblem::PayloadMismatch);
    }
    verify_opened(&opened, PAYLOAD_TYPE, manifest, key)?;
    Ok(opened.signature)
}

#[cfg(test)]
mod tests {

    #[test]
    fn encrypted_keys_round_trip_and_refuse_a_wrong_passphrase() {
        let k = KeyPair::from_seed(&[7u8; 32]);
        let pem = k.to_encrypted_pkcs8_pem(b"correct horse").unwrap();
        assert!(is_encrypted_pem(&pem) && !pem.contains(&*k.to_pkcs8_pem()));
        let back = KeyPair::from_pem(&pem, Some(b"correct horse")).unwrap();
        assert_eq!(back.key_id(), k.key_id());
        assert!(matches!(
            KeyPair::from_pem(&pem, Some(b"wrong")),
            Err(KeyError::WrongPassphrase)
        ));
        assert!(matches!(
            KeyPair::from_pem(&pem, None),
            Err(KeyError::NeedsPassphrase)
        ));
        // Two encryptions differ (fresh salt and IV) but decrypt alike.
        assert_ne!(*pem, *k.to_encrypted_pkcs8_pem(b"correct horse").unwrap());
        assert_eq!(
            KeyPair::from_pem(&k.to_pkcs8_pem(), None).unwrap().key_id(),
            k.key_id()
        );
    }

    use super::*;

    const SEED: [u8; 32] = [7u8; 32];

    #[test]
    fn pae_matches_the_dsse_definition() {
        assert_eq!(pae("t", b"hello"), b"DSSEv1 1 t 5 hello".to_vec());
        assert_eq!(pae("", b""), b"DSSEv1 0  0 ".to_vec());
    }

    #[test]
    fn pem_round_trips_and_key_id_is_stable() {
        let k = KeyPair::from_seed(&SEED);
        let back = KeyPair::from_pkcs8_pem(&k.to_pkcs8_pem()).unwrap();
        assert_eq!(back.key_id(), k.key_id());
        let pubk = public_key_from_pem(&public_key_to_pem(&k.verifying_key())).unwrap();
        assert_eq!(pubk, k.verifying_key());
        assert!(k.key_id().starts_with("sha256:"));
        assert!(!format!("{k:?}").contains(&crate::format::digest::hex_lower(&SEED)));
    }

    #[test]
    fn signing_is_deterministic_and_verifies() {
        let k = KeyPair::from_seed(&SEED);
        let m = b"{\"a\": 1}\n";
        let env = k.sign_manifest(m);
        assert_eq!(env, k.sign_manifest(m));
        assert!(verify_envelope(&env, m, &k.verifying_key()).is_ok());
        assert_eq!(
            verify_envelope(&env, b"{\"a\": 2}\n", &k.verifying_key()),
            Err(SignatureProblem::PayloadMismatch)
        );
        let other = KeyPair::from_seed(&[8u8; 32]);
        assert!(matches!(
            verify_envelope(&env, m, &other.verifying_key()),
            Err(SignatureProblem::EnvelopeKeyId(_))
        ));
    }

    #[test]
    fn signer_record_checks_key_id_and_weak_keys() {
        let k = KeyPair::from_seed(&SEED);
        let mut rec = k.signer_record();
        assert_eq!(signer_key(&rec).unwrap(), k.verifying_key());
        rec.key_id = KeyPair::from_seed(&[9u8; 32]).key_id();
        assert!(matches!(
            signer_key(&rec),
            Err(SignatureProblem::ManifestKeyId { .. })
        ));
        // The identity point (small order) encoded as y = 1.
        let mut ident = [0u8; 32];
        ident[0] = 1;
        let weak = Signer {
            algorithm: "ed25519".into(),
            public_key: B64.encode(ident),
            key_id: Sha256Digest::of(&ident).to_prefixed(),
        };
        assert!(matches!(
            signer_key(&weak),
            Err(SignatureProblem::BadPublicKey(_))
        ));
    }
}
