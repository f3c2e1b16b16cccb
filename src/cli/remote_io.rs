//! `s3://bucket/key` wherever the CLI reads or writes bundles. The client
//! is made once, on first use, from the AWS environment and profile and the
//! global `--endpoint`; a run that names no URI never makes one.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use provseal::archive::batch::{self, Candidate, Checked, Discovery, Gate};
use provseal::archive::remote::{RemoteError, S3, S3Config, S3Uri};
use provseal::verify::{Report, Verified, VerifyOptions};

static CONFIG: OnceLock<S3Config> = OnceLock::new();
static CLIENT: OnceLock<Result<S3, String>> = OnceLock::new();
static REQUESTS: OnceLock<usize> = OnceLock::new();
static FETCHING: OnceLock<Gate> = OnceLock::new();

/// Sets the endpoint, the timeout and the requests kept in flight for the
/// run (before any use).
pub fn configure(endpoint: Option<String>, timeout_secs: u64, requests: usize) {
    let _ = CONFIG.set(S3Config {
        endpoint,
        timeout: Duration::from_secs(timeout_secs.max(1)),
    });
    let _ = REQUESTS.set(requests.max(1));
}

fn requests() -> usize {
    REQUESTS.get().copied().unwrap_or(1)
}

/// At most `--s3-requests` whole-object fetches at once, whatever the
/// number of threads.
fn fetching() -> &'static Gate {
    FETCHING.get_or_init(|| Gate::new(requests()))
}

/// Fetches an object for verification within `--s3-requests`.
pub fn fetch(
    s3: &S3,
    uri: &S3Uri,
    size: u64,
) -> Result<provseal::archive::remote::Fetched, String> {
    fetching()
        .run(|| s3.fetch(uri, size))
        .map_err(|e| e.to_string())
}

/// Threads for a run over `paths` with `jobs` for the CPU: when any is an
/// object, enough for `--s3-requests` fetches in flight. Verifying an
/// object from a bucket is mostly waiting on one GET, so `jobs` threads
/// alone would leave both the CPU and the network idle; the threads beyond
/// `jobs` wait on the network, and a [`Gate`] of `jobs` keeps the
/// verifying to `jobs` at a time.
pub fn threads_for<'a>(paths: impl IntoIterator<Item = &'a Path>, jobs: usize) -> usize {
    if paths.into_iter().any(is_remote) {
        jobs.max(requests())
    } else {
        jobs
    }
}

/// The run's client.
pub fn client() -> Result<&'static S3, String> {
    CLIENT
        .get_or_init(|| {
            S3::new(CONFIG.get().cloned().unwrap_or_default()).map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(Clone::clone)
}

/// The URI a path names, if it names one.
pub fn uri_of(p: &Path) -> Option<S3Uri> {
    p.to_str().and_then(S3Uri::parse)
}

/// Whether a path is written as an `s3://` URI (valid or not).
pub fn is_remote(p: &Path) -> bool {
    p.to_str().is_some_and(S3Uri::is_uri)
}

fn bad(p: &Path) -> String {
    RemoteError::BadUri(p.display().to_string()).to_string()
}

/// [`batch::discover`], with `s3://` URIs listed in the bucket: an object,
/// or every `*.zip` object under a prefix. A bucket that cannot be listed
/// (no such bucket, refused credentials, no server) stops the run.
pub fn discover(inputs: &[PathBuf]) -> Result<Discovery, String> {
    let (remote, local): (Vec<&PathBuf>, Vec<&PathBuf>) = inputs.iter().partition(|p| is_remote(p));
    let local: Vec<PathBuf> = local.into_iter().cloned().collect();
    let mut found = batch::discover(&local);
    for p in remote {
        let uri = uri_of(p).ok_or_else(|| bad(p))?;
        let listed = client()?.list(&uri).map_err(|e| e.to_string())?;
        if listed.is_empty() && uri.key.ends_with(".zip") {
            // A named bundle that is not there is a finding (E001), as a
            // missing file is, not an empty run.
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

/// Verifies one bundle, local or remote, with the verifying itself inside
/// `cpu`; a remote object that cannot be read is an unreadable bundle
/// (E001), as a vanished file is.
pub fn check(c: &Candidate, opts: &VerifyOptions, cpu: &Gate) -> Checked {
    let Some(uri) = uri_of(&c.path) else {
        return cpu.run(|| batch::verify_file(&c.path, opts));
    };
    let start = std::time::Instant::now();
    let result = client().and_then(|s3| {
        // A size of 0 (not listed) makes the fetch find it out.
        let fetched = fetch(s3, &uri, c.size)?;
        cpu.run(|| s3.verify_fetched(&uri, &fetched, opts))
            .map(|v| v.report)
            .map_err(|e| e.to_string())
    });
    batch::checked(result, "object", start)
}

/// [`batch::verify_all`] for local and remote bundles alike, on `jobs`
/// threads of verifying (see [`threads_for`]).
pub fn verify_all<F>(bundles: &[Candidate], opts: &VerifyOptions, jobs: usize, mut sink: F)
where
    F: FnMut(usize, &Candidate, Checked),
{
    let cpu = Gate::new(jobs);
    batch::for_each_in_order(
        bundles,
        threads_for(bundles.iter().map(|c| c.path.as_path()), jobs),
        |c| check(c, opts, &cpu),
        |i, checked| sink(i, &bundles[i], checked),
    );
}

/// Verifies one named bundle and keeps its article text as that one read
/// checked it (`compare`): never a second read, which could find other
/// bytes than those verified.
pub fn verify_with_text(p: &Path, opts: &VerifyOptions) -> Result<Verified, String> {
    match uri_of(p) {
        None if is_remote(p) => Err(bad(p)),
        None => provseal::verify::verify_path_with_text(p, opts)
            .map_err(|e| format!("{}: {e}", p.display())),
        Some(uri) => client()?.verify(&uri, 0, opts).map_err(|e| e.to_string()),
    }
}

/// Verifies one named bundle (`cite`, `inspect`): `Err` when it cannot be
/// read at all.
pub fn verify_one(p: &Path, opts: &VerifyOptions) -> Result<Report, String> {
    match uri_of(p) {
        None if is_remote(p) => Err(bad(p)),
        None => provseal::verify::verify_path(p, opts).map_err(|e| format!("{}: {e}", p.display())),
        Some(uri) => client()?
            .verify(&uri, 0, opts)
            .map(|v| v.report)
            .map_err(|e| e.to_string()),
    }
}

/// Whether a bundle exists at `p`.
pub fn exists(p: &Path) -> Result<bool, String> {
    match uri_of(p) {
        None if is_remote(p) => Err(bad(p)),
        None => Ok(provseal::archive::atomic::name_taken(p)),
        Some(uri) => client()?.exists(&uri).map_err(|e| e.to_string()),
    }
}

/// Writes a new bundle at `p`: atomically in a file, or as one PUT, which
/// the store publishes only when complete. Without `overwrite`, an
/// existing bundle is never replaced.
pub fn write(p: &Path, bytes: &[u8], overwrite: bool) -> Result<(), String> {
    match uri_of(p) {
        None if is_remote(p) => Err(bad(p)),
        None => provseal::pack::write_atomically(p, bytes, overwrite).map_err(|e| e.to_string()),
        Some(uri) => client()?
            .put(&uri, bytes, overwrite)
            .map_err(|e| e.to_string()),
    }
}
