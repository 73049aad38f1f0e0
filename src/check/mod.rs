//! Stage 2, check: the rules no single file shows — every URL written once across the site — and
//! the figures typed by hand in narratives, compared with the records ([`prose`]).
//!
//! Takes the loaded [`Site`] (and, for the figures, the aggregated [`Figures`]); gives
//! diagnostics. Rules that one file shows on its own (a bad date, an unknown unit) are load's.

pub mod prose;

use std::collections::HashMap;

use rayon::prelude::*;

use self::prose::{MetricWords, ProseChecker, RatioWords, UnitWords, Vocabulary};
use crate::aggregate::{Figures, Query};
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{CampaignId, Origin, Site};

/// Cross-file rules: two articles, two free pages or two issues must not write one URL.
pub fn site(site: &Site, diags: &Diagnostics) {
    unique(
        site.articles
            .iter()
            .map(|a| (a.slug.as_str().to_string(), &a.origin)),
        |slug| {
            format!(
                "article slug \"{slug}\" is used twice: two pages with one URL (articles/{slug}/)"
            )
        },
        "set a different `slug:`",
        diags,
    );
    unique(
        site.pages
            .iter()
            .map(|p| (p.slug.as_str().to_string(), &p.origin)),
        |slug| format!("page slug \"{slug}\" is used twice: two pages with one URL ({slug}/)"),
        "set a different `slug:`",
        diags,
    );
    unique(
        site.issues
            .iter()
            .map(|i| (i.number.to_string(), &i.origin)),
        |n| format!("issue number {n} is used twice: two pages with one URL (issues/{n}/)"),
        "",
        diags,
    );
}

/// An error at the second of two items with one key, naming the first.
fn unique<'a>(
    items: impl Iterator<Item = (String, &'a Origin)>,
    message: impl Fn(&str) -> String,
    fix: &str,
    diags: &Diagnostics,
) {
    let mut seen: HashMap<String, &Origin> = HashMap::new();
    for (key, origin) in items {
        match seen.get(&key) {
            Some(first) => {
                let other = format!("the other is {}", first.path.display());
                let hint = if fix.is_empty() {
                    other
                } else {
                    format!("{other}; {fix}")
                };
                diags.push(
                    Diagnostic::error(&origin.path, origin.pos, message(&key)).with_hint(hint),
                );
            }
            None => {
                seen.insert(key, origin);
            }
        }
    }
}

/// Figures typed by hand in the narratives of every campaign, compared with its records
/// (SPEC §3): each disagreement or missing figure is a warning at its `file:line:col`.
pub fn typed_figures(site: &Site, figures: &Figures, diags: &Diagnostics) {
    let _span = crate::trace::span("check: typed figures");
    let checker = match ProseChecker::new(vocabulary(site)) {
        Ok(c) => c,
        Err(why) => {
            diags.push(Diagnostic::error("site.yaml", None, why));
            return;
        }
    };
    let found: Vec<Diagnostic> = site
        .articles
        .par_iter()
        .filter_map(|a| Some((a, a.campaign?)))
        .flat_map_iter(|(a, campaign)| {
            let source = campaign_source(site, figures, campaign);
            checker.check(&a.origin.path, &a.body, a.body_line, &source)
        })
        .collect();
    diags.extend(found);
}

/// What the site calls its metrics, ratios and units, with their aliases.
pub(crate) fn vocabulary(site: &Site) -> Vocabulary {
    Vocabulary {
        metrics: site
            .metrics
            .iter()
            .map(|m| MetricWords {
                id: m.key.as_str().to_string(),
                label: m.label.clone(),
                aliases: m.aliases.clone(),
                measure: m.measure_word.clone(),
            })
            .collect(),
        ratios: site
            .ratios
            .iter()
            .map(|r| RatioWords {
                id: r.key.clone(),
                label: r.label.clone(),
                aliases: Vec::new(),
                numerator: site.metric(r.numerator).key.as_str().to_string(),
                denominator: site.metric(r.denominator).key.as_str().to_string(),
            })
            .collect(),
        units: site
            .units
            .iter()
            .map(|u| UnitWords {
                id: u.key.as_str().to_string(),
                name: u.name.clone(),
                aliases: u.aliases.clone(),
            })
            .collect(),
    }
}

/// The records of `campaign` as the prose check asks for them: a total by metric key, for one
/// unit or all; `None` where no record reports it.
pub(crate) fn campaign_source<'a>(
    site: &'a Site,
    figures: &'a Figures,
    campaign: CampaignId,
) -> impl Fn(&str, Option<&str>) -> Option<u64> + 'a {
    move |metric: &str, unit: Option<&str>| {
        let metric = site.metric_id(metric)?;
        let unit = match unit {
            Some(u) => Some(site.unit_id(u)?),
            None => None,
        };
        let f = figures.query(&Query {
            unit,
            ..Query::total(campaign, metric)
        });
        (f.records > 0).then_some(f.value)
    }
}
