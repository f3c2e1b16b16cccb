//! `provseal catalog` and `--into ARCHIVE`: the archive's SQLite catalog
//! (`spec/catalog-v1.md`). Bundles are verified before they are recorded;
//! an invalid bundle is reported, never catalogued.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::{SecondsFormat, Utc};
use provseal::archive::batch::{self, Candidate, Gate};
use provseal::archive::catalog::{self, Added, Catalog, Check, Query, Record, layout};
use provseal::pack;
use provseal::verify::{self, State, VerifyOptions};
use serde_json::json;

use super::args::{CatalogAt, CatalogCommand, CatalogSearchArgs};
use super::{CliResult, emit, remote_io, threads, verify_options};

/// Largest article text indexed for full-text search.
const MAX_INDEXED_TEXT: u64 = 16 << 20;

/// Check times to the microsecond, so that a rotating check always moves
/// on to the next-oldest bundle.
fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// The catalog file and the directory relative locations are resolved
/// against.
fn paths(at: &CatalogAt) -> Result<(PathBuf, PathBuf), String> {
    match &at.catalog {
        Some(c) => Ok((c.clone(), at.archive.clone())),
        None if remote_io::is_remote(&at.archive) => Err(format!(
            "{}: the catalog of an s3:// archive is a local file: give --catalog FILE",
            at.archive.display()
        )),
        None => Ok((layout::catalog_path(&at.archive), at.archive.clone())),
    }
}

fn open(file: &Path) -> Result<Catalog, String> {
    Catalog::open(file).map_err(|e| format!("{}: {e}", file.display()))
}

/// How a bundle's location is recorded: relative to the archive when it is
/// inside it (so the archive can move with its catalog), else absolute.
fn location_of(path: &Path, archive: &Path) -> String {
    if remote_io::is_remote(path) {
        return path.display().to_string();
    }
    let abs = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    match std::fs::canonicalize(archive)
        .ok()
        .and_then(|a| abs.strip_prefix(a).ok().map(Path::to_path_buf))
    {
        Some(rel) => slash_path(&rel),
        None => abs.display().to_string(),
    }
}

/// A relative path with `/` between its parts, whatever the platform.
fn slash_path(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

fn resolve(location: &str, archive: &Path) -> PathBuf {
    let p = Path::new(location);
    if p.is_absolute() || remote_io::is_remote(p) {
        p.to_path_buf()
    } else {
        archive.join(p)
    }
}

fn codes_of(r: &verify::Report) -> String {
    r.findings
        .iter()
        .filter(|f| f.severity == provseal::Severity::Error)
        .map(|f| f.code.to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Verifies one bundle, local or remote, keeping its article text as that
/// one read checked it, for the full-text index.
fn checked_with_text(c: &Candidate, opts: &VerifyOptions, cpu: &Gate) -> (batch::Checked, String) {
    let text = |t: Option<Vec<u8>>| {
        t.filter(|t| t.len() as u64 <= MAX_INDEXED_TEXT)
            .map(|t| String::from_utf8_lossy(&t).into_owned())
            .unwrap_or_default()
    };
    let start = std::time::Instant::now();
    let got = match remote_io::uri_of(&c.path) {
        None => cpu.run(|| verify::verify_path_with_text(&c.path, opts).map_err(|e| e.to_string())),
        Some(uri) => remote_io::client().and_then(|s3| {
            let fetched = remote_io::fetch(s3, &uri, c.size)?;
            cpu.run(|| s3.verify_fetched(&uri, &fetched, opts))
                .map_err(|e| e.to_string())
        }),
    };
    let what = if remote_io::is_remote(&c.path) {
        "object"
    } else {
        "file"
    };
    match got {
        Ok(v) => (batch::checked(Ok(v.report), what, start), text(v.text)),
        Err(e) => (batch::checked(Err(e), what, start), String::new()),
    }
}

/// A field of a tab-separated line: shown safely, so that a tab, CR or LF
/// in a title or a file name cannot add a column or a row.
fn cell(s: &str) -> String {
    provseal::display::inline(s).into_owned()
}

/// Adds verified bundles to `cat`; returns (added, refused). Each outcome is
/// one line on standard output.
fn add_all(
    cat: &mut Catalog,
    found: &[Candidate],
    archive: &Path,
    opts: &VerifyOptions,
    threads: usize,
    allow_duplicate: bool,
) -> Result<(usize, usize), String> {
    let (mut added, mut refused) = (0, 0);
    let mut failure = None;
    let cpu = Gate::new(threads);
    batch::for_each_in_order(
        found,
        remote_io::threads_for(found.iter().map(|c| c.path.as_path()), threads),
        |c| checked_with_text(c, opts, &cpu),
        |i, (checked, text)| {
            let c = &found[i];
            if failure.is_some() {
                return;
            }
            let location = location_of(&c.path, archive);
            let report = &checked.report;
            let line = match Record::from_report(&location, report, &now()) {
                Some(rec) if report.state != State::Invalid && report.appendix_ok() => {
                    match cat.add(&rec, &text, allow_duplicate) {
                        Ok(Added::New) => {
                            added += 1;
                            format!("added\t{}\t{}\n", cell(&location), rec.bundle_id)
                        }
                        Ok(Added::Updated) => {
                            added += 1;
                            format!("updated\t{}\t{}\n", cell(&location), rec.bundle_id)
                        }
                        Ok(Added::Duplicate {
                            location: other,
                            bundle_id,
                        }) => {
                            refused += 1;
                            format!(
                                "duplicate\t{}\tsame page, same signer as {} ({bundle_id}); not added\n",
                                cell(&location),
                                cell(&other)
                            )
                        }
                        Err(e) => {
                            failure = Some(e.to_string());
                            return;
                        }
                    }
                }
                _ => {
                    refused += 1;
                    format!(
                        "FAILED\t{}\t{} ({}); not added\n",
                        cell(&location),
                        report.state.as_str(),
                        codes_of(report)
                    )
                }
            };
            if let Err(e) = emit(&line) {
                failure.get_or_insert(e);
            }
        },
    );
    match failure {
        Some(e) => Err(e),
        None => Ok((added, refused)),
    }
}

pub fn run(cmd: CatalogCommand) -> CliResult {
    match cmd {
        CatalogCommand::Add {
            at,
            paths: inputs,
            allow_duplicate,
            trust,
            jobs: j,
        } => {
            let (file, archive) = paths(&at)?;
            let opts = verify_options(&trust)?;
            let found = remote_io::discover(&inputs)?;
            for (dir, e) in &found.unreadable_dirs {
                say!("{}: {e}", dir.display());
            }
            let mut cat = open(&file)?;
            let (added, refused) = add_all(
                &mut cat,
                &found.bundles,
                &archive,
                &opts,
                threads(j),
                allow_duplicate,
            )?;
            say!(
                "{}: {added} added or updated, {refused} not added; {} bundles catalogued",
                file.display(),
                cat.count().map_err(|e| e.to_string())?
            );
            Ok(exit(refused == 0 && found.unreadable_dirs.is_empty()))
        }
        CatalogCommand::Search(a) => search(&a),
        CatalogCommand::Verify {
            at,
            older_than,
            limit,
            trust,
            jobs: j,
            json,
        } => fixity(&at, older_than.as_deref(), limit, &trust, threads(j), json),
        CatalogCommand::Rebuild { at, trust, jobs: j } => rebuild(&at, &trust, threads(j)),
    }
}

fn exit(ok: bool) -> ExitCode {
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn search(a: &CatalogSearchArgs) -> CliResult {
    let (file, _) = paths(&a.at)?;
    if !file.exists() {
        return Err(format!("{}: no catalog here", file.display()));
    }
    let cat = open(&file)?;
    let q = Query {
        url: a.url.clone(),
        publisher: a.publisher.clone(),
        published_from: a.published_from.clone(),
        published_to: a.published_to.clone(),
        captured_from: a.captured_from.clone(),
        captured_to: a.captured_to.clone(),
        signer: a.signer.clone(),
        text: a.text.clone(),
        limit: a.limit,
    };
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
    Ok(ExitCode::SUCCESS)
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

/// `catalog verify`: a rotating fixity check. Each result is recorded
/// before the next is reported, so an interrupted run keeps what it did.
fn fixity(
    at: &CatalogAt,
    older_than: Option<&str>,
    limit: Option<usize>,
    trust: &super::args::TrustArgs,
    threads: usize,
    json: bool,
) -> CliResult {
    let (file, archive) = paths(at)?;
    if !file.exists() {
        return Err(format!("{}: no catalog here", file.display()));
    }
    let opts = verify_options(trust)?;
    let mut cat = open(&file)?;
    let before = match older_than {
        Some(d) => (Utc::now() - parse_duration(d)?).to_rfc3339_opts(SecondsFormat::Micros, true),
        // Everything: any time after now.
        None => "9999-12-31T23:59:59Z".to_string(),
    };
    let due = cat.due(&before, limit).map_err(|e| e.to_string())?;
    let (mut passed, mut failed) = (0usize, 0usize);
    let mut failure = None;
    // Each bundle is verified against the custody head recorded for it, so
    // events cut off the end of its chain since are caught (E066).
    let cpu = Gate::new(threads);
    let work: Vec<(Candidate, &Option<String>)> = due
        .iter()
        .map(|(location, head)| {
            let path = resolve(location, &archive);
            (Candidate { path, size: 0 }, head)
        })
        .collect();
    batch::for_each_in_order(
        &work,
        remote_io::threads_for(work.iter().map(|(c, _)| c.path.as_path()), threads),
        |(c, head)| {
            let mut o = opts.clone();
            o.custody_head = (*head).clone();
            remote_io::check(c, &o, &cpu)
        },
        |i, checked| {
            if failure.is_some() {
                return;
            }
            let r = &checked.report;
            let location = &due[i].0;
            let check = Check {
                at: now(),
                state: r.state.as_str().to_string(),
                passed: r.passed,
                codes: r.findings.iter().map(|f| f.code.to_string()).collect(),
                custody_head: r.custody_head.clone(),
            };
            if let Err(e) = cat.record_check(location, &check) {
                failure = Some(e.to_string());
                return;
            }
            if r.passed {
                passed += 1;
            } else {
                failed += 1;
            }
            let line = if json {
                format!(
                    "{}\n",
                    super::json_out(
                        &json!({"location": location, "bundle_id": r.bundle_id, "state": r.state,
                               "passed": r.passed, "codes": check.codes, "verified_at": check.at}),
                        false
                    )
                )
            } else {
                let verdict = if r.passed { "ok" } else { "FAILED" };
                format!(
                    "{verdict}\t{}\t{}\t{}\n",
                    cell(location),
                    r.state.as_str(),
                    check.codes.join(" ")
                )
            };
            if let Err(e) = emit(&line) {
                failure.get_or_insert(e);
            }
        },
    );
    if let Some(e) = failure {
        return Err(e);
    }
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
fn rebuild(at: &CatalogAt, trust: &super::args::TrustArgs, threads: usize) -> CliResult {
    let (file, archive) = paths(at)?;
    let opts = verify_options(trust)?;
    let dir = match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let tmp = tempfile::Builder::new()
        .prefix(".catalog-rebuild-")
        .suffix(".sqlite")
        .tempfile_in(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?;
    let found = remote_io::discover(std::slice::from_ref(&archive))?;
    let (added, refused) = {
        let mut cat = open(tmp.path())?;
        // Every bundle on disk is recorded, duplicates too: the catalog
        // must describe what the archive holds.
        add_all(&mut cat, &found.bundles, &archive, &opts, threads, true)?
    };
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
    }
    tmp.persist(&file)
        .map_err(|e| format!("{}: {}", file.display(), e.error))?;
    say!(
        "{}: rebuilt from {} bundle(s) under {}; {refused} not added",
        file.display(),
        added,
        archive.display()
    );
    Ok(exit(refused == 0 && found.unreadable_dirs.is_empty()))
}

/// `pack --into` and `capture --into`: the bundle goes under the archive's
/// layout and into its catalog in one transaction, unless the archive
/// already holds the same page.
pub fn store_into(archive: &Path, catalog: Option<&Path>, packed: &pack::Packed) -> CliResult {
    let remote = remote_io::is_remote(archive);
    // The layout relative to the archive, then placed in it: a directory,
    // or a prefix in a bucket.
    let relative = layout::bundle_path(
        Path::new(""),
        &packed.manifest.capture.captured_at,
        &packed.bundle_id,
    )
    .ok_or("the bundle's capture time or id cannot name a path")?;
    let relative = slash_path(&relative);
    let (path, location, catalog_file) = if remote {
        let uri = remote_io::uri_of(archive)
            .ok_or_else(|| format!("{}: not an s3://bucket/prefix URI", archive.display()))?
            .join(&relative);
        let file = catalog.map(Path::to_path_buf).ok_or_else(|| {
            format!(
                "{}: the catalog of an s3:// archive is a local file: give --catalog FILE",
                archive.display()
            )
        })?;
        (PathBuf::from(uri.to_string()), uri.to_string(), file)
    } else {
        std::fs::create_dir_all(archive).map_err(|e| format!("{}: {e}", archive.display()))?;
        let file = catalog.map_or_else(|| layout::catalog_path(archive), Path::to_path_buf);
        (archive.join(&relative), relative.clone(), file)
    };
    let opts = VerifyOptions::new(Utc::now()).with_trust(verify::Trust::Anyone {
        allow_unsigned: true,
    });
    let verified = verify::verify_reader_with_text(
        &mut std::io::Cursor::new(&packed.bytes),
        packed.bytes.len() as u64,
        &opts,
    )
    .map_err(|e| e.to_string())?;
    let report = verified.report;
    let record = Record::from_report(&location, &report, &now())
        .filter(|_| report.state != State::Invalid)
        .ok_or("the new bundle does not verify; nothing was stored")?;
    let text = verified
        .text
        .map(|t| String::from_utf8_lossy(&t).into_owned())
        .unwrap_or_default();
    let mut cat = open(&catalog_file)?;
    let (added, _) = cat
        .add_with(&record, &text, false, || {
            if !remote {
                let dir = path.parent().unwrap_or(archive);
                std::fs::create_dir_all(dir)
                    .map_err(|e| StringError(format!("{}: {e}", dir.display())))?;
            }
            remote_io::write(&path, &packed.bytes, false).map_err(StringError)
        })
        .map_err(|e| e.0)?;
    match added {
        Added::Duplicate {
            location,
            bundle_id,
        } => {
            emit(&format!("{bundle_id}\n"))?;
            say!(
                "duplicate: {} already holds this page, sealed by the same key, as {location} ({bundle_id}); nothing was stored",
                archive.display()
            );
        }
        _ => {
            emit(&format!("{}\n", packed.bundle_id))?;
            say!(
                "stored {} ({} bytes) and catalogued it: {}",
                path.display(),
                packed.bytes.len(),
                packed.manifest.article.title
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

impl From<catalog::CatalogError> for StringError {
    fn from(e: catalog::CatalogError) -> Self {
        StringError(e.to_string())
    }
}

/// A message, for closures that must name an error type.
pub struct StringError(pub String);
