//! File-system errors in words a person acts on: what is wrong with the
//! file, not the operating system's error number.

use std::io::{Error, ErrorKind};

/// What went wrong reading or writing a file, after its name and a colon:
/// "it does not exist", "permission denied (…)", never `(os error 2)`.
pub fn io_words(e: &Error) -> String {
    match e.kind() {
        ErrorKind::NotFound => "it does not exist".into(),
        ErrorKind::PermissionDenied => "permission denied (check who owns it and its mode)".into(),
        ErrorKind::IsADirectory => "it is a folder, not a file".into(),
        ErrorKind::NotADirectory => "a part of the path is a file, not a folder".into(),
        ErrorKind::AlreadyExists => "it already exists".into(),
        ErrorKind::UnexpectedEof => "it ends too early: the file is cut short".into(),
        ErrorKind::StorageFull => "the disk is full".into(),
        ErrorKind::ReadOnlyFilesystem => "the file system is read-only".into(),
        ErrorKind::InvalidData if e.to_string().contains("valid UTF-8") => {
            "it is not text (not UTF-8)".into()
        }
        ErrorKind::InvalidFilename => "the name is not one this system allows".into(),
        _ => without_os_code(&e.to_string()),
    }
}

/// The system's message with its `(os error N)` tail (and the temporary
/// file's name some libraries add, `at path "…"`) removed and a small
/// first letter, to follow a colon.
fn without_os_code(text: &str) -> String {
    let text = match text.find(" at path \"") {
        Some(i) => &text[..i],
        None => text,
    };
    let text = match text.rfind(" (os error ") {
        Some(i) if text.ends_with(')') => &text[..i],
        _ => text,
    };
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => "an unknown error".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_say_what_is_wrong_without_error_numbers() {
        let missing = std::fs::read("/nonexistent/provseal/test").unwrap_err();
        assert_eq!(io_words(&missing), "it does not exist");
        let dir = tempfile::tempdir().unwrap();
        let e = std::fs::read(dir.path()).unwrap_err();
        assert!(!io_words(&e).contains("os error"), "{}", io_words(&e));
        assert_eq!(
            without_os_code("No such device or address (os error 6)"),
            "no such device or address"
        );
        let bin = dir.path().join("b");
        std::fs::write(&bin, [0xff, 0xfe, 0x00]).unwrap();
        let e = std::fs::read_to_string(&bin).unwrap_err();
        assert_eq!(io_words(&e), "it is not text (not UTF-8)");
    }
}
