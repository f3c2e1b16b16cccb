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

#[path = "vectors_appendix.rs"]
mod appendix;
#[path = "vectors_rules.rs"]
mod rules;

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
pub fn all() -> Vec<Vector> {
    let test = test_key();
    let other = other_key();
    let signed = pack_example(Some(&test));
    let unsigned = pack_example(None);
    let base = signed.bytes.clone();
    let mut b = Builder { out: Vec::new() };
    use Hand::*;

    b.add(
        "valid/signed.zip",
        "The example article, signed by the test key and verified with it trusted.",
        base.clone(),
        &[TEST],
        false,
        "verified-trusted",
        &[],
        Pass,
    );
    b.add(
        "valid/W003_no_trusted_keys.zip",
        "A validly signed bundle verified without trusted keys.",
        base.clone(),
        &[],
        false,
        "intact-untrusted",
        &["W003"],
        Pass,
    );
    b.add(
        "valid/W004_unsigned_allowed.zip",
        "An unsigned bundle, verified with unsigned bundles allowed.",
        unsigned.bytes.clone(),
        &[],
        true,
        "intact-unsigned",
        &["W004"],
        Fail,
    );
    let later = pack::pack(
        &request(Overrides {
            published: Some("2030-01-01".into()),
            ..example_overrides()
        }),
        Some(&test),
    )
    .unwrap();
    b.add(
        "valid/W001_published_after_captured.zip",
        "Publication date 2030-01-01, after the capture in 2024.",
        later.bytes,
        &[TEST],
        false,
        "verified-trusted",
        &["W001"],
        Pass,
    );
    let mut req = request(example_overrides());
    req.captured_at = Utc.with_ymd_and_hms(2030, 6, 1, 0, 0, 0).unwrap();
    let future = pack::pack(&req, Some(&test)).unwrap();
    b.add(
        "valid/W002_captured_in_future.zip",
        "Captured in 2030, verified with the clock at 2026-01-01.",
        future.bytes,
        &[TEST],
        false,
        "verified-trusted",
        &["W002"],
        Pass,
    );

    let (original, repost) = synthetic_original_and_repost();
    let together = provseal::pack::fetched::pack_captures(
        &repost,
        &[original],
        &Overrides::default(),
        captured_at(),
        Some(&test),
    )
    .unwrap();
    b.add(
        "valid/captured_with_original.zip",
        "A repost captured over HTTP together with its original (copies/1/), with the relation truncated.",
        together.bytes,
        &[TEST],
        false,
        "verified-trusted",
        &[],
        Pass,
    );
    let captured = provseal::pack::fetched::pack_fetched(
        &synthetic_fetch(),
        &Overrides::default(),
        captured_at(),
        Some(&test),
    )
    .unwrap();
    b.add(
        "valid/captured_http.zip",
        "A page captured over HTTP after one redirect, with its WARC records, signed and trusted.",
        captured.bytes.clone(),
        &[TEST],
        false,
        "verified-trusted",
        &[],
        Pass,
    );

    b.invalid(
        "E001_empty.zip",
        "An empty file.",
        Vec::new(),
        &["E001"],
        Fail,
    );
    b.invalid(
        "E001_truncated.zip",
        "The first half of a valid bundle.",
        base[..base.len() / 2].to_vec(),
        &["E001"],
        Fail,
    );

    let mut trailing = base.clone();
    trailing.extend_from_slice(b"appended data");
    b.invalid(
        "E002_trailing_bytes.zip",
        "Bytes appended after the end record.",
        trailing,
        &["E002"],
        Fail,
    );
    let mut prepended = b"MZ\x90\x00 a polyglot prefix ".to_vec();
    prepended.extend_from_slice(&base);
    b.invalid(
        "E002_prepended_bytes.zip",
        "Bytes prepended before the first local header.",
        prepended,
        &["E002"],
        Fail,
    );
    let mut stamped = base.clone();
    patch_both(&mut stamped, "README.txt", 12, &0x5821u16.to_le_bytes());
    b.invalid(
        "E002_timestamp.zip",
        "README.txt dated 2024-01-01 in both headers instead of 1980-01-01.",
        stamped,
        &["E002"],
        Fail,
    );
    let mut reordered = entries(&base);
    let m = reordered.remove(
        reordered
            .iter()
            .position(|(n, _)| n == "manifest.json")
            .unwrap(),
    );
    reordered.insert(0, m);
    b.invalid(
        "E002_entry_order.zip",
        "manifest.json stored first instead of after the files.",
        rebuild(&reordered),
        &["E002"],
        Fail,
    );

    let mut deflated = base.clone();
    patch_both(&mut deflated, "README.txt", 8, &8u16.to_le_bytes());
    b.invalid(
        "E003_compression_method.zip",
        "README.txt claims compression method 8 (deflate).",
        deflated,
        &["E003"],
        Fail,
    );

    let mut dup = entries(&base);
    dup.insert(1, ("README.txt".into(), b"a second README\n".to_vec()));
    b.invalid(
        "E004_duplicate_entry.zip",
        "Two entries named README.txt.",
        rebuild(&dup),
        &["E004"],
        Fail,
    );
    b.invalid(
        "E005_path_traversal.zip",
        "An extra entry named ../evil.txt.",
        insert_before_manifest(&base, "../evil.txt", b"x\n"),
        &["E005", "E015"],
        Fail,
    );
    b.invalid(
        "E006_case_collision.zip",
        "An extra entry readme.txt beside README.txt.",
        insert_before_manifest(&base, "readme.txt", b"x\n"),
        &["E006", "E015"],
        Fail,
    );

    let mut crc = base.clone();
    patch_both(&mut crc, "README.txt", 14, &0xdead_beefu32.to_le_bytes());
    b.invalid(
        "E007_crc_mismatch.zip",
        "README.txt's CRC-32 changed in both headers.",
        crc,
        &["E007"],
        Fail,
    );

    let mut many = base.clone();
    let n = many.len();
    many[n - 14..n - 12].copy_from_slice(&0xfffeu16.to_le_bytes());
    many[n - 12..n - 10].copy_from_slice(&0xfffeu16.to_le_bytes());
    b.invalid(
        "E050_entry_count.zip",
        "The end record claims 65534 entries, over the cap of 10000.",
        many,
        &["E050"],
        Fail,
    );

    b.invalid(
        "E010_no_manifest.zip",
        "manifest.json removed.",
        without(&base, "manifest.json"),
        &["E010"],
        Fail,
    );
    let text = manifest_text(&base);
    let unknown = text.replacen("\"urls\"", "\"comment\": \"added\",\n  \"urls\"", 1);
    b.invalid(
        "E011_unknown_field.zip",
        "The manifest has an unknown top-level field (re-signed).",
        with_manifest(&base, unknown.into_bytes(), Some(&test)),
        &["E011"],
        NotApplicable,
    );
    let dup_key = text.replacen("\"version\": 1,", "\"version\": 1,\n  \"version\": 1,", 1);
    b.invalid(
        "E011_duplicate_key.zip",
        "The manifest repeats the key version (re-signed).",
        with_manifest(&base, dup_key.into_bytes(), Some(&test)),
        &["E011"],
        NotApplicable,
    );
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    let compact = serde_json::to_vec(&value).unwrap();
    b.invalid(
        "E012_not_canonical.zip",
        "The manifest as compact JSON (re-signed).",
        with_manifest(&base, compact, Some(&test)),
        &["E012"],
        NotApplicable,
    );
    let v2 = text.replacen("\"version\": 1", "\"version\": 2", 1);
    b.invalid(
        "E013_version_2.zip",
        "The manifest claims version 2 (re-signed).",
        with_manifest(&base, v2.into_bytes(), Some(&test)),
        &["E013"],
        Fail,
    );
    b.invalid(
        "E014_listed_file_missing.zip",
        "source/page.txt removed from the archive.",
        without(&base, "source/page.txt"),
        &["E014"],
        Fail,
    );
    b.invalid(
        "E015_unlisted_entry.zip",
        "An extra entry extra.txt that the manifest does not list.",
        insert_before_manifest(&base, "extra.txt", b"x\n"),
        &["E015"],
        Fail,
    );

    let unsorted = {
        let mut e = entries(&base);
        let (m, _) = provseal::format::manifest::Manifest::parse(get(&e, "manifest.json"));
        let mut m = m.unwrap();
        m.files.swap(0, 1);
        e.swap(0, 1);
        let mb = m.to_canonical_bytes();
        set(&mut e, "signature.json", test.sign_manifest(&mb));
        set(&mut e, "manifest.json", mb);
        rebuild(&e)
    };
    b.invalid("E016_unsorted_files.zip", "The manifest lists article/text.txt before README.txt (re-signed; entries in the same order).", unsorted, &["E016"], NotApplicable);

    let size_lie = edit_manifest(&base, Some(&test), |m| m.files[1].size += 1);
    b.invalid(
        "E020_size_mismatch.zip",
        "The manifest gives article/text.txt one byte more than it has (re-signed).",
        size_lie,
        &["E020"],
        Fail,
    );
    let mut changed = entries(&base);
    let mut t = get(&changed, "article/text.txt").to_vec();
    t[10] ^= 0x20;
    set(&mut changed, "article/text.txt", t);
    b.invalid(
        "E021_content_changed.zip",
        "One letter of article/text.txt changed (CRC-32 updated, manifest untouched).",
        rebuild(&changed),
        &["E021"],
        Fail,
    );

    let crlf = {
        let mut e = entries(&base);
        let t = String::from_utf8(get(&e, "article/text.txt").to_vec())
            .unwrap()
            .replace('\n', "\r\n");
        let (m, _) = provseal::format::manifest::Manifest::parse(get(&e, "manifest.json"));
        let mut m = m.unwrap();
        let f = m
            .files
            .iter_mut()
            .find(|f| f.role == FileRole::Text)
            .unwrap();
        f.size = t.len() as u64;
        f.sha256 = provseal::format::digest::Sha256Digest::of(t.as_bytes()).to_hex();
        set(&mut e, "article/text.txt", t.into_bytes());
        let mb = m.to_canonical_bytes();
        set(&mut e, "signature.json", test.sign_manifest(&mb));
        set(&mut e, "manifest.json", mb);
        rebuild(&e)
    };
    b.invalid(
        "E022_text_not_normalised.zip",
        "article/text.txt with CRLF line endings (manifest updated, re-signed).",
        crlf,
        &["E022"],
        NotApplicable,
    );

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

    // Path tricks: each an extra entry that the manifest does not list.
    for (file, name, what, code) in [
        (
            "E005_absolute_path.zip",
            "/etc/passwd",
            "an absolute path",
            "E005",
        ),
        ("E005_backslash.zip", "..\\evil.txt", "a backslash", "E005"),
        (
            "E005_drive_letter.zip",
            "C:evil.txt",
            "a drive letter",
            "E005",
        ),
        (
            "E005_nul_character.zip",
            "evil\u{0}.txt",
            "a NUL character",
            "E005",
        ),
        (
            "E005_control_character.zip",
            "evil\u{1b}[31m.txt",
            "an escape character",
            "E005",
        ),
        (
            "E005_not_nfc.zip",
            "cafe\u{301}.txt",
            "a name not in NFC",
            "E005",
        ),
    ] {
        b.invalid(
            file,
            &format!("An extra entry whose name has {what}."),
            insert_before_manifest(&base, name, b"x\n"),
            &[code, "E015"],
            Fail,
        );
    }
    let mut nfc = entries(&base);
    let at = nfc.iter().position(|(n, _)| n == "manifest.json").unwrap();
    nfc.insert(at, ("caf\u{e9}.txt".into(), b"1\n".to_vec()));
    nfc.insert(at + 1, ("cafe\u{301}.txt".into(), b"2\n".to_vec()));
    b.invalid(
        "E006_nfc_collision.zip",
        "Two extra entries, caf\u{e9}.txt in NFC and in NFD.",
        rebuild(&nfc),
        &["E005", "E006", "E015"],
        Fail,
    );
    let mut raw = raw_entries(&base);
    let mut bad_name = b"not-utf8-".to_vec();
    bad_name.extend_from_slice(&[0xff, 0xfe]);
    bad_name.extend_from_slice(b".txt");
    raw.insert(
        3,
        RawEntry {
            name: bad_name,
            data: b"x\n".to_vec(),
            ..RawEntry::default()
        },
    );
    b.invalid(
        "E005_not_utf8.zip",
        "An extra entry whose name is not UTF-8.",
        raw_archive(&raw),
        &["E005", "E015"],
        Fail,
    );
    b.invalid(
        "E055_long_name.zip",
        "An extra entry with a 300-byte name.",
        insert_before_manifest(&base, &format!("{}.txt", "a".repeat(296)), b"x\n"),
        &["E015", "E055"],
        Fail,
    );
    b.invalid(
        "E055_deep_path.zip",
        "An extra entry 17 directories deep.",
        insert_before_manifest(&base, &["d"; 17].join("/"), b"x\n"),
        &["E015", "E055"],
        Fail,
    );

    // Entry tricks.
    let mut local = base.clone();
    let (l, _) = header_offsets(&local, "README.txt");
    local[l + 30..l + 40].copy_from_slice(b"README.TXT");
    b.invalid(
        "E002_local_central_disagree.zip",
        "README.txt's local header names README.TXT.",
        local,
        &["E002"],
        Fail,
    );
    let mut overlap = base.clone();
    let (_, c) = header_offsets(&overlap, "article/text.txt");
    overlap[c + 42..c + 46].copy_from_slice(&0u32.to_le_bytes());
    b.invalid(
        "E002_overlapping_entries.zip",
        "article/text.txt's central record points at README.txt's bytes.",
        overlap,
        &["E002", "E007", "E021", "E022"],
        Fail,
    );
    let mut symlink = base.clone();
    let (_, c) = header_offsets(&symlink, "README.txt");
    symlink[c + 38..c + 42].copy_from_slice(&(0o120777u32 << 16).to_le_bytes());
    b.invalid(
        "E008_symlink.zip",
        "README.txt's mode is a symbolic link.",
        symlink,
        &["E008"],
        Fail,
    );
    let mut encrypted = base.clone();
    patch_both(&mut encrypted, "README.txt", 6, &0x0801u16.to_le_bytes());
    b.invalid(
        "E003_encrypted.zip",
        "README.txt flagged as encrypted.",
        encrypted,
        &["E003"],
        Fail,
    );
    let mut raw = raw_entries(&base);
    let mut z64 = vec![0x01, 0x00, 0x10, 0x00];
    z64.extend_from_slice(&(raw[0].data.len() as u64).to_le_bytes());
    z64.extend_from_slice(&(raw[0].data.len() as u64).to_le_bytes());
    raw[0].local_extra = z64.clone();
    raw[0].central_extra = z64;
    b.invalid(
        "E009_zip64_extra.zip",
        "README.txt carries a ZIP64 extra field it does not need.",
        raw_archive(&raw),
        &["E002", "E009"],
        Fail,
    );
    let mut markers = base.clone();
    let n = markers.len();
    markers[n - 14..n - 10].copy_from_slice(&[0xff; 4]);
    b.invalid(
        "E009_zip64_markers.zip",
        "The end record's entry counts are the ZIP64 marker 0xFFFF.",
        markers,
        &["E009"],
        Fail,
    );
    let mut dup_sig = entries(&base);
    let sig = get(&dup_sig, "signature.json").to_vec();
    dup_sig.push(("signature.json".into(), sig));
    b.invalid(
        "E004_two_signature_files.zip",
        "signature.json stored twice.",
        rebuild(&dup_sig),
        &["E004"],
        Fail,
    );

    let mut descriptor = base.clone();
    patch_both(&mut descriptor, "README.txt", 6, &0x0808u16.to_le_bytes());
    b.invalid(
        "E002_data_descriptor_flag.zip",
        "README.txt flagged as followed by a data descriptor.",
        descriptor,
        &["E002"],
        Fail,
    );
    let mut raw = raw_entries(&base);
    // An "extended timestamp" field (0x5455), the extra field ZIP tools add most often.
    let ts = vec![0x55, 0x54, 0x05, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00];
    raw[0].local_extra = ts.clone();
    raw[0].central_extra = ts;
    b.invalid(
        "E002_extra_field.zip",
        "README.txt carries an extended-timestamp extra field.",
        raw_archive(&raw),
        &["E002"],
        Fail,
    );
    let mut commented = base.clone();
    let n = commented.len();
    commented[n - 2..].copy_from_slice(&7u16.to_le_bytes());
    commented.extend_from_slice(b"comment");
    b.invalid(
        "E002_archive_comment.zip",
        "The end record carries a 7-byte archive comment.",
        commented,
        &["E002"],
        Fail,
    );

    // Archive-level tricks.
    let mut two_ends = base.clone();
    two_ends.extend_from_slice(&base[base.len() - 22..]);
    b.invalid(
        "E002_two_end_records.zip",
        "A second end-of-central-directory record appended.",
        two_ends,
        &["E002"],
        Fail,
    );

    // Manifest tricks.
    let not_utf8 = text.replacen("Harbour", "Harb\u{fffd}ur", 1).into_bytes();
    let pos = not_utf8
        .windows(3)
        .position(|w| w == "\u{fffd}".as_bytes())
        .unwrap();
    let mut not_utf8 = not_utf8;
    not_utf8.splice(pos..pos + 3, [0xff]);
    b.invalid(
        "E011_not_utf8.zip",
        "The manifest has a byte that is not UTF-8 (re-signed).",
        with_manifest(&base, not_utf8, Some(&test)),
        &["E011"],
        Fail,
    );
    let deep = text.replacen(
        "\"authors\": []",
        &format!("\"authors\": {}{}", "[".repeat(20), "]".repeat(20)),
        1,
    );
    b.invalid(
        "E056_deep_json.zip",
        "The manifest nests arrays 22 levels deep (re-signed).",
        with_manifest(&base, deep.into_bytes(), Some(&test)),
        &["E056"],
        NotApplicable,
    );
    let listed = edit_manifest(&base, Some(&test), |m| {
        m.files.insert(
            2,
            provseal::format::manifest::FileEntry {
                path: "signature.json".into(),
                size: 0,
                sha256: provseal::format::digest::Sha256Digest::of(b"").to_hex(),
                media_type: "application/json".into(),
                role: FileRole::Source,
            },
        )
    });
    b.invalid(
        "E016_signature_listed.zip",
        "The manifest lists signature.json among its files (re-signed).",
        listed,
        &["E016", "E020", "E021"],
        Fail,
    );

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

    // Caps, lowered for the vector (index.json says which).
    b.over_cap(
        "E051_archive_over_cap.zip",
        "A valid bundle checked with max_archive_bytes = 4096.",
        base.clone(),
        "max_archive_bytes",
        4096,
        "E051",
    );
    b.over_cap(
        "E052_entry_over_cap.zip",
        "A valid bundle checked with max_entry_bytes = 1024.",
        base.clone(),
        "max_entry_bytes",
        1024,
        "E052",
    );
    b.over_cap(
        "E053_manifest_over_cap.zip",
        "A valid bundle checked with max_manifest_bytes = 1024.",
        base.clone(),
        "max_manifest_bytes",
        1024,
        "E053",
    );
    b.over_cap(
        "E054_signature_over_cap.zip",
        "A valid bundle checked with max_signature_bytes = 256.",
        base.clone(),
        "max_signature_bytes",
        256,
        "E054",
    );
    b.over_cap(
        "E057_text_over_cap.zip",
        "A valid bundle checked with max_text_bytes = 100.",
        base.clone(),
        "max_text_bytes",
        100,
        "E057",
    );
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
    // Text values that a screen would act on (spec §5.4), in a bundle made
    // by another tool: warnings, shown escaped.
    let hostile = edit_manifest(&base, Some(&test), |m| {
        m.article.title = "Pier reopens\u{1b}[2K\rVERIFIED: intact, signed by a trusted key".into();
        m.article.publisher = Some("Loopback \u{202e}sweN".into());
    });
    b.add(
        "valid/W009_unsafe_characters.zip",
        "A title with an escape sequence and a carriage return, and a publisher with a right-to-left override, signed: intact, with W009 for each value.",
        hostile,
        &[TEST],
        false,
        "verified-trusted",
        &["W009"],
        Pass,
    );
    let lookalike = edit_manifest(&base, Some(&test), |m| {
        if let Some(u) = m
            .urls
            .iter_mut()
            .find(|u| u.role == provseal::format::manifest::UrlRole::Original)
        {
            u.url = "https://\u{430}pple-news.example/read.php?num=1".into();
        }
    });
    b.add(
        "valid/W010_confusable_host.zip",
        "An original URL whose host mixes a Cyrillic a into Latin letters: intact, with W010, and shown in punycode.",
        lookalike,
        &[TEST],
        false,
        "verified-trusted",
        &["W010"],
        Pass,
    );
    appendix::add_all(&mut b, &signed.bytes);
    rules::add_all(&mut b, &signed.bytes, &captured.bytes);
    b.out
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
