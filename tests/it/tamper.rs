//! Tampering: each kind of change gives its specific code, and no single
//! changed byte anywhere in a bundle leaves it verified.

use crate::support::*;

fn trusted_codes(bytes: &[u8]) -> Vec<String> {
    codes(&verify_bytes(bytes, &options(&[&test_key()], false)))
}

#[test]
fn the_untouched_bundle_verifies_trusted() {
    let p = pack_example(Some(&test_key()));
    let r = verify_bytes(&p.bytes, &options(&[&test_key()], false));
    assert!(r.passed, "{:#?}", r.findings);
    assert_eq!(r.findings, vec![]);
    assert_eq!(r.bundle_id.as_deref(), Some(p.bundle_id.as_str()));
}

#[test]
fn changing_a_file_is_a_content_hash_error() {
    let p = pack_example(Some(&test_key()));
    for name in ["README.txt", "article/text.txt", "source/page.txt"] {
        let mut e = entries(&p.bytes);
        let mut d = get(&e, name).to_vec();
        d[0] ^= 0x01;
        set(&mut e, name, d);
        assert_eq!(trusted_codes(&rebuild(&e)), vec!["E021"], "{name}");
    }
}

#[test]
fn adding_a_file_is_an_unlisted_entry() {
    let p = pack_example(Some(&test_key()));
    let mut e = entries(&p.bytes);
    e.insert(3, ("notes/added.txt".into(), b"added later\n".to_vec()));
    assert_eq!(trusted_codes(&rebuild(&e)), vec!["E015"]);
}

#[test]
fn removing_a_file_is_a_missing_listed_file() {
    let p = pack_example(Some(&test_key()));
    let mut e = entries(&p.bytes);
    e.retain(|(n, _)| n != "README.txt");
    assert_eq!(trusted_codes(&rebuild(&e)), vec!["E014"]);
}

#[test]
fn swapping_in_another_bundles_signature_fails() {
    let a = pack_example(Some(&test_key()));
    let mut req = request(example_overrides());
    req.captured_at += chrono::Duration::seconds(1);
    let b = provseal::pack::pack(&req, Some(&test_key())).unwrap();
    let mut e = entries(&a.bytes);
    set(
        &mut e,
        "signature.json",
        get(&entries(&b.bytes), "signature.json").to_vec(),
    );
    assert_eq!(trusted_codes(&rebuild(&e)), vec!["E032"]);
}

#[test]
fn a_manifest_re_signed_with_another_key_fails_on_key_id() {
    let p = pack_example(Some(&test_key()));
    let e = entries(&p.bytes);
    let m = get(&e, "manifest.json").to_vec();
    let forged = with_manifest(&p.bytes, m, Some(&other_key()));
    assert_eq!(trusted_codes(&forged), vec!["E034"]);
}

#[test]
fn a_bundle_made_with_another_key_is_untrusted_not_invalid() {
    let p = pack_example(Some(&other_key()));
    let r = verify_bytes(&p.bytes, &options(&[&test_key()], false));
    assert_eq!(codes(&r), vec!["E040"]);
    assert_eq!(r.state, provseal::verify::State::IntactUntrusted);
    assert!(!r.passed);
}

#[test]
fn a_report_says_when_verification_stopped_early() {
    let opts = options(&[&test_key()], false);
    assert!(!verify_bytes(b"", &opts).complete);
    let p = pack_example(Some(&test_key()));
    assert!(verify_bytes(&p.bytes, &opts).complete);
    let mut e = entries(&p.bytes);
    e.retain(|(n, _)| n != "manifest.json");
    let r = verify_bytes(&rebuild(&e), &opts);
    assert!(!r.complete && !r.passed);
}

/// A file that changes under the reader: once as many bytes as the file
/// holds have been read, every later read sees `after` instead.
struct Shifting {
    before: std::io::Cursor<Vec<u8>>,
    after: Vec<u8>,
    read: usize,
}

impl std::io::Read for Shifting {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let pos = self.before.position() as usize;
        let len = self.after.len();
        if self.read >= len {
            let n = buf.len().min(len.saturating_sub(pos));
            buf[..n].copy_from_slice(&self.after[pos..pos + n]);
            self.before.set_position((pos + n) as u64);
            return Ok(n);
        }
        let n = self.before.read(buf)?;
        self.read += n;
        Ok(n)
    }
}

impl std::io::Seek for Shifting {
    fn seek(&mut self, to: std::io::SeekFrom) -> std::io::Result<u64> {
        self.before.seek(to)
    }
}

#[test]
fn the_text_handed_back_is_the_text_that_was_checked() {
    use provseal::verify::verify_reader_with_text;
    let p = pack_example(Some(&test_key()));
    let opts = options(&[&test_key()], false);
    let text = get(&entries(&p.bytes), "article/text.txt").to_vec();
    let len = p.bytes.len() as u64;
    let v =
        verify_reader_with_text(&mut std::io::Cursor::new(p.bytes.clone()), len, &opts).unwrap();
    assert!(v.report.passed);
    assert_eq!(v.text.as_deref(), Some(text.as_slice()));

    // The same bundle with its text changed: no text is handed back.
    let mut e = entries(&p.bytes);
    let mut changed = text.clone();
    changed[0] ^= 0x01;
    set(&mut e, "article/text.txt", changed);
    let tampered = rebuild(&e);
    let v = verify_reader_with_text(
        &mut std::io::Cursor::new(tampered.clone()),
        tampered.len() as u64,
        &opts,
    )
    .unwrap();
    assert!(!v.report.passed);
    assert_eq!(v.text, None);

    // A file swapped for another after it was read: what is handed back
    // is what was checked, not what a second read would find.
    let mut swapped = p.bytes.clone();
    let at = swapped
        .windows(text.len())
        .position(|w| w == text.as_slice())
        .unwrap();
    swapped[at] ^= 0x01;
    let mut r = Shifting {
        before: std::io::Cursor::new(p.bytes.clone()),
        after: swapped,
        read: 0,
    };
    let v = verify_reader_with_text(&mut r, len, &opts).unwrap();
    if v.report.passed {
        assert_eq!(v.text.as_deref(), Some(text.as_slice()));
    } else {
        assert_eq!(v.text, None);
    }
}
