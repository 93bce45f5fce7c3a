//! The `jejaring` binary: parse the command line, run, report.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = jejaring::cli::Args::parse();
    match jejaring::cli::run(args) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            if jejaring::cli::is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
