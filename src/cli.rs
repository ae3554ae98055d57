//! Command-line arguments (clap) and how each command reports to the user.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use lotse::{Interrupt, Options, Report, scaffold};

/// `println!` that ignores a closed stdout (`lotse check | grep -q x`):
/// the outcome is the exit code, not whether anyone read the summary.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

/// `eprintln!` that ignores a closed stderr.
macro_rules! tell {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}

/// Lotse builds practice guides: stages, checked links, printable checklists.
#[derive(Debug, Parser)]
#[command(name = "lotse", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build the site into the output folder (default: public/).
    Build {
        /// Site root, the folder with site.yaml and content/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output folder (default: ROOT/public).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Base URL to publish under, replacing site.yaml's base_url.
        #[arg(long)]
        base_url: Option<String>,
        /// Include pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Links end in `index.html`, so the site works from disk without
        /// JavaScript (as `portable: true` in site.yaml).
        #[arg(long)]
        portable: bool,
        /// Who the site is for; `participants` leaves all facilitator text
        /// and workshop pages out (as `audience:` in site.yaml).
        #[arg(long, value_enum)]
        audience: Option<AudienceArg>,
    },
    /// Check everything a build checks, and write nothing.
    Check {
        /// Site root, the folder with site.yaml and content/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Include pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Check the site as built for this audience.
        #[arg(long, value_enum)]
        audience: Option<AudienceArg>,
    },
    /// Build into memory, serve with live reload, rebuild on every change.
    Serve {
        /// Site root, the folder with site.yaml and content/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Address to listen on (loopback by default).
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Port (0 picks a free one).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// Watch by polling instead of file-system events (network drives).
        #[arg(long)]
        poll: bool,
        /// Include pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Also answer to this host name (repeatable), e.g. the machine's
        /// name on the LAN with `--bind 0.0.0.0`; localhost and IP
        /// addresses always work, other names get 403.
        #[arg(long = "allow-host", value_name = "NAME", value_parser = lotse::serve::parse_host_name)]
        allow_host: Vec<String>,
    },
    /// Create a new site in DIR.
    Init {
        /// Folder for the new site (must be empty or not exist).
        dir: PathBuf,
    },
    /// Create a new article, e.g. `lotse new 01-strategy/goal-map`.
    New {
        /// STAGE/SLUG: the stage folder and the article's file name.
        spec: String,
        /// Article title (default: from the slug).
        #[arg(long)]
        title: Option<String>,
        /// Site root.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

/// Who a build is for (`--audience`).
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum AudienceArg {
    /// Everyone: facilitator text shows, labelled.
    All,
    /// Participants: no facilitator text anywhere.
    Participants,
}

impl From<AudienceArg> for lotse::config::Audience {
    fn from(a: AudienceArg) -> Self {
        match a {
            AudienceArg::All => lotse::config::Audience::All,
            AudienceArg::Participants => lotse::config::Audience::Participants,
        }
    }
}

impl Cli {
    /// Runs the command and returns the process exit code.
    pub fn run(self) -> ExitCode {
        match self.command {
            Command::Build { root, out, base_url, drafts, portable, audience } => {
                let out = out.unwrap_or_else(|| root.join("public"));
                let audience = audience.map(AudienceArg::into);
                build(Options { root, base_url, drafts, portable, audience, interrupt: stop_on_signals() }, Some(out))
            }
            Command::Check { root, drafts, audience } => {
                let audience = audience.map(AudienceArg::into);
                let options = Options { root, drafts, audience, interrupt: stop_on_signals(), ..Options::default() };
                build(options, None)
            }
            Command::Serve { root, bind, port, open, poll, drafts, allow_host } => {
                let addr = std::net::SocketAddr::new(bind, port);
                serve(lotse::serve::ServeOptions { root, addr, drafts, poll, allow_hosts: allow_host }, open)
            }
            Command::Init { dir } => init(dir),
            Command::New { spec, title, root } => new(root, &spec, title.as_deref()),
        }
    }
}

const USAGE: u8 = 2;
/// The conventional exit code after SIGINT (128 + 2).
const INTERRUPTED: u8 = 130;

/// Ctrl+C, SIGTERM and SIGHUP ask a running build to stop: it removes its
/// temporary folder and leaves the output as it was. A second signal ends
/// the process at once (the next build removes what it left).
fn stop_on_signals() -> Interrupt {
    let interrupt = Interrupt::default();
    let handler = interrupt.clone();
    let installed = ctrlc::set_handler(move || {
        if handler.raise() {
            std::process::exit(i32::from(INTERRUPTED));
        }
    });
    if let Err(e) = installed {
        tell!("warning: Ctrl+C will not clean up: {e}");
    }
    interrupt
}

fn build(options: Options, out: Option<PathBuf>) -> ExitCode {
    let result = match &out {
        Some(out) => lotse::build_into(&options, out),
        None => lotse::check(&options),
    };
    let report = match result {
        Ok(r) => r,
        Err(e @ (lotse::Error::NotASite(_) | lotse::Error::OutDir(_) | lotse::Error::Usage(_))) => {
            tell!("error: {e}");
            return ExitCode::from(USAGE);
        }
        Err(e @ lotse::Error::Interrupted) => {
            tell!("{e}");
            return ExitCode::from(INTERRUPTED);
        }
        Err(e) => {
            tell!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    for line in &report.timings {
        tell!("{line}");
    }
    print_diagnostics(&report);
    if report.error_count() > 0 {
        let kept = match &out {
            Some(o) if o.exists() => format!("; {} was left as it was", o.display()),
            Some(_) => "; nothing was written".to_string(),
            None => String::new(),
        };
        let what = if out.is_some() { "build failed" } else { "check failed" };
        tell!("error: {what} with {}{kept}", counts(&report));
        return ExitCode::FAILURE;
    }
    say!("{}", summary(&report, out.is_some()));
    if let Some(out) = out {
        say!("open {}", out.join("index.html").display());
    }
    ExitCode::SUCCESS
}

fn print_diagnostics(report: &Report) {
    for d in &report.diagnostics {
        tell!("{d}\n");
    }
}

fn counts(report: &Report) -> String {
    format!("{} and {}", plural(report.error_count(), "error"), plural(report.warning_count(), "warning"))
}

/// `built 42 pages in 6 stages (de, en), 87 checklist items, in 180 ms`.
fn summary(report: &Report, built: bool) -> String {
    let s = &report.stats;
    let verb = if built { "built" } else { "checked" };
    let warnings = match report.warning_count() {
        0 => String::new(),
        n => format!(" ({})", plural(n, "warning")),
    };
    format!(
        "{verb} {} in {} ({}), {}, in {} ms{warnings}",
        plural(s.pages, "page"),
        plural(s.stages, "stage"),
        s.languages.join(", "),
        plural(s.checklist_items, "checklist item"),
        report.elapsed.as_millis()
    )
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

fn init(dir: PathBuf) -> ExitCode {
    match scaffold::init(&dir) {
        Ok(files) => {
            say!("created a new site with {} files in {}", files.len(), dir.display());
            say!("next: lotse build --root {}", dir.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            tell!("error: {e}");
            ExitCode::from(USAGE)
        }
    }
}

fn new(root: PathBuf, spec: &str, title: Option<&str>) -> ExitCode {
    match scaffold::new_article(&root, spec, title, &scaffold::today()) {
        Ok(path) => {
            say!("created {}", path.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            tell!("error: {e}");
            ExitCode::from(USAGE)
        }
    }
}

fn log_line(line: &str) {
    tell!("{line}");
}

fn serve(opts: lotse::serve::ServeOptions, open: bool) -> ExitCode {
    if !opts.root.join("content").is_dir() && !opts.root.join("site.yaml").is_file() {
        tell!("error: {}", lotse::Error::NotASite(opts.root.clone()));
        return ExitCode::from(USAGE);
    }
    if !opts.addr.ip().is_loopback() {
        tell!(
            "warning: listening on {}: anyone on your network can read this preview \
             (by IP address, or by a name given with --allow-host)",
            opts.addr.ip()
        );
    }
    let handle = match lotse::serve::start(opts, log_line) {
        Ok(h) => h,
        Err(e) => {
            tell!("error: cannot start the server: {e}");
            return ExitCode::FAILURE;
        }
    };
    let ctrl_c = match lotse::serve::CtrlC::listen() {
        Ok(c) => c,
        Err(e) => {
            tell!("error: cannot listen for Ctrl+C: {e}");
            return ExitCode::FAILURE;
        }
    };
    let url = format!("http://{}/", handle.addr);
    say!("serving {url} (Ctrl+C to stop); public/ is not touched");
    if open {
        let opener = if cfg!(target_os = "macos") { "open" } else { "xdg-open" };
        if std::process::Command::new(opener).arg(&url).spawn().is_err() {
            tell!("warning: could not open a browser; open {url} yourself");
        }
    }
    match handle.run_until(ctrl_c, log_line) {
        Ok(lotse::serve::Ended::Stopped) => ExitCode::SUCCESS,
        Ok(lotse::serve::Ended::Forced) => ExitCode::from(INTERRUPTED),
        Err(e) => {
            tell!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
