//! The JSON object of one bundle (spec §10).

use std::path::Path;

use serde::Serialize;
use serde_json::{Value, json};

use crate::cite::{self, Format, Markup};
use crate::verify::Report;

#[derive(Serialize)]
struct JsonBundle<'a> {
    path: String,
    #[serde(flatten)]
    report: &'a Report,
    citation: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    not_cited: Option<String>,
}

/// The JSON object of one bundle (spec §10). With `--cite F`, a cited
/// bundle's `citation` also holds `format` and `formatted`, and a bundle
/// not cited says why in `not_cited`.
pub fn bundle_json(
    path: &Path,
    report: &Report,
    cite: Option<Format>,
    style: &cite::Style,
) -> Value {
    let src = cite::from_report(report, style);
    let b = JsonBundle {
        path: path.display().to_string(),
        report,
        citation: src.as_ref().ok().map(|src| {
            let mut c = json!({
                "text": cite::render(Format::Text, src, Markup::Plain).trim_end(),
                "csl_json": cite::csl_json(src),
            });
            if let Some(f) = cite {
                c["format"] = json!(f.name());
                c["formatted"] = json!(cite::render(f, src, style.markup));
            }
            c
        }),
        not_cited: match (cite, &src) {
            (Some(_), Err(why)) => Some(why.to_string()),
            _ => None,
        },
    };
    serde_json::to_value(b).expect("reports serialise")
}
