//! The names the site's files refer to each other by (unit and metric keys, metric labels,
//! campaign slugs, article slugs), each with what it stands for.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::config::Config;
use crate::diag::did_you_mean;
use crate::model::{Campaign, CampaignId, MetricId, UnitId};

/// A campaign as records are checked against it: its id and the days it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CampaignSpan {
    /// The campaign.
    pub id: CampaignId,
    /// Its first day.
    pub start: NaiveDate,
    /// Its last day.
    pub end: NaiveDate,
}

impl CampaignSpan {
    /// Whether `date` falls within the campaign.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.start <= date && date <= self.end
    }
}

/// One kind of name (unit keys, campaign slugs …) → what each name stands for.
pub struct KeyIndex<'a, T> {
    /// What the names name, for messages: "unit", "campaign" …
    what: &'static str,
    ids: HashMap<&'a str, T>,
}

/// A name that is not known: the message, and a "did you mean" hint.
pub struct Unknown {
    /// `unknown unit "gongann"`.
    pub message: String,
    /// The nearest known name, or the known ones.
    pub hint: Option<String>,
}

impl<'a, T: Copy> KeyIndex<'a, T> {
    /// The names of `what`s ("unit", "campaign" …), each with what it stands for; a name
    /// given twice stands for the last.
    pub fn new(what: &'static str, ids: impl IntoIterator<Item = (&'a str, T)>) -> Self {
        KeyIndex {
            what,
            ids: ids.into_iter().collect(),
        }
    }

    /// What `key` stands for.
    pub fn get(&self, key: &str) -> Option<T> {
        self.ids.get(key).copied()
    }

    /// Whether `key` is known.
    pub fn contains(&self, key: &str) -> bool {
        self.ids.contains_key(key)
    }

    /// What `key` stands for, or what to say about an unknown key.
    pub fn resolve(&self, key: &str) -> Result<T, Unknown> {
        self.get(key).ok_or_else(|| Unknown {
            message: format!("unknown {} \"{key}\"", self.what),
            hint: self.hint(key),
        })
    }

    /// The "did you mean" hint for an unknown `key`. An edit-distance search over every
    /// name, far too slow for every valid record: asked only on failure.
    pub fn hint(&self, key: &str) -> Option<String> {
        did_you_mean(key, self.sorted())
    }

    /// Every known name, sorted, as hints list them.
    pub fn sorted(&self) -> Vec<&'a str> {
        let mut v: Vec<&str> = self.ids.keys().copied().collect();
        v.sort_unstable();
        v
    }
}

/// What records and articles are checked against: the site's keys and the campaigns' slugs
/// and dates.
pub struct Keys<'a> {
    /// Unit keys (`gongan`).
    pub units: KeyIndex<'a, UnitId>,
    /// Metric keys (`households`).
    pub metrics: KeyIndex<'a, MetricId>,
    /// Unit names and aliases (区法院, 市中院), for spreadsheet cells.
    pub unit_names: KeyIndex<'a, UnitId>,
    /// Metric labels and aliases (走访群众, 座谈会), for spreadsheet headers.
    pub metric_labels: KeyIndex<'a, MetricId>,
    /// Campaign slugs, with the days each campaign runs.
    pub campaigns: KeyIndex<'a, CampaignSpan>,
}

impl<'a> Keys<'a> {
    /// The keys `cfg` declares, and the slugs of `campaigns`. `broken` are the folders whose
    /// campaign.yaml did not load: they stand for [`STAND_IN`], so their records and articles
    /// are checked, not reported as "unknown campaign" on top of the real error (the build
    /// fails anyway).
    pub fn new(
        cfg: &'a Config,
        campaigns: &'a [Campaign],
        broken: impl Iterator<Item = &'a str>,
    ) -> Self {
        let spans = campaign_spans(campaigns).chain(broken.map(|slug| {
            let span = CampaignSpan {
                id: STAND_IN,
                start: NaiveDate::MIN,
                end: NaiveDate::MAX,
            };
            (slug, span)
        }));
        let metrics = || (cfg.metrics.iter().enumerate()).map(|(i, m)| (m, MetricId(i as u32)));
        let units = || (cfg.units.iter().enumerate()).map(|(i, u)| (u, UnitId(i as u32)));
        Keys {
            units: KeyIndex::new("unit", units().map(|(u, id)| (u.key.as_str(), id))),
            unit_names: KeyIndex::new(
                "unit",
                units().flat_map(|(u, id)| {
                    let names = std::iter::once(u.name.as_str())
                        .chain(u.aliases.iter().map(String::as_str));
                    names.map(move |n| (n, id))
                }),
            ),
            metrics: KeyIndex::new("metric", metrics().map(|(m, id)| (m.key.as_str(), id))),
            metric_labels: KeyIndex::new(
                "metric",
                metrics().flat_map(|(m, id)| {
                    let names = std::iter::once(m.label.as_str())
                        .chain(m.aliases.iter().map(String::as_str));
                    names.map(move |n| (n, id))
                }),
            ),
            campaigns: KeyIndex::new("campaign", spans),
        }
    }
}

impl Keys<'_> {
    /// The unit a spreadsheet cell names by key, name or alias, or what to say about an
    /// unknown one (the nearest of every key, name and alias).
    pub fn unit_by_any_name(&self, text: &str) -> Result<UnitId, Unknown> {
        self.units
            .get(text)
            .or_else(|| self.unit_names.get(text))
            .ok_or_else(|| {
                let mut known = self.unit_names.sorted();
                known.extend(self.units.sorted());
                Unknown {
                    message: format!("unknown unit \"{text}\""),
                    hint: did_you_mean(text, known.iter().copied()),
                }
            })
    }

    /// The metric a spreadsheet header names by key, label or alias.
    pub fn metric_by_any_name(&self, text: &str) -> Option<MetricId> {
        self.metrics
            .get(text)
            .or_else(|| self.metric_labels.get(text))
    }
}

/// The campaign of records and articles whose campaign.yaml has errors.
pub const STAND_IN: CampaignId = CampaignId(u32::MAX);

/// Each campaign's slug with its span.
pub fn campaign_spans(campaigns: &[Campaign]) -> impl Iterator<Item = (&str, CampaignSpan)> + '_ {
    campaigns.iter().enumerate().map(|(i, c)| {
        let span = CampaignSpan {
            id: CampaignId(i as u32),
            start: c.start,
            end: c.end,
        };
        (c.slug.as_str(), span)
    })
}
