//! When two URLs name the same page (`spec/catalog-v1.md` §3): the
//! catalog's `--url` search and the packer's choice of the reference page
//! compare URLs by this one normal form.

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
    let u = u.trim();
    // A URL typed without its scheme (`dailynk.com/…`) names the same
    // page: http and https normalise alike anyway.
    let parsed = url::Url::parse(u)
        .ok()
        .filter(|p| p.has_host())
        .or_else(|| url::Url::parse(&format!("http://{u}")).ok());
    let Some(mut url) = parsed else {
        return u.to_string();
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

    #[test]
    fn a_url_without_its_scheme_names_the_same_page() {
        assert_eq!(
            normalize_url("www.dailynk.com/english/read.php?num=1"),
            normalize_url("https://dailynk.com/english/read.php?num=1")
        );
    }
}
