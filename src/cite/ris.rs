//! RIS, as EndNote and most databases read it: `TY  - NEWS`, CRLF line
//! endings.

use super::CiteSource;
use super::names::{is_corporate, split_name};

fn ris_line(out: &mut String, tag: &str, value: &str) {
    let one_line = crate::format::normalize::collapse_ws(value);
    if !one_line.is_empty() {
        out.push_str(&format!("{tag}  - {one_line}\r\n"));
    }
}

pub(super) fn ris(src: &CiteSource) -> String {
    let a = &src.manifest.article;
    let mut out = String::new();
    ris_line(&mut out, "TY", "NEWS");
    ris_line(&mut out, "TI", &a.title);
    if let Some(p) = &a.publisher {
        ris_line(&mut out, "T2", p);
        ris_line(&mut out, "PB", p);
    }
    for n in &a.authors {
        if is_corporate(n) {
            ris_line(&mut out, "AU", n);
        } else {
            let (family, given) = split_name(n);
            ris_line(&mut out, "AU", &format!("{family}, {given}"));
        }
    }
    if let Some(d) = src.published_day() {
        ris_line(&mut out, "DA", &d.replace('-', "/"));
        ris_line(&mut out, "PY", &d[..4]);
    }
    if let Some(s) = &a.section {
        ris_line(&mut out, "SE", s);
    }
    if let Some(u) = src.work_url() {
        ris_line(&mut out, "UR", u);
    }
    ris_line(&mut out, "Y2", &src.captured_day().replace('-', "/"));
    ris_line(&mut out, "DB", src.archive);
    ris_line(&mut out, "AN", src.bundle_id);
    if let Some(l) = &a.language {
        ris_line(&mut out, "LA", l);
    }
    ris_line(&mut out, "N1", &src.evidence_sentence());
    out.push_str("ER  - \r\n");
    out
}
