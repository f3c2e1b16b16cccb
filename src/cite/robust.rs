//! Robust Links (robustlinks.mementoweb.org): links decorated so that a
//! reader whose link has rotted can find the archived version. Each link
//! carries `data-originalurl` (the live URL), `data-versiondate` (the
//! capture day) and, when the bundle has a public URL, `data-versionurl`.
//!
//! A capture of a repost gives two links, as the work and its copy are two
//! resources: the original article, then the repost the bundle captured.

use super::{CiteSource, html_escape};

fn link(href: &str, date: &str, version_url: Option<&str>, text: &str) -> String {
    let mut a = format!(
        "<a href=\"{h}\" data-originalurl=\"{h}\" data-versiondate=\"{date}\"",
        h = html_escape(href),
    );
    if let Some(v) = version_url {
        a.push_str(&format!(" data-versionurl=\"{}\"", html_escape(v)));
    }
    a.push_str(&format!(">{}</a>", html_escape(text)));
    a
}

pub(super) fn robust_links(src: &CiteSource) -> String {
    let a = &src.manifest.article;
    let date = src.captured_day();
    let mut out = String::from("<span class=\"provseal-citation\">");
    let reposts = src.reposts();
    match src.original() {
        Some(o) => out.push_str(&link(o, date, src.public_url, &a.title)),
        None => out.push_str(&html_escape(&a.title)),
    }
    if let Some(p) = &a.publisher {
        out.push_str(&format!(", {}", html_escape(p)));
    }
    if let Some(d) = src.published_day() {
        out.push_str(&format!(", {d}"));
    }
    if !reposts.is_empty() {
        out.push_str(" (reposted at ");
        let links: Vec<String> = reposts
            .iter()
            .map(|r| link(r, date, src.public_url, r))
            .collect();
        out.push_str(&links.join(", "));
        out.push(')');
    }
    out.push_str(&format!(
        "; evidence bundle {}</span>\n",
        html_escape(src.bundle_id)
    ));
    out
}
