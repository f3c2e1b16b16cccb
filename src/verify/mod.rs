//! The verification algorithm of spec §8, step by step. Every problem is
//! collected as a [`Finding`]; nothing stops at the first one unless the
//! container cannot be read at all.

use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use chrono::{DateTime, Duration, Utc};
use ed25519_dalek::VerifyingKey;
use serde::Serialize;

use crate::codes::{Code, Severity};
use crate::container::layout::Limits;
use crate::container::{Container, Entry, read_container};
use crate::digest::Sha256Digest;
use crate::finding::Finding;
use crate::manifest::{MANIFEST_PATH, Manifest, SIGNATURE_PATH};
use crate::sign::{SignatureProblem, signer_key, verify_envelope};

mod appendix_step;
mod files_step;
mod semantic_step;
mod trust_step;
mod verdict;

pub use verdict::{Failure, is_appendix_finding};

/// How far in the future a capture time may be before W002: clocks differ.
pub const CLOCK_SKEW: Duration = Duration::minutes(5);

/// What the caller decides: whom to trust, and what time it is.
#[derive(Debug, Clone)]
pub struct VerifyOptions {
    /// Keys whose signatures make a bundle verified-trusted. Empty means no
    /// trust decision was asked for.
    pub trusted: Vec<VerifyingKey>,
    /// Accept unsigned bundles (with a warning) when no trusted keys are
    /// given.
    pub allow_unsigned: bool,
    /// The verifier's clock, for the future-capture check.
    pub now: DateTime<Utc>,
    /// Resource caps.
    pub limits: Limits,
    /// A trust store (spec §8.2): when given, it decides trust, judging
    /// the signer's key at the bundle's signing time, and `trusted` is not
    /// consulted.
    pub trust_store: Option<crate::trust::TrustStore>,
    /// The custody chain head recorded elsewhere (`sha256:` of an event
    /// entry): the chain must contain it, or the bundle fails with E066.
    pub custody_head: Option<String>,
    /// Root certificates of time-stamping authorities the caller trusts
    /// (spec §8.3). Empty: tokens are checked but their time is not
    /// vouched for (W008).
    pub tsa_roots: Vec<x509_cert::Certificate>,
}

impl VerifyOptions {
    /// Default caps, no trusted keys, unsigned bundles refused.
    pub fn new(now: DateTime<Utc>) -> Self {
        VerifyOptions {
            trusted: Vec::new(),
            allow_unsigned: false,
            now,
            limits: Limits::default(),
            trust_store: None,
            custody_head: None,
            tsa_roots: Vec::new(),
        }
    }
}

/// The overall result (spec §8.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    /// Some integrity or signature check failed.
    Invalid,
    /// The files agree with the manifest, but nothing signs it.
    IntactUnsigned,
    /// Intact and validly signed, by a key not among the trusted ones (or
    /// no trusted keys were given).
    IntactUntrusted,
    /// Intact and signed by a trusted key.
    VerifiedTrusted,
}

impl State {
    /// The state's name as printed and serialised.
    pub fn as_str(self) -> &'static str {
        match self {
            State::Invalid => "invalid",
            State::IntactUnsigned => "intact-unsigned",
            State::IntactUntrusted => "intact-untrusted",
            State::VerifiedTrusted => "verified-trusted",
        }
    }
}

/// The appendix (spec §6.4, §6.5): custody events and timestamp tokens
/// that anyone holding a bundle can add after it was signed. Its state is
/// reported apart from the signed core's (spec §8.1), so that an entry a
/// third party appended can fail a bundle but never make its signed core
/// look forged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AppendixState {
    /// The bundle has no appendix entries.
    None,
    /// Every appendix entry checked out.
    Valid,
    /// Some appendix entry broke a rule of §6.4 or §6.5.
    Invalid,
}

/// Who signed, as far as the signature shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignerInfo {
    /// `sha256:` fingerprint of the public key named in the manifest.
    pub key_id: String,
    /// Whether the signature over the manifest verified.
    pub signature_valid: bool,
    /// Whether the key is among the trusted keys; `None` when none were
    /// given.
    pub trusted: Option<bool>,
    /// The signer's name in the trust store, when one was given and holds
    /// the key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// The verification result of one bundle.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// `sha256:` of the manifest bytes, when a manifest entry was found.
    pub bundle_id: Option<String>,
    /// The overall state.
    pub state: State,
    /// True when there is no error finding.
    pub passed: bool,
    /// False when the bundle was too broken for every step to run (the
    /// container could not be parsed, or no manifest could be read): the
    /// findings then cover only the steps that ran.
    pub complete: bool,
    /// The signer named in the manifest, if any.
    pub signer: Option<SignerInfo>,
    /// Every problem found, in step order.
    pub findings: Vec<Finding>,
    /// The manifest, when it could be parsed. Its content is only vouched
    /// for when `state` is not `invalid`.
    pub manifest: Option<Manifest>,
    /// The custody events (spec §6.4), in chain order: the timeline.
    pub custody: Vec<crate::custody::EventInfo>,
    /// `sha256:` of the last custody event's entry: what a custodian records
    /// outside the bundle so that truncating the chain is detectable.
    pub custody_head: Option<String>,
    /// The RFC 3161 timestamp tokens (spec §6.5), in appendix order.
    pub timestamps: Vec<crate::timestamp::Stamp>,
    /// Whether the appendix checked out, apart from the signed core.
    pub appendix: AppendixState,
}

impl Report {
    /// The report of a bundle that could not be read at all.
    pub fn unreadable(finding: Finding) -> Self {
        Report::from_findings(vec![finding])
    }

    fn from_findings(findings: Vec<Finding>) -> Self {
        Report {
            bundle_id: None,
            state: State::Invalid,
            passed: false,
            complete: false,
            signer: None,
            findings,
            manifest: None,
            custody: Vec::new(),
            custody_head: None,
            timestamps: Vec::new(),
            appendix: AppendixState::None,
        }
    }
}

/// Opens and verifies a bundle file. `Err` only for I/O failures of the
/// file itself (it cannot be opened or read); everything wrong with its
/// content is a finding.
pub fn verify_path(path: &Path, opts: &VerifyOptions) -> io::Result<Report> {
    verify_path_with_text(path, opts).map(|v| v.report)
}

/// A report, and the article text exactly as verification read and
/// checked it: `text` is `Some` only when `article/text.txt` was read
/// whole (within the text cap) and its size, CRC-32 and SHA-256 matched
/// the manifest. Commands that show or index the text take it from here,
/// never from a second read of the bundle, which could find other bytes.
#[derive(Debug, Clone)]
pub struct Verified {
    /// The verification result.
    pub report: Report,
    /// The checked article text.
    pub text: Option<Vec<u8>>,
}

/// As [`verify_path`], keeping the checked article text.
pub fn verify_path_with_text(path: &Path, opts: &VerifyOptions) -> io::Result<Verified> {
    let mut file = File::open(path)?;
    let len = file.metadata()?.len();
    if len <= SMALL_BUNDLE {
        // A typical bundle is read with one call rather than a seek and a
        // read per header: 30% faster on 68 KB bundles (examples/bench).
        // The cap holds even if the file grows while it is read.
        let mut bytes = Vec::with_capacity(len as usize);
        (&mut file).take(SMALL_BUNDLE + 1).read_to_end(&mut bytes)?;
        if bytes.len() as u64 <= SMALL_BUNDLE {
            let len = bytes.len() as u64;
            return verify_reader_with_text(&mut io::Cursor::new(bytes), len, opts);
        }
        file.seek(SeekFrom::Start(0))?;
    }
    let len = file.metadata()?.len();
    verify_reader_with_text(&mut BufReader::with_capacity(64 << 10, file), len, opts)
}

/// Bundles up to this size are read into memory whole before verifying;
/// larger ones are streamed, so memory stays bounded whatever their size.
pub const SMALL_BUNDLE: u64 = 4 << 20;

/// Verifies a bundle of `len` bytes readable from `r`.
pub fn verify_reader<R: Read + Seek>(
    r: &mut R,
    len: u64,
    opts: &VerifyOptions,
) -> io::Result<Report> {
    verify_reader_with_text(r, len, opts).map(|v| v.report)
}

/// As [`verify_reader`], keeping the checked article text (see
/// [`Verified`]).
pub fn verify_reader_with_text<R: Read + Seek>(
    r: &mut R,
    len: u64,
    opts: &VerifyOptions,
) -> io::Result<Verified> {
    let unread = |report| Verified { report, text: None };
    let mut findings = Vec::new();

    // Step 1: container structure and entry names.
    let container = match read_container(r, len, &opts.limits)? {
        Ok(c) => c,
        Err(fatal) => return Ok(unread(Report::from_findings(fatal))),
    };
    findings.extend(container.findings.iter().cloned());

    // Step 2: the manifest and the entry set.
    let mut manifest_bytes = None;
    let mut manifest = None;
    match container.entry(MANIFEST_PATH) {
        None => findings.push(Finding::new(
            Code::ManifestMissing,
            MANIFEST_PATH,
            "the bundle has no manifest.json",
        )),
        Some(e) => {
            if let Some(bytes) = read_small(
                r,
                e,
                opts.limits.max_manifest_bytes,
                Code::ManifestTooLarge,
                &mut findings,
            )? {
                let depth = json_depth(&bytes);
                if depth > opts.limits.max_json_depth {
                    findings.push(Finding::new(
                        Code::JsonTooDeep,
                        MANIFEST_PATH,
                        format!(
                            "arrays and objects nest {depth} deep; the limit is {}",
                            opts.limits.max_json_depth
                        ),
                    ));
                } else {
                    let (m, problems) = Manifest::parse(&bytes);
                    findings.extend(problems);
                    manifest = m;
                }
                manifest_bytes = Some(bytes);
            }
        }
    }
    let bundle_id = manifest_bytes
        .as_ref()
        .map(|b| Sha256Digest::of(b).to_prefixed());
    if let Some(m) = &manifest {
        check_entry_set(&container, m, &mut findings);
    }

    // Step 3: every listed file's size, CRC-32 and SHA-256.
    let mut text = None;
    if let Some(m) = &manifest {
        text = files_step::check_files(r, &container, m, &opts.limits, &mut findings)?;
    }

    // Step 4: the signature.
    let mut signer = None;
    let mut signed_by = None;
    let mut manifest_signature = None;
    if let (Some(m), Some(mb)) = (&manifest, &manifest_bytes) {
        let sig_entry = container.entry(SIGNATURE_PATH);
        match (&m.signer, sig_entry) {
            (Some(s), entry) => {
                let mut valid = false;
                match signer_key(s) {
                    Err(p) => findings.push(signature_finding(&p)),
                    Ok(key) => match entry {
                        None => findings.push(Finding::new(
                            Code::SignatureMissing,
                            SIGNATURE_PATH,
                            format!(
                                "the manifest names signer {} but the bundle has no signature.json",
                                s.key_id
                            ),
                        )),
                        Some(e) => {
                            if let Some(env) = read_small(
                                r,
                                e,
                                opts.limits.max_signature_bytes,
                                Code::SignatureTooLarge,
                                &mut findings,
                            )? {
                                match verify_envelope(&env, mb, &key) {
                                    Ok(sig) => {
                                        valid = true;
                                        manifest_signature = Some(sig);
                                        signed_by = Some(key);
                                    }
                                    Err(p) => findings.push(signature_finding(&p)),
                                }
                            }
                        }
                    },
                }
                signer = Some(SignerInfo {
                    key_id: s.key_id.clone(),
                    signature_valid: valid,
                    trusted: None,
                    name: None,
                });
            }
            (None, Some(_)) => findings.push(Finding::new(
                Code::UnexpectedSignature,
                SIGNATURE_PATH,
                "signature.json is present but the manifest names no signer",
            )),
            (None, None) => {}
        }
    }

    // Step 5: the appendix, custody events and timestamp tokens.
    let appendix = match (&manifest, &bundle_id) {
        (Some(m), Some(id)) => appendix_step::check(
            r,
            &container,
            id,
            m,
            manifest_signature.as_ref(),
            opts,
            &mut findings,
        )?,
        _ => appendix_step::Appendix::default(),
    };

    // Appendix entries are anyone's to add: their errors fail the bundle
    // but leave the signed core's state standing (spec §8.1).
    let core_ok = !findings
        .iter()
        .any(|f| f.severity == Severity::Error && !is_appendix_finding(f));
    let appendix_state = if appendix.events.is_empty()
        && appendix.stamps.is_empty()
        && crate::appendix::entries(&container).is_empty()
    {
        AppendixState::None
    } else if findings
        .iter()
        .any(|f| f.severity == Severity::Error && is_appendix_finding(f))
    {
        AppendixState::Invalid
    } else {
        AppendixState::Valid
    };

    // Step 6: trust, only meaningful for an intact signed core.
    let mut custody = appendix.events;
    let mut stamps = appendix.stamps;
    let mut state = State::Invalid;
    if core_ok {
        // Tokens first: a trusted one dates the signature for the signer's
        // judgement. Their findings are listed after the signer's.
        let mut token_findings = Vec::new();
        trust_step::judge_timestamps(&mut stamps, opts, &mut token_findings);
        let attested = stamps
            .iter()
            .filter(|(s, _)| s.subject == SIGNATURE_PATH && s.valid && s.trusted == Some(true))
            .filter_map(|(s, _)| s.gen_time)
            .min();
        state = trust_step::judge_signer(
            &mut signer,
            signed_by,
            manifest.as_ref(),
            attested,
            opts,
            &mut findings,
        );
        trust_step::judge_custody(&mut custody, opts, &mut findings);
        findings.extend(token_findings);
    }
    let custody: Vec<crate::custody::EventInfo> = custody.into_iter().map(|(e, ..)| e).collect();

    // Step 7: semantic checks, as warnings.
    if let Some(m) = &manifest {
        semantic_step::check_manifest(m, opts.now, &mut findings);
    }
    semantic_step::check_events(&custody, opts.now, &mut findings);

    findings.sort_by_key(|f| f.step);
    let passed = !findings.iter().any(|f| f.severity == Severity::Error);
    let complete = manifest.is_some();
    Ok(Verified {
        report: Report {
            bundle_id,
            state,
            passed,
            complete,
            signer,
            findings,
            manifest,
            custody_head: custody.last().map(|e| e.digest.clone()),
            custody,
            timestamps: stamps.into_iter().map(|(s, _)| s).collect(),
            appendix: appendix_state,
        },
        text,
    })
}

fn signature_finding(p: &SignatureProblem) -> Finding {
    let code = match p {
        SignatureProblem::BadPublicKey(_) => Code::PublicKeyInvalid,
        SignatureProblem::ManifestKeyId { .. } | SignatureProblem::EnvelopeKeyId(_) => {
            Code::KeyIdMismatch
        }
        SignatureProblem::Malformed(_) => Code::SignatureMalformed,
        SignatureProblem::PayloadMismatch => Code::SignaturePayloadMismatch,
        SignatureProblem::BadSignature => Code::SignatureInvalid,
    };
    let location = match p {
        SignatureProblem::BadPublicKey(_) | SignatureProblem::ManifestKeyId { .. } => {
            format!("{MANIFEST_PATH}#/signer")
        }
        _ => SIGNATURE_PATH.to_string(),
    };
    Finding::new(code, location, p.to_string())
}

/// Step 2: the entries are exactly the listed files, then the manifest,
/// then the signature, in that order.
fn check_entry_set(container: &Container, m: &Manifest, findings: &mut Vec<Finding>) {
    let mut expected: Vec<&str> = m.files.iter().map(|f| f.path.as_str()).collect();
    expected.push(MANIFEST_PATH);
    if m.signer.is_some() || container.entry(SIGNATURE_PATH).is_some() {
        expected.push(SIGNATURE_PATH);
    }
    // The appendix follows, in the order found: its own order is step 5's
    // to judge (E060).
    let appendix = crate::appendix::entries(container);
    expected.extend(appendix.iter().map(|(_, e)| e.name.as_str()));
    for f in &m.files {
        if container.entry(&f.path).is_none() {
            findings.push(Finding::new(
                Code::ListedFileMissing,
                &f.path,
                "listed in the manifest but not in the archive",
            ));
        }
    }
    for e in &container.entries {
        if !expected.contains(&e.name.as_str()) {
            findings.push(Finding::new(
                Code::UnlistedEntry,
                &e.name,
                "in the archive but not listed in the manifest",
            ));
        }
    }
    let actual: Vec<&str> = container.entries.iter().map(|e| e.name.as_str()).collect();
    if actual != expected
        && actual.len() == expected.len()
        && actual.iter().all(|a| expected.contains(a))
    {
        findings.push(Finding::new(
            Code::ContainerNotCanonical,
            "bundle",
            format!("entries are in the order {actual:?}; the canonical order is {expected:?}"),
        ));
    }
}

/// Reads a small entry (manifest or signature) whole, within `cap`.
fn read_small<R: Read + Seek>(
    r: &mut R,
    e: &Entry,
    cap: u64,
    too_large: Code,
    findings: &mut Vec<Finding>,
) -> io::Result<Option<Vec<u8>>> {
    if !e.readable {
        return Ok(None);
    }
    if e.size > cap {
        findings.push(Finding::new(
            too_large,
            &e.name,
            format!("{} bytes; the limit is {cap}", e.size),
        ));
        return Ok(None);
    }
    r.seek(SeekFrom::Start(e.data_offset))?;
    let mut buf = Vec::with_capacity(e.size as usize);
    r.take(e.size).read_to_end(&mut buf)?;
    if buf.len() as u64 != e.size {
        findings.push(Finding::new(
            Code::ContainerUnreadable,
            &e.name,
            "the entry's data ends early",
        ));
        return Ok(None);
    }
    let crc = crc32fast::hash(&buf);
    if crc != e.crc32 {
        findings.push(Finding::new(
            Code::CrcMismatch,
            &e.name,
            format!(
                "CRC-32 of the data is {crc:08x}; the headers say {:08x}",
                e.crc32
            ),
        ));
    }
    Ok(Some(buf))
}

/// The deepest nesting of JSON arrays and objects, counted without parsing
/// (brackets inside strings do not count), so that a hostile manifest is
/// refused before a recursive parser sees it.
pub fn json_depth(bytes: &[u8]) -> usize {
    let (mut depth, mut max, mut in_string, mut escaped) = (0usize, 0usize, false, false);
    for &b in bytes {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                max = max.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}
