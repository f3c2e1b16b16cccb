//! Bluebook (21st edition) citation of an online newspaper article, in the
//! Bluepages form used in court documents (rules B16 and B18, following
//! rules 16.6 and 18.2.2): "Author, *Title*, Newspaper (Mon. Day, Year),
//! URL." No CSL style covers the Bluebook, so the rule is written here.
//!
//! - Authors: one as written; two joined by "&"; three or more as the first
//!   "et al." (rule 16.2.1 and 15.1).
//! - No author: the citation begins with the title.
//! - Months abbreviated as table T12 gives them.
//! - No publication date: the URL is followed by "(last visited …)" with
//!   the capture date (rule 18.2.1(d)), which is when the page was seen.
//! - English titles in headline case (rule 8(a)): every word capitalised
//!   but articles, conjunctions and prepositions of four or fewer letters,
//!   unless first, last or after a colon. Other languages keep their own
//!   capitalisation.
//! - The newspaper's name is given as recorded; abbreviating it by table
//!   T13 is left to the writer, since the table does not cover most
//!   outlets.

use super::title_case::capitalise_first_letter;
use super::{CiteSource, Dates, Markup, evidence_clause, html_escape, typographic_apostrophes};

/// Month abbreviations of Bluebook table T12.
const MONTHS: [&str; 12] = [
    "Jan.", "Feb.", "Mar.", "Apr.", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.",
];

/// "2018-05-27" as "May 27, 2018".
fn bluebook_date(day: &str) -> Option<String> {
    let mut it = day.split('-');
    let (y, m, d) = (it.next()?, it.next()?, it.next()?);
    let m: usize = m.parse().ok()?;
    let d: u32 = d.parse().ok()?;
    Some(format!("{} {d}, {y}", MONTHS.get(m.checked_sub(1)?)?))
}

/// Words rule 8(a) leaves in lower case inside a title.
const MINOR_WORDS: [&str; 30] = [
    "a", "an", "the", "and", "but", "or", "nor", "for", "so", "yet", "as", "at", "by", "in",
    "into", "of", "off", "on", "onto", "out", "over", "per", "to", "up", "upon", "via", "with",
    "from", "than", "till",
];

/// Headline case by rule 8(a). Words that already hold a capital after
/// their first letter ("iPhone", "NK") are left as written.
fn headline_case(title: &str) -> String {
    let words: Vec<&str> = title.split(' ').collect();
    let last = words.len().saturating_sub(1);
    let mut after_colon = true;
    let mut out = Vec::with_capacity(words.len());
    for (i, w) in words.iter().enumerate() {
        let core: String = w
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect::<String>()
            .to_lowercase();
        let minor = MINOR_WORDS.contains(&core.as_str());
        let mixed = w.chars().skip(1).any(char::is_uppercase);
        out.push(if mixed || (minor && !after_colon && i != last) {
            w.to_string()
        } else {
            capitalise_first_letter(w)
        });
        after_colon = w.ends_with(':') || w.ends_with('?') || w.ends_with('!');
    }
    out.join(" ")
}

fn authors(names: &[String]) -> Option<String> {
    match names {
        [] => None,
        [one] => Some(one.clone()),
        [a, b] => Some(format!("{a} & {b}")),
        [first, ..] => Some(format!("{first} et al.")),
    }
}

pub(super) fn bluebook(src: &CiteSource, markup: Markup) -> String {
    let a = &src.manifest.article;
    let esc = |s: &str| match markup {
        Markup::Plain => typographic_apostrophes(s),
        Markup::Html => html_escape(&typographic_apostrophes(s)),
    };
    let mut parts: Vec<String> = Vec::new();
    if let Some(names) = authors(&a.authors) {
        parts.push(esc(&names));
    }
    let english = a
        .language
        .as_deref()
        .is_none_or(|l| l.to_ascii_lowercase().starts_with("en"));
    let title = a.title.trim_end_matches(['.', ',']);
    let title = esc(&if english {
        headline_case(title)
    } else {
        title.to_string()
    });
    parts.push(match markup {
        Markup::Plain => title,
        Markup::Html => format!("<i>{title}</i>"),
    });
    let date = src.published_day().and_then(bluebook_date);
    match (&a.publisher, &date) {
        (Some(p), Some(d)) => parts.push(format!("{} ({d})", esc(p))),
        (Some(p), None) => parts.push(esc(p)),
        (None, Some(d)) => {
            if let Some(last) = parts.last_mut() {
                last.push_str(&format!(" ({d})"));
            }
        }
        (None, None) => {}
    }
    let mut out = parts.join(", ");
    if let Some(u) = src.work_url() {
        out.push_str(", ");
        out.push_str(&match markup {
            Markup::Plain => u.to_string(),
            Markup::Html => html_escape(u),
        });
        if date.is_none()
            && let Some(seen) = bluebook_date(src.captured_day())
        {
            out.push_str(&format!(" (last visited {seen})"));
        }
    }
    out.push('.');
    format!(
        "{out} {}\n",
        evidence_clause(src, markup, Dates::Abbreviated)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_authors_follow_the_tables() {
        assert_eq!(
            bluebook_date("2018-09-03").as_deref(),
            Some("Sept. 3, 2018")
        );
        assert_eq!(bluebook_date("2018-05-27").as_deref(), Some("May 27, 2018"));
        assert_eq!(bluebook_date("2018-13-01"), None);
        let n = |v: &[&str]| authors(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(n(&[]), None);
        assert_eq!(
            headline_case("NK calls defectors in SK to persuade them to come back"),
            "NK Calls Defectors in SK to Persuade Them to Come Back"
        );
        assert_eq!(
            headline_case("the iPhone at ten: a look back over the years"),
            "The iPhone at Ten: A Look Back over the Years"
        );
        assert_eq!(
            n(&["Ann Lee", "Bo Kim"]).as_deref(),
            Some("Ann Lee & Bo Kim")
        );
        assert_eq!(
            n(&["Ann Lee", "Bo Kim", "Cy Park"]).as_deref(),
            Some("Ann Lee et al.")
        );
    }
}
