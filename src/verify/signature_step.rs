//! Step 4 of spec §8: the signature over the manifest's exact bytes. The
//! step stops at its first failure (§8.4): once one check fails, the ones
//! after it would only restate it.

use std::io::{self, Read, Seek};

use ed25519_dalek::VerifyingKey;

use super::{SignerInfo, VerifyOptions};
use crate::format::codes::Code;
use crate::format::container::{Container, read_entry};
use crate::format::finding::Finding;
use crate::format::manifest::{MANIFEST_PATH, Manifest, SIGNATURE_PATH};
use crate::format::sign::{SignatureProblem, signer_key, verify_envelope};

/// What step 4 established.
#[derive(Default)]
pub(super) struct Signed {
    /// The signer the manifest names, and whether its signature verified.
    pub signer: Option<SignerInfo>,
    /// The key whose signature verified.
    pub by: Option<VerifyingKey>,
    /// The verified raw signature: what a timestamp over it stamps.
    pub signature: Option<[u8; 64]>,
}

/// Step 4, in the order of §8.4: the manifest's public key (E035) and key
/// id (E034), the signature entry (E030), its size (E054) and CRC-32
/// (E007), the envelope (E031), its key id (E034), its payload (E032) and
/// the signature (E033); or E036 for a signature the manifest does not
/// call for.
pub(super) fn check<R: Read + Seek>(
    r: &mut R,
    container: &Container,
    m: &Manifest,
    manifest_bytes: &[u8],
    opts: &VerifyOptions,
    findings: &mut Vec<Finding>,
) -> io::Result<Signed> {
    let entry = container.entry(SIGNATURE_PATH);
    let Some(s) = &m.signer else {
        if entry.is_some() {
            findings.push(Finding::new(
                Code::UnexpectedSignature,
                SIGNATURE_PATH,
                "signature.json is present but the manifest names no signer",
            ));
        }
        return Ok(Signed::default());
    };
    let mut out = Signed {
        signer: Some(SignerInfo {
            key_id: s.key_id.clone(),
            signature_valid: false,
            trusted: None,
            name: None,
        }),
        ..Signed::default()
    };
    let key = match signer_key(s) {
        Ok(key) => key,
        Err(p) => {
            findings.push(signature_finding(&p));
            return Ok(out);
        }
    };
    let Some(e) = entry else {
        findings.push(Finding::new(
            Code::SignatureMissing,
            SIGNATURE_PATH,
            format!(
                "the manifest names signer {} but the bundle has no signature.json",
                s.key_id
            ),
        ));
        return Ok(out);
    };
    let Some(env) = read_entry(
        r,
        e,
        opts.limits.max_signature_bytes,
        Code::SignatureTooLarge,
        findings,
    )?
    else {
        return Ok(out);
    };
    match verify_envelope(&env.bytes, manifest_bytes, &key) {
        Ok(sig) => {
            if let Some(info) = out.signer.as_mut() {
                info.signature_valid = true;
            }
            out.signature = Some(sig);
            out.by = Some(key);
        }
        Err(p) => findings.push(signature_finding(&p)),
    }
    Ok(out)
}

fn signature_finding(p: &SignatureProblem) -> Finding {
    let code = match p {
        SignatureProblem::BadPublicKey(_) => Code::PublicKeyInvalid,
        SignatureProblem::ManifestKeyId { .. } | SignatureProblem::EnvelopeKeyId(_) => {
            Code::KeyIdMismatch
        }
        SignatureProblem::Malformed(_) => Code::SignatureMalformed,
        SignatureProblem::PayloadMismatch => Code::SignaturePayloadMismatch,
        SignatureProblem::BadSignature => Code::SignatureInvalid,
    };
    let location = match p {
        SignatureProblem::BadPublicKey(_) | SignatureProblem::ManifestKeyId { .. } => {
            format!("{MANIFEST_PATH}#/signer")
        }
        _ => SIGNATURE_PATH.to_string(),
    };
    Finding::new(code, location, p.to_string())
}
