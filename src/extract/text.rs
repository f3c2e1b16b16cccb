//! Plain-text articles laid out as news portals print them: an optional
//! breadcrumb, a date line, the headline, the original's URL, a deck, the
//! body, a source line and navigation.

use std::sync::LazyLock;

use regex::Regex;

use super::{Extracted, non_empty};
use crate::format::normalize::{collapse_ws, decode, normalise_text};

static DATE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:date|published|posted|updated|dated)\s*:\s*(.+)$").expect("static regex")
});
static URL_LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(https?://\S+?)(?:\s*\[\d+\])?$").expect("static regex"));
static BYLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:by|author|authors|written by|reporter)\s*:?\s+(.+)$")
        .expect("static regex")
});
static SOURCE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\[?\s*source\s*:\s*([^\]]+?)\s*\]?$").expect("static regex")
});
static NAV_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:(?:prev(?:ious)?|next|back|top|back to top|home|share|print|list)\s*(?:\||·|/)?\s*)+$")
        .expect("static regex")
});

/// Longest line taken as a headline or deck; a longer line is a paragraph.
const MAX_HEADLINE: usize = 300;

static AUTHOR_SEPARATOR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\s*(?:,|;|&|\band\b)\s*").expect("static regex"));

/// Splits a byline into names: "A, B and C" gives three.
pub fn split_authors(s: &str) -> Vec<String> {
    AUTHOR_SEPARATOR
        .split(s)
        .map(collapse_ws)
        .filter(|n| !n.is_empty())
        .collect()
}

fn is_breadcrumb(line: &str) -> bool {
    let parts: Vec<&str> = line.split(" > ").collect();
    (2..=8).contains(&parts.len())
        && line.chars().count() <= 200
        && parts
            .iter()
            .all(|p| !p.trim().is_empty() && p.chars().count() <= 60)
}

/// Extracts from a plain-text article.
pub fn extract_text(bytes: &[u8]) -> Extracted {
    extract_text_with(bytes, None)
}

/// As [`extract_text`], with a charset declared by a server.
pub fn extract_text_with(bytes: &[u8], charset: Option<&str>) -> Extracted {
    let (decoded, encoding) = decode(bytes, charset);
    let text = normalise_text(&decoded);
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Extracted {
        encoding: encoding.to_string(),
        ..Extracted::default()
    };
    let mut i = 0usize;
    let skip_blank = |i: &mut usize| {
        while *i < lines.len() && collapse_ws(lines[*i]).is_empty() {
            *i += 1;
        }
    };
    let header_line = |i: &mut usize, out: &mut Extracted| -> bool {
        skip_blank(i);
        let Some(line) = lines.get(*i).map(|l| collapse_ws(l)) else {
            return false;
        };
        if out.section.is_none() && out.title.is_none() && is_breadcrumb(&line) {
            out.section = line.rsplit(" > ").next().map(collapse_ws);
        } else if let Some(c) = DATE_LINE
            .captures(&line)
            .filter(|_| out.published_raw.is_none())
        {
            out.published_raw = Some(collapse_ws(&c[1]));
        } else if let Some(c) = BYLINE.captures(&line).filter(|_| out.authors.is_empty()) {
            out.authors = split_authors(&c[1]);
        } else {
            return false;
        }
        *i += 1;
        true
    };
    while header_line(&mut i, &mut out) {}

    // The headline: the first line that is short enough to be one and is
    // followed by something other than end of text.
    if let Some(line) = lines.get(i).map(|l| collapse_ws(l))
        && line.chars().count() <= MAX_HEADLINE
        && i + 1 < lines.len()
    {
        out.title = Some(line);
        i += 1;
        if let Some(c) = lines
            .get(i)
            .and_then(|l| URL_LINE.captures(&collapse_ws(l)).map(|c| c[1].to_string()))
        {
            out.original_url = Some(c);
            i += 1;
        }
        // A deck is one short line directly under the headline (or its URL)
        // and followed by a blank line.
        if let Some(line) = lines.get(i).map(|l| collapse_ws(l))
            && !line.is_empty()
            && line.chars().count() <= MAX_HEADLINE
            && !line.ends_with('.')
            && !BYLINE.is_match(&line)
            && !DATE_LINE.is_match(&line)
            && lines.get(i + 1).is_some_and(|n| collapse_ws(n).is_empty())
        {
            out.subtitle = Some(line);
            i += 1;
        }
        while header_line(&mut i, &mut out) {}
    }

    let mut body: Vec<&str> = lines[i.min(lines.len())..].to_vec();
    loop {
        while body.last().is_some_and(|l| collapse_ws(l).is_empty()) {
            body.pop();
        }
        let Some(last) = body.last().map(|l| collapse_ws(l)) else {
            break;
        };
        if NAV_LINE.is_match(&last) {
            body.pop();
        } else if let Some(c) = SOURCE_LINE
            .captures(&last)
            .filter(|_| out.publisher.is_none())
        {
            out.publisher = Some(collapse_ws(&c[1]));
            body.pop();
        } else {
            break;
        }
    }
    out.text = normalise_text(&body.join("\n"));
    out.title = non_empty(out.title);
    out.subtitle = non_empty(out.subtitle);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const PORTAL: &str = "Home > World > Harbour Affairs\n\nDate : March 3, 2021\nCity opens new harbour ferry\n\u{a0}\u{a0}http://news.example.org/read.php?id=42&cat=7\u{a0}[9]\nA second ferry line joins the old one\n\nThe city opened a ferry line on Monday. \n\nOfficials said it would run daily.\n\n[Source: Example News]\n\nPrev  Next";

    #[test]
    fn reads_the_portal_layout() {
        let e = extract_text(PORTAL.as_bytes());
        assert_eq!(e.section.as_deref(), Some("Harbour Affairs"));
        assert_eq!(e.published_raw.as_deref(), Some("March 3, 2021"));
        assert_eq!(e.title.as_deref(), Some("City opens new harbour ferry"));
        assert_eq!(
            e.original_url.as_deref(),
            Some("http://news.example.org/read.php?id=42&cat=7")
        );
        assert_eq!(
            e.subtitle.as_deref(),
            Some("A second ferry line joins the old one")
        );
        assert_eq!(e.publisher.as_deref(), Some("Example News"));
        assert_eq!(
            e.text,
            "The city opened a ferry line on Monday.\n\nOfficials said it would run daily.\n"
        );
    }

    #[test]
    fn plain_title_and_body_with_byline() {
        let e = extract_text(b"A headline\nBy Ann Lee and Bo Kim\n\nBody one.\nBody two.\n");
        assert_eq!(e.title.as_deref(), Some("A headline"));
        assert_eq!(e.authors, vec!["Ann Lee", "Bo Kim"]);
        assert_eq!(e.text, "Body one.\nBody two.\n");
    }

    #[test]
    fn a_lone_paragraph_has_no_title() {
        let long = "word ".repeat(100);
        let e = extract_text(long.as_bytes());
        assert_eq!(e.title, None);
        assert!(e.text.starts_with("word word"));
    }

    #[test]
    fn authors_split_on_common_separators() {
        assert_eq!(
            split_authors("A, B; C & D and E"),
            vec!["A", "B", "C", "D", "E"]
        );
    }
}
