//! The public-key checks a timestamp needs: hashes by OID, ECDSA (P-256,
//! P-384) and RSA PKCS#1 v1.5 signatures, and a certificate path from a
//! TSA certificate to a root the user trusts, judged at one instant.

use chrono::{DateTime, Utc};
use der::oid::ObjectIdentifier;
use der::{Decode, Encode};
use sha2::Digest as _;
use x509_cert::Certificate;
use x509_cert::ext::pkix::{BasicConstraints, KeyUsage, KeyUsages};
use x509_cert::spki::SubjectPublicKeyInfoOwned;

/// Object identifiers used here (RFC 5912, RFC 5758, RFC 3279).
pub mod oid {
    use der::oid::ObjectIdentifier as O;
    /// SHA-1.
    pub const SHA1: O = O::new_unwrap("1.3.14.3.2.26");
    /// SHA-256.
    pub const SHA256: O = O::new_unwrap("2.16.840.1.101.3.4.2.1");
    /// SHA-384.
    pub const SHA384: O = O::new_unwrap("2.16.840.1.101.3.4.2.2");
    /// SHA-512.
    pub const SHA512: O = O::new_unwrap("2.16.840.1.101.3.4.2.3");
    /// ecdsa-with-SHA256.
    pub const ECDSA_SHA256: O = O::new_unwrap("1.2.840.10045.4.3.2");
    /// ecdsa-with-SHA384.
    pub const ECDSA_SHA384: O = O::new_unwrap("1.2.840.10045.4.3.3");
    /// ecdsa-with-SHA512.
    pub const ECDSA_SHA512: O = O::new_unwrap("1.2.840.10045.4.3.4");
    /// rsaEncryption.
    pub const RSA: O = O::new_unwrap("1.2.840.113549.1.1.1");
    /// sha256WithRSAEncryption.
    pub const RSA_SHA256: O = O::new_unwrap("1.2.840.113549.1.1.11");
    /// sha384WithRSAEncryption.
    pub const RSA_SHA384: O = O::new_unwrap("1.2.840.113549.1.1.12");
    /// sha512WithRSAEncryption.
    pub const RSA_SHA512: O = O::new_unwrap("1.2.840.113549.1.1.13");
    /// id-ecPublicKey.
    pub const EC_PUBLIC_KEY: O = O::new_unwrap("1.2.840.10045.2.1");
    /// prime256v1 (P-256).
    pub const P256: O = O::new_unwrap("1.2.840.10045.3.1.7");
    /// secp384r1 (P-384).
    pub const P384: O = O::new_unwrap("1.3.132.0.34");
    /// id-kp-timeStamping.
    pub const KP_TIME_STAMPING: O = O::new_unwrap("1.3.6.1.5.5.7.3.8");
    /// id-ce-extKeyUsage.
    pub const EXT_KEY_USAGE: O = O::new_unwrap("2.5.29.37");
    /// id-signedData.
    pub const SIGNED_DATA: O = O::new_unwrap("1.2.840.113549.1.7.2");
    /// id-ct-TSTInfo.
    pub const TST_INFO: O = O::new_unwrap("1.2.840.113549.1.9.16.1.4");
    /// id-contentType.
    pub const CONTENT_TYPE: O = O::new_unwrap("1.2.840.113549.1.9.3");
    /// id-messageDigest.
    pub const MESSAGE_DIGEST: O = O::new_unwrap("1.2.840.113549.1.9.4");
    /// id-aa-signingCertificate.
    pub const SIGNING_CERTIFICATE: O = O::new_unwrap("1.2.840.113549.1.9.16.2.12");
    /// id-aa-signingCertificateV2.
    pub const SIGNING_CERTIFICATE_V2: O = O::new_unwrap("1.2.840.113549.1.9.16.2.47");
}

/// The hash of `data` with the algorithm `alg`, or `None` for an algorithm
/// provseal does not accept.
pub fn digest(alg: &ObjectIdentifier, data: &[u8]) -> Option<Vec<u8>> {
    Some(match *alg {
        oid::SHA1 => sha1::Sha1::digest(data).to_vec(),
        oid::SHA256 => sha2::Sha256::digest(data).to_vec(),
        oid::SHA384 => sha2::Sha384::digest(data).to_vec(),
        oid::SHA512 => sha2::Sha512::digest(data).to_vec(),
        _ => return None,
    })
}

/// The name of a hash algorithm, for reports.
pub fn digest_name(alg: &ObjectIdentifier) -> &'static str {
    match *alg {
        oid::SHA1 => "sha1",
        oid::SHA256 => "sha256",
        oid::SHA384 => "sha384",
        oid::SHA512 => "sha512",
        _ => "unknown",
    }
}

/// Verifies `sig` over `message` by the key `spki`, for the signature
/// algorithm `sig_alg`. `digest_alg` names the hash when the algorithm
/// does not (plain `rsaEncryption` in CMS).
pub fn verify_signature(
    spki: &SubjectPublicKeyInfoOwned,
    sig_alg: &ObjectIdentifier,
    digest_alg: Option<&ObjectIdentifier>,
    message: &[u8],
    sig: &[u8],
) -> Result<(), String> {
    let hash_alg = match *sig_alg {
        oid::ECDSA_SHA256 | oid::RSA_SHA256 => oid::SHA256,
        oid::ECDSA_SHA384 | oid::RSA_SHA384 => oid::SHA384,
        oid::ECDSA_SHA512 | oid::RSA_SHA512 => oid::SHA512,
        oid::RSA => *digest_alg.ok_or("rsaEncryption without a digest algorithm")?,
        other => return Err(format!("signature algorithm {other} is not supported")),
    };
    let hashed = digest(&hash_alg, message)
        .filter(|_| hash_alg != oid::SHA1)
        .ok_or_else(|| format!("hash algorithm {hash_alg} is not accepted"))?;
    let key_bytes = spki.subject_public_key.raw_bytes();
    let key_alg = spki.algorithm.oid;
    let rsa_sig = matches!(
        *sig_alg,
        oid::RSA | oid::RSA_SHA256 | oid::RSA_SHA384 | oid::RSA_SHA512
    );
    if rsa_sig {
        if key_alg != oid::RSA {
            return Err("an RSA signature by a key that is not RSA".into());
        }
        use rsa::pkcs8::DecodePublicKey;
        let spki_der = spki.to_der().map_err(|e| e.to_string())?;
        let key = rsa::PublicKey::from_public_key_der(&spki_der)
            .map_err(|e| format!("the RSA key cannot be read: {e}"))?;
        let scheme = match hash_alg {
            oid::SHA256 => rsa::Pkcs1v15Sign::new::<sha2::Sha256>(),
            oid::SHA384 => rsa::Pkcs1v15Sign::new::<sha2::Sha384>(),
            _ => rsa::Pkcs1v15Sign::new::<sha2::Sha512>(),
        };
        return key
            .verify(scheme, &hashed, sig)
            .map_err(|_| "the RSA signature does not verify".into());
    }
    if key_alg != oid::EC_PUBLIC_KEY {
        return Err("an ECDSA signature by a key that is not an EC key".into());
    }
    let curve = spki
        .algorithm
        .parameters
        .as_ref()
        .and_then(|p| p.decode_as::<ObjectIdentifier>().ok());
    use p256::ecdsa::signature::hazmat::PrehashVerifier;
    let ok = match curve {
        Some(oid::P256) => {
            let key = p256::ecdsa::VerifyingKey::from_sec1_bytes(key_bytes)
                .map_err(|_| "the P-256 key is not a valid point")?;
            let s = p256::ecdsa::Signature::from_der(sig)
                .map_err(|_| "the ECDSA signature is not DER")?;
            key.verify_prehash(&hashed, &s).is_ok()
        }
        Some(oid::P384) => {
            let key = p384::ecdsa::VerifyingKey::from_sec1_bytes(key_bytes)
                .map_err(|_| "the P-384 key is not a valid point")?;
            let s = p384::ecdsa::Signature::from_der(sig)
                .map_err(|_| "the ECDSA signature is not DER")?;
            key.verify_prehash(&hashed, &s).is_ok()
        }
        _ => return Err("the EC key is on a curve other than P-256 or P-384".into()),
    };
    if ok {
        Ok(())
    } else {
        Err("the ECDSA signature does not verify".into())
    }
}

/// Whether `issuer` signed `cert`.
fn signed_by(cert: &Certificate, issuer: &Certificate) -> bool {
    if cert.tbs_certificate().issuer() != issuer.tbs_certificate().subject() {
        return false;
    }
    let Ok(tbs) = cert.tbs_certificate().to_der() else {
        return false;
    };
    verify_signature(
        issuer.tbs_certificate().subject_public_key_info(),
        &cert.signature_algorithm().oid,
        None,
        &tbs,
        cert.signature().raw_bytes(),
    )
    .is_ok()
}

/// When a certificate is valid, as chrono times.
pub fn validity(cert: &Certificate) -> (DateTime<Utc>, DateTime<Utc>) {
    let v = cert.tbs_certificate().validity();
    let t = |time: &x509_cert::time::Time| DateTime::<Utc>::from(time.to_system_time());
    (t(&v.not_before), t(&v.not_after))
}

/// The subject of a certificate, as RFC 4514 text.
pub fn subject(cert: &Certificate) -> String {
    cert.tbs_certificate().subject().to_string()
}

fn valid_at(cert: &Certificate, at: DateTime<Utc>) -> Result<(), String> {
    let (from, to) = validity(cert);
    if at < from || at > to {
        return Err(format!(
            "certificate {} is valid from {} to {}, not at {}",
            subject(cert),
            from.to_rfc3339(),
            to.to_rfc3339(),
            at.to_rfc3339()
        ));
    }
    Ok(())
}

fn may_issue(cert: &Certificate) -> Result<(), String> {
    let tbs = cert.tbs_certificate();
    let ca = tbs
        .get_extension::<BasicConstraints>()
        .ok()
        .flatten()
        .is_some_and(|(_, bc)| bc.ca);
    if !ca {
        return Err(format!("{} is not a CA certificate", subject(cert)));
    }
    if let Ok(Some((_, ku))) = tbs.get_extension::<KeyUsage>()
        && !ku.0.contains(KeyUsages::KeyCertSign)
    {
        return Err(format!("{} may not sign certificates", subject(cert)));
    }
    Ok(())
}

/// Most certificates between a TSA certificate and its root.
const MAX_PATH: usize = 8;

/// Finds a path from `leaf` to one of `roots`, through `pool` (the
/// certificates the token carries), with every certificate valid at `at`:
/// a token is judged at its genTime, so a TSA certificate that has expired
/// since still vouches for tokens made while it was valid. Returns the
/// subjects along the path.
pub fn path_to_root(
    leaf: &Certificate,
    pool: &[Certificate],
    roots: &[Certificate],
    at: DateTime<Utc>,
) -> Result<Vec<String>, String> {
    let mut path = vec![subject(leaf)];
    let mut current = leaf.clone();
    for _ in 0..MAX_PATH {
        valid_at(&current, at)?;
        if roots.contains(&current) {
            return Ok(path);
        }
        let issuer = roots
            .iter()
            .chain(pool.iter())
            .find(|c| **c != current && signed_by(&current, c));
        let Some(issuer) = issuer else {
            return Err(format!(
                "no trusted root issued {} (issuer {})",
                subject(&current),
                current.tbs_certificate().issuer()
            ));
        };
        may_issue(issuer)?;
        path.push(subject(issuer));
        current = issuer.clone();
    }
    Err(format!(
        "no path to a trusted root within {MAX_PATH} certificates"
    ))
}

/// Reads certificates from PEM text (one or more) or one DER certificate.
pub fn read_certificates(bytes: &[u8]) -> Result<Vec<Certificate>, String> {
    if bytes.starts_with(b"-----") || bytes.windows(11).any(|w| w == b"-----BEGIN ") {
        let certs = Certificate::load_pem_chain(bytes).map_err(|e| e.to_string())?;
        if certs.is_empty() {
            return Err("no certificate in the PEM text".into());
        }
        return Ok(certs);
    }
    Certificate::from_der(bytes)
        .map(|c| vec![c])
        .map_err(|e| e.to_string())
}
