//! The `lotse` binary: parses arguments and maps the outcome to an exit code.

mod cli;

use clap::Parser;

/// A build allocates and frees millions of small strings on all threads;
/// mimalloc took a 10,000-page build from 2.05 s to 1.68 s (median of six
/// alternating runs each against glibc's malloc, tuned; BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc.h (v2 and v3): how long freed memory
/// is kept before it goes back to the operating system.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> std::process::ExitCode {
    // Keep freed memory instead of returning it after 10 ms. A build frees
    // and reallocates hundreds of megabytes phase by phase; returning it
    // made the kernel zero the same (huge) pages again and again: at 10,000
    // pages system time fell from 1.34 s to 0.53 s and the build from
    // 2.00 s to 1.46 s (medians of seven alternating runs). The preview
    // keeps its memory between rebuilds for the same reason (a rebuild
    // after two idle seconds took 56 ms instead of 19 ms).
    // SAFETY: sets a mimalloc option; any value is valid, -1 means never.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
    cli::Cli::parse().run()
}
