//! Any bytes given to the HTML and plain-text extractors: no panic (a panic
//! inside the body-text engine is caught and falls back), and the text is
//! always normalised as the bundle format requires.
#![no_main]

use libfuzzer_sys::fuzz_target;
use provseal::extract::{InputKind, extract};

fuzz_target!(|data: &[u8]| {
    for kind in [InputKind::Html, InputKind::Text] {
        let e = extract(kind, data);
        assert!(provseal::format::normalize::check_text(e.text.as_bytes()).is_ok());
    }
});
