//! Phase timings for profiling (`LOTSE_TIMINGS=1`).

use std::time::Instant;

/// Phase timings when `LOTSE_TIMINGS` is set (for profiling): wall time,
/// CPU time of all threads (on Linux; CPU over wall shows how parallel a
/// phase is) and resident memory at its end, one line per phase, for the
/// caller to print.
#[derive(Debug, Default)]
pub(crate) struct Timings {
    last: Option<(Instant, u64)>,
    laps: Vec<String>,
}

impl Timings {
    /// Starts timing if `LOTSE_TIMINGS` is set.
    pub(crate) fn new() -> Self {
        let last = std::env::var_os("LOTSE_TIMINGS").map(|_| (Instant::now(), cpu_ms()));
        Timings { last, laps: Vec::new() }
    }

    /// The lines so far.
    pub(crate) fn into_laps(self) -> Vec<String> {
        self.laps
    }

    /// Ends the phase `phase`.
    pub(crate) fn lap(&mut self, phase: &str) {
        if let Some((start, cpu)) = self.last {
            let now = cpu_ms();
            let rss = std::fs::read_to_string("/proc/self/status")
                .ok()
                .and_then(|s| s.lines().find_map(|l| l.strip_prefix("VmRSS:").map(|v| v.trim().to_string())))
                .unwrap_or_default();
            self.laps.push(format!(
                "timing: {phase:<18} {:>6} ms  cpu {:>5} ms  rss {rss}",
                start.elapsed().as_millis(),
                now.saturating_sub(cpu)
            ));
            self.last = Some((Instant::now(), now));
        }
    }
}

/// CPU time of the process so far (user and system, all threads) from
/// `/proc/self/stat`, assuming 100 clock ticks a second; 0 elsewhere.
fn cpu_ms() -> u64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else { return 0 };
    // Fields after the command name (which may hold spaces) in parentheses;
    // utime and stime are fields 14 and 15, i.e. 12 and 13 after it.
    let Some((_, rest)) = stat.rsplit_once(')') else { return 0 };
    let ticks: u64 = rest.split_whitespace().skip(11).take(2).filter_map(|f| f.parse::<u64>().ok()).sum();
    ticks * 10
}
