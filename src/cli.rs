//! Command-line arguments (clap) and how each command reports to the user.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use lotse::{Options, Report, scaffold, write};

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
    },
    /// Check everything a build checks, and write nothing.
    Check {
        /// Site root, the folder with site.yaml and content/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Include pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
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

impl Cli {
    /// Runs the command and returns the process exit code.
    pub fn run(self) -> ExitCode {
        match self.command {
            Command::Build { root, out, base_url, drafts, portable } => {
                let out = out.unwrap_or_else(|| root.join("public"));
                build(Options { root, base_url, drafts, portable }, Some(out))
            }
            Command::Check { root, drafts } => build(Options { root, base_url: None, drafts, portable: false }, None),
            Command::Serve { root, bind, port, open, poll, drafts } => {
                let addr = std::net::SocketAddr::new(bind, port);
                serve(lotse::serve::ServeOptions { root, addr, drafts, poll }, open)
            }
            Command::Init { dir } => init(dir),
            Command::New { spec, title, root } => new(root, &spec, title.as_deref()),
        }
    }
}

const USAGE: u8 = 2;

fn build(options: Options, out: Option<PathBuf>) -> ExitCode {
    if let Some(out) = &out
        && let Err(msg) = write::check_out_dir(&options.root, out)
    {
        eprintln!("error: {msg}");
        return ExitCode::from(USAGE);
    }
    let result = match &out {
        Some(out) => lotse::build_into(&options, out),
        None => lotse::check(&options),
    };
    let report = match result {
        Ok(r) => r,
        Err(e @ lotse::Error::NotASite(_)) => {
            eprintln!("error: {e}");
            return ExitCode::from(USAGE);
        }
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    print_diagnostics(&report);
    if report.error_count() > 0 {
        let kept = match &out {
            Some(o) if o.exists() => format!("; {} was left as it was", o.display()),
            Some(_) => "; nothing was written".to_string(),
            None => String::new(),
        };
        let what = if out.is_some() { "build failed" } else { "check failed" };
        eprintln!("error: {what} with {}{kept}", counts(&report));
        return ExitCode::FAILURE;
    }
    println!("{}", summary(&report, out.is_some()));
    if let Some(out) = out {
        println!("open {}", out.join("index.html").display());
    }
    ExitCode::SUCCESS
}

fn print_diagnostics(report: &Report) {
    for d in &report.diagnostics {
        eprintln!("{d}\n");
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
            println!("created a new site with {} files in {}", files.len(), dir.display());
            println!("next: lotse build --root {}", dir.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(USAGE)
        }
    }
}

fn new(root: PathBuf, spec: &str, title: Option<&str>) -> ExitCode {
    match scaffold::new_article(&root, spec, title, &scaffold::today()) {
        Ok(path) => {
            println!("created {}", path.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(USAGE)
        }
    }
}

fn log_line(line: &str) {
    eprintln!("{line}");
}

fn serve(opts: lotse::serve::ServeOptions, open: bool) -> ExitCode {
    if !opts.root.join("content").is_dir() && !opts.root.join("site.yaml").is_file() {
        eprintln!("error: {}", lotse::Error::NotASite(opts.root.clone()));
        return ExitCode::from(USAGE);
    }
    if !opts.addr.ip().is_loopback() {
        eprintln!("warning: listening on {}: anyone on your network can read this preview", opts.addr.ip());
    }
    let handle = match lotse::serve::start(opts, log_line) {
        Ok(h) => h,
        Err(e) => {
            eprintln!("error: cannot start the server: {e}");
            return ExitCode::FAILURE;
        }
    };
    let url = format!("http://{}/", handle.addr);
    println!("serving {url} (Ctrl+C to stop); public/ is not touched");
    if open {
        let opener = if cfg!(target_os = "macos") { "open" } else { "xdg-open" };
        if std::process::Command::new(opener).arg(&url).spawn().is_err() {
            eprintln!("warning: could not open a browser; open {url} yourself");
        }
    }
    let waited = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map(|rt| rt.block_on(tokio::signal::ctrl_c()));
    if let Err(e) = waited {
        eprintln!("error: {e}");
    }
    eprintln!("stopping");
    handle.stop();
    ExitCode::SUCCESS
}
