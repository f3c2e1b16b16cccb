//! Running the `provseal` binary in tests: a key pair in a temp dir,
//! packing with a fixed capture time, and the output as text.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

use super::repo_path;

/// The binary, with no defaults from the person running the tests: no
/// config file, no `PROVSEAL_*` defaults in the environment.
pub fn provseal() -> Command {
    let mut c = Command::cargo_bin("provseal").unwrap();
    c.env("XDG_CONFIG_HOME", "/nonexistent/provseal-tests")
        .env_remove("PROVSEAL_KEY")
        .env_remove("PROVSEAL_TRUST_STORE")
        .env_remove("PROVSEAL_TSA")
        .env_remove("PROVSEAL_ARCHIVE");
    c
}

pub fn stdout(out: &std::process::Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

pub fn stderr(out: &std::process::Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

/// A temp dir with a generated key pair `k.key`/`k.pub`.
pub fn setup() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = provseal()
        .args(["key", "generate", "--out"])
        .arg(dir.path().join("k"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let k = dir.path().join("k");
    (dir, k)
}

pub fn pack(
    dir: &Path,
    key: &Path,
    input: &Path,
    out: &str,
    extra: &[&str],
) -> std::process::Output {
    provseal()
        .arg("pack")
        .arg(input)
        .arg("--key")
        .arg(key.with_extension("key"))
        .arg("-o")
        .arg(dir.join(out))
        .args(["--captured-at", "2024-03-15T08:30:00Z"])
        .args(extra)
        .output()
        .unwrap()
}

/// Packs and fails the test, with pack's message, if packing failed.
pub fn pack_ok(dir: &Path, key: &Path, input: &Path, out: &str, extra: &[&str]) {
    let result = pack(dir, key, input, out, extra);
    assert!(
        result.status.success(),
        "pack {}: {}",
        input.display(),
        stderr(&result)
    );
}

pub fn example() -> PathBuf {
    repo_path("examples/article.txt")
}

/// The lines of `--format jsonl` output, parsed.
pub fn jsonl(out: &std::process::Output) -> Vec<serde_json::Value> {
    stdout(out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}
