//! The `provseal` command: parses flags, calls the library, renders results
//! and maps them to the exit codes documented in README.md:
//! 0 verified, 1 verification failed, 2 usage or operational error.

#[macro_use]
mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::args::Cli::parse();
    match cli::run(args) {
        Ok(outcome) => outcome.code(),
        Err(cli::CliError(e)) => {
            // Errors name files, URLs and values from bundles and pages:
            // shown on one line, through the one sanitiser.
            eprintln!("provseal: {}", provseal::display::inline(&e));
            ExitCode::from(2)
        }
    }
}
