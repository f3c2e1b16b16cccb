//! Where an archive and its catalog are, and how a bundle's location is
//! written in the catalog (`spec/catalog-v1.md`): relative to the archive
//! when the bundle is inside it, so that the archive can move with its
//! catalog, else absolute; an object by its `s3://` URI.

use std::io;
use std::path::{Path, PathBuf};

use super::{Catalog, CatalogError, layout};
use crate::archive::storage::{Location, StorageError};

/// Why an operation on an archive failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ArchiveError {
    /// A bucket cannot hold an SQLite database that several writers share.
    #[error("{0}: the catalog of an s3:// archive is a local file: give --catalog FILE")]
    RemoteNeedsCatalog(PathBuf),
    /// An archive root that starts `s3://` but is not a bucket and prefix.
    #[error("{0}: not an s3://bucket/prefix URI")]
    BadRoot(PathBuf),
    /// The operation reads a catalog and there is none.
    #[error("{0}: no catalog here")]
    NoCatalog(PathBuf),
    /// The catalog file could not be opened or is not a catalog.
    #[error("{path}: {source}")]
    Open {
        /// The catalog file.
        path: PathBuf,
        /// Why.
        source: CatalogError,
    },
    /// Reading or writing the catalog failed.
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    /// Reading or writing a bundle failed.
    #[error(transparent)]
    Storage(#[from] StorageError),
    /// A directory or file of the archive could not be made or replaced.
    #[error("{path}: {source}")]
    Io {
        /// What was being made or replaced.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// The bundle's capture time or id cannot name a path in the layout.
    #[error("the bundle's capture time or id cannot name a path")]
    Unplaceable,
    /// A bundle to be stored did not verify, so it was not stored.
    #[error("the new bundle does not verify; nothing was stored")]
    NotVerified,
}

/// An archive: the directory or bucket prefix that holds its bundles, and
/// the catalog file that indexes them.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ArchiveAt {
    /// The directory, or the `s3://bucket/prefix`, of the bundles.
    pub root: PathBuf,
    /// The catalog file.
    pub catalog: PathBuf,
}

impl ArchiveAt {
    /// The archive at `root` with its catalog at `catalog`, or by default
    /// at `root/catalog.sqlite`. An `s3://` archive must name its catalog:
    /// the catalog is always a local file.
    pub fn new(root: &Path, catalog: Option<&Path>) -> Result<ArchiveAt, ArchiveError> {
        let catalog = match catalog {
            Some(c) => c.to_path_buf(),
            None if Location::is_remote(root) => {
                return Err(ArchiveError::RemoteNeedsCatalog(root.to_path_buf()));
            }
            None => layout::catalog_path(root),
        };
        Ok(ArchiveAt {
            root: root.to_path_buf(),
            catalog,
        })
    }

    /// Opens (creating when missing) the catalog.
    pub fn open(&self) -> Result<Catalog, ArchiveError> {
        Catalog::open(&self.catalog).map_err(|source| ArchiveError::Open {
            path: self.catalog.clone(),
            source,
        })
    }

    /// Opens the catalog, which must exist: a search or a fixity check of
    /// a catalog that is not there is a mistake, not an empty result.
    pub fn open_existing(&self) -> Result<Catalog, ArchiveError> {
        if !self.catalog.exists() {
            return Err(ArchiveError::NoCatalog(self.catalog.clone()));
        }
        self.open()
    }

    /// How a bundle at `path` is recorded: relative to the archive, with
    /// `/` between its parts, when it is inside it; else absolute; an
    /// object as its URI.
    pub fn location_of(&self, path: &Path) -> String {
        if Location::is_remote(path) {
            return path.display().to_string();
        }
        let abs = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        match std::fs::canonicalize(&self.root)
            .ok()
            .and_then(|a| abs.strip_prefix(a).ok().map(Path::to_path_buf))
        {
            Some(rel) => slash_path(&rel),
            None => abs.display().to_string(),
        }
    }

    /// Where a recorded location is now: relative ones under the root.
    pub fn resolve(&self, location: &str) -> PathBuf {
        let p = Path::new(location);
        if p.is_absolute() || Location::is_remote(p) {
            p.to_path_buf()
        } else {
            self.root.join(p)
        }
    }
}

/// A relative path with `/` between its parts, whatever the platform.
pub fn slash_path(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bucket_archive_names_its_catalog_and_locations_resolve_under_the_root() {
        assert!(matches!(
            ArchiveAt::new(Path::new("s3://b/evidence"), None),
            Err(ArchiveError::RemoteNeedsCatalog(_))
        ));
        let at = ArchiveAt::new(Path::new("/srv/archive"), None).unwrap();
        assert_eq!(at.catalog, Path::new("/srv/archive/catalog.sqlite"));
        assert_eq!(
            at.resolve("2018/05/27/a.zip"),
            Path::new("/srv/archive/2018/05/27/a.zip")
        );
        assert_eq!(
            at.resolve("/elsewhere/a.zip"),
            Path::new("/elsewhere/a.zip")
        );
        assert_eq!(at.resolve("s3://b/k.zip"), Path::new("s3://b/k.zip"));
        assert_eq!(at.location_of(Path::new("s3://b/k.zip")), "s3://b/k.zip");
    }

    #[test]
    fn a_bundle_inside_the_archive_is_recorded_relative_to_it() {
        let dir = tempfile::tempdir().unwrap();
        let inner = dir.path().join("2018").join("05");
        std::fs::create_dir_all(&inner).unwrap();
        std::fs::write(inner.join("a.zip"), b"x").unwrap();
        let at = ArchiveAt::new(dir.path(), None).unwrap();
        assert_eq!(at.location_of(&inner.join("a.zip")), "2018/05/a.zip");
        let outside = tempfile::tempdir().unwrap();
        let other = outside.path().join("b.zip");
        std::fs::write(&other, b"x").unwrap();
        let recorded = at.location_of(&other);
        assert!(Path::new(&recorded).is_absolute(), "{recorded}");
    }
}
