//! The manifest (spec §5) and the caps (spec §7).

use super::*;

/// The manifest: missing, not canonical, not the schema, not matching the files (spec §5).
pub(super) fn manifest(b: &mut Builder, c: &Ctx) {
    use Hand::*;
    let test = test_key();
    let base = c.base.clone();
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
}

/// Manifest tricks: bytes that are not UTF-8, nesting, listed files that are not there (spec §5).
pub(super) fn manifest_tricks(b: &mut Builder, c: &Ctx) {
    use Hand::*;
    let test = test_key();
    let base = c.base.clone();
    let text = c.text.clone();
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
}

/// Caps, lowered for the vector (spec §7).
pub(super) fn caps(b: &mut Builder, c: &Ctx) {
    let base = c.base.clone();
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
}
