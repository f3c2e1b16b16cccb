//! The article body of an HTML page: the main content as the content
//! engine isolates it, rendered one paragraph per block element, or the
//! page's visible text when the engine finds nothing; the headline and the
//! byline are left out, being metadata rather than body text.

use scraper::{ElementRef, Html, Node};

use super::sel;
use crate::format::normalize::{collapse_ws, normalise_text};

/// The article body as the `trafilatura` crate finds it (boilerplate such as
/// navigation, share bars, related links and comments removed), without the
/// headline or a byline line. `None` when it finds nothing, or fails, so
/// that the caller can fall back to the page's visible text.
///
/// It was chosen by measurement: on ../shared/corpus it scored best of the
/// Rust engines tried across both corpora (see `tools/extract-compare`).
pub(super) fn main_text(
    doc: &Html,
    content_html: &str,
    title: Option<&str>,
    authors: &[String],
) -> Option<String> {
    // Its plain text loses paragraph breaks, so the cleaned HTML it returns
    // is rendered here, block by block.
    let fragment = Html::parse_fragment(content_html);
    let engine_blocks = blocks_of(fragment.root_element());
    if engine_blocks.is_empty() {
        return None;
    }
    // The engine sometimes runs the page's headline, byline and first
    // paragraph into one block; the page's own blocks split them again.
    let body = doc
        .select(&sel("body"))
        .next()
        .unwrap_or_else(|| doc.root_element());
    let page_blocks = blocks_of(body);
    let known: std::collections::HashSet<&str> = page_blocks.iter().map(String::as_str).collect();
    let mut split = Vec::with_capacity(engine_blocks.len());
    // Each search compares the block with every page block: fine for a
    // page's few hundred blocks, quadratic for a hostile page's hundred
    // thousand. Past this many bytes compared, blocks are kept as the
    // engine gave them.
    let mut budget: usize = SPLIT_BUDGET;
    for block in engine_blocks {
        let mut rest = block.as_str();
        while !known.contains(rest) && budget > 0 {
            let head = page_blocks
                .iter()
                .filter(|p| {
                    budget = budget.saturating_sub(p.len().min(rest.len()) / 8 + 1);
                    p.len() < rest.len()
                        && rest.starts_with(p.as_str())
                        && rest[p.len()..].starts_with(' ')
                })
                .max_by_key(|p| p.len());
            let Some(head) = head else { break };
            split.push(head.clone());
            rest = rest[head.len()..].trim_start();
        }
        split.push(rest.to_string());
    }
    let text = paragraphs(split, title, authors);
    (!text.is_empty()).then_some(text)
}

/// Work allowed for re-splitting the engine's blocks, in units of about
/// eight bytes compared (see [`main_text`]).
const SPLIT_BUDGET: usize = 20_000_000;

/// Runs the `trafilatura` crate on the decoded page. A dependency's panic on
/// a hostile page must not take the packer down: the page is still kept byte
/// for byte, and the caller falls back to its own extraction.
pub(super) fn content_engine(html: &str) -> Option<trafilatura::ExtractResult> {
    std::panic::catch_unwind(|| trafilatura::extract(html, &trafilatura::Options::default()))
        .ok()?
        .ok()
}

/// The content engine sometimes runs the headline into the first sentence
/// ("Pier reopensThe pier…"); the headline, already recorded as the title,
/// is taken off such a block.
fn unglue_headline(block: String, title: Option<&str>) -> String {
    match title.and_then(|t| block.strip_prefix(t)) {
        Some(rest) if rest.chars().next().is_some_and(char::is_uppercase) => rest.to_string(),
        _ => block,
    }
}

/// A short line that credits the authors ("By Ann Lee and Bo Kim").
fn is_byline(line: &str, authors: &[String]) -> bool {
    let short = line.chars().count() <= 120;
    let by = line.starts_with("By ")
        || line.starts_with("by ")
        || line.starts_with("Von ")
        || line.starts_with("Par ");
    short
        && (by
            || (!authors.is_empty()
                && authors.iter().all(|a| line.contains(a.as_str()))
                && line.len() < 3 * authors.join(" ").len() + 10))
}

const SKIP: [&str; 17] = [
    "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form",
    "button", "svg", "iframe", "select", "head", "title", "figure", "menu",
];
const BLOCK: [&str; 24] = [
    "p",
    "div",
    "section",
    "article",
    "main",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "blockquote",
    "pre",
    "br",
    "tr",
    "table",
    "hr",
    "dd",
    "dt",
    "dl",
    "address",
];

/// The visible text of the article: the `<article>` with the most text,
/// else `<main>`, else `<body>`; boilerplate elements skipped; blocks
/// separated by blank lines; the headline left out.
pub(super) fn visible_text(doc: &Html, title: Option<&str>, authors: &[String]) -> String {
    let text_len = |e: &ElementRef| e.text().map(|t| t.trim().len()).sum::<usize>();
    let root = doc
        .select(&sel("article"))
        .max_by_key(text_len)
        .or_else(|| doc.select(&sel("main, [role=main]")).next())
        .or_else(|| doc.select(&sel("body")).next())
        .unwrap_or_else(|| doc.root_element());
    block_text(root, title, authors)
}

/// The text under `root`, one paragraph per block element, separated by
/// blank lines, with the headline and the byline left out.
fn block_text(root: ElementRef, title: Option<&str>, authors: &[String]) -> String {
    paragraphs(blocks_of(root), title, authors)
}

/// The text of each block element under `root`, white space collapsed.
fn blocks_of(root: ElementRef) -> Vec<String> {
    let mut blocks: Vec<String> = Vec::new();
    let mut current = String::new();
    walk(root, &mut blocks, &mut current, 0);
    blocks.push(std::mem::take(&mut current));
    blocks
        .into_iter()
        .map(|b| collapse_ws(&b))
        .filter(|b| !b.is_empty())
        .collect()
}

/// Joins blocks into paragraphs, leaving out the headline and the byline,
/// which are metadata rather than body text.
fn paragraphs(blocks: Vec<String>, title: Option<&str>, authors: &[String]) -> String {
    let mut seen_title = false;
    let mut seen_byline = false;
    let kept: Vec<String> = blocks
        .into_iter()
        .map(|b| unglue_headline(b, title))
        .filter(|b| !b.is_empty())
        .filter(|b| {
            if !seen_title && Some(b.as_str()) == title {
                seen_title = true;
                return false;
            }
            if !seen_byline && is_byline(b, authors) {
                seen_byline = true;
                return false;
            }
            true
        })
        .collect();
    normalise_text(&kept.join("\n\n"))
}

fn walk(el: ElementRef, blocks: &mut Vec<String>, current: &mut String, depth: usize) {
    // The budget (`super::budget`) keeps pages at most MAX_DEPTH deep;
    // this guard only keeps the stack safe should that ever change.
    if depth > 4 * super::budget::MAX_DEPTH {
        return;
    }
    for child in el.children() {
        match child.value() {
            Node::Text(t) => current.push_str(t),
            Node::Element(e) => {
                let name = e.name();
                if SKIP.contains(&name)
                    || e.attr("hidden").is_some()
                    || e.attr("aria-hidden") == Some("true")
                {
                    continue;
                }
                let block = BLOCK.contains(&name);
                if block {
                    blocks.push(std::mem::take(current));
                }
                if let Some(child_el) = ElementRef::wrap(child) {
                    walk(child_el, blocks, current, depth + 1);
                }
                if block {
                    blocks.push(std::mem::take(current));
                } else {
                    current.push(' ');
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::html::extract_html;

    #[test]
    fn visible_text_skips_boilerplate_and_headline() {
        let doc = Html::parse_document(
            "<html><body><nav>Home | World</nav><article><h1>Ferry line opens</h1><p>The city opened a <b>ferry</b> line.</p><p>It runs daily.</p><aside>Related: other</aside></article><footer>Copyright</footer></body></html>",
        );
        let text = visible_text(&doc, Some("Ferry line opens"), &[]);
        assert_eq!(text, "The city opened a ferry line.\n\nIt runs daily.\n");
    }

    #[test]
    fn main_text_keeps_paragraphs_and_inline_markup_together() {
        let para = |i: usize| {
            format!(
                "<p>Paragraph {i} of the report says <a href=\"/x\">something</a> with <b>bold</b> words, and it goes on for a while so that it reads like an article paragraph.</p>"
            )
        };
        let body: String = (1..=6).map(para).collect();
        let page = format!(
            "<html><head><title>Report</title></head><body><nav><a href=\"/\">Home</a> <a href=\"/w\">World</a></nav><article><h1>Report</h1><p>By Ann Lee</p>{body}</article><footer>Share this on every network</footer></body></html>"
        );
        let e = extract_html(page.as_bytes());
        let paragraphs: Vec<&str> = e.text.split("\n\n").collect();
        assert_eq!(paragraphs.len(), 6, "{}", e.text);
        assert!(
            paragraphs[0].starts_with("Paragraph 1 of the report says something with bold words"),
            "{}",
            e.text
        );
        assert!(
            !e.text.contains("By Ann Lee") && !e.text.contains("Share this"),
            "{}",
            e.text
        );
    }
}
