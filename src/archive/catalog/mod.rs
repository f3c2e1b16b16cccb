//! The archive catalog (`spec/catalog-v1.md`): an SQLite index of the
//! bundles an archive holds, for "did we already capture this URL?" and
//! "what do we hold from this outlet in May 2018?". It is only an index:
//! every row can be rebuilt from the bundles alone (`provseal catalog
//! rebuild` adds each verified bundle to a fresh catalog with
//! [`Catalog::add`]), so losing the database loses nothing.
//!
//! Several processes may write at once (two `pack --into` runs): the
//! database is in WAL mode, every change is one transaction, and a writer
//! waits for the other instead of failing.

pub mod layout;
pub mod place;
pub mod record;
mod schema;
pub mod upkeep;

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

pub use record::{Record, normalize_url};
use schema::{COLUMNS, SCHEMA};

/// The catalog's schema version, stored in its `meta` table.
pub const SCHEMA_VERSION: u32 = 1;

/// The catalog file's name inside an archive directory.
pub const FILE_NAME: &str = "catalog.sqlite";

/// How long a writer waits for another before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(60);

/// Errors of the catalog.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CatalogError {
    /// SQLite reported an error.
    #[error("catalog: {0}")]
    Sql(#[from] rusqlite::Error),
    /// The file is a catalog of another schema version.
    #[error(
        "catalog schema version {0} is not supported (this provseal uses {SCHEMA_VERSION}); run `provseal catalog rebuild`"
    )]
    Version(String),
    /// A search bound that is not a date or time.
    #[error(
        "--{0}: {1:?} is not a date: write 2018, 2018-05, 2018-05-27 or an RFC 3339 time such as 2018-05-27T09:00:00Z"
    )]
    BadDate(&'static str, String),
}

/// An open catalog.
pub struct Catalog {
    conn: Connection,
}

/// What adding a bundle did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Added {
    /// A new row.
    New,
    /// The row for this location was replaced (re-added or re-verified).
    Updated,
    /// Another location holds an intact bundle of the same page (content
    /// hash) signed by the same key: nothing was added. Holds that location
    /// and its bundle id.
    Duplicate {
        /// Where the earlier capture is.
        location: String,
        /// Its bundle id.
        bundle_id: String,
    },
}

/// The result of one fixity check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// When (UTC, RFC 3339).
    pub at: String,
    /// The state found.
    pub state: String,
    /// Whether it passed.
    pub passed: bool,
    /// The finding codes.
    pub codes: Vec<String>,
    /// The custody chain head found, if any.
    pub custody_head: Option<String>,
}

/// What `catalog search` filters by; every given filter must match.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Query {
    /// The original or a repost URL, compared normalised.
    pub url: Option<String>,
    /// The outlet, case-insensitively, in full.
    pub publisher: Option<String>,
    /// Published on or after this date (`YYYY-MM-DD` or RFC 3339).
    pub published_from: Option<String>,
    /// Published on or before this date.
    pub published_to: Option<String>,
    /// Captured on or after this time (`YYYY-MM-DD` or RFC 3339, UTC).
    pub captured_from: Option<String>,
    /// Captured on or before this time.
    pub captured_to: Option<String>,
    /// The signer's key id (`sha256:…`) or name in the trust store.
    pub signer: Option<String>,
    /// Words that the title or the article text must all contain (FTS5).
    pub text: Option<String>,
    /// At most this many results.
    pub limit: Option<usize>,
}

impl Catalog {
    /// Opens (creating if needed) the catalog at `path`.
    pub fn open(path: &Path) -> Result<Catalog, CatalogError> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // WAL lets readers go on while one process writes; NORMAL sync is
        // durable across process crashes, and the catalog is rebuildable.
        // Switching a new database to WAL needs it to itself, and SQLite
        // answers "busy" at once rather than through the busy handler when
        // another process is creating it too: so wait here.
        retry_busy(|| conn.pragma_update(None, "journal_mode", "WAL"))?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", true)?;
        let c = Catalog { conn };
        retry_busy(|| c.conn.execute_batch(&format!("BEGIN IMMEDIATE;{SCHEMA}")))?;
        let version: Option<String> = c
            .conn
            .query_row("SELECT value FROM meta WHERE key = 'schema'", [], |r| {
                r.get(0)
            })
            .optional()?;
        match version {
            None => {
                c.conn.execute(
                    "INSERT INTO meta (key, value) VALUES ('schema', ?1)",
                    [SCHEMA_VERSION.to_string()],
                )?;
            }
            Some(v) if v == SCHEMA_VERSION.to_string() => {}
            Some(v) => {
                c.conn.execute_batch("ROLLBACK")?;
                return Err(CatalogError::Version(v));
            }
        }
        c.conn.execute_batch("COMMIT")?;
        Ok(c)
    }

    /// Adds or replaces the record of a bundle, with its article text for
    /// full-text search. A signed bundle of a page that another location
    /// already holds, intact and signed by the same key, is not added
    /// unless `allow_duplicate`; an unsigned bundle, or one by another key,
    /// is never a duplicate.
    pub fn add(
        &mut self,
        r: &Record,
        text: &str,
        allow_duplicate: bool,
    ) -> Result<Added, CatalogError> {
        self.add_with(r, text, allow_duplicate, || Ok::<(), CatalogError>(()))
            .map(|(added, _)| added)
    }

    /// As [`Catalog::add`], running `store` inside the same write
    /// transaction, after the duplicate check and before the row is
    /// written: `pack --into` writes the bundle file there, so two
    /// concurrent captures of the same content cannot both be stored. An
    /// error from `store` leaves the catalog unchanged. `store` does not run
    /// for a duplicate (the value is then `None`).
    // Long (~100 lines) by reason: one write transaction, held from the
    // duplicate check to the commit; split, the transaction would be passed
    // through every part.
    pub fn add_with<T, E>(
        &mut self,
        r: &Record,
        text: &str,
        allow_duplicate: bool,
        store: impl FnOnce() -> Result<T, E>,
    ) -> Result<(Added, Option<T>), E>
    where
        E: From<CatalogError>,
    {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(CatalogError::from)?;
        // A duplicate is the same page sealed by the same key, held intact
        // (catalog-v1.md §2): a bundle someone else made, unsigned or by
        // another key, never takes the place of this one.
        if !allow_duplicate && !r.content_sha256.is_empty() && r.signer_key_id.is_some() {
            let dup: Option<(String, String)> = tx
                .query_row(
                    "SELECT location, bundle_id FROM bundles \
                     WHERE content_sha256 = ?1 AND location <> ?2 AND signer_key_id = ?3 \
                     AND state <> 'invalid' ORDER BY location LIMIT 1",
                    params![r.content_sha256, r.location, r.signer_key_id],
                    |row| Ok((row.get(0)?, row.get(1)?)),
                )
                .optional()
                .map_err(CatalogError::from)?;
            if let Some((location, bundle_id)) = dup {
                return Ok((
                    Added::Duplicate {
                        location,
                        bundle_id,
                    },
                    None,
                ));
            }
        }
        let value = store()?;
        let existed = tx
            .execute("DELETE FROM bundles WHERE location = ?1", [&r.location])
            .map_err(CatalogError::from)?
            > 0;
        tx.execute("DELETE FROM fulltext WHERE location = ?1", [&r.location])
            .map_err(CatalogError::from)?;
        tx.execute(
            &format!(
                "INSERT INTO bundles ({COLUMNS}) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"
            ),
            params![
                r.location,
                r.bundle_id,
                r.content_sha256,
                r.title,
                r.publisher,
                r.published,
                r.captured_at,
                r.original_url,
                r.signer_key_id,
                r.signer_name,
                r.state,
                r.passed,
                r.codes.join(" "),
                r.last_verified_at,
                r.custody_head,
            ],
        )
        .map_err(CatalogError::from)?;
        let urls = r
            .original_url
            .iter()
            .map(|u| ("original", u))
            .chain(r.repost_urls.iter().map(|u| ("repost", u)));
        for (role, url) in urls {
            tx.execute(
                "INSERT INTO urls (location, role, url, normalized) VALUES (?1, ?2, ?3, ?4)",
                params![r.location, role, url, normalize_url(url)],
            )
            .map_err(CatalogError::from)?;
        }
        tx.execute(
            "INSERT INTO fulltext (location, title, text) VALUES (?1, ?2, ?3)",
            params![r.location, r.title, text],
        )
        .map_err(CatalogError::from)?;
        tx.execute(
            "INSERT INTO checks (location, at, state, passed, codes) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                r.location,
                r.last_verified_at,
                r.state,
                r.passed,
                r.codes.join(" ")
            ],
        )
        .map_err(CatalogError::from)?;
        tx.commit().map_err(CatalogError::from)?;
        Ok((
            if existed { Added::Updated } else { Added::New },
            Some(value),
        ))
    }

    /// The records matching every filter of `q`, newest capture first.
    pub fn search(&self, q: &Query) -> Result<Vec<Record>, CatalogError> {
        let mut args: Vec<String> = Vec::new();
        let mut bind = |v: String| {
            args.push(v);
            format!("?{}", args.len())
        };
        let mut clauses = Vec::new();
        if let Some(u) = &q.url {
            clauses.push(format!(
                "location IN (SELECT location FROM urls WHERE normalized = {})",
                bind(normalize_url(u))
            ));
        }
        if let Some(p) = &q.publisher {
            clauses.push(format!("lower(publisher) = lower({})", bind(p.clone())));
        }
        // Dates and times compare as text: every stored value and bound is
        // ISO 8601, and a value is cut to its bound's length, so `--to
        // 2018-05-31` includes the whole day.
        for (col, from, to, names) in [
            (
                "published",
                &q.published_from,
                &q.published_to,
                ["published-from", "published-to"],
            ),
            (
                "captured_at",
                &q.captured_from,
                &q.captured_to,
                ["captured-from", "captured-to"],
            ),
        ] {
            for (value, op, name) in [(from, ">=", names[0]), (to, "<=", names[1])] {
                let Some(v) = value else { continue };
                let bound =
                    record::date_bound(v).ok_or_else(|| CatalogError::BadDate(name, v.clone()))?;
                let p = bind(bound);
                clauses.push(format!("substr({col}, 1, length({p})) {op} {p}"));
            }
        }
        if let Some(who) = &q.signer {
            let p = bind(who.clone());
            clauses.push(format!(
                "(signer_key_id = {p} OR lower(signer_name) = lower({p}))"
            ));
        }
        if let Some(t) = &q.text {
            let words = fts_words(t);
            if !words.is_empty() {
                clauses.push(format!(
                    "location IN (SELECT location FROM fulltext WHERE fulltext MATCH {})",
                    bind(words)
                ));
            }
        }
        let mut sql = format!("SELECT {COLUMNS} FROM bundles");
        if !clauses.is_empty() {
            sql.push_str(" WHERE ");
            sql.push_str(&clauses.join(" AND "));
        }
        sql.push_str(" ORDER BY captured_at DESC, location");
        if let Some(n) = q.limit {
            sql.push_str(&format!(" LIMIT {n}"));
        }
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), row_to_record)?;
        let mut out = Vec::new();
        for r in rows {
            let mut rec = r?;
            rec.repost_urls = self.reposts(&rec.location)?;
            out.push(rec);
        }
        Ok(out)
    }

    fn reposts(&self, location: &str) -> Result<Vec<String>, CatalogError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT url FROM urls WHERE location = ?1 AND role = 'repost' ORDER BY rowid",
        )?;
        let urls = stmt
            .query_map([location], |r| r.get(0))?
            .collect::<Result<Vec<String>, _>>()?;
        Ok(urls)
    }

    /// The bundles whose last verification is older than `before` (an
    /// RFC 3339 UTC time), oldest-checked first, at most `limit`, each with
    /// its recorded custody chain head: a rotating fixity check verifies
    /// these, and a chain that no longer holds its head was truncated.
    pub fn due(
        &self,
        before: &str,
        limit: Option<usize>,
    ) -> Result<Vec<(String, Option<String>)>, CatalogError> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT location, custody_head FROM bundles WHERE last_verified_at < ?1 \
             ORDER BY last_verified_at, location{}",
            limit.map(|n| format!(" LIMIT {n}")).unwrap_or_default()
        ))?;
        let rows = stmt
            .query_map([before], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// Records a fixity check of a catalogued location: its result joins
    /// the history, and the row shows it as the last. A check that passed
    /// also records the chain's current head (custody events may have been
    /// appended since); a failed one keeps the head known before.
    pub fn record_check(&mut self, location: &str, check: &Check) -> Result<(), CatalogError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let codes = check.codes.join(" ");
        tx.execute(
            "UPDATE bundles SET state = ?2, passed = ?3, codes = ?4, last_verified_at = ?5, \
             custody_head = CASE WHEN ?3 THEN coalesce(?6, custody_head) ELSE custody_head END \
             WHERE location = ?1",
            params![
                location,
                check.state,
                check.passed,
                codes,
                check.at,
                check.custody_head
            ],
        )?;
        tx.execute(
            "INSERT INTO checks (location, at, state, passed, codes) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![location, check.at, check.state, check.passed, codes],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// How many bundles the catalog lists.
    pub fn count(&self) -> Result<u64, CatalogError> {
        let n: i64 = self
            .conn
            .query_row("SELECT count(*) FROM bundles", [], |r| r.get(0))?;
        Ok(n.max(0) as u64)
    }

    /// The fixity checks of one location, oldest first: (time, state,
    /// passed).
    pub fn history(&self, location: &str) -> Result<Vec<(String, String, bool)>, CatalogError> {
        let mut stmt = self
            .conn
            .prepare("SELECT at, state, passed FROM checks WHERE location = ?1 ORDER BY rowid")?;
        let rows = stmt
            .query_map([location], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }
}

/// Runs `f` again while SQLite reports the database busy or locked, for
/// up to [`BUSY_TIMEOUT`].
fn retry_busy<T>(mut f: impl FnMut() -> rusqlite::Result<T>) -> rusqlite::Result<T> {
    let start = std::time::Instant::now();
    loop {
        match f() {
            Err(rusqlite::Error::SqliteFailure(e, _))
                if matches!(
                    e.code,
                    rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
                ) && start.elapsed() < BUSY_TIMEOUT =>
            {
                std::thread::sleep(Duration::from_millis(10));
            }
            other => return other,
        }
    }
}

fn row_to_record(row: &rusqlite::Row<'_>) -> rusqlite::Result<Record> {
    let codes: String = row.get(12)?;
    Ok(Record {
        location: row.get(0)?,
        bundle_id: row.get(1)?,
        content_sha256: row.get(2)?,
        title: row.get(3)?,
        publisher: row.get(4)?,
        published: row.get(5)?,
        captured_at: row.get(6)?,
        original_url: row.get(7)?,
        repost_urls: Vec::new(),
        signer_key_id: row.get(8)?,
        signer_name: row.get(9)?,
        state: row.get(10)?,
        passed: row.get(11)?,
        codes: codes.split_whitespace().map(str::to_string).collect(),
        last_verified_at: row.get(13)?,
        custody_head: row.get(14)?,
    })
}

/// A user's words as an FTS5 query that can never be a syntax error: each
/// word quoted (inner quotes doubled), all required.
fn fts_words(text: &str) -> String {
    text.split_whitespace()
        .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(location: &str, content: &str, url: &str) -> Record {
        Record {
            bundle_id: format!("sha256:{}", content.repeat(64)),
            location: location.into(),
            content_sha256: content.repeat(64),
            title: format!("Title {location}"),
            publisher: Some("Daily NK".into()),
            published: Some("2018-05-26".into()),
            captured_at: "2018-05-27T03:00:00Z".into(),
            original_url: Some(url.into()),
            repost_urls: vec!["https://portal.example.net/x?id=1".into()],
            signer_key_id: Some("sha256:newsroom".into()),
            signer_name: None,
            state: "intact-untrusted".into(),
            passed: true,
            codes: vec!["W004".into()],
            last_verified_at: "2026-01-01T00:00:00.000000Z".into(),
            custody_head: None,
        }
    }

    #[test]
    fn records_round_trip_duplicates_are_refused_and_versions_checked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.sqlite");
        let mut c = Catalog::open(&path).unwrap();
        let a = record("a.zip", "a", "https://www.example.org/story?id=7");
        assert_eq!(c.add(&a, "the harbour office", false).unwrap(), Added::New);
        assert_eq!(
            c.add(&a, "the harbour office", false).unwrap(),
            Added::Updated
        );
        let dup = record("b.zip", "a", "https://example.org/other");
        assert!(matches!(
            c.add(&dup, "", false).unwrap(),
            Added::Duplicate { location, .. } if location == "a.zip"
        ));
        // The same page made by someone else, or by nobody, is no duplicate:
        // it is catalogued beside the archive's own.
        let mut other_key = record("c.zip", "a", "https://example.org/story?id=7");
        other_key.signer_key_id = Some("sha256:someone-else".into());
        assert_eq!(c.add(&other_key, "", false).unwrap(), Added::New);
        let mut unsigned = record("d.zip", "a", "https://example.org/story?id=7");
        unsigned.signer_key_id = None;
        assert_eq!(c.add(&unsigned, "", false).unwrap(), Added::New);
        // And an unsigned one held first does not stop the signed capture.
        let mut fresh = Catalog::open(&dir.path().join("f.sqlite")).unwrap();
        assert_eq!(fresh.add(&unsigned, "", false).unwrap(), Added::New);
        assert_eq!(fresh.add(&a, "", false).unwrap(), Added::New);
        let found = c
            .search(&Query {
                url: Some("http://example.org/story/?id=7#x".into()),
                ..Query::default()
            })
            .unwrap();
        assert_eq!(found.len(), 3);
        assert!(found.contains(&a));
        let by_text = c
            .search(&Query {
                text: Some("HARBOUR".into()),
                ..Query::default()
            })
            .unwrap();
        assert_eq!(by_text.len(), 1);
        assert_eq!(c.history("a.zip").unwrap().len(), 2);
        drop(c);
        let conn = Connection::open(&path).unwrap();
        conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema'", [])
            .unwrap();
        drop(conn);
        assert!(matches!(
            Catalog::open(&path),
            Err(CatalogError::Version(v)) if v == "99"
        ));
    }
}
