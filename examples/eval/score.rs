//! Scoring, shared with `tools/extract-compare` (which scores other
//! extractors the same way): the metrics of ../shared/corpus/README.md.

use std::collections::HashMap;
use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use provseal::extract::Extracted;
use provseal::extract::dates::normalise_published;
use provseal::format::normalize::collapse_ws;
use serde_json::Value;

#[derive(Default)]
struct Score {
    pages: usize,
    title_ok: usize,
    date_ok: usize,
    date_unlabelled: usize,
    author_ok: usize,
    elapsed: Duration,
    bytes: usize,
    misses: Vec<String>,
}

impl Score {
    fn line(&self, name: &str, body: &str) {
        let pct = |n: usize| 100.0 * n as f64 / self.pages.max(1) as f64;
        println!(
            "{name}: {} pages | body {body} | title {:.1}% | date {:.1}% ({} more found where the truth has none) | author {:.1}% | {:.0} pages/s ({:.1} MB/s) on one thread",
            self.pages,
            pct(self.title_ok),
            pct(self.date_ok),
            self.date_unlabelled,
            pct(self.author_ok),
            self.pages as f64 / self.elapsed.as_secs_f64(),
            self.bytes as f64 / 1e6 / self.elapsed.as_secs_f64(),
        );
    }

    fn judge(
        &mut self,
        id: &str,
        ex: &Extracted,
        title: Option<&str>,
        date: Option<&str>,
        authors: &[String],
    ) {
        let t_ok = ex.title.as_deref().map(collapse_ws)
            == title.map(collapse_ws).filter(|t| !t.is_empty());
        let got_day = ex
            .published_raw
            .as_deref()
            .and_then(normalise_published)
            .map(|d| d[..10].to_string());
        let want_day = date.and_then(|d| d.get(..10)).map(str::to_string);
        let d_ok = got_day == want_day;
        let a_ok = name_set(&ex.authors.join(", ")) == name_set(&authors.join(", "));
        self.pages += 1;
        self.title_ok += t_ok as usize;
        self.date_ok += d_ok as usize;
        self.date_unlabelled += (got_day.is_some() && want_day.is_none()) as usize;
        self.author_ok += a_ok as usize;
        if !(t_ok && d_ok && a_ok) {
            self.misses.push(format!(
                "{id}: title {:?} want {:?} | date {:?} want {:?} | authors {:?} want {:?}",
                ex.title, title, got_day, want_day, ex.authors, authors
            ));
        }
    }
}

fn name_set(s: &str) -> Vec<String> {
    let mut v: Vec<String> = regex::Regex::new(r"(?i),|;| and |&")
        .unwrap()
        .split(s)
        .map(|n| collapse_ws(n).to_lowercase())
        .filter(|n| !n.is_empty())
        .collect();
    v.sort();
    v.dedup();
    v
}

/// An extractor under test: HTML bytes in, provseal's record out.
pub type Extractor<'a> = &'a dyn Fn(&[u8]) -> Extracted;

fn timed(extract: Extractor, bytes: &[u8], score: &mut Score) -> Extracted {
    let start = Instant::now();
    let ex = extract(bytes);
    score.elapsed += start.elapsed();
    score.bytes += bytes.len();
    ex
}

fn ids(dir: &Path) -> Vec<String> {
    fs::read_to_string(dir.join("manifest.tsv"))
        .expect("manifest.tsv")
        .lines()
        .skip(1)
        .filter_map(|l| l.split('\t').next().map(str::to_string))
        .collect()
}

fn shingles(text: &str) -> HashMap<[String; 4], usize> {
    let words: Vec<String> = regex::Regex::new(r"\w+")
        .unwrap()
        .find_iter(text)
        .map(|m| m.as_str().to_lowercase())
        .collect();
    let mut out = HashMap::new();
    for w in words.windows(4) {
        *out.entry([w[0].clone(), w[1].clone(), w[2].clone(), w[3].clone()])
            .or_insert(0) += 1;
    }
    out
}

fn html_text(html: &str) -> String {
    let doc = scraper::Html::parse_fragment(html);
    doc.root_element().text().collect::<Vec<_>>().join(" ")
}

/// Scores one extractor on the readability corpus and prints one line.
pub fn readability(dir: &Path, name: &str, extract: Extractor, show: bool) {
    let mut score = Score::default();
    let (mut p_sum, mut p_n, mut r_sum, mut r_n) = (0.0, 0usize, 0.0, 0usize);
    for id in ids(dir) {
        let page = dir.join("pages").join(&id);
        let bytes = fs::read(page.join("source.html")).expect("source.html");
        let meta: Value =
            serde_json::from_str(&fs::read_to_string(page.join("expected-metadata.json")).unwrap())
                .unwrap();
        let truth = html_text(&fs::read_to_string(page.join("expected.html")).unwrap_or_default());
        let ex = timed(extract, &bytes, &mut score);
        let (ours, want) = (shingles(&ex.text), shingles(&truth));
        let common: usize = ours
            .iter()
            .map(|(k, n)| (*n).min(*want.get(k).unwrap_or(&0)))
            .sum();
        let (n_ours, n_want): (usize, usize) = (ours.values().sum(), want.values().sum());
        if n_ours > 0 {
            p_sum += common as f64 / n_ours as f64;
            p_n += 1;
        }
        if n_want > 0 {
            r_sum += common as f64 / n_want as f64;
            r_n += 1;
        }
        let byline: Vec<String> = meta["byline"]
            .as_str()
            .map(|b| vec![b.to_string()])
            .unwrap_or_default();
        score.judge(
            &id,
            &ex,
            meta["title"].as_str(),
            meta["publishedTime"].as_str(),
            &byline,
        );
    }
    let (p, r) = (p_sum / p_n.max(1) as f64, r_sum / r_n.max(1) as f64);
    let f1 = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    score.line(
        &format!("{name} on readability"),
        &format!("shingle F1 {f1:.3} (P {p:.3}, R {r:.3})"),
    );
    if show {
        score.misses.iter().for_each(|m| println!("  {m}"));
    }
}

/// Scores one extractor on the trafilatura corpus and prints one line.
pub fn trafilatura(dir: &Path, name: &str, extract: Extractor, show: bool) {
    let mut score = Score::default();
    let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
    for id in ids(dir) {
        let page = dir.join("pages").join(&id);
        let bytes = fs::read(page.join("source.html")).expect("source.html");
        let truth: Value =
            serde_json::from_str(&fs::read_to_string(page.join("ground-truth.json")).unwrap())
                .unwrap();
        let ex = timed(extract, &bytes, &mut score);
        let text = collapse_ws(&ex.text);
        let segs = |k: &str| -> Vec<String> {
            truth[k]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|s| s.as_str())
                        .map(collapse_ws)
                        .collect()
                })
                .unwrap_or_default()
        };
        for s in segs("with") {
            if text.contains(&s) { tp += 1 } else { fn_ += 1 }
        }
        for s in segs("without") {
            if text.contains(&s) {
                fp += 1
            }
        }
        let author: Vec<String> = truth["author"]
            .as_str()
            .filter(|a| !a.is_empty())
            .map(|a| vec![a.to_string()])
            .unwrap_or_default();
        score.judge(
            &id,
            &ex,
            truth["title"].as_str(),
            truth["date"].as_str().filter(|d| !d.is_empty()),
            &author,
        );
    }
    let f1 = 2.0 * tp as f64 / (2 * tp + fp + fn_).max(1) as f64;
    score.line(
        &format!("{name} on trafilatura-dev"),
        &format!("segment F1 {f1:.3} (TP {tp}, FP {fp}, FN {fn_})"),
    );
    if show {
        score.misses.iter().for_each(|m| println!("  {m}"));
    }
}
