//! The command line: `jianbao build|check|serve|new|init`. Thin: parses arguments, runs the
//! pipeline, prints diagnostics, picks the exit status (0 done, 1 site errors, 2 usage).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

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
    }
}

fn site_dir(site: Option<PathBuf>) -> PathBuf {
    site.unwrap_or_else(|| PathBuf::from("."))
}

fn check(root: &Path) -> ExitCode {
    let diags = Diagnostics::new();
    let site = crate::load::load(root, &diags);
    if let Some(site) = &site {
        let _figures = crate::aggregate::Figures::new(site);
    }
    finish(&diags, || {
        if let Some(site) = &site {
            eprintln!(
                "ok: {} campaigns, {} records, {} articles, {} issues",
                site.campaigns.len(),
                site.records.len(),
                site.articles.len(),
                site.issues.len()
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
