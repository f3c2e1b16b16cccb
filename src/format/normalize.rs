//! Text normalisation (spec §6: the article text is UTF-8, NFC, LF).

use unicode_normalization::{UnicodeNormalization, is_nfc};

/// Decodes input bytes to text: a byte-order mark wins, then the declared
/// charset (from HTTP or an HTML `<meta>`), then UTF-8 if the bytes are
/// valid UTF-8, then the encoding `chardetng` detects, as browsers do for
/// unlabelled legacy pages. Returns the text and the name of the encoding used.
pub fn decode(bytes: &[u8], declared: Option<&str>) -> (String, &'static str) {
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return (text.into_owned(), enc.name());
    }
    if let Some(enc) = declared.and_then(|d| encoding_rs::Encoding::for_label(d.trim().as_bytes()))
    {
        let (text, _, _) = enc.decode(bytes);
        return (text.into_owned(), enc.name());
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), encoding_rs::UTF_8.name()),
        Err(_) => {
            // Unlabelled legacy bytes: guess as browsers do.
            let mut detector = chardetng::EncodingDetector::new();
            detector.feed(bytes, true);
            let enc = detector.guess(None, true);
            let (text, _, _) = enc.decode(bytes);
            (text.into_owned(), enc.name())
        }
    }
}

/// Normalises extracted text: NFC, LF line endings, no trailing white space
/// on a line, at most one blank line in a row, no blank lines at either end,
/// and one final LF when there is any text.
pub fn normalise_text(s: &str) -> String {
    // U+FEFF inside text is an invisible byte-order mark left by joined
    // files (the fuzzer found one that would have started the text); it is
    // not content, and the raw input keeps it anyway.
    let unified = s
        .replace('\u{feff}', "")
        .replace("\r\n", "\n")
        .replace('\r', "\n");
    let nfc: String = unified.nfc().collect();
    let mut out = String::with_capacity(nfc.len() + 1);
    let mut blank_run = 0usize;
    for line in nfc.split('\n') {
        let line = line.trim_end();
        if line.is_empty() {
            blank_run += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank_run > 0 { "\n\n" } else { "\n" });
        }
        blank_run = 0;
        out.push_str(line);
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

/// Whether bytes meet the article-text rule: UTF-8 with no byte-order mark,
/// NFC, no CR, and (when not empty) exactly one final LF.
pub fn check_text(bytes: &[u8]) -> Result<(), String> {
    let s = std::str::from_utf8(bytes)
        .map_err(|e| format!("not UTF-8 (invalid byte at offset {})", e.valid_up_to()))?;
    if s.starts_with('\u{feff}') {
        return Err("starts with a byte-order mark".into());
    }
    if let Some(i) = s.find('\r') {
        return Err(format!("has a carriage return at offset {i}"));
    }
    if !is_nfc(s) {
        return Err("is not in Unicode NFC".into());
    }
    if !s.is_empty() && !s.ends_with('\n') {
        return Err("does not end with a line feed".into());
    }
    // One LF ends the text (spec §6): normalising never leaves a blank
    // last line, so one there was added after.
    if s.ends_with("\n\n") {
        return Err("ends with more than one line feed".into());
    }
    Ok(())
}

/// Collapses every run of white space (including no-break spaces) to one
/// space and trims the ends: the form metadata values are stored in.
pub fn collapse_ws(s: &str) -> String {
    s.split(|c: char| c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_line_endings_nfc_and_blank_runs() {
        let got = normalise_text("\r\n\r\nA\u{0065}\u{0301} \r\nb\r\r\r\nc  \n\n");
        assert_eq!(got, "A\u{e9}\nb\n\nc\n");
        assert_eq!(check_text(got.as_bytes()), Ok(()));
        assert_eq!(normalise_text("  \n "), "");
        // A byte-order mark in the middle of a page (found by fuzzing).
        let got = normalise_text("\u{feff}ml lang=\"en\">\n\u{feff}x");
        assert_eq!(got, "ml lang=\"en\">\nx\n");
        assert_eq!(check_text(got.as_bytes()), Ok(()));
    }

    #[test]
    fn check_text_names_the_problem() {
        assert!(
            check_text(b"a\r\n")
                .unwrap_err()
                .contains("carriage return")
        );
        assert!(
            check_text(b"\xef\xbb\xbfa\n")
                .unwrap_err()
                .contains("byte-order")
        );
        assert!(
            check_text("e\u{301}\n".as_bytes())
                .unwrap_err()
                .contains("NFC")
        );
        assert!(check_text(b"\xff\n").unwrap_err().contains("UTF-8"));
        assert!(check_text(b"a").unwrap_err().contains("line feed"));
        assert_eq!(check_text(b""), Ok(()));
    }

    #[test]
    fn decodes_by_bom_declaration_and_fallback() {
        assert_eq!(decode(b"\xef\xbb\xbfhi", None), ("hi".into(), "UTF-8"));
        assert_eq!(decode(b"caf\xe9", None).0, "caf\u{e9}");
        assert_eq!(decode(b"\xc0\xd1", Some("koi8-r")).0, "\u{44e}\u{44f}");
        assert_eq!(decode("ü".as_bytes(), None).0, "ü");
    }

    #[test]
    fn collapse_ws_handles_no_break_spaces() {
        assert_eq!(collapse_ws("\u{a0}\u{a0} a \t b\u{a0}"), "a b");
    }
}
