//! The `lotse` binary: parses arguments and maps the outcome to an exit code.

mod cli;

use clap::Parser;

/// A build allocates and frees millions of small strings on all threads;
/// mimalloc took a 10,000-page build from 2.05 s to 1.68 s (median of six
/// alternating runs each against glibc's malloc, tuned; BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cli::Cli::parse().run()
}
