//! CSL-JSON, for Zotero, Pandoc and every citeproc engine; also the item
//! that the human styles are rendered from.

use serde_json::{Value, json};

use super::CiteSource;
use super::names::{is_corporate, split_name};

fn date_parts(day: &str) -> Option<Value> {
    let mut it = day.split('-').map(|p| p.parse::<u32>().ok());
    let (y, m, d) = (it.next()??, it.next()??, it.next()??);
    Some(json!({ "date-parts": [[y, m, d]] }))
}

/// The CSL-JSON array (one item) for a bundle.
pub fn csl_json(src: &CiteSource) -> Value {
    let a = &src.manifest.article;
    let mut item = serde_json::Map::new();
    item.insert("id".into(), json!(src.key()));
    let kind = if a.publisher.is_some() {
        "article-newspaper"
    } else {
        "webpage"
    };
    item.insert("type".into(), json!(kind));
    item.insert("title".into(), json!(a.title));
    if let Some(p) = &a.publisher {
        item.insert("container-title".into(), json!(p));
    }
    if let Some(s) = &a.section {
        item.insert("section".into(), json!(s));
    }
    if !a.authors.is_empty() {
        let authors: Vec<Value> = a
            .authors
            .iter()
            .map(|n| {
                if is_corporate(n) {
                    json!({ "literal": n })
                } else {
                    let (family, given) = split_name(n);
                    json!({ "family": family, "given": given })
                }
            })
            .collect();
        item.insert("author".into(), Value::Array(authors));
    }
    match (src.published_day().and_then(date_parts), &a.published) {
        (Some(d), _) => {
            item.insert("issued".into(), d);
        }
        (None, Some(p)) => {
            item.insert("issued".into(), json!({ "raw": p.raw }));
        }
        (None, None) => {}
    }
    if let Some(d) = date_parts(src.captured_day()) {
        item.insert("accessed".into(), d);
    }
    if let Some(u) = src.work_url() {
        item.insert("URL".into(), json!(u));
    }
    if let Some(l) = &a.language {
        item.insert("language".into(), json!(l));
    }
    item.insert("archive".into(), json!(src.archive));
    item.insert("archive_location".into(), json!(src.bundle_id));
    item.insert("note".into(), json!(src.evidence_sentence()));
    item.insert(
        "custom".into(),
        json!({
            "original_url": src.original(),
            "repost_urls": src.reposts(),
            "captured_at": src.captured(),
            "source_sha256": src.source_sha256(),
            "bundle_id": src.bundle_id,
            "signer_key_id": src.key_id(),
        }),
    );
    // Only when a trust store names the signer, so that a citation made
    // with keys alone reads as it always has.
    if let (Some(name), Some(Value::Object(custom))) = (src.signer_name, item.get_mut("custom")) {
        custom.insert("signer_name".into(), json!(name));
    }
    Value::Array(vec![Value::Object(item)])
}
