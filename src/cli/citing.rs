//! `cite`, and the citations of `verify --cite`.

use provseal::cite::{self, CiteSource, Format, Markup};
use std::path::Path;

use provseal::archive::atomic;
use provseal::display;
use provseal::verify::State;

use super::args::{CiteArgs, CiteStyleArgs};
use super::{CliResult, Outcome, emit, verify_one, verify_options, verify_out};

/// The library's citation settings from the command line's.
pub fn style(a: &CiteStyleArgs) -> cite::Style {
    let mut style = cite::Style::new(
        a.archive.clone(),
        a.public_url.clone(),
        if a.html { Markup::Html } else { Markup::Plain },
    );
    style.full_evidence = a.full_evidence;
    style
}

pub fn cite_cmd(a: &CiteArgs, storage: &provseal::archive::storage::Storage) -> CliResult {
    // The folder is checked before the bundle is: a typo is reported at
    // once, and nothing is half done.
    if let Some(dir) = &a.out_dir {
        if a.format.format().is_some() {
            return Err("--out-dir goes with --format all".into());
        }
        super::ensure_folder(dir, a.parents)?;
    }
    let opts = verify_options(&a.trust)?;
    let report = verify_one(&a.bundle, &opts, storage)?;
    let style = style(&a.style);
    let src = match cite::from_report(&report, &style) {
        Ok(src) => src,
        Err(reason) => {
            eprint!(
                "{}",
                verify_out::human_block(&a.bundle, &report, false, provseal::verify::FailOn::Error)
            );
            say!("provseal: {}: not cited: {reason}", a.bundle.display());
            return Ok(Outcome::Failed);
        }
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
        // --out-dir with one format was refused above.
        (Some(f), _) => emit(&cite::render(f, &src, style.markup))?,
        (None, None) => emit(&cite::render_all(&src, style.markup))?,
        (None, Some(dir)) => write_all(dir, &src, &style, a.force)?,
    }
    Ok(Outcome::Passed)
}

/// `cite --format all --out-dir DIR`: one file per format. Every name is
/// checked before anything is written, so a refusal writes nothing; each
/// file is written atomically, replacing (never following) a symbolic
/// link, and an existing name only with `--force`.
fn write_all(dir: &Path, src: &CiteSource, style: &cite::Style, force: bool) -> Result<(), String> {
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
