//! How a repost relates to the original: the same bytes, the same text in
//! other markup, a truncated copy, an edited one, or a different text. Texts
//! are compared word by word after normalisation, so line breaks and spacing
//! do not count as edits.

use std::collections::HashMap;
use std::time::Duration;

use serde::Serialize;
use similar::{Algorithm, DiffOp};

pub use crate::format::manifest::Relation;

/// One differing passage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Passage {
    /// What the original has here (empty for an insertion).
    pub original: String,
    /// What the repost has here (empty for a removal).
    pub repost: String,
    /// Word offset of the passage in the original.
    pub original_word: usize,
}

/// The result of a comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// The relation.
    pub relation: Relation,
    /// Share of words in common, 2·matches / (original + repost words),
    /// from 0 to 1.
    pub similarity: f64,
    /// Words in the original's text.
    pub original_words: usize,
    /// Words in the repost's text.
    pub repost_words: usize,
    /// The passages that differ, in order (at most [`MAX_PASSAGES`]).
    pub passages: Vec<Passage>,
}

/// Most passages reported; a comparison of unrelated texts would otherwise
/// list everything.
pub const MAX_PASSAGES: usize = 200;
/// Word-bag overlap below which texts are `different` without a full diff.
const UNRELATED: f64 = 0.3;
/// Similarity at or above which differing texts count as `edited`.
pub const EDITED_THRESHOLD: f64 = 0.6;
/// Marks a repost uses to say it cut the text short.
const TRUNCATION_MARKS: [&str; 7] = ["....", "...", "…", "[...]", "[…]", "(more)", "Read more"];

fn words(text: &str) -> Vec<&str> {
    text.split_whitespace().collect()
}

/// Drops trailing truncation marks, also when glued to the last word.
fn strip_truncation(mut w: Vec<&str>) -> Vec<&str> {
    while let Some(last) = w.last().copied() {
        if TRUNCATION_MARKS.contains(&last) {
            w.pop();
            continue;
        }
        if let Some(stem) = TRUNCATION_MARKS
            .iter()
            .find_map(|m| last.strip_suffix(m))
            .filter(|s| !s.is_empty())
        {
            let n = w.len();
            w[n - 1] = stem;
        }
        break;
    }
    w
}

fn bag_overlap(a: &[&str], b: &[&str]) -> f64 {
    let mut counts: HashMap<&str, isize> = HashMap::new();
    for w in a {
        *counts.entry(w).or_default() += 1;
    }
    let mut common = 0usize;
    for w in b {
        if let Some(c) = counts.get_mut(w)
            && *c > 0
        {
            *c -= 1;
            common += 1;
        }
    }
    2.0 * common as f64 / (a.len() + b.len()).max(1) as f64
}

/// Compares an original and a repost by their normalised article texts;
/// `same_bytes` says whether their captured sources are byte-identical.
pub fn compare(original: &str, repost: &str, same_bytes: bool) -> Comparison {
    let a = words(original);
    let b = words(repost);
    let cut = strip_truncation(b.clone());
    let base = |relation, similarity, passages| Comparison {
        relation,
        similarity,
        original_words: a.len(),
        repost_words: b.len(),
        passages,
    };
    if same_bytes {
        return base(Relation::Identical, 1.0, Vec::new());
    }
    if a == b {
        return base(Relation::SameTextDifferentMarkup, 1.0, Vec::new());
    }
    // A truncation mark ("....") is common at the cut but not required.
    if !cut.is_empty() && cut.len() < a.len() && a[..cut.len()] == cut[..] {
        let similarity = 2.0 * cut.len() as f64 / (a.len() + cut.len()) as f64;
        let rest = Passage {
            original: a[cut.len()..].join(" "),
            repost: b[cut.len()..].join(" "),
            original_word: cut.len(),
        };
        return base(Relation::Truncated, similarity, vec![rest]);
    }
    if bag_overlap(&a, &b) < UNRELATED {
        return base(Relation::Different, bag_overlap(&a, &b), Vec::new());
    }
    // The deadline only bounds pathological inputs (it makes the diff
    // approximate, never wrong about equal words).
    let ops = similar::capture_diff_slices_deadline(
        Algorithm::Myers,
        &a,
        &b,
        Some(std::time::Instant::now() + Duration::from_secs(10)),
    );
    let mut matched = 0usize;
    // Changes separated by one or two equal words read as one passage
    // ("[-covered by the regional-] {+paid by an anonymous+}"), not three.
    let mut spans: Vec<(std::ops::Range<usize>, std::ops::Range<usize>)> = Vec::new();
    let mut gap = usize::MAX;
    for op in &ops {
        match *op {
            DiffOp::Equal { len, .. } => {
                matched += len;
                gap = len;
            }
            _ => {
                let (_, old, new) = op.as_tag_tuple();
                match spans.last_mut() {
                    Some(last) if gap <= 2 => {
                        last.0.end = old.end;
                        last.1.end = new.end;
                    }
                    _ => spans.push((old, new)),
                }
                gap = 0;
            }
        }
    }
    let passages = spans
        .into_iter()
        .take(MAX_PASSAGES)
        .map(|(old, new)| Passage {
            original: a[old.clone()].join(" "),
            repost: b[new].join(" "),
            original_word: old.start,
        })
        .collect();
    let similarity = 2.0 * matched as f64 / (a.len() + b.len()).max(1) as f64;
    let relation = if similarity >= EDITED_THRESHOLD {
        Relation::Edited
    } else {
        Relation::Different
    };
    base(relation, similarity, passages)
}

/// A readable diff: each passage with a few words of context, removals in
/// `[-…-]` and additions in `{+…+}`, as `git diff --word-diff` prints them.
pub fn render_diff(original: &str, c: &Comparison) -> String {
    let a = words(original);
    let mut out = String::new();
    for p in &c.passages {
        let start = p.original_word.saturating_sub(6);
        let removed = p.original.split_whitespace().count();
        let end = (p.original_word + removed + 6).min(a.len());
        let before = a[start..p.original_word.min(a.len())].join(" ");
        let after = a[(p.original_word + removed).min(a.len())..end].join(" ");
        out.push_str(&format!("@ word {}: …{before} ", p.original_word));
        if !p.original.is_empty() {
            out.push_str(&format!("[-{}-] ", p.original));
        }
        if !p.repost.is_empty() {
            out.push_str(&format!("{{+{}+}} ", p.repost));
        }
        out.push_str(&format!("{after}…\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORIGINAL: &str = "The pier reopened on Thursday after a month of repairs.\n\nFishing boats returned within hours, and the ferry resumed its timetable the same afternoon.\n\nOfficials said the cost was covered by the regional budget.\n";

    #[test]
    fn identical_and_markup_only() {
        assert_eq!(
            compare(ORIGINAL, ORIGINAL, true).relation,
            Relation::Identical
        );
        let relaid = ORIGINAL.replace("\n\n", "\n");
        let c = compare(ORIGINAL, &relaid, false);
        assert_eq!(
            (c.relation, c.similarity),
            (Relation::SameTextDifferentMarkup, 1.0)
        );
    }

    #[test]
    fn a_prefix_with_a_mark_is_truncated() {
        let repost = "The pier reopened on Thursday after a month of repairs. Fishing boats returned within hours, and the ferry ....";
        let c = compare(ORIGINAL, repost, false);
        assert_eq!(c.relation, Relation::Truncated);
        assert!(c.similarity > 0.5 && c.similarity < 1.0);
        assert!(c.passages[0].original.starts_with("resumed its timetable"));
        let glued = "The pier reopened on Thursday after a month…";
        assert_eq!(
            compare(ORIGINAL, glued, false).relation,
            Relation::Truncated
        );
    }

    #[test]
    fn a_changed_sentence_is_an_edit_with_its_passage() {
        let repost = ORIGINAL.replace(
            "covered by the regional budget",
            "paid by an anonymous donor",
        );
        let c = compare(ORIGINAL, &repost, false);
        assert_eq!(c.relation, Relation::Edited);
        assert!(c.similarity > 0.8);
        assert_eq!(c.passages.len(), 1);
        assert_eq!(c.passages[0].original, "covered by the regional budget.");
        assert_eq!(c.passages[0].repost, "paid by an anonymous donor.");
        let diff = render_diff(ORIGINAL, &c);
        assert!(
            diff.contains("[-covered by the regional budget.-] {+paid by an anonymous donor.+}"),
            "{diff}"
        );
    }

    #[test]
    fn unrelated_text_is_different() {
        let c = compare(
            ORIGINAL,
            "Markets closed higher on Friday as investors weighed new data.",
            false,
        );
        assert_eq!(c.relation, Relation::Different);
        assert!(c.similarity < 0.3);
    }
}
