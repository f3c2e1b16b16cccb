//! `--tsa` on pack, capture and attest, and the `attest` command: tokens
//! are obtained over a signature, then appended with the event (if any) to
//! the bundle's appendix in one rewrite.

use std::io::{BufReader, BufWriter};
use std::path::Path;
use std::time::Duration;

use chrono::{DateTime, SubsecRound, Utc};
use provseal::archive::atomic;
use provseal::format::appendix::{self, AppendixName};
use provseal::format::custody::Action;

use super::args::{ActionArg, AttestArgs, TsaArgs};
use super::{CliResult, Outcome, emit, keys};

/// Asks each TSA for a token over `signature`, numbering them after the
/// `existing` tokens of `subject` (`None`: the manifest's signature). A
/// failing TSA is an error unless unstamped output was allowed, in which
/// case it is reported and skipped.
pub fn tokens(
    t: &TsaArgs,
    signature: &[u8; 64],
    subject: Option<u64>,
    existing: u32,
) -> Result<Vec<(AppendixName, Vec<u8>)>, String> {
    let mut out = Vec::new();
    for url in &t.tsa {
        let k = existing + out.len() as u32 + 1;
        if k > appendix::MAX_TOKENS {
            return Err(format!(
                "a signature can carry at most {} timestamp tokens",
                appendix::MAX_TOKENS
            ));
        }
        match provseal::format::timestamp::request_token(
            url,
            signature,
            Duration::from_secs(t.tsa_timeout.max(1)),
        ) {
            Ok((der, token)) => {
                say!(
                    "timestamp: {} attests {}",
                    token.info.tsa,
                    token.info.gen_time.to_rfc3339()
                );
                let name = match subject {
                    None => AppendixName::SignatureToken(k),
                    Some(n) => AppendixName::EventToken(n, k),
                };
                out.push((name, der));
            }
            Err(e) if t.allow_unstamped => {
                say!("warning: {e}; continuing without its token (--allow-unstamped)")
            }
            Err(e) => {
                return Err(format!(
                    "{e}; nothing was written (use --allow-unstamped to write without this token)"
                ));
            }
        }
    }
    Ok(out)
}

/// Adds tokens over the manifest signature of freshly packed bytes.
pub fn stamp_packed(t: &TsaArgs, bytes: Vec<u8>) -> Result<Vec<u8>, String> {
    if t.tsa.is_empty() {
        return Ok(bytes);
    }
    let sig = appendix::manifest_signature(&bytes)
        .ok_or("--tsa stamps the bundle's signature: give --key (an unsigned bundle has none)")?;
    let tokens = tokens(t, &sig, None, 0)?;
    appendix::append(&bytes, &tokens).map_err(|e| e.to_string())
}

fn action(a: ActionArg) -> Action {
    match a {
        ActionArg::Received => Action::Received,
        ActionArg::Reviewed => Action::Reviewed,
        ActionArg::Transferred => Action::Transferred,
        ActionArg::Verified => Action::Verified,
    }
}

fn parse_time(s: Option<&str>) -> Result<DateTime<Utc>, String> {
    match s {
        None => Ok(Utc::now().trunc_subsecs(0)),
        Some(s) => super::parse_time("--time", s),
    }
}

/// Opens the bundle with an exclusive lock, so that two `attest` runs on
/// one bundle take turns instead of each appending to the same old chain
/// (the second rename would drop the first event). After waiting, the path
/// may name a new file, the other run's result: then that one is opened.
fn open_locked(path: &Path) -> std::io::Result<std::fs::File> {
    loop {
        let file = std::fs::File::open(path)?;
        file.lock()?;
        if same_file(&file, path)? {
            return Ok(file);
        }
    }
}

#[cfg(unix)]
fn same_file(file: &std::fs::File, path: &Path) -> std::io::Result<bool> {
    use std::os::unix::fs::MetadataExt;
    let (a, b) = (file.metadata()?, std::fs::metadata(path)?);
    Ok(a.dev() == b.dev() && a.ino() == b.ino())
}

#[cfg(not(unix))]
fn same_file(_: &std::fs::File, _: &Path) -> std::io::Result<bool> {
    Ok(true)
}

/// `provseal attest`: prints the new chain head on standard output.
pub fn attest_cmd(a: &AttestArgs) -> CliResult {
    let time = parse_time(a.time.as_deref())?;
    let out: &Path = a.out.as_deref().unwrap_or(&a.bundle);
    if a.out.is_some() && !a.force && atomic::name_taken(out) {
        return Err(format!(
            "{}: already exists (use --force to replace it)",
            out.display()
        )
        .into());
    }
    // In place, the bundle keeps its mode, and a link or a second hard
    // link (which the rename would silently leave behind) is refused.
    let mode = match &a.out {
        None => atomic::Mode::Exactly(atomic::in_place_mode(&a.bundle).map_err(|e| e.to_string())?),
        Some(_) => atomic::Mode::New(atomic::SHARED_MODE),
    };
    super::report_stale_partials(out);
    let key_path = a.key.as_deref().ok_or(
        "attest signs the event: give --key KEY (or set PROVSEAL_KEY, or key in the config file)",
    )?;
    let key = keys::read_private(key_path)?;
    let at = super::io_at(&a.bundle);
    // Streamed from the file to a temporary file renamed into place: a
    // bundle of any size is attested in bounded memory, and a reader never
    // sees a half-written one.
    let file = open_locked(&a.bundle).map_err(&at)?;
    let len = file.metadata().map_err(at)?.len();
    let mut src = BufReader::with_capacity(1 << 20, file);
    let event = provseal::attest::prepare_event(
        &mut src,
        len,
        &key,
        action(a.action),
        a.note.clone(),
        time,
    )
    .map_err(|e| format!("{}: {e}", a.bundle.display()))?;
    let mut additions = vec![(AppendixName::Event(event.sequence), event.bytes.clone())];
    additions.extend(tokens(&a.tsa, &event.signature, Some(event.sequence), 0)?);
    atomic::write_with_mode(out, a.out.is_none() || a.force, mode, |f| {
        let w = appendix::append_to(
            &mut src,
            len,
            BufWriter::with_capacity(1 << 20, f),
            &additions,
        )?;
        w.into_inner().map_err(|e| e.into_error())?;
        Ok(())
    })
    .map_err(|e| e.to_string())?;
    emit(&format!("{}\n", event.digest))?;
    say!(
        "{}: custody event {} ({}) by {}; chain head {}",
        out.display(),
        event.sequence,
        action(a.action),
        key.key_id(),
        event.digest
    );
    Ok(Outcome::Passed)
}
