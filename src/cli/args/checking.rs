//! Flags of the commands that check and use bundles: `verify`, `cite`
//! and `compare`.

use std::path::PathBuf;

use clap::Args;

use super::TrustArgs;

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
    #[command(flatten)]
    pub s3: super::S3Args,
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
    /// Human styles give the source's SHA-256 and the signer's full key id
    /// too (by default: the bundle id in full, which leads to both, and a
    /// short key id; the machine formats always give all three).
    #[arg(long)]
    pub full_evidence: bool,
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
    /// With --out-dir: create the folder (and any above it) when it does
    /// not exist; without it, a missing folder is an error.
    #[arg(long, requires = "out_dir")]
    pub parents: bool,
    #[command(flatten)]
    pub style: CiteStyleArgs,
    #[command(flatten)]
    pub trust: TrustArgs,
    #[command(flatten)]
    pub s3: super::S3Args,
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
    #[command(flatten)]
    pub s3: super::S3Args,
}
