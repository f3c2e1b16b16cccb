//! A real S3-compatible server on loopback for the object-storage tests.
//!
//! By default each test starts its own `s3s-fs` (which checks SigV4), found
//! as `$PROVSEAL_S3S_FS`, else on the PATH or in ~/.cargo/bin; `.ci/run`
//! installs it. With `PROVSEAL_TEST_S3_ENDPOINT` set, the same tests run
//! against that server instead (Garage, MinIO, Ceph, AWS), in the bucket
//! `PROVSEAL_TEST_S3_BUCKET` with `PROVSEAL_TEST_S3_ACCESS_KEY`,
//! `PROVSEAL_TEST_S3_SECRET_KEY` and `PROVSEAL_TEST_S3_REGION` (default
//! `us-east-1`); each test then works under its own fresh prefix there.
//!
//! Tests name objects as `"bucket/key"` paths and turn them into URIs with
//! [`S3Server::uri`]; they read, write and damage objects through the S3
//! API itself ([`S3Server::read`], [`S3Server::write`]), never through a
//! server's files, so nothing depends on how a server stores them.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStoreExt, PutPayload};

/// A server the tests can use; an s3s-fs it started is killed when dropped.
pub struct S3Server {
    pub endpoint: String,
    pub access_key: String,
    pub secret_key: String,
    pub region: String,
    /// For an external server: its bucket, and this test's prefix in it.
    external: Option<(String, String)>,
    child: Option<Child>,
    _tmp: Option<tempfile::TempDir>,
}

fn binary() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("PROVSEAL_S3S_FS") {
        return Some(PathBuf::from(p));
    }
    let on_path = std::env::var_os("PATH")
        .map(|p| {
            std::env::split_paths(&p)
                .map(|d| d.join("s3s-fs"))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    let home = std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo/bin/s3s-fs"));
    on_path.into_iter().chain(home).find(|p| p.is_file())
}

fn wait_listening(port: u16, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "{what} did not start listening");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl S3Server {
    /// A server holding the given buckets (each test's own), or `None`
    /// (the test is skipped) when s3s-fs is not installed and no external
    /// server is named, which fails under CI.
    pub fn start(buckets: &[&str]) -> Option<S3Server> {
        if let Ok(endpoint) = std::env::var("PROVSEAL_TEST_S3_ENDPOINT") {
            return Some(Self::external(endpoint));
        }
        let Some(bin) = binary() else {
            super::skipped_without(
                "s3s-fs",
                "cargo install s3s-fs@0.14.1 --features binary --locked",
            );
            return None;
        };
        let (access_key, secret_key) = ("provseal-test-access", "provseal-test-secret-key");
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("data");
        for b in buckets {
            std::fs::create_dir_all(root.join(b)).unwrap();
        }
        let port = free_port();
        let child = Command::new(bin)
            .args(["--host", "127.0.0.1", "--port", &port.to_string()])
            .args(["--access-key", access_key, "--secret-key", secret_key])
            .arg(&root)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("s3s-fs starts");
        wait_listening(port, "s3s-fs");
        Some(S3Server {
            endpoint: format!("http://127.0.0.1:{port}"),
            access_key: access_key.into(),
            secret_key: secret_key.into(),
            region: "us-east-1".into(),
            external: None,
            child: Some(child),
            _tmp: Some(tmp),
        })
    }

    fn external(endpoint: String) -> S3Server {
        let var = |k: &str| {
            std::env::var(k).unwrap_or_else(|_| panic!("PROVSEAL_TEST_S3_ENDPOINT needs {k}"))
        };
        static RUNS: AtomicUsize = AtomicUsize::new(0);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let prefix = format!(
            "provseal-test-{}-{nanos}-{}",
            std::process::id(),
            RUNS.fetch_add(1, Ordering::Relaxed)
        );
        S3Server {
            endpoint,
            access_key: var("PROVSEAL_TEST_S3_ACCESS_KEY"),
            secret_key: var("PROVSEAL_TEST_S3_SECRET_KEY"),
            region: std::env::var("PROVSEAL_TEST_S3_REGION").unwrap_or_else(|_| "us-east-1".into()),
            external: Some((var("PROVSEAL_TEST_S3_BUCKET"), prefix)),
            child: None,
            _tmp: None,
        }
    }

    /// Bucket and key of a test's `"bucket/key"` path on this server.
    fn locate(&self, path: &str) -> (String, String) {
        let (bucket, key) = path.split_once('/').unwrap_or((path, ""));
        match &self.external {
            None => (bucket.to_string(), key.to_string()),
            Some((real, prefix)) => {
                let key = if key.is_empty() {
                    format!("{prefix}/{bucket}")
                } else {
                    format!("{prefix}/{bucket}/{key}")
                };
                (real.clone(), key)
            }
        }
    }

    /// The `s3://` URI of a test's `"bucket/key"` path.
    pub fn uri(&self, path: &str) -> String {
        match self.locate(path) {
            (b, k) if k.is_empty() => format!("s3://{b}"),
            (b, k) => format!("s3://{b}/{k}"),
        }
    }

    fn store(&self, bucket: &str) -> AmazonS3 {
        AmazonS3Builder::new()
            .with_endpoint(&self.endpoint)
            .with_bucket_name(bucket)
            .with_access_key_id(&self.access_key)
            .with_secret_access_key(&self.secret_key)
            .with_region(&self.region)
            .with_allow_http(true)
            .with_virtual_hosted_style_request(false)
            .build()
            .unwrap()
    }

    fn block_on<T>(f: impl std::future::Future<Output = T>) -> T {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap()
            .block_on(f)
    }

    /// The bytes of an object, or `None` when there is none.
    pub fn read(&self, path: &str) -> Option<Vec<u8>> {
        let (bucket, key) = self.locate(path);
        let store = self.store(&bucket);
        Self::block_on(async move {
            match store.get(&ObjectPath::from(key)).await {
                Ok(r) => Some(r.bytes().await.unwrap().to_vec()),
                Err(object_store::Error::NotFound { .. }) => None,
                Err(e) => panic!("{path}: {e}"),
            }
        })
    }

    /// Writes an object (replacing any).
    pub fn write(&self, path: &str, bytes: &[u8]) {
        let (bucket, key) = self.locate(path);
        let store = self.store(&bucket);
        let payload = PutPayload::from(bytes.to_vec());
        Self::block_on(async move { store.put(&ObjectPath::from(key), payload).await })
            .unwrap_or_else(|e| panic!("{path}: {e}"));
    }

    /// Writes `bytes` as each of `paths`, many requests at once.
    pub fn write_many(&self, paths: &[String], bytes: &[u8]) {
        use futures_util::StreamExt;
        let stores: Vec<(AmazonS3, String)> = paths
            .iter()
            .map(|p| {
                let (bucket, key) = self.locate(p);
                (self.store(&bucket), key)
            })
            .collect();
        Self::block_on(async move {
            futures_util::stream::iter(stores)
                .map(|(store, key)| {
                    let payload = PutPayload::from(bytes.to_vec());
                    async move { store.put(&ObjectPath::from(key), payload).await }
                })
                .buffer_unordered(16)
                .for_each(|r| async move {
                    r.unwrap();
                })
                .await;
        });
    }

    /// Flips one bit of an object's byte `at` (counted from the end when
    /// negative), through a GET and a PUT.
    pub fn flip(&self, path: &str, at: i64) {
        let mut bytes = self
            .read(path)
            .unwrap_or_else(|| panic!("{path}: no object"));
        let i = if at < 0 {
            bytes.len() - at.unsigned_abs() as usize
        } else {
            at as usize
        };
        bytes[i] ^= 0x01;
        self.write(path, &bytes);
    }

    /// The `provseal` command with this server's endpoint and credentials.
    pub fn provseal(&self, dir: &std::path::Path) -> assert_cmd::Command {
        self.provseal_at(dir, &self.endpoint)
    }

    /// The `provseal` command with this server's credentials and the given
    /// endpoint (a [`Proxy`] in front of it).
    pub fn provseal_at(&self, dir: &std::path::Path, endpoint: &str) -> assert_cmd::Command {
        let mut c = super::cli::provseal();
        c.current_dir(dir)
            .env("AWS_ACCESS_KEY_ID", &self.access_key)
            .env("AWS_SECRET_ACCESS_KEY", &self.secret_key)
            .env("AWS_REGION", &self.region)
            .env_remove("AWS_PROFILE")
            .env_remove("AWS_ENDPOINT_URL")
            .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
            .env("AWS_CONFIG_FILE", "/nonexistent")
            .args(["--endpoint", endpoint]);
        c
    }

    /// A TCP relay on loopback in front of this server, which a test can
    /// take away mid-run as if the server had died, whichever server it is.
    pub fn proxy(&self) -> Proxy {
        let target = self
            .endpoint
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_string();
        Proxy::start(target)
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// A byte-for-byte TCP relay. SigV4 signs the Host header, which the relay
/// passes on unchanged, so requests through it are signed for it and the
/// server behind accepts them.
pub struct Proxy {
    pub endpoint: String,
    gone: Arc<AtomicBool>,
    open: Arc<Mutex<Vec<TcpStream>>>,
    port: u16,
    /// Requests in flight now, and the most ever in flight at once.
    load: Arc<(AtomicUsize, AtomicUsize)>,
}

impl Proxy {
    fn start(target: String) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let gone = Arc::new(AtomicBool::new(false));
        let open: Arc<Mutex<Vec<TcpStream>>> = Arc::default();
        let (g, o) = (gone.clone(), open.clone());
        let load: Arc<(AtomicUsize, AtomicUsize)> = Arc::default();
        let l = load.clone();
        std::thread::spawn(move || {
            for client in listener.incoming() {
                if g.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(client) = client else { continue };
                let Ok(server) = TcpStream::connect(&target) else {
                    continue;
                };
                {
                    // Checked under the lock that `stop` drains with, so a
                    // connection made while it stops is cut too.
                    let mut held = o.lock().unwrap();
                    if g.load(Ordering::SeqCst) {
                        let _ = client.shutdown(Shutdown::Both);
                        let _ = server.shutdown(Shutdown::Both);
                        break;
                    }
                    held.push(client.try_clone().unwrap());
                    held.push(server.try_clone().unwrap());
                }
                relay(
                    client.try_clone().unwrap(),
                    server.try_clone().unwrap(),
                    Direction::Up,
                    l.clone(),
                );
                relay(server, client, Direction::Down, l.clone());
            }
        });
        Proxy {
            endpoint: format!("http://127.0.0.1:{port}"),
            gone,
            open,
            port,
            load,
        }
    }

    /// The most requests that were in flight through the relay at once,
    /// each counted from the first byte of the request to the first byte
    /// of its response: a span inside the client's own, so this is never
    /// more than the client had in flight.
    pub fn most_in_flight(&self) -> usize {
        self.load.1.load(Ordering::SeqCst)
    }

    /// Takes the server away: open connections are cut and new ones are
    /// refused.
    pub fn stop(&self) {
        self.gone.store(true, Ordering::SeqCst);
        // Wake the accept loop so that it drops the listener.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        for s in self.open.lock().unwrap().drain(..) {
            let _ = s.shutdown(Shutdown::Both);
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Direction {
    /// Client to server: requests.
    Up,
    /// Server to client: responses.
    Down,
}

/// Copies `from` to `to` until `from` closes, counting requests in
/// `load`. HTTP/1.1 clients send a request only once the previous response
/// on the connection is complete, so a read that starts with a method
/// starts a request and one that starts with `HTTP/1.` starts a response.
fn relay(
    mut from: TcpStream,
    mut to: TcpStream,
    direction: Direction,
    load: Arc<(AtomicUsize, AtomicUsize)>,
) {
    std::thread::spawn(move || {
        let mut buf = [0u8; 64 * 1024];
        loop {
            match from.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    let chunk = &buf[..n];
                    match direction {
                        Direction::Up
                            if ["GET ", "HEAD ", "PUT ", "POST ", "DELETE "]
                                .iter()
                                .any(|m| chunk.starts_with(m.as_bytes())) =>
                        {
                            let now = load.0.fetch_add(1, Ordering::SeqCst) + 1;
                            load.1.fetch_max(now, Ordering::SeqCst);
                        }
                        Direction::Down if chunk.starts_with(b"HTTP/1.") => {
                            let _ = load
                                .0
                                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |v| {
                                    v.checked_sub(1)
                                });
                        }
                        _ => {}
                    }
                    if to.write_all(chunk).is_err() {
                        break;
                    }
                }
            }
        }
        let _ = to.shutdown(Shutdown::Write);
    });
}
