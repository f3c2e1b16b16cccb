//! `cite`, and the citations of `verify --cite`.

use std::process::ExitCode;

use provseal::cite::{self, CiteSource, Format, Markup};
use std::path::Path;

use provseal::atomic;
use provseal::display;
use provseal::verify::{Failure, Report, State};

use super::args::{CiteArgs, CiteStyleArgs};
use super::{CliResult, emit, verify_one, verify_options, verify_out};

/// Citation settings that do not depend on the bundle.
pub struct Style {
    pub archive: String,
    pub public_url: Option<String>,
    pub markup: Markup,
}

pub fn style(a: &CiteStyleArgs) -> Style {
    Style {
        archive: a.archive.clone(),
        public_url: a.public_url.clone(),
        markup: if a.html { Markup::Html } else { Markup::Plain },
    }
}

/// The citation source of a bundle that verified; `None` for the rest.
pub fn source<'a>(r: &'a Report, style: &'a Style) -> Option<CiteSource<'a>> {
    match (&r.manifest, &r.bundle_id, r.passed) {
        (Some(manifest), Some(bundle_id), true) => Some(CiteSource {
            manifest,
            bundle_id,
            archive: &style.archive,
            public_url: style.public_url.as_deref(),
        }),
        _ => None,
    }
}

/// Why a bundle is not cited, in words: a citation vouches for what it
/// cites, so only a bundle that verified gets one.
pub fn not_cited_reason(r: &Report) -> String {
    if r.passed {
        return "it verified".into();
    }
    if r.state == State::Invalid {
        let codes: Vec<String> = r
            .findings
            .iter()
            .filter(|f| f.severity == provseal::Severity::Error)
            .map(|f| f.code.to_string())
            .collect();
        return format!("it is invalid ({})", codes.join(", "));
    }
    let why: Vec<String> = r
        .failures()
        .iter()
        .map(|f| match f {
            Failure::Unsigned => {
                "it is unsigned, so nobody vouches for it (--allow-unsigned accepts it)".to_string()
            }
            Failure::SignerNotTrusted(provseal::Code::SignerUntrusted) => format!(
                "its signer {} is not among the --trust keys",
                r.signer.as_ref().map_or("?", |s| s.key_id.as_str())
            ),
            other => other.words().to_string(),
        })
        .collect();
    if why.is_empty() {
        "it did not verify".into()
    } else {
        why.join("; ")
    }
}

pub fn cite_cmd(a: &CiteArgs) -> CliResult {
    let opts = verify_options(&a.trust)?;
    let report = verify_one(&a.bundle, &opts)?;
    let style = style(&a.style);
    let Some(src) = source(&report, &style) else {
        let reason = not_cited_reason(&report);
        eprint!(
            "{}",
            verify_out::human_block(&a.bundle, &report, false, verify_out::FailOn::Error)
        );
        say!("provseal: {}: not cited: {reason}", a.bundle.display());
        return Ok(ExitCode::from(1));
    };
    if report.state == State::IntactUntrusted {
        // A citation of a bundle nobody was asked to trust proves only
        // that its files are intact: say so where a person will see it.
        say!(
            "note: {}: the signer {} is not known to be trusted (no --trust or --trust-store given): the citation shows the bundle is intact, not who vouches for it",
            a.bundle.display(),
            report.signer.as_ref().map_or("?", |s| s.key_id.as_str())
        );
    }
    match (a.format.format(), &a.out_dir) {
        (Some(_), Some(_)) => return Err("--out-dir goes with --format all".into()),
        (Some(f), None) => emit(&cite::render(f, &src, style.markup))?,
        (None, None) => emit(&cite::render_all(&src, style.markup))?,
        (None, Some(dir)) => write_all(dir, &src, &style, a.force)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// `cite --format all --out-dir DIR`: one file per format. Every name is
/// checked before anything is written, so a refusal writes nothing; each
/// file is written atomically, replacing (never following) a symbolic
/// link, and an existing name only with `--force`.
fn write_all(dir: &Path, src: &CiteSource, style: &Style, force: bool) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let files: Vec<(std::path::PathBuf, String)> = Format::ALL
        .iter()
        .map(|f| {
            (
                dir.join(f.file_name(style.markup)),
                cite::render(*f, src, style.markup),
            )
        })
        .collect();
    if !force && let Some((p, _)) = files.iter().find(|(p, _)| atomic::name_taken(p)) {
        return Err(format!(
            "{}: already exists (use --force to replace it); nothing was written",
            p.display()
        ));
    }
    super::report_stale_partials(&dir.join("x"));
    let mut listed = String::new();
    for (path, text) in &files {
        atomic::write_atomically(path, text.as_bytes(), force).map_err(|e| e.to_string())?;
        listed.push_str(&format!("{}\n", display::path(path)));
    }
    emit(&listed)
}
