//! Any bytes as an appendix entry (spec §6.4, §6.5): as an RFC 3161
//! response over a signature, and as a custody event of a chain. No panic,
//! and nothing made of arbitrary bytes is accepted as a valid event.
#![no_main]

use libfuzzer_sys::fuzz_target;
use provseal::format::custody::{ChainCursor, check_event};

const BUNDLE_ID: &str = "sha256:c3fa5b56da406595706b642978ead19a0632b02819e3227531c0315d035e7795";

fuzz_target!(|data: &[u8]| {
    let _ = provseal::format::timestamp::check_token(data, &[0x55; 64]);
    let mut cursor = ChainCursor {
        bundle_id: BUNDLE_ID,
        expected_previous: BUNDLE_ID.to_string(),
        not_before: None,
    };
    let mut findings = Vec::new();
    let checked = check_event("custody/000001.json", 1, data, &mut cursor, &mut findings);
    assert_eq!(checked.info.valid, findings.is_empty());
});
