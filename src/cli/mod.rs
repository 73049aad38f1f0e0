//! The command line: `jianbao build|check|serve|new|init`. Thin: parses arguments, runs the
//! pipeline, prints diagnostics, picks the exit status (0 done, 1 site errors, 2 usage).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use std::time::Instant;

use chrono::{DateTime, FixedOffset, Local};
use clap::{Parser, Subcommand};

use crate::render::Options;

use crate::diag::{Diagnostics, Severity};

/// jianbao (简报): turns activity records and narratives into a bulletin site, print pages and PDFs.
#[derive(Debug, Parser)]
#[command(name = "jianbao", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check the whole site (records, narratives, figures, issues) and write nothing.
    ///
    /// Example: jianbao check path/to/site
    Check {
        /// The site folder (holding site.yaml); default: the current folder.
        site: Option<PathBuf>,
    },
    /// Build the site into the output folder (default SITE/output), replacing it atomically.
    ///
    /// Examples: jianbao build · jianbao build path/to/site -o /srv/www/jianbao --base-url /jianbao/
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
    },
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
    match cli.command {
        Command::Check { site } => check(&site_dir(site)),
        Command::Build {
            site,
            output,
            drafts,
            base_url,
            pdf,
        } => {
            let root = site_dir(site);
            let out = output.unwrap_or_else(|| root.join("output"));
            build(&root, &out, drafts, base_url, pdf)
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

fn check(root: &Path) -> ExitCode {
    let diags = Diagnostics::new();
    let opts = Options {
        drafts: true,
        base_url: None,
        now: now(),
    };
    let result = crate::build::run(root, &opts, &diags);
    finish(&diags, || {
        if let Some(b) = &result {
            eprintln!(
                "ok: {} campaigns, {} records, {} articles, {} issues, {} pages checked",
                b.site.campaigns.len(),
                b.site.records.len(),
                b.site.articles.len(),
                b.site.issues.len(),
                b.stats.pages
            );
        }
    })
}

fn build(root: &Path, out: &Path, drafts: bool, base_url: Option<String>, pdf: bool) -> ExitCode {
    let started = Instant::now();
    let diags = Diagnostics::new();
    if let Err(d) = crate::write::check_target(out, root) {
        diags.push(d);
        return finish(&diags, || {});
    }
    let opts = Options {
        drafts,
        base_url,
        now: now(),
    };
    let result = crate::build::run(root, &opts, &diags);
    let mut pdf_stats = None;
    if let Some(b) = &result {
        let written = crate::write::write_site_with(out, &b.files, |fresh| {
            if !pdf {
                return Ok(());
            }
            let pages: Vec<String> = b
                .files
                .iter()
                .map(|f| f.path.clone())
                .filter(|p| p.ends_with("/print.html"))
                .collect();
            pdf_stats = Some(crate::pdf::render_all(fresh, &pages)?);
            Ok(())
        });
        if let Err(d) = written {
            diags.push(d);
        }
    }
    if let Some(s) = pdf_stats {
        eprintln!(
            "printed {} PDFs in {:.1} s ({:.2} s a page)",
            s.pages,
            s.elapsed.as_secs_f64(),
            s.elapsed.as_secs_f64() / s.pages.max(1) as f64
        );
    }
    finish(&diags, || {
        if let Some(b) = &result {
            eprintln!(
                "built {} pages ({} articles) into {} in {:.2} s",
                b.stats.pages,
                b.stats.articles,
                out.display(),
                started.elapsed().as_secs_f64()
            );
        }
    })
}

/// Prints every diagnostic, then either the success line or the error count.
fn finish(diags: &Diagnostics, on_success: impl FnOnce()) -> ExitCode {
    let all = diags.sorted();
    for d in &all {
        eprintln!("{d}");
    }
    let errors = all.iter().filter(|d| d.severity == Severity::Error).count();
    if errors > 0 {
        eprintln!("{errors} error{} found", if errors == 1 { "" } else { "s" });
        ExitCode::from(1)
    } else {
        on_success();
        ExitCode::SUCCESS
    }
}
