//! Any bytes given to the verifier: no panic, no I/O error on in-memory
//! data (every read must stay inside the file), and never a pass for a key
//! that nothing was signed with.
#![no_main]

use std::io::Cursor;

use chrono::{TimeZone, Utc};
use libfuzzer_sys::fuzz_target;
use provseal::format::sign::KeyPair;
use provseal::verify::{Trust, VerifyOptions, verify_reader};

fuzz_target!(|data: &[u8]| {
    // The published test key: fuzzing may well produce bundles it signed
    // (seeds come from the vectors), so a pass is allowed only for them.
    let opts = VerifyOptions::trusting(
        Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
        vec![KeyPair::from_seed(&[1u8; 32]).verifying_key()],
    );
    let report = verify_reader(&mut Cursor::new(data), data.len() as u64, &opts)
        .expect("reading in-memory data never fails: a read outside the file is a bug");
    if report.passed {
        assert!(report.manifest.is_some() && report.bundle_id.is_some());
    }
    let unsigned = opts.clone().with_trust(Trust::Anyone {
        allow_unsigned: true,
    });
    let _ = verify_reader(&mut Cursor::new(data), data.len() as u64, &unsigned)
        .expect("reading in-memory data never fails");
});
