//! Command-line flags: the top level and the flags several commands
//! share here, each family of commands in its own file.

mod checking;
mod keeping;
mod making;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

pub use checking::*;
pub use keeping::*;
pub use making::*;

/// Preserve news reports as signed, verifiable evidence bundles.
#[derive(Debug, Parser)]
#[command(name = "provseal", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Endpoint URL of an S3-compatible server for s3:// URIs (Garage,
    /// MinIO, Ceph, …); by default AWS_ENDPOINT_URL, the profile's
    /// endpoint_url, or AWS itself.
    #[arg(long, global = true, value_name = "URL", help_heading = S3_HEADING)]
    pub endpoint: Option<String>,
    /// Seconds to wait for each object-store request before failing it.
    #[arg(long, global = true, default_value_t = 30, value_name = "SECONDS", help_heading = S3_HEADING)]
    pub s3_timeout: u64,
    /// Object-store requests kept in flight when verifying s3:// objects;
    /// -j still bounds the verifying itself. Each holds at most one bundle
    /// of up to 4 MiB in memory (larger ones are read in 8 MiB ranges).
    #[arg(long, global = true, default_value_t = 64, value_name = "N",
          value_parser = clap::value_parser!(u16).range(1..=256), help_heading = S3_HEADING)]
    pub s3_requests: u16,
    /// With no credentials in the environment or the AWS profile, ask the
    /// cloud instance-metadata service for them (on a cloud machine whose
    /// role gives access). Without it, such requests go unsigned and no
    /// other address is contacted.
    #[arg(long, global = true, help_heading = S3_HEADING)]
    pub s3_instance_credentials: bool,
}

/// The heading the object-storage options are listed under: they matter
/// only where a path is an `s3://` URI.
const S3_HEADING: &str = "Object storage (only for s3:// URIs)";

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Manage Ed25519 signing keys.
    #[command(subcommand)]
    Key(KeyCommand),
    /// Pack a saved article (.txt or .html, or - for stdin) into a signed bundle.
    Pack(Box<PackArgs>),
    /// Fetch a page over HTTP(S) and pack it, with every request and response as WARC records.
    Capture(Box<CaptureArgs>),
    /// Verify bundles: container, files, signature, trust. Exit 0 only if every bundle verified.
    Verify(VerifyArgs),
    /// Verify a bundle, then print a citation of it.
    Cite(CiteArgs),
    /// Compare a repost's bundle with the original's: identical, same text, truncated, edited or different.
    Compare(CompareArgs),
    /// Keep a searchable catalog of an archive's bundles (SQLite; rebuildable from the bundles).
    #[command(subcommand)]
    Catalog(CatalogCommand),
    /// Append a signed custody event (received, reviewed, transferred, verified) to a bundle.
    Attest(AttestArgs),
    /// Manage a trust store (spec §8.2): named signers, their keys, validity and revocation.
    #[command(subcommand)]
    Trust(TrustCommand),
    /// Show what a bundle holds, without a verdict.
    Inspect {
        /// The bundle.
        bundle: PathBuf,
    },
    /// Show what pack would extract from an input file, without packing.
    Extract {
        /// A .txt or .html file, or - for stdin.
        input: PathBuf,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct SignArgs {
    /// Private key (PKCS#8 PEM) to sign with.
    #[arg(long, required_unless_present = "unsigned")]
    pub key: Option<PathBuf>,
    /// Make an unsigned bundle (verifiers refuse it unless told otherwise).
    #[arg(long, conflicts_with = "key")]
    pub unsigned: bool,
}

#[derive(Debug, Args)]
pub struct OutArgs {
    /// Where to write the bundle.
    #[arg(short = 'o', long = "out")]
    pub out: PathBuf,
    /// Replace the output file if it exists.
    #[arg(long)]
    pub force: bool,
}

/// Metadata given by hand; each value wins over what is extracted.
#[derive(Debug, Args)]
pub struct MetaArgs {
    /// URL where the outlet first published the article.
    #[arg(long)]
    pub original_url: Option<String>,
    /// URL where a copy was found (repeatable).
    #[arg(long = "repost-url")]
    pub repost_urls: Vec<String>,
    /// Headline.
    #[arg(long)]
    pub title: Option<String>,
    /// Deck or second headline.
    #[arg(long)]
    pub subtitle: Option<String>,
    /// Author (repeatable; replaces extracted authors).
    #[arg(long = "author")]
    pub authors: Vec<String>,
    /// Publishing outlet.
    #[arg(long)]
    pub publisher: Option<String>,
    /// Section or category.
    #[arg(long)]
    pub section: Option<String>,
    /// Publication date: YYYY-MM-DD, RFC 3339, or forms like "May 27, 2018".
    #[arg(long)]
    pub published: Option<String>,
    /// Language tag (BCP 47), e.g. en or ko-KR.
    #[arg(long)]
    pub language: Option<String>,
}

#[derive(Debug, Args)]
pub struct TrustArgs {
    /// Public key (SPKI PEM) whose signatures you trust (repeatable).
    #[arg(long = "trust", conflicts_with = "trust_store")]
    pub trust: Vec<PathBuf>,
    /// A trust store (spec §8.2): named signers whose keys are judged by
    /// their validity and revocation at signing time.
    #[arg(long, value_name = "FILE")]
    pub trust_store: Option<PathBuf>,
    /// Accept unsigned bundles, with a warning. Only without --trust or
    /// --trust-store: who is trusted is then decided, and an unsigned
    /// bundle is nobody's.
    #[arg(long, conflicts_with_all = ["trust", "trust_store"])]
    pub allow_unsigned: bool,
    /// Root certificate(s) of time-stamping authorities you trust (PEM or
    /// DER; repeatable): each stored RFC 3161 token must chain to one, judged
    /// at the token's genTime.
    #[arg(long = "tsa-root", value_name = "FILE")]
    pub tsa_root: Vec<PathBuf>,
}

/// RFC 3161 timestamps while writing a bundle or an event.
#[derive(Debug, Args, Default)]
pub struct TsaArgs {
    /// Time-stamping authority URL (RFC 3161 over HTTP; repeatable): its token
    /// over the signature is stored in the bundle.
    #[arg(long = "tsa", value_name = "URL")]
    pub tsa: Vec<String>,
    /// Write the output even when a time-stamping authority fails (its token
    /// is then missing); without this, nothing is written.
    #[arg(long)]
    pub allow_unstamped: bool,
    /// Seconds to wait for each time-stamping authority.
    #[arg(long, default_value_t = 30, value_name = "SECONDS")]
    pub tsa_timeout: u64,
}
