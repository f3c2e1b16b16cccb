//! Where bundles are read and written: a [`Location`] is a local file or
//! an object in an S3-compatible bucket, and a [`Storage`] reaches both
//! with one set of operations, so that no caller keeps twin code paths.
//!
//! A [`Storage`] is a value: its object-store settings and the number of
//! whole-object fetches kept in flight are given when it is made, and its
//! client is made on first use, so a run that names no `s3://` URI never
//! makes one. Nothing is process-wide.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Instant;

use super::atomic::{self, WriteError};
use super::batch::{self, Candidate, Checked, Discovery, Gate};
use super::remote::{Fetched, RemoteError, S3, S3Config, S3Uri};
use crate::verify::{self, Report, Verified, VerifyOptions};

/// A bundle's place: a file, or an object in a bucket.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Location {
    /// A local file.
    File(PathBuf),
    /// An object named by `s3://bucket/key`.
    Object(S3Uri),
}

impl Location {
    /// The location a path names: an object when it is written as an
    /// `s3://` URI, else a file. A path that starts `s3://` but is not a
    /// valid URI is refused rather than taken as a file name.
    pub fn of(p: &Path) -> Result<Location, StorageError> {
        match p.to_str() {
            Some(s) if S3Uri::is_uri(s) => S3Uri::parse(s)
                .map(Location::Object)
                .ok_or_else(|| StorageError::Remote(RemoteError::BadUri(s.to_string()))),
            _ => Ok(Location::File(p.to_path_buf())),
        }
    }

    /// Whether a path is written as an `s3://` URI (valid or not).
    pub fn is_remote(p: &Path) -> bool {
        p.to_str().is_some_and(S3Uri::is_uri)
    }

    /// What it is, for messages: `file` or `object`.
    pub fn kind(&self) -> &'static str {
        match self {
            Location::File(_) => "file",
            Location::Object(_) => "object",
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::File(p) => write!(f, "{}", p.display()),
            Location::Object(u) => write!(f, "{u}"),
        }
    }
}

/// Why reading or writing a location failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StorageError {
    /// The object store refused or failed, or the URI is not one.
    #[error(transparent)]
    Remote(#[from] RemoteError),
    /// A local file could not be read.
    #[error("{}: {}", .path.display(), crate::display::io_words(.source))]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// A local file could not be written.
    #[error(transparent)]
    Write(#[from] WriteError),
}

/// Files and objects, read and written alike.
#[derive(Debug)]
pub struct Storage {
    config: S3Config,
    requests: usize,
    client: OnceLock<Result<S3, RemoteError>>,
    fetching: Gate,
}

impl Default for Storage {
    fn default() -> Self {
        Storage::new(S3Config::default(), 1)
    }
}

impl Storage {
    /// Storage that reaches buckets with `config` and keeps at most
    /// `requests` whole-object fetches in flight (at least one), whatever
    /// the number of threads.
    pub fn new(config: S3Config, requests: usize) -> Storage {
        let requests = requests.max(1);
        Storage {
            config,
            requests,
            client: OnceLock::new(),
            fetching: Gate::new(requests),
        }
    }

    /// The object-store client, made on first use.
    pub fn client(&self) -> Result<&S3, StorageError> {
        self.client
            .get_or_init(|| S3::new(self.config.clone()))
            .as_ref()
            .map_err(|e| StorageError::Remote(e.clone()))
    }

    /// Threads for a run over `paths` with `jobs` for the CPU: when any is
    /// an object, enough for the fetches in flight. Verifying an object is
    /// mostly waiting on one GET, so `jobs` threads alone would leave both
    /// the CPU and the network idle; the threads beyond `jobs` wait on the
    /// network, and a [`Gate`] of `jobs` keeps the verifying to `jobs` at a
    /// time.
    pub fn threads_for<'a>(&self, paths: impl IntoIterator<Item = &'a Path>, jobs: usize) -> usize {
        if paths.into_iter().any(Location::is_remote) {
            jobs.max(self.requests)
        } else {
            jobs
        }
    }

    /// Fetches an object for verification, within the fetches in flight.
    pub fn fetch(&self, uri: &S3Uri, size: u64) -> Result<Fetched, StorageError> {
        let s3 = self.client()?;
        Ok(self.fetching.run(|| s3.fetch(uri, size))?)
    }

    /// [`batch::discover`], with `s3://` URIs listed in the bucket: an
    /// object, or every `*.zip` object under a prefix. A bucket that cannot
    /// be listed (no such bucket, refused credentials, no server) is an
    /// `Err`: the run cannot know what it holds.
    pub fn discover(&self, inputs: &[PathBuf]) -> Result<Discovery, StorageError> {
        let (remote, local): (Vec<&PathBuf>, Vec<&PathBuf>) =
            inputs.iter().partition(|p| Location::is_remote(p));
        let local: Vec<PathBuf> = local.into_iter().cloned().collect();
        let mut found = batch::discover(&local);
        for p in remote {
            let Location::Object(uri) = Location::of(p)? else {
                continue;
            };
            let listed = self.client()?.list(&uri)?;
            if listed.is_empty() && uri.key.ends_with(".zip") {
                // A named bundle that is not there is a finding (E001), as
                // a missing file is, not an empty run.
                found.bundles.push(Candidate {
                    path: p.clone(),
                    size: 0,
                });
            }
            for l in listed {
                found.bundles.push(Candidate {
                    path: PathBuf::from(l.uri.to_string()),
                    size: l.size,
                });
            }
        }
        Ok(found)
    }

    /// Verifies one candidate, local or remote, with the verifying itself
    /// inside `cpu`, keeping the article text as that one read checked it.
    /// A bundle that cannot be read at all is an unreadable bundle (E001),
    /// as a vanished file is, and has no text.
    pub fn check_with_text(
        &self,
        c: &Candidate,
        opts: &VerifyOptions,
        cpu: &Gate,
    ) -> (Checked, Option<Vec<u8>>) {
        let start = Instant::now();
        let (got, what) = match Location::of(&c.path) {
            Ok(Location::File(p)) => (
                cpu.run(|| {
                    verify::verify_path_with_text(&p, opts)
                        .map_err(|e| crate::display::io_words(&e))
                }),
                "file",
            ),
            Ok(Location::Object(uri)) => (
                self.fetch(&uri, c.size)
                    .map_err(|e| e.to_string())
                    .and_then(|fetched| {
                        cpu.run(|| {
                            self.client()?
                                .verify_fetched(&uri, &fetched, opts)
                                .map_err(StorageError::from)
                        })
                        .map_err(|e| e.to_string())
                    }),
                "object",
            ),
            Err(e) => (Err(e.to_string()), "object"),
        };
        match got {
            Ok(v) => (batch::checked(Ok(v.report), what, start), v.text),
            Err(e) => (batch::checked(Err(e), what, start), None),
        }
    }

    /// [`Storage::check_with_text`] without the text.
    pub fn check(&self, c: &Candidate, opts: &VerifyOptions, cpu: &Gate) -> Checked {
        self.check_with_text(c, opts, cpu).0
    }

    /// Verifies `bundles`, local and remote alike, with `jobs` verifying at
    /// a time (see [`Storage::threads_for`]), and hands each outcome to
    /// `sink` in input order.
    pub fn verify_all<F>(
        &self,
        bundles: &[Candidate],
        opts: &VerifyOptions,
        jobs: usize,
        mut sink: F,
    ) where
        F: FnMut(usize, &Candidate, Checked),
    {
        let cpu = Gate::new(jobs);
        batch::for_each_in_order(
            bundles,
            self.threads_for(bundles.iter().map(|c| c.path.as_path()), jobs),
            |c| self.check(c, opts, &cpu),
            |i, checked| sink(i, &bundles[i], checked),
        );
    }

    /// Verifies one named bundle and keeps its article text as that one
    /// read checked it: never a second read, which could find other bytes
    /// than those verified. `Err` when it cannot be read at all.
    pub fn verify_with_text(
        &self,
        p: &Path,
        opts: &VerifyOptions,
    ) -> Result<Verified, StorageError> {
        match Location::of(p)? {
            Location::File(path) => verify::verify_path_with_text(&path, opts)
                .map_err(|source| StorageError::Read { path, source }),
            Location::Object(uri) => Ok(self.client()?.verify(&uri, 0, opts)?),
        }
    }

    /// Verifies one named bundle: `Err` when it cannot be read at all.
    pub fn verify_one(&self, p: &Path, opts: &VerifyOptions) -> Result<Report, StorageError> {
        self.verify_with_text(p, opts).map(|v| v.report)
    }

    /// Whether anything is at `p` (for a file, a dangling link counts).
    pub fn exists(&self, p: &Path) -> Result<bool, StorageError> {
        match Location::of(p)? {
            Location::File(path) => Ok(atomic::name_taken(&path)),
            Location::Object(uri) => Ok(self.client()?.exists(&uri)?),
        }
    }

    /// Writes a new bundle at `p`: atomically in a file, or as one PUT,
    /// which the store publishes only when complete. Without `overwrite`,
    /// an existing bundle is never replaced.
    pub fn write(&self, p: &Path, bytes: &[u8], overwrite: bool) -> Result<(), StorageError> {
        match Location::of(p)? {
            Location::File(path) => Ok(atomic::write_atomically(&path, bytes, overwrite)?),
            Location::Object(uri) => Ok(self.client()?.put(&uri, bytes, overwrite)?),
        }
    }
}
