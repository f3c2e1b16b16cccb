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
//! - The newspaper's name (rule 16.6(b)): a leading "The" dropped, then
//!   the place names of table T10 and the common words of table T13 (T6
//!   in the 21st edition) that newspaper names use abbreviated, whole
//!   words only ("The New York Times" → "N.Y. Times", "Atlanta Journal and
//!   Constitution" → "Atlanta J. & Const."). A word the tables do not
//!   list is kept as written, as the rule asks: no abbreviation is made
//!   up.

use super::title_case::capitalise_first_letter;
use super::{CiteSource, Dates, Markup, evidence_clause, html_escape, typographic_apostrophes};

/// Place names of table T10 as newspaper names use them, longest first.
const PLACES: &[(&str, &str)] = &[
    ("San Francisco", "S.F."),
    ("Los Angeles", "L.A."),
    ("New York", "N.Y."),
    ("Wall Street", "Wall St."),
    ("Philadelphia", "Phila."),
    ("Washington", "Wash."),
    ("Baltimore", "Balt."),
    ("Chicago", "Chi."),
];

/// Common words of table T13 (T6) that newspaper names hold.
const WORDS: &[(&str, &str)] = &[
    ("Journal", "J."),
    ("Tribune", "Trib."),
    ("Chronicle", "Chron."),
    ("Constitution", "Const."),
    ("Review", "Rev."),
    ("Magazine", "Mag."),
    ("Advocate", "Advoc."),
    ("International", "Int'l"),
    ("National", "Nat'l"),
    ("Association", "Ass'n"),
    ("and", "&"),
];

/// A newspaper's name as rule 16.6 cites it (see the module comment).
fn newspaper(name: &str) -> String {
    let name = name.trim();
    let mut s = name.strip_prefix("The ").unwrap_or(name).to_string();
    for (long, short) in PLACES {
        s = replace_words(&s, long, short);
    }
    s.split(' ')
        .map(|w| {
            WORDS
                .iter()
                .find(|(long, _)| *long == w)
                .map_or(w, |(_, short)| short)
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `s` with `long` replaced by `short` where it stands as whole words.
fn replace_words(s: &str, long: &str, short: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find(long) {
        let before_ok = rest[..i].chars().next_back().is_none_or(|c| c == ' ');
        let after = &rest[i + long.len()..];
        let after_ok = after.chars().next().is_none_or(|c| c == ' ');
        out.push_str(&rest[..i]);
        out.push_str(if before_ok && after_ok { short } else { long });
        rest = after;
    }
    out.push_str(rest);
    out
}

/// "2018-05-27" as "May 27, 2018", with the months of table T12.
fn bluebook_date(day: &str) -> Option<String> {
    super::evidence::date_in(day, Dates::Abbreviated)
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
        (Some(p), Some(d)) => parts.push(format!("{} ({d})", esc(&newspaper(p)))),
        (Some(p), None) => parts.push(esc(&newspaper(p))),
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
    fn newspaper_names_are_abbreviated_by_the_tables_only() {
        assert_eq!(newspaper("The New York Times"), "N.Y. Times");
        assert_eq!(newspaper("The Wall Street Journal"), "Wall St. J.");
        assert_eq!(
            newspaper("Atlanta Journal and Constitution"),
            "Atlanta J. & Const."
        );
        assert_eq!(newspaper("Chicago Tribune"), "Chi. Trib.");
        assert_eq!(newspaper("San Francisco Chronicle"), "S.F. Chron.");
        // Not in the tables: as written.
        assert_eq!(newspaper("Daily NK"), "Daily NK");
        assert_eq!(newspaper("Example Coast News"), "Example Coast News");
        assert_eq!(newspaper("Newyorker Journalism"), "Newyorker Journalism");
    }

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
