//! Writes never destroy: bundles are written 0644 under the umask (keys
//! 0600 whatever the umask), a `.partial` left by a killed run is removed
//! and said so the next time, and `attest` in place keeps the bundle's
//! mode and refuses to replace a symbolic link or a file with other hard
//! links (it writes `-o OUT` instead).

use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;
use std::process::Command;

use crate::support::cli::*;

/// Runs provseal in `dir` under `umask`.
fn under_umask(dir: &Path, umask: &str, args: &[&str]) -> std::process::Output {
    let exe = assert_cmd::cargo::cargo_bin("provseal");
    Command::new("sh")
        .arg("-c")
        .arg(format!("umask {umask}; exec \"$0\" \"$@\""))
        .arg(exe)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn mode(path: &Path) -> u32 {
    fs::symlink_metadata(path).unwrap().mode() & 0o7777
}

fn ok(o: std::process::Output) -> String {
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    stderr(&o)
}

fn pack_args<'a>(input: &'a str, out: &'a str) -> Vec<&'a str> {
    vec![
        "pack",
        input,
        "--key",
        "k.key",
        "-o",
        out,
        "--captured-at",
        "2024-03-15T08:30:00Z",
    ]
}

#[test]
fn bundles_are_shared_under_the_umask_and_keys_stay_private() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let input = example();
    let input = input.to_str().unwrap();
    ok(under_umask(d, "000", &["key", "generate", "--out", "k"]));
    assert_eq!(mode(&d.join("k.key")), 0o600);
    for (umask, want) in [
        ("000", 0o644),
        ("022", 0o644),
        ("027", 0o640),
        ("077", 0o600),
    ] {
        let out = format!("b{umask}.zip");
        ok(under_umask(d, umask, &pack_args(input, &out)));
        assert_eq!(mode(&d.join(&out)), want, "umask {umask}");
    }
}

#[test]
fn a_partial_left_by_a_killed_run_is_removed_and_one_being_written_is_kept() {
    let (dir, _) = setup();
    let d = dir.path();
    let input = example();
    let stale = d.join(".provseal-killed.partial");
    fs::write(&stale, b"half a bundle").unwrap();
    let live = d.join(".provseal-live.partial");
    let held = fs::File::create(&live).unwrap();
    held.lock().unwrap();
    let err = ok(provseal()
        .current_dir(d)
        .args(pack_args(input.to_str().unwrap(), "b.zip"))
        .output()
        .unwrap());
    assert!(!stale.exists(), "the stale partial is still there");
    assert!(
        err.contains(".provseal-killed.partial, left by an interrupted run"),
        "{err}"
    );
    assert!(live.exists(), "a partial another run holds was removed");
    assert!(!err.contains("live"), "{err}");
    drop(held);
}

#[test]
fn attest_in_place_keeps_the_mode_and_refuses_links() {
    let (dir, _) = setup();
    let d = dir.path();
    let input = example();
    ok(provseal()
        .current_dir(d)
        .args(pack_args(input.to_str().unwrap(), "b.zip"))
        .output()
        .unwrap());
    let attest = |bundle: &str, extra: &[&str]| {
        provseal()
            .current_dir(d)
            .args(["attest", bundle, "--key", "k.key", "--action", "received"])
            .args(extra)
            .output()
            .unwrap()
    };
    fs::set_permissions(d.join("b.zip"), fs::Permissions::from_mode(0o640)).unwrap();
    ok(attest("b.zip", &[]));
    assert_eq!(mode(&d.join("b.zip")), 0o640, "attest changed the mode");

    let before = fs::read(d.join("b.zip")).unwrap();
    std::os::unix::fs::symlink("b.zip", d.join("link.zip")).unwrap();
    let o = attest("link.zip", &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("is a symbolic link"), "{}", stderr(&o));
    assert!(stderr(&o).contains("-o OUT"), "{}", stderr(&o));
    assert!(
        fs::symlink_metadata(d.join("link.zip"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    ok(attest("link.zip", &["-o", "from-link.zip"]));
    assert_eq!(
        fs::read(d.join("b.zip")).unwrap(),
        before,
        "the target changed"
    );

    fs::hard_link(d.join("b.zip"), d.join("other-name.zip")).unwrap();
    let o = attest("b.zip", &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("other hard links"), "{}", stderr(&o));
    assert_eq!(fs::read(d.join("other-name.zip")).unwrap(), before);
    ok(attest("b.zip", &["-o", "attested.zip"]));
    for out in ["from-link.zip", "attested.zip"] {
        let v = provseal()
            .current_dir(d)
            .args(["verify", out, "--trust", "k.pub"])
            .output()
            .unwrap();
        assert!(v.status.success(), "{out}: {}", stdout(&v));
    }
}
