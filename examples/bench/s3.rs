//! The same 10,000 bundles verified from loopback S3-compatible servers,
//! with the same CLI command as the local-disk figure, in the same run,
//! beside each server's own floor: the same GETs by `curl`, verifying
//! nothing. The servers are s3s-fs (found as `$PROVSEAL_S3S_FS`, on the
//! PATH or in ~/.cargo/bin) and, when it is installed the same way, Garage
//! (`$PROVSEAL_GARAGE`, `garage`).

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn installed(var: &str, name: &str) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(var) {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .chain(std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo/bin").join(name)))
        .find(|p| p.is_file())
}

/// One figure: what ran, and its best wall-clock seconds.
pub struct Row {
    /// The command, as printed.
    pub what: String,
    /// Its best time over the whole corpus.
    pub seconds: f64,
    /// Requests in flight, for rows measured at a given concurrency.
    pub in_flight: Option<usize>,
}

/// Requests kept in flight in the measured runs: a quarter of provseal's
/// default, and the default (`--s3-requests 64`).
pub const IN_FLIGHT: [usize; 2] = [16, 64];

/// A server's name and its rows.
pub type Figures = (&'static str, Vec<Row>);

/// A server on loopback holding the corpus as `s3://bench/`; killed when
/// dropped.
struct Server {
    name: &'static str,
    endpoint: String,
    region: String,
    access_key: String,
    secret_key: String,
    child: Child,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> Result<u16, std::io::Error> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

fn wait_listening(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(("127.0.0.1", port)).is_err() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// s3s-fs serving a directory whose `bench/` holds hard links to the corpus.
fn s3s_fs(dir: &Path, work: &Path) -> Result<Option<Server>, Box<dyn std::error::Error>> {
    let Some(bin) = installed("PROVSEAL_S3S_FS", "s3s-fs") else {
        return Ok(None);
    };
    let root = work.join("s3s-fs");
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
    let port = free_port()?;
    let child = Command::new(bin)
        .args(["--host", "127.0.0.1", "--port", &port.to_string()])
        .args(["--access-key", "bench", "--secret-key", "bench-secret"])
        .arg(&root)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    wait_listening(port);
    Ok(Some(Server {
        name: "s3s-fs",
        endpoint: format!("http://127.0.0.1:{port}"),
        region: "us-east-1".into(),
        access_key: "bench".into(),
        secret_key: "bench-secret".into(),
        child,
    }))
}

/// Garage, one node with a fresh layout, a bucket and a key, the corpus
/// uploaded by `curl` (not timed).
fn garage(
    dir: &Path,
    work: &Path,
    names: &[String],
) -> Result<Option<Server>, Box<dyn std::error::Error>> {
    let Some(bin) = installed("PROVSEAL_GARAGE", "garage") else {
        return Ok(None);
    };
    let w = work.join("garage");
    let _ = std::fs::remove_dir_all(&w);
    std::fs::create_dir_all(w.join("meta"))?;
    std::fs::create_dir_all(w.join("data"))?;
    let (s3, rpc, admin) = (free_port()?, free_port()?, free_port()?);
    let hex = |n: usize| -> Result<String, std::io::Error> {
        let mut b = vec![0u8; n];
        std::io::Read::read_exact(&mut std::fs::File::open("/dev/urandom")?, &mut b)?;
        Ok(b.iter().map(|x| format!("{x:02x}")).collect())
    };
    let config = w.join("garage.toml");
    std::fs::write(
        &config,
        format!(
            "metadata_dir = \"{m}\"\ndata_dir = \"{d}\"\ndb_engine = \"sqlite\"\n\
             replication_factor = 1\nrpc_bind_addr = \"127.0.0.1:{rpc}\"\n\
             rpc_public_addr = \"127.0.0.1:{rpc}\"\nrpc_secret = \"{secret}\"\n\
             [s3_api]\ns3_region = \"garage\"\napi_bind_addr = \"127.0.0.1:{s3}\"\n\
             root_domain = \".s3.garage.localhost\"\n\
             [admin]\napi_bind_addr = \"127.0.0.1:{admin}\"\nadmin_token = \"{token}\"\n",
            m = w.join("meta").display(),
            d = w.join("data").display(),
            secret = hex(32)?,
            token = hex(16)?,
        ),
    )?;
    std::fs::set_permissions(&config, std::os::unix::fs::PermissionsExt::from_mode(0o600))?;
    let child = Command::new(&bin)
        .arg("-c")
        .arg(&config)
        .arg("server")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    let run = |args: &[&str]| -> Result<String, Box<dyn std::error::Error>> {
        let o = Command::new(&bin)
            .arg("-c")
            .arg(&config)
            .args(args)
            .output()?;
        if !o.status.success() {
            return Err(format!("garage {args:?}: {}", String::from_utf8_lossy(&o.stderr)).into());
        }
        Ok(String::from_utf8_lossy(&o.stdout).into_owned())
    };
    let mut server = Server {
        name: "Garage",
        endpoint: format!("http://127.0.0.1:{s3}"),
        region: "garage".into(),
        access_key: String::new(),
        secret_key: String::new(),
        child,
    };
    let addr = format!("127.0.0.1:{rpc}");
    let deadline = Instant::now() + Duration::from_secs(20);
    let node = loop {
        let status = run(&["status"]).unwrap_or_default();
        if let Some(id) = status
            .lines()
            .find(|l| l.contains(&addr))
            .and_then(|l| l.split_whitespace().next())
        {
            break id.to_string();
        }
        if Instant::now() > deadline {
            return Err("garage did not start".into());
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    run(&["layout", "assign", "-z", "dc1", "-c", "10G", &node])?;
    run(&["layout", "apply", "--version", "1"])?;
    run(&["bucket", "create", "bench"])?;
    let key = run(&["key", "create", "bench"])?;
    run(&[
        "bucket", "allow", "--read", "--write", "--owner", "bench", "--key", "bench",
    ])?;
    let field = |name: &str| {
        key.lines()
            .find(|l| l.trim_start().starts_with(name))
            .and_then(|l| l.split_once(':'))
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default()
    };
    server.access_key = field("Key ID");
    server.secret_key = field("Secret key");
    wait_listening(s3);
    let uploads = w.join("upload.txt");
    let mut text = String::new();
    for name in names {
        text.push_str(&format!(
            "upload-file = \"{}\"\nurl = \"{}/bench/{name}\"\noutput = \"/dev/null\"\n",
            dir.join(name).display(),
            server.endpoint
        ));
    }
    std::fs::write(&uploads, text)?;
    let status = curl(&server, 16)
        .args(["-H", "x-amz-content-sha256: UNSIGNED-PAYLOAD", "-K"])
        .arg(&uploads)
        .status()?;
    if !status.success() {
        return Err("uploading the corpus to garage failed".into());
    }
    Ok(Some(server))
}

/// `curl` signing for `server`, `n` transfers at once.
fn curl(server: &Server, n: usize) -> Command {
    let mut c = Command::new("curl");
    c.args(["-sS", "--no-progress-meter", "--fail", "--parallel"])
        .args(["--parallel-max", &n.to_string()])
        .args(["--aws-sigv4", &format!("aws:amz:{}:s3", server.region)])
        .args([
            "--user",
            &format!("{}:{}", server.access_key, server.secret_key),
        ]);
    c
}

/// The bundles of `dir` as `s3://bench/` on each server found, verified by
/// `provseal verify -j 2 --format jsonl` with each of [`IN_FLIGHT`]
/// requests in flight, beside the floor: `curl --parallel` fetching every
/// object with the same number in flight and verifying nothing (best of
/// two each). For each server, the first row is the listing. Nothing
/// without a release binary or curl.
pub fn cli_verify_s3(dir: &Path) -> Result<Vec<Figures>, Box<dyn std::error::Error>> {
    let bin = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/provseal");
    let curl_works = Command::new("curl")
        .arg("--version")
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !bin.exists() || !curl_works {
        return Ok(Vec::new());
    }
    let mut names: Vec<String> = std::fs::read_dir(dir)?
        .filter_map(|e| Some(e.ok()?.file_name().to_string_lossy().into_owned()))
        .collect();
    names.sort();
    let work = dir.with_file_name(format!(
        "s3-{}",
        dir.file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("bundles")
    ));
    let mut out = Vec::new();
    if let Some(server) = s3s_fs(dir, &work)? {
        out.push((server.name, measure(&bin, &server, &work, &names)?));
    }
    if let Some(server) = garage(dir, &work, &names)? {
        out.push((server.name, measure(&bin, &server, &work, &names)?));
        let _ = std::fs::remove_dir_all(work.join("garage"));
    }
    Ok(out)
}

fn measure(
    bin: &Path,
    server: &Server,
    work: &Path,
    names: &[String],
) -> Result<Vec<Row>, Box<dyn std::error::Error>> {
    let key = Path::new(env!("CARGO_MANIFEST_DIR")).join("spec/vectors/keys/test-signer.pub");
    let provseal = |extra: &[&str]| {
        let mut c = Command::new(bin);
        c.env("AWS_ACCESS_KEY_ID", &server.access_key)
            .env("AWS_SECRET_ACCESS_KEY", &server.secret_key)
            .env("AWS_REGION", &server.region)
            .args(["--endpoint", &server.endpoint])
            .args(extra)
            .args([
                "verify", "-j", "2", "--format", "jsonl", "--quiet", "--trust",
            ])
            .arg(&key);
        c
    };
    let mut rows = vec![Row {
        what: "listing s3://bench/ (verify --shard 1/100000: the listing, about no GET)".into(),
        seconds: super::peers::best_of(2, || {
            let mut c = provseal(&[]);
            c.args(["--shard", "1/100000", "s3://bench/"]);
            c
        })?,
        in_flight: None,
    }];
    for n in IN_FLIGHT {
        let requests = n.to_string();
        rows.push(Row {
            what: format!("provseal verify -j 2 --s3-requests {n} s3://bench/"),
            seconds: super::peers::best_of(2, || {
                let mut c = provseal(&["--s3-requests", &requests]);
                c.arg("s3://bench/");
                c
            })?,
            in_flight: Some(n),
        });
    }
    // The floor: the same GETs by curl, signed the same way, bodies
    // thrown away.
    let list = work.join(format!("curl-get-{}.txt", server.name));
    let mut text = String::new();
    for name in names {
        text.push_str(&format!(
            "url = \"{}/bench/{name}\"\noutput = \"/dev/null\"\n",
            server.endpoint
        ));
    }
    std::fs::write(&list, text)?;
    for n in IN_FLIGHT {
        rows.push(Row {
            what: format!("curl --parallel-max {n}: GET every object, no verifying"),
            seconds: super::peers::best_of(2, || {
                let mut c = curl(server, n);
                // SHA-256 of the empty body, which S3 wants named.
                c.args([
                    "-H",
                    "x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                ])
                .arg("-K")
                .arg(&list);
                c
            })?,
            in_flight: Some(n),
        });
    }
    Ok(rows)
}
