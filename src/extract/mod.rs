//! Metadata and article text from an input file (plain text or HTML).
//!
//! Extraction proposes; the packer's caller disposes: every value found here
//! can be overridden on the command line, and the raw input is always kept
//! byte for byte beside what was extracted.

mod body;
pub mod budget;
pub mod dates;
pub mod headline;
pub mod html;
pub mod sniff;
pub mod text;

use scraper::Selector;
use serde::Serialize;

/// A CSS selector written in the source, which always parses.
fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("static selector")
}

/// What kind of document the input is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum InputKind {
    /// Plain text, such as a page saved as text or copied from a portal.
    Text,
    /// An HTML page.
    Html,
}

impl InputKind {
    /// Guesses the kind from a file name extension, then from the content.
    pub fn detect(name_hint: Option<&str>, bytes: &[u8]) -> InputKind {
        if let Some(name) = name_hint {
            let lower = name.to_ascii_lowercase();
            if lower.ends_with(".html") || lower.ends_with(".htm") || lower.ends_with(".xhtml") {
                return InputKind::Html;
            }
            if lower.ends_with(".txt") || lower.ends_with(".text") {
                return InputKind::Text;
            }
        }
        let head = &bytes[..bytes.len().min(1024)];
        let head = String::from_utf8_lossy(head).to_ascii_lowercase();
        let trimmed = head.trim_start_matches('\u{feff}').trim_start();
        if trimmed.starts_with("<!doctype html")
            || trimmed.starts_with("<html")
            || head.contains("<head")
            || head.contains("<body")
        {
            InputKind::Html
        } else {
            InputKind::Text
        }
    }

    /// The entry name the raw input is stored under.
    pub fn source_path(self) -> &'static str {
        match self {
            InputKind::Text => "source/page.txt",
            InputKind::Html => "source/page.html",
        }
    }

    /// The media type recorded for the raw input. No charset is claimed:
    /// the bytes are kept as given, whatever their encoding.
    pub fn media_type(self) -> &'static str {
        match self {
            InputKind::Text => "text/plain",
            InputKind::Html => "text/html",
        }
    }
}

/// Everything extraction found. Absent values are `None` or empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Extracted {
    /// Headline.
    pub title: Option<String>,
    /// Deck or second headline.
    pub subtitle: Option<String>,
    /// Credited authors.
    pub authors: Vec<String>,
    /// Publishing outlet.
    pub publisher: Option<String>,
    /// Publication date as found.
    pub published_raw: Option<String>,
    /// Last-modified date as found (HTML metadata only).
    pub modified_raw: Option<String>,
    /// Section or category.
    pub section: Option<String>,
    /// Language tag.
    pub language: Option<String>,
    /// `rel=canonical` or `og:url` of an HTML page.
    pub canonical_url: Option<String>,
    /// The original's URL when the input names it (e.g. under a repost's
    /// headline).
    pub original_url: Option<String>,
    /// The article body, normalised (NFC, LF), without headline or
    /// navigation.
    pub text: String,
    /// The character encoding the input was decoded with.
    pub encoding: String,
    /// Why the page was reduced before extraction (see [`budget`]), when
    /// it was: the text may then be incomplete, while the raw page is kept
    /// whole.
    pub reduced: Option<String>,
}

/// Extracts metadata and text from input bytes of the given kind.
pub fn extract(kind: InputKind, bytes: &[u8]) -> Extracted {
    extract_with_charset(kind, bytes, None)
}

/// As [`extract`], with the charset a server declared in `Content-Type`,
/// which wins over what the document says about itself.
pub fn extract_with_charset(kind: InputKind, bytes: &[u8], charset: Option<&str>) -> Extracted {
    match kind {
        InputKind::Text => text::extract_text_with(bytes, charset),
        InputKind::Html => html::extract_html_with(bytes, charset),
    }
    .without_unsafe_characters()
}

impl Extracted {
    /// The values with every control, bidirectional and invisible format
    /// character removed (see [`crate::display`]): what provseal signs is
    /// clean, while the raw page keeps every byte.
    pub fn without_unsafe_characters(self) -> Extracted {
        use crate::display::{has_unsafe, strip_unsafe, strip_unsafe_text};
        let clean = |v: Option<String>| {
            v.map(|s| crate::format::normalize::collapse_ws(&strip_unsafe(&s)))
                .filter(|s| !s.is_empty())
        };
        let text = if self.text.split('\n').any(has_unsafe) {
            crate::format::normalize::normalise_text(&strip_unsafe_text(&self.text))
        } else {
            self.text
        };
        Extracted {
            title: clean(self.title),
            subtitle: clean(self.subtitle),
            authors: self
                .authors
                .into_iter()
                .filter_map(|a| clean(Some(a)))
                .collect(),
            publisher: clean(self.publisher),
            published_raw: clean(self.published_raw),
            modified_raw: clean(self.modified_raw),
            section: clean(self.section),
            language: clean(self.language),
            canonical_url: clean(self.canonical_url),
            original_url: clean(self.original_url),
            text,
            encoding: self.encoding,
            reduced: self.reduced,
        }
    }
}

/// Drops values that are empty after trimming; decodes character
/// references left in metadata by pages that escape twice ("&amp;#8222;").
pub(crate) fn non_empty(s: Option<String>) -> Option<String> {
    s.map(|v| crate::format::normalize::collapse_ws(&decode_leftover_entities(&v)))
        .filter(|v| !v.is_empty())
}

/// Decodes numeric character references and the five XML entities (plus
/// `&nbsp;`) that survive in text after HTML parsing.
fn decode_leftover_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let end = tail.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let name = &tail[1..e];
            let c = match name {
                "amp" => Some('&'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "nbsp" => Some('\u{a0}'),
                _ => {
                    let n = if let Some(h) =
                        name.strip_prefix("#x").or_else(|| name.strip_prefix("#X"))
                    {
                        u32::from_str_radix(h, 16).ok()
                    } else {
                        name.strip_prefix('#').and_then(|d| d.parse().ok())
                    };
                    n.and_then(char::from_u32)
                }
            };
            c.map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &tail[e + 1..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn leftover_entities_are_decoded_and_lone_ampersands_kept() {
        assert_eq!(
            super::decode_leftover_entities("a &#8222;b&#8220; &amp; c &x; AT&T"),
            "a \u{201e}b\u{201c} & c &x; AT&T"
        );
    }
}
