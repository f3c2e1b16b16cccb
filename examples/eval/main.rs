//! Scores HTML extraction on the shared corpora with the metrics that
//! `../shared/corpus/README.md` defines:
//!
//! - readability/: body F1 by 4-token shingles, title, date, byline;
//! - trafilatura-dev/: body F1 by `with`/`without` segments, title, date,
//!   author;
//! - pages per second, extraction only, on one thread.
//!
//! `cargo run --release --example eval -- [CORPUS_DIR] [--misses]`
//! (CORPUS_DIR defaults to ../shared/corpus; --misses lists pages whose
//! title, date or author is wrong).

mod score;

use std::path::PathBuf;

use provseal::extract::html::extract_html;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let show = args.iter().any(|a| a == "--misses");
    let root = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus")));
    score::readability(&root.join("readability"), "provseal", &extract_html, show);
    score::trafilatura(
        &root.join("trafilatura-dev"),
        "provseal",
        &extract_html,
        show,
    );
}
