//! Where `--into ARCHIVE` puts a bundle (`spec/catalog-v1.md`):
//! `ARCHIVE/YYYY/MM/DD/<hex of the bundle id>.zip`, by the capture date in
//! UTC, and the catalog at `ARCHIVE/catalog.sqlite`.

use std::path::{Path, PathBuf};

/// The path of a bundle in an archive, from its capture time (the
/// manifest's canonical RFC 3339 UTC form) and its bundle id.
pub fn bundle_path(archive: &Path, captured_at: &str, bundle_id: &str) -> Option<PathBuf> {
    let hex = bundle_id.strip_prefix("sha256:")?;
    let valid_hex = hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit());
    let date = captured_at.get(..10)?;
    let parts: Vec<&str> = date.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    let digits = |s: &str, n| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    (valid_hex && digits(y, 4) && digits(m, 2) && digits(d, 2))
        .then(|| archive.join(y).join(m).join(d).join(format!("{hex}.zip")))
}

/// The catalog of an archive directory.
pub fn catalog_path(archive: &Path) -> PathBuf {
    archive.join(super::FILE_NAME)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundles_go_under_their_capture_date_by_id() {
        let id = format!("sha256:{}", "ab".repeat(32));
        assert_eq!(
            bundle_path(Path::new("/a"), "2018-05-27T03:04:05Z", &id),
            Some(PathBuf::from(format!(
                "/a/2018/05/27/{}.zip",
                "ab".repeat(32)
            )))
        );
        assert_eq!(
            bundle_path(Path::new("/a"), "2018-05-27T03:04:05Z", "sha256:../x"),
            None
        );
        assert_eq!(bundle_path(Path::new("/a"), "../../etc", &id), None);
    }
}
