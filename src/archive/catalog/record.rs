//! What the catalog records of one bundle, taken from its verification
//! report, and the URL normalisation that `--url` searches match by.

use serde::Serialize;

use crate::format::manifest::{FileRole, UrlRole};
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

/// Query parameters that only track where a reader came from; they are
/// dropped so that a URL shared with them matches the one without.
const TRACKING: &[&str] = &["fbclid", "gclid", "mc_cid", "mc_eid", "ref_src"];

/// The form URLs are compared in: scheme and host lower-case (the `url`
/// crate also decodes punycode forms and drops default ports), no
/// fragment, no `www.` prefix, no trailing slash on a non-root path, no
/// `utm_*` or other tracking parameters, and the remaining query
/// parameters sorted. `http` and `https` are the same. Returns the input
/// trimmed when it is not a URL.
pub fn normalize_url(u: &str) -> String {
    let Ok(mut url) = url::Url::parse(u.trim()) else {
        return u.trim().to_string();
    };
    url.set_fragment(None);
    let mut pairs: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| !k.starts_with("utm_") && !TRACKING.contains(&k.as_ref()))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    pairs.sort();
    if pairs.is_empty() {
        url.set_query(None);
    } else {
        url.query_pairs_mut().clear().extend_pairs(pairs);
    }
    let host = url.host_str().unwrap_or("").to_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
    let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
    let path = url.path();
    let path = if path.len() > 1 {
        path.trim_end_matches('/')
    } else {
        ""
    };
    let query = url.query().map(|q| format!("?{q}")).unwrap_or_default();
    format!("{host}{port}{path}{query}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_that_name_the_same_page_normalise_alike() {
        let same = [
            "https://www.DailyNK.com/english/read.php?num=4821&cataId=nk01500",
            "http://dailynk.com/english/read.php?cataId=nk01500&num=4821#top",
            "https://dailynk.com/english/read.php?num=4821&cataId=nk01500&utm_source=x&fbclid=y",
        ];
        let n: Vec<String> = same.iter().map(|u| normalize_url(u)).collect();
        assert!(n.iter().all(|x| *x == n[0]), "{n:?}");
        assert_eq!(n[0], "dailynk.com/english/read.php?cataId=nk01500&num=4821");
        assert_eq!(
            normalize_url("https://a.org/x/"),
            normalize_url("https://a.org/x")
        );
        assert_ne!(
            normalize_url("https://a.org/x?id=1"),
            normalize_url("https://a.org/x?id=2")
        );
        assert_eq!(normalize_url("https://A.org"), "a.org");
        assert_eq!(normalize_url(" not a url "), "not a url");
    }
}
