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
        /// Also list pages past their review date, and fail if there are any.
        #[arg(long)]
        stale: bool,
        /// Also request every http(s) link (cached in ROOT/.lotse-links.json),
        /// and fail if one is broken.
        #[arg(long)]
        external: bool,
    },
    /// Report content health: reviews, orphans, gaps, external links.
    Report {
        /// Site root, the folder with site.yaml and content/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// `text` (a table) or `json` (for scripts) on standard output.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// Where to write the HTML report (default: ROOT/lotse-report.html).
        #[arg(long)]
        html: Option<PathBuf>,
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
        /// Also answer to this host name (repeatable), e.g. the machine's
        /// name on the LAN with `--bind 0.0.0.0`; localhost and IP
        /// addresses always work, other names get 403.
        #[arg(long = "allow-host", value_name = "NAME", value_parser = lotse::serve::parse_host_name)]
        allow_host: Vec<String>,
    },
    /// Import a Hugo, Zola, Jekyll, mdBook or Obsidian site into a new
    /// Lotse site, write IMPORT-REPORT.md, then check the new site.
    Import {
        /// The generator the source site was made for.
        #[arg(long, value_enum)]
        from: FromArg,
        /// The source site's folder (only read).
        src: PathBuf,
        /// The new site's folder (must be empty or not exist).
        dest: PathBuf,
        /// Jekyll: make stages from this front-matter field (e.g. `category`
        /// or just-the-docs' `parent`) instead of collections and folders.
        #[arg(long)]
        stage_field: Option<String>,
        /// Obsidian: a text file naming the top-level folders in stage order,
        /// one a line (default: by the number in front of the name, then by name).
        #[arg(long)]
        order_file: Option<PathBuf>,
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

/// Output formats of `lotse report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// A table for people.
    Text,
    /// JSON for scripts.
    Json,
}

/// Source generators of `lotse import`.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum FromArg {
    Hugo,
    Zola,
    Jekyll,
    Mdbook,
    Obsidian,
}

impl From<FromArg> for lotse::import::Tool {
    fn from(a: FromArg) -> Self {
        match a {
            FromArg::Hugo => lotse::import::Tool::Hugo,
            FromArg::Zola => lotse::import::Tool::Zola,
            FromArg::Jekyll => lotse::import::Tool::Jekyll,
            FromArg::Mdbook => lotse::import::Tool::Mdbook,
            FromArg::Obsidian => lotse::import::Tool::Obsidian,
        }
    }
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
            Command::Check { root, drafts, stale, external, audience } => {
                let audience = audience.map(AudienceArg::into);
                let options = Options { root, drafts, audience, interrupt: stop_on_signals(), ..Options::default() };
                match (stale, external) {
                    (true, true) => match check_stale(options.clone()) {
                        c if c == ExitCode::SUCCESS => check_external(&options),
                        c => c,
                    },
                    (true, false) => check_stale(options),
                    (false, true) => check_external(&options),
                    (false, false) => build(options, None),
                }
            }
            Command::Serve { root, bind, port, open, poll, drafts, allow_host } => {
                let addr = std::net::SocketAddr::new(bind, port);
                serve(lotse::serve::ServeOptions { root, addr, drafts, poll, allow_hosts: allow_host }, open)
            }
            Command::Report { root, format, html, drafts } => {
                let html = html.unwrap_or_else(|| root.join("lotse-report.html"));
                let options = Options { root, drafts, interrupt: stop_on_signals(), ..Options::default() };
                report(&options, format, &html)
            }
            Command::Import { from, src, dest, stage_field, order_file } => {
                import(lotse::import::ImportOptions { from: from.into(), src, dest, stage_field, order_file })
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
        Some(out) => {
            // One build, then the process ends: nothing typeset is reused.
            lotse::pdf::one_off_process();
            lotse::build_into(&options, out)
        }
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
    for note in &report.notes {
        say!("note: {note}");
    }
    if let Some(out) = out {
        say!("open {}", out.join("index.html").display());
    }
    ExitCode::SUCCESS
}

/// `lotse check --stale`: the check, then every page past its review
/// date; exit code 1 when there is one.
fn check_stale(options: Options) -> ExitCode {
    let report = match run_check(&options) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let overdue: Vec<&lotse::review::Due> = report.reviews.iter().filter(|d| d.days_overdue > 0).collect();
    for d in &overdue {
        let owner = d.owner.as_deref().map_or("no owner".to_string(), |o| format!("owner: {o}"));
        say!(
            "{}:{}:{}: review overdue by {}: \"{}\" ({}), {owner}, reviewed {}, every {}, due {}",
            d.path,
            d.line,
            d.col,
            plural(usize::try_from(d.days_overdue).unwrap_or(0), "day"),
            d.title,
            d.lang,
            d.reviewed,
            d.every,
            d.due
        );
    }
    if !overdue.is_empty() {
        tell!("error: {} overdue for review", plural_verb(overdue.len(), "page is", "pages are"));
        return ExitCode::FAILURE;
    }
    let next = report.reviews.first().map(|d| format!("; next due {}", d.due)).unwrap_or_default();
    say!("no page is overdue for review ({} with a review date{next})", plural(report.reviews.len(), "page"));
    ExitCode::SUCCESS
}

/// `lotse check --external`: the check, then every external link, each
/// broken one at `path:line:col`; exit code 1 when there is one.
fn check_external(options: &Options) -> ExitCode {
    let path = options.root.join(".lotse-links.json");
    let mut cache = lotse::external::Cache::parse(&std::fs::read_to_string(&path).unwrap_or_default());
    let (checked, report) = match lotse::check_external(options, &mut cache) {
        Ok(Ok(found)) => found,
        Ok(Err(failed)) => {
            print_diagnostics(&failed);
            tell!("error: check failed with {}", counts(&failed));
            return ExitCode::FAILURE;
        }
        Err(e) => return fatal(&e),
    };
    print_diagnostics(&report);
    say!("{}", summary(&report, false));
    if let Err(e) = std::fs::write(&path, cache.to_text()) {
        tell!("warning: could not keep the link cache {}: {e}", path.display());
    }
    for (link, outcome) in &checked.broken {
        let message = match outcome {
            lotse::external::Outcome::Status(s) => format!("external link `{}` answers {s}", link.url),
            lotse::external::Outcome::Timeout => format!("external link `{}` timed out", link.url),
            lotse::external::Outcome::Failed(why) => format!("external link `{}` failed: {why}", link.url),
        };
        let d = lotse::Diagnostic {
            severity: lotse::Severity::Error,
            path: link.path.clone(),
            line: link.line,
            col: link.col,
            message,
            hint: Some("fix or remove the link, or add a pattern to `external.skip` in site.yaml".into()),
            source_line: link.source_line.clone(),
            unplaced: None,
        };
        tell!("{d}\n");
    }
    let line = format!(
        "{} requested, {} from the cache (younger than `external.cache`), {} skipped",
        plural(checked.requested, "URL"),
        checked.cached,
        checked.skipped
    );
    if checked.broken.is_empty() {
        say!("external links: all fine; {line}");
        ExitCode::SUCCESS
    } else {
        tell!("error: {} broken; {line}", plural_verb(checked.broken.len(), "external link is", "external links are"));
        ExitCode::FAILURE
    }
}

/// `lotse report`: the health report on stdout (a table or JSON) and as
/// an HTML file.
fn report(options: &Options, format: Format, html: &std::path::Path) -> ExitCode {
    let (health, checked) = match lotse::health(options) {
        Ok(Ok(found)) => found,
        Ok(Err(failed)) => {
            print_diagnostics(&failed);
            tell!("error: report failed with {}", counts(&failed));
            return ExitCode::FAILURE;
        }
        Err(e) => return fatal(&e),
    };
    print_diagnostics(&checked);
    if let Err(e) = std::fs::write(html, lotse::report::html::render(&health)) {
        tell!("error: {}: {e}", html.display());
        return ExitCode::FAILURE;
    }
    match format {
        Format::Text => say!("{}wrote {}", lotse::report::text::render(&health), html.display()),
        Format::Json => {
            say!("{}", serde_json::to_string_pretty(&health).unwrap_or_default());
            tell!("wrote {}", html.display());
        }
    }
    ExitCode::SUCCESS
}

/// Runs `lotse check`, printing its diagnostics and summary; the report
/// when the site has no errors, else the exit code to end with.
fn run_check(options: &Options) -> Result<Report, ExitCode> {
    let report = lotse::check(options).map_err(|e| fatal(&e))?;
    print_diagnostics(&report);
    if report.error_count() > 0 {
        tell!("error: check failed with {}", counts(&report));
        return Err(ExitCode::FAILURE);
    }
    say!("{}", summary(&report, false));
    Ok(report)
}

/// Prints a fatal error; the exit code it calls for.
fn fatal(e: &lotse::Error) -> ExitCode {
    match e {
        lotse::Error::NotASite(_) | lotse::Error::OutDir(_) | lotse::Error::Usage(_) => {
            tell!("error: {e}");
            ExitCode::from(USAGE)
        }
        lotse::Error::Interrupted => {
            tell!("{e}");
            ExitCode::from(INTERRUPTED)
        }
        _ => {
            tell!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `1 page is` / `3 pages are`.
fn plural_verb(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
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

/// `lotse import`: the import, its report, then `lotse check` on the new site.
fn import(opts: lotse::import::ImportOptions) -> ExitCode {
    let start = std::time::Instant::now();
    let imported = match lotse::import::import(&opts) {
        Ok(i) => i,
        Err(e) => return fatal(&e),
    };
    let report = &imported.report;
    say!("{}", report.to_text().trim_end());
    say!(
        "{} in {} ms; wrote {} files to {} (the list: {})",
        report.summary(),
        start.elapsed().as_millis(),
        imported.files,
        opts.dest.display(),
        opts.dest.join("IMPORT-REPORT.md").display()
    );
    say!("running lotse check --root {}", opts.dest.display());
    match run_check(&Options { root: opts.dest.clone(), ..Options::default() }) {
        Ok(_) => ExitCode::SUCCESS,
        Err(code) => code,
    }
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
