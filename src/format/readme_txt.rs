//! The `README.txt` placed in every bundle for a reader who has never heard
//! of provseal. It is hashed like any other file, so it holds nothing that
//! depends on the bundle.

/// The text of `README.txt`, fixed for format version 1.
pub const README_TXT: &str = "\
This is a provseal evidence bundle (format provseal-bundle, version 1).

It preserves one news report as it was captured: the input exactly as it was
given (source/), the article text extracted from it (article/text.txt), and
manifest.json, which records the article's metadata, its original URL and the
URLs where copies were found, the capture time, and the size and SHA-256 of
every file. signature.json, when present, is an Ed25519 signature over
manifest.json in a DSSE envelope. The bundle id is the SHA-256 of the exact
bytes of manifest.json.

To check this bundle by hand, with only unzip, sha256sum and openssl:

1. List the entries (unzip -Z1 BUNDLE). They must be exactly the files listed
   in manifest.json, then manifest.json, then signature.json.
2. For each file in manifest.json, run: unzip -p BUNDLE PATH | sha256sum
   and compare with its sha256; compare the byte count with its size.
3. The signed bytes are the ASCII text
   \"DSSEv1 48 application/vnd.provseal.manifest+json;version=1 N \"
   followed by the bytes of manifest.json, where N is their length in decimal.
   Decode the \"sig\" value of signature.json from base64 and verify it with
   openssl pkeyutl -verify -pubin -inkey SIGNER.pem -rawin -in SIGNED -sigfile SIG
   using the signer's public key, obtained from the signer through a channel
   you trust. manifest.json names that key (signer.public_key, base64) and
   its id (signer.key_id, the SHA-256 of the 32 raw key bytes).
4. The payload in signature.json, decoded from base64, must be manifest.json.

Any difference means the bundle was altered after it was signed. The full
specification is spec/bundle-v1.md in the provseal source distribution.
";

#[cfg(test)]
mod tests {
    #[test]
    fn payload_type_length_in_the_readme_is_right() {
        let t = crate::format::sign::PAYLOAD_TYPE;
        assert!(super::README_TXT.contains(&format!("DSSEv1 {} {t} N", t.len())));
        assert!(super::README_TXT.is_ascii());
    }
}
