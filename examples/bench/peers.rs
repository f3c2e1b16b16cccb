//! The peers measured beside provseal, and the machine they ran on.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

/// CPU model, core count and whether the CPU has SHA extensions.
pub fn machine() -> String {
    let cpuinfo = fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map(|l| l.trim_start_matches([' ', '\t', ':']).to_string())
        .unwrap_or_else(|| "unknown CPU".into());
    let sha = cpuinfo.split_whitespace().any(|w| w == "sha_ni");
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let openssl = Command::new("openssl")
        .arg("version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_else(|_| "openssl not found".into());
    format!(
        "machine: {model}, {cores} cores, SHA extensions: {}; {openssl}",
        if sha { "yes" } else { "no" }
    )
}

/// This process's peak resident set size, from /proc/self/status.
pub fn peak_rss_kib() -> u64 {
    fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// The best wall-clock time of `runs` runs of a command, output discarded;
/// an error if any run fails.
pub fn best_of(runs: usize, make: impl Fn() -> Command) -> Result<f64, String> {
    let mut best = f64::INFINITY;
    for _ in 0..runs {
        let mut cmd = make();
        let start = Instant::now();
        let status = cmd
            .stdout(Stdio::null())
            .status()
            .map_err(|e| format!("{cmd:?}: {e}"))?;
        if !status.success() {
            return Err(format!("{cmd:?} failed"));
        }
        best = best.min(start.elapsed().as_secs_f64());
    }
    Ok(best)
}

/// The best wall-clock time of `runs` runs of `cmd ARGS`.
pub fn time_best(cmd: &str, args: &[&str], runs: usize) -> Result<f64, String> {
    best_of(runs, || {
        let mut c = Command::new(cmd);
        c.args(args);
        c
    })
}

/// Reads every file under `dir` once, so that the page cache holds them.
pub fn warm(dir: &Path) -> std::io::Result<()> {
    for e in fs::read_dir(dir)? {
        let p = e?.path();
        if p.is_dir() {
            warm(&p)?;
        } else {
            fs::read(&p)?;
        }
    }
    Ok(())
}

/// Every file under `dir/text` and `dir/html`, relative to `dir`.
fn payload_files(dir: &Path) -> std::io::Result<Vec<String>> {
    let mut files = Vec::new();
    for sub in ["text", "html"] {
        let mut names: Vec<String> = fs::read_dir(dir.join(sub))?
            .filter_map(|e| Some(format!("{sub}/{}", e.ok()?.file_name().to_str()?)))
            .collect();
        names.sort();
        files.extend(names);
    }
    Ok(files)
}

/// `openssl dgst -sha256` over every payload file in one process: best of
/// three, in seconds.
pub fn openssl_many(dir: &Path) -> Result<f64, Box<dyn std::error::Error>> {
    let files = payload_files(dir)?;
    Ok(best_of(3, || {
        let mut c = Command::new("openssl");
        c.args(["dgst", "-sha256", "-r"])
            .args(&files)
            .current_dir(dir);
        c
    })?)
}

/// `target/release/provseal verify -j 2` over the directory, when that
/// binary has been built: best of three, in seconds.
pub fn cli_verify(dir: &Path) -> Result<Option<f64>, Box<dyn std::error::Error>> {
    let bin = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/provseal");
    if !bin.exists() {
        return Ok(None);
    }
    let key = Path::new(env!("CARGO_MANIFEST_DIR")).join("spec/vectors/keys/test-signer.pub");
    let seconds = best_of(3, || {
        let mut c = Command::new(&bin);
        c.args([
            "verify", "-j", "2", "--format", "jsonl", "--quiet", "--trust",
        ])
        .arg(&key)
        .arg(dir);
        c
    })?;
    Ok(Some(seconds))
}

/// Bags equivalent to the bundles (the same text and HTML as payload, a
/// SHA-256 manifest), validated by `bagit.py --validate` in one process.
/// `None` when bagit.py is not installed.
pub fn bagit(payload: &Path, n: usize) -> Result<Option<(usize, f64)>, Box<dyn std::error::Error>> {
    if Command::new("bagit.py").arg("--version").output().is_err() {
        return Ok(None);
    }
    let bags = payload.with_file_name(format!("bags-{n}"));
    let mut names = Vec::with_capacity(n);
    for i in 0..n {
        let name = format!("{i:05}");
        let bag = bags.join(&name);
        if !bag.join("bagit.txt").exists() {
            fs::create_dir_all(bag.join("data"))?;
            let text = fs::read(payload.join(format!("text/{name}.txt")))?;
            let html = fs::read(payload.join(format!("html/{name}.html")))?;
            fs::write(bag.join("data/text.txt"), &text)?;
            fs::write(bag.join("data/page.html"), &html)?;
            let hex = |b: &[u8]| provseal::format::digest::Sha256Digest::of(b).to_hex();
            fs::write(
                bag.join("manifest-sha256.txt"),
                format!(
                    "{}  data/page.html\n{}  data/text.txt\n",
                    hex(&html),
                    hex(&text)
                ),
            )?;
            fs::write(
                bag.join("bagit.txt"),
                "BagIt-Version: 0.97\nTag-File-Character-Encoding: UTF-8\n",
            )?;
            fs::write(
                bag.join("bag-info.txt"),
                format!("Payload-Oxum: {}.2\n", text.len() + html.len()),
            )?;
        }
        names.push(name);
    }
    warm(&bags)?;
    let start = Instant::now();
    let out = Command::new("bagit.py")
        .arg("--validate")
        .args(&names)
        .current_dir(&bags)
        .output()?;
    let seconds = start.elapsed().as_secs_f64();
    if !out.status.success() {
        return Err(format!("bagit.py: {}", String::from_utf8_lossy(&out.stderr)).into());
    }
    Ok(Some((n, seconds)))
}
