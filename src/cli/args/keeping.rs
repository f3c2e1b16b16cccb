//! Flags of the commands that keep keys, trust, custody and the catalog:
//! `key`, `trust`, `attest` and `catalog`.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::{TrustArgs, TsaArgs};

#[derive(Debug, Subcommand)]
pub enum TrustCommand {
    /// Add a signer's public key (the file is created if it does not exist).
    #[command(
        after_help = "Examples:\n  provseal trust add --store trust.toml --name \"Example Newsroom\" newsroom.pub\n  provseal trust add --store trust.toml --name \"Example Newsroom\" new.pub --not-before 2026-01-01T00:00:00Z"
    )]
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
    #[command(
        after_help = "Examples:\n  provseal trust add-tsa --store trust.toml --name \"Example TSA\" tsa-root.pem"
    )]
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
    #[command(after_help = "Examples:\n  provseal trust list --store trust.toml")]
    List {
        /// The trust store file.
        #[arg(long)]
        store: PathBuf,
    },
    /// Revoke a key from a time on: bundles signed from then on fail (E043).
    #[command(
        after_help = "Examples:\n  provseal trust revoke --store trust.toml sha256:… --at 2025-06-01T00:00:00Z --reason \"laptop stolen\""
    )]
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
    #[command(
        after_help = "Examples:\n  provseal trust retire --store trust.toml sha256:… --at 2026-01-01T00:00:00Z"
    )]
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
    #[command(
        after_help = "Examples:\n  provseal key generate --out ~/keys/newsroom\n  PROVSEAL_PASSPHRASE=… provseal key generate --out ~/keys/newsroom --encrypt"
    )]
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
    #[command(
        after_help = "Examples:\n  provseal key show ~/keys/newsroom.key\n  provseal key show newsroom.pub"
    )]
    Show {
        /// The key file.
        file: PathBuf,
    },
    /// Print the public key (SPKI PEM) of a private key file.
    #[command(
        after_help = "Examples:\n  provseal key export-public ~/keys/newsroom.key -o newsroom.pub"
    )]
    ExportPublic {
        /// The private key file.
        file: PathBuf,
        /// Write it here (a new file) instead of standard output.
        #[arg(short = 'o', long = "out")]
        out: Option<PathBuf>,
    },
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
    /// The custodian's private key (PKCS#8 PEM, possibly encrypted)
    /// [default: PROVSEAL_KEY, or `key` in the config file].
    #[arg(long)]
    pub key: Option<PathBuf>,
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

impl CatalogAt {
    /// The archive: as given, or the current folder.
    pub fn archive(&self) -> PathBuf {
        self.archive.clone().unwrap_or_else(|| PathBuf::from("."))
    }
}

/// Which catalog: the one in an archive directory, or a file.
#[derive(Debug, Args)]
pub struct CatalogAt {
    /// The archive directory; its catalog is ARCHIVE/catalog.sqlite, and
    /// relative locations are resolved against it.
    /// [default: PROVSEAL_ARCHIVE, `archive` in the config file, or the
    /// current folder].
    #[arg(long, value_name = "ARCHIVE")]
    pub archive: Option<PathBuf>,
    /// The catalog file, if not the archive's own.
    #[arg(long, value_name = "FILE")]
    pub catalog: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum CatalogCommand {
    /// Verify bundles and record them in the catalog (files or directories).
    #[command(
        after_help = "Examples:\n  provseal catalog add --archive archive/ old-evidence/ --trust newsroom.pub\n  provseal catalog add --archive s3://evidence/news --catalog news.sqlite s3://evidence/news/"
    )]
    Add {
        #[command(flatten)]
        at: CatalogAt,
        #[command(flatten)]
        s3: super::S3Args,
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
    #[command(
        after_help = "Examples:\n  provseal catalog search --archive archive/ --url 'dailynk.com/english/read.php?num=15210'\n  provseal catalog search --archive archive/ --publisher 'Daily NK' --published-from 2018-05 --published-to 2018-05-31\n  provseal catalog search --archive archive/ --text 'defector family' --json"
    )]
    Search(CatalogSearchArgs),
    /// Re-verify catalogued bundles and record each result (a fixity check).
    #[command(
        after_help = "Examples:\n  provseal catalog verify --archive archive/ --older-than 30d --limit 5000 --trust-store trust.toml\n  provseal catalog verify --archive archive/ --json > fixity.jsonl"
    )]
    Verify {
        #[command(flatten)]
        at: CatalogAt,
        #[command(flatten)]
        s3: super::S3Args,
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
    #[command(
        after_help = "Examples:\n  provseal catalog rebuild --archive archive/ --trust-store trust.toml"
    )]
    Rebuild {
        #[command(flatten)]
        at: CatalogAt,
        #[command(flatten)]
        s3: super::S3Args,
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
