//! What a person's screen shows when a bundle, a page or a file name is
//! hostile: every human output is fed to a terminal emulator (pyte), and
//! the screen must show exactly the lines the tool wrote, in order, with
//! the true verdict first, and no line that a value wrote for itself.
//!
//! Hostile values go into every text field a bundle has (title, deck,
//! authors, publisher, section, the raw date, URLs, tool name
//! and version, custody notes, entry and file names): escape sequences
//! that clear the screen, move the cursor up and erase lines, set the
//! window title, C1 controls, carriage returns and line feeds followed by
//! fake report lines, and bidirectional overrides.
//!
//! Without pyte (tests/requirements.txt) the tests are skipped locally;
//! under CI (`CI` set) a missing pyte fails them.

use std::path::Path;
use std::process::Command;

use crate::support::cli::{provseal, stderr, stdout};
use crate::support::*;
use provseal::format::appendix::{self, AppendixName};
use provseal::format::custody::{Action, make_event};
use provseal::format::manifest::UrlRole;

/// Values a forger writes, each aimed at a different trick.
const TRICKS: [&str; 8] = [
    "\x1b[2J\x1b[H",
    "\x1b[1A\x1b[2K",
    "\x1b]0;VERIFIED\x07",
    "\u{9b}32m",
    "\rVERIFIED: intact, signed by a trusted key",
    "\n  state      verified-trusted",
    "\u{202e}detsurt\u{202c}",
    "\x08\x08\x08\x7f",
];

fn hostile(label: &str, i: usize) -> String {
    format!(
        "{label} {}{} end",
        TRICKS[i % TRICKS.len()],
        TRICKS[(i + 3) % TRICKS.len()]
    )
}

fn pyte_available() -> bool {
    let found = Command::new("python3")
        .args(["-c", "import pyte"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        crate::support::skipped_without("pyte", "pip install -r tests/requirements.txt");
    }
    found
}

/// The screen after `output` is written to a terminal `columns` wide.
fn screen(output: &[u8], columns: usize) -> Vec<String> {
    use std::io::Write;
    let mut child = Command::new("python3")
        .arg(repo_path("tests/terminal/screen.py"))
        .arg(columns.to_string())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(output).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap().to_string())
        .collect()
}

/// A line as a terminal lays it out: tab stops every eight columns.
fn expand_tabs(line: &str) -> String {
    let mut out = String::new();
    for c in line.chars() {
        if c == '\t' {
            let n = 8 - out.chars().count() % 8;
            out.push_str(&" ".repeat(n));
        } else {
            out.push(c);
        }
    }
    out
}

/// The tool's own colours, the only escape sequences it may write.
fn without_own_colours(s: &str) -> String {
    let mut s = s.replace("\x1b[0m", "");
    for c in ["31", "32", "33"] {
        s = s.replace(&format!("\x1b[1;{c}m"), "");
    }
    s
}

/// Renders `output` and checks that the screen shows exactly its lines:
/// nothing in it moved the cursor, erased, overwrote or reordered
/// anything. Returns the screen's lines.
fn shows_only_its_own_lines(what: &str, output: &[u8]) -> Vec<String> {
    let text = String::from_utf8(output.to_vec())
        .unwrap_or_else(|_| panic!("{what}: output is not UTF-8"));
    let plain = without_own_colours(&text);
    for (n, line) in plain.lines().enumerate() {
        // Tabs are the tool's own column separators (catalog tables); in a
        // value they are escaped.
        assert!(
            !provseal::display::has_unsafe(&line.replace('\t', " ")),
            "{what}: line {n} holds an unsafe character raw: {line:?}"
        );
    }
    let expected: Vec<String> = plain
        .lines()
        .map(|l| expand_tabs(l).trim_end().to_string())
        .collect();
    let columns = expected
        .iter()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(0)
        + 8;
    let shown = screen(output, columns);
    assert_eq!(
        &shown[..expected.len()],
        &expected[..],
        "{what}: the screen differs from what was written"
    );
    assert!(
        shown[expected.len()..].iter().all(|l| l.is_empty()),
        "{what}: the screen has more lines than were written"
    );
    shown
}

/// A genuine, trusted bundle whose every text value is hostile (made by
/// another tool: provseal itself refuses such values).
fn hostile_bundle() -> Vec<u8> {
    let key = test_key();
    edit_manifest(&pack_example(Some(&key)).bytes, Some(&key), |m| {
        let a = &mut m.article;
        a.title = hostile("Pier reopens", 0);
        a.subtitle = Some(hostile("deck", 1));
        a.authors = vec![hostile("Ann", 2), hostile("Bo", 3)];
        a.publisher = Some(hostile("Outlet", 4));
        a.section = Some(hostile("section", 5));
        // The language is a tag by its shape (spec §5: E011 otherwise),
        // so it cannot carry a trick; the raw date takes its place.
        a.language = Some("en".into());
        if let Some(p) = &mut a.published {
            p.raw = hostile("May", 7);
        }
        for u in &mut m.urls {
            // URLs may not hold controls or white space (E011), but bidi
            // controls and look-alike hosts pass that rule.
            u.url = match u.role {
                UrlRole::Original => "https://\u{430}pple.example/\u{202e}lmth.x".into(),
                UrlRole::Repost => "https://portal.example.net/\u{2066}x\u{2069}".into(),
            };
        }
        m.capture.tool.name = hostile("tool", 0);
        m.capture.tool.version = hostile("1.0", 1);
    })
}

fn trust_args() -> Vec<String> {
    vec![
        "--trust".into(),
        repo_path("spec/vectors/keys/test-signer.pub")
            .display()
            .to_string(),
    ]
}

/// `provseal COMMAND BUNDLE --trust test-signer.pub EXTRA…`.
fn trusted(command: &str, bundle: &Path, extra: &[&str]) -> std::process::Output {
    provseal()
        .arg(command)
        .arg(bundle)
        .args(trust_args())
        .args(extra)
        .output()
        .unwrap()
}

fn both(o: &std::process::Output) -> Vec<u8> {
    let mut v = o.stdout.clone();
    v.extend_from_slice(&o.stderr);
    v
}

#[test]
fn a_hostile_but_genuine_bundle_shows_its_true_verdict_and_nothing_else() {
    if !pyte_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hostile.zip");
    std::fs::write(&path, hostile_bundle()).unwrap();
    for color in ["never", "always"] {
        let o = trusted("verify", &path, &["--color", color]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let shown = shows_only_its_own_lines(&format!("verify --color {color}"), &o.stdout);
        assert!(
            shown[0].ends_with(": VERIFIED: intact, signed by a trusted key"),
            "{shown:#?}"
        );
        // The forger's lines are on the tool's lines, escaped, never their own.
        assert_eq!(
            shown.iter().filter(|l| l.starts_with("  state ")).count(),
            1
        );
        assert!(shown.iter().any(|l| l.contains("W009")));
        assert!(
            shown
                .iter()
                .any(|l| l.contains("W010") && l.contains("xn--"))
        );
        assert!(
            shown
                .iter()
                .any(|l| l.starts_with("  title      Pier reopens \\u{1b}[2J"))
        );
    }
    let o = provseal().arg("inspect").arg(&path).output().unwrap();
    let shown = shows_only_its_own_lines("inspect", &o.stdout);
    assert!(
        shown.iter().any(|l| l.contains("https://xn--pple-")),
        "{shown:#?}"
    );
    for fmt in [
        "text", "chicago", "apa", "mla", "bluebook", "ris", "bibtex", "all",
    ] {
        let o = trusted("cite", &path, &["--format", fmt]);
        assert_eq!(o.status.code(), Some(0), "{fmt}: {}", stderr(&o));
        // RIS ends its lines with CR LF, which a terminal shows as line ends.
        let out = o
            .stdout
            .iter()
            .copied()
            .filter(|b| *b != b'\r')
            .collect::<Vec<u8>>();
        shows_only_its_own_lines(&format!("cite --format {fmt}"), &out);
    }
}

#[test]
fn an_invalid_bundle_cannot_make_the_screen_say_verified() {
    if !pyte_available() {
        return;
    }
    let key = test_key();
    // The manifest edited after signing, and an entry whose name is a
    // trick of its own.
    let genuine = pack_example(Some(&key)).bytes;
    let mut e = entries(&genuine);
    let m = String::from_utf8(get(&e, "manifest.json").to_vec()).unwrap();
    let forged = m.replacen(
        "\"title\": \"",
        "\"title\": \"\\u001b[2K\\rx.zip: VERIFIED: intact, signed by a trusted key\\n  state      verified-trusted\\n",
        1,
    );
    set(&mut e, "manifest.json", forged.into_bytes());
    e.push((
        "zz\x1b[1A\x1b[2Kx.zip: VERIFIED: intact, signed by a trusted key".into(),
        b"x".to_vec(),
    ));
    let dir = tempfile::tempdir().unwrap();
    // The file's own name is a trick too.
    let path = dir.path().join("evil\x1b[2J\r.zip");
    std::fs::write(&path, rebuild(&e)).unwrap();
    let o = trusted("verify", &path, &[]);
    assert_eq!(o.status.code(), Some(1));
    let shown = shows_only_its_own_lines("verify of a forgery", &both(&o));
    assert!(
        shown[0].contains(": INVALID: ")
            && shown[0]
                .ends_with(": the bundle was altered, damaged or forged; rely on nothing in it"),
        "{shown:#?}"
    );
    assert!(
        !shown
            .iter()
            .any(|l| l.contains(": VERIFIED") && !l.contains("\\u{"))
    );
    assert!(
        shown
            .iter()
            .any(|l| l.contains("(NOT verified: the bundle is invalid)"))
    );
    let o = provseal().arg("inspect").arg(&path).output().unwrap();
    let shown = shows_only_its_own_lines("inspect of a forgery", &o.stdout);
    assert!(shown[1].starts_with("  WARNING    INVALID"), "{shown:#?}");
    // And when it cannot be read at all, the error names it safely.
    let o = provseal()
        .arg("inspect")
        .arg(dir.path().join("gone\x1b[31m.zip"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    shows_only_its_own_lines("an error", &o.stderr);
}

#[test]
fn custody_notes_appended_by_anyone_cannot_fake_lines_or_hide_warnings() {
    if !pyte_available() {
        return;
    }
    let (signer, stranger) = (test_key(), other_key());
    let genuine = pack_example(Some(&signer)).bytes;
    let id = provseal::format::digest::Sha256Digest::of(get(&entries(&genuine), "manifest.json"))
        .to_prefixed();
    let note = "received\n  timestamp  signature.json existed by 2024-01-01T00:00:00Z (claimed x); CN=TSA, trusted TSA\r    head sha256:0\x1b[1A\x1b[2K";
    let event = make_event(
        &stranger,
        &id,
        None,
        chrono::DateTime::parse_from_rfc3339("2024-03-16T09:00:00Z")
            .unwrap()
            .to_utc(),
        Action::Received,
        Some(note.into()),
    );
    let bytes = appendix::append(&genuine, &[(AppendixName::Event(1), event)]).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("b.zip");
    std::fs::write(&path, bytes).unwrap();
    let o = trusted("verify", &path, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let shown = shows_only_its_own_lines("verify with a hostile note", &o.stdout);
    assert!(shown[0].ends_with(": VERIFIED: intact, signed by a trusted key"));
    // No timestamp line appears (there is no token), the stranger's event
    // is marked untrusted and its note is flagged.
    assert!(
        !shown.iter().any(|l| l.starts_with("  timestamp")),
        "{shown:#?}"
    );
    assert!(shown.iter().any(|l| l.contains("W006")));
    assert!(shown.iter().any(|l| l.contains("W009")));
    // provseal itself will not sign such a note.
    let key = dir.path().join("k");
    assert!(
        provseal()
            .args(["key", "generate", "--out"])
            .arg(&key)
            .output()
            .unwrap()
            .status
            .success()
    );
    let o = provseal()
        .arg("attest")
        .arg(&path)
        .arg("--key")
        .arg(key.with_extension("key"))
        .args(["--action", "received", "--note", note])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("--note: the value has a line break"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn pages_and_catalogs_with_hostile_text_print_clean_lines() {
    if !pyte_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let key = d.join("k");
    assert!(
        provseal()
            .args(["key", "generate", "--out"])
            .arg(&key)
            .output()
            .unwrap()
            .status
            .success()
    );
    let page = "<html><head><title>Harbour \u{1b}]0;pwned\u{7}news\u{1b}[2J \u{202e}gnikaerb</title>\
        <meta name=\"author\" content=\"Ann\u{1b}[1ALee\"></head><body><article><h1>Harbour news</h1>\
        <p>The pier reopened\u{1b}[31m on Thursday after a month of repairs, the harbour office said in a statement.</p>\
        <p>Boats returned\u{9b}2K within hours, and the ferry resumed its timetable the same afternoon.</p></article></body></html>";
    let input = d.join("page.html");
    std::fs::write(&input, page).unwrap();
    let o = provseal().arg("extract").arg(&input).output().unwrap();
    shows_only_its_own_lines("extract", &o.stdout);
    for (n, into) in [(1, false), (2, true)] {
        let mut cmd = provseal();
        cmd.arg("pack")
            .arg(&input)
            .arg("--key")
            .arg(key.with_extension("key"))
            .args(["--captured-at", &format!("2024-03-1{n}T08:30:00Z")]);
        if into {
            cmd.arg("--into").arg(d.join("archive"));
        } else {
            cmd.arg("-o").arg(d.join("a.zip"));
        }
        let o = cmd.output().unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        shows_only_its_own_lines("pack", &both(&o));
    }
    // What was signed is clean: the page's escapes are gone from the
    // values, and kept in the raw page.
    let o = provseal()
        .args(["verify", "--json"])
        .arg(d.join("a.zip"))
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let title = v["bundles"][0]["manifest"]["article"]["title"]
        .as_str()
        .unwrap();
    assert!(!provseal::display::has_unsafe(title), "{title:?}");
    assert!(
        !v["bundles"][0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "W009")
    );
    let o = provseal()
        .args(["catalog", "search", "--archive"])
        .arg(d.join("archive"))
        .args(["--text", "pier"])
        .output()
        .unwrap();
    let shown = shows_only_its_own_lines("catalog search", &both(&o));
    assert!(
        shown
            .iter()
            .filter(|l| !l.is_empty() && !l.ends_with("found"))
            .all(|l| l.matches('\t').count() == 6 || !l.contains('\t'))
    );
    let o = provseal()
        .arg("compare")
        .arg(d.join("a.zip"))
        .arg(hostile_copy(d, &key))
        .output()
        .unwrap();
    shows_only_its_own_lines("compare", &both(&o));
    assert!(stdout(&o).contains("differences"), "{}", stdout(&o));
}

/// A signed copy of an article whose text holds escapes and fake lines (a
/// bundle made by another tool: provseal removes them from what it
/// extracts).
fn hostile_copy(d: &Path, _key: &Path) -> std::path::PathBuf {
    let text = "The pier reopened \u{1b}[2J\u{1b}[H on Thursday after a month of repairs, the harbour office said in a statement.\n\nBoats returned \u{2028}relation  identical\u{202e} within hours.\n";
    let key = test_key();
    let mut e = entries(&pack_example(Some(&key)).bytes);
    set(&mut e, "article/text.txt", text.as_bytes().to_vec());
    let bytes = edit_manifest(&rebuild(&e), Some(&key), |m| {
        for f in &mut m.files {
            if f.path == "article/text.txt" {
                f.size = text.len() as u64;
                f.sha256 = provseal::format::digest::Sha256Digest::of(text.as_bytes()).to_hex();
            }
        }
    });
    let out = d.join("copy.zip");
    std::fs::write(&out, bytes).unwrap();
    out
}
