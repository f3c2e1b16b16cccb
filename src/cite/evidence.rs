//! The evidence clause after the work in the human styles (Chicago, APA,
//! MLA, Bluebook): where it was reposted, when it was archived, written as
//! the style writes dates, the bundle id in full once, and who signed it.
//! The source's SHA-256 and the signer's full key id belong to the machine
//! formats; `--full-evidence` puts them here too. And one pass that keeps
//! a title's own question or exclamation mark from being followed by the
//! style's period or comma ("Families?." becomes "Families?").

use std::fmt::Write as _;

use super::{CiteSource, DEFAULT_ARCHIVE, Markup, capitalise, html_escape};

/// How a style writes a date in prose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dates {
    /// March 15, 2024 (Chicago, APA).
    Long,
    /// 15 Mar. 2024 (MLA).
    DayFirst,
    /// Mar. 15, 2024 (Bluebook).
    Abbreviated,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
/// Abbreviated months: Bluebook table T12 and MLA agree on them.
const ABBREVIATED_MONTHS: [&str; 12] = [
    "Jan.", "Feb.", "Mar.", "Apr.", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.",
];

/// The date a value begins with (`2018-05-27…`) as `dates` writes it:
/// "May 27, 2018", "27 May 2018", "May 27, 2018" (`Mar. 15, 2024`).
/// `None` unless it begins with a full date.
pub(crate) fn date_in(v: &str, dates: Dates) -> Option<String> {
    let y = v
        .get(0..4)
        .filter(|y| y.bytes().all(|b| b.is_ascii_digit()))?;
    let m = v.get(5..7)?.parse::<usize>().ok()?.checked_sub(1)?;
    let d: u32 = v.get(8..10)?.parse().ok()?;
    Some(match dates {
        Dates::Long => format!("{} {d}, {y}", MONTHS.get(m)?),
        Dates::DayFirst => format!("{d} {} {y}", ABBREVIATED_MONTHS.get(m)?),
        Dates::Abbreviated => format!("{} {d}, {y}", ABBREVIATED_MONTHS.get(m)?),
    })
}

/// An RFC 3339 UTC time (`2024-03-15T08:30:00Z`) as `dates` writes it, with
/// the time of day: "March 15, 2024, 08:30 UTC". Anything else is shown as
/// given.
pub(crate) fn when(t: &str, dates: Dates) -> String {
    let parsed = (|| {
        let date = date_in(t, dates)?;
        let (hh, mm, ss) = (t.get(11..13)?, t.get(14..16)?, t.get(17..19)?);
        Some(if ss == "00" {
            format!("{date}, {hh}:{mm} UTC")
        } else {
            format!("{date}, {hh}:{mm}:{ss} UTC")
        })
    })();
    parsed.unwrap_or_else(|| t.to_string())
}

/// A publication date (`2018-05-27`, or a time whose first ten characters
/// are one) written as "May 27, 2018"; a year or month alone, or anything
/// else, as given.
pub(crate) fn day(v: &str) -> String {
    date_in(v, Dates::Long).unwrap_or_else(|| v.to_string())
}

/// A key id as a reader needs it: `sha256:` and its first 12 hex digits,
/// enough to tell keys apart; the full id is in the machine formats.
fn short_id(id: &str) -> String {
    let hex = id.strip_prefix("sha256:").unwrap_or(id);
    format!("sha256:{}…", &hex[..hex.len().min(12)])
}

/// "Reposted at …; archived March 15, 2024, 08:30 UTC; evidence bundle
/// sha256:…, signed by …." URLs and all are plain text, escaped for HTML
/// when `markup` is HTML.
pub(crate) fn evidence_clause(src: &CiteSource, markup: Markup, dates: Dates) -> String {
    let mut s = String::new();
    let reposts = src.reposts();
    if !reposts.is_empty() {
        write!(s, "Reposted at {}", reposts.join(", ")).ok();
        if let Some(r) = src.manifest.relations.first() {
            write!(
                s,
                " ({} relative to the original, {:.1}% similar)",
                r.relation.as_str(),
                r.similarity_permille as f64 / 10.0
            )
            .ok();
        }
        s.push_str("; ");
    }
    write!(s, "archived {}", when(src.captured(), dates)).ok();
    if src.archive != DEFAULT_ARCHIVE {
        write!(s, " in {}", src.archive).ok();
    }
    write!(s, "; evidence bundle {}", src.bundle_id).ok();
    if src.full_evidence {
        if let Some(h) = src.source_sha256() {
            write!(s, ", source SHA-256 {h}").ok();
        }
        s.push_str(&src.signed_by(str::to_string));
    } else {
        s.push_str(&src.signed_by(|v| {
            if v.starts_with("sha256:") && v.len() == 71 {
                short_id(v)
            } else {
                v.to_string()
            }
        }));
    }
    let s = capitalise(&s);
    match markup {
        Markup::Plain => s,
        Markup::Html => html_escape(&s),
    }
}

/// Removes the period or comma a style adds after a title that ends in
/// its own `?` or `!` (or `.`), across a closing quotation mark or an
/// italic end tag: `“Why?.”` → `“Why?”`, `Why?,` → `Why?`, `“Done.”.` →
/// `“Done.”`. An ellipsis (`...`) is left alone.
pub(crate) fn tidy_punctuation(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        out.push(c);
        i += 1;
        let ends_sentence = matches!(c, '?' | '!')
            || (c == '.' && i >= 2 && chars[i - 2] != '.' && chars.get(i) != Some(&'.'));
        if !ends_sentence {
            continue;
        }
        // What may close the title before the style's own mark.
        let mut j = i;
        let mut closers = String::new();
        loop {
            match chars.get(j) {
                Some(q @ ('\u{201d}' | '"' | '\u{2019}')) => {
                    closers.push(*q);
                    j += 1;
                }
                Some('<') if chars[j..].starts_with(&['<', '/', 'i', '>']) => {
                    closers.push_str("</i>");
                    j += 4;
                }
                _ => break,
            }
        }
        if let Some(&next) = chars.get(j)
            && matches!(next, '.' | ',')
            && chars.get(j + 1) != Some(&'.')
            && !(c == '.' && next == ',')
        {
            out.push_str(&closers);
            i = j + 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_as_each_style_writes_them() {
        let t = "2024-03-15T08:30:00Z";
        assert_eq!(when(t, Dates::Long), "March 15, 2024, 08:30 UTC");
        assert_eq!(when(t, Dates::DayFirst), "15 Mar. 2024, 08:30 UTC");
        assert_eq!(
            when("2024-09-05T08:30:07Z", Dates::Abbreviated),
            "Sept. 5, 2024, 08:30:07 UTC"
        );
        assert_eq!(when("not a time", Dates::Long), "not a time");
        assert_eq!(day("2018-05-27"), "May 27, 2018");
        assert_eq!(day("2018-05"), "2018-05");
    }

    #[test]
    fn a_title_keeps_its_own_mark_and_loses_the_doubled_one() {
        assert_eq!(
            tidy_punctuation("“Who Is Watching?.” News."),
            "“Who Is Watching?” News."
        );
        assert_eq!(
            tidy_punctuation("“Who Is Watching?,” News,"),
            "“Who Is Watching?” News,"
        );
        assert_eq!(
            tidy_punctuation("Who is watching?. (2024)."),
            "Who is watching? (2024)."
        );
        assert_eq!(tidy_punctuation("<i>Why?</i>. Next"), "<i>Why?</i> Next");
        assert_eq!(tidy_punctuation("“Pier reopens.”. X"), "“Pier reopens.” X");
        assert_eq!(tidy_punctuation("Wait... then."), "Wait... then.");
        assert_eq!(tidy_punctuation("n.d., accessed"), "n.d., accessed");
        assert_eq!(
            tidy_punctuation("https://a.org/x?id=1. Next"),
            "https://a.org/x?id=1. Next"
        );
    }
}
