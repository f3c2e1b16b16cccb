//! Vectors for the reporting rules of spec §8.4 and the value rules that
//! spec §5 makes exact: each breaks one rule, or several at once where the
//! rule says which of them is reported.

use super::*;
use provseal::format::sign::Envelope;

/// A copy of `bytes` with the CRC-32 of `name` changed in both headers.
fn crc_changed(bytes: &[u8], name: &str) -> Vec<u8> {
    let mut out = bytes.to_vec();
    let (l, _) = header_offsets(&out, name);
    let crc = u32::from_le_bytes(out[l + 14..l + 18].try_into().unwrap()) ^ 1;
    patch_both(&mut out, name, 14, &crc.to_le_bytes());
    out
}

/// The bundle with its envelope edited and written canonically again.
fn edit_envelope(bytes: &[u8], f: impl FnOnce(&mut Envelope)) -> Vec<u8> {
    let mut e = entries(bytes);
    let mut env: Envelope = serde_json::from_slice(get(&e, "signature.json")).unwrap();
    f(&mut env);
    set(&mut e, "signature.json", env.to_canonical_bytes());
    rebuild(&e)
}

pub(super) fn add_all(b: &mut Builder, base: &[u8], captured: &[u8]) {
    use Hand::*;
    let test = test_key();
    container_rules(b, base);
    entry_set_rules(b, base);

    b.invalid(
        "E007_manifest_crc.zip",
        "manifest.json's CRC-32 changed in both headers; its bytes are intact, so the signature still verifies (spec §8.4: the CRC-32 of every entry read).",
        crc_changed(base, "manifest.json"),
        &["E007"],
        NotApplicable,
    );
    b.invalid(
        "E007_signature_crc.zip",
        "signature.json's CRC-32 changed in both headers; its bytes are intact.",
        crc_changed(base, "signature.json"),
        &["E007"],
        NotApplicable,
    );
    let mut unparsed = entries(base);
    set(
        &mut unparsed,
        "manifest.json",
        b"{\"format\": \"provseal-bundle\",".to_vec(),
    );
    let mut t = get(&unparsed, "README.txt").to_vec();
    t[0] ^= 0x20;
    set(&mut unparsed, "README.txt", t);
    b.invalid(
        "E011_unparsed_manifest_ends_checks.zip",
        "manifest.json is cut short (not JSON) and README.txt is changed: without a parsed manifest steps 3 to 6 do not run, so only E011 is reported (spec §8.4).",
        rebuild(&unparsed),
        &["E011"],
        Fail,
    );

    // Step 4 stops at its first failure (spec §8.4).
    b.invalid(
        "E032_payload_not_base64.zip",
        "signature.json's payload is not base64: a well-formed envelope whose payload is not the manifest is E032, not E031.",
        edit_envelope(base, |env| env.payload = "not base64!".into()),
        &["E032"],
        Fail,
    );
    b.invalid(
        "E034_envelope_key_id_then_stop.zip",
        "signature.json names another key id and carries a wrong signature: step 4 stops at E034.",
        edit_envelope(base, |env| {
            let s = &mut env.signatures[0];
            s.keyid = other_key().key_id();
            s.sig = B64.encode([7u8; 64]);
        }),
        &["E034"],
        Fail,
    );

    value_rules(b, base, captured, &test);
}

/// Step 1 for one entry: E001 against E002, E003 on the central header
/// only, a file mode with no type, E055 before E005.
fn container_rules(b: &mut Builder, base: &[u8]) {
    use Hand::*;
    let mut no_sig = base.to_vec();
    let (l, _) = header_offsets(&no_sig, "README.txt");
    no_sig[l..l + 4].copy_from_slice(b"PK\x07\x07");
    b.invalid(
        "E001_local_signature_missing.zip",
        "README.txt's local header has no local header signature: E001, and the next entry is not also reported as misplaced.",
        no_sig,
        &["E001"],
        Fail,
    );
    let mut method = base.to_vec();
    let (l, _) = header_offsets(&method, "README.txt");
    method[l + 8..l + 10].copy_from_slice(&8u16.to_le_bytes());
    b.invalid(
        "E002_local_method_differs.zip",
        "README.txt's local header says method 8, its central header 0: E003 looks at the central header only, so this is the local header disagreeing (E002).",
        method,
        &["E002"],
        Fail,
    );
    let mut typeless = base.to_vec();
    let (_, c) = header_offsets(&typeless, "README.txt");
    typeless[c + 38..c + 42].copy_from_slice(&(0o644u32 << 16).to_le_bytes());
    b.invalid(
        "E008_no_file_type.zip",
        "README.txt's external attributes give mode 0644 with no file type: only a regular file is allowed.",
        typeless,
        &["E008"],
        NotApplicable,
    );
    b.invalid(
        "E055_long_name_with_backslash.zip",
        "An extra entry with a 300-byte name holding a backslash: one code per name, and the caps come first.",
        insert_before_manifest(base, &format!("a\\{}.txt", "b".repeat(294)), b"x\n"),
        &["E015", "E055"],
        Fail,
    );
}

/// Step 2's entry set: near-miss appendix names, order only when nothing
/// is missing or extra.
fn entry_set_rules(b: &mut Builder, base: &[u8]) {
    use Hand::*;
    for (file, name) in [
        ("E015_custody_name_near_miss.zip", "custody/1.json"),
        (
            "E015_timestamp_name_near_miss.zip",
            "timestamps/signature.01.tsr",
        ),
        ("E015_appendix_name_case.zip", "Custody/000001.json"),
    ] {
        let mut e = entries(base);
        e.push((name.into(), b"{}\n".to_vec()));
        b.invalid(
            file,
            &format!("An entry {name} after signature.json: a name that nearly has the appendix grammar is unlisted (E015), not an appendix entry out of order (E060)."),
            rebuild(&e),
            &["E015"],
            Fail,
        );
    }
    let mut e = entries(base);
    let at = e.iter().position(|(n, _)| n == "manifest.json").unwrap();
    let m = e.remove(at);
    e.insert(0, m);
    e.insert(1, ("extra.txt".into(), b"x\n".to_vec()));
    b.invalid(
        "E015_unlisted_and_reordered.zip",
        "manifest.json stored first and an unlisted extra.txt: the order is reported (E002) only when the entries are the expected ones, so only E015.",
        rebuild(&e),
        &["E015"],
        Fail,
    );
}

/// The value rules of spec §5 that the schema and the verifier share.
fn value_rules(b: &mut Builder, base: &[u8], captured: &[u8], test: &KeyPair) {
    use Hand::*;
    let k = Some(test);
    let cases: Vec<(&str, &str, Vec<u8>)> = vec![
        (
            "E011_language_tag.zip",
            "article.language is \"en_US\", which does not have the shape of a BCP 47 tag (re-signed).",
            edit_manifest(base, k, |m| m.article.language = Some("en_US".into())),
        ),
        (
            "E011_title_blank.zip",
            "article.title is only white space (re-signed).",
            edit_manifest(base, k, |m| m.article.title = " \u{a0}".into()),
        ),
        (
            "E011_tool_version_blank.zip",
            "capture.tool.version is empty (re-signed).",
            edit_manifest(base, k, |m| m.capture.tool.version = String::new()),
        ),
        (
            "E011_captured_at_fraction_digits.zip",
            "capture.captured_at has one fraction digit (.5) where the canonical form has three (.500) (re-signed).",
            edit_manifest(base, k, |m| {
                m.capture.captured_at = m.capture.captured_at.replace('Z', ".5Z")
            }),
        ),
        (
            "E011_http_status_range.zip",
            "An HTTP capture whose final status is 700, outside 100 to 599 (re-signed).",
            edit_manifest(captured, k, |m| {
                if let Some(h) = m.capture.http.as_mut() {
                    h.status = 700;
                }
            }),
        ),
        (
            "E011_retrieved_at_space.zip",
            "An HTTP capture whose retrieved_at separates date and time with a space, which RFC 3339 section 5.6 does not allow (re-signed).",
            edit_manifest(captured, k, |m| {
                if let Some(h) = m.capture.http.as_mut() {
                    h.retrieved_at = h.retrieved_at.replacen('T', " ", 1);
                }
            }),
        ),
    ];
    for (file, description, bytes) in cases {
        b.invalid(file, description, bytes, &["E011"], NotApplicable);
    }
    let mut e = entries(base);
    let mut text = get(&e, "article/text.txt").to_vec();
    text.push(b'\n');
    set(&mut e, "article/text.txt", text.clone());
    let (m, _) = provseal::format::manifest::Manifest::parse(get(&e, "manifest.json"));
    let mut m = m.unwrap();
    let f = m
        .files
        .iter_mut()
        .find(|f| f.path == "article/text.txt")
        .unwrap();
    f.size = text.len() as u64;
    f.sha256 = provseal::format::digest::Sha256Digest::of(&text).to_hex();
    b.invalid(
        "E022_text_two_final_line_feeds.zip",
        "article/text.txt ends in two line feeds, with the manifest updated and re-signed: the text ends in exactly one.",
        with_manifest(&rebuild(&e), m.to_canonical_bytes(), k),
        &["E022"],
        NotApplicable,
    );
}
