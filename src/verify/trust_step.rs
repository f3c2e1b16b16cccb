//! Step 6 of spec §8: trust. Who vouches for the manifest's signature,
//! judged by trusted keys or by a trust store at signing time (§8.2), and
//! who signed each custody event.

use chrono::{DateTime, Utc};
use ed25519_dalek::VerifyingKey;

use super::appendix_step::Appendix;
use super::signature_step::Signed;
use super::{SignerInfo, State, Trust, VerifyOptions};
use crate::format::codes::Code;
use crate::format::custody::EventInfo;
use crate::format::finding::Finding;
use crate::format::manifest::{Manifest, SIGNATURE_PATH};
use crate::format::sign::key_id;
use crate::format::timestamp::Stamp;
use crate::trust::Standing;

/// What step 6 decided.
pub(super) struct Judged {
    /// The bundle's state.
    pub state: State,
    /// The signer, with the trust decision filled in.
    pub signer: Option<SignerInfo>,
    /// The custody events, each actor judged.
    pub custody: Vec<EventInfo>,
    /// The timestamp tokens, each TSA judged.
    pub stamps: Vec<Stamp>,
}

/// Step 6: trust, only for a signed core with no error (`core_ok`); else
/// the state is invalid and nothing is judged. Tokens are judged first,
/// since a trusted one dates the signature for the signer's judgement,
/// but their findings are listed after the signer's and the custody
/// actors'.
pub(super) fn judge(
    core_ok: bool,
    signed: Signed,
    appendix: Appendix,
    manifest: Option<&Manifest>,
    opts: &VerifyOptions,
    findings: &mut Vec<Finding>,
) -> Judged {
    let Signed { mut signer, by, .. } = signed;
    let Appendix {
        events: mut custody,
        mut stamps,
    } = appendix;
    let mut state = State::Invalid;
    if core_ok {
        let mut token_findings = Vec::new();
        judge_timestamps(&mut stamps, opts, &mut token_findings);
        let attested = stamps
            .iter()
            .filter(|(s, _)| s.subject == SIGNATURE_PATH && s.valid && s.trusted == Some(true))
            .filter_map(|(s, _)| s.gen_time)
            .min();
        state = judge_signer(&mut signer, by, manifest, attested, opts, findings);
        judge_custody(&mut custody, opts, findings);
        findings.extend(token_findings);
    }
    Judged {
        state,
        signer,
        custody: custody.into_iter().map(|(e, ..)| e).collect(),
        stamps: stamps.into_iter().map(|(s, _)| s).collect(),
    }
}

/// Judges the manifest's signer and returns the bundle's state. Only for a
/// bundle with no integrity error. `attested` is the earliest genTime of a
/// trusted token over the manifest's signature.
fn judge_signer(
    signer: &mut Option<SignerInfo>,
    signed_by: Option<VerifyingKey>,
    manifest: Option<&Manifest>,
    attested: Option<DateTime<Utc>>,
    opts: &VerifyOptions,
    findings: &mut Vec<Finding>,
) -> State {
    let Some(info) = signer.as_mut().filter(|_| signed_by.is_some()) else {
        if opts.trust.allows_unsigned() {
            findings.push(Finding::new(
                Code::UnsignedAllowed,
                "bundle",
                "the bundle is unsigned: anyone could have made it",
            ));
        } else {
            findings.push(Finding::new(
                Code::Unsigned,
                "bundle",
                "the bundle is unsigned, so nobody vouches for it",
            ));
        }
        return State::IntactUnsigned;
    };
    let Some(key) = signed_by else {
        return State::IntactUnsigned;
    };
    let trusted = match &opts.trust {
        Trust::Store(store) => {
            let Some(m) = manifest else {
                info.trusted = Some(false);
                return State::IntactUntrusted;
            };
            return judge_by_store(store, &key, attested, m, opts.now, info, findings);
        }
        Trust::Keys(keys) => keys,
        Trust::Anyone { .. } => {
            findings.push(Finding::new(
                Code::SignerNotKnownTrusted,
                SIGNATURE_PATH,
                format!("the signature by {} is valid, but no trusted keys were given: this shows integrity, not who vouches for the bundle", info.key_id),
            ));
            return State::IntactUntrusted;
        }
    };
    if trusted.iter().any(|t| t == &key) {
        info.trusted = Some(true);
        return State::VerifiedTrusted;
    }
    info.trusted = Some(false);
    findings.push(Finding::new(
        Code::SignerUntrusted,
        SIGNATURE_PATH,
        format!(
            "signer {} is not among the {} trusted key(s): {}",
            info.key_id,
            trusted.len(),
            trusted.iter().map(key_id).collect::<Vec<_>>().join(", ")
        ),
    ));
    State::IntactUntrusted
}

/// Marks each custody event's actor as trusted or not, by the same trust
/// the manifest's signer is judged by (a store judges at the event's
/// time). An untrusted actor is W006: the event stands as a record of
/// what that key said, not of who said it.
fn judge_custody(
    events: &mut [super::appendix_step::JudgedEvent],
    opts: &VerifyOptions,
    findings: &mut Vec<Finding>,
) {
    if !opts.trust.decides() {
        return;
    }
    for (info, key, at) in events.iter_mut() {
        // A broken event is already an error; who signed it does not matter.
        let Some(key) = key.as_ref().filter(|_| info.valid) else {
            continue;
        };
        let (trusted, name) = match (&opts.trust, at) {
            (Trust::Store(store), Some(at)) => match store.standing(key, *at) {
                Standing::Trusted { signer, .. } => (true, Some(signer)),
                Standing::OutsideWindow { signer, .. } | Standing::Revoked { signer, .. } => {
                    (false, Some(signer))
                }
                Standing::Unknown => (false, None),
            },
            (Trust::Keys(keys), _) => (keys.iter().any(|t| t == key), None),
            _ => (false, None),
        };
        info.actor_trusted = Some(trusted);
        info.actor_name = name.clone();
        if !trusted {
            findings.push(Finding::new(
                Code::CustodyActorNotTrusted,
                &info.entry,
                format!(
                    "custody event {} ({}) is signed by {}{}, which is not trusted {}",
                    info.sequence,
                    info.action.map_or("?", |a| a.as_str()),
                    info.actor_key_id.as_deref().unwrap_or("?"),
                    name.map(|n| format!(" ({n})")).unwrap_or_default(),
                    if opts.trust.store().is_some() {
                        "at the event's time by the trust store"
                    } else {
                        "by the given keys"
                    }
                ),
            ));
        }
    }
}

/// Step 6 with a trust store (spec §8.2): the signer's key is judged at
/// the signing time the signed manifest states, `capture.captured_at`.
/// That time is the signer's claim; a key revoked since (it may have been
/// stolen, and a thief can backdate) is trusted only when a trusted token
/// proves the signature existed before the revocation (else E044), and a
/// key retired since is trusted with W011 unless a token proves the
/// signature existed by the window's end.
// Long (~115 lines) by reason: the §8.2 decision table (trusted, unknown,
// outside its window, revoked before or after, retired) as one match.
fn judge_by_store(
    store: &crate::trust::TrustStore,
    key: &VerifyingKey,
    attested: Option<DateTime<Utc>>,
    m: &Manifest,
    now: DateTime<Utc>,
    info: &mut SignerInfo,
    findings: &mut Vec<Finding>,
) -> State {
    let Ok(signed_at) = DateTime::parse_from_rfc3339(&m.capture.captured_at) else {
        // The manifest checks have already refused such a time (E011).
        info.trusted = Some(false);
        return State::IntactUntrusted;
    };
    let at = m.capture.captured_at.as_str();
    let shown = |t: &DateTime<Utc>| t.to_rfc3339();
    match store.standing(key, signed_at.with_timezone(&Utc)) {
        Standing::Trusted {
            signer,
            revoked_later,
            not_after,
        } => {
            info.name = Some(signer.clone());
            if let Some((when, reason)) = revoked_later {
                let Some(g) = attested.filter(|g| *g < when) else {
                    let token = match attested {
                        Some(g) => format!(
                            "the earliest trusted timestamp ({}) is after the revocation",
                            shown(&g)
                        ),
                        None => "no trusted timestamp proves when it was signed".into(),
                    };
                    info.trusted = Some(false);
                    findings.push(Finding::new(
                        Code::RevokedKeyTimeUnproven,
                        SIGNATURE_PATH,
                        format!(
                            "{signer}'s key {} was revoked on {} ({reason}); the bundle says it was signed before, at {at}, but {token}, and whoever holds a revoked key can write any time",
                            info.key_id,
                            shown(&when)
                        ),
                    ));
                    return State::IntactUntrusted;
                };
                findings.push(Finding::new(
                    Code::KeyRevokedSince,
                    SIGNATURE_PATH,
                    format!(
                        "{signer}'s key {} was revoked on {} ({reason}), after this bundle was signed: a trusted timestamp proves the signature existed at {}, before the revocation, so it stands",
                        info.key_id,
                        shown(&when),
                        shown(&g)
                    ),
                ));
            }
            if let Some(end) = not_after
                && end <= now
                && attested.is_none_or(|g| g > end)
            {
                findings.push(Finding::new(
                    Code::RetiredKeyTimeUnproven,
                    SIGNATURE_PATH,
                    format!(
                        "{signer}'s key {} was retired on {}; the bundle says it was signed at {at}, inside the key's window, but only the signer's claim dates it (no trusted timestamp proves it existed by then)",
                        info.key_id,
                        shown(&end)
                    ),
                ));
            }
            info.trusted = Some(true);
            State::VerifiedTrusted
        }
        Standing::Unknown => {
            info.trusted = Some(false);
            findings.push(Finding::new(
                Code::SignerUntrusted,
                SIGNATURE_PATH,
                format!("signer {} is not in the trust store", info.key_id),
            ));
            State::IntactUntrusted
        }
        Standing::OutsideWindow { signer, window } => {
            info.trusted = Some(false);
            info.name = Some(signer.clone());
            findings.push(Finding::new(
                Code::KeyNotValidAtSigning,
                SIGNATURE_PATH,
                format!(
                    "{signer}'s key {} is valid from {window}, but the bundle was signed at {at}",
                    info.key_id
                ),
            ));
            State::IntactUntrusted
        }
        Standing::Revoked {
            signer,
            at: when,
            reason,
        } => {
            info.trusted = Some(false);
            info.name = Some(signer.clone());
            findings.push(Finding::new(
                Code::SignedAfterRevocation,
                SIGNATURE_PATH,
                format!(
                    "{signer}'s key {} was revoked on {} ({reason}); the bundle says it was signed at {at}, after that",
                    info.key_id,
                    when.to_rfc3339()
                ),
            ));
            State::IntactUntrusted
        }
    }
}

/// Judges each valid token's TSA by the given roots, at the token's
/// genTime: a TSA certificate that expired since still vouches for tokens
/// it made while valid. Without roots, W008 says the time is unvouched.
fn judge_timestamps(
    stamps: &mut [(
        crate::format::timestamp::Stamp,
        Option<crate::format::timestamp::Token>,
    )],
    opts: &VerifyOptions,
    findings: &mut Vec<Finding>,
) {
    for (stamp, token) in stamps.iter_mut() {
        let Some(token) = token else { continue };
        if opts.tsa_roots.is_empty() {
            findings.push(Finding::new(
                Code::TimestampRootNotGiven,
                &stamp.entry,
                format!(
                    "the token by {} says {} signature existed at {}, but no TSA root was given to trust it by",
                    token.info.tsa,
                    stamp.subject,
                    token.info.gen_time.to_rfc3339()
                ),
            ));
            continue;
        }
        match crate::format::timestamp::pki::path_to_root(
            &token.signer,
            &token.certificates,
            &opts.tsa_roots,
            token.info.gen_time,
        ) {
            Ok(path) => {
                stamp.trusted = Some(true);
                stamp.path = path;
            }
            Err(why) => {
                stamp.trusted = Some(false);
                findings.push(Finding::new(
                    Code::TimestampUntrusted,
                    &stamp.entry,
                    format!(
                        "the token by {} is not trusted at its genTime {}: {why}",
                        token.info.tsa,
                        token.info.gen_time.to_rfc3339()
                    ),
                ));
            }
        }
    }
}
