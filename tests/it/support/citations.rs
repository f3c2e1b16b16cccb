//! The citation cases: four bundles packed with a fixed key and time, and
//! the golden files of every format for each (tests/golden/citations/).

use std::path::PathBuf;

use provseal::cite::{self, CiteSource, Format, Markup};
use provseal::format::manifest::CaptureMethod;
use provseal::pack::{self, Overrides, PackRequest, Packed};

use super::{captured_at, repo_path, test_key};

/// The seed: a real repost, unsigned by any author.
pub const SEED_FILE: &str = "../shared/seed/dailynk-2018-05-27-repost.txt";

/// Where the golden files live.
pub fn golden_dir(case: &str) -> PathBuf {
    repo_path("tests/golden/citations").join(case)
}

/// Each case's name and its bundle; `None` when its input is absent (the
/// seed outside this workspace).
pub fn cases() -> Vec<(&'static str, Option<Packed>)> {
    let pack = |input: Option<Vec<u8>>, name: &str, overrides: Overrides| {
        input.map(|input| {
            pack::pack(
                &{
                    let mut req = PackRequest::new(input, CaptureMethod::LocalFile, captured_at());
                    req.name_hint = Some(name.into());
                    req.overrides = overrides;
                    req
                },
                Some(&test_key()),
            )
            .expect("the case packs")
        })
    };
    let read = |rel: &str| std::fs::read(repo_path(rel)).ok();
    vec![
        (
            "seed",
            pack(
                read(SEED_FILE),
                "seed.txt",
                Overrides {
                    repost_urls: vec!["https://portal.example.net/news/15210".into()],
                    ..Overrides::default()
                },
            ),
        ),
        (
            "several-authors",
            pack(
                read("examples/article.txt"),
                "article.txt",
                Overrides {
                    authors: vec![
                        "Mina Park".into(),
                        "James O'Neil".into(),
                        "Hye-jin Lee".into(),
                    ],
                    language: Some("en".into()),
                    repost_urls: vec!["https://portal.example.net/news/view?id=991".into()],
                    ..Overrides::default()
                },
            ),
        ),
        (
            "no-author-no-date",
            pack(
                read("tests/citations/cases/undated.html"),
                "undated.html",
                Overrides::default(),
            ),
        ),
        (
            "non-english",
            pack(
                read("tests/citations/cases/german.html"),
                "german.html",
                Overrides::default(),
            ),
        ),
    ]
}

/// Every file the golden directory holds for a bundle: each format, and
/// the human styles once more as HTML.
pub fn rendered(p: &Packed, case: &str) -> Vec<(String, String)> {
    let public = format!("https://evidence.example.org/bundles/{case}.zip");
    let src = CiteSource {
        manifest: &p.manifest,
        bundle_id: &p.bundle_id,
        archive: cite::DEFAULT_ARCHIVE,
        public_url: Some(&public),
        signer_name: None,
        full_evidence: false,
    };
    let mut out = Vec::new();
    for f in Format::ALL {
        out.push((
            f.file_name(Markup::Plain).to_string(),
            cite::render(f, &src, Markup::Plain),
        ));
        if f.has_markup() {
            out.push((
                f.file_name(Markup::Html).to_string(),
                cite::render(f, &src, Markup::Html),
            ));
        }
    }
    out
}
