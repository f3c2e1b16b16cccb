//! The path rules of spec §4, shared by the packer and the verifier.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::is_nfc;

/// Longest entry name accepted, in bytes.
pub const MAX_PATH_BYTES: usize = 255;
/// Most `/`-separated segments an entry name may have.
pub const MAX_PATH_SEGMENTS: usize = 16;

/// Why a path breaks the rules.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PathError {
    /// The name is empty.
    #[error("the path is empty")]
    Empty,
    /// The name is longer than [`MAX_PATH_BYTES`].
    #[error("the path is {0} bytes long; the limit is {MAX_PATH_BYTES}")]
    TooLong(usize),
    /// The name has more than [`MAX_PATH_SEGMENTS`] segments.
    #[error("the path has {0} segments; the limit is {MAX_PATH_SEGMENTS}")]
    TooDeep(usize),
    /// The name starts with `/`.
    #[error("the path is absolute")]
    Absolute,
    /// The name contains a forbidden character.
    #[error("the path contains the forbidden character U+{0:04X}")]
    ForbiddenChar(u32),
    /// A segment is empty, `.` or `..`.
    #[error("the path has an empty, '.' or '..' segment")]
    BadSegment,
    /// The name is not in Unicode normalisation form C.
    #[error("the path is not in Unicode NFC")]
    NotNfc,
}

/// Checks one path against the rules of spec §4.
pub fn check(path: &str) -> Result<(), PathError> {
    if path.is_empty() {
        return Err(PathError::Empty);
    }
    // The caps come first (spec §8.4): a name over them is E055 whatever
    // else is wrong with it, so that every verifier gives it one code.
    if path.len() > MAX_PATH_BYTES {
        return Err(PathError::TooLong(path.len()));
    }
    let segments: Vec<&str> = path.split('/').collect();
    if segments.len() > MAX_PATH_SEGMENTS {
        return Err(PathError::TooDeep(segments.len()));
    }
    if path.starts_with('/') {
        return Err(PathError::Absolute);
    }
    // ':' is refused outright: it makes drive letters and alternate data
    // streams on Windows, and no bundle needs it.
    if let Some(c) = path
        .chars()
        .find(|&c| c.is_control() || c == '\\' || c == ':')
    {
        return Err(PathError::ForbiddenChar(c as u32));
    }
    if segments
        .iter()
        .any(|s| s.is_empty() || *s == "." || *s == "..")
    {
        return Err(PathError::BadSegment);
    }
    if !is_nfc(path) {
        return Err(PathError::NotNfc);
    }
    Ok(())
}

/// The key under which two paths count as the same name: NFC after full
/// Unicode case folding (so `README.txt` and `readme.TXT` collide, as they
/// would on a case-insensitive file system).
pub fn collision_key(path: &str) -> String {
    let nfc: String = path.nfc().collect();
    caseless::default_case_fold_str(&nfc).nfc().collect()
}

/// Whether a manifest path falls in the appendix's name space, which the
/// manifest may not list (E016).
pub fn is_reserved_prefix(path: &str) -> bool {
    let lower = path.to_lowercase();
    lower.starts_with("custody/") || lower.starts_with("timestamps/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ordinary_relative_paths() {
        for p in [
            "README.txt",
            "article/text.txt",
            "source/page.html",
            "a/b/ü.txt",
        ] {
            assert_eq!(check(p), Ok(()), "{p}");
        }
    }

    #[test]
    fn refuses_each_class_of_bad_path() {
        assert_eq!(check(""), Err(PathError::Empty));
        assert_eq!(check("/etc/passwd"), Err(PathError::Absolute));
        assert_eq!(check("../x"), Err(PathError::BadSegment));
        assert_eq!(check("a/./b"), Err(PathError::BadSegment));
        assert_eq!(check("a//b"), Err(PathError::BadSegment));
        assert_eq!(check("dir/"), Err(PathError::BadSegment));
        assert_eq!(check("a\\b"), Err(PathError::ForbiddenChar(0x5c)));
        assert_eq!(check("C:x"), Err(PathError::ForbiddenChar(0x3a)));
        assert_eq!(check("a\0b"), Err(PathError::ForbiddenChar(0)));
        assert_eq!(check("a\u{85}b"), Err(PathError::ForbiddenChar(0x85)));
        assert_eq!(check("e\u{301}.txt"), Err(PathError::NotNfc));
        assert_eq!(check(&"a".repeat(256)), Err(PathError::TooLong(256)));
        assert_eq!(check(&["a"; 17].join("/")), Err(PathError::TooDeep(17)));
    }

    #[test]
    fn collision_key_folds_case_and_normalisation() {
        assert_eq!(collision_key("README.txt"), collision_key("readme.TXT"));
        assert_eq!(collision_key("Straße"), collision_key("STRASSE"));
        assert_eq!(collision_key("\u{e9}"), collision_key("e\u{301}"));
        assert_ne!(collision_key("a.txt"), collision_key("b.txt"));
    }
}
