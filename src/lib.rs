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
//! use provseal::{pack, sign::KeyPair, verify, manifest::CaptureMethod};
//! use chrono::{TimeZone, Utc};
//!
//! let key = KeyPair::from_seed(&[42u8; 32]);
//! let req = pack::PackRequest {
//!     input: b"A headline\n\nThe body of the article.\n".to_vec(),
//!     name_hint: Some("article.txt".into()),
//!     method: CaptureMethod::LocalFile,
//!     overrides: pack::Overrides::default(),
//!     captured_at: Utc.with_ymd_and_hms(2024, 1, 2, 3, 4, 5).unwrap(),
//! };
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

pub mod appendix;
pub mod atomic;
pub mod batch;
pub mod capture;
pub mod catalog;
pub mod cite;
pub mod codes;
pub mod compare;
pub mod container;
pub mod custody;
pub mod digest;
pub mod display;
pub mod extract;
pub mod finding;
pub mod manifest;
pub mod normalize;
pub mod pack;
pub mod pack_capture;
pub mod paths;
pub mod readme_txt;
pub mod remote;
pub mod sign;
pub mod timestamp;
pub mod trust;
pub mod verify;

pub use codes::{Code, Severity};
pub use finding::Finding;
