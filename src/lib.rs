//! provseal preserves news reports as signed evidence bundles.
//!
//! A bundle is a ZIP archive in one canonical layout holding the input
//! exactly as captured, the article text extracted from it, a manifest that
//! lists every file with its SHA-256, and an Ed25519 signature over the
//! manifest in a DSSE envelope. The normative format is `spec/bundle-v1.md`.
//!
//! The library never prints, never exits and never reads the clock: callers
//! pass the capture time to [`pack::pack`] and the current time to
//! [`verify::verify_path`].
//!
//! ```
//! use provseal::{pack, verify, format::sign::KeyPair, format::manifest::CaptureMethod};
//! use chrono::{TimeZone, Utc};
//!
//! let key = KeyPair::from_seed(&[42u8; 32]);
//! let mut req = pack::PackRequest::new(
//!     b"A headline\n\nThe body of the article.\n".to_vec(),
//!     CaptureMethod::LocalFile,
//!     Utc.with_ymd_and_hms(2024, 1, 2, 3, 4, 5).unwrap(),
//! );
//! req.name_hint = Some("article.txt".into());
//! let packed = pack::pack(&req, Some(&key)).unwrap();
//!
//! let opts = verify::VerifyOptions::trusting(
//!     Utc.with_ymd_and_hms(2024, 1, 3, 0, 0, 0).unwrap(),
//!     vec![key.verifying_key()],
//! );
//! let mut cursor = std::io::Cursor::new(&packed.bytes);
//! let report = verify::verify_reader(&mut cursor, packed.bytes.len() as u64, &opts).unwrap();
//! assert_eq!(report.state, verify::State::VerifiedTrusted);
//! assert_eq!(report.bundle_id.as_deref(), Some(packed.bundle_id.as_str()));
//! ```

#![forbid(unsafe_code)]
#![deny(missing_docs)]

// What `ls src` shows, in layers: each depends only on those above it.
// The bundle format: rules and types only (spec §3–7, §9).
pub mod format;
// Making bundles.
pub mod capture;
pub mod compare;
pub mod extract;
pub mod pack;
// Checking bundles, vouching for them, citing them (spec §8, §10).
pub mod attest;
pub mod cite;
pub mod display;
pub mod trust;
pub mod verify;
// What a run of verify reports (spec §10).
pub mod run_report;
// Collections of bundles: local folders and S3 buckets.
pub mod archive;

pub use format::codes::{Code, Severity};
pub use format::finding::Finding;
