//! The container (spec §3) and its entry names (spec §4).

use super::*;

/// The container: files that are not bundle archives, or not canonical ones (spec §3).
pub(super) fn container(b: &mut Builder, c: &Ctx) {
    use Hand::*;
    let base = c.base.clone();
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
}

/// Path tricks: each an extra entry that the manifest does not list (spec §4).
pub(super) fn path_tricks(b: &mut Builder, c: &Ctx) {
    use Hand::*;
    let base = c.base.clone();
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
}

/// Entry tricks: local headers, modes, encryption, ZIP64, extra fields (spec §3.2).
pub(super) fn entry_tricks(b: &mut Builder, c: &Ctx) {
    use Hand::*;
    let base = c.base.clone();
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
}

/// Archive-level tricks: a second end record (spec §3).
pub(super) fn archive_tricks(b: &mut Builder, c: &Ctx) {
    use Hand::*;
    let base = c.base.clone();
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
}
