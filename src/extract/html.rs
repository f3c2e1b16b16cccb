//! HTML articles: metadata from JSON-LD, OpenGraph and `article:*`, Dublin
//! Core, `citation_*` and plain `<meta>` tags, in that order of trust, then
//! the document itself; the visible text of the article element.

use scraper::{ElementRef, Html};
use serde_json::Value;

use super::body::{content_engine, main_text, visible_text};
use super::headline::{self, strip_site_suffix};
use super::sel;
use super::text::split_authors;
use super::{Extracted, non_empty};
use crate::format::normalize::{collapse_ws, decode};

/// Finds `<meta charset>` or `http-equiv` content-type in the first bytes.
pub fn sniff_charset(bytes: &[u8]) -> Option<String> {
    static META_CHARSET: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r#"<meta[^>]+charset\s*=\s*["']?\s*([a-z0-9_\-:.]+)"#)
            .expect("static regex")
    });
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_ascii_lowercase();
    META_CHARSET.captures(&head).map(|c| c[1].to_string())
}

/// JSON-LD objects describing an article, from `@graph` arrays too.
fn json_ld_articles(doc: &Html) -> Vec<Value> {
    const TYPES: [&str; 8] = [
        "NewsArticle",
        "Article",
        "ReportageNewsArticle",
        "AnalysisNewsArticle",
        "OpinionNewsArticle",
        "BlogPosting",
        "Report",
        "ScholarlyArticle",
    ];
    let mut out = Vec::new();
    let mut stack: Vec<Value> = doc
        .select(&sel(r#"script[type="application/ld+json"]"#))
        .filter_map(|s| serde_json::from_str(&s.text().collect::<String>()).ok())
        .collect();
    // Bounded walk: pages nest JSON-LD a few levels deep at most.
    let mut budget = 1000;
    while let Some(v) = stack.pop() {
        budget -= 1;
        if budget == 0 {
            break;
        }
        match v {
            Value::Array(items) => stack.extend(items),
            Value::Object(ref map) => {
                let is_article = match map.get("@type") {
                    Some(Value::String(t)) => TYPES.contains(&t.as_str()),
                    Some(Value::Array(ts)) => ts
                        .iter()
                        .any(|t| t.as_str().is_some_and(|t| TYPES.contains(&t))),
                    _ => false,
                };
                if let Some(g) = map.get("@graph") {
                    stack.push(g.clone());
                }
                if is_article {
                    out.push(v);
                }
            }
            _ => {}
        }
    }
    out.reverse();
    out
}

fn ld_names(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) => split_authors(s),
        Some(Value::Object(m)) => m
            .get("name")
            .and_then(Value::as_str)
            .map(|s| vec![collapse_ws(s)])
            .unwrap_or_default(),
        Some(Value::Array(items)) => items.iter().flat_map(|i| ld_names(Some(i))).collect(),
        _ => Vec::new(),
    }
}

fn ld_str(v: Option<&Value>) -> Option<String> {
    match v {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Array(items)) => items.iter().find_map(|i| i.as_str().map(str::to_string)),
        Some(Value::Object(m)) => m
            .get("name")
            .or_else(|| m.get("@id"))
            .and_then(Value::as_str)
            .map(str::to_string),
        _ => None,
    }
}

/// The first non-empty `content` among the named meta tags, in order.
fn meta(doc: &Html, keys: &[&str]) -> Option<String> {
    let metas: Vec<ElementRef> = doc.select(&sel("meta")).collect();
    keys.iter().find_map(|k| {
        metas.iter().find_map(|m| {
            let e = m.value();
            let name = e
                .attr("property")
                .or_else(|| e.attr("name"))
                .or_else(|| e.attr("itemprop"))?;
            if name.eq_ignore_ascii_case(k) {
                non_empty(e.attr("content").map(str::to_string))
            } else {
                None
            }
        })
    })
}

fn meta_all(doc: &Html, key: &str) -> Vec<String> {
    doc.select(&sel("meta"))
        .filter(|m| {
            let e = m.value();
            e.attr("property")
                .or_else(|| e.attr("name"))
                .is_some_and(|n| n.eq_ignore_ascii_case(key))
        })
        .filter_map(|m| non_empty(m.value().attr("content").map(str::to_string)))
        .collect()
}

/// Extracts from an HTML page.
pub fn extract_html(bytes: &[u8]) -> Extracted {
    extract_html_with(bytes, None)
}

/// As [`extract_html`], with a charset declared by a server, which wins
/// over `<meta charset>`.
// Long (~170 lines) by reason: one cascade per field (title, byline, date,
// body), each a list of sources tried in order over the one parsed
// document; issue 19 replaces the cascades with scored candidates.
pub fn extract_html_with(bytes: &[u8], http_charset: Option<&str>) -> Extracted {
    let declared = http_charset
        .filter(|c| encoding_rs::Encoding::for_label(c.trim().as_bytes()).is_some())
        .map(str::to_string)
        .or_else(|| sniff_charset(bytes));
    let (decoded, encoding) = decode(bytes, declared.as_deref());
    // Linear time and bounded memory, whatever the page (see `budget`).
    let budgeted = super::budget::budget(&decoded);
    let page: &str = &budgeted.html;
    let doc = Html::parse_document(page);
    let ld = json_ld_articles(&doc);
    let ld_get = |key: &str| ld.iter().find_map(|a| a.get(key).filter(|v| !v.is_null()));

    let site = non_empty(ld_get("publisher").and_then(|p| ld_str(Some(p)))).or_else(|| {
        meta(
            &doc,
            &[
                "og:site_name",
                "citation_journal_title",
                "dc.publisher",
                "application-name",
            ],
        )
    });
    let host = doc
        .select(&sel(r#"link[rel="canonical"]"#))
        .find_map(|l| l.value().attr("href").map(str::to_string))
        .or_else(|| meta(&doc, &["og:url"]))
        .and_then(|u| url::Url::parse(&u).ok())
        .and_then(|u| u.host_str().map(str::to_string));
    let strip = |t: String| strip_site_suffix(&t, site.as_deref(), host.as_deref());
    // Declared titles in order of trust; the first one is the headline
    // unless a visible heading agrees with one of them (see `headline`).
    let mut declared: Vec<String> = ld
        .iter()
        .filter_map(|a| non_empty(ld_str(a.get("headline"))))
        .collect();
    for key in [
        "og:title",
        "twitter:title",
        "dc.title",
        "citation_title",
        "title",
    ] {
        declared.extend(meta(&doc, &[key]));
    }
    declared.extend(
        doc.select(&sel("title"))
            .next()
            .and_then(|t| non_empty(Some(t.text().collect()))),
    );
    let declared: Vec<String> = declared.into_iter().map(strip).collect();
    let title = headline::agreeing_heading(&doc, &declared)
        .or_else(|| declared.first().cloned())
        .or_else(|| headline::first_h1(&doc));

    let mut authors = ld_get("author")
        .map(|a| ld_names(Some(a)))
        .unwrap_or_default();
    if authors.is_empty() {
        authors = meta_all(&doc, "citation_author");
    }
    if authors.is_empty() {
        authors = meta(
            &doc,
            &[
                "author",
                "dc.creator",
                "article:author",
                "byl",
                "sailthru.author",
            ],
        )
        .filter(|a| !a.starts_with("http"))
        .map(|a| split_authors(a.trim_start_matches("By ").trim_start_matches("by ")))
        .unwrap_or_default();
    }
    authors.dedup();

    let published_raw = non_empty(ld_get("datePublished").and_then(|v| ld_str(Some(v))))
        .or_else(|| {
            meta(
                &doc,
                &[
                    "article:published_time",
                    "og:published_time",
                    "dc.date.issued",
                    "dc.date",
                    "dcterms.date",
                    "citation_publication_date",
                    "citation_date",
                    "pubdate",
                    "publishdate",
                    "date",
                    "datePublished",
                ],
            )
        })
        .or_else(|| {
            doc.select(&sel("time[datetime]"))
                .next()
                .and_then(|t| non_empty(t.value().attr("datetime").map(str::to_string)))
        });

    let canonical_url = doc
        .select(&sel(r#"link[rel="canonical"]"#))
        .find_map(|l| non_empty(l.value().attr("href").map(str::to_string)))
        .or_else(|| meta(&doc, &["og:url"]))
        .filter(|u| crate::format::manifest::is_http_url(u));

    let language = doc
        .select(&sel("html"))
        .next()
        .and_then(|h| non_empty(h.value().attr("lang").map(str::to_string)))
        .or_else(|| non_empty(ld_get("inLanguage").and_then(|v| ld_str(Some(v)))))
        .or_else(|| {
            meta(&doc, &["og:locale", "dc.language", "content-language"])
                .map(|l| l.replace('_', "-"))
        });

    let section = non_empty(ld_get("articleSection").and_then(|v| ld_str(Some(v))))
        .or_else(|| meta(&doc, &["article:section"]));
    let subtitle = non_empty(ld_get("alternativeHeadline").and_then(|v| ld_str(Some(v))));

    // The content engine also reads metadata, with its own heuristics for
    // pages that declare none; its values fill only what the declared
    // metadata left empty.
    let engine = content_engine(page);
    let engine_meta = engine.as_ref().map(|r| &r.metadata);
    let title = title.or_else(|| non_empty(engine_meta.map(|m| m.title.clone())));
    if authors.is_empty()
        && let Some(a) = non_empty(engine_meta.map(|m| m.author.clone()))
    {
        authors = split_authors(&a);
    }
    let published_raw = published_raw.or_else(|| {
        engine_meta
            .and_then(|m| m.date)
            .filter(|d| date_on_page(page, *d))
            .map(|d| d.format("%Y-%m-%d").to_string())
    });
    let authors = clean_authors(authors, site.as_deref());
    let text = engine
        .as_ref()
        .and_then(|r| main_text(&doc, &r.content_html, title.as_deref(), &authors))
        .unwrap_or_else(|| visible_text(&doc, title.as_deref(), &authors));
    Extracted {
        title,
        subtitle,
        authors,
        publisher: site,
        published_raw,
        modified_raw: non_empty(ld_get("dateModified").and_then(|v| ld_str(Some(v)))).or_else(
            || {
                meta(
                    &doc,
                    &[
                        "article:modified_time",
                        "og:updated_time",
                        "dcterms.modified",
                        "last-modified",
                    ],
                )
            },
        ),
        section,
        language,
        canonical_url,
        original_url: None,
        text,
        encoding: encoding.to_string(),
        reduced: budgeted.note,
    }
}

/// Whether the page writes this calendar day in a common form. A heuristic
/// date (the engine may turn a copyright year into 1 January) is kept only
/// if the page states that very day: provseal never invents a date.
fn date_on_page(page: &str, d: chrono::NaiveDate) -> bool {
    use chrono::Datelike;
    let (y, m, day) = (d.year(), d.month(), d.day());
    let month = d.format("%B").to_string();
    let mon = d.format("%b").to_string();
    let forms = [
        format!("{y:04}-{m:02}-{day:02}"),
        format!("{y:04}/{m:02}/{day:02}"),
        format!("{y:04}.{m:02}.{day:02}"),
        format!("{y:04}{m:02}{day:02}"),
        format!("{day:02}.{m:02}.{y:04}"),
        format!("{day}.{m}.{y:04}"),
        format!("{day:02}/{m:02}/{y:04}"),
        format!("{m:02}/{day:02}/{y:04}"),
        format!("{month} {day}, {y}"),
        format!("{mon} {day}, {y}"),
        format!("{day} {month} {y}"),
        format!("{day} {mon} {y}"),
        format!("{y}년 {m}월 {day}일"),
        format!("{y}年{m}月{day}日"),
    ];
    const OTHER_MONTHS: [[&str; 12]; 4] = [
        [
            "Januar",
            "Februar",
            "März",
            "April",
            "Mai",
            "Juni",
            "Juli",
            "August",
            "September",
            "Oktober",
            "November",
            "Dezember",
        ],
        [
            "janvier",
            "février",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "août",
            "septembre",
            "octobre",
            "novembre",
            "décembre",
        ],
        [
            "enero",
            "febrero",
            "marzo",
            "abril",
            "mayo",
            "junio",
            "julio",
            "agosto",
            "septiembre",
            "octubre",
            "noviembre",
            "diciembre",
        ],
        [
            "stycznia",
            "lutego",
            "marca",
            "kwietnia",
            "maja",
            "czerwca",
            "lipca",
            "sierpnia",
            "września",
            "października",
            "listopada",
            "grudnia",
        ],
    ];
    let spelled = OTHER_MONTHS.iter().flat_map(|names| {
        let name = names[m as usize - 1];
        [
            format!("{day}. {name} {y}"),
            format!("{day} {name} {y}"),
            format!("{day} de {name} de {y}"),
        ]
    });
    forms.iter().any(|f| page.contains(f.as_str()))
        || spelled.into_iter().any(|f| page.contains(f.as_str()))
        || page.contains(&format!("{month} {day} {y}"))
}

/// Credit lines as pages write them, reduced to names: "By " and its
/// equivalents dropped, placeholders ("admin", "Posted") and the outlet itself
/// (or a domain name) removed, since the outlet is recorded as publisher.
fn clean_authors(authors: Vec<String>, publisher: Option<&str>) -> Vec<String> {
    const PREFIXES: [&str; 9] = [
        "Posted by ",
        "Written by ",
        "Artikel von ",
        "By ",
        "by ",
        "Von ",
        "von ",
        "Vom ",
        "Par ",
    ];
    const PLACEHOLDERS: [&str; 8] = [
        "posted",
        "publisher",
        "admin",
        "administrator",
        "author",
        "unknown",
        "guest",
        "staff",
    ];
    const TLDS: [&str; 8] = [".com", ".net", ".org", ".de", ".at", ".ch", ".uk", ".fr"];
    let mut out: Vec<String> = Vec::new();
    for a in authors {
        let mut name = a.trim().to_string();
        for p in PREFIXES {
            if let Some(rest) = name.strip_prefix(p) {
                name = rest.trim().to_string();
            }
        }
        let lower = name.to_lowercase();
        let is_outlet = publisher.is_some_and(|p| p.eq_ignore_ascii_case(&name))
            || lower.contains("www.")
            || TLDS.iter().any(|t| lower.ends_with(t));
        if name.is_empty()
            || PLACEHOLDERS.contains(&lower.as_str())
            || is_outlet
            || out.contains(&name)
        {
            continue;
        }
        out.push(name);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!doctype html><html lang="en"><head>
<meta charset="utf-8"><title>Ferry line opens | Example News</title>
<link rel="canonical" href="https://news.example.org/2021/ferry">
<meta property="og:site_name" content="Example News">
<meta property="article:published_time" content="2021-03-03T08:00:00+01:00">
<meta property="article:modified_time" content="2021-03-04T10:00:00+01:00">
<meta name="author" content="Ann Lee">
<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"x"},{"@type":"NewsArticle","headline":"Ferry line opens","author":[{"@type":"Person","name":"Ann Lee"},{"@type":"Person","name":"Bo Kim"}],"articleSection":"City"}]}</script>
</head><body><nav>Home | World</nav><article><h1>Ferry line opens</h1>
<p>The city opened a <b>ferry</b> line.</p><p>It runs daily.</p><aside>Related: other</aside></article>
<footer>Copyright</footer><script>var x = 1;</script></body></html>"#;

    #[test]
    fn reads_metadata_in_order_of_trust() {
        let e = extract_html(PAGE.as_bytes());
        assert_eq!(e.title.as_deref(), Some("Ferry line opens"));
        assert_eq!(e.authors, vec!["Ann Lee", "Bo Kim"]);
        assert_eq!(e.publisher.as_deref(), Some("Example News"));
        assert_eq!(
            e.published_raw.as_deref(),
            Some("2021-03-03T08:00:00+01:00")
        );
        assert_eq!(
            e.canonical_url.as_deref(),
            Some("https://news.example.org/2021/ferry")
        );
        assert_eq!(e.language.as_deref(), Some("en"));
        assert_eq!(e.section.as_deref(), Some("City"));
        assert_eq!(e.modified_raw.as_deref(), Some("2021-03-04T10:00:00+01:00"));
    }

    #[test]
    fn falls_back_to_the_title_element_and_declared_charset() {
        let page = b"<html><head><meta charset=\"iso-8859-1\"><title>Caf\xe9 news</title></head><body><p>Un caf\xe9.</p></body></html>";
        let e = extract_html(page);
        assert_eq!(e.title.as_deref(), Some("Caf\u{e9} news"));
        assert_eq!(e.text, "Un caf\u{e9}.\n");
        assert_eq!(e.encoding, "windows-1252");
    }

    #[test]
    fn author_credits_are_reduced_to_names() {
        let got = clean_authors(
            vec![
                "By Ann Lee".into(),
                "admin".into(),
                "Example News".into(),
                "kath.net".into(),
                "Bo Kim".into(),
                "Ann Lee".into(),
            ],
            Some("Example News"),
        );
        assert_eq!(got, vec!["Ann Lee", "Bo Kim"]);
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let page = format!(
            "<html><body>{}x{}</body></html>",
            "<div>".repeat(5000),
            "</div>".repeat(5000)
        );
        let _ = extract_html(page.as_bytes());
    }
}
