//! The same 10,000 bundles verified from a loopback S3-compatible server
//! (s3s-fs, found as `$PROVSEAL_S3S_FS`, on the PATH or in ~/.cargo/bin),
//! with the same CLI command as the local-disk figure, in the same run.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn s3s_fs() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("PROVSEAL_S3S_FS") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|d| d.join("s3s-fs"))
        .chain(std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo/bin/s3s-fs")))
        .find(|p| p.is_file())
}

/// Seconds (best of three) for `provseal verify -j 2 --format jsonl` over
/// `s3://bench/`, the bundles of `dir` served by s3s-fs on 127.0.0.1.
/// `None` without s3s-fs or a release binary.
pub fn cli_verify_s3(dir: &Path) -> Result<Option<f64>, Box<dyn std::error::Error>> {
    let bin = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/provseal");
    let Some(server) = s3s_fs().filter(|_| bin.exists()) else {
        return Ok(None);
    };
    // The server's root holds the bucket; hard links share the corpus bytes.
    let root = dir.with_file_name(format!(
        "s3-{}",
        dir.file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("bundles")
    ));
    let bucket = root.join("bench");
    std::fs::create_dir_all(&bucket)?;
    for e in std::fs::read_dir(dir)? {
        let e = e?;
        let to = bucket.join(e.file_name());
        if !to.exists() {
            std::fs::hard_link(e.path(), &to)
                .or_else(|_| std::fs::copy(e.path(), &to).map(|_| ()))?;
        }
    }
    let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let mut child = Command::new(server)
        .args(["--host", "127.0.0.1", "--port", &port.to_string()])
        .args(["--access-key", "bench", "--secret-key", "bench-secret"])
        .arg(&root)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(("127.0.0.1", port)).is_err() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    let key = Path::new(env!("CARGO_MANIFEST_DIR")).join("spec/vectors/keys/test-signer.pub");
    let endpoint = format!("http://127.0.0.1:{port}");
    let result = super::peers::best_of(3, || {
        let mut c = Command::new(&bin);
        c.env("AWS_ACCESS_KEY_ID", "bench")
            .env("AWS_SECRET_ACCESS_KEY", "bench-secret")
            .env("AWS_REGION", "us-east-1")
            .args(["--endpoint", &endpoint])
            .args([
                "verify", "-j", "2", "--format", "jsonl", "--quiet", "--trust",
            ])
            .arg(&key)
            .arg("s3://bench/");
        c
    });
    let _ = child.kill();
    let _ = child.wait();
    Ok(Some(result?))
}
