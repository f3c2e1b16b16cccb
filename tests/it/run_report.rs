//! The library's spec §10 shapes, read through the structs that name
//! every field §10 lists and refuse any other (`support::report_shape`).

use std::path::Path;

use provseal::run_report::{self, Totals};
use provseal::verify::{self, FailOn};

use crate::support::report_shape::{Bundle, Doc, Summary};
use crate::support::{options, pack_example, test_key};

#[test]
fn the_json_document_and_jsonl_records_have_the_fields_of_section_10() {
    let key = test_key();
    let packed = pack_example(Some(&key));
    let len = packed.bytes.len() as u64;
    let mut cursor = std::io::Cursor::new(&packed.bytes);
    let trusted = verify::verify_reader(&mut cursor, len, &options(&[&key], false)).unwrap();
    let mut broken = packed.bytes.clone();
    let at = broken.len() / 2;
    broken[at] ^= 1;
    let mut cursor = std::io::Cursor::new(&broken);
    let invalid = verify::verify_reader(&mut cursor, len, &options(&[&key], false)).unwrap();

    let style = provseal::cite::Style::default();
    let mut totals = Totals::default();
    let mut bundles = Vec::new();
    for (name, r) in [("good.zip", &trusted), ("broken.zip", &invalid)] {
        totals.add(r, false, len, FailOn::Error);
        bundles.push(run_report::bundle_json(
            Path::new(name),
            r,
            Some(provseal::cite::Format::Bibtex),
            &style,
        ));
    }
    let doc = run_report::json_document(Some(bundles.clone()), &totals, FailOn::Error);
    let doc: Doc = serde_json::from_value(doc).expect("the document has the §10 fields");
    assert_eq!((doc.provseal.as_str(), doc.version), ("verify-report", 1));
    let b = &doc.bundles;
    assert_eq!(b.len(), 2);
    assert_eq!(b[0].state, "verified-trusted");
    let cited = b[0].citation.as_ref().expect("a passed bundle is cited");
    assert_eq!(cited.format.as_deref(), Some("bibtex"));
    assert!(b[0].not_cited.is_none());
    assert!(!b[1].passed && b[1].citation.is_none());
    assert!(
        b[1].not_cited
            .as_deref()
            .is_some_and(|w| w.contains("invalid"))
    );
    assert!(
        b[1].findings
            .iter()
            .all(|f| f.severity == "error" || f.severity == "warning")
    );
    assert_eq!(
        (doc.summary.total, doc.summary.passed, doc.summary.failed),
        (2, 1, 1)
    );

    let summary_only = run_report::json_document(None, &totals, FailOn::Error);
    assert!(summary_only.get("bundles").is_none());
    let _: Doc = serde_json::from_value(summary_only).unwrap();

    let record: Bundle =
        serde_json::from_value(run_report::jsonl_bundle(bundles[0].clone())).unwrap();
    assert_eq!(record.record.as_deref(), Some("bundle"));
    let last = run_report::jsonl_summary(&totals, FailOn::Warning);
    assert_eq!(last["record"], "summary");
    let last: Summary = serde_json::from_value(last["summary"].clone()).unwrap();
    assert_eq!(last.fail_on, "warning");
}
