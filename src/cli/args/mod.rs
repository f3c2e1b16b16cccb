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
    /// Object-storage options may come before the command too.
    #[command(flatten)]
    pub s3: S3Args,
    /// The config file of defaults (key, trust_store, tsa, archive,
    /// endpoint) [default: $XDG_CONFIG_HOME/provseal/config.toml]. Flags
    /// win over the environment, which wins over the file.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// How to reach S3-compatible object storage; offered only by the
/// commands that read or write `s3://` URIs (and before any command), so
/// that `key show --help` does not list them. A value given after the
/// command wins over one given before it.
#[derive(Debug, Args, Default, Clone)]
#[command(next_help_heading = S3_HEADING)]
pub struct S3Args {
    /// Endpoint URL of an S3-compatible server for s3:// URIs (Garage,
    /// MinIO, Ceph, …); by default AWS_ENDPOINT_URL, the profile's
    /// endpoint_url, or AWS itself.
    #[arg(long, value_name = "URL")]
    pub endpoint: Option<String>,
    /// Seconds to wait for each object-store request before failing it
    /// [default: 30].
    #[arg(long, value_name = "SECONDS")]
    pub s3_timeout: Option<u64>,
    /// Object-store requests kept in flight when verifying s3:// objects;
    /// -j still bounds the verifying itself. Each holds at most one bundle
    /// of up to 4 MiB in memory (larger ones are read in 8 MiB ranges)
    /// [default: 64].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
    pub s3_requests: Option<u16>,
    /// With no credentials in the environment or the AWS profile, ask the
    /// cloud instance-metadata service for them (on a cloud machine whose
    /// role gives access). Without it, such requests go unsigned and no
    /// other address is contacted.
    #[arg(long)]
    pub s3_instance_credentials: bool,
}

impl S3Args {
    /// These options, with any not given here taken from `before` (the
    /// ones given before the command).
    pub fn or(&self, before: &S3Args) -> S3Args {
        S3Args {
            endpoint: self.endpoint.clone().or(before.endpoint.clone()),
            s3_timeout: self.s3_timeout.or(before.s3_timeout),
            s3_requests: self.s3_requests.or(before.s3_requests),
            s3_instance_credentials: self.s3_instance_credentials || before.s3_instance_credentials,
        }
    }
}

/// The heading the object-storage options are listed under: they matter
/// only where a path is an `s3://` URI.
const S3_HEADING: &str = "Object storage (only for s3:// URIs)";

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Manage Ed25519 signing keys.
    #[command(subcommand)]
    #[command(
        after_help = "Examples:\n  provseal key generate --out ~/keys/newsroom --encrypt\n  provseal key show ~/keys/newsroom.pub\n  provseal key export-public ~/keys/newsroom.key -o newsroom.pub"
    )]
    Key(KeyCommand),
    /// Pack a saved article (.txt or .html, or - for stdin) into a signed bundle.
    #[command(
        after_help = "Examples:\n  provseal pack saved.html --key ~/keys/newsroom.key -o evidence/991.zip\n  provseal pack saved.txt --key k.key --repost-url 'https://portal.example.net/news/view?id=991' --into archive/\n  provseal pack --batch jobs.jsonl --key k.key"
    )]
    Pack(Box<PackArgs>),
    /// Fetch a page over HTTP(S) and pack it, with every request and response as WARC records.
    #[command(
        after_help = "Examples:\n  provseal capture 'https://news.example.org/a' --key k.key -o evidence/a.zip\n  provseal capture 'https://portal.example.net/r' --also 'https://news.example.org/a' --key k.key --into archive/"
    )]
    Capture(Box<CaptureArgs>),
    /// Verify bundles: container, files, signature, trust. Exit 0 only if every bundle verified.
    #[command(
        after_help = "Examples:\n  provseal verify evidence/a.zip --trust newsroom.pub\n  provseal verify archive/ --trust-store trust.toml -j 8 --format junit > report.xml\n  provseal verify evidence/ --json --summary"
    )]
    Verify(VerifyArgs),
    /// Verify a bundle, then print a citation of it.
    #[command(
        after_help = "Examples:\n  provseal cite evidence/a.zip --trust newsroom.pub --format chicago\n  provseal cite evidence/a.zip --trust-store trust.toml --format all --out-dir cites/ --parents"
    )]
    Cite(CiteArgs),
    /// Compare a repost's bundle with the original's: identical, same text, truncated, edited or different.
    #[command(
        after_help = "Examples:\n  provseal compare original.zip repost.zip --trust newsroom.pub\n  provseal compare original.zip repost.zip --json"
    )]
    Compare(CompareArgs),
    /// Keep a searchable catalog of an archive's bundles (SQLite; rebuildable from the bundles).
    #[command(subcommand)]
    #[command(
        after_help = "Examples:\n  provseal catalog add --archive archive/ old-evidence/ --trust newsroom.pub\n  provseal catalog search --archive archive/ --publisher 'Daily NK' --published-from 2018-05\n  provseal catalog verify --archive archive/ --older-than 30d --limit 5000"
    )]
    Catalog(CatalogCommand),
    /// Append a signed custody event (received, reviewed, transferred, verified) to a bundle.
    #[command(
        after_help = "Examples:\n  provseal attest evidence/a.zip --key desk.key --action received --note \"from the newsroom\"\n  provseal attest evidence/a.zip --key desk.key --action transferred -o handed-over.zip"
    )]
    Attest(AttestArgs),
    /// Manage a trust store (spec §8.2): named signers, their keys, validity and revocation.
    #[command(subcommand)]
    #[command(
        after_help = "Examples:\n  provseal trust add --store trust.toml --name \"Example Newsroom\" newsroom.pub\n  provseal trust revoke --store trust.toml sha256:… --at 2025-06-01T00:00:00Z --reason \"laptop stolen\"\n  provseal trust list --store trust.toml"
    )]
    Trust(TrustCommand),
    /// Show what a bundle holds, without a verdict.
    #[command(
        after_help = "Examples:\n  provseal inspect evidence/a.zip\n  provseal inspect s3://evidence/news/2018/05/27/ab12….zip"
    )]
    Inspect {
        /// The bundle.
        bundle: PathBuf,
        #[command(flatten)]
        s3: S3Args,
    },
    /// Show what pack would extract from an input file, without packing.
    #[command(
        after_help = "Examples:\n  provseal extract saved.html\n  provseal extract saved.txt --json"
    )]
    Extract {
        /// A .txt or .html file, or - for stdin.
        input: PathBuf,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Print a shell completion script (bash, zsh, fish, powershell or elvish).
    #[command(
        after_help = "Examples:\n  provseal completions bash > ~/.local/share/bash-completion/completions/provseal\n  provseal completions zsh > \"${fpath[1]}/_provseal\"\n  provseal completions fish > ~/.config/fish/completions/provseal.fish"
    )]
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), for man(1).
    #[command(
        after_help = "Examples:\n  provseal manpage > provseal.1 && man ./provseal.1\n  provseal manpage | gzip > /usr/local/share/man/man1/provseal.1.gz"
    )]
    Manpage,
}

impl Command {
    /// The object-storage options given after the command, for the
    /// commands that take them.
    pub fn s3(&self) -> Option<&S3Args> {
        match self {
            Command::Pack(a) => Some(&a.s3),
            Command::Capture(a) => Some(&a.s3),
            Command::Verify(a) => Some(&a.s3),
            Command::Cite(a) => Some(&a.s3),
            Command::Compare(a) => Some(&a.s3),
            Command::Inspect { s3, .. } => Some(s3),
            Command::Catalog(CatalogCommand::Add { s3, .. })
            | Command::Catalog(CatalogCommand::Verify { s3, .. })
            | Command::Catalog(CatalogCommand::Rebuild { s3, .. }) => Some(s3),
            _ => None,
        }
    }
}

#[derive(Debug, Args)]
pub struct SignArgs {
    /// Private key (PKCS#8 PEM) to sign with [default: PROVSEAL_KEY, or
    /// `key` in the config file].
    #[arg(long)]
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
    /// their validity and revocation at signing time [default, when no
    /// --trust or --allow-unsigned is given: PROVSEAL_TRUST_STORE, or
    /// `trust_store` in the config file].
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

#[cfg(test)]
mod tests {
    use clap::{CommandFactory, Parser};

    use super::Cli;

    /// The words of one example line, as a shell would split them, up to
    /// a redirection, a pipe or `&&`; `None` unless it runs provseal.
    fn example_args(line: &str) -> Option<Vec<String>> {
        let line = line.trim();
        let line = line.strip_prefix("PROVSEAL_PASSPHRASE=… ").unwrap_or(line);
        if !line.starts_with("provseal ") {
            return None;
        }
        let mut words = Vec::new();
        let mut word = String::new();
        let mut quote = None;
        for c in line.chars() {
            match (quote, c) {
                (None, '\'' | '"') => quote = Some(c),
                (Some(q), c) if c == q => quote = None,
                (None, ' ') => {
                    if !word.is_empty() {
                        words.push(std::mem::take(&mut word));
                    }
                }
                (_, c) => word.push(c),
            }
        }
        if !word.is_empty() {
            words.push(word);
        }
        let end = words
            .iter()
            .position(|w| [">", "|", "&&"].contains(&w.as_str()))
            .unwrap_or(words.len());
        Some(words[..end].to_vec())
    }

    fn walk(cmd: &clap::Command, found: &mut Vec<(String, String)>) {
        if let Some(help) = cmd.get_after_help() {
            for line in help.to_string().lines() {
                if line.trim().starts_with("provseal ") || line.contains("provseal ") {
                    found.push((cmd.get_name().to_string(), line.to_string()));
                }
            }
        }
        for sub in cmd.get_subcommands() {
            walk(sub, found);
        }
    }

    #[test]
    fn every_example_in_the_help_parses() {
        let mut found = Vec::new();
        walk(&Cli::command(), &mut found);
        assert!(found.len() > 30, "{found:?}");
        for (cmd, line) in found {
            let Some(args) = example_args(&line) else {
                continue;
            };
            if let Err(e) = Cli::try_parse_from(&args) {
                panic!("the example of {cmd:?} does not parse: {line}\n{e}");
            }
        }
    }

    #[test]
    fn every_command_ends_its_help_with_examples() {
        fn check(cmd: &clap::Command, path: &str) {
            let path = format!("{path} {}", cmd.get_name());
            if cmd.get_subcommands().next().is_none() && cmd.get_name() != "help" {
                let help = cmd
                    .get_after_help()
                    .map(|h| h.to_string())
                    .unwrap_or_default();
                assert!(
                    help.starts_with("Examples:\n  provseal"),
                    "{path} has no examples"
                );
            }
            for sub in cmd.get_subcommands() {
                check(sub, &path);
            }
        }
        check(&Cli::command(), "");
    }
}
