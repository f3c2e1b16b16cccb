//! Any bytes given to the manifest parser: no panic, and whatever parses
//! re-serialises canonically to a manifest that parses back unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;
use provseal::format::manifest::Manifest;

fuzz_target!(|data: &[u8]| {
    let _ = provseal::format::canonical::json_depth(data);
    let (manifest, problems) = Manifest::parse(data);
    if let Some(m) = manifest {
        let canonical = m.to_canonical_bytes();
        let (again, _) = Manifest::parse(&canonical);
        assert_eq!(
            again.as_ref(),
            Some(&m),
            "canonical bytes do not parse back"
        );
        if canonical == data {
            assert!(
                problems
                    .iter()
                    .all(|p| p.code != provseal::Code::ManifestNotCanonical)
            );
        }
    }
});
