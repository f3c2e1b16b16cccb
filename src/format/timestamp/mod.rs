//! RFC 3161 trusted timestamps (spec §6.5). A token over a signature's raw
//! bytes proves that the signature existed at the token's `genTime`, which
//! bounds the time the signer claims. Tokens are obtained once, stored
//! whole in the bundle's appendix, and checked offline.

pub mod asn1;
pub mod pki;
pub mod request;
pub mod token;

pub use request::{TsaError, request_token};
pub use token::{Token, TokenInfo, TokenProblem, check_token};

use chrono::{DateTime, Utc};
use serde::Serialize;

/// One stored token as the verifier saw it: what a report shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stamp {
    /// The token's entry name.
    pub entry: String,
    /// The entry whose signature it stamps: `signature.json` or a custody
    /// event.
    pub subject: String,
    /// The time the subject's signer claims: the capture time, or the
    /// event's time.
    pub claimed_time: Option<String>,
    /// When the TSA attests the signature existed, if the token checked out.
    pub gen_time: Option<DateTime<Utc>>,
    /// The TSA certificate's subject.
    pub tsa: Option<String>,
    /// The token's serial number, in hex.
    pub serial: Option<String>,
    /// Whether the token checked out (structure, imprint, signature, usage).
    pub valid: bool,
    /// Whether the TSA chains to a given root at genTime; `None` when no
    /// roots were given.
    pub trusted: Option<bool>,
    /// The certificate path to the root, leaf first, when trusted.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub path: Vec<String>,
}
