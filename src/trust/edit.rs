//! Changing a trust store: adding a signer's key or a TSA root, revoking
//! or retiring a key, and writing the result. Each edit keeps the rules
//! the parser enforces (one signer per key, text a report can show
//! safely), so an edited store always reads back as the store it is.

use chrono::{DateTime, Utc};

use super::{TrustStore, TrustedKey, TrustedSigner, TrustedTsa};
use crate::display::{UnsafeValue, check_clean};
use crate::format::sign::key_id;

/// Why an edit was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum EditError {
    /// The key is already held, under this signer.
    #[error("{key_id}: already in the trust store, under {holder:?}")]
    KeyHeld {
        /// The key's id.
        key_id: String,
        /// The signer that holds it.
        holder: String,
    },
    /// The root certificate is already held, under this name.
    #[error("already in the trust store, as {0:?}")]
    TsaHeld(String),
    /// No key with this id is in the store.
    #[error("{0}: no such key in the trust store")]
    NoSuchKey(String),
    /// A name or reason a report could not show safely.
    #[error("{0}")]
    UnsafeText(UnsafeValue),
    /// The edited store would not read back as itself (a bug, refused
    /// rather than written).
    #[error("the store would not read back as written: {0}")]
    NoRoundTrip(String),
}

impl TrustStore {
    /// Adds `key` to the signer named `signer`, who is created when new.
    pub fn add_key(&mut self, signer: &str, key: TrustedKey) -> Result<(), EditError> {
        check_clean("signer name", signer).map_err(EditError::UnsafeText)?;
        if let Some(r) = key.revoked.as_ref() {
            check_clean("revoked_reason", &r.1).map_err(EditError::UnsafeText)?;
        }
        if let Some((holder, _)) = self.find(&key.key) {
            return Err(EditError::KeyHeld {
                key_id: key_id(&key.key),
                holder: holder.name.clone(),
            });
        }
        match self.signers.iter_mut().find(|s| s.name == signer) {
            Some(s) => s.keys.push(key),
            None => self.signers.push(TrustedSigner {
                name: signer.to_string(),
                keys: vec![key],
            }),
        }
        Ok(())
    }

    /// Adds a time-stamping authority's root certificate under `name`.
    pub fn add_tsa(&mut self, name: &str, root: x509_cert::Certificate) -> Result<(), EditError> {
        check_clean("tsa name", name).map_err(EditError::UnsafeText)?;
        if let Some(t) = self.tsas.iter().find(|t| t.root == root) {
            return Err(EditError::TsaHeld(t.name.clone()));
        }
        self.tsas.push(TrustedTsa {
            name: name.to_string(),
            root,
        });
        Ok(())
    }

    fn key_mut(&mut self, id: &str) -> Result<&mut TrustedKey, EditError> {
        self.signers
            .iter_mut()
            .flat_map(|s| s.keys.iter_mut())
            .find(|k| key_id(&k.key) == id)
            .ok_or_else(|| EditError::NoSuchKey(id.to_string()))
    }

    /// Revokes the key with id `id` from `at`, for `reason`: signatures it
    /// made from then on are refused (E042); earlier ones keep their
    /// standing, with the revocation shown.
    pub fn revoke(&mut self, id: &str, at: DateTime<Utc>, reason: &str) -> Result<(), EditError> {
        check_clean("revoked_reason", reason).map_err(EditError::UnsafeText)?;
        self.key_mut(id)?.revoked = Some((at, reason.to_string()));
        Ok(())
    }

    /// Retires the key with id `id` at `at`, as a rotation does: the store
    /// vouches for its signatures up to then and not after.
    pub fn retire(&mut self, id: &str, at: DateTime<Utc>) -> Result<(), EditError> {
        self.key_mut(id)?.not_after = Some(at);
        Ok(())
    }

    /// The store's file text, checked to read back as this very store.
    pub fn to_checked_toml(&self) -> Result<String, EditError> {
        let text = self.to_toml();
        match TrustStore::parse(&text) {
            Ok(back) if back == *self => Ok(text),
            Ok(_) => Err(EditError::NoRoundTrip("it reads as another store".into())),
            Err(e) => Err(EditError::NoRoundTrip(e.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::sign::KeyPair;
    use chrono::TimeZone;

    fn key(seed: u8) -> TrustedKey {
        TrustedKey {
            key: KeyPair::from_seed(&[seed; 32]).verifying_key(),
            not_before: None,
            not_after: None,
            revoked: None,
        }
    }

    #[test]
    fn edits_keep_one_signer_per_key_and_read_back() {
        let mut s = TrustStore::default();
        s.add_key("Newsroom", key(1)).unwrap();
        s.add_key("Newsroom", key(2)).unwrap();
        assert_eq!(s.signers.len(), 1);
        assert_eq!(s.signers[0].keys.len(), 2);
        assert!(matches!(
            s.add_key("Someone else", key(1)),
            Err(EditError::KeyHeld { holder, .. }) if holder == "Newsroom"
        ));
        let at = Utc.with_ymd_and_hms(2025, 6, 1, 0, 0, 0).unwrap();
        let id = key_id(&key(2).key);
        s.revoke(&id, at, "laptop stolen").unwrap();
        s.retire(&key_id(&key(1).key), at).unwrap();
        assert_eq!(
            s.signers[0].keys[1].revoked,
            Some((at, "laptop stolen".into()))
        );
        assert_eq!(s.signers[0].keys[0].not_after, Some(at));
        assert!(matches!(
            s.retire("sha256:00", at),
            Err(EditError::NoSuchKey(_))
        ));
        let text = s.to_checked_toml().unwrap();
        assert_eq!(TrustStore::parse(&text).unwrap(), s);
    }

    #[test]
    fn text_a_report_would_show_must_be_clean() {
        let mut s = TrustStore::default();
        assert!(matches!(
            s.add_key("News\u{202e}room", key(1)),
            Err(EditError::UnsafeText(_))
        ));
        s.add_key("Newsroom", key(1)).unwrap();
        let at = Utc.with_ymd_and_hms(2025, 6, 1, 0, 0, 0).unwrap();
        assert!(matches!(
            s.revoke(&key_id(&key(1).key), at, "stolen\n\x1b[1mVERIFIED"),
            Err(EditError::UnsafeText(_))
        ));
        assert_eq!(s.signers[0].keys[0].revoked, None);
    }
}
