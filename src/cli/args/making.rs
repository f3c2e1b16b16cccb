//! Flags of the commands that make bundles: `pack` and `capture`.

use std::path::PathBuf;

use clap::Args;

use super::{MetaArgs, SignArgs, TsaArgs};

#[derive(Debug, Args)]
pub struct PackArgs {
    /// The article: a .txt or .html file, or - to read standard input.
    #[arg(required_unless_present = "batch", conflicts_with = "batch")]
    pub input: Option<PathBuf>,
    #[command(flatten)]
    pub sign: SignArgs,
    #[command(flatten)]
    pub tsa: TsaArgs,
    /// Where to write the bundle.
    #[arg(short = 'o', long = "out", conflicts_with = "batch")]
    pub out: Option<PathBuf>,
    /// Store the bundle in this archive directory (under YYYY/MM/DD/ by
    /// capture date, named by bundle id) and add it to its catalog; a
    /// capture whose page another bundle of the archive already holds is
    /// reported and not stored.
    #[arg(long, value_name = "ARCHIVE", conflicts_with_all = ["out", "batch"])]
    pub into: Option<PathBuf>,
    /// With --into: the catalog file, if not ARCHIVE/catalog.sqlite (an
    /// s3:// archive needs one: the catalog is always a local file).
    #[arg(long, value_name = "FILE", requires = "into")]
    pub catalog: Option<PathBuf>,
    /// Replace output files that exist.
    #[arg(long)]
    pub force: bool,
    /// Create the output folder (and any folder above it) when it does not
    /// exist; without it, a missing folder is an error before any work.
    #[arg(long)]
    pub parents: bool,
    #[command(flatten)]
    pub meta: MetaArgs,
    /// Capture time: RFC 3339 (2024-03-15T08:30:00Z) or a date alone
    /// (2024-03-15, midnight UTC) [default: now, to the second].
    #[arg(long)]
    pub captured_at: Option<String>,
    /// Pack many articles: one JSON job per line ({"input", "out", and
    /// optionally "original_url", "repost_urls", "title", "subtitle",
    /// "authors", "publisher", "section", "published", "language",
    /// "captured_at"}); paths are relative to the current directory. A
    /// job that fails is reported and the others go on.
    #[arg(long, value_name = "JOBS.jsonl")]
    pub batch: Option<PathBuf>,
    /// With --batch: jobs packed at once [default: the number of cores].
    #[arg(short = 'j', long = "jobs", value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
    /// With --batch: no progress bar.
    #[arg(short, long)]
    pub quiet: bool,
    #[command(flatten)]
    pub s3: super::S3Args,
}

#[derive(Debug, Args)]
pub struct CaptureArgs {
    /// The page to capture (http or https).
    pub url: String,
    #[command(flatten)]
    pub sign: SignArgs,
    #[command(flatten)]
    pub tsa: TsaArgs,
    /// Where to write the bundle.
    #[arg(short = 'o', long = "out")]
    pub out: Option<PathBuf>,
    /// Replace the output file if it exists.
    #[arg(long)]
    pub force: bool,
    /// Create the output folder (and any folder above it) when it does not
    /// exist; without it, a missing folder is an error before any work.
    #[arg(long)]
    pub parents: bool,
    /// Store the bundle in this archive directory and add it to its
    /// catalog, as `pack --into` does.
    #[arg(long, value_name = "ARCHIVE", conflicts_with = "out")]
    pub into: Option<PathBuf>,
    /// With --into: the catalog file, if not ARCHIVE/catalog.sqlite.
    #[arg(long, value_name = "FILE", requires = "into")]
    pub catalog: Option<PathBuf>,
    #[command(flatten)]
    pub meta: MetaArgs,
    /// Seconds the whole capture may take: every page (--also included),
    /// every redirect and every body together.
    #[arg(long, default_value_t = 30)]
    pub timeout: u64,
    /// Largest body accepted, in bytes (as sent and after gzip decoding).
    #[arg(long, default_value_t = 50 << 20)]
    pub max_bytes: u64,
    /// User-Agent header to send.
    #[arg(long, default_value = provseal::capture::DEFAULT_USER_AGENT)]
    pub user_agent: String,
    /// Also capture this URL into the same bundle, e.g. the original of a repost (repeatable).
    #[arg(long = "also")]
    pub also: Vec<String>,
    /// Keep a response with this non-2xx status as evidence (repeatable), e.g. 404.
    #[arg(long = "allow-status")]
    pub allow_status: Vec<u16>,
    /// Follow a redirect to another site even when its host resolves to a
    /// loopback, private, link-local or unique-local address (refused by
    /// default: a page must not turn the capture against your own network).
    #[arg(long)]
    pub allow_private_redirects: bool,
    #[command(flatten)]
    pub s3: super::S3Args,
}
