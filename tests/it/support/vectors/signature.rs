//! The signature (spec §6) and the trust stores that judge it (spec §8.2).

use super::*;

/// The signature: missing, not canonical, not over this manifest, by another key (spec §6).
pub(super) fn signature(b: &mut Builder, c: &Ctx) {
    use Hand::*;
    let test = test_key();
    let other = other_key();
    let unsigned = c.unsigned.clone();
    let base = c.base.clone();
    b.invalid(
        "E030_signature_missing.zip",
        "signature.json removed.",
        without(&base, "signature.json"),
        &["E030"],
        Fail,
    );
    let env_bytes = get(&entries(&base), "signature.json").to_vec();
    let env: Envelope = serde_json::from_slice(&env_bytes).unwrap();
    let mut e = entries(&base);
    set(&mut e, "signature.json", serde_json::to_vec(&env).unwrap());
    b.invalid(
        "E031_signature_not_canonical.zip",
        "signature.json as compact JSON.",
        rebuild(&e),
        &["E031"],
        NotApplicable,
    );
    let other_manifest = manifest_text(&base).replacen("Harbour town", "Harbor town", 1);
    let mut e = entries(&base);
    set(
        &mut e,
        "signature.json",
        test.sign_manifest(other_manifest.as_bytes()),
    );
    b.invalid(
        "E032_payload_other_bytes.zip",
        "signature.json validly signs a different manifest.",
        rebuild(&e),
        &["E032"],
        Fail,
    );
    let mut bad = env.clone();
    let mut sig = B64.decode(&bad.signatures[0].sig).unwrap();
    sig[0] ^= 1;
    bad.signatures[0].sig = B64.encode(&sig);
    let mut e = entries(&base);
    set(&mut e, "signature.json", bad.to_canonical_bytes());
    b.invalid(
        "E033_signature_wrong.zip",
        "One bit of the Ed25519 signature flipped.",
        rebuild(&e),
        &["E033"],
        Fail,
    );
    let key_id = edit_manifest(&base, Some(&test), |m| {
        m.signer.as_mut().unwrap().key_id = other.key_id()
    });
    b.invalid(
        "E034_key_id_mismatch.zip",
        "The manifest's key id is another key's (re-signed).",
        key_id,
        &["E034"],
        Fail,
    );
    let mut identity = [0u8; 32];
    identity[0] = 1;
    let weak = edit_manifest(&base, Some(&test), |m| {
        m.signer = Some(Signer {
            algorithm: "ed25519".into(),
            public_key: B64.encode(identity),
            key_id: provseal::format::digest::Sha256Digest::of(&identity).to_prefixed(),
        })
    });
    b.invalid(
        "E035_small_order_key.zip",
        "The manifest names the small-order identity point as its key.",
        weak,
        &["E035"],
        Fail,
    );
    let mut e = entries(&unsigned.bytes);
    let um = get(&e, "manifest.json").to_vec();
    e.push(("signature.json".into(), test.sign_manifest(&um)));
    b.invalid(
        "E036_unexpected_signature.zip",
        "A signature.json in a bundle whose manifest names no signer.",
        rebuild(&e),
        &["E036"],
        Fail,
    );

    let by_other = pack_example(Some(&other));
    b.add(
        "invalid/E040_untrusted_signer.zip",
        "Validly signed by the other key; only the test key is trusted.",
        by_other.bytes,
        &[TEST],
        false,
        "intact-untrusted",
        &["E040"],
        Fail,
    );
    b.add(
        "invalid/E041_unsigned.zip",
        "An unsigned bundle, verified with the test key trusted.",
        unsigned.bytes,
        &[TEST],
        false,
        "intact-unsigned",
        &["E041"],
        Fail,
    );
}

/// Signature tricks: a malleable signature (spec §6.2).
pub(super) fn signature_tricks(b: &mut Builder, c: &Ctx) {
    use Hand::*;
    let base = c.base.clone();
    let env = c.env.clone();
    // Signature tricks.
    let mut malleable = env.clone();
    let s_plus_l = add_group_order(&B64.decode(&env.signatures[0].sig).unwrap());
    malleable.signatures[0].sig = B64.encode(&s_plus_l);
    let mut e = entries(&base);
    set(&mut e, "signature.json", malleable.to_canonical_bytes());
    b.invalid(
        "E033_malleable_signature.zip",
        "The signature's S replaced by S + L, which lax verifiers accept.",
        rebuild(&e),
        &["E033"],
        Fail,
    );
}

/// Trust stores (spec §8.2).
pub(super) fn trust_store_vectors(b: &mut Builder, c: &Ctx) {
    use Hand::*;
    let signed = c.signed.clone();
    // Trust stores (spec §8.2): the signed example, captured 2024-03-15,
    // judged by its key's standing at that time.
    for (file, description, store, state, codes) in [
        (
            "valid/W011_retired_key_time_unproven.zip",
            "Signed with a key that was rotated out on 2025-01-01, after this bundle says it was signed: verified, with W011 because only the signer's claim dates it.",
            "keys/trust-store-rotated.toml",
            "verified-trusted",
            &["W011"][..],
        ),
        (
            "invalid/E044_revoked_key_time_unproven.zip",
            "Signed, it says, before its key was revoked (2025-06-01), but no trusted timestamp proves it: a stolen key could have written that time.",
            "keys/trust-store-revoked-later.toml",
            "intact-untrusted",
            &["E044"][..],
        ),
        (
            "invalid/E042_key_not_valid_at_signing.zip",
            "Signed in 2024 with a key the trust store holds valid only from 2025-01-01.",
            "keys/trust-store-not-yet-valid.toml",
            "intact-untrusted",
            &["E042"][..],
        ),
        (
            "invalid/E043_signed_after_revocation.zip",
            "Signed in 2024 with a key revoked on 2024-01-01.",
            "keys/trust-store-revoked.toml",
            "intact-untrusted",
            &["E043"][..],
        ),
    ] {
        b.add(
            file,
            description,
            signed.bytes.clone(),
            &[],
            false,
            state,
            codes,
            NotApplicable,
        );
        if let Some(v) = b.out.last_mut() {
            v.entry.trust_store = Some(store.into());
        }
    }
}

/// S + L, where L is the order of the Ed25519 base point: the same
/// signature to a lax verifier, a non-canonical one to a strict verifier.
fn add_group_order(sig: &[u8]) -> Vec<u8> {
    const L: [u8; 32] = [
        0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde,
        0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
    ];
    let mut out = sig.to_vec();
    let mut carry = 0u16;
    for i in 0..32 {
        let v = out[32 + i] as u16 + L[i] as u16 + carry;
        out[32 + i] = v as u8;
        carry = v >> 8;
    }
    out
}
