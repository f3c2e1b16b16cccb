//! `provseal trust`: editing a trust store file (spec §8.2). Every change
//! is written atomically, and the file is read back through the same parser
//! the verifier uses before it replaces the old one.

use std::path::Path;

use chrono::{DateTime, Utc};
use provseal::display::{self, shown};
use provseal::format::sign;
use provseal::trust::{TrustStore, TrustedKey};

use super::args::TrustCommand;
use super::{CliResult, Outcome, emit};

/// Reads a trust store; a missing or unusable file stops the run.
pub fn load(path: &Path) -> Result<TrustStore, String> {
    let text = std::fs::read_to_string(path).map_err(super::io_at(path))?;
    TrustStore::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Reads a trust store, or starts an empty one if the file does not exist.
fn load_or_new(path: &Path) -> Result<TrustStore, String> {
    if path.exists() {
        load(path)
    } else {
        Ok(TrustStore::default())
    }
}

fn save(path: &Path, store: &TrustStore) -> Result<(), String> {
    let text = store
        .to_checked_toml()
        .map_err(|e| format!("{}: {e}", path.display()))?;
    provseal::archive::atomic::write_atomically(path, text.as_bytes(), true)
        .map_err(|e| e.to_string())
}

/// `trust list`: each signer and its keys' windows and revocations, then
/// each TSA root; every name and reason shown safely.
fn listing(s: &TrustStore) -> String {
    let mut out = String::new();
    for signer in &s.signers {
        out.push_str(&format!("{}\n", shown(&signer.name)));
        for k in &signer.keys {
            let show = |t: &Option<DateTime<Utc>>| t.map_or("-".to_string(), |t| t.to_rfc3339());
            out.push_str(&format!(
                "  {}  valid {} to {}",
                sign::key_id(&k.key),
                show(&k.not_before),
                show(&k.not_after)
            ));
            if let Some((at, reason)) = &k.revoked {
                out.push_str(&format!(
                    "  REVOKED {} ({})",
                    at.to_rfc3339(),
                    shown(reason)
                ));
            }
            out.push('\n');
        }
    }
    for t in &s.tsas {
        let (from, to) = provseal::format::timestamp::pki::validity(&t.root);
        out.push_str(&format!(
            "TSA {}\n  root {}  valid {} to {}\n",
            shown(&t.name),
            shown(&provseal::format::timestamp::pki::subject(&t.root)),
            from.to_rfc3339(),
            to.to_rfc3339()
        ));
    }
    out
}

pub fn run(cmd: TrustCommand) -> CliResult {
    match cmd {
        TrustCommand::Add {
            store,
            name,
            key,
            not_before,
            not_after,
        } => {
            display::check_clean("--name", &name).map_err(|e| e.to_string())?;
            let mut s = load_or_new(&store)?;
            let pem = std::fs::read_to_string(&key).map_err(super::io_at(&key))?;
            let public =
                sign::public_key_from_pem(&pem).map_err(|e| format!("{}: {e}", key.display()))?;
            let entry = TrustedKey {
                key: public,
                not_before: not_before
                    .as_deref()
                    .map(|t| super::parse_time("--not-before", t))
                    .transpose()?,
                not_after: not_after
                    .as_deref()
                    .map(|t| super::parse_time("--not-after", t))
                    .transpose()?,
                revoked: None,
            };
            s.add_key(&name, entry).map_err(|e| e.to_string())?;
            save(&store, &s)?;
            emit(&format!("{}\n", sign::key_id(&public)))?;
            say!("added to {} under {name:?}", store.display());
        }
        TrustCommand::AddTsa {
            store,
            name,
            certificate,
        } => {
            display::check_clean("--name", &name).map_err(|e| e.to_string())?;
            let mut s = load_or_new(&store)?;
            let bytes = std::fs::read(&certificate).map_err(super::io_at(&certificate))?;
            let certs = provseal::format::timestamp::pki::read_certificates(&bytes)
                .map_err(|e| format!("{}: not a certificate: {e}", certificate.display()))?;
            let [root] = certs.as_slice() else {
                return Err(format!(
                    "{}: holds {} certificates; give the one root",
                    certificate.display(),
                    certs.len()
                )
                .into());
            };
            let subject = provseal::format::timestamp::pki::subject(root);
            s.add_tsa(&name, root.clone())
                .map_err(|e| format!("{}: {e}", certificate.display()))?;
            save(&store, &s)?;
            say!(
                "added TSA root {subject} to {} as {name:?}",
                store.display()
            );
        }
        TrustCommand::List { store } => emit(&listing(&load(&store)?))?,
        TrustCommand::Revoke {
            store,
            key_id,
            at,
            reason,
        } => {
            display::check_clean("--reason", &reason).map_err(|e| e.to_string())?;
            let mut s = load(&store)?;
            s.revoke(&key_id, super::parse_time("--at", &at)?, &reason)
                .map_err(|e| e.to_string())?;
            save(&store, &s)?;
            say!("revoked {key_id} from {at}");
        }
        TrustCommand::Retire { store, key_id, at } => {
            let mut s = load(&store)?;
            s.retire(&key_id, super::parse_time("--at", &at)?)
                .map_err(|e| e.to_string())?;
            save(&store, &s)?;
            say!("{key_id} vouches for signatures up to {at}");
        }
    }
    Ok(Outcome::Passed)
}
