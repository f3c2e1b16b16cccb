//! What the caller of [`verify`](super) decides: whom to trust, what time
//! it is, and the caps.

use chrono::{DateTime, Duration, Utc};
use ed25519_dalek::VerifyingKey;

use crate::format::container::layout::Limits;
use crate::trust::TrustStore;

/// How far in the future a capture time may be before W002: clocks differ.
pub const CLOCK_SKEW: Duration = Duration::minutes(5);

/// Who vouches for a signature (spec §8, step 6). One value, so that keys
/// and a store cannot both be given with one of them silently ignored, and
/// so that "accept unsigned" exists only where no trust was asked for.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Trust {
    /// No trust decision: a valid signature shows integrity, not who
    /// vouches for the bundle (W003). `allow_unsigned` accepts unsigned
    /// bundles with W004 instead of failing them with E040.
    Anyone {
        /// Accept unsigned bundles, with a warning.
        allow_unsigned: bool,
    },
    /// These keys, and only these: any other signer is E041. An empty list
    /// trusts nobody.
    Keys(Vec<VerifyingKey>),
    /// A trust store (spec §8.2): named signers whose keys are judged by
    /// their validity windows and revocations at signing time.
    Store(TrustStore),
}

impl Trust {
    /// Whether a trust decision was asked for (keys or a store).
    pub fn decides(&self) -> bool {
        !matches!(self, Trust::Anyone { .. })
    }

    /// Whether an unsigned bundle is accepted, with a warning.
    pub fn allows_unsigned(&self) -> bool {
        matches!(
            self,
            Trust::Anyone {
                allow_unsigned: true
            }
        )
    }

    /// The trust store, when trust is decided by one.
    pub fn store(&self) -> Option<&TrustStore> {
        match self {
            Trust::Store(s) => Some(s),
            _ => None,
        }
    }
}

impl Default for Trust {
    /// No trust decision, unsigned bundles refused.
    fn default() -> Self {
        Trust::Anyone {
            allow_unsigned: false,
        }
    }
}

/// What the caller decides: whom to trust, and what time it is.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct VerifyOptions {
    /// Who vouches for a signature.
    pub trust: Trust,
    /// The verifier's clock, for the future-capture check and for judging
    /// keys that were retired since.
    pub now: DateTime<Utc>,
    /// Resource caps.
    pub limits: Limits,
    /// The custody chain head recorded elsewhere (`sha256:` of an event
    /// entry): the chain must contain it, or the bundle fails with E066.
    pub custody_head: Option<String>,
    /// Root certificates of time-stamping authorities the caller trusts
    /// (spec §8.3). Empty: tokens are checked but their time is not
    /// vouched for (W008).
    pub tsa_roots: Vec<x509_cert::Certificate>,
}

impl VerifyOptions {
    /// Default caps, no trust decision, unsigned bundles refused.
    pub fn new(now: DateTime<Utc>) -> Self {
        VerifyOptions {
            trust: Trust::default(),
            now,
            limits: Limits::default(),
            custody_head: None,
            tsa_roots: Vec::new(),
        }
    }

    /// Default caps, trusting exactly `keys`.
    pub fn trusting(now: DateTime<Utc>, keys: Vec<VerifyingKey>) -> Self {
        VerifyOptions {
            trust: Trust::Keys(keys),
            ..VerifyOptions::new(now)
        }
    }

    /// As `self`, with `trust`.
    pub fn with_trust(mut self, trust: Trust) -> Self {
        self.trust = trust;
        self
    }
}
