//! What a hostile page may cost to extract: time linear in its size and
//! memory bounded, whatever it holds.
//!
//! HTML tree construction (html5ever's, which both our extraction and the
//! content engine use) checks the stack of open elements on every tag, so
//! 200,000 nested `<div>` cost 200,000² steps; a million elements cost a
//! DOM of gigabytes. Before any parser sees a page, one linear scan here
//! measures it. A page within every limit below (every real news page
//! seen so far) is passed on unchanged. A page past one is rewritten for
//! extraction only (the raw page is stored byte for byte regardless):
//!
//! - elements nested deeper than [`MAX_DEPTH`] (Chromium's own limit) lose
//!   their tags and keep their text, so the tree stays at most that deep;
//! - formatting elements (`<b>`, `<i>`, `<a>`, …) left open past
//!   [`MAX_OPEN_FORMATTING`] lose their tags too: a parser re-opens every
//!   open formatting element at each new block, which would otherwise
//!   rebuild thousands of them again and again;
//! - the content of `<script>` (other than JSON-LD), `<style>` and
//!   comments is dropped, since no text is extracted from it;
//! - the document is cut after [`MAX_ELEMENTS`] elements or
//!   [`MAX_BYTES`] bytes, and the cut is reported.

use std::borrow::Cow;

/// Deepest element nesting passed to the parsers.
pub const MAX_DEPTH: usize = 512;
/// Most formatting elements left open at once.
pub const MAX_OPEN_FORMATTING: usize = 64;
/// Most elements passed to the parsers.
pub const MAX_ELEMENTS: usize = 100_000;
/// Most bytes of markup passed to the parsers (after scripts, styles and
/// comments are dropped).
pub const MAX_BYTES: usize = 8 << 20;

/// What the scan decided.
#[derive(Debug)]
pub(crate) struct Budgeted<'a> {
    /// The page to parse.
    pub html: Cow<'a, str>,
    /// Why the page was rewritten or cut, in words, when it was.
    pub note: Option<String>,
}

const VOID: [&str; 16] = [
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img", "input",
    "keygen", "link", "meta", "source", "wbr",
];
const RAW: [&str; 9] = [
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript",
];
const FORMATTING: [&str; 14] = [
    "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u",
];
/// Start tags that close an open `<p>` (HTML's "close a p element"), and
/// the elements that close a sibling of their own kind.
const CLOSES_P: [&str; 26] = [
    "address",
    "article",
    "aside",
    "blockquote",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "main",
    "nav",
    "ol",
    "p",
];
const SELF_CLOSING_SIBLINGS: [&str; 7] = ["li", "dt", "dd", "tr", "td", "th", "option"];

/// One tag as the scan reads it.
struct Tag<'a> {
    /// Lower-case name.
    name: String,
    end: bool,
    /// The whole tag, `<` to `>`.
    text: &'a str,
    self_closing: bool,
}

/// Reads the tag starting at `s[0] == '<'`: `None` when it is not a tag
/// (a lone `<`), else the tag and its length. Quotes are honoured, so a
/// `>` inside an attribute value does not end the tag.
fn read_tag(s: &str) -> Option<(Tag<'_>, usize)> {
    let b = s.as_bytes();
    let (end, start) = if b.get(1) == Some(&b'/') {
        (true, 2)
    } else {
        (false, 1)
    };
    if !b.get(start).is_some_and(u8::is_ascii_alphabetic) {
        return None;
    }
    let mut i = start;
    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' && b[i] != b'/' {
        i += 1;
    }
    let name = s[start..i].to_ascii_lowercase();
    let mut quote = None;
    while i < b.len() {
        match (quote, b[i]) {
            (None, b'"' | b'\'') => quote = Some(b[i]),
            (Some(q), c) if c == q => quote = None,
            (None, b'>') => break,
            _ => {}
        }
        i += 1;
    }
    let len = (i + 1).min(b.len());
    let text = &s[..len];
    Some((
        Tag {
            self_closing: text.ends_with("/>"),
            name,
            end,
            text,
        },
        len,
    ))
}

/// The end of a raw-text element's content: the offset of its `</name`,
/// found case-insensitively, or the end of the page.
fn raw_end(s: &str, name: &str) -> usize {
    let b = s.as_bytes();
    let n = name.len();
    let mut i = 0;
    while let Some(off) = memchr_lt(&b[i..]) {
        let at = i + off;
        if b.get(at + 1) == Some(&b'/')
            && b.len() >= at + 2 + n
            && b[at + 2..at + 2 + n].eq_ignore_ascii_case(name.as_bytes())
        {
            return at;
        }
        i = at + 1;
    }
    b.len()
}

fn memchr_lt(b: &[u8]) -> Option<usize> {
    b.iter().position(|&c| c == b'<')
}

/// The scan: when `rewrite` is false it only measures (and stops at the
/// first limit crossed, returning its reason); when true it writes the
/// reduced page.
struct Scan {
    stack: Vec<String>,
    /// How many elements of each name are on `stack`: an end tag with
    /// nothing to close costs one lookup, not a walk down the stack, and a
    /// walk always ends by closing every element it passed (so each
    /// element is walked over once).
    open: std::collections::HashMap<String, usize>,
    open_formatting: usize,
    elements: usize,
    out: String,
    rewrite: bool,
    reason: Option<String>,
}

impl Scan {
    fn over(&mut self, why: String) -> bool {
        if self.reason.is_none() {
            self.reason = Some(why);
        }
        !self.rewrite
    }

    fn emit(&mut self, s: &str) {
        if self.rewrite {
            self.out.push_str(s);
        }
    }

    /// Implied end tags, conservatively: only when the element to close is
    /// the innermost one, so that the depth counted is never below what a
    /// parser builds.
    fn implied_close(&mut self, name: &str) {
        let closes = |top: &str| {
            (top == "p" && CLOSES_P.contains(&name))
                || (SELF_CLOSING_SIBLINGS.contains(&name) && top == name)
                || (name == "tr" && matches!(top, "td" | "th"))
        };
        while self.stack.last().is_some_and(|t| closes(t)) {
            if let Some(t) = self.stack.pop() {
                self.closed(&t);
            }
        }
    }

    /// Accounts for an element taken off the stack.
    fn closed(&mut self, name: &str) {
        if FORMATTING.contains(&name) {
            self.open_formatting -= 1;
        }
        if let Some(n) = self.open.get_mut(name) {
            *n -= 1;
        }
    }

    /// Returns false when a measuring scan must stop.
    fn start(&mut self, tag: &Tag) -> bool {
        self.elements += 1;
        if self.elements > MAX_ELEMENTS {
            // Past it the page is cut, when rewriting and measuring alike.
            self.over(format!("it has more than {MAX_ELEMENTS} elements"));
            return false;
        }
        let void = VOID.contains(&tag.name.as_str()) || tag.self_closing;
        self.implied_close(&tag.name);
        let formatting = FORMATTING.contains(&tag.name.as_str());
        if !void && self.stack.len() >= MAX_DEPTH {
            if self.over(format!("its elements nest more than {MAX_DEPTH} deep")) {
                return false;
            }
            // Its text stays; its tag goes.
            return true;
        }
        if formatting && self.open_formatting >= MAX_OPEN_FORMATTING {
            if self.over(format!(
                "it leaves more than {MAX_OPEN_FORMATTING} formatting elements open"
            )) {
                return false;
            }
            return true;
        }
        if !void {
            self.stack.push(tag.name.clone());
            *self.open.entry(tag.name.clone()).or_default() += 1;
            self.open_formatting += usize::from(formatting);
        }
        self.emit(tag.text);
        true
    }

    fn end(&mut self, tag: &Tag) {
        // The nearest open element of that name, when one is open.
        if self.open.get(&tag.name).is_some_and(|n| *n > 0)
            && let Some(at) = self.stack.iter().rposition(|t| *t == tag.name)
        {
            let closed: Vec<String> = self.stack.drain(at..).collect();
            for t in &closed {
                self.closed(t);
            }
            self.emit(tag.text);
        }
    }
}

/// Measures the page and, when it is past a limit, rewrites it (see the
/// module documentation).
pub(crate) fn budget(html: &str) -> Budgeted<'_> {
    let measured = scan(html, false);
    match measured.reason {
        None => Budgeted {
            html: Cow::Borrowed(html),
            note: None,
        },
        Some(_) => {
            let rewritten = scan(html, true);
            let why = rewritten.reason.unwrap_or_default();
            Budgeted {
                html: Cow::Owned(rewritten.out),
                note: Some(format!(
                    "the page is too large or too deeply nested to extract whole ({why}); text was extracted from a reduced copy (the whole page is kept as the source)"
                )),
            }
        }
    }
}

fn scan(html: &str, rewrite: bool) -> Scan {
    let mut st = Scan {
        stack: Vec::new(),
        open: std::collections::HashMap::new(),
        open_formatting: 0,
        elements: 0,
        out: String::new(),
        rewrite,
        reason: None,
    };
    if html.len() > MAX_BYTES && !rewrite {
        st.reason = Some(format!("it is larger than {} MiB", MAX_BYTES >> 20));
        return st;
    }
    let mut i = 0;
    let b = html.as_bytes();
    while i < b.len() {
        if rewrite && st.out.len() > MAX_BYTES {
            st.over(format!(
                "its markup is larger than {} MiB without scripts and styles",
                MAX_BYTES >> 20
            ));
            let mut cut = MAX_BYTES;
            while !st.out.is_char_boundary(cut) {
                cut -= 1;
            }
            st.out.truncate(cut);
            break;
        }
        let Some(off) = memchr_lt(&b[i..]) else {
            st.emit(&html[i..]);
            break;
        };
        st.emit(&html[i..i + off]);
        i += off;
        let rest = &html[i..];
        if let Some(body) = rest.strip_prefix("<!--") {
            let end = body.find("-->").map_or(rest.len(), |e| e + 7);
            i += end;
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("<?") {
            let end = rest.find('>').map_or(rest.len(), |e| e + 1);
            st.emit(&rest[..end]);
            i += end;
            continue;
        }
        let Some((tag, len)) = read_tag(rest) else {
            st.emit("<");
            i += 1;
            continue;
        };
        i += len;
        if tag.end {
            st.end(&tag);
            continue;
        }
        if !st.start(&tag) {
            break;
        }
        if RAW.contains(&tag.name.as_str()) && !tag.self_closing {
            let content_end = raw_end(&html[i..], &tag.name);
            let content = &html[i..i + content_end];
            let keep = tag.name != "style"
                && (tag.name != "script" || tag.text.to_ascii_lowercase().contains("ld+json"));
            if keep {
                st.emit(content);
            }
            i += content_end;
        }
    }
    st
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_pages_pass_unchanged() {
        let page = "<!doctype html><html><head><title>T</title><script>if (a<b) x()</script></head><body><p>one<p>two<ul><li>a<li>b</ul><table><tr><td>1<td>2<tr><td>3</table><b>x</b></body></html>";
        let b = budget(page);
        assert!(matches!(b.html, Cow::Borrowed(_)) && b.note.is_none());
    }

    #[test]
    fn deep_nesting_is_flattened_and_text_kept() {
        let n = 20_000;
        let page = format!(
            "<html><body>{}deep text{}</body></html>",
            "<div>".repeat(n),
            "</div>".repeat(n)
        );
        let b = budget(&page);
        assert!(b.note.as_deref().unwrap().contains("nest more than 512"));
        assert!(b.html.contains("deep text"));
        assert!(b.html.matches("<div>").count() <= MAX_DEPTH);
        // Formatting elements left open, by the thousand.
        let page = format!(
            "<body>{}<p>x</p></body>",
            (0..5000).map(|i| format!("<b id={i}>")).collect::<String>()
        );
        let b = budget(&page);
        assert!(b.note.as_deref().unwrap().contains("formatting"));
        assert!(b.html.matches("<b ").count() <= MAX_OPEN_FORMATTING);
    }

    #[test]
    fn huge_pages_are_cut_and_scripts_dropped() {
        let page = format!(
            "<html><body>{}</body></html>",
            "<p>word</p>".repeat(MAX_ELEMENTS + 10)
        );
        let b = budget(&page);
        assert!(
            b.note
                .as_deref()
                .unwrap()
                .contains("more than 100000 elements")
        );
        assert!(b.html.matches("<p>").count() <= MAX_ELEMENTS);
        let big = format!(
            "<html><head><script type=\"application/ld+json\">{{\"a\":1}}</script><script>{}</script><style>{}</style></head><body><p>kept</p></body></html>",
            "x".repeat(MAX_BYTES),
            "y".repeat(10)
        );
        let b = budget(&big);
        assert!(b.html.contains("kept") && b.html.contains("{\"a\":1}"));
        assert!(b.html.len() < 1000, "{}", b.html.len());
    }
}
