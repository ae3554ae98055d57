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
    no_transparent_huge_pages();
    cli::Cli::parse().run()
}

/// Turns transparent huge pages off for this process. mimalloc asks the
/// kernel for them, and where the system only gives them to memory that
/// asks (`madvise`, Debian's default) every first touch of a 2 MB page
/// may make the kernel compact memory and zero the whole page: typesetting
/// the flagship guide's PDFs spent 0.3 to 2.7 s of system time on it and
/// took 3.1 s instead of 1.8 s (medians of eight alternating cold builds).
/// mimalloc's own switch (`MIMALLOC_ALLOW_THP=0`) acts before `main`, too
/// early to set from here; this flag covers memory mapped already.
fn no_transparent_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: prctl with PR_SET_THP_DISABLE takes plain integers and only
    // sets a flag of the calling process; failure (old kernels) is harmless.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}
