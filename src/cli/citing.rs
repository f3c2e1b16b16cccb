//! `cite`, and the citations of `verify --cite`.

use std::process::ExitCode;

use provseal::cite::{self, CiteSource, Format, Markup};
use provseal::verify::{Report, State};

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
    match (r.state, r.passed) {
        (_, true) => "it verified".into(),
        (State::IntactUnsigned, false) => {
            "it is unsigned, so nobody vouches for it (--allow-unsigned accepts it)".into()
        }
        (State::IntactUntrusted, false) => format!(
            "its signer {} is not among the --trust keys",
            r.signer.as_ref().map_or("?", |s| s.key_id.as_str())
        ),
        _ => {
            let codes: Vec<String> = r
                .findings
                .iter()
                .filter(|f| f.severity == provseal::Severity::Error)
                .map(|f| f.code.to_string())
                .collect();
            format!("it is invalid ({})", codes.join(", "))
        }
    }
}

pub fn cite_cmd(a: &CiteArgs) -> CliResult {
    let opts = verify_options(&a.trust)?;
    let report = verify_one(&a.bundle, &opts)?;
    let style = style(&a.style);
    let Some(src) = source(&report, &style) else {
        let reason = not_cited_reason(&report);
        eprint!("{}", verify_out::human_block(&a.bundle, &report, false));
        eprintln!("provseal: {}: not cited: {reason}", a.bundle.display());
        return Ok(ExitCode::from(1));
    };
    match (a.format.format(), &a.out_dir) {
        (Some(_), Some(_)) => return Err("--out-dir goes with --format all".into()),
        (Some(f), None) => emit(&cite::render(f, &src, style.markup))?,
        (None, None) => emit(&cite::render_all(&src, style.markup))?,
        (None, Some(dir)) => {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            for f in Format::ALL {
                let path = dir.join(f.file_name(style.markup));
                let text = cite::render(f, &src, style.markup);
                std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
                println!("{}", path.display());
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
