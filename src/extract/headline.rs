//! The article's headline: the titles a page declares (JSON-LD, OpenGraph,
//! Twitter, Dublin Core, `citation_*`, `<title>`), with the site's name
//! peeled off, checked against the headings a reader sees.
//!
//! Declared titles are written for search engines and social cards: they
//! are often shortened, or carry the site's name or a section around the
//! headline. The visible heading is what a reader, and so a citation, calls
//! the article. A heading therefore wins when it agrees with a declared
//! title (their word sets have a Dice coefficient of at least
//! [`AGREEMENT`]); a heading that shares little with every declared title
//! is taken for a site name or a section label, and the declared title is
//! used as it is. `<h2>` headings are consulted only when no `<h1>` agrees,
//! for pages whose `<h1>` is the site's name. A kicker set apart inside the
//! heading (`<h1><span>Pandemic</span> Headline</h1>`) is not part of the
//! headline.

use std::collections::BTreeSet;

use scraper::{ElementRef, Html, Node};

use super::sel;
use crate::format::normalize::collapse_ws;

/// How much a heading must share with a declared title to be taken for the
/// same headline: half of their words, by the Dice coefficient.
pub const AGREEMENT: f64 = 0.5;

/// Second-level headings are mostly section titles, so one must agree
/// more closely with a declared title to be taken for the headline.
pub const H2_AGREEMENT: f64 = 0.8;

/// A kicker has at most this many words, and the headline after it at
/// least [`MIN_HEADLINE_WORDS`].
const MAX_KICKER_WORDS: usize = 6;
const MIN_HEADLINE_WORDS: usize = 3;

/// Elements whose text a reader does not see as part of a heading.
const UNSEEN: [&str; 6] = ["script", "style", "noscript", "template", "svg", "button"];

/// Elements that can set a kicker apart at the start of a heading.
const KICKER_TAGS: [&str; 9] = [
    "span", "div", "p", "small", "strong", "b", "em", "i", "mark",
];

const BLOCK_KICKER_TAGS: [&str; 2] = ["div", "p"];

/// The visible heading that agrees best with one of `declared` (titles in
/// order of trust, site names already removed), or `None` when no heading
/// agrees with any. Of equally good headings the first in the page wins.
pub fn agreeing_heading(doc: &Html, declared: &[String]) -> Option<String> {
    let declared: Vec<BTreeSet<String>> = declared
        .iter()
        .map(|t| words(t))
        .filter(|w| !w.is_empty())
        .collect();
    if declared.is_empty() {
        return None;
    }
    for (level, needed) in [("h1", AGREEMENT), ("h2", H2_AGREEMENT)] {
        let mut best: Option<(f64, String)> = None;
        for heading in doc.select(&sel(level)).map(heading_text) {
            let mine = words(&heading);
            // One word ("Videos", "News") is a section label more often
            // than a headline.
            if mine.len() < 2 {
                continue;
            }
            let score = declared.iter().map(|d| dice(&mine, d)).fold(0.0, f64::max);
            if score >= needed && best.as_ref().is_none_or(|(b, _)| score > *b) {
                best = Some((score, heading));
            }
        }
        if let Some((_, heading)) = best {
            return Some(heading);
        }
    }
    None
}

/// The text of the page's first non-empty `<h1>`, for pages that declare
/// no title at all.
pub fn first_h1(doc: &Html) -> Option<String> {
    doc.select(&sel("h1"))
        .map(heading_text)
        .find(|h| !h.is_empty())
}

/// A heading's visible text, white space collapsed, without a kicker set
/// apart at its start.
pub fn heading_text(heading: ElementRef) -> String {
    let mut parts: Vec<(Option<&str>, String)> = Vec::new();
    for child in heading.children() {
        match child.value() {
            Node::Text(t) => parts.push((None, t.to_string())),
            Node::Element(e) => {
                if let Some(el) = ElementRef::wrap(child).filter(seen) {
                    let mut text = String::new();
                    seen_text(el, &mut text, 0);
                    parts.push((Some(e.name()), text));
                }
            }
            _ => {}
        }
    }
    parts.retain(|(_, t)| !t.trim().is_empty());
    let join = |ps: &[(Option<&str>, String)]| {
        collapse_ws(&ps.iter().map(|(_, t)| t.as_str()).collect::<String>())
    };
    // A kicker is set apart: by a block element, by a separator, or by the
    // headline being an element of its own. An inline word in bare text
    // ("<span>Feud</span> in the family") is part of the headline.
    let is_separator = |c: char| matches!(c, '-' | '–' | '—' | ':' | '|' | '·' | '/');
    if let [(Some(tag), kicker), rest @ ..] = parts.as_slice()
        && KICKER_TAGS.contains(tag)
        && !rest.is_empty()
        && (BLOCK_KICKER_TAGS.contains(tag)
            || kicker.trim_end().ends_with(is_separator)
            || rest[0].1.trim_start().starts_with(is_separator)
            || rest.iter().all(|(tag, _)| tag.is_some()))
    {
        let rest = join(rest);
        let rest = rest
            .trim_start_matches(|c: char| c.is_whitespace() || is_separator(c))
            .to_string();
        let kicker_words = words(kicker).len();
        if (1..=MAX_KICKER_WORDS).contains(&kicker_words)
            && rest.split_whitespace().count() >= MIN_HEADLINE_WORDS
        {
            return rest;
        }
    }
    join(&parts)
}

fn seen(el: &ElementRef) -> bool {
    let e = el.value();
    let class = e.attr("class").unwrap_or("");
    !UNSEEN.contains(&e.name())
        && e.attr("hidden").is_none()
        && e.attr("aria-hidden") != Some("true")
        && !class.contains("visually-hidden")
        && !class.contains("sr-only")
}

fn seen_text(el: ElementRef, out: &mut String, depth: usize) {
    // Hostile pages can nest thousands deep; deeper text is not a headline.
    if depth > 32 {
        return;
    }
    for child in el.children() {
        match child.value() {
            Node::Text(t) => out.push_str(t),
            Node::Element(_) => {
                if let Some(c) = ElementRef::wrap(child).filter(seen) {
                    seen_text(c, out, depth + 1);
                }
            }
            _ => {}
        }
    }
}

/// Lower-cased words: runs of letters and digits.
fn words(s: &str) -> BTreeSet<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn dice(a: &BTreeSet<String>, b: &BTreeSet<String>) -> f64 {
    let shared = a.intersection(b).count();
    2.0 * shared as f64 / (a.len() + b.len()).max(1) as f64
}

/// "Headline | Site" and "Headline - Site" lose the site part.
pub fn strip_site_suffix(title: &str, site: Option<&str>, host: Option<&str>) -> String {
    const SEPARATORS: [&str; 8] = [" | ", " - ", " – ", " — ", " :: ", " › ", " » ", " · "];
    // The site's name as its host spells it: "www.heizung.de" gives "heizung".
    let host_label = host.and_then(|h| {
        let labels: Vec<&str> = h.trim_start_matches("www.").split('.').collect();
        (labels.len() >= 2).then(|| labels[labels.len() - 2].to_lowercase())
    });
    let mut current = title.to_string();
    // Trailing segments such as " | Forum | Example.de" are peeled one by one.
    for _ in 0..3 {
        let Some((at, sep)) = SEPARATORS
            .iter()
            .filter_map(|s| current.rfind(s).map(|i| (i, *s)))
            .max_by_key(|(i, _)| *i)
        else {
            break;
        };
        let (head, tail) = (&current[..at], &current[at + sep.len()..]);
        let squashed: String = tail
            .to_lowercase()
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect();
        let is_site = site.is_some_and(|s| {
            s.eq_ignore_ascii_case(tail) || tail.to_lowercase().contains(&s.to_lowercase())
        }) || host_label
            .as_ref()
            .is_some_and(|l| l.len() >= 3 && squashed.contains(&l.replace('-', "")))
            || tail
                .split_whitespace()
                .last()
                .is_some_and(looks_like_domain);
        if !is_site || tail.split_whitespace().count() > 5 || head.split_whitespace().count() < 2 {
            break;
        }
        current = head.trim_end().to_string();
    }
    current
}

fn looks_like_domain(word: &str) -> bool {
    let w = word.to_lowercase();
    let tld = w.rsplit('.').next().unwrap_or("");
    w.contains('.')
        && (2..=6).contains(&tld.len())
        && tld.chars().all(|c| c.is_ascii_lowercase())
        && !w.ends_with('.')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pick(body: &str, declared: &[&str]) -> Option<String> {
        let doc = Html::parse_document(&format!("<html><body>{body}</body></html>"));
        let declared: Vec<String> = declared.iter().map(|s| s.to_string()).collect();
        agreeing_heading(&doc, &declared)
    }

    #[test]
    fn the_visible_headline_wins_when_it_agrees_with_a_declared_title() {
        // Longer on the page than in the social card.
        assert_eq!(
            pick(
                "<h1>Ferry line opens to the islands in June</h1>",
                &["Ferry line opens to the islands"]
            )
            .as_deref(),
            Some("Ferry line opens to the islands in June")
        );
        // Typographic quotes as printed, not as declared.
        assert_eq!(
            pick(
                "<h1>Police say all is \u{2018}calm\u{2019} in town</h1>",
                &["Police say all is 'calm' in town"]
            )
            .as_deref(),
            Some("Police say all is \u{2018}calm\u{2019} in town")
        );
        // Of several headings, the one that agrees.
        assert_eq!(
            pick(
                "<h1>Navigation and service</h1><h1>Speech at the federal convention</h1>",
                &["example.org: Speeches / Speech at the federal convention"]
            )
            .as_deref(),
            Some("Speech at the federal convention")
        );
    }

    #[test]
    fn a_heading_that_names_the_site_is_not_the_headline() {
        assert_eq!(
            pick("<h1>Crime Blog Archive</h1>", &["A video about music"]),
            None
        );
        // Then a second-level heading that agrees is.
        assert_eq!(
            pick(
                "<h1>Crime Blog Archive</h1><h2>Comments</h2><h2>A video about music</h2>",
                &["A video about music"]
            )
            .as_deref(),
            Some("A video about music")
        );
        assert_eq!(pick("<h1>Anything at all</h1>", &[]), None);
        // One word is a section label; a loosely related h2 is a section.
        assert_eq!(pick("<h1>Videos</h1>", &["Embedded videos test"]), None);
        assert_eq!(
            pick(
                "<h2>Open Journalism Project:</h2>",
                &["The Open Journalism Project: Better Student Journalism"]
            ),
            None
        );
    }

    #[test]
    fn kickers_and_unseen_text_are_left_out() {
        let doc = Html::parse_document(
            "<h1><div class=\"topic\">100th birthday</div>\n Survivor turns one hundred years old</h1>\
             <h1><span class=\"kicker\">Pandemic</span><span class=\"visually-hidden\"> - </span><span>\u{201e}It matters how people die\u{201c}</span></h1>\
             <h1><style>.x{color:red}</style>Plain <em>emphasised</em> headline</h1>\
             <h1><a href=\"/a\">Linked headline only</a></h1>\
             <h1><span class=\"mark\">Feud</span> in the family escalates again</h1>\
             <h1><span>Press release of the health office:</span>Vaccination stays open until March</h1>",
        );
        let got: Vec<String> = doc.select(&sel("h1")).map(heading_text).collect();
        assert_eq!(
            got,
            [
                "Survivor turns one hundred years old",
                "\u{201e}It matters how people die\u{201c}",
                "Plain emphasised headline",
                "Linked headline only",
                "Feud in the family escalates again",
                "Vaccination stays open until March",
            ]
        );
    }

    #[test]
    fn site_names_are_peeled_off_titles() {
        let s = |t: &str, site: Option<&str>, host: Option<&str>| strip_site_suffix(t, site, host);
        assert_eq!(
            s(
                "Ferry line opens | Example News",
                Some("Example News"),
                None
            ),
            "Ferry line opens"
        );
        assert_eq!(
            s(
                "Heat pumps in old houses - When it pays | heizung.de",
                None,
                None
            ),
            "Heat pumps in old houses - When it pays"
        );
        assert_eq!(
            s(
                "No app store on mobile data | iPhone | Forum | MacTechNews.de",
                None,
                Some("www.mactechnews.de")
            ),
            "No app store on mobile data | iPhone | Forum"
        );
        assert_eq!(
            s("Policía dice que todo tranqui | Minuto30.com", None, None),
            "Policía dice que todo tranqui"
        );
        assert_eq!(
            s("Corona-Pandemie - Es kommt darauf an", None, None),
            "Corona-Pandemie - Es kommt darauf an"
        );
        assert_eq!(
            s("Jobs - mediale pfade.de", None, Some("medialepfade.de")),
            "Jobs - mediale pfade.de"
        );
    }
}
