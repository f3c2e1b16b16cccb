//! A real S3-compatible server on loopback for the object-storage tests:
//! `s3s-fs` (which checks SigV4 and keeps objects as plain files, so a test
//! can damage one on disk). It is found as `$PROVSEAL_S3S_FS`, else
//! `s3s-fs` on the PATH or in ~/.cargo/bin; `.ci/run` installs it.

use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const ACCESS_KEY: &str = "provseal-test-access";
pub const SECRET_KEY: &str = "provseal-test-secret-key";

/// A running server; killed when dropped.
pub struct S3Server {
    pub endpoint: String,
    /// Where the objects are: `root/BUCKET/KEY`.
    pub root: PathBuf,
    child: Child,
    _tmp: tempfile::TempDir,
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

impl S3Server {
    /// Starts a server with the given buckets; `None` (the test is
    /// skipped) when s3s-fs is not installed, which fails under CI.
    pub fn start(buckets: &[&str]) -> Option<S3Server> {
        let Some(bin) = binary() else {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI must install s3s-fs (see .ci/run)"
            );
            eprintln!(
                "skipping: s3s-fs not installed (cargo install s3s-fs@0.14.1 --features binary --locked)"
            );
            return None;
        };
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("data");
        for b in buckets {
            std::fs::create_dir_all(root.join(b)).unwrap();
        }
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(bin)
            .args(["--host", "127.0.0.1", "--port", &port.to_string()])
            .args(["--access-key", ACCESS_KEY, "--secret-key", SECRET_KEY])
            .arg(&root)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("s3s-fs starts");
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "s3s-fs did not start listening");
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(S3Server {
            endpoint: format!("http://127.0.0.1:{port}"),
            root,
            child,
            _tmp: tmp,
        })
    }

    /// Stops the server: it goes away.
    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// The `provseal` command with this server's endpoint and credentials.
    pub fn provseal(&self, dir: &std::path::Path) -> assert_cmd::Command {
        let mut c = super::cli::provseal();
        c.current_dir(dir)
            .env("AWS_ACCESS_KEY_ID", ACCESS_KEY)
            .env("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
            .env("AWS_REGION", "us-east-1")
            .env_remove("AWS_PROFILE")
            .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
            .env("AWS_CONFIG_FILE", "/nonexistent")
            .args(["--endpoint", &self.endpoint]);
        c
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        self.stop();
    }
}
