//! Scores provseal's HTML extraction and three other Rust extractors on the
//! shared corpora, with the same metrics and the same charset decoding, in
//! one run. Not part of the main build (its own workspace):
//!
//! `cargo run --release --manifest-path tools/extract-compare/Cargo.toml -- [CORPUS_DIR]`

#[path = "../../../examples/eval/score.rs"]
mod score;

use std::path::PathBuf;

use provseal::extract::Extracted;
use provseal::normalize::decode;

/// Decodes as provseal does, so every engine sees the same text.
fn text_of(bytes: &[u8]) -> String {
    let declared = provseal::extract::html::sniff_charset(bytes);
    decode(bytes, declared.as_deref()).0
}

fn some(s: String) -> Option<String> {
    Some(s).filter(|s| !s.trim().is_empty())
}

fn dom_smoothie(bytes: &[u8]) -> Extracted {
    let html = text_of(bytes);
    let Ok(mut r) = dom_smoothie::Readability::new(html, None, None) else {
        return Extracted::default();
    };
    match r.parse() {
        Ok(a) => Extracted {
            title: some(a.title),
            authors: a.byline.into_iter().collect(),
            published_raw: a.published_time,
            text: a.text_content.to_string(),
            ..Extracted::default()
        },
        Err(_) => Extracted::default(),
    }
}

fn rs_trafilatura(bytes: &[u8]) -> Extracted {
    match rs_trafilatura::extract(&text_of(bytes)) {
        Ok(r) => Extracted {
            title: r.metadata.title,
            authors: r.metadata.author.into_iter().collect(),
            published_raw: r.metadata.date.map(|d| d.to_rfc3339()),
            text: r.content_text,
            ..Extracted::default()
        },
        Err(_) => Extracted::default(),
    }
}

fn trafilatura_rs(bytes: &[u8]) -> Extracted {
    match trafilatura::extract(&text_of(bytes), &trafilatura::Options::default()) {
        Ok(r) => Extracted {
            title: some(r.metadata.title),
            authors: some(r.metadata.author).into_iter().collect(),
            published_raw: r.metadata.date.map(|d| d.to_string()),
            text: r.content_text,
            ..Extracted::default()
        },
        Err(_) => Extracted::default(),
    }
}

/// provseal's metadata with trafilatura's body text.
fn combined(bytes: &[u8]) -> Extracted {
    let mut ours = provseal::extract::html::extract_html(bytes);
    if let Ok(r) = trafilatura::extract(&text_of(bytes), &trafilatura::Options::default()) {
        if !r.content_text.trim().is_empty() {
            ours.text = r.content_text;
        }
    }
    ours
}

fn main() {
    let root = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../../shared/corpus"
            ))
        });
    let engines: [(&str, score::Extractor); 5] = [
        ("provseal", &provseal::extract::html::extract_html),
        ("provseal metadata + trafilatura body", &combined),
        ("dom_smoothie 0.19", &dom_smoothie),
        ("rs-trafilatura 0.2", &rs_trafilatura),
        ("trafilatura 0.6", &trafilatura_rs),
    ];
    for (name, f) in engines {
        score::readability(&root.join("readability"), name, f, false);
        score::trafilatura(&root.join("trafilatura-dev"), name, f, false);
    }
}
