//! Subcommand implementations: each turns flags into library calls and
//! library results into output and an exit code.

/// `eprintln!` for a message that interpolates untrusted values (file
/// names, titles, URLs, server answers): the whole line goes through the
/// one sanitiser, so none of them can break it or act on the terminal.
macro_rules! say {
    ($($arg:tt)*) => {
        eprintln!("{}", provseal::display::inline(&format!($($arg)*)))
    };
}

pub mod args;
mod catalog_cmd;
mod citing;
mod config;
mod keys;
mod pack_batch;
mod render;
mod stamping;
mod trust_cmd;
mod verify_cmd;
mod verify_out;

use std::fs::{self, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, SubsecRound, Utc};
use provseal::archive::remote::S3Config;
use provseal::archive::storage::{Location, Storage};
use provseal::format::manifest::{CaptureMethod, FileRole};
use provseal::format::sign::{self, KeyPair};
use provseal::pack::{self, Overrides, PackRequest};
use provseal::verify::{self, Trust, VerifyOptions};

use args::{
    CaptureArgs, Cli, Command, CompareArgs, MetaArgs, OutArgs, PackArgs, SignArgs, TrustArgs,
};

/// A file-system error on `path`, as one line a person acts on: the name,
/// then what is wrong in words ([`provseal::display::io_words`]).
pub(crate) fn io_at(path: &Path) -> impl Fn(io::Error) -> String + '_ {
    move |e| format!("{}: {}", path.display(), provseal::display::io_words(&e))
}

/// Writes to standard output. A reader that went away (`provseal verify |
/// head`) is not an error worth a message, and must not become a panic.
pub(crate) fn emit(text: &str) -> Result<(), String> {
    use std::io::Write as _;
    let mut stdout = io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|_| stdout.flush())
    {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(format!("standard output: {e}")),
    }
}

/// Removes the partial files an interrupted run left beside `out`, saying
/// so: a killed run leaves no silent debris.
pub(crate) fn report_stale_partials(out: &Path) {
    if Location::is_remote(out) {
        return;
    }
    for p in provseal::archive::atomic::remove_stale_partials_beside(out) {
        say!("removed {}, left by an interrupted run", p.display());
    }
}

/// A machine output's JSON text: exact values, with every character a
/// terminal could act on written as a `\uXXXX` escape
/// ([`provseal::display::json_text`]), so that `--json` piped to a screen
/// is as safe as the human output.
pub(crate) fn json_out(v: &impl serde::Serialize, pretty: bool) -> String {
    let text = if pretty {
        serde_json::to_string_pretty(v)
    } else {
        serde_json::to_string(v)
    }
    .expect("JSON values serialise");
    provseal::display::json_text(&text).into_owned()
}

/// What a command found, which `main` maps to the documented exit codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything asked for was done and passed: exit 0.
    Passed,
    /// It ran to the end, and a bundle failed verification (or a directory
    /// could not be read, or nothing was found): exit 1.
    Failed,
}

impl Outcome {
    /// The exit code README.md documents for it.
    pub fn code(self) -> std::process::ExitCode {
        match self {
            Outcome::Passed => std::process::ExitCode::SUCCESS,
            Outcome::Failed => std::process::ExitCode::from(1),
        }
    }
}

/// A usage or operational error that stopped the command (exit 2): one
/// line naming the file or value and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliError(pub String);

impl From<String> for CliError {
    fn from(s: String) -> Self {
        CliError(s)
    }
}

impl From<&str> for CliError {
    fn from(s: &str) -> Self {
        CliError(s.to_string())
    }
}

impl std::fmt::Display for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A command's result.
pub type CliResult = Result<Outcome, CliError>;

pub fn run(mut cli: Cli) -> CliResult {
    config::Defaults::load(cli.config.as_deref())?.apply(&mut cli.command);
    let s3 = cli
        .command
        .s3()
        .map_or(cli.s3.clone(), |after| after.or(&cli.s3));
    let mut config = S3Config::default();
    config.endpoint = s3.endpoint;
    config.timeout = std::time::Duration::from_secs(s3.s3_timeout.unwrap_or(30).max(1));
    config.instance_credentials = s3.s3_instance_credentials;
    // Its client is made only if a command reaches an s3:// URI.
    let storage = Storage::new(config, usize::from(s3.s3_requests.unwrap_or(64)));
    let s = &storage;
    match cli.command {
        Command::Key(k) => keys::run(k),
        Command::Trust(t) => trust_cmd::run(t),
        Command::Attest(a) => stamping::attest_cmd(&a),
        Command::Catalog(c) => catalog_cmd::run(c, s),
        Command::Pack(a) => pack_cmd(*a, s),
        Command::Capture(a) => capture_cmd(*a, s),
        Command::Verify(a) => verify_cmd::verify_cmd(&a, s),
        Command::Cite(a) => citing::cite_cmd(&a, s),
        Command::Compare(a) => compare_cmd(&a, s),
        Command::Inspect { bundle, .. } => inspect_cmd(&bundle, s),
        Command::Extract { input, json } => extract_cmd(&input, json),
        Command::Completions { shell } => {
            let mut out = Vec::new();
            clap_complete::generate(
                shell,
                &mut <Cli as clap::CommandFactory>::command(),
                "provseal",
                &mut out,
            );
            emit(&String::from_utf8_lossy(&out))?;
            Ok(Outcome::Passed)
        }
        Command::Manpage => {
            let mut out = Vec::new();
            clap_mangen::Man::new(<Cli as clap::CommandFactory>::command())
                .render(&mut out)
                .map_err(|e| format!("the manual page: {e}"))?;
            emit(&String::from_utf8_lossy(&out))?;
            Ok(Outcome::Passed)
        }
    }
}

fn with_ext(prefix: &Path, ext: &str) -> PathBuf {
    let mut s = prefix.as_os_str().to_owned();
    s.push(ext);
    PathBuf::from(s)
}

/// Creates a file that must not exist yet, with the given Unix mode.
pub(crate) fn write_new(path: &Path, bytes: &[u8], mode: u32) -> Result<(), String> {
    let mut opts = OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(mode);
    }
    #[cfg(not(unix))]
    let _ = mode;
    let mut f = opts.open(path).map_err(io_at(path))?;
    f.write_all(bytes)
        .and_then(|_| f.sync_all())
        .map_err(io_at(path))
}

fn read_input(input: &Path) -> Result<(Vec<u8>, Option<String>, CaptureMethod), String> {
    if input.as_os_str() == "-" {
        let mut buf = Vec::new();
        io::stdin()
            .read_to_end(&mut buf)
            .map_err(|e| format!("standard input: {e}"))?;
        Ok((buf, None, CaptureMethod::Stdin))
    } else {
        let bytes = fs::read(input).map_err(io_at(input))?;
        let name = input.file_name().map(|n| n.to_string_lossy().into_owned());
        Ok((bytes, name, CaptureMethod::LocalFile))
    }
}

impl MetaArgs {
    fn into_overrides(self) -> Overrides {
        Overrides {
            title: self.title,
            subtitle: self.subtitle,
            authors: self.authors,
            publisher: self.publisher,
            section: self.section,
            published: self.published,
            language: self.language,
            original_url: self.original_url,
            repost_urls: self.repost_urls,
        }
    }
}

fn signing_key(s: &SignArgs) -> Result<Option<KeyPair>, String> {
    if s.key.is_none() && !s.unsigned {
        return Err(
            "nothing to sign with: give --key KEY (or set PROVSEAL_KEY, or key in the config file), or --unsigned for an unsigned bundle".into(),
        );
    }
    s.key.as_deref().map(keys::read_private).transpose()
}

/// Checks, before any work, that the folder `dir` exists, creating it
/// (and any folder above it) with `parents`. Objects in a bucket need no
/// folder.
pub(crate) fn ensure_folder(dir: &Path, parents: bool) -> Result<(), String> {
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    if Location::is_remote(dir) {
        return Ok(());
    }
    match fs::metadata(dir) {
        Ok(m) if m.is_dir() => Ok(()),
        Ok(_) => Err(format!("{}: is a file, not a folder", dir.display())),
        Err(_) if parents => fs::create_dir_all(dir).map_err(io_at(dir)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            Err(provseal::archive::atomic::WriteError::NoFolder(dir.to_path_buf()).to_string())
        }
        Err(e) => Err(io_at(dir)(e)),
    }
}

/// The folder a file goes in.
pub(crate) fn folder_of(file: &Path) -> &Path {
    file.parent().unwrap_or(Path::new(""))
}

/// The `-o OUT` of pack and capture, if given, refused up front when its
/// folder is missing (unless `parents`) or it exists and `--force` was not
/// given.
fn out_target(
    out: Option<PathBuf>,
    force: bool,
    parents: bool,
    storage: &Storage,
) -> Result<Option<OutArgs>, String> {
    let out = out.map(|out| OutArgs { out, force });
    if let Some(o) = &out {
        ensure_folder(folder_of(&o.out), parents)?;
        refuse_existing(o, storage)?;
    }
    Ok(out)
}

fn refuse_existing(o: &OutArgs, storage: &Storage) -> Result<(), String> {
    if !o.force && storage.exists(&o.out).map_err(|e| e.to_string())? {
        return Err(format!(
            "{}: already exists (use --force to replace it)",
            o.out.display()
        ));
    }
    Ok(())
}

fn write_bundle(o: &OutArgs, packed: &pack::Packed, storage: &Storage) -> CliResult {
    report_stale_partials(&o.out);
    storage
        .write(&o.out, &packed.bytes, o.force)
        .map_err(|e| e.to_string())?;
    emit(&format!("{}\n", packed.bundle_id))?;
    say!(
        "wrote {} ({} bytes): {}",
        o.out.display(),
        packed.bytes.len(),
        packed.manifest.article.title
    );
    Ok(Outcome::Passed)
}

/// The number of threads for `-j N`: N, or by default the number of cores.
pub(crate) fn threads(jobs: Option<u16>) -> usize {
    jobs.map(usize::from)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from))
}

/// Writes a new bundle to `-o OUT`, or stores it in an archive (whose
/// catalog is `catalog`, or the archive's own).
fn deliver(
    out: Option<&OutArgs>,
    into: Option<&Path>,
    catalog: Option<&Path>,
    packed: &pack::Packed,
    storage: &Storage,
) -> CliResult {
    for n in &packed.notes {
        say!("note: {n}");
    }
    match (out, into) {
        (_, Some(archive)) => catalog_cmd::store_into(archive, catalog, packed, storage),
        (Some(o), None) => write_bundle(o, packed, storage),
        (None, None) => Err("give -o OUT or --into ARCHIVE".into()),
    }
}

/// A time given on the command line (`flag` names it in the message): an
/// RFC 3339 time, or a date alone (as `--published` takes), which is
/// midnight UTC that day.
pub(crate) fn parse_time(flag: &str, s: &str) -> Result<DateTime<Utc>, String> {
    let t = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(t) {
        return Ok(t.with_timezone(&Utc));
    }
    if let Ok(d) = chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return Ok(d.and_time(chrono::NaiveTime::MIN).and_utc());
    }
    Err(format!(
        "{flag}: {s:?} is not a time: write 2024-03-15T08:30:00Z (RFC 3339, in UTC or with an offset such as +09:00), or a date, 2024-03-15, for midnight UTC"
    ))
}

/// `--captured-at`, or now to the second.
fn parse_captured_at(s: Option<&str>) -> Result<DateTime<Utc>, String> {
    match s {
        Some(s) => parse_time("--captured-at", s),
        None => Ok(Utc::now().trunc_subsecs(0)),
    }
}

fn pack_cmd(a: PackArgs, storage: &Storage) -> CliResult {
    let key = signing_key(&a.sign)?;
    if let Some(jobs) = &a.batch {
        return pack_batch::run(jobs, key.as_ref(), &a, storage);
    }
    let Some(input) = a.input.clone() else {
        return Err(
            "pack needs an input and -o OUT or --into ARCHIVE (or --batch JOBS.jsonl)".into(),
        );
    };
    let captured_at = parse_captured_at(a.captured_at.as_deref())?;
    let out = out_target(a.out.clone(), a.force, a.parents, storage)?;
    let (bytes, name_hint, method) = read_input(&input)?;
    let mut req = PackRequest::new(bytes, method, captured_at);
    req.name_hint = name_hint;
    req.overrides = a.meta.into_overrides();
    let label = if input.as_os_str() == "-" {
        "standard input".into()
    } else {
        input.display().to_string()
    };
    let mut packed = pack::pack(&req, key.as_ref()).map_err(|e| format!("{label}: {e}"))?;
    packed.bytes = stamping::stamp_packed(&a.tsa, packed.bytes)?;
    deliver(
        out.as_ref(),
        a.into.as_deref(),
        a.catalog.as_deref(),
        &packed,
        storage,
    )
}

fn capture_cmd(a: CaptureArgs, storage: &Storage) -> CliResult {
    let key = signing_key(&a.sign)?;
    let out = out_target(a.out.clone(), a.force, a.parents, storage)?;
    if !a.tsa.tsa.is_empty() && key.is_none() {
        return Err("--tsa stamps the bundle's signature: give --key".into());
    }
    let mut opts = provseal::capture::FetchOptions::default();
    opts.timeout = std::time::Duration::from_secs(a.timeout.max(1));
    opts.max_bytes = a.max_bytes;
    opts.user_agent = a.user_agent;
    opts.allow_status = a.allow_status;
    opts.allow_private_redirects = a.allow_private_redirects;
    // One deadline for the whole capture: each page gets what is left.
    let deadline = std::time::Instant::now() + opts.timeout;
    let clock = || Utc::now().trunc_subsecs(0);
    let fetched = provseal::capture::fetch(&a.url, &opts, &clock).map_err(|e| e.to_string())?;
    let mut also = Vec::new();
    for url in a.also.iter().filter(|u| **u != a.url) {
        opts.timeout = deadline.saturating_duration_since(std::time::Instant::now());
        if opts.timeout.is_zero() {
            return Err(format!(
                "{url}: timed out: the whole capture is limited to {} s (--timeout)",
                a.timeout.max(1)
            )
            .into());
        }
        also.push(provseal::capture::fetch(url, &opts, &clock).map_err(|e| e.to_string())?);
    }
    let captured_at = fetched.last().retrieved_at;
    let mut packed = provseal::pack::fetched::pack_captures(
        &fetched,
        &also,
        &a.meta.into_overrides(),
        captured_at,
        key.as_ref(),
    )
    .map_err(|e| format!("{}: {e}", a.url))?;
    packed.bytes = stamping::stamp_packed(&a.tsa, packed.bytes)?;
    deliver(
        out.as_ref(),
        a.into.as_deref(),
        a.catalog.as_deref(),
        &packed,
        storage,
    )
}

pub(crate) fn verify_options(t: &TrustArgs) -> Result<VerifyOptions, String> {
    let mut opts = VerifyOptions::new(Utc::now());
    for p in &t.tsa_root {
        let bytes = fs::read(p).map_err(io_at(p))?;
        opts.tsa_roots.extend(
            provseal::format::timestamp::pki::read_certificates(&bytes)
                .map_err(|e| format!("{}: not a certificate: {e}", p.display()))?,
        );
    }
    // clap refuses --trust with --trust-store, and --allow-unsigned with
    // either, so exactly one of these arms applies to what was asked.
    opts.trust = if let Some(p) = &t.trust_store {
        let store = trust_cmd::load(p)?;
        opts.tsa_roots
            .extend(store.tsas.iter().map(|t| t.root.clone()));
        Trust::Store(store)
    } else if !t.trust.is_empty() {
        let mut keys = Vec::new();
        for p in &t.trust {
            let text = fs::read_to_string(p).map_err(io_at(p))?;
            keys.push(
                sign::public_key_from_pem(&text).map_err(|e| format!("{}: {e}", p.display()))?,
            );
        }
        Trust::Keys(keys)
    } else {
        Trust::Anyone {
            allow_unsigned: t.allow_unsigned,
        }
    };
    Ok(opts)
}

pub(crate) fn verify_one(
    path: &Path,
    opts: &VerifyOptions,
    storage: &Storage,
) -> Result<verify::Report, String> {
    storage.verify_one(path, opts).map_err(|e| e.to_string())
}

fn compare_cmd(a: &CompareArgs, storage: &Storage) -> CliResult {
    let opts = verify_options(&a.trust)?;
    let mut sides = Vec::new();
    for path in [&a.original, &a.repost] {
        let verified = storage
            .verify_with_text(path, &opts)
            .map_err(|e| e.to_string())?;
        let report = verified.report;
        let (Some(m), Some(id), true) = (
            report.manifest.clone(),
            report.bundle_id.clone(),
            report.passed,
        ) else {
            eprint!(
                "{}",
                verify_out::human_block(path, &report, false, provseal::verify::FailOn::Error)
            );
            say!(
                "provseal: {}: not compared: the bundle did not verify",
                path.display()
            );
            return Ok(Outcome::Failed);
        };
        let text = verified
            .text
            .ok_or_else(|| format!("{}: the article text cannot be read", path.display()))?;
        let text = String::from_utf8(text)
            .map_err(|_| format!("{}: the article text is not UTF-8", path.display()))?;
        sides.push((m, id, text));
    }
    let source = |m: &provseal::format::manifest::Manifest| {
        m.file_with_role(FileRole::Source).map(|f| f.sha256.clone())
    };
    let same_bytes = source(&sides[0].0).is_some() && source(&sides[0].0) == source(&sides[1].0);
    let c = provseal::compare::compare(&sides[0].2, &sides[1].2, same_bytes);
    emit(&render::comparison(
        &a.original,
        &a.repost,
        &sides[0].1,
        &sides[1].1,
        &sides[0].2,
        &c,
        a.json,
    ))?;
    Ok(Outcome::Passed)
}

fn inspect_cmd(bundle: &Path, storage: &Storage) -> CliResult {
    // Inspect reports what is there without judging it, so trust and the
    // clock are irrelevant; the verifier still does the parsing safely.
    let opts = VerifyOptions::new(Utc::now()).with_trust(Trust::Anyone {
        allow_unsigned: true,
    });
    let report = verify_one(bundle, &opts, storage)?;
    emit(&render::inspect(bundle, &report))?;
    Ok(Outcome::Passed)
}

fn extract_cmd(input: &Path, json: bool) -> CliResult {
    let (bytes, name, _) = read_input(input)?;
    if let Some(what) = provseal::extract::sniff::not_a_page(&bytes) {
        return Err(format!("{}: {}", input.display(), pack::PackError::NotAPage(what)).into());
    }
    let kind = provseal::extract::InputKind::detect(name.as_deref(), &bytes);
    let ex = provseal::extract::extract(kind, &bytes);
    emit(&render::extracted(kind, &ex, json))?;
    Ok(Outcome::Passed)
}
