//! A deterministic RFC 3161 token maker for the spec's vectors: the same
//! stamped bytes, time, serial and key always give the same token (ECDSA
//! with RFC 6979 nonces). It signs with the committed test TSA keys of
//! `spec/vectors/tsa/`, and `spec/verify-by-hand.sh` checks its tokens with
//! `openssl ts -verify`. The loopback TSA of `tsa.rs` is OpenSSL itself.

use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{
    CertificateSet, EncapsulatedContentInfo, SignedData, SignerIdentifier, SignerInfo, SignerInfos,
};
use der::asn1::{GeneralizedTime, Int, OctetString, SetOfVec};
use der::{Any, Decode, Encode, Tag};
use p256::ecdsa::signature::Signer as _;
use p256::pkcs8::DecodePrivateKey;
use provseal::format::timestamp::asn1::*;
use provseal::format::timestamp::pki::oid;
use sha2::Digest as _;
use x509_cert::Certificate;
use x509_cert::attr::Attribute;
use x509_cert::spki::AlgorithmIdentifierOwned;

use super::repo_path;

/// A TSA of `spec/vectors/tsa/`: `tsa`, `expired` or `plain`.
pub fn credentials(name: &str) -> (Certificate, p256::ecdsa::SigningKey) {
    let dir = repo_path("spec/vectors/tsa");
    let pem = std::fs::read(dir.join(format!("{name}.pem"))).unwrap();
    let cert = Certificate::load_pem_chain(&pem).unwrap().remove(0);
    let key = std::fs::read_to_string(dir.join(format!("{name}.key"))).unwrap();
    (cert, p256::ecdsa::SigningKey::from_pkcs8_pem(&key).unwrap())
}

fn alg(o: der::oid::ObjectIdentifier) -> AlgorithmIdentifierOwned {
    AlgorithmIdentifierOwned {
        oid: o,
        parameters: None,
    }
}

fn attr(o: der::oid::ObjectIdentifier, value: Any) -> Attribute {
    Attribute {
        oid: o,
        values: SetOfVec::try_from(vec![value]).unwrap(),
    }
}

/// A granted `TimeStampResp` over `stamped` at `gen_time` (UNIX seconds).
/// With `bad_signature`, the signature is over other bytes than the signed
/// attributes.
pub fn token(
    tsa: &str,
    stamped: &[u8],
    gen_time: i64,
    serial: u32,
    bad_signature: bool,
) -> Vec<u8> {
    let (cert, key) = credentials(tsa);
    let tst = TstInfo {
        version: 1,
        policy: der::oid::ObjectIdentifier::new_unwrap("1.2.3.4.1"),
        message_imprint: MessageImprint {
            hash_algorithm: alg(oid::SHA256),
            hashed_message: OctetString::new(sha2::Sha256::digest(stamped).to_vec()).unwrap(),
        },
        serial_number: Int::new(&minimal(serial)).unwrap(),
        gen_time: GeneralizedTime::from_unix_duration(std::time::Duration::from_secs(
            gen_time as u64,
        ))
        .unwrap(),
        accuracy: None,
        ordering: false,
        nonce: None,
        tsa: None,
        extensions: None,
    };
    let tst_der = tst.to_der().unwrap();
    let cert_der = cert.to_der().unwrap();
    let signing_cert = SigningCertificateV2 {
        certs: vec![EssCertIdV2 {
            hash_algorithm: None,
            cert_hash: OctetString::new(sha2::Sha256::digest(&cert_der).to_vec()).unwrap(),
            issuer_serial: None,
        }],
        policies: None,
    };
    let attrs = SetOfVec::try_from(vec![
        attr(oid::CONTENT_TYPE, Any::encode_from(&oid::TST_INFO).unwrap()),
        attr(
            oid::MESSAGE_DIGEST,
            Any::encode_from(&OctetString::new(sha2::Sha256::digest(&tst_der).to_vec()).unwrap())
                .unwrap(),
        ),
        attr(
            oid::SIGNING_CERTIFICATE_V2,
            Any::encode_from(&signing_cert).unwrap(),
        ),
    ])
    .unwrap();
    let mut signed = attrs.to_der().unwrap();
    if bad_signature {
        signed.push(0);
    }
    let sig: p256::ecdsa::Signature = key.sign(&signed);
    let signer_info = SignerInfo {
        version: CmsVersion::V1,
        sid: SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
            issuer: cert.tbs_certificate().issuer().clone(),
            serial_number: cert.tbs_certificate().serial_number().clone(),
        }),
        digest_alg: alg(oid::SHA256),
        signed_attrs: Some(attrs),
        signature_algorithm: alg(oid::ECDSA_SHA256),
        signature: OctetString::new(sig.to_der().as_bytes().to_vec()).unwrap(),
        unsigned_attrs: None,
    };
    let sd = SignedData {
        version: CmsVersion::V3,
        digest_algorithms: SetOfVec::try_from(vec![alg(oid::SHA256)]).unwrap(),
        encap_content_info: EncapsulatedContentInfo {
            econtent_type: oid::TST_INFO,
            econtent: Some(Any::new(Tag::OctetString, tst_der).unwrap()),
        },
        certificates: Some(CertificateSet(
            SetOfVec::try_from(vec![CertificateChoices::Certificate(cert)]).unwrap(),
        )),
        crls: None,
        signer_infos: SignerInfos(SetOfVec::try_from(vec![signer_info]).unwrap()),
    };
    let resp = TimeStampResp {
        status: PkiStatusInfo {
            status: 0,
            status_string: None,
            fail_info: None,
        },
        time_stamp_token: Some(ContentInfo {
            content_type: oid::SIGNED_DATA,
            content: Any::encode_from(&sd).unwrap(),
        }),
    };
    let der = resp.to_der().unwrap();
    // What this makes must read back as the type it is.
    TimeStampResp::from_der(&der).unwrap();
    der
}

/// A positive INTEGER's minimal big-endian bytes (DER).
fn minimal(n: u32) -> Vec<u8> {
    let b = n.to_be_bytes();
    let mut v = b[b.iter().position(|&x| x != 0).unwrap_or(3)..].to_vec();
    if v[0] & 0x80 != 0 {
        v.insert(0, 0);
    }
    v
}
