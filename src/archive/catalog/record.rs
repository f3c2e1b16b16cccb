//! What the catalog records of one bundle, taken from its verification
//! report, and the date bounds a search takes. URLs are matched by
//! [`normalize_url`] (`spec/catalog-v1.md` §3).

use serde::Serialize;

use crate::format::manifest::{FileRole, UrlRole};
pub use crate::format::urls::normalize_url;
use crate::verify::Report;

/// One catalogued bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Record {
    /// `sha256:` of the manifest.
    pub bundle_id: String,
    /// Where the bundle is: a path as given, or a URI.
    pub location: String,
    /// The hex SHA-256 of the page as found (the `source` file): two
    /// captures with the same content hash are duplicates.
    pub content_sha256: String,
    /// The headline.
    pub title: String,
    /// The outlet.
    pub publisher: Option<String>,
    /// When the article was published, as the manifest normalised it.
    pub published: Option<String>,
    /// When it was captured (UTC, RFC 3339).
    pub captured_at: String,
    /// The original URL, if known.
    pub original_url: Option<String>,
    /// The URLs where copies were found.
    pub repost_urls: Vec<String>,
    /// The signer's key id, for a signed bundle.
    pub signer_key_id: Option<String>,
    /// The signer's name in the trust store used, if any.
    pub signer_name: Option<String>,
    /// The state at the last verification.
    pub state: String,
    /// Whether the last verification passed.
    pub passed: bool,
    /// The codes of the last verification's findings.
    pub codes: Vec<String>,
    /// When it was last verified (UTC, RFC 3339).
    pub last_verified_at: String,
    /// The custody chain head, if the bundle has custody events.
    pub custody_head: Option<String>,
}

impl Record {
    /// The record of a verified bundle; `None` when the report has no
    /// readable manifest (nothing to catalog: a finding says why).
    pub fn from_report(location: &str, report: &Report, verified_at: &str) -> Option<Record> {
        let m = report.manifest.as_ref()?;
        let bundle_id = report.bundle_id.clone()?;
        Some(Record {
            bundle_id,
            location: location.to_string(),
            content_sha256: m
                .file_with_role(FileRole::Source)
                .map(|f| f.sha256.clone())
                .unwrap_or_default(),
            title: m.article.title.clone(),
            publisher: m.article.publisher.clone(),
            published: m.article.published.as_ref().and_then(|p| p.value.clone()),
            captured_at: m.capture.captured_at.clone(),
            original_url: m.original_url().map(str::to_string),
            repost_urls: m.url_of(UrlRole::Repost).map(str::to_string).collect(),
            signer_key_id: report.signer.as_ref().map(|s| s.key_id.clone()),
            signer_name: report.signer.as_ref().and_then(|s| s.name.clone()),
            state: report.state.as_str().to_string(),
            passed: report.passed,
            codes: report.findings.iter().map(|f| f.code.to_string()).collect(),
            last_verified_at: verified_at.to_string(),
            custody_head: report.custody_head.clone(),
        })
    }
}

/// A date or time a search is bounded by, in the form stored values
/// compare with as text: `2018`, `2018-05`, `2018-05-27`, or an RFC 3339
/// time (turned to UTC, `2018-05-27T09:00:00Z`). `None` for anything else,
/// which a search refuses rather than compare as text.
pub fn date_bound(s: &str) -> Option<String> {
    let s = s.trim();
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(
            t.with_timezone(&chrono::Utc)
                .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
        );
    }
    let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
    let parts: Vec<&str> = s.split('-').collect();
    let ok = match parts.as_slice() {
        [y] => digits(y, 4),
        [y, m] => digits(y, 4) && digits(m, 2) && (1..=12).contains(&m.parse::<u32>().unwrap_or(0)),
        [_, _, _] => {
            chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok() && digits(parts[0], 4)
        }
        _ => false,
    };
    ok.then(|| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_bounds_are_dates_or_nothing() {
        assert_eq!(date_bound("2018").as_deref(), Some("2018"));
        assert_eq!(date_bound("2018-05").as_deref(), Some("2018-05"));
        assert_eq!(date_bound("2018-05-31").as_deref(), Some("2018-05-31"));
        assert_eq!(
            date_bound("2018-05-27T18:00:00+09:00").as_deref(),
            Some("2018-05-27T09:00:00Z")
        );
        for bad in [
            "May 2018",
            "2018-13",
            "2018-02-30",
            "18-05-01",
            "yesterday",
            "",
        ] {
            assert_eq!(date_bound(bad), None, "{bad}");
        }
    }
}
