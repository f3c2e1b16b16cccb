//! Golden citations: every format, for the seed and three cases that test
//! the styles' rules (several authors; no author and no date; a title that
//! is not English), packed with a fixed key and time. The committed files
//! were reviewed against the style guides; a change shows up here as a
//! diff to review again. `PROVSEAL_BLESS=1` rewrites them.

use std::fs;

use crate::support::citations::{cases, golden_dir, rendered};

#[test]
fn every_format_of_every_case_matches_its_golden_file() {
    let bless = std::env::var_os("PROVSEAL_BLESS").is_some();
    let mut checked = 0;
    for (case, packed) in cases() {
        let Some(p) = packed else {
            crate::support::skipped_missing(std::path::Path::new(&format!(
                "../shared/seed (case {case})"
            )));
            continue;
        };
        let dir = golden_dir(case);
        for (name, text) in rendered(&p, case) {
            let path = dir.join(&name);
            if bless {
                fs::create_dir_all(&dir).unwrap();
                fs::write(&path, &text).unwrap();
            }
            let want = fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e} (PROVSEAL_BLESS=1 writes it)", path.display()));
            assert_eq!(text, want, "{case}/{name} differs from its golden file");
            checked += 1;
        }
    }
    assert!(checked >= 14, "only {checked} golden files checked");
}
