//! `provseal verify`: finds the bundles, verifies them in parallel, and
//! writes the report in the chosen format as results arrive (in input
//! order), with a progress bar on a terminal.

use std::io::{self, BufRead, IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};
use provseal::archive::batch::{Candidate, Checked};
use provseal::cite::{self, Format};
use provseal::verify::{self, VerifyOptions};
use serde_json::Value;

use super::args::{ColorChoice, OutputFormat, VerifyArgs};
use provseal::verify::FailOn;

use provseal::run_report::{self, Totals};

use super::verify_out;
use super::{CliResult, Outcome, citing, emit, verify_options};

/// A bundle read from standard input is held in memory, so it is capped.
const MAX_STDIN_BUNDLE: u64 = 512 << 20;

/// Where each bundle's result goes.
struct Sink<'a> {
    format: OutputFormat,
    fail_on: FailOn,
    summary_only: bool,
    color: bool,
    cite: Option<Format>,
    style: &'a cite::Style,
    progress: Option<ProgressBar>,
    /// How many bundles the run will verify, for the progress bar.
    expected: usize,
    totals: Totals,
    /// `json`: the bundle objects; `junit`: the test cases.
    held_json: Vec<Value>,
    held_junit: String,
    /// `--cite csl-json`: the items, merged into one array at the end.
    csl_items: Vec<Value>,
    error: Option<String>,
}

impl Sink<'_> {
    fn out(&mut self, text: &str) {
        if self.error.is_some() || text.is_empty() {
            return;
        }
        let result = match &self.progress {
            Some(pb) => pb.suspend(|| emit(text)),
            None => emit(text),
        };
        if let Err(e) = result {
            self.error = Some(e);
        }
    }

    fn err(&self, text: &str) {
        match &self.progress {
            Some(pb) => pb.suspend(|| eprint!("{text}")),
            None => eprint!("{text}"),
        }
    }

    fn take(&mut self, path: &Path, c: Checked, size: u64) {
        let r = &c.report;
        self.totals.add(r, c.unreadable, size, self.fail_on);
        if let Some(pb) = &self.progress {
            pb.inc(size.max(1));
            pb.set_message(format!("{}/{}", self.totals.total, self.expected));
        }
        if let Some(f) = self.cite
            && self.format == OutputFormat::Human
        {
            // Citations on stdout, for `> refs.bib`; the report on stderr.
            if !self.summary_only {
                self.err(&verify_out::human_block(path, r, false, self.fail_on));
            }
            match cite::from_report(r, self.style) {
                Ok(src) if f == Format::CslJson => {
                    if let Value::Array(mut a) = cite::csl_json(&src) {
                        self.csl_items.append(&mut a);
                    }
                }
                Ok(src) => {
                    let text = cite::render(f, &src, self.style.markup);
                    let sep = if self.totals.passed > 1 { "\n" } else { "" };
                    self.out(&format!("{sep}{text}"));
                }
                Err(why) => self.err(&format!(
                    "{}\n",
                    provseal::display::inline(&format!(
                        "provseal: {}: not cited: {}",
                        path.display(),
                        why
                    ))
                )),
            }
            return;
        }
        if self.summary_only {
            return;
        }
        match self.format {
            OutputFormat::Human => {
                let block = verify_out::human_block(path, r, self.color, self.fail_on);
                self.out(&block);
            }
            OutputFormat::Json => {
                self.held_json
                    .push(run_report::bundle_json(path, r, self.cite, self.style));
            }
            OutputFormat::Jsonl => {
                let v = run_report::bundle_json(path, r, self.cite, self.style);
                let line = super::json_out(&run_report::jsonl_bundle(v), false);
                self.out(&format!("{line}\n"));
            }
            OutputFormat::Junit => {
                self.held_junit.push_str(&run_report::junit_case(
                    path,
                    r,
                    c.unreadable,
                    self.fail_on,
                    c.seconds,
                ));
            }
        }
    }

    fn finish(mut self) -> Result<Totals, String> {
        if let Some(pb) = self.progress.take() {
            pb.finish_and_clear();
        }
        match (self.format, self.cite.is_some()) {
            (OutputFormat::Human, true) => {
                if !self.csl_items.is_empty() {
                    let mut s =
                        super::json_out(&Value::Array(std::mem::take(&mut self.csl_items)), true);
                    s.push('\n');
                    self.out(&s);
                }
                self.err(&self.totals.human());
            }
            (OutputFormat::Human, false) => {
                let totals = self.totals.human();
                if self.summary_only || self.totals.total != 1 || !self.totals.ok() {
                    self.out(&totals);
                }
            }
            (OutputFormat::Json, _) => {
                let bundles = (!self.summary_only).then(|| std::mem::take(&mut self.held_json));
                let doc = run_report::json_document(bundles, &self.totals, self.fail_on);
                let mut s = super::json_out(&doc, true);
                s.push('\n');
                self.out(&s);
            }
            (OutputFormat::Jsonl, _) => {
                let doc = run_report::jsonl_summary(&self.totals, self.fail_on);
                let line = super::json_out(&doc, false);
                self.out(&format!("{line}\n"));
            }
            (OutputFormat::Junit, _) => {
                let doc = run_report::junit_document(&self.held_junit, &self.totals);
                self.out(&doc);
            }
        }
        match self.error {
            Some(e) => Err(e),
            None => Ok(self.totals),
        }
    }
}

fn read_list(list: &Path) -> Result<Vec<PathBuf>, String> {
    let reader: Box<dyn BufRead> = if list == Path::new("-") {
        Box::new(io::BufReader::new(io::stdin()))
    } else {
        let f = std::fs::File::open(list).map_err(super::io_at(list))?;
        Box::new(io::BufReader::new(f))
    };
    let mut paths = Vec::new();
    for line in reader.lines() {
        let line = line.map_err(super::io_at(list))?;
        let line = line.trim_end_matches('\r');
        if !line.trim().is_empty() {
            paths.push(PathBuf::from(line));
        }
    }
    Ok(paths)
}

fn verify_stdin(opts: &VerifyOptions) -> Result<(Checked, u64), String> {
    let start = Instant::now();
    let mut bytes = Vec::new();
    io::stdin()
        .take(MAX_STDIN_BUNDLE + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("standard input: {e}"))?;
    if bytes.len() as u64 > MAX_STDIN_BUNDLE {
        return Err(format!(
            "standard input: a bundle on stdin is limited to {} MiB; give a file instead",
            MAX_STDIN_BUNDLE >> 20
        ));
    }
    let len = bytes.len() as u64;
    let report = verify::verify_reader(&mut io::Cursor::new(bytes), len, opts)
        .map_err(|e| format!("standard input: {e}"))?;
    Ok((
        Checked {
            report,
            unreadable: false,
            seconds: start.elapsed().as_secs_f64(),
        },
        len,
    ))
}

fn wants_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

fn progress_bar(bundles: &[Candidate]) -> ProgressBar {
    let bytes: u64 = bundles.iter().map(|c| c.size.max(1)).sum();
    let pb = ProgressBar::with_draw_target(Some(bytes), ProgressDrawTarget::stderr());
    // At most 78 columns with 10,000 bundles and GiB figures, so that it
    // fits an 80-column terminal.
    pb.set_style(
        ProgressStyle::with_template(
            "{msg:>11} bundles [{bar:20}] {binary_bytes}/{binary_total_bytes} {rate} ETA {eta}",
        )
        .expect("static template")
        .with_key("rate", |s: &ProgressState, w: &mut dyn std::fmt::Write| {
            let _ = w.write_str(&super::render::rounded_rate(s.per_sec()));
        })
        .progress_chars("=> "),
    );
    pb.set_message(format!("0/{}", bundles.len()));
    pb
}

pub fn verify_cmd(a: &VerifyArgs, storage: &provseal::archive::storage::Storage) -> CliResult {
    let mut opts = verify_options(&a.trust)?;
    opts.custody_head = a.custody_head.clone();
    let format = if a.json { OutputFormat::Json } else { a.format };
    let cite = a
        .cite
        .map(|f| f.format().ok_or("--cite takes one format, not all"))
        .transpose()?;
    if format == OutputFormat::Junit && (a.summary || cite.is_some()) {
        return Err("--format junit goes with neither --summary nor --cite".into());
    }
    let mut inputs: Vec<PathBuf> = Vec::new();
    let mut stdin_bundle = false;
    for p in &a.inputs {
        if p == Path::new("-") {
            stdin_bundle = true;
        } else {
            inputs.push(p.clone());
        }
    }
    if let Some(list) = &a.from_file {
        if stdin_bundle && list == Path::new("-") {
            return Err("standard input cannot hold both a bundle and a list".into());
        }
        inputs.extend(read_list(list)?);
    }
    let start = Instant::now();
    let mut found = storage.discover(&inputs).map_err(|e| e.to_string())?;
    if let Some(shard) = a.shard {
        found.bundles.retain(|c| shard.contains(&c.path));
    }
    let jobs = super::threads(a.jobs);
    let style = citing::style(&a.style);
    let show_progress = !a.quiet && io::stderr().is_terminal() && !found.bundles.is_empty();
    let mut sink = Sink {
        format,
        fail_on: a.fail_on.into(),
        summary_only: a.summary,
        color: format == OutputFormat::Human && wants_color(a.color),
        cite,
        style: &style,
        progress: show_progress.then(|| progress_bar(&found.bundles)),
        expected: found.bundles.len() + usize::from(stdin_bundle),
        totals: {
            let mut t = Totals::default();
            t.skipped_files = found.skipped;
            t.unreadable_dirs = found
                .unreadable_dirs
                .iter()
                .map(|(p, e)| (p.display().to_string(), e.clone()))
                .collect();
            t
        },
        held_json: Vec::new(),
        held_junit: String::new(),
        csl_items: Vec::new(),
        error: None,
    };
    if stdin_bundle {
        let (checked, len) = verify_stdin(&opts)?;
        sink.take(Path::new("-"), checked, len);
    }
    storage.verify_all(&found.bundles, &opts, jobs, |_, c, checked| {
        sink.take(&c.path, checked, c.size)
    });
    sink.totals.seconds = start.elapsed().as_secs_f64();
    let nothing = sink.totals.total == 0 && a.shard.is_none();
    let totals = sink.finish()?;
    if nothing {
        say!("provseal: no bundles found");
        return Ok(Outcome::Failed);
    }
    Ok(if totals.ok() {
        Outcome::Passed
    } else {
        Outcome::Failed
    })
}
