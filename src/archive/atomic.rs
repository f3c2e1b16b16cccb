//! Writing evidence files so that nothing is ever destroyed by accident:
//! a temporary `.provseal-*.partial` file in the same directory, flushed
//! and synced, then renamed into place; an existing file (or a symbolic
//! link, dangling or not) is never replaced unless asked, and a link is
//! replaced, never followed. New bundles are readable by others (0644
//! under the umask): they are evidence to share. A temporary file is
//! locked while it is written, so a later run can tell one left by a run
//! that was killed (unlocked) from one still being written (locked) and
//! remove only the former ([`remove_stale_partials`]).

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// The mode of new bundles and citations, before the umask.
pub const SHARED_MODE: u32 = 0o644;

/// Why a write failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WriteError {
    /// The output exists and overwriting was not allowed.
    #[error("{0}: already exists (use --force to replace it)")]
    Exists(PathBuf),
    /// Replacing the file in place would change more than this name.
    #[error("{0}: {1}")]
    Refused(PathBuf, &'static str),
    /// The folder the file would go in does not exist.
    #[error("{}: the folder does not exist (create it first, or give --parents)", .0.display())]
    NoFolder(PathBuf),
    /// The file system failed. The message names the file asked for, never
    /// the temporary file it is written through.
    #[error("{}: {}", .path.display(), crate::display::io_words(.source))]
    Io {
        /// The file involved.
        path: PathBuf,
        /// The I/O error.
        source: io::Error,
    },
}

/// Whether anything, a dangling symbolic link included, has this name.
pub fn name_taken(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok()
}

fn dir_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// How a new file's permissions are set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `mode` before the umask, as a newly created file.
    New(u32),
    /// Exactly `mode`: the mode of the file being replaced in place.
    Exactly(u32),
}

/// Writes `bytes` to `path` atomically (see the module documentation).
/// Without `force` an existing name is never replaced, even one that
/// appears mid-write.
pub fn write_atomically(path: &Path, bytes: &[u8], force: bool) -> Result<(), WriteError> {
    write_with_mode(path, force, Mode::New(SHARED_MODE), |f| {
        let mut w = BufWriter::new(f);
        w.write_all(bytes)?;
        w.flush()
    })
}

/// As [`write_atomically`], with the content streamed by `fill` into the
/// temporary file (which it must flush), so that nothing is held whole in
/// memory, and the mode chosen.
pub fn write_with_mode(
    path: &Path,
    force: bool,
    mode: Mode,
    fill: impl FnOnce(&File) -> io::Result<()>,
) -> Result<(), WriteError> {
    let io_err = |source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    };
    if !force && name_taken(path) {
        return Err(WriteError::Exists(path.to_path_buf()));
    }
    let dir = dir_of(path);
    if !dir.is_dir() {
        return Err(WriteError::NoFolder(dir));
    }
    let mut builder = tempfile::Builder::new();
    builder.prefix(".provseal-").suffix(".partial");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let bits = match mode {
            Mode::New(m) | Mode::Exactly(m) => m,
        };
        builder.permissions(fs::Permissions::from_mode(bits));
    }
    let tmp = builder.tempfile_in(&dir).map_err(io_err)?;
    // Held until the rename: an unlocked partial file is a dead run's.
    tmp.as_file().try_lock().map_err(|e| io_err(e.into()))?;
    #[cfg(unix)]
    if let Mode::Exactly(m) = mode {
        // The umask applied at creation; the replaced file's mode is kept.
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(fs::Permissions::from_mode(m))
            .map_err(io_err)?;
    }
    fill(tmp.as_file()).map_err(io_err)?;
    tmp.as_file().sync_all().map_err(io_err)?;
    if force {
        tmp.persist(path).map_err(|e| io_err(e.error))?;
    } else {
        tmp.persist_noclobber(path).map_err(|e| {
            if e.error.kind() == io::ErrorKind::AlreadyExists {
                WriteError::Exists(path.to_path_buf())
            } else {
                io_err(e.error)
            }
        })?;
    }
    Ok(())
}

/// The mode a file must keep when it is rewritten in place (`attest`),
/// after refusing what an in-place rewrite would silently change: a
/// symbolic link (the link would be replaced by a file, and the file it
/// names left as it was) or a file with other hard links (they would keep
/// the old content).
pub fn in_place_mode(path: &Path) -> Result<u32, WriteError> {
    let meta = fs::symlink_metadata(path).map_err(|source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    if meta.file_type().is_symlink() {
        return Err(WriteError::Refused(
            path.to_path_buf(),
            "is a symbolic link; attest it with -o OUT, or name the file it points to",
        ));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if meta.nlink() > 1 {
            return Err(WriteError::Refused(
                path.to_path_buf(),
                "has other hard links, which would keep the old bundle; attest it with -o OUT",
            ));
        }
        Ok(meta.mode() & 0o7777)
    }
    #[cfg(not(unix))]
    Ok(SHARED_MODE)
}

/// Removes the `.provseal-*.partial` files in `dir` that no run holds any
/// more (left by a run that was killed or lost its power), and returns
/// them; files another run is still writing are locked and left alone.
pub fn remove_stale_partials(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut removed = Vec::new();
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with(".provseal-") && name.ends_with(".partial")) {
            continue;
        }
        let path = e.path();
        if !e.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        let Ok(f) = File::open(&path) else { continue };
        if f.try_lock().is_ok() && fs::remove_file(&path).is_ok() {
            removed.push(path);
        }
    }
    removed.sort();
    removed
}

/// [`remove_stale_partials`] for the directory a file is written to.
pub fn remove_stale_partials_beside(path: &Path) -> Vec<PathBuf> {
    remove_stale_partials(&dir_of(path))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::{PermissionsExt, symlink};

    #[test]
    fn links_are_never_followed_and_names_never_clobbered() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("precious");
        fs::write(&target, b"keep me").unwrap();
        let link = dir.path().join("out.zip");
        symlink(&target, &link).unwrap();
        assert!(matches!(
            write_atomically(&link, b"new", false),
            Err(WriteError::Exists(_))
        ));
        // Even a dangling link is a taken name.
        let dangling = dir.path().join("dangling.zip");
        symlink(dir.path().join("nowhere"), &dangling).unwrap();
        assert!(write_atomically(&dangling, b"new", false).is_err());
        assert!(!dir.path().join("nowhere").exists());
        // With force the link itself is replaced, and its target kept.
        write_atomically(&link, b"new", true).unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"keep me");
        assert!(
            !fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert!(matches!(
            in_place_mode(&dangling),
            Err(WriteError::Refused(..))
        ));
    }

    #[test]
    fn modes_and_stale_partials() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("b.zip");
        write_atomically(&out, b"x", false).unwrap();
        let mode = fs::metadata(&out).unwrap().permissions().mode() & 0o777;
        // 0644 under whatever umask the test runs with: never more.
        assert_eq!(mode & !0o644, 0, "{mode:o}");
        assert_ne!(mode & 0o600, 0);
        fs::set_permissions(&out, fs::Permissions::from_mode(0o640)).unwrap();
        assert_eq!(in_place_mode(&out).unwrap(), 0o640);
        write_with_mode(&out, true, Mode::Exactly(0o640), |f| (&*f).write_all(b"y")).unwrap();
        assert_eq!(
            fs::metadata(&out).unwrap().permissions().mode() & 0o777,
            0o640
        );
        let hard = dir.path().join("hard.zip");
        fs::hard_link(&out, &hard).unwrap();
        assert!(matches!(in_place_mode(&out), Err(WriteError::Refused(..))));

        let stale = dir.path().join(".provseal-dead.partial");
        fs::write(&stale, b"half").unwrap();
        let live = dir.path().join(".provseal-live.partial");
        let held = File::create(&live).unwrap();
        held.lock().unwrap();
        assert_eq!(remove_stale_partials(dir.path()), vec![stale.clone()]);
        assert!(!stale.exists() && live.exists());
    }
}
