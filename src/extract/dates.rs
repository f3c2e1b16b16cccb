//! Reading publication dates as people and pages write them.

use chrono::{DateTime, NaiveDate, NaiveDateTime, SecondsFormat};
use regex::Regex;
use std::sync::LazyLock;

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

static MONTH_DAY_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b")
        .expect("static regex")
});
static DAY_MONTH_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(\d{1,2})(?:st|nd|rd|th)?\.?\s+([a-z]{3,9})\.?,?\s+(\d{4})\b")
        .expect("static regex")
});
static YMD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b").expect("static regex"));
static CJK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\d{4})\s*[년年]\s*(\d{1,2})\s*[월月]\s*(\d{1,2})\s*[일日]").expect("static regex")
});
static DMY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b").expect("static regex"));

fn month_number(name: &str) -> Option<u32> {
    let lower = name.to_ascii_lowercase();
    let full = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    MONTHS
        .iter()
        .zip(full)
        .position(|(abbr, full)| {
            lower == *abbr || lower == full || (lower == "sept" && *abbr == "sep")
        })
        .map(|i| i as u32 + 1)
}

fn ymd(y: &str, m: u32, d: &str) -> Option<String> {
    let date = NaiveDate::from_ymd_opt(y.parse().ok()?, m, d.parse().ok()?)?;
    Some(date.format("%Y-%m-%d").to_string())
}

/// Normalises a publication date as found: an RFC 3339 date-time keeps its
/// offset; a time without an offset, or any other form, yields the calendar
/// day `YYYY-MM-DD`. `None` when no date can be read with confidence.
pub fn normalise_published(raw: &str) -> Option<String> {
    let s = raw.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.to_rfc3339_opts(SecondsFormat::AutoSi, true));
    }
    // ISO 8601 variants that RFC 3339 refuses: "+0900" offsets, no seconds.
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M%z",
        "%Y-%m-%d %H:%M:%S%.f%z",
    ] {
        if let Ok(t) = DateTime::parse_from_str(s, fmt) {
            return Some(t.to_rfc3339_opts(SecondsFormat::AutoSi, true));
        }
    }
    if let Ok(t) = DateTime::parse_from_rfc2822(s) {
        return Some(t.to_rfc3339_opts(SecondsFormat::AutoSi, true));
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, fmt) {
            return Some(t.date().format("%Y-%m-%d").to_string());
        }
    }
    if let Some(c) = CJK.captures(s) {
        return ymd(&c[1], c[2].parse().ok()?, &c[3]);
    }
    if let Some(c) = YMD.captures(s) {
        return ymd(&c[1], c[2].parse().ok()?, &c[3]);
    }
    if let Some(c) = MONTH_DAY_YEAR.captures(s)
        && let Some(m) = month_number(&c[1])
    {
        return ymd(&c[3], m, &c[2]);
    }
    if let Some(c) = DAY_MONTH_YEAR.captures(s)
        && let Some(m) = month_number(&c[2])
    {
        return ymd(&c[3], m, &c[1]);
    }
    if let Some(c) = DMY.captures(s) {
        return ymd(&c[3], c[2].parse().ok()?, &c[1]);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::normalise_published as n;

    #[test]
    fn reads_common_forms() {
        assert_eq!(n("May 27, 2018").as_deref(), Some("2018-05-27"));
        assert_eq!(n("Sunday, May 27, 2018").as_deref(), Some("2018-05-27"));
        assert_eq!(n("27 May 2018").as_deref(), Some("2018-05-27"));
        assert_eq!(n("Sept. 3, 2019").as_deref(), Some("2019-09-03"));
        assert_eq!(n("2018/05/27").as_deref(), Some("2018-05-27"));
        assert_eq!(n("27.05.2018").as_deref(), Some("2018-05-27"));
        assert_eq!(n("2018-05-27").as_deref(), Some("2018-05-27"));
        assert_eq!(
            n("2018-05-27T10:00:00+09:00").as_deref(),
            Some("2018-05-27T10:00:00+09:00")
        );
        assert_eq!(
            n("2018-05-27T10:00:00+0900").as_deref(),
            Some("2018-05-27T10:00:00+09:00")
        );
        assert_eq!(
            n("2018-05-27T01:00:00Z").as_deref(),
            Some("2018-05-27T01:00:00Z")
        );
        assert_eq!(n("2018-05-27T10:00:00").as_deref(), Some("2018-05-27"));
        assert_eq!(
            n("Sun, 27 May 2018 10:00:00 +0000").as_deref(),
            Some("2018-05-27T10:00:00Z")
        );
    }

    #[test]
    fn refuses_what_is_not_a_date() {
        assert_eq!(n("yesterday"), None);
        assert_eq!(n("Foo 27, 2018"), None);
        assert_eq!(n("2018-02-30"), None);
        assert_eq!(n(""), None);
    }
}
