//! Bundles in S3-compatible object storage (AWS S3, Garage, MinIO, Ceph),
//! named by `s3://bucket/key` URIs. Objects are verified as they are read,
//! never downloaded to disk: small ones are fetched whole into memory,
//! larger ones read through ranged GETs ([`ranged::RangedReader`]). Uploads
//! are single PUTs, which S3 publishes only when complete, so no reader
//! ever sees part of a bundle under its final key.
//!
//! Credentials and the endpoint come from the standard AWS environment
//! variables (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
//! `AWS_SESSION_TOKEN`, `AWS_REGION`, `AWS_ENDPOINT_URL`, …), then from the
//! shared profile files ([`profile`]), and an explicit endpoint overrides
//! both.

pub mod profile;
pub mod ranged;

use std::collections::HashMap;
use std::fmt;
use std::io::Cursor;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::TryStreamExt;
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::path::Path as ObjectPath;
use object_store::{ClientOptions, ObjectStore, ObjectStoreExt, PutPayload, RetryConfig};

use crate::verify::{SMALL_BUNDLE, Verified, VerifyOptions, verify_reader_with_text};

/// An `s3://bucket/key` URI.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct S3Uri {
    /// The bucket.
    pub bucket: String,
    /// The key, or a prefix; may be empty.
    pub key: String,
}

impl S3Uri {
    /// Reads `s3://bucket[/key]`; `None` for anything else.
    pub fn parse(s: &str) -> Option<S3Uri> {
        let rest = s.strip_prefix("s3://")?;
        let (bucket, key) = rest.split_once('/').unwrap_or((rest, ""));
        let ok = !bucket.is_empty()
            && bucket
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-.".contains(&b));
        ok.then(|| S3Uri {
            bucket: bucket.into(),
            key: key.into(),
        })
    }

    /// Whether a string names an object store location at all.
    pub fn is_uri(s: &str) -> bool {
        s.starts_with("s3://")
    }

    /// The URI of a key under this one (a prefix).
    pub fn join(&self, rest: &str) -> S3Uri {
        let sep = if self.key.is_empty() || self.key.ends_with('/') {
            ""
        } else {
            "/"
        };
        S3Uri {
            bucket: self.bucket.clone(),
            key: format!("{}{sep}{rest}", self.key),
        }
    }
}

impl fmt::Display for S3Uri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "s3://{}/{}", self.bucket, self.key)
    }
}

/// Why an object store operation failed.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum RemoteError {
    /// Not an `s3://bucket/key` URI.
    #[error("{0}: not an s3://bucket/key URI")]
    BadUri(String),
    /// No such object.
    #[error("{0}: no such object")]
    NotFound(String),
    /// The credentials were refused.
    #[error(
        "{0}: access denied (check AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY or the profile; on a cloud machine whose role gives access, --s3-instance-credentials): {1}"
    )]
    Denied(String, String),
    /// An object already exists where a new one would go.
    #[error("{0}: already exists (use --force to replace it)")]
    Exists(String),
    /// The object is larger than the caller can take.
    #[error("{0}: {1} bytes is more than the {2} that can be read here")]
    TooLarge(String, u64, u64),
    /// The server could not be reached or stopped answering (after the
    /// retries): the rest of the run fails fast rather than wait on it for
    /// every object.
    #[error("{0}: the object store cannot be reached: {1}")]
    Unreachable(String, String),
    /// The server failed otherwise.
    #[error("{0}: {1}")]
    Failed(String, String),
}

/// What a server said, as a person can read it: an S3 XML error body
/// becomes its `Code` and `Message` ("AccessDenied: Access Denied"), and
/// the client's own wording is kept otherwise, without the request URL
/// (the key may say anything) or a body after it.
fn server_words(text: &str) -> String {
    let tag = |name: &str| {
        let open = format!("<{name}>");
        let start = text.find(&open)? + open.len();
        let end = text[start..].find(&format!("</{name}>"))? + start;
        Some(text[start..end].trim().to_string())
    };
    if let Some(code) = tag("Code") {
        return match tag("Message") {
            Some(m) if !m.is_empty() => format!("the server said {code}: {m}"),
            _ => format!("the server said {code}"),
        };
    }
    let words: Vec<&str> = text
        .split_whitespace()
        .filter(|w| !w.contains("://"))
        .take_while(|w| !w.starts_with('<'))
        .collect();
    words.join(" ")
}

impl RemoteError {
    fn from_store(uri: &S3Uri, e: object_store::Error) -> RemoteError {
        let u = uri.to_string();
        match e {
            object_store::Error::NotFound { .. } => RemoteError::NotFound(u),
            object_store::Error::AlreadyExists { .. }
            | object_store::Error::Precondition { .. } => RemoteError::Exists(u),
            object_store::Error::PermissionDenied { source, .. }
            | object_store::Error::Unauthenticated { source, .. } => {
                RemoteError::Denied(u, server_words(&source.to_string()))
            }
            other => {
                // SigV4 mismatches come back as 403 inside generic errors
                // from some servers: name them for what they are. The text
                // holds the request's URL, whose key may say anything
                // ("0403.zip"), so only the rest of it is read.
                let raw = other.to_string();
                let text = server_words(&raw);
                let said = raw
                    .split_whitespace()
                    .filter(|w| !w.contains("://"))
                    .collect::<Vec<_>>()
                    .join(" ");
                if said.contains("status code: 403")
                    || said.contains("SignatureDoesNotMatch")
                    || said.contains("InvalidAccessKeyId")
                    || said.contains("AccessDenied")
                {
                    RemoteError::Denied(u, text)
                } else if said.contains("error sending request")
                    || said.contains("timed out")
                    || said.contains("connection")
                {
                    RemoteError::Unreachable(u, text)
                } else {
                    RemoteError::Failed(u, text)
                }
            }
        }
    }
}

/// How to reach the object store.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct S3Config {
    /// An endpoint URL for S3-compatible servers (`--endpoint`); it wins
    /// over `AWS_ENDPOINT_URL` and the profile.
    pub endpoint: Option<String>,
    /// Per-request timeout: a server that stops answering fails the
    /// request instead of hanging the run.
    pub timeout: Duration,
    /// Ask the cloud instance-metadata service for credentials when none
    /// are configured. Off by default: with no credentials in the
    /// environment or the profile, requests go unsigned (which a public
    /// bucket answers) and nothing else is contacted, so that a laptop
    /// never sends a request to an address it was not given.
    pub instance_credentials: bool,
}

impl Default for S3Config {
    fn default() -> Self {
        S3Config {
            endpoint: None,
            timeout: Duration::from_secs(30),
            instance_credentials: false,
        }
    }
}

/// A client for the buckets named in one run.
pub struct S3 {
    rt: tokio::runtime::Runtime,
    config: S3Config,
    stores: Mutex<HashMap<String, Arc<AmazonS3>>>,
    /// Set once the server could not be reached after retries.
    down: std::sync::atomic::AtomicBool,
}

impl fmt::Debug for S3 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("S3").field("config", &self.config).finish()
    }
}

/// One object found under a prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    /// Its URI.
    pub uri: S3Uri,
    /// Its size in bytes.
    pub size: u64,
}

impl S3 {
    /// A client; nothing is contacted until it is used.
    pub fn new(config: S3Config) -> Result<S3, RemoteError> {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(|e| RemoteError::Failed("s3".into(), e.to_string()))?;
        Ok(S3 {
            rt,
            config,
            stores: Mutex::new(HashMap::new()),
            down: std::sync::atomic::AtomicBool::new(false),
        })
    }

    /// Runs one request. Once a request could not reach the server even
    /// after its retries, every later one fails at once: a fixity run over
    /// thousands of objects reports each of them as unreadable in seconds
    /// instead of waiting out the retries one by one.
    fn run<T>(
        &self,
        uri: &S3Uri,
        request: impl std::future::Future<Output = object_store::Result<T>>,
    ) -> Result<T, RemoteError> {
        use std::sync::atomic::Ordering;
        if self.down.load(Ordering::Relaxed) {
            return Err(RemoteError::Unreachable(
                uri.to_string(),
                "it stopped answering earlier in this run".into(),
            ));
        }
        // The client's own timeouts should end every request, but a GET
        // whose connection was cut mid-body was once seen to wait forever
        // with no socket and no timer left (tests/it/s3.rs, about 1 run in
        // 40). This bound covers a request, its two retries and their
        // back-off, and turns any such wait into "unreachable".
        let limit = self.config.timeout.saturating_mul(4);
        let r = match self
            .rt
            .block_on(async { tokio::time::timeout(limit, request).await })
        {
            Ok(r) => r.map_err(|e| RemoteError::from_store(uri, e)),
            Err(_) => Err(RemoteError::Unreachable(
                uri.to_string(),
                format!("no answer within {} s", limit.as_secs()),
            )),
        };
        if matches!(r, Err(RemoteError::Unreachable(..))) {
            self.down.store(true, Ordering::Relaxed);
        }
        r
    }

    fn store(&self, uri: &S3Uri) -> Result<Arc<AmazonS3>, RemoteError> {
        let mut stores = self.stores.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(s) = stores.get(&uri.bucket) {
            return Ok(s.clone());
        }
        let profile = profile::active();
        let env = |k: &str| std::env::var_os(k).is_some();
        let mut b = AmazonS3Builder::from_env().with_bucket_name(&uri.bucket);
        for (file_key, env_key, set) in [
            ("aws_access_key_id", "AWS_ACCESS_KEY_ID", 0),
            ("aws_secret_access_key", "AWS_SECRET_ACCESS_KEY", 1),
            ("aws_session_token", "AWS_SESSION_TOKEN", 2),
            ("region", "AWS_REGION", 3),
            ("endpoint_url", "AWS_ENDPOINT_URL", 4),
        ] {
            if let Some(v) = profile.get(file_key).filter(|_| !env(env_key)) {
                b = match set {
                    0 => b.with_access_key_id(v),
                    1 => b.with_secret_access_key(v),
                    2 => b.with_token(v),
                    3 => b.with_region(v),
                    _ => b.with_endpoint(v),
                };
            }
        }
        // Credentials the user configured: keys, a web identity, a
        // container's. Without any, object_store would ask the instance
        // metadata address (169.254.169.254), which the user never named.
        let configured = env("AWS_ACCESS_KEY_ID")
            || profile.contains_key("aws_access_key_id")
            || env("AWS_WEB_IDENTITY_TOKEN_FILE")
            || env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")
            || env("AWS_CONTAINER_CREDENTIALS_FULL_URI");
        if !configured && !self.config.instance_credentials {
            b = b.with_skip_signature(true);
        }
        if !env("AWS_REGION") && !env("AWS_DEFAULT_REGION") && !profile.contains_key("region") {
            b = b.with_region("us-east-1");
        }
        let endpoint = self
            .config
            .endpoint
            .clone()
            .or_else(|| std::env::var("AWS_ENDPOINT_URL").ok())
            .or_else(|| profile.get("endpoint_url").cloned());
        let plain_http = endpoint
            .as_deref()
            .is_some_and(|e| e.starts_with("http://"));
        if let Some(e) = &endpoint {
            b = b.with_endpoint(e).with_virtual_hosted_style_request(false);
        }
        let retry = RetryConfig {
            max_retries: 2,
            retry_timeout: self.config.timeout,
            ..RetryConfig::default()
        };
        let store = b
            .with_client_options(
                // The client options carry allow-http too: set it here, or
                // they would reset it.
                ClientOptions::new()
                    .with_allow_http(plain_http)
                    .with_timeout(self.config.timeout)
                    .with_connect_timeout(self.config.timeout.min(Duration::from_secs(10))),
            )
            .with_retry(retry)
            .build()
            .map_err(|e| RemoteError::Failed(uri.to_string(), e.to_string()))?;
        let store = Arc::new(store);
        stores.insert(uri.bucket.clone(), store.clone());
        Ok(store)
    }

    /// The objects named by `uri`: the object itself when it exists, else
    /// every object below it (as a folder) whose key ends in `.zip`, in key
    /// order.
    pub fn list(&self, uri: &S3Uri) -> Result<Vec<Listed>, RemoteError> {
        let store = self.store(uri)?;
        if !uri.key.is_empty() && !uri.key.ends_with('/') {
            match self.size(uri) {
                Ok(size) => {
                    return Ok(vec![Listed {
                        uri: uri.clone(),
                        size,
                    }]);
                }
                Err(RemoteError::NotFound(_)) => {}
                Err(e) => return Err(e),
            }
        }
        // "Under" a key means below it as a folder: `s3://b/news` lists
        // `news/…`, not `newsletters/…`.
        let prefix = (!uri.key.is_empty()).then(|| ObjectPath::from(uri.key.trim_end_matches('/')));
        let metas: Vec<object_store::ObjectMeta> =
            self.run(uri, store.list(prefix.as_ref()).try_collect())?;
        let mut out: Vec<Listed> = metas
            .into_iter()
            .filter(|m| m.location.as_ref().ends_with(".zip"))
            .map(|m| Listed {
                uri: S3Uri {
                    bucket: uri.bucket.clone(),
                    key: m.location.to_string(),
                },
                size: m.size,
            })
            .collect();
        out.sort_by(|a, b| a.uri.key.cmp(&b.uri.key));
        Ok(out)
    }

    /// The size of an object.
    pub fn size(&self, uri: &S3Uri) -> Result<u64, RemoteError> {
        let store = self.store(uri)?;
        self.run(uri, store.head(&ObjectPath::from(uri.key.as_str())))
            .map(|m| m.size)
    }

    /// Whether an object exists.
    pub fn exists(&self, uri: &S3Uri) -> Result<bool, RemoteError> {
        match self.size(uri) {
            Ok(_) => Ok(true),
            Err(RemoteError::NotFound(_)) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Bytes `range` of an object.
    pub fn get_range(
        &self,
        uri: &S3Uri,
        range: std::ops::Range<u64>,
    ) -> Result<Vec<u8>, RemoteError> {
        let store = self.store(uri)?;
        self.run(
            uri,
            store.get_range(&ObjectPath::from(uri.key.as_str()), range),
        )
        .map(|b| b.to_vec())
    }

    /// A whole object of at most `cap` bytes, in one GET: the size the
    /// server declares is checked before the body is read, and the body is
    /// cut off at `cap` whatever it declared.
    pub fn get(&self, uri: &S3Uri, cap: u64) -> Result<Vec<u8>, RemoteError> {
        let store = self.store(uri)?;
        let path = ObjectPath::from(uri.key.as_str());
        let got = self.run(uri, async move {
            let r = store.get(&path).await?;
            let declared = r.meta.size;
            if declared > cap {
                return Ok(Err(declared));
            }
            let mut body = r.into_stream();
            let mut out = Vec::with_capacity(usize::try_from(declared).unwrap_or(0));
            while let Some(chunk) = body.try_next().await? {
                if (out.len() + chunk.len()) as u64 > cap {
                    return Ok(Err((out.len() + chunk.len()) as u64));
                }
                out.extend_from_slice(&chunk);
            }
            Ok(Ok(out))
        })?;
        got.map_err(|size| RemoteError::TooLarge(uri.to_string(), size, cap))
    }

    /// Uploads `bytes` as one object. Without `overwrite`, an existing
    /// object is never replaced (checked just before the upload).
    pub fn put(&self, uri: &S3Uri, bytes: &[u8], overwrite: bool) -> Result<(), RemoteError> {
        if !overwrite && self.exists(uri)? {
            return Err(RemoteError::Exists(uri.to_string()));
        }
        let store = self.store(uri)?;
        self.run(
            uri,
            store.put(
                &ObjectPath::from(uri.key.as_str()),
                PutPayload::from(bytes.to_vec()),
            ),
        )
        .map(|_| ())
    }

    /// Fetches the object at `uri` (of `size` bytes when listed, 0 when not
    /// known) for verification: whole, in one GET, when it is small enough to hold in
    /// memory, else nothing yet (it is read through ranged GETs as it is
    /// verified). This is the part of verifying an object that waits on the
    /// network, so callers can run many at once and keep the CPU for
    /// [`S3::verify_fetched`].
    pub fn fetch(&self, uri: &S3Uri, size: u64) -> Result<Fetched, RemoteError> {
        if size <= SMALL_BUNDLE {
            match self.get(uri, SMALL_BUNDLE) {
                Ok(bytes) => return Ok(Fetched::Whole(bytes)),
                // It grew since it was listed: stream it instead.
                Err(RemoteError::TooLarge(_, now, _)) => return Ok(Fetched::Ranged(now)),
                Err(e) => return Err(e),
            }
        }
        Ok(Fetched::Ranged(size))
    }

    /// Verifies an object [`S3::fetch`]ed from `uri`: the report and the
    /// article text as that one read checked it (see [`Verified`]). A
    /// failure to read the object is an `Err`, which callers report as an
    /// unreadable bundle (E001).
    pub fn verify_fetched(
        &self,
        uri: &S3Uri,
        fetched: &Fetched,
        opts: &VerifyOptions,
    ) -> Result<Verified, RemoteError> {
        let io = |e: std::io::Error| RemoteError::Failed(uri.to_string(), e.to_string());
        match fetched {
            Fetched::Whole(bytes) => {
                let len = bytes.len() as u64;
                verify_reader_with_text(&mut Cursor::new(bytes), len, opts).map_err(io)
            }
            Fetched::Ranged(size) => {
                let mut r = ranged::RangedReader::new(self, uri.clone(), *size);
                verify_reader_with_text(&mut r, *size, opts).map_err(io)
            }
        }
    }

    /// [`S3::fetch`] then [`S3::verify_fetched`].
    pub fn verify(
        &self,
        uri: &S3Uri,
        size: u64,
        opts: &VerifyOptions,
    ) -> Result<Verified, RemoteError> {
        let fetched = self.fetch(uri, size)?;
        self.verify_fetched(uri, &fetched, opts)
    }
}

/// An object as [`S3::fetch`] left it for verification.
#[derive(Debug)]
pub enum Fetched {
    /// All of its bytes (at most [`SMALL_BUNDLE`]).
    Whole(Vec<u8>),
    /// Too large to hold: its size, to be read through ranged GETs.
    Ranged(u64),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_are_named_by_what_the_server_said_not_by_the_key() {
        let uri = S3Uri::parse("s3://b/many/0403.zip").unwrap();
        let generic = |text: &str| object_store::Error::Generic {
            store: "S3",
            source: text.to_string().into(),
        };
        let url = "http://127.0.0.1:9000/b/many/0403.zip";
        let cut = generic(&format!(
            "Error performing GET {url} in 250ms, after 2 retries - HTTP error: error sending request"
        ));
        assert!(matches!(
            RemoteError::from_store(&uri, cut),
            RemoteError::Unreachable(..)
        ));
        let refused = generic(&format!(
            "Error performing GET {url} in 3ms - Server returned non-2xx status code: 403 Forbidden: <Code>SignatureDoesNotMatch</Code>"
        ));
        assert!(matches!(
            RemoteError::from_store(&uri, refused),
            RemoteError::Denied(..)
        ));
        let odd = generic(&format!(
            "Error performing GET {url}/connection-timed-out.zip in 3ms - Server returned non-2xx status code: 500 Internal Server Error"
        ));
        assert!(matches!(
            RemoteError::from_store(&uri, odd),
            RemoteError::Failed(..)
        ));
    }

    #[test]
    fn server_answers_are_read_not_pasted() {
        let xml = "Error performing GET http://127.0.0.1:9000/b/k.zip in 3ms - Server returned non-2xx status code: 403 Forbidden: <?xml version=\"1.0\"?><Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match</Message></Error>";
        assert_eq!(
            server_words(xml),
            "the server said SignatureDoesNotMatch: The request signature we calculated does not match"
        );
        assert_eq!(
            server_words(
                "Error performing GET http://h/b/k in 250ms, after 2 retries - HTTP error: error sending request"
            ),
            "Error performing GET in 250ms, after 2 retries - HTTP error: error sending request"
        );
    }

    #[test]
    fn uris_parse_and_join() {
        let u = S3Uri::parse("s3://archive-1/evidence/2018").unwrap();
        assert_eq!(
            (u.bucket.as_str(), u.key.as_str()),
            ("archive-1", "evidence/2018")
        );
        assert_eq!(
            u.join("a.zip").to_string(),
            "s3://archive-1/evidence/2018/a.zip"
        );
        assert_eq!(S3Uri::parse("s3://b").unwrap().key, "");
        assert_eq!(
            S3Uri::parse("s3://b/").unwrap().join("x").to_string(),
            "s3://b/x"
        );
        for bad in ["s3://", "s3:///k", "http://b/k", "s3://Bad_Bucket/k"] {
            assert_eq!(S3Uri::parse(bad), None, "{bad}");
        }
    }
}
