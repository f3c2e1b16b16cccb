//! A real RFC 3161 time-stamping authority on loopback: `openssl ts -reply`
//! behind a minimal HTTP/1.1 server. Each authority gets a fresh PKI from
//! `spec/vectors/tsa/make-pki.sh` (EC P-256: OpenSSL 3.0 cannot sign
//! timestamps with Ed25519) in a temporary directory of its own.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::Command;
use std::thread;

/// A running TSA. It lives until the test process ends.
pub struct Tsa {
    /// The URL to POST requests to.
    pub url: String,
    /// Where its files are: `root.pem`, `tsa.pem`, `tsa.cnf`, … (as
    /// `make-pki.sh` makes them).
    pub dir: PathBuf,
    _tmp: tempfile::TempDir,
}

impl Tsa {
    /// The root certificate (PEM) a verifier trusts it by.
    pub fn root(&self) -> PathBuf {
        self.dir.join("root.pem")
    }
}

/// How the TSA's certificate is made.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum TsaCert {
    /// A proper timestamping certificate, valid for a year from now.
    Good,
    /// A certificate without the timeStamping extended key usage.
    NoTimeStampingUsage,
}

/// The `openssl ts -reply` configuration; the certificates come from
/// `spec/vectors/tsa/make-pki.sh`, run into the TSA's own directory.
const TS_CONFIG: &str = r#"
[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
dir = DIR
serial = DIR/serial
crypto_device = builtin
signer_cert = DIR/CERT.pem
certs = DIR/CERT.pem
signer_key = DIR/CERT.key
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = no
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"#;

/// Makes a CA and a TSA certificate and starts serving.
pub fn start(cert: TsaCert) -> Tsa {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().to_path_buf();
    let cert = match cert {
        TsaCert::Good => "tsa",
        TsaCert::NoTimeStampingUsage => "plain",
    };
    let cnf = TS_CONFIG
        .replace("DIR", dir.to_str().unwrap())
        .replace("CERT", cert);
    std::fs::write(dir.join("tsa.cnf"), cnf).unwrap();
    std::fs::write(dir.join("serial"), "01\n").unwrap();
    let pki = Command::new("sh")
        .arg(super::repo_path("spec/vectors/tsa/make-pki.sh"))
        .arg(&dir)
        .output()
        .unwrap();
    assert!(
        pki.status.success(),
        "{}",
        String::from_utf8_lossy(&pki.stderr)
    );
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/tsr", listener.local_addr().unwrap());
    let serve_dir = dir.clone();
    // `openssl ts -reply` reads and rewrites the serial file: two at once
    // can fail, so one reply is made at a time, as a real TSA serialises
    // its serial numbers.
    let serial = std::sync::Arc::new(std::sync::Mutex::new(()));
    thread::spawn(move || {
        for (n, stream) in listener.incoming().enumerate() {
            let Ok(mut stream) = stream else { continue };
            let dir = serve_dir.clone();
            let serial = serial.clone();
            thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut len = 0usize;
                loop {
                    let mut h = String::new();
                    if reader.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
                        break;
                    }
                    if let Some(v) = h.to_ascii_lowercase().strip_prefix("content-length:") {
                        len = v.trim().parse().unwrap_or(0);
                    }
                }
                let mut query = vec![0u8; len];
                if reader.read_exact(&mut query).is_err() {
                    return;
                }
                let q = dir.join(format!("q{n}.tsq"));
                let r = dir.join(format!("r{n}.tsr"));
                std::fs::write(&q, &query).unwrap();
                let guard = serial.lock().unwrap_or_else(|p| p.into_inner());
                let ok = Command::new("openssl")
                    .args(["ts", "-reply", "-config", "tsa.cnf", "-queryfile"])
                    .arg(&q)
                    .arg("-out")
                    .arg(&r)
                    .current_dir(&dir)
                    .output()
                    .is_ok_and(|o| o.status.success());
                drop(guard);
                let body = if ok {
                    std::fs::read(&r).unwrap()
                } else {
                    Vec::new()
                };
                let status = if ok {
                    "200 OK"
                } else {
                    "500 Internal Server Error"
                };
                let head = format!(
                    "HTTP/1.1 {status}\r\nContent-Type: application/timestamp-reply\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(&body);
                let _ = stream.flush();
            });
        }
    });
    Tsa {
        url,
        dir,
        _tmp: tmp,
    }
}

/// A URL on loopback where nothing listens: a TSA that is down.
pub fn down_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{addr}/tsr")
}
