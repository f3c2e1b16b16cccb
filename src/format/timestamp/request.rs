//! Asking a time-stamping authority for a token over a signature (RFC 3161
//! §3.4, time-stamp protocol over HTTP): one POST of a `TimeStampReq`, the
//! response checked before it is accepted.

use std::time::Duration;

use der::asn1::{Int, OctetString};
use der::{Decode, Encode};
use x509_cert::spki::AlgorithmIdentifierOwned;

use super::asn1::{MessageImprint, TimeStampReq, TimeStampResp};
use super::pki::oid;
use super::token::{Token, TokenProblem, check_token};

/// Largest TSA response read.
pub const MAX_RESPONSE: u64 = 64 << 10;

/// Why no token was obtained.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TsaError {
    /// The URL is not http(s).
    #[error("{0} is not an http:// or https:// URL")]
    BadUrl(String),
    /// The TSA could not be reached or did not answer in time.
    #[error("the time-stamping authority {0} could not be reached: {1}")]
    Unreachable(String, String),
    /// The TSA answered with an HTTP error.
    #[error("the time-stamping authority {0} answered HTTP {1}")]
    Http(String, u16),
    /// The answer is not a usable token over the signature.
    #[error("the time-stamping authority {0} sent an unusable response: {1}")]
    BadResponse(String, TokenProblem),
    /// The token does not echo the request's nonce.
    #[error("the time-stamping authority {0} answered with another request's nonce")]
    Nonce(String),
    /// The random source failed.
    #[error("the system random number generator failed: {0}")]
    Random(String),
}

/// The DER `TimeStampReq` for `stamped`: SHA-256 imprint, the nonce, and a
/// request that the TSA include its certificate.
pub fn request_bytes(stamped: &[u8], nonce: &[u8; 8]) -> Vec<u8> {
    let mut n = *nonce;
    n[0] &= 0x7f; // a positive INTEGER
    n[0] |= 0x01; // with no leading zero byte to strip
    let req = TimeStampReq {
        version: 1,
        message_imprint: MessageImprint {
            hash_algorithm: AlgorithmIdentifierOwned {
                oid: oid::SHA256,
                parameters: None,
            },
            hashed_message: OctetString::new(
                crate::format::digest::Sha256Digest::of(stamped).0.to_vec(),
            )
            .expect("32 bytes fit an OCTET STRING"),
        },
        req_policy: None,
        nonce: Some(Int::new(&n).expect("8 bytes make an INTEGER")),
        cert_req: true,
    };
    req.to_der().expect("a request of fixed shape encodes")
}

/// Obtains a token over `stamped` from the TSA at `url`. Returns the full
/// DER response, which is what a bundle stores, and the checked token.
pub fn request_token(
    url: &str,
    stamped: &[u8],
    timeout: Duration,
) -> Result<(Vec<u8>, Token), TsaError> {
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return Err(TsaError::BadUrl(url.into()));
    }
    let mut nonce = [0u8; 8];
    getrandom::fill(&mut nonce).map_err(|e| TsaError::Random(e.to_string()))?;
    let body = request_bytes(stamped, &nonce);
    let expected_nonce = TimeStampReq::from_der(&body)
        .ok()
        .and_then(|r| r.nonce)
        .map(|n| n.as_bytes().to_vec());
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .max_redirects(0)
        .http_status_as_error(false)
        .timeout_global(Some(timeout))
        .user_agent(concat!("provseal/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let mut resp = agent
        .post(url)
        .header("Content-Type", "application/timestamp-query")
        .header("Accept", "application/timestamp-reply")
        .send(&body[..])
        .map_err(|e| TsaError::Unreachable(url.into(), e.to_string()))?;
    let status = resp.status().as_u16();
    if status != 200 {
        return Err(TsaError::Http(url.into(), status));
    }
    let der = resp
        .body_mut()
        .with_config()
        .limit(MAX_RESPONSE)
        .read_to_vec()
        .map_err(|e| TsaError::Unreachable(url.into(), e.to_string()))?;
    // A refusal carries the TSA's own words: show them.
    if let Ok(r) = TimeStampResp::from_der(&der)
        && r.status.status > 1
    {
        let text = r.status.status_string.unwrap_or_default().join("; ");
        return Err(TsaError::BadResponse(
            url.into(),
            TokenProblem::Malformed(format!("status {} {text}", r.status.status)),
        ));
    }
    let token = check_token(&der, stamped).map_err(|p| TsaError::BadResponse(url.into(), p))?;
    if token.nonce != expected_nonce {
        return Err(TsaError::Nonce(url.into()));
    }
    Ok((der, token))
}
