//! `provseal pack --batch JOBS.jsonl`: many articles, packed in parallel,
//! one report line per job in the file's order. A bad job (unreadable
//! line, missing input, bad metadata, existing output) is reported and
//! never stops the others.

use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use provseal::archive::batch::for_each_in_order;
use provseal::display;
use provseal::format::manifest::CaptureMethod;
use provseal::format::sign::KeyPair;
use provseal::pack::{self, Overrides, PackRequest};
use serde::Deserialize;

use super::args::PackArgs;
use super::{CliResult, Outcome, emit, parse_captured_at};

/// One line of the jobs file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Job {
    input: PathBuf,
    out: PathBuf,
    #[serde(default)]
    original_url: Option<String>,
    #[serde(default)]
    repost_urls: Vec<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    subtitle: Option<String>,
    #[serde(default)]
    authors: Vec<String>,
    #[serde(default)]
    publisher: Option<String>,
    #[serde(default)]
    section: Option<String>,
    #[serde(default)]
    published: Option<String>,
    #[serde(default)]
    language: Option<String>,
    #[serde(default)]
    captured_at: Option<String>,
}

/// A job as read: its line number, and the job or why the line is bad.
type Line = (usize, Result<Job, String>);

/// Why a line is not a job, in words: what a JSON parser says, without
/// its line and column (each job is one line) or its jargon.
fn job_error(e: serde_json::Error) -> String {
    use serde_json::error::Category;
    match e.classify() {
        Category::Syntax | Category::Eof | Category::Io => {
            r#"not a job: each line is one JSON object, such as {"input": "saved/991.txt", "out": "evidence/991.zip"}"#.into()
        }
        Category::Data => {
            let text = e.to_string();
            let what = text.split(" at line ").next().unwrap_or(&text);
            format!("not a job: {}", what.replace('`', "\""))
        }
    }
}

/// The jobs of a file. Two jobs writing the same output would race; the
/// later one fails before anything is written.
fn read_jobs(path: &Path) -> Result<Vec<Line>, String> {
    let text = std::fs::read_to_string(path).map_err(super::io_at(path))?;
    let mut outputs = std::collections::HashMap::new();
    Ok(text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            let job =
                serde_json::from_str::<Job>(l)
                    .map_err(job_error)
                    .and_then(|job| match outputs.get(&job.out) {
                        Some(first) => Err(format!(
                            "{}: also the output of line {first}",
                            job.out.display()
                        )),
                        None => {
                            outputs.insert(job.out.clone(), i + 1);
                            Ok(job)
                        }
                    });
            (i + 1, job)
        })
        .collect())
}

fn run_job(
    job: &Job,
    key: Option<&KeyPair>,
    default_time: DateTime<Utc>,
    force: bool,
    tsa: &super::args::TsaArgs,
    storage: &provseal::archive::storage::Storage,
) -> Result<String, String> {
    let captured_at = match &job.captured_at {
        Some(t) => parse_captured_at(Some(t))?,
        None => default_time,
    };
    if !force && storage.exists(&job.out).map_err(|e| e.to_string())? {
        return Err(format!(
            "{}: already exists (set --force to replace it)",
            job.out.display()
        ));
    }
    let input = std::fs::read(&job.input).map_err(super::io_at(&job.input))?;
    let mut req = PackRequest::new(input, CaptureMethod::LocalFile, captured_at);
    req.name_hint = job
        .input
        .file_name()
        .map(|n| n.to_string_lossy().into_owned());
    req.overrides = Overrides {
        title: job.title.clone(),
        subtitle: job.subtitle.clone(),
        authors: job.authors.clone(),
        publisher: job.publisher.clone(),
        section: job.section.clone(),
        published: job.published.clone(),
        language: job.language.clone(),
        original_url: job.original_url.clone(),
        repost_urls: job.repost_urls.clone(),
    };
    let packed = pack::pack(&req, key).map_err(|e| format!("{}: {e}", job.input.display()))?;
    // A job whose timestamp cannot be had fails alone, like any other job.
    let bytes = super::stamping::stamp_packed(tsa, packed.bytes)?;
    storage
        .write(&job.out, &bytes, force)
        .map_err(|e| e.to_string())?;
    Ok(packed.bundle_id)
}

pub fn run(
    jobs_file: &Path,
    key: Option<&KeyPair>,
    a: &PackArgs,
    storage: &provseal::archive::storage::Storage,
) -> CliResult {
    let lines = read_jobs(jobs_file)?;
    // Once per output directory, not once per job.
    let dirs: std::collections::BTreeSet<PathBuf> = lines
        .iter()
        .filter_map(|(_, j)| j.as_ref().ok())
        .map(|j| j.out.parent().map(Path::to_path_buf).unwrap_or_default())
        .collect();
    // Every output folder is there (or made, with --parents) before any
    // job runs: a typo in one path must not cost a night of packing.
    for d in &dirs {
        super::ensure_folder(d, a.parents)?;
    }
    for d in dirs {
        super::report_stale_partials(&d.join("x"));
    }
    let default_time = parse_captured_at(a.captured_at.as_deref())?;
    let threads = super::threads(a.jobs);
    let progress = (!a.quiet && io::stderr().is_terminal() && !lines.is_empty()).then(|| {
        let pb =
            ProgressBar::with_draw_target(Some(lines.len() as u64), ProgressDrawTarget::stderr());
        pb.set_style(
            ProgressStyle::with_template("{pos:>7}/{len} jobs [{bar:30}] {rate} ETA {eta}")
                .expect("static template")
                .with_key(
                    "rate",
                    |s: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                        let _ = w.write_str(&super::render::rounded_count_rate(s.per_sec()));
                    },
                )
                .progress_chars("=> "),
        );
        pb
    });
    let (mut packed, mut failed) = (0usize, 0usize);
    let mut out_error = None;
    for_each_in_order(
        &lines,
        threads,
        |(_, job)| match job {
            Ok(job) => run_job(job, key, default_time, a.force, &a.tsa, storage),
            Err(e) => Err(e.clone()),
        },
        |i, result| {
            let (line, job) = &lines[i];
            let text = match &result {
                Ok(id) => {
                    packed += 1;
                    let out = job.as_ref().map(|j| display::path(&j.out));
                    format!("ok\t{line}\t{}\t{id}\n", out.unwrap_or_default())
                }
                Err(e) => {
                    failed += 1;
                    format!("FAILED\t{line}\t{}\n", display::inline(e))
                }
            };
            let r = match &progress {
                Some(pb) => {
                    pb.inc(1);
                    pb.suspend(|| emit(&text))
                }
                None => emit(&text),
            };
            if let Err(e) = r {
                out_error.get_or_insert(e);
            }
        },
    );
    if let Some(pb) = progress {
        pb.finish_and_clear();
    }
    if let Some(e) = out_error {
        return Err(e.into());
    }
    say!("{} jobs: {packed} packed, {failed} failed", packed + failed);
    Ok(if failed == 0 {
        Outcome::Passed
    } else {
        Outcome::Failed
    })
}
