//! What an input is when it is not a page at all: its first bytes decide,
//! not its name, so a photo renamed `article.txt` is not packed as the
//! article's text.

/// How much of the input is looked at for binary data.
const HEAD: usize = 8 << 10;

/// What the input is, in words ("a PNG image"), when it is neither text
/// nor HTML; `None` for anything that may be a page.
pub fn not_a_page(bytes: &[u8]) -> Option<&'static str> {
    const SIGNATURES: &[(&[u8], &str)] = &[
        (b"\x89PNG\r\n\x1a\n", "a PNG image"),
        (b"\xff\xd8\xff", "a JPEG image"),
        (b"GIF87a", "a GIF image"),
        (b"GIF89a", "a GIF image"),
        (b"%PDF-", "a PDF document"),
        (
            b"PK\x03\x04",
            "a ZIP archive (a provseal bundle, an office document or another archive)",
        ),
        (b"PK\x05\x06", "an empty ZIP archive"),
        (b"\x1f\x8b", "gzip-compressed data"),
        (b"BZh", "bzip2-compressed data"),
        (b"\xfd7zXZ\x00", "xz-compressed data"),
        (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
        (b"\x7fELF", "a program (ELF)"),
        (b"MZ", "a Windows program"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
            "an old Microsoft Office document",
        ),
        (b"OggS", "an Ogg audio or video file"),
        (b"ID3", "an MP3 audio file"),
        (b"fLaC", "a FLAC audio file"),
        (b"\x1aE\xdf\xa3", "a Matroska or WebM video"),
    ];
    if let Some((_, what)) = SIGNATURES.iter().find(|(sig, _)| bytes.starts_with(sig)) {
        return Some(what);
    }
    if bytes.len() >= 12 && &bytes[..4] == b"RIFF" {
        return Some(match &bytes[8..12] {
            b"WEBP" => "a WebP image",
            b"WAVE" => "a WAV audio file",
            _ => "a RIFF media file",
        });
    }
    if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
        return Some("an MP4, QuickTime or HEIF media file");
    }
    // UTF-16 text holds NUL bytes; its byte order mark says so.
    if bytes.starts_with(b"\xff\xfe") || bytes.starts_with(b"\xfe\xff") {
        return None;
    }
    bytes[..bytes.len().min(HEAD)]
        .contains(&0)
        .then_some("binary data (it holds NUL bytes, which text never does)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_content_decides() {
        assert_eq!(
            not_a_page(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Some("a PNG image")
        );
        assert_eq!(not_a_page(b"%PDF-1.7\n"), Some("a PDF document"));
        assert!(
            not_a_page(b"PK\x03\x04\x0a\0")
                .unwrap()
                .starts_with("a ZIP archive")
        );
        assert!(
            not_a_page(b"some text\0with a NUL")
                .unwrap()
                .starts_with("binary data")
        );
        assert_eq!(not_a_page(b"A headline\n\nThe body.\n"), None);
        assert_eq!(not_a_page(b"<!doctype html><title>x</title>"), None);
        assert_eq!(not_a_page("\u{feff}UTF-8 text with a BOM".as_bytes()), None);
        assert_eq!(not_a_page(b"\xff\xfeA\0B\0"), None);
        assert_eq!(not_a_page(b""), None);
    }
}
