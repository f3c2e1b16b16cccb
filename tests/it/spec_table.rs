//! The code table in spec/bundle-v1.md §9 and the `Code` enum agree row for
//! row: identifier, severity, step, section and rule text.

use provseal::format::codes::{Code, Severity};

#[test]
fn spec_table_and_enum_agree() {
    let spec =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/spec/bundle-v1.md")).unwrap();
    let rows: Vec<Vec<String>> = spec
        .lines()
        .filter(|l| l.starts_with("| E") || l.starts_with("| W"))
        .map(|l| {
            l.trim_matches('|')
                .split(" | ")
                .map(|c| c.trim().to_string())
                .collect()
        })
        .collect();
    assert_eq!(
        rows.len(),
        Code::ALL.len(),
        "the spec table has {} rows, the enum {} codes",
        rows.len(),
        Code::ALL.len()
    );
    for (row, code) in rows.iter().zip(Code::ALL) {
        let severity = match code.severity() {
            Severity::Error => "error",
            Severity::Warning => "warning",
            other => panic!("the spec table has no severity {other:?}"),
        };
        let expected = vec![
            code.as_str().to_string(),
            severity.to_string(),
            code.step().to_string(),
            format!("§{}", code.section()),
            code.rule().to_string(),
        ];
        assert_eq!(row, &expected);
        let heading = format!("## {}. ", code.section().split('.').next().unwrap());
        assert!(
            spec.contains(&heading),
            "{code}: section {} does not exist",
            code.section()
        );
    }
}
