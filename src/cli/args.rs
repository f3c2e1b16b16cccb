//! Command-line flags.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Preserve news reports as signed, verifiable evidence bundles.
#[derive(Debug, Parser)]
#[command(name = "provseal", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Endpoint URL of an S3-compatible server for s3:// URIs (Garage,
    /// MinIO, Ceph, …); by default AWS_ENDPOINT_URL, the profile's
    /// endpoint_url, or AWS itself.
    #[arg(long, global = true, value_name = "URL")]
    pub endpoint: Option<String>,
    /// Seconds to wait for each object-store request before failing it.
    #[arg(long, global = true, default_value_t = 30, value_name = "SECONDS")]
    pub s3_timeout: u64,
    /// Object-store requests kept in flight when verifying s3:// objects;
    /// -j still bounds the verifying itself. Each holds at most one bundle
    /// of up to 4 MiB in memory (larger ones are read in 8 MiB ranges).
    #[arg(long, global = true, default_value_t = 64, value_name = "N",
          value_parser = clap::value_parser!(u16).range(1..=256))]
    pub s3_requests: u16,
}

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

#[derive(Debug, Subcommand)]
pub enum TrustCommand {
    /// Add a signer's public key (the file is created if it does not exist).
    Add {
        /// The trust store file.
        #[arg(long)]
        store: PathBuf,
        /// The signer's name, as reports will show it.
        #[arg(long)]
        name: String,
        /// The public key (SPKI PEM).
        key: PathBuf,
        /// The key vouches for signatures from this time (RFC 3339).
        #[arg(long)]
        not_before: Option<String>,
        /// The key vouches for signatures up to this time (RFC 3339).
        #[arg(long)]
        not_after: Option<String>,
    },
    /// Trust a time-stamping authority's root certificate for RFC 3161 tokens.
    AddTsa {
        /// The trust store file.
        #[arg(long)]
        store: PathBuf,
        /// A name for the authority.
        #[arg(long)]
        name: String,
        /// Its root certificate (PEM or DER).
        certificate: PathBuf,
    },
    /// List the signers and their keys.
    List {
        /// The trust store file.
        #[arg(long)]
        store: PathBuf,
    },
    /// Revoke a key from a time on: bundles signed from then on fail (E043).
    Revoke {
        /// The trust store file.
        #[arg(long)]
        store: PathBuf,
        /// The key's id (sha256:…).
        key_id: String,
        /// From when (RFC 3339).
        #[arg(long)]
        at: String,
        /// Why.
        #[arg(long)]
        reason: String,
    },
    /// End a key's validity (rotation): bundles signed up to then stay verified.
    Retire {
        /// The trust store file.
        #[arg(long)]
        store: PathBuf,
        /// The key's id (sha256:…).
        key_id: String,
        /// The last time the key vouches for (RFC 3339).
        #[arg(long)]
        at: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum KeyCommand {
    /// Generate a key pair: NAME.key (private, PKCS#8 PEM, mode 0600) and NAME.pub (SPKI PEM).
    Generate {
        /// Path prefix of the two files.
        #[arg(long)]
        out: PathBuf,
        /// Encrypt the private key (PBES2: scrypt and AES-256-CBC) with a
        /// passphrase from PROVSEAL_PASSPHRASE or, failing that, a prompt.
        #[arg(long)]
        encrypt: bool,
    },
    /// Print a key's id and fingerprint (private or public PEM file).
    Show {
        /// The key file.
        file: PathBuf,
    },
    /// Print the public key (SPKI PEM) of a private key file.
    ExportPublic {
        /// The private key file.
        file: PathBuf,
        /// Write it here (a new file) instead of standard output.
        #[arg(short = 'o', long = "out")]
        out: Option<PathBuf>,
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
pub struct PackArgs {
    /// The article: a .txt or .html file, or - to read standard input.
    #[arg(required_unless_present = "batch", conflicts_with = "batch")]
    pub input: Option<PathBuf>,
    #[command(flatten)]
    pub sign: SignArgs,
    #[command(flatten)]
    pub tsa: TsaArgs,
    /// Where to write the bundle.
    #[arg(
        short = 'o',
        long = "out",
        required_unless_present_any = ["batch", "into"],
        conflicts_with = "batch"
    )]
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
    #[command(flatten)]
    pub meta: MetaArgs,
    /// Capture time, RFC 3339 (default: now, to the second).
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
    #[arg(short = 'o', long = "out", required_unless_present = "into")]
    pub out: Option<PathBuf>,
    /// Replace the output file if it exists.
    #[arg(long)]
    pub force: bool,
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
}

/// A citation format from the command line: one of the library's formats
/// (by the names `provseal::cite::Format::name` gives), or `all`.
#[derive(Debug, Clone, Copy)]
pub struct CiteFormat(Option<provseal::cite::Format>);

impl CiteFormat {
    /// The library's format; `None` for `all`.
    pub fn format(self) -> Option<provseal::cite::Format> {
        self.0
    }
}

/// Accepts the library's format names and `all`, and lists them in `--help`.
fn cite_format() -> impl clap::builder::TypedValueParser<Value = CiteFormat> {
    let mut names: Vec<&'static str> = provseal::cite::Format::ALL
        .iter()
        .map(|f| f.name())
        .collect();
    names.push("all");
    use clap::builder::TypedValueParser as _;
    clap::builder::PossibleValuesParser::new(names).map(|s| CiteFormat(s.parse().ok()))
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

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Bundles, or directories to search recursively for them (every *.zip
    /// file, and any file whose content is a bundle); `-` reads one bundle
    /// from standard input.
    #[arg(required_unless_present = "from_file")]
    pub inputs: Vec<PathBuf>,
    /// Also verify the paths listed in this file, one per line (`-`: read
    /// the list from standard input).
    #[arg(long, value_name = "LIST")]
    pub from_file: Option<PathBuf>,
    #[command(flatten)]
    pub trust: TrustArgs,
    /// The custody chain head (sha256:…) recorded when the bundle was last
    /// attested: the chain must still contain that event (E066 otherwise).
    #[arg(long, value_name = "DIGEST")]
    pub custody_head: Option<String>,
    /// Bundles verified at once [default: the number of cores].
    #[arg(short = 'j', long = "jobs", value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
    /// Output: human, json (one document), jsonl (one line per bundle, as
    /// results arrive), junit (JUnit XML). Spec §10.
    #[arg(long, value_enum, default_value = "human")]
    pub format: OutputFormat,
    /// Same as --format json.
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
    /// Verify only shard I of N (1-based); the N jobs together cover every
    /// bundle exactly once.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<provseal::archive::batch::Shard>,
    /// Which findings fail the run.
    #[arg(long, value_enum, default_value = "error")]
    pub fail_on: FailOnArg,
    /// Print only the totals.
    #[arg(long)]
    pub summary: bool,
    /// No progress bar.
    #[arg(short, long)]
    pub quiet: bool,
    /// Colour the human output: auto (when stdout is a terminal and
    /// NO_COLOR is not set), always, never.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
    /// Print a citation of each bundle that verified, in this format, on
    /// stdout (the report goes to stderr); say on stderr why the others
    /// are not cited. CSL-JSON citations are merged into one array.
    #[arg(long, value_parser = cite_format(), value_name = "FORMAT")]
    pub cite: Option<CiteFormat>,
    #[command(flatten)]
    pub style: CiteStyleArgs,
}

/// The output formats of `verify`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    Human,
    Json,
    Jsonl,
    Junit,
}

/// When to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// How citations are written.
#[derive(Debug, Args)]
pub struct CiteStyleArgs {
    /// Archive name for CSL-JSON `archive`, RIS `DB` and the evidence clause.
    #[arg(long, default_value = provseal::cite::DEFAULT_ARCHIVE)]
    pub archive: String,
    /// Where the bundle is published, for Robust Links' data-versionurl.
    #[arg(long, value_name = "URL")]
    pub public_url: Option<String>,
    /// Human styles as HTML, with italics as <i>.
    #[arg(long)]
    pub html: bool,
}

#[derive(Debug, Args)]
pub struct CiteArgs {
    /// The bundle to cite.
    pub bundle: PathBuf,
    /// Citation format (all: every format, under headings, or one file each
    /// with --out-dir).
    #[arg(long, value_parser = cite_format(), default_value = "text")]
    pub format: CiteFormat,
    /// With --format all: write one file per format into this directory.
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
    /// With --out-dir: replace files that exist.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub style: CiteStyleArgs,
    #[command(flatten)]
    pub trust: TrustArgs,
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The original's bundle.
    pub original: PathBuf,
    /// The repost's bundle.
    pub repost: PathBuf,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub trust: TrustArgs,
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

/// What a custodian did with the bundle.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ActionArg {
    /// Received it.
    Received,
    /// Reviewed its content.
    Reviewed,
    /// Handed it on.
    Transferred,
    /// Verified it.
    Verified,
}

#[derive(Debug, Args)]
pub struct AttestArgs {
    /// The bundle; it is rewritten in place (atomically) unless -o is given.
    pub bundle: PathBuf,
    /// The custodian's private key (PKCS#8 PEM, possibly encrypted).
    #[arg(long)]
    pub key: PathBuf,
    /// What happened.
    #[arg(long, value_enum)]
    pub action: ActionArg,
    /// Free text (at most 4096 bytes), e.g. from whom it was received.
    #[arg(long)]
    pub note: Option<String>,
    /// When it happened (RFC 3339; default: now).
    #[arg(long)]
    pub time: Option<String>,
    /// Write the attested bundle here instead of replacing the input.
    #[arg(short = 'o', long = "out")]
    pub out: Option<PathBuf>,
    /// Replace -o OUT if it exists.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub tsa: TsaArgs,
}

/// Which catalog: the one in an archive directory, or a file.
#[derive(Debug, Args)]
pub struct CatalogAt {
    /// The archive directory; its catalog is ARCHIVE/catalog.sqlite, and
    /// relative locations are resolved against it.
    #[arg(long, value_name = "ARCHIVE", default_value = ".")]
    pub archive: PathBuf,
    /// The catalog file, if not the archive's own.
    #[arg(long, value_name = "FILE")]
    pub catalog: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum CatalogCommand {
    /// Verify bundles and record them in the catalog (files or directories).
    Add {
        #[command(flatten)]
        at: CatalogAt,
        /// Bundles, or directories to search for them.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Record a bundle even when another location holds the same page.
        #[arg(long)]
        allow_duplicate: bool,
        #[command(flatten)]
        trust: TrustArgs,
        /// Bundles verified at once [default: the number of cores].
        #[arg(short = 'j', long = "jobs", value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
        jobs: Option<u16>,
    },
    /// Find catalogued bundles; every filter given must match.
    Search(CatalogSearchArgs),
    /// Re-verify catalogued bundles and record each result (a fixity check).
    Verify {
        #[command(flatten)]
        at: CatalogAt,
        /// Only bundles last verified longer ago than this (e.g. 30d, 12h, 90m).
        #[arg(long, value_name = "DURATION")]
        older_than: Option<String>,
        /// At most this many, the longest-unchecked first.
        #[arg(long, value_name = "N")]
        limit: Option<usize>,
        #[command(flatten)]
        trust: TrustArgs,
        /// Bundles verified at once [default: the number of cores].
        #[arg(short = 'j', long = "jobs", value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
        jobs: Option<u16>,
        /// Print JSON lines, one per bundle, then a summary line.
        #[arg(long)]
        json: bool,
    },
    /// Build the catalog afresh from the bundles under the archive directory.
    Rebuild {
        #[command(flatten)]
        at: CatalogAt,
        #[command(flatten)]
        trust: TrustArgs,
        /// Bundles verified at once [default: the number of cores].
        #[arg(short = 'j', long = "jobs", value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
        jobs: Option<u16>,
    },
}

#[derive(Debug, Args)]
pub struct CatalogSearchArgs {
    #[command(flatten)]
    pub at: CatalogAt,
    /// The original or a repost URL (compared after normalisation).
    #[arg(long)]
    pub url: Option<String>,
    /// The outlet (whole name, any case).
    #[arg(long)]
    pub publisher: Option<String>,
    /// Published on or after (YYYY-MM-DD or RFC 3339).
    #[arg(long, value_name = "DATE")]
    pub published_from: Option<String>,
    /// Published on or before.
    #[arg(long, value_name = "DATE")]
    pub published_to: Option<String>,
    /// Captured on or after (YYYY-MM-DD or RFC 3339, UTC).
    #[arg(long, value_name = "DATE")]
    pub captured_from: Option<String>,
    /// Captured on or before.
    #[arg(long, value_name = "DATE")]
    pub captured_to: Option<String>,
    /// The signer's key id (sha256:…) or trust-store name.
    #[arg(long)]
    pub signer: Option<String>,
    /// Words the title or article text must all contain.
    #[arg(long)]
    pub text: Option<String>,
    /// At most this many results.
    #[arg(long)]
    pub limit: Option<usize>,
    /// Print JSON (an array of records).
    #[arg(long)]
    pub json: bool,
}

/// `--fail-on`: which findings fail the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOnArg {
    /// Errors (and bundles that are unsigned or untrusted when that was
    /// not accepted): the verifier's own verdict.
    Error,
    /// Warnings as well.
    Warning,
}

impl From<FailOnArg> for provseal::verify::FailOn {
    fn from(a: FailOnArg) -> Self {
        match a {
            FailOnArg::Error => Self::Error,
            FailOnArg::Warning => Self::Warning,
        }
    }
}
