//! Checking one stored RFC 3161 response offline (spec §6.5): structure,
//! imprint, the CMS signature over the signed attributes, and the TSA
//! certificate's extended key usage. Trust in the TSA (a path to a root)
//! is judged separately, in [`super::pki::path_to_root`].

use chrono::{DateTime, Utc};
use cms::content_info::CmsVersion;
use cms::signed_data::{SignedData, SignerIdentifier};
use der::asn1::OctetString;
use der::{Decode, Encode, Tag, Tagged};
use serde::Serialize;
use x509_cert::Certificate;
use x509_cert::ext::pkix::{ExtendedKeyUsage, SubjectKeyIdentifier};

use super::asn1::{SigningCertificate, SigningCertificateV2, TimeStampResp, TstInfo};
use super::pki::{self, digest, oid};

/// What a token attests, once it checked out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenInfo {
    /// When the TSA says the stamped signature existed.
    pub gen_time: DateTime<Utc>,
    /// The TSA certificate's subject.
    pub tsa: String,
    /// The token's serial number, in hex.
    pub serial: String,
    /// The TSA policy.
    pub policy: String,
    /// The imprint's hash algorithm.
    pub hash_algorithm: String,
}

/// A checked token and the certificates it carries.
#[derive(Debug, Clone)]
pub struct Token {
    /// What it attests.
    pub info: TokenInfo,
    /// The certificate that signed it.
    pub signer: Certificate,
    /// Every certificate in the token, for building a path to a root.
    pub certificates: Vec<Certificate>,
    /// The nonce, if the token has one.
    pub nonce: Option<Vec<u8>>,
}

/// Why a token does not check out, by the rule it breaks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TokenProblem {
    /// Not a granted response with a SignedData TSTInfo token (E070).
    #[error("not a valid RFC 3161 response: {0}")]
    Malformed(String),
    /// The imprint is of other bytes (E071).
    #[error("the token stamps other bytes: {0}")]
    Imprint(String),
    /// The CMS signature or its attributes do not check out (E072).
    #[error("the token's signature does not check out: {0}")]
    Signature(String),
    /// The signing certificate is not a timestamping certificate (E073).
    #[error("the token's certificate is not a timestamping certificate: {0}")]
    NotTsa(String),
}

fn malformed(what: impl std::fmt::Display) -> TokenProblem {
    TokenProblem::Malformed(what.to_string())
}

/// Checks a DER `TimeStampResp` as a token over `stamped`: structure
/// first, before any cryptography; then the imprint; then who signed; then
/// the signature over the signed attributes.
pub fn check_token(response: &[u8], stamped: &[u8]) -> Result<Token, TokenProblem> {
    let Structure {
        sd,
        tst_der,
        tst,
        certificates,
    } = structure(response)?;
    // `structure` refused any other count; matched again, not indexed.
    let [signer_info] = sd.signer_infos.0.as_slice() else {
        return Err(malformed("a token has exactly one signer info"));
    };
    let gen_time = DateTime::<Utc>::from(tst.gen_time.to_system_time());
    let imprint_alg = tst.message_imprint.hash_algorithm.oid;
    check_imprint(&tst, stamped)?;

    // The signer's certificate, which a token must carry (spec §6.5).
    let signer = certificates
        .iter()
        .find(|c| identifies(&signer_info.sid, c))
        .cloned()
        .ok_or_else(|| {
            TokenProblem::Signature("the token does not carry its TSA's certificate".into())
        })?;

    // Who signed comes before whether the signature holds: a certificate
    // that may not sign timestamps makes any signature by it irrelevant.
    check_tsa_usage(&signer)?;
    check_signed_attributes(signer_info, &tst_der, &signer)?;

    Ok(Token {
        info: TokenInfo {
            gen_time,
            tsa: pki::subject(&signer),
            serial: crate::format::digest::hex_lower(tst.serial_number.as_bytes()),
            policy: tst.policy.to_string(),
            hash_algorithm: pki::digest_name(&imprint_alg).into(),
        },
        signer,
        certificates,
        nonce: tst.nonce.map(|n| n.as_bytes().to_vec()),
    })
}

/// A response whose structure checked out.
struct Structure {
    sd: SignedData,
    tst_der: Vec<u8>,
    tst: TstInfo,
    certificates: Vec<Certificate>,
}

/// The response's structure (spec §6.5), with no cryptography yet: a
/// granted status, CMS SignedData over a TSTInfo, one signer info, and the
/// versions and digest list RFC 5652 fixes.
fn structure(response: &[u8]) -> Result<Structure, TokenProblem> {
    let resp = TimeStampResp::from_der(response).map_err(malformed)?;
    if resp.status.status > 1 {
        return Err(malformed(format!(
            "the TSA refused the request (status {})",
            resp.status.status
        )));
    }
    let content = resp
        .time_stamp_token
        .ok_or_else(|| malformed("granted, but there is no token"))?;
    if content.content_type != oid::SIGNED_DATA {
        return Err(malformed("the token is not CMS SignedData"));
    }
    let sd: SignedData = content.content.decode_as().map_err(malformed)?;
    if sd.encap_content_info.econtent_type != oid::TST_INFO {
        return Err(malformed("the signed content is not a TSTInfo"));
    }
    let econtent = sd
        .encap_content_info
        .econtent
        .as_ref()
        .ok_or_else(|| malformed("the TSTInfo is missing"))?;
    if econtent.tag() != Tag::OctetString {
        return Err(malformed("the TSTInfo is not in an OCTET STRING"));
    }
    let tst_der = econtent.value().to_vec();
    let tst = TstInfo::from_der(&tst_der).map_err(malformed)?;
    if tst.version != 1 {
        return Err(malformed(format!("TSTInfo version {}", tst.version)));
    }
    let [signer_info] = sd.signer_infos.0.as_slice() else {
        return Err(malformed(format!(
            "{} signer infos; a token has exactly one",
            sd.signer_infos.0.len()
        )));
    };
    // RFC 5652 fixes these versions and the digest algorithm list; they are
    // outside the TSA's signature, so a verifier pins them rather than let
    // them vary (spec §6.5).
    if sd.version != CmsVersion::V3 {
        return Err(malformed("SignedData version is not 3"));
    }
    let sid_version = match signer_info.sid {
        SignerIdentifier::IssuerAndSerialNumber(_) => CmsVersion::V1,
        SignerIdentifier::SubjectKeyIdentifier(_) => CmsVersion::V3,
    };
    if signer_info.version != sid_version {
        return Err(malformed(
            "the SignerInfo version does not match its identifier",
        ));
    }
    if sd.digest_algorithms.as_slice() != [signer_info.digest_alg.clone()] {
        return Err(malformed(
            "the digest algorithms are not exactly the signer's",
        ));
    }
    let certificates: Vec<Certificate> = sd
        .certificates
        .iter()
        .flat_map(|set| set.0.iter())
        .filter_map(|c| match c {
            cms::cert::CertificateChoices::Certificate(c) => Some(c.clone()),
            _ => None,
        })
        .collect();
    Ok(Structure {
        sd,
        tst_der,
        tst,
        certificates,
    })
}

/// The imprint must be the stamped bytes' hash, by an accepted algorithm.
fn check_imprint(tst: &TstInfo, stamped: &[u8]) -> Result<(), TokenProblem> {
    let imprint_alg = tst.message_imprint.hash_algorithm.oid;
    let expected = digest(&imprint_alg, stamped)
        .filter(|_| imprint_alg != oid::SHA1)
        .ok_or_else(|| {
            TokenProblem::Imprint(format!("hash algorithm {imprint_alg} is not accepted"))
        })?;
    if tst.message_imprint.hashed_message.as_bytes() != expected.as_slice() {
        return Err(TokenProblem::Imprint(format!(
            "the imprint is {}; the {} of the signature is {}",
            crate::format::digest::hex_lower(tst.message_imprint.hashed_message.as_bytes()),
            pki::digest_name(&imprint_alg),
            crate::format::digest::hex_lower(&expected)
        )));
    }
    Ok(())
}

/// The signed attributes bind the content type, the TSTInfo and the
/// certificate (RFC 3161 §2.4.1, RFC 5816), and the TSA's signature must
/// hold over them.
fn check_signed_attributes(
    signer_info: &cms::signed_data::SignerInfo,
    tst_der: &[u8],
    signer: &Certificate,
) -> Result<(), TokenProblem> {
    let sig = |m: &str| TokenProblem::Signature(m.to_string());
    let attrs = signer_info
        .signed_attrs
        .as_ref()
        .ok_or_else(|| sig("the signer info has no signed attributes"))?;
    let attr = |o| {
        attrs
            .iter()
            .filter(|a| a.oid == o)
            .map(|a| a.values.as_slice())
            .collect::<Vec<_>>()
    };
    let one = |o, what: &str| match attr(o).as_slice() {
        [[v]] => Ok(v.clone()),
        _ => Err(sig(&format!("the {what} attribute is missing or repeated"))),
    };
    let ct: der::oid::ObjectIdentifier = one(oid::CONTENT_TYPE, "content type")?
        .decode_as()
        .map_err(|e: der::Error| sig(&e.to_string()))?;
    if ct != oid::TST_INFO {
        return Err(sig("the signed content type is not TSTInfo"));
    }
    let digest_alg = signer_info.digest_alg.oid;
    let md: OctetString = one(oid::MESSAGE_DIGEST, "message digest")?
        .decode_as()
        .map_err(|e: der::Error| sig(&e.to_string()))?;
    let tst_hash = digest(&digest_alg, tst_der)
        .filter(|_| digest_alg != oid::SHA1)
        .ok_or_else(|| sig(&format!("digest algorithm {digest_alg} is not accepted")))?;
    if md.as_bytes() != tst_hash.as_slice() {
        return Err(sig("the signed message digest is not the TSTInfo's"));
    }
    check_signing_certificate(&attr, signer)?;
    let signed_bytes = attrs
        .to_der()
        .map_err(|e: der::Error| sig(&e.to_string()))?;
    pki::verify_signature(
        signer.tbs_certificate().subject_public_key_info(),
        &signer_info.signature_algorithm.oid,
        Some(&digest_alg),
        &signed_bytes,
        signer_info.signature.as_bytes(),
    )
    .map_err(TokenProblem::Signature)
}

fn identifies(sid: &SignerIdentifier, cert: &Certificate) -> bool {
    let tbs = cert.tbs_certificate();
    match sid {
        SignerIdentifier::IssuerAndSerialNumber(is) => {
            is.issuer == *tbs.issuer() && is.serial_number == *tbs.serial_number()
        }
        SignerIdentifier::SubjectKeyIdentifier(ski) => tbs
            .get_extension::<SubjectKeyIdentifier>()
            .ok()
            .flatten()
            .is_some_and(|(_, own)| own == *ski),
    }
}

/// The ESS signing-certificate attribute (v1 with SHA-1, or v2) names the
/// signer's certificate by hash, so the certificate cannot be swapped for
/// another with the same key.
fn check_signing_certificate<'a>(
    attr: &dyn Fn(der::oid::ObjectIdentifier) -> Vec<&'a [der::Any]>,
    signer: &Certificate,
) -> Result<(), TokenProblem> {
    let sig = |m: &str| TokenProblem::Signature(m.to_string());
    let cert_der = signer
        .to_der()
        .map_err(|e: der::Error| sig(&e.to_string()))?;
    let (alg, hash) = if let [[v]] = attr(oid::SIGNING_CERTIFICATE_V2).as_slice() {
        let sc: SigningCertificateV2 =
            v.decode_as().map_err(|e: der::Error| sig(&e.to_string()))?;
        let first = sc.certs.first().ok_or_else(|| sig("no ESSCertIDv2"))?;
        let alg = first.hash_algorithm.as_ref().map_or(oid::SHA256, |a| a.oid);
        (alg, first.cert_hash.as_bytes().to_vec())
    } else if let [[v]] = attr(oid::SIGNING_CERTIFICATE).as_slice() {
        let sc: SigningCertificate = v.decode_as().map_err(|e: der::Error| sig(&e.to_string()))?;
        let first = sc.certs.first().ok_or_else(|| sig("no ESSCertID"))?;
        (oid::SHA1, first.cert_hash.as_bytes().to_vec())
    } else {
        return Err(sig(
            "no single signing-certificate attribute names the TSA's certificate",
        ));
    };
    // SHA-1 here only identifies a certificate the token carries; nothing
    // relies on its collision resistance that the signature does not cover.
    let actual = digest(&alg, &cert_der)
        .ok_or_else(|| sig(&format!("certificate hash algorithm {alg} is not accepted")))?;
    if actual != hash {
        return Err(sig(
            "the signing-certificate attribute names another certificate",
        ));
    }
    Ok(())
}

/// RFC 3161 §2.3: the TSA certificate has exactly one extended key usage,
/// id-kp-timeStamping, and the extension is critical.
fn check_tsa_usage(cert: &Certificate) -> Result<(), TokenProblem> {
    let no = |m: &str| TokenProblem::NotTsa(format!("{} {m}", pki::subject(cert)));
    let exts = cert.tbs_certificate().extensions().into_iter().flatten();
    let eku: Vec<_> = exts.filter(|e| e.extn_id == oid::EXT_KEY_USAGE).collect();
    let [ext] = eku.as_slice() else {
        return Err(no("has no (or more than one) extended key usage extension"));
    };
    if !ext.critical {
        return Err(no("has a non-critical extended key usage"));
    }
    let usage = ExtendedKeyUsage::from_der(ext.extn_value.as_bytes())
        .map_err(|e| no(&format!("has an unreadable extended key usage: {e}")))?;
    if usage.0 != [oid::KP_TIME_STAMPING] {
        return Err(no("has an extended key usage other than timeStamping only"));
    }
    Ok(())
}
