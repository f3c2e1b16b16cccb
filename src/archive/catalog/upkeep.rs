//! Keeping an archive's catalog (`spec/catalog-v1.md`): adding verified
//! bundles, the rotating fixity check, rebuilding from the bundles alone,
//! and storing a new bundle under the layout and in the catalog at once.
//!
//! Each operation verifies before it records: an invalid bundle is
//! reported, never catalogued. Outcomes go to a sink one at a time, in
//! input order and after they are recorded, so an interrupted run keeps
//! what it did; the sink can stop the run (say, when its output is gone).
//! The clock is an input: check times come from it, to the microsecond,
//! so that a rotating check always moves on to the next-oldest bundle.

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use chrono::{DateTime, SecondsFormat, Utc};

use super::place::{ArchiveAt, ArchiveError, slash_path};
use super::{Added, Catalog, Check, Record, layout};
use crate::archive::batch::{self, Candidate, Gate};
use crate::archive::storage::{Location, Storage};
use crate::format::codes::{Code, Severity};
use crate::pack::Packed;
use crate::verify::{self, Report, State, VerifyOptions};

/// Largest article text indexed for full-text search.
pub const MAX_INDEXED_TEXT: u64 = 16 << 20;

/// The clock, read once per recorded check.
pub type Clock<'a> = &'a dyn Fn() -> DateTime<Utc>;

fn stamp(clock: Clock<'_>) -> String {
    clock().to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// What became of one bundle offered to the catalog. Exhaustive on
/// purpose, like [`Added`]: a new outcome must make every renderer say
/// something about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddOutcome {
    /// Recorded for the first time.
    New {
        /// Its location as recorded.
        location: String,
        /// Its bundle id.
        bundle_id: String,
    },
    /// Its record was replaced.
    Updated {
        /// Its location as recorded.
        location: String,
        /// Its bundle id.
        bundle_id: String,
    },
    /// Another location holds the same page sealed by the same key.
    Duplicate {
        /// Its location, which was not recorded.
        location: String,
        /// The location that holds the page.
        other: String,
        /// The bundle id of the one held.
        bundle_id: String,
    },
    /// It did not verify (or its custody appendix did not), so it was not
    /// recorded.
    NotAdded {
        /// Its location.
        location: String,
        /// The state it reached.
        state: State,
        /// Its error codes, in the report's order.
        codes: Vec<Code>,
    },
}

/// How many bundles were recorded and how many were not.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct AddTotals {
    /// Added or updated.
    pub added: usize,
    /// Not added: duplicates and bundles that did not verify.
    pub refused: usize,
}

fn text_of(t: Option<Vec<u8>>) -> String {
    t.filter(|t| t.len() as u64 <= MAX_INDEXED_TEXT)
        .map(|t| String::from_utf8_lossy(&t).into_owned())
        .unwrap_or_default()
}

fn error_codes(r: &Report) -> Vec<Code> {
    r.findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| f.code)
        .collect()
}

/// Verifies each of `found` (on `threads` at a time) and records those
/// that verify in `cat`, with their article text for full-text search.
/// A duplicate is refused unless `allow_duplicate`.
#[allow(clippy::too_many_arguments)] // each is one independent choice of the caller
pub fn add_all(
    cat: &mut Catalog,
    found: &[Candidate],
    at: &ArchiveAt,
    opts: &VerifyOptions,
    storage: &Storage,
    threads: usize,
    allow_duplicate: bool,
    clock: Clock<'_>,
    mut sink: impl FnMut(&AddOutcome) -> ControlFlow<()>,
) -> Result<AddTotals, ArchiveError> {
    let mut totals = AddTotals::default();
    let mut failure = None;
    let mut stopped = false;
    let cpu = Gate::new(threads);
    batch::for_each_in_order(
        found,
        storage.threads_for(found.iter().map(|c| c.path.as_path()), threads),
        |c| storage.check_with_text(c, opts, &cpu),
        |i, (checked, text)| {
            if failure.is_some() || stopped {
                return;
            }
            let location = at.location_of(&found[i].path);
            let report = &checked.report;
            let outcome = match Record::from_report(&location, report, &stamp(clock)) {
                Some(rec) if report.state != State::Invalid && report.appendix_ok() => {
                    match cat.add(&rec, &text_of(text), allow_duplicate) {
                        Ok(Added::New) => AddOutcome::New {
                            location,
                            bundle_id: rec.bundle_id,
                        },
                        Ok(Added::Updated) => AddOutcome::Updated {
                            location,
                            bundle_id: rec.bundle_id,
                        },
                        Ok(Added::Duplicate {
                            location: other,
                            bundle_id,
                        }) => AddOutcome::Duplicate {
                            location,
                            other,
                            bundle_id,
                        },
                        Err(e) => {
                            failure = Some(e);
                            return;
                        }
                    }
                }
                _ => AddOutcome::NotAdded {
                    location,
                    state: report.state,
                    codes: error_codes(report),
                },
            };
            match outcome {
                AddOutcome::New { .. } | AddOutcome::Updated { .. } => totals.added += 1,
                _ => totals.refused += 1,
            }
            stopped = sink(&outcome).is_break();
        },
    );
    match failure {
        Some(e) => Err(e.into()),
        None => Ok(totals),
    }
}

/// One bundle's fixity check, as recorded.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct FixityOutcome {
    /// Its location as catalogued.
    pub location: String,
    /// Its verification report.
    pub report: Report,
    /// The check recorded in the catalog.
    pub check: Check,
}

/// How many bundles a fixity run checked, and how many failed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct FixityTotals {
    /// Checked and passed.
    pub passed: usize,
    /// Checked and failed.
    pub failed: usize,
}

/// The rotating fixity check: verifies the catalogued bundles last checked
/// before `older_than` ago (all of them when `None`), oldest first, at most
/// `limit`, and records each result before the next is handed to `sink`.
/// Each bundle is verified against the custody head recorded for it, so
/// events cut off the end of its chain since are caught (E066).
#[allow(clippy::too_many_arguments)] // each is one independent choice of the caller
pub fn fixity(
    cat: &mut Catalog,
    at: &ArchiveAt,
    older_than: Option<chrono::Duration>,
    limit: Option<usize>,
    opts: &VerifyOptions,
    storage: &Storage,
    threads: usize,
    clock: Clock<'_>,
    mut sink: impl FnMut(&FixityOutcome) -> ControlFlow<()>,
) -> Result<FixityTotals, ArchiveError> {
    let before = match older_than {
        Some(d) => (clock() - d).to_rfc3339_opts(SecondsFormat::Micros, true),
        // Everything: any time after now.
        None => "9999-12-31T23:59:59Z".to_string(),
    };
    let due = cat.due(&before, limit)?;
    let mut totals = FixityTotals::default();
    let mut failure = None;
    let mut stopped = false;
    let cpu = Gate::new(threads);
    let work: Vec<(Candidate, &Option<String>)> = due
        .iter()
        .map(|(location, head)| {
            let path = at.resolve(location);
            (Candidate { path, size: 0 }, head)
        })
        .collect();
    batch::for_each_in_order(
        &work,
        storage.threads_for(work.iter().map(|(c, _)| c.path.as_path()), threads),
        |(c, head)| {
            let mut o = opts.clone();
            o.custody_head = (*head).clone();
            storage.check(c, &o, &cpu)
        },
        |i, checked| {
            if failure.is_some() || stopped {
                return;
            }
            let r = checked.report;
            let location = due[i].0.clone();
            let check = Check {
                at: stamp(clock),
                state: r.state.as_str().to_string(),
                passed: r.passed,
                codes: r.findings.iter().map(|f| f.code.to_string()).collect(),
                custody_head: r.custody_head.clone(),
            };
            if let Err(e) = cat.record_check(&location, &check) {
                failure = Some(e);
                return;
            }
            if r.passed {
                totals.passed += 1;
            } else {
                totals.failed += 1;
            }
            let outcome = FixityOutcome {
                location,
                report: r,
                check,
            };
            stopped = sink(&outcome).is_break();
        },
    );
    match failure {
        Some(e) => Err(e.into()),
        None => Ok(totals),
    }
}

/// What a rebuild found.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Rebuilt {
    /// Bundles recorded and not.
    pub totals: AddTotals,
    /// Directories under the root that could not be read, and why: their
    /// bundles are unknown, so the new catalog may be short of some.
    pub unreadable_dirs: Vec<(PathBuf, String)>,
}

/// A new catalog from the bundles alone, swapped in when complete. Run it
/// when no other process writes the catalog. Every bundle held is
/// recorded, duplicates too: the catalog must describe what the archive
/// holds.
pub fn rebuild(
    at: &ArchiveAt,
    opts: &VerifyOptions,
    storage: &Storage,
    threads: usize,
    clock: Clock<'_>,
    sink: impl FnMut(&AddOutcome) -> ControlFlow<()>,
) -> Result<Rebuilt, ArchiveError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| ArchiveError::Io { path, source }
    };
    let dir = match at.catalog.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let tmp = tempfile::Builder::new()
        .prefix(".catalog-rebuild-")
        .suffix(".sqlite")
        .tempfile_in(&dir)
        .map_err(io(&dir))?;
    let found = storage.discover(std::slice::from_ref(&at.root))?;
    let totals = {
        let fresh = ArchiveAt {
            root: at.root.clone(),
            catalog: tmp.path().to_path_buf(),
        };
        let mut cat = fresh.open()?;
        add_all(
            &mut cat,
            &found.bundles,
            at,
            opts,
            storage,
            threads,
            true,
            clock,
            sink,
        )?
    };
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", at.catalog.display()));
    }
    tmp.persist(&at.catalog).map_err(|e| ArchiveError::Io {
        path: at.catalog.clone(),
        source: e.error,
    })?;
    Ok(Rebuilt {
        totals,
        unreadable_dirs: found.unreadable_dirs,
    })
}

/// Whether `path` already holds exactly the bundle `packed`: its path is
/// its capture time and id, so an identical capture made within the same
/// second lands there.
fn already_there(storage: &Storage, path: &Path, packed: &Packed) -> bool {
    match Location::of(path) {
        Ok(Location::File(p)) => std::fs::read(p).is_ok_and(|b| b == packed.bytes),
        Ok(Location::Object(_)) => {
            // Verified with no trust: only the bundle id is compared.
            let opts = VerifyOptions::new(chrono::DateTime::<Utc>::UNIX_EPOCH).with_trust(
                verify::Trust::Anyone {
                    allow_unsigned: true,
                },
            );
            storage.verify_one(path, &opts).is_ok_and(|r| {
                r.state != State::Invalid
                    && r.bundle_id.as_deref() == Some(packed.bundle_id.as_str())
            })
        }
        Err(_) => false,
    }
}

/// What became of a bundle given to [`store_into`] (exhaustive, as
/// [`AddOutcome`] is).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stored {
    /// Written and catalogued.
    New {
        /// Where it was written: a file path or an `s3://` URI.
        at: String,
    },
    /// The archive already holds this page, sealed by the same key; nothing
    /// was written.
    Duplicate {
        /// The location that holds it.
        location: String,
        /// Its bundle id.
        bundle_id: String,
    },
}

/// `pack --into` and `capture --into`: the bundle goes under the
/// archive's layout (a directory, or a prefix in a bucket) and into its
/// catalog in one transaction, unless the archive already holds the same
/// page. The bundle is verified first, from the bytes about to be written.
pub fn store_into(
    root: &Path,
    catalog: Option<&Path>,
    packed: &Packed,
    storage: &Storage,
    clock: Clock<'_>,
) -> Result<Stored, ArchiveError> {
    let relative = layout::bundle_path(
        Path::new(""),
        &packed.manifest.capture.captured_at,
        &packed.bundle_id,
    )
    .ok_or(ArchiveError::Unplaceable)?;
    let relative = slash_path(&relative);
    let (path, location, at) = match Location::of(root) {
        Ok(Location::Object(uri)) => {
            let uri = uri.join(&relative);
            let at = ArchiveAt::new(root, catalog)?;
            (PathBuf::from(uri.to_string()), uri.to_string(), at)
        }
        Err(_) => return Err(ArchiveError::BadRoot(root.to_path_buf())),
        Ok(_) => {
            std::fs::create_dir_all(root).map_err(|source| ArchiveError::Io {
                path: root.to_path_buf(),
                source,
            })?;
            let at = ArchiveAt::new(root, catalog)?;
            (root.join(&relative), relative.clone(), at)
        }
    };
    let remote = Location::is_remote(root);
    let opts = VerifyOptions::new(clock()).with_trust(verify::Trust::Anyone {
        allow_unsigned: true,
    });
    let verified = verify::verify_reader_with_text(
        &mut std::io::Cursor::new(&packed.bytes),
        packed.bytes.len() as u64,
        &opts,
    )
    .map_err(|source| ArchiveError::Io {
        path: PathBuf::from(&location),
        source,
    })?;
    let report = verified.report;
    let record = Record::from_report(&location, &report, &stamp(clock))
        .filter(|_| report.state != State::Invalid)
        .ok_or(ArchiveError::NotVerified)?;
    let text = text_of(verified.text);
    let mut cat = at.open()?;
    let (added, written) = cat.add_with(&record, &text, false, || {
        if !remote {
            let dir = path.parent().unwrap_or(root);
            std::fs::create_dir_all(dir).map_err(|source| ArchiveError::Io {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        match storage.write(&path, &packed.bytes, false) {
            Ok(()) => Ok(true),
            // The same bundle, byte for byte, is already there (the same
            // page captured again within the second, unsigned): stored.
            Err(_) if already_there(storage, &path, packed) => Ok(false),
            Err(e) => Err(ArchiveError::from(e)),
        }
    })?;
    Ok(match (added, written) {
        (
            Added::Duplicate {
                location,
                bundle_id,
            },
            _,
        ) => Stored::Duplicate {
            location,
            bundle_id,
        },
        (_, Some(false)) => Stored::Duplicate {
            location,
            bundle_id: packed.bundle_id.clone(),
        },
        _ => Stored::New {
            at: path.display().to_string(),
        },
    })
}
