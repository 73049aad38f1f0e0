//! The command line: `jianbao build|check|serve|new|init|completions`. Thin: parses arguments,
//! runs the pipeline, prints diagnostics, picks the exit status (0 done, 1 site errors, 2 usage).

mod scaffold;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset, Local};
use clap::{CommandFactory, Parser, Subcommand};

use crate::diag::{status, Diagnostics};
use crate::render::{Options, Progress};

/// jianbao (简报): turns activity records and narratives into a bulletin site, print pages and PDFs.
#[derive(Debug, Parser)]
#[command(name = "jianbao", version, about, long_about = None)]
pub struct Cli {
    /// Print only errors.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print what each stage did and how long it took.
    #[arg(short, long, global = true)]
    pub verbose: bool,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands (SPEC §6).
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check the whole site (records, narratives, figures, issues, templates); write nothing.
    #[command(after_help = "Examples:\n  jianbao check\n  jianbao check path/to/site")]
    Check {
        /// The site folder (holding site.yaml); default: the current folder.
        site: Option<PathBuf>,
        /// Fail (exit 1) on warnings too: a typed figure that disagrees with the records, a
        /// missing figure, an unknown field… for a bulletin that must go out clean.
        #[arg(long)]
        strict: bool,
    },
    /// Build the site into the output folder (default SITE/output), replacing it atomically.
    #[command(
        after_help = "Examples:\n  jianbao build\n  jianbao build --pdf --docx\n  jianbao build path/to/site -o /srv/www/jianbao --base-url https://intranet/jianbao/"
    )]
    Build {
        /// The site folder (holding site.yaml); default: the current folder.
        site: Option<PathBuf>,
        /// Output folder; default: output/ inside the site.
        #[arg(short = 'o', long = "output", value_name = "DIR")]
        output: Option<PathBuf>,
        /// Include drafts and pieces dated in the future.
        #[arg(long)]
        drafts: bool,
        /// Where the site is served, for the feed and sitemap (pages link relatively).
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Also print every print page to PDF under pdf/, with a headless Chromium
        /// (found on PATH, or named by JIANBAO_CHROMIUM).
        #[arg(long)]
        pdf: bool,
        /// Also make a Word document (.docx) of every print page under docx/: issues in the
        /// 简报 layout on GB/T 9704 geometry.
        #[arg(long)]
        docx: bool,
        /// Leave out search: the index under search/, the search page and the search box.
        #[arg(long)]
        no_search: bool,
    },
    /// Serve the site on this computer, rebuilding and reloading pages when a file changes.
    #[command(
        after_help = "Examples:\n  jianbao serve\n  jianbao serve path/to/site --port 8000\n  jianbao serve --bind 0.0.0.0   (let colleagues on the intranet look)"
    )]
    Serve {
        /// The site folder (holding site.yaml); default: the current folder.
        site: Option<PathBuf>,
        /// Port to listen on.
        #[arg(short, long, default_value_t = 8080)]
        port: u16,
        /// Address to listen on; the default lets only this computer in.
        #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
        bind: String,
        /// Include drafts and pieces dated in the future.
        #[arg(long)]
        drafts: bool,
    },
    /// Write the workbook units fill in for a campaign (.xlsx: title, 填报单位, a header of
    /// labels with measure words, a unit dropdown, whole-number checks, a 合计 row, 填表说明).
    #[command(
        after_help = "Examples:\n  jianbao template huaian-xiajiceng\n  jianbao template huaian-xiajiceng --unit gongan -o 公安统计表.xlsx"
    )]
    Template {
        /// The campaign's slug (its folder name under content/campaigns/).
        campaign: String,
        /// The site folder (holding site.yaml); default: the current folder.
        site: Option<PathBuf>,
        /// Make it for one unit (key, name or alias): its name fills 填报单位 and the unit
        /// column is left out.
        #[arg(long, value_name = "UNIT")]
        unit: Option<String>,
        /// Where to write it; default: "<campaign title>统计表.xlsx" in the current folder.
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Create a file to start from: an article, a campaign or an issue.
    #[command(subcommand)]
    New(New),
    /// Create a new site in DIR from the built-in sample (refuses a non-empty folder).
    #[command(
        after_help = "Example:\n  jianbao init huaian-jianbao && cd huaian-jianbao && jianbao build"
    )]
    Init {
        /// The folder to create.
        dir: PathBuf,
    },
    /// Print a shell completion script.
    #[command(
        after_help = "Example:\n  jianbao completions bash > /etc/bash_completion.d/jianbao"
    )]
    Completions {
        /// bash, zsh, fish, powershell or elvish.
        shell: clap_complete::Shell,
    },
}

/// What `jianbao new` makes.
#[derive(Debug, Subcommand)]
pub enum New {
    /// A narrative with every front-matter field explained, dated today, as a draft.
    #[command(
        after_help = "Examples:\n  jianbao new article zoufang-huimou --campaign huaian-xiajiceng\n  jianbao new article pinglun-01"
    )]
    Article {
        /// The article's slug (lowercase ASCII, e.g. pinyin); also its file name and URL.
        slug: String,
        /// Put it in this campaign's folder.
        #[arg(long)]
        campaign: Option<String>,
        /// The site folder; default: the current folder.
        #[arg(long, default_value = ".")]
        site: PathBuf,
    },
    /// A campaign folder with campaign.yaml, records/ and articles/.
    #[command(after_help = "Example:\n  jianbao new campaign fazhi-xuanchuanzhou-2026")]
    Campaign {
        /// The campaign's slug (lowercase ASCII, e.g. pinyin).
        slug: String,
        /// The site folder; default: the current folder.
        #[arg(long, default_value = ".")]
        site: PathBuf,
    },
    /// A numbered bulletin issue (简报 第N期).
    #[command(after_help = "Example:\n  jianbao new issue 13")]
    Issue {
        /// The issue number.
        number: u32,
        /// The site folder; default: the current folder.
        #[arg(long, default_value = ".")]
        site: PathBuf,
    },
}

/// How much to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}

/// Runs the command line; returns the exit status.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let v = if cli.quiet {
        Verbosity::Quiet
    } else if cli.verbose {
        Verbosity::Verbose
    } else {
        Verbosity::Normal
    };
    if v == Verbosity::Verbose {
        crate::trace::enable();
    }
    match cli.command {
        Command::Check { site, strict } => check(&site_dir(site), strict, v),
        Command::Build {
            site,
            output,
            drafts,
            base_url,
            pdf,
            docx,
            no_search,
        } => {
            let root = site_dir(site);
            let out = output.unwrap_or_else(|| root.join(crate::paths::DEFAULT_OUTPUT));
            let docs = crate::documents::Kinds { pdf, docx };
            build(&root, &out, drafts, base_url, docs, !no_search, v)
        }
        Command::Serve {
            site,
            port,
            bind,
            drafts,
        } => crate::serve::serve(crate::serve::ServeOptions {
            root: site_dir(site),
            bind,
            port,
            drafts,
            now: Box::new(now),
        }),
        Command::Template {
            campaign,
            site,
            unit,
            output,
        } => template(&site_dir(site), &campaign, unit.as_deref(), output, v),
        Command::New(what) => new(what, v),
        Command::Init { dir } => init(&dir, v),
        Command::Completions { shell } => {
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "jianbao",
                &mut std::io::stdout(),
            );
            ExitCode::SUCCESS
        }
    }
}

/// `jianbao new …`: scaffolds one file (or campaign folder), dated today.
fn new(what: New, v: Verbosity) -> ExitCode {
    let today = now().date_naive();
    let made = match what {
        New::Article {
            slug,
            campaign,
            site,
        } => scaffold::new_article(&site, &slug, campaign.as_deref(), today),
        New::Campaign { slug, site } => scaffold::new_campaign(&site, &slug, today),
        New::Issue { number, site } => scaffold::new_issue(&site, number, today),
    };
    match made {
        Ok(p) => {
            if v != Verbosity::Quiet {
                status!("created {}", p.display());
            }
            ExitCode::SUCCESS
        }
        Err(d) => {
            crate::diag::print(&[d], true);
            ExitCode::from(1)
        }
    }
}

/// `jianbao init DIR`: a new site from the built-in sample.
fn init(dir: &Path, v: Verbosity) -> ExitCode {
    match scaffold::init(dir) {
        Ok(files) => {
            if v != Verbosity::Quiet {
                status!(
                    "created a site in {} ({} files); next: cd {} && jianbao build",
                    dir.display(),
                    files.len(),
                    dir.display()
                );
            }
            ExitCode::SUCCESS
        }
        Err(d) => {
            crate::diag::print(&[d], true);
            ExitCode::from(1)
        }
    }
}

fn site_dir(site: Option<PathBuf>) -> PathBuf {
    site.unwrap_or_else(|| PathBuf::from("."))
}

/// The build moment: now, or `JIANBAO_NOW` (RFC 3339) so tests and archives can pin it.
fn now() -> DateTime<FixedOffset> {
    std::env::var("JIANBAO_NOW")
        .ok()
        .and_then(|s| DateTime::parse_from_rfc3339(&s).ok())
        .unwrap_or_else(|| Local::now().fixed_offset())
}

fn check(root: &Path, strict: bool, v: Verbosity) -> ExitCode {
    let started = Instant::now();
    let diags = Diagnostics::new();
    let opts = Options {
        drafts: true,
        base_url: None,
        now: now(),
        progress: None,
        check_only: true,
        search: true,
    };
    let result = crate::site::check(root, &opts, &diags);
    let code = finish(&diags, v, strict, || {
        if let Some(b) = &result {
            status!(
                "ok: {} campaigns, {} records, {} articles, {} issues, {} pages checked in {:.2} s",
                b.site.campaigns.len(),
                b.site.records.len(),
                b.site.articles.len(),
                b.site.issues.len(),
                b.stats.pages,
                started.elapsed().as_secs_f64()
            );
        }
    });
    if v == Verbosity::Verbose {
        print_stages();
        for (stage, d) in result.iter().flat_map(|b| &b.timings) {
            status!("{stage:>22}: {:.3} s", d.as_secs_f64());
        }
    }
    // The process ends here: freeing a large site piece by piece would only cost time.
    std::mem::forget(result);
    code
}

fn template(
    root: &Path,
    campaign: &str,
    unit: Option<&str>,
    output: Option<PathBuf>,
    v: Verbosity,
) -> ExitCode {
    let diags = Diagnostics::new();
    let made = crate::site::template(root, campaign, unit, &diags);
    let mut written = None;
    if let Some((bytes, name)) = made {
        let out = output.unwrap_or_else(|| PathBuf::from(name));
        match std::fs::write(&out, bytes) {
            Ok(()) => written = Some(out),
            Err(e) => diags.push(crate::diag::Diagnostic::error(
                &out,
                None,
                format!("cannot write: {e}"),
            )),
        }
    }
    finish(&diags, v, false, || {
        if let Some(out) = &written {
            status!("wrote {}; send it to the units, then put the filled copies in the campaign's records/", out.display());
        }
    })
}

/// Prints the inner stages timed by [`crate::trace`] (for `-v`).
fn print_stages() {
    for (stage, d) in crate::trace::take() {
        status!("{stage:>22}: {:.3} s", d.as_secs_f64());
    }
}

/// Shows a progress bar for builds that take more than a second: a bar on a terminal, a plain
/// line every few seconds elsewhere (CI logs). Returns a guard that ends it.
fn watch_progress(progress: Arc<Progress>, v: Verbosity) -> impl Drop {
    struct Guard(
        Option<std::sync::mpsc::Sender<()>>,
        Option<std::thread::JoinHandle<()>>,
    );
    impl Drop for Guard {
        fn drop(&mut self) {
            drop(self.0.take());
            if let Some(h) = self.1.take() {
                let _ = h.join();
            }
        }
    }
    if v == Verbosity::Quiet {
        return Guard(None, None);
    }
    let (tx, rx) = std::sync::mpsc::channel::<()>();
    let handle = std::thread::spawn(move || {
        if rx.recv_timeout(Duration::from_secs(1)).is_ok()
            || matches!(
                rx.try_recv(),
                Err(std::sync::mpsc::TryRecvError::Disconnected)
            )
        {
            return;
        }
        let tty = std::io::stderr().is_terminal();
        let bar = tty.then(|| {
            let b = indicatif::ProgressBar::new(0);
            b.set_style(
                indicatif::ProgressStyle::with_template(
                    "{spinner} {msg} [{bar:30}] {pos}/{len} pages",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                .progress_chars("=> "),
            );
            b.set_message("rendering");
            b
        });
        let mut last_line = Instant::now();
        loop {
            let (done, total) = (
                progress.done.load(Ordering::Relaxed),
                progress.total.load(Ordering::Relaxed),
            );
            match &bar {
                Some(b) => {
                    b.set_length(total as u64);
                    b.set_position(done as u64);
                }
                None if last_line.elapsed() >= Duration::from_secs(3) => {
                    status!("… {done}/{total} pages");
                    last_line = Instant::now();
                }
                None => {}
            }
            match rx.recv_timeout(Duration::from_millis(100)) {
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => continue,
                _ => break,
            }
        }
        if let Some(b) = bar {
            b.finish_and_clear();
        }
    });
    Guard(Some(tx), Some(handle))
}

fn build(
    root: &Path,
    out: &Path,
    drafts: bool,
    base_url: Option<String>,
    docs: crate::documents::Kinds,
    search: bool,
    v: Verbosity,
) -> ExitCode {
    let started = Instant::now();
    let diags = Diagnostics::new();
    if let Some(problem) = base_url.as_deref().and_then(crate::paths::base_url_problem) {
        diags.push(
            crate::diag::Diagnostic::error("", None, format!("--base-url: {problem}"))
                .with_hint("write a path such as /jianbao/, or https://example.org/jianbao/"),
        );
        return finish(&diags, v, false, || {});
    }
    let progress = Arc::new(Progress::default());
    let opts = Options {
        drafts,
        base_url,
        now: now(),
        progress: Some(progress.clone()),
        check_only: false,
        search,
    };
    let guard = watch_progress(progress, v);
    let result = crate::site::build(root, out, &opts, docs, &diags);
    drop(guard);
    if let Some(b) = &result {
        if v == Verbosity::Verbose {
            print_build_stages(b);
        }
        if v != Verbosity::Quiet {
            print_documents(b);
        }
    }
    finish(&diags, v, false, || {
        if let Some(b) = &result {
            status!(
                "built {} pages ({} articles, {} charts) into {} in {:.2} s",
                b.stats.pages,
                b.stats.articles,
                b.stats.charts,
                out.display(),
                started.elapsed().as_secs_f64()
            );
        }
    })
}

/// With `-v`: each stage's time, the files written and what the search index did.
fn print_build_stages(b: &crate::site::Built) {
    print_stages();
    status!("{:>22}: {} files changed", "write", b.written);
    if let Some(s) = b.search {
        let how = if s.kept {
            "kept, unchanged".to_string()
        } else {
            format!("{} indexed anew", s.indexed)
        };
        status!(
            "{:>22}: {} pages in {} bundle{} ({how}), {} files, {} KB",
            "search index",
            s.records,
            s.bundles,
            if s.bundles == 1 { "" } else { "s" },
            s.files,
            s.bytes / 1024
        );
    }
    for (stage, d) in &b.timings {
        status!("{stage:>22}: {:.3} s", d.as_secs_f64());
    }
}

/// The PDFs and Word documents made and kept, when asked for.
fn print_documents(b: &crate::site::Built) {
    let unchanged = |kept: usize| {
        if kept > 0 {
            format!(", {kept} unchanged")
        } else {
            String::new()
        }
    };
    match b.docs.pdf {
        Some(s) if s.made > 0 => status!(
            "printed {} PDFs in {:.1} s ({:.2} s a page{})",
            s.made,
            s.elapsed.as_secs_f64(),
            s.elapsed.as_secs_f64() / s.made as f64,
            unchanged(s.kept)
        ),
        Some(s) => status!("printed 0 PDFs ({} unchanged)", s.kept),
        None => {}
    }
    if let Some(s) = b.docs.docx {
        status!(
            "made {} Word documents in {:.2} s{}",
            s.made,
            s.elapsed.as_secs_f64(),
            unchanged(s.kept)
        );
    }
}

/// Prints the diagnostics (warnings not when quiet, unless `strict`), then the success line or
/// the count of what failed; with `strict`, warnings fail the run too.
fn finish(diags: &Diagnostics, v: Verbosity, strict: bool, on_success: impl FnOnce()) -> ExitCode {
    let all = diags.sorted();
    let errors = crate::diag::print(&all, strict || v != Verbosity::Quiet);
    let warnings = all.len() - errors;
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    if errors > 0 {
        status!("{errors} error{} found", plural(errors));
        ExitCode::from(1)
    } else if strict && warnings > 0 {
        status!(
            "{warnings} warning{} found (--strict: warnings fail)",
            plural(warnings)
        );
        ExitCode::from(1)
    } else {
        if v != Verbosity::Quiet {
            on_success();
        }
        ExitCode::SUCCESS
    }
}
