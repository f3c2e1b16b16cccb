//! The catalog's tables (`spec/catalog-v1.md` §3), as SQL.

pub(super) const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS bundles (
    location TEXT PRIMARY KEY,
    bundle_id TEXT NOT NULL,
    content_sha256 TEXT NOT NULL,
    title TEXT NOT NULL,
    publisher TEXT,
    published TEXT,
    captured_at TEXT NOT NULL,
    original_url TEXT,
    signer_key_id TEXT,
    signer_name TEXT,
    state TEXT NOT NULL,
    passed INTEGER NOT NULL,
    codes TEXT NOT NULL,
    last_verified_at TEXT NOT NULL,
    custody_head TEXT
);
CREATE INDEX IF NOT EXISTS bundles_id ON bundles (bundle_id);
CREATE INDEX IF NOT EXISTS bundles_content ON bundles (content_sha256);
CREATE INDEX IF NOT EXISTS bundles_captured ON bundles (captured_at);
CREATE INDEX IF NOT EXISTS bundles_verified ON bundles (last_verified_at);
CREATE TABLE IF NOT EXISTS urls (
    location TEXT NOT NULL REFERENCES bundles (location) ON DELETE CASCADE,
    role TEXT NOT NULL,
    url TEXT NOT NULL,
    normalized TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS urls_normalized ON urls (normalized);
CREATE INDEX IF NOT EXISTS urls_location ON urls (location);
CREATE TABLE IF NOT EXISTS checks (
    location TEXT NOT NULL,
    at TEXT NOT NULL,
    state TEXT NOT NULL,
    passed INTEGER NOT NULL,
    codes TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS checks_location ON checks (location);
CREATE VIRTUAL TABLE IF NOT EXISTS fulltext USING fts5 (location UNINDEXED, title, text);
";

pub(super) const COLUMNS: &str = "location, bundle_id, content_sha256, title, publisher, published, \
     captured_at, original_url, signer_key_id, signer_name, state, passed, codes, \
     last_verified_at, custody_head";
