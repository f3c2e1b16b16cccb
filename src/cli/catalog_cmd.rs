//! `provseal catalog` and `--into ARCHIVE`: flags to
//! [`provseal::archive::catalog::upkeep`] calls, and their outcomes to
//! lines. Bundles are verified before they are recorded; an invalid bundle
//! is reported, never catalogued.

use std::ops::ControlFlow;
use std::path::Path;

use chrono::Utc;
use provseal::archive::catalog::Query;
use provseal::archive::catalog::place::ArchiveAt;
use provseal::archive::catalog::upkeep::{self, AddOutcome, FixityOutcome, Stored};
use provseal::archive::storage::Storage;
use provseal::pack;
use serde_json::json;

use super::args::{CatalogAt, CatalogCommand, CatalogSearchArgs};
use super::{CliResult, Outcome, emit, threads, verify_options};

fn clock() -> chrono::DateTime<Utc> {
    Utc::now()
}

fn archive_at(at: &CatalogAt) -> Result<ArchiveAt, String> {
    ArchiveAt::new(&at.archive(), at.catalog.as_deref()).map_err(|e| e.to_string())
}

/// A field of a tab-separated line: shown safely, so that a tab, CR or LF
/// in a title or a file name cannot add a column or a row.
fn cell(s: &str) -> String {
    provseal::display::inline(s).into_owned()
}

/// Writes `line`, keeping the first failure to write and stopping the run
/// there: an outcome not shown must not be followed by others.
fn emit_or_stop(line: &str, failure: &mut Option<String>) -> ControlFlow<()> {
    match emit(line) {
        Ok(()) => ControlFlow::Continue(()),
        Err(e) => {
            failure.get_or_insert(e);
            ControlFlow::Break(())
        }
    }
}

/// One line per bundle offered to the catalog.
fn add_line(o: &AddOutcome) -> String {
    match o {
        AddOutcome::New {
            location,
            bundle_id,
        } => format!("added\t{}\t{bundle_id}\n", cell(location)),
        AddOutcome::Updated {
            location,
            bundle_id,
        } => format!("updated\t{}\t{bundle_id}\n", cell(location)),
        AddOutcome::Duplicate {
            location,
            other,
            bundle_id,
        } => format!(
            "duplicate\t{}\tsame page, same signer as {} ({bundle_id}); not added\n",
            cell(location),
            cell(other)
        ),
        AddOutcome::NotAdded {
            location,
            state,
            codes,
        } => format!(
            "FAILED\t{}\t{} ({}); not added\n",
            cell(location),
            state.as_str(),
            codes
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        ),
    }
}

pub fn run(cmd: CatalogCommand, storage: &Storage) -> CliResult {
    match cmd {
        CatalogCommand::Add {
            at,
            paths: inputs,
            allow_duplicate,
            trust,
            jobs: j,
            ..
        } => {
            let at = archive_at(&at)?;
            let opts = verify_options(&trust)?;
            if trust.trust.is_empty() && trust.trust_store.is_none() {
                say!(
                    "note: no --trust or --trust-store: bundles are catalogued as intact-untrusted (their files and signatures hold, but nobody here vouches for the signer); search shows that state"
                );
            }
            let found = storage.discover(&inputs).map_err(|e| e.to_string())?;
            for (dir, e) in &found.unreadable_dirs {
                say!("{}: {e}", dir.display());
            }
            let mut cat = at.open().map_err(|e| e.to_string())?;
            let mut failure = None;
            let mut outside = 0usize;
            let totals = upkeep::add_all(
                &mut cat,
                &found.bundles,
                &at,
                &opts,
                storage,
                threads(j),
                allow_duplicate,
                &clock,
                |o| {
                    if let AddOutcome::New { location, .. } | AddOutcome::Updated { location, .. } =
                        o
                        && Path::new(location).is_absolute()
                    {
                        outside += 1;
                    }
                    emit_or_stop(&add_line(o), &mut failure)
                },
            )
            .map_err(|e| e.to_string())?;
            if let Some(e) = failure {
                return Err(e.into());
            }
            if outside > 0 {
                say!(
                    "note: {outside} of them are outside {}: the catalog records their absolute paths, and `catalog rebuild`, which reads only the archive, would drop them; copy them into the archive to keep them catalogued",
                    at.root.display()
                );
            }
            say!(
                "{}: {} added or updated, {} not added; {} bundles catalogued",
                at.catalog.display(),
                totals.added,
                totals.refused,
                cat.count().map_err(|e| e.to_string())?
            );
            Ok(exit(
                totals.refused == 0 && found.unreadable_dirs.is_empty(),
            ))
        }
        CatalogCommand::Search(a) => search(&a),
        CatalogCommand::Verify {
            at,
            older_than,
            limit,
            trust,
            jobs: j,
            json,
            ..
        } => fixity(
            &at,
            older_than.as_deref(),
            limit,
            &trust,
            threads(j),
            json,
            storage,
        ),
        CatalogCommand::Rebuild {
            at, trust, jobs: j, ..
        } => rebuild(&at, &trust, threads(j), storage),
    }
}

fn exit(ok: bool) -> Outcome {
    if ok { Outcome::Passed } else { Outcome::Failed }
}

fn search(a: &CatalogSearchArgs) -> CliResult {
    let cat = archive_at(&a.at)?
        .open_existing()
        .map_err(|e| e.to_string())?;
    let mut q = Query::default();
    q.url = a.url.clone();
    q.publisher = a.publisher.clone();
    q.published_from = a.published_from.clone();
    q.published_to = a.published_to.clone();
    q.captured_from = a.captured_from.clone();
    q.captured_to = a.captured_to.clone();
    q.signer = a.signer.clone();
    q.text = a.text.clone();
    q.limit = a.limit;
    let found = cat.search(&q).map_err(|e| e.to_string())?;
    if a.json {
        let mut text = super::json_out(&found, true);
        text.push('\n');
        emit(&text)?;
    } else {
        let mut out =
            String::from("captured\tpublished\tpublisher\tstate\tbundle id\ttitle\tlocation\n");
        for r in &found {
            out.push_str(&format!(
                "{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
                cell(&r.captured_at),
                cell(r.published.as_deref().unwrap_or("-")),
                cell(r.publisher.as_deref().unwrap_or("-")),
                cell(&r.state),
                cell(&r.bundle_id),
                cell(&r.title),
                cell(&r.location)
            ));
        }
        emit(&out)?;
        say!("{} found", found.len());
    }
    Ok(Outcome::Passed)
}

/// Reads a duration such as `30d`, `12h`, `90m`, `45s` or `2w`.
pub fn parse_duration(s: &str) -> Result<chrono::Duration, String> {
    let bad = || format!("--older-than: {s:?} is not a duration such as 30d, 12h, 90m or 45s");
    let (n, unit) = s.trim().split_at(s.trim().len().saturating_sub(1));
    let n: i64 = n.parse().map_err(|_| bad())?;
    let secs = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        "w" => 604_800,
        _ => return Err(bad()),
    };
    n.checked_mul(secs)
        .filter(|v| *v >= 0)
        .and_then(chrono::Duration::try_seconds)
        .ok_or_else(bad)
}

/// One line per bundle checked: tab-separated, or one JSON object.
fn fixity_line(o: &FixityOutcome, json: bool) -> String {
    let r = &o.report;
    if json {
        format!(
            "{}\n",
            super::json_out(
                &json!({"location": o.location, "bundle_id": r.bundle_id, "state": r.state,
                       "passed": r.passed, "codes": o.check.codes, "verified_at": o.check.at}),
                false
            )
        )
    } else {
        let verdict = if r.passed { "ok" } else { "FAILED" };
        format!(
            "{verdict}\t{}\t{}\t{}\n",
            cell(&o.location),
            r.state.as_str(),
            o.check.codes.join(" ")
        )
    }
}

/// `catalog verify`: a rotating fixity check. Each result is recorded
/// before the next is reported, so an interrupted run keeps what it did.
fn fixity(
    at: &CatalogAt,
    older_than: Option<&str>,
    limit: Option<usize>,
    trust: &super::args::TrustArgs,
    threads: usize,
    json: bool,
    storage: &Storage,
) -> CliResult {
    let at = archive_at(at)?;
    let mut cat = at.open_existing().map_err(|e| e.to_string())?;
    let opts = verify_options(trust)?;
    let older_than = older_than.map(parse_duration).transpose()?;
    let mut failure = None;
    let totals = upkeep::fixity(
        &mut cat,
        &at,
        older_than,
        limit,
        &opts,
        storage,
        threads,
        &clock,
        |o| emit_or_stop(&fixity_line(o, json), &mut failure),
    )
    .map_err(|e| e.to_string())?;
    if let Some(e) = failure {
        return Err(e.into());
    }
    let (passed, failed) = (totals.passed, totals.failed);
    if json {
        emit(&format!(
            "{}\n",
            json!({"record": "summary", "checked": passed + failed, "passed": passed, "failed": failed})
        ))?;
    }
    say!(
        "{} checked: {passed} passed, {failed} failed",
        passed + failed
    );
    Ok(exit(failed == 0))
}

/// `catalog rebuild`: a new catalog from the bundles alone, swapped in when
/// complete. Run it when no other process writes the catalog.
fn rebuild(
    at: &CatalogAt,
    trust: &super::args::TrustArgs,
    threads: usize,
    storage: &Storage,
) -> CliResult {
    let at = archive_at(at)?;
    let opts = verify_options(trust)?;
    let mut failure = None;
    let rebuilt = upkeep::rebuild(&at, &opts, storage, threads, &clock, |o| {
        emit_or_stop(&add_line(o), &mut failure)
    })
    .map_err(|e| e.to_string())?;
    if let Some(e) = failure {
        return Err(e.into());
    }
    say!(
        "{}: rebuilt from {} bundle(s) under {}; {} not added",
        at.catalog.display(),
        rebuilt.totals.added,
        at.root.display(),
        rebuilt.totals.refused
    );
    Ok(exit(
        rebuilt.totals.refused == 0 && rebuilt.unreadable_dirs.is_empty(),
    ))
}

/// `pack --into` and `capture --into`: the bundle goes under the archive's
/// layout and into its catalog in one transaction, unless the archive
/// already holds the same page.
pub fn store_into(
    archive: &Path,
    catalog: Option<&Path>,
    packed: &pack::Packed,
    storage: &Storage,
) -> CliResult {
    match upkeep::store_into(archive, catalog, packed, storage, &clock)
        .map_err(|e| e.to_string())?
    {
        Stored::Duplicate {
            location,
            bundle_id,
        } => {
            emit(&format!("{bundle_id}\n"))?;
            say!(
                "duplicate: {} already holds this page, sealed by the same key, as {location} ({bundle_id}); nothing was stored",
                archive.display()
            );
        }
        Stored::New { at } => {
            emit(&format!("{}\n", packed.bundle_id))?;
            say!(
                "stored {at} ({} bytes) and catalogued it: {}",
                packed.bytes.len(),
                packed.manifest.article.title
            );
        }
    }
    Ok(Outcome::Passed)
}
