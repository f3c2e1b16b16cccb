//! The one way untrusted text reaches a person.
//!
//! Everything a bundle, a page, a trust store, a server or a file name
//! says is hostile forever: a title can carry terminal escape sequences, a
//! custody note a line feed followed by a fake "VERIFIED" line, a URL a
//! right-to-left override that shows its host backwards. Every human
//! rendering (the CLI's reports, messages and errors, the text of human
//! citation styles) passes such values through this module; machine
//! outputs (JSON, JSONL, JUnit XML) keep them exact and leave escaping to
//! their serialiser.
//!
//! A character is *unsafe* when a terminal or a text renderer could act on
//! it or hide it instead of showing it: C0 and C1 controls (line feed,
//! carriage return and tab included), DEL, the bidirectional controls
//! (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069), every other
//! invisible format character (Unicode category Cf, such as U+200B and the
//! tag characters), the line and paragraph separators, and the Hangul
//! fillers. Two exceptions keep real writing readable: a zero-width
//! joiner or non-joiner between letters, marks or pictographs (Persian,
//! Indic scripts, emoji sequences), and an emoji presentation selector
//! right after a character that is not ASCII.
//!
//! Unsafe characters are shown as `\u{…}` (lower-case hex), never raw; an
//! escaped line feed keeps a multi-line value on its one line, so nothing
//! an attacker writes can start a line of the tool's own.

mod hosts;
mod io_words;

pub use hosts::{UrlView, confusable_host, url, url_with_note};
pub use io_words::io_words;

use std::borrow::Cow;
use std::fmt;
use std::path::Path;

/// Unicode category Cf (format characters), as of Unicode 16.
const FORMAT: &[(u32, u32)] = &[
    (0x00AD, 0x00AD),
    (0x0600, 0x0605),
    (0x061C, 0x061C),
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),
    (0x180E, 0x180E),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x2064),
    (0x2066, 0x206F),
    (0xFEFF, 0xFEFF),
    (0xFFF9, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x1343F),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),
];

/// Invisible characters outside Cf that render as blank space of no
/// width, or modify a neighbour invisibly.
const INVISIBLE: &[(u32, u32)] = &[
    (0x034F, 0x034F),   // combining grapheme joiner
    (0x115F, 0x1160),   // Hangul choseong and jungseong fillers
    (0x17B4, 0x17B5),   // Khmer inherent vowels
    (0x180B, 0x180D),   // Mongolian free variation selectors
    (0x180F, 0x180F),   // Mongolian free variation selector four
    (0x2028, 0x2029),   // line and paragraph separators
    (0x3164, 0x3164),   // Hangul filler
    (0xFE00, 0xFE0D),   // variation selectors (text/emoji ones below)
    (0xFFA0, 0xFFA0),   // halfwidth Hangul filler
    (0xE0100, 0xE01EF), // variation selectors supplement
];

fn in_ranges(c: char, ranges: &[(u32, u32)]) -> bool {
    let c = c as u32;
    ranges.iter().any(|&(lo, hi)| (lo..=hi).contains(&c))
}

/// Whether `c` is in itself a character a terminal may act on or that
/// shows nothing: see the module documentation.
pub fn is_unsafe_char(c: char) -> bool {
    c.is_control() || in_ranges(c, FORMAT) || in_ranges(c, INVISIBLE) || is_presentation(c)
}

/// The bidirectional controls, named apart because they reorder what is
/// shown around them.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn is_presentation(c: char) -> bool {
    matches!(c, '\u{FE0E}' | '\u{FE0F}')
}

fn is_pictograph(c: char) -> bool {
    matches!(c as u32, 0x2190..=0x2BFF | 0x1F000..=0x1FAFF)
}

fn joins(c: Option<char>) -> bool {
    c.is_some_and(|c| {
        c.is_alphabetic()
            || unicode_normalization::char::is_combining_mark(c)
            || is_pictograph(c)
            || is_presentation(c)
    })
}

/// Whether the character at `i` of `chars` is unsafe where it stands: a
/// joiner between letters and an emoji selector after a non-ASCII
/// character are part of the writing, not a trick.
fn unsafe_at(chars: &[char], i: usize) -> bool {
    let c = chars[i];
    let prev = i.checked_sub(1).map(|p| chars[p]);
    let next = chars.get(i + 1).copied();
    match c {
        '\u{200C}' | '\u{200D}' => !(joins(prev) && joins(next)),
        '\u{FE0E}' | '\u{FE0F}' => !prev.is_some_and(|p| !p.is_ascii() && !is_presentation(p)),
        _ => is_unsafe_char(c),
    }
}

/// Calls `f` with each character and whether it is unsafe where it stands.
/// Linear: a look at each neighbour, never a scan.
fn classify(s: &str, mut f: impl FnMut(char, bool)) {
    if !s
        .chars()
        .any(|c| is_unsafe_char(c) || matches!(c, '\u{200C}' | '\u{200D}'))
    {
        s.chars().for_each(|c| f(c, false));
        return;
    }
    let chars: Vec<char> = s.chars().collect();
    for i in 0..chars.len() {
        f(chars[i], unsafe_at(&chars, i));
    }
}

/// Whether `s` holds any character that is unsafe where it stands.
pub fn has_unsafe(s: &str) -> bool {
    first_unsafe(s).is_some()
}

/// The first unsafe character of `s` and its byte offset.
pub fn first_unsafe(s: &str) -> Option<(usize, char)> {
    let mut found = None;
    let mut offset = 0;
    classify(s, |c, bad| {
        if bad && found.is_none() {
            found = Some((offset, c));
        }
        offset += c.len_utf8();
    });
    found
}

/// How an unsafe character is written: `\u{1b}`.
pub fn escape_char(c: char) -> String {
    format!("\\u{{{:x}}}", c as u32)
}

/// `s` for one line of human output: every unsafe character, line feeds
/// and tabs included, written as `\u{…}`.
pub fn inline(s: &str) -> Cow<'_, str> {
    if !has_unsafe(s) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    classify(s, |c, bad| {
        if bad {
            out.push_str(&escape_char(c));
        } else {
            out.push(c);
        }
    });
    Cow::Owned(out)
}

/// A value shown safely by `{}`: [`inline`] as a [`fmt::Display`].
#[derive(Debug, Clone, Copy)]
pub struct Shown<'a>(pub &'a str);

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&inline(self.0))
    }
}

/// `{}` of an untrusted value: `format!("title {}", shown(&title))`.
pub fn shown(s: &str) -> Shown<'_> {
    Shown(s)
}

/// A path or file name for human output: bytes that are not UTF-8 as
/// U+FFFD, unsafe characters escaped. Names in a directory walked are as
/// hostile as the bundles in it.
pub fn path(p: &Path) -> String {
    inline(&p.to_string_lossy()).into_owned()
}

/// A multi-line value (an article text, a diff) for human output: each
/// line shown as [`inline`] shows it and prefixed by `indent`, so that no
/// line of the value starts where the tool's own lines start. `indent`
/// should not be empty.
pub fn block(s: &str, indent: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    for line in s.split_terminator('\n') {
        out.push_str(indent);
        out.push_str(&inline(line));
        out.push('\n');
    }
    out
}

/// `s` with every unsafe character removed, for values extracted from a
/// page before they are signed (the raw page keeps every byte). Tabs,
/// line feeds and the other white-space controls become spaces, so words
/// stay apart.
pub fn strip_unsafe(s: &str) -> String {
    if !has_unsafe(s) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    classify(s, |c, bad| {
        if !bad {
            out.push(c);
        } else if c.is_whitespace() {
            out.push(' ');
        }
    });
    out
}

/// As [`strip_unsafe`] for an article text: line feeds are kept.
pub fn strip_unsafe_text(s: &str) -> String {
    if !has_unsafe(s.trim_matches('\n')) && !s.contains(['\r', '\t']) {
        return s.to_string();
    }
    s.split('\n')
        .map(strip_unsafe)
        .collect::<Vec<_>>()
        .join("\n")
}

/// JSON text (as a serialiser wrote it) made safe for a terminal without
/// changing what it means: every unsafe character, which JSON can only
/// hold inside a string, becomes a `\uXXXX` escape (a surrogate pair
/// beyond the Basic Multilingual Plane). A JSON parser reads back the very
/// same values; a terminal sees only ASCII escapes. The line feeds of
/// pretty-printing are left alone.
pub fn json_text(json: &str) -> Cow<'_, str> {
    let needs = |c: char| c != '\n' && (is_unsafe_char(c) || matches!(c, '\u{200C}' | '\u{200D}'));
    if !json.chars().any(needs) {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if needs(c) {
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{:04x}", u));
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A value given by a person that would be signed or stored (a flag, a
/// note, a trust-store name) and holds an unsafe character.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{field}: the value has {what} {} at byte {offset}; provseal does not sign or store such characters (remove it)",
    escape_char(*.character)
)]
pub struct UnsafeValue {
    /// The flag or field.
    pub field: String,
    /// The character.
    pub character: char,
    /// Its byte offset.
    pub offset: usize,
    /// What kind of character it is, in words.
    pub what: &'static str,
}

/// What kind of unsafe character `c` is, in words.
pub fn describe(c: char) -> &'static str {
    if c == '\n' || c == '\r' {
        "a line break"
    } else if c.is_control() {
        "a control character"
    } else if is_bidi_control(c) {
        "a bidirectional control"
    } else {
        "an invisible format character"
    }
}

/// Refuses a value given by a person when it holds an unsafe character.
pub fn check_clean(field: &str, value: &str) -> Result<(), UnsafeValue> {
    match first_unsafe(value) {
        None => Ok(()),
        Some((offset, character)) => Err(UnsafeValue {
            field: field.to_string(),
            character,
            offset,
            what: describe(character),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_bidi_and_invisibles_are_escaped() {
        assert_eq!(inline("a\x1b[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(inline("x\ny\rz\t"), "x\\u{a}y\\u{d}z\\u{9}");
        assert_eq!(inline("\u{9b}31m"), "\\u{9b}31m");
        assert_eq!(inline("evil\u{202e}gpj.exe"), "evil\\u{202e}gpj.exe");
        assert_eq!(
            inline("a\u{2066}b\u{200e}\u{61c}"),
            "a\\u{2066}b\\u{200e}\\u{61c}"
        );
        assert_eq!(
            inline("zero\u{200b}width\u{feff}"),
            "zero\\u{200b}width\\u{feff}"
        );
        assert_eq!(inline("tag\u{e0041}"), "tag\\u{e0041}");
        assert_eq!(inline("l\u{2028}p\u{3164}"), "l\\u{2028}p\\u{3164}");
        assert_eq!(inline("\u{7f}"), "\\u{7f}");
        assert!(matches!(
            inline("plain text, Ünïcödé 北朝鮮"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn joiners_inside_words_and_emoji_selectors_are_writing() {
        // Persian "می‌خواهد" with a zero-width non-joiner between letters.
        let persian = "می\u{200c}خواهد";
        assert_eq!(inline(persian), persian);
        // A family emoji: pictographs joined by ZWJ; a heart with VS16.
        let emoji = "\u{1f468}\u{200d}\u{1f469}\u{200d}\u{1f467} \u{2764}\u{fe0f}";
        assert_eq!(inline(emoji), emoji);
        // At the edges or between spaces they hide nothing useful.
        assert_eq!(inline("\u{200d}a"), "\\u{200d}a");
        assert_eq!(inline("a \u{200c} b"), "a \\u{200c} b");
        assert_eq!(inline("A\u{fe0f}"), "A\\u{fe0f}");
    }

    #[test]
    fn blocks_indent_every_line_and_strip_keeps_words_apart() {
        assert_eq!(block("one\ntwo\x1b\n", "  | "), "  | one\n  | two\\u{1b}\n");
        assert_eq!(strip_unsafe("a\tb\u{202e}c\x07"), "a bc");
        assert_eq!(strip_unsafe_text("p1\u{200b}\n\np2\r\n"), "p1\n\np2 \n");
    }

    #[test]
    fn json_stays_exact_and_becomes_terminal_safe() {
        let v = serde_json::json!({"t": "a\u{1b}[2J\u{9b}\u{202e}\u{7f}\u{e0041}\nb"});
        let text = serde_json::to_string_pretty(&v).unwrap();
        let safe = json_text(&text);
        assert!(safe.is_ascii() && !safe.contains('\u{1b}'), "{safe}");
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, v);
        assert!(safe.contains("\\udb40\\udc41"), "{safe}");
    }

    #[test]
    fn values_to_sign_are_refused_with_the_offending_character() {
        assert!(check_clean("--title", "A fine title").is_ok());
        let e = check_clean("--note", "ok\n\x1b[1mVERIFIED").unwrap_err();
        assert_eq!((e.offset, e.character), (2, '\n'));
        assert!(
            e.to_string()
                .contains("--note: the value has a line break \\u{a} at byte 2")
        );
        let e = check_clean("--name", "x\u{202e}y").unwrap_err();
        assert!(e.to_string().contains("bidirectional control \\u{202e}"));
    }
}
