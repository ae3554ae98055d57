//! The `lotse` binary: parses arguments and maps the outcome to an exit code.

mod cli;

use clap::Parser;

fn main() -> std::process::ExitCode {
    cli::Cli::parse().run()
}
