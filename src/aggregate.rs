//! Stage 2, aggregate: records → figures. The single source of every number the site prints.
//!
//! Records are added up once, per campaign, into prefix sums over the days that have records,
//! for every unit (and all units together) and every metric. Any query — a campaign's total,
//! one unit's, a date range, a month — is then two binary searches and a subtraction, so a
//! narrative with many `stat()` calls costs nothing however many records there are.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use crate::model::{Campaign, CampaignId, MetricId, Site, UnitId};

/// A question about the records: how much of `metric` did `campaign` (one unit, or all)
/// report between `from` and `to` (inclusive, open when `None`)?
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Query {
    /// The campaign asked about.
    pub campaign: CampaignId,
    /// The metric summed.
    pub metric: MetricId,
    /// One unit, or every unit.
    pub unit: Option<UnitId>,
    /// First day counted (inclusive), or from the start.
    pub from: Option<NaiveDate>,
    /// Last day counted (inclusive), or to the end.
    pub to: Option<NaiveDate>,
}

impl Query {
    /// The whole campaign, all units.
    pub fn total(campaign: CampaignId, metric: MetricId) -> Self {
        Query {
            campaign,
            metric,
            unit: None,
            from: None,
            to: None,
        }
    }
}

/// An answer: the sum, and how many records carried the metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Figure {
    /// The sum of the metric over the matching records.
    pub value: u64,
    /// How many matching records carried the metric.
    pub records: u32,
}

/// Per-campaign prefix sums, see the module doc.
#[derive(Debug, Default)]
struct CampaignFigures {
    /// Distinct record dates, ascending.
    days: Vec<NaiveDate>,
    /// `sums[slot * (days + 1) + i]` = total over `days[..i]`; slot = unit slot × metrics + metric,
    /// unit slot `units` meaning all units.
    sums: Vec<u64>,
    counts: Vec<u32>,
    /// Per activity, the total of each metric (all units).
    activities: BTreeMap<String, Vec<u64>>,
    records: usize,
    /// The months that monthly records cover (first and last day), ascending: a range that
    /// cuts through one of them cannot be answered.
    months: Vec<(NaiveDate, NaiveDate)>,
}

/// Every figure of the site, indexed for queries.
#[derive(Debug, Default)]
pub struct Figures {
    units: usize,
    metrics: usize,
    campaigns: Vec<CampaignFigures>,
}

/// The most periods a series fills in: 200 years of months, 48 of weeks. Dates are bounded
/// to 1900–2100 when read; this keeps a chart's size bounded whatever reaches it.
pub const MAX_SERIES_LEN: usize = 2_500;

/// A calendar bucket for series: a day, an ISO week or a month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// A calendar day.
    Day,
    /// An ISO week, Monday to Sunday.
    Week,
    /// A calendar month.
    Month,
}

impl Figures {
    /// Adds up all records of `site`.
    pub fn new(site: &Site) -> Self {
        let (units, metrics) = (site.units.len(), site.metrics.len());
        let slots = (units + 1) * metrics;
        // Group record indices by campaign, then by day.
        let mut by_campaign: Vec<Vec<usize>> = vec![Vec::new(); site.campaigns.len()];
        for (i, r) in site.records.iter().enumerate() {
            by_campaign[r.campaign.0 as usize].push(i);
        }
        let campaigns = by_campaign
            .into_iter()
            .map(|mut idx| {
                // A monthly record counts on the last day of its month: it is known whole by
                // then, and a range holds the whole month exactly when it holds that day (a
                // range that cuts through the month is refused, see `cut_month`).
                idx.sort_by_key(|&i| site.records[i].last_day());
                let mut days: Vec<NaiveDate> =
                    idx.iter().map(|&i| site.records[i].last_day()).collect();
                days.dedup();
                let mut months: Vec<(NaiveDate, NaiveDate)> = idx
                    .iter()
                    .map(|&i| &site.records[i])
                    .filter(|r| r.monthly)
                    .map(|r| (r.date, r.last_day()))
                    .collect();
                months.dedup();
                let width = days.len() + 1;
                // Daily values first (at i + 1), prefix-summed below.
                let mut sums = vec![0u64; slots * width];
                let mut counts = vec![0u32; slots * width];
                let mut activities: BTreeMap<String, Vec<u64>> = BTreeMap::new();
                let mut day = 0;
                for &i in &idx {
                    let r = &site.records[i];
                    while days[day] != r.last_day() {
                        day += 1;
                    }
                    for &(m, n) in &r.metrics {
                        for slot in [r.unit.0 as usize, units] {
                            let at = (slot * metrics + m.0 as usize) * width + day + 1;
                            sums[at] = sums[at].saturating_add(n);
                            counts[at] += 1;
                        }
                        let per = activities
                            .entry(r.activity.clone())
                            .or_insert_with(|| vec![0; metrics]);
                        per[m.0 as usize] = per[m.0 as usize].saturating_add(n);
                    }
                }
                for slot in 0..slots {
                    for i in 1..width {
                        let (a, b) = (slot * width + i - 1, slot * width + i);
                        sums[b] = sums[b].saturating_add(sums[a]);
                        counts[b] += counts[a];
                    }
                }
                CampaignFigures {
                    days,
                    sums,
                    counts,
                    activities,
                    records: idx.len(),
                    months,
                }
            })
            .collect();
        Figures {
            units,
            metrics,
            campaigns,
        }
    }

    /// Answers `q`.
    pub fn query(&self, q: &Query) -> Figure {
        let c = &self.campaigns[q.campaign.0 as usize];
        let lo = q.from.map_or(0, |f| c.days.partition_point(|d| *d < f));
        let hi =
            q.to.map_or(c.days.len(), |t| c.days.partition_point(|d| *d <= t));
        if hi <= lo {
            return Figure::default();
        }
        let slot = q.unit.map_or(self.units, |u| u.0 as usize) * self.metrics + q.metric.0 as usize;
        let base = slot * (c.days.len() + 1);
        Figure {
            value: c.sums[base + hi] - c.sums[base + lo],
            records: c.counts[base + hi] - c.counts[base + lo],
        }
    }

    /// The first month of a monthly record that `q`'s date range cuts through (holds part of,
    /// not all): such a range has no honest answer. Its first and last day.
    pub fn cut_month(&self, q: &Query) -> Option<(NaiveDate, NaiveDate)> {
        let c = &self.campaigns[q.campaign.0 as usize];
        let (from, to) = (
            q.from.unwrap_or(NaiveDate::MIN),
            q.to.unwrap_or(NaiveDate::MAX),
        );
        c.months.iter().copied().find(|&(first, last)| {
            let overlaps = first <= to && last >= from;
            let whole = from <= first && last <= to;
            overlaps && !whole
        })
    }

    /// Whether a campaign has monthly records (they cannot be shown by week or by day).
    pub fn has_monthly(&self, campaign: CampaignId) -> bool {
        !self.campaigns[campaign.0 as usize].months.is_empty()
    }

    /// A campaign's total of `metric` across all units.
    pub fn total(&self, campaign: CampaignId, metric: MetricId) -> u64 {
        self.query(&Query::total(campaign, metric)).value
    }

    /// One unit's total of `metric` across every campaign.
    pub fn unit_total(&self, unit: UnitId, metric: MetricId) -> Figure {
        let mut f = Figure::default();
        for c in 0..self.campaigns.len() {
            let q = Query {
                unit: Some(unit),
                ..Query::total(CampaignId(c as u32), metric)
            };
            let x = self.query(&q);
            f.value = f.value.saturating_add(x.value);
            f.records += x.records;
        }
        f
    }

    /// Number of records of a campaign.
    pub fn record_count(&self, campaign: CampaignId) -> usize {
        self.campaigns[campaign.0 as usize].records
    }

    /// First and last record dates of a campaign.
    pub fn span(&self, campaign: CampaignId) -> Option<(NaiveDate, NaiveDate)> {
        let days = &self.campaigns[campaign.0 as usize].days;
        Some((*days.first()?, *days.last()?))
    }

    /// Totals of `q`'s metric per period, in date order; `q.from`/`q.to` limit the range.
    /// Empty periods between records are left out for days, kept for weeks and months.
    pub fn series(&self, q: &Query, period: Period) -> Vec<(NaiveDate, u64)> {
        let c = &self.campaigns[q.campaign.0 as usize];
        let mut out: Vec<(NaiveDate, u64)> = Vec::new();
        for d in &c.days {
            if q.from.is_some_and(|f| *d < f) || q.to.is_some_and(|t| *d > t) {
                continue;
            }
            let v = self
                .query(&Query {
                    from: Some(*d),
                    to: Some(*d),
                    ..*q
                })
                .value;
            let key = period_start(*d, period);
            match out.last_mut() {
                Some((k, sum)) if *k == key => *sum = sum.saturating_add(v),
                _ => {
                    // Fill skipped weeks and months with zero so bars line up with the calendar.
                    if period != Period::Day {
                        if let Some(&(last, _)) = out.last() {
                            let mut next = next_period(last, period);
                            while next < key && out.len() < MAX_SERIES_LEN {
                                out.push((next, 0));
                                next = next_period(next, period);
                            }
                        }
                    }
                    out.push((key, v));
                }
            }
        }
        out
    }

    /// Running total of `q`'s metric at each record day.
    pub fn cumulative(&self, q: &Query) -> Vec<(NaiveDate, u64)> {
        let mut acc = 0;
        self.series(q, Period::Day)
            .into_iter()
            .map(|(d, v)| {
                acc = u64::saturating_add(acc, v);
                (d, acc)
            })
            .collect()
    }

    /// The metrics a campaign's records carry, in the site's order.
    pub fn reported(&self, campaign: CampaignId) -> Vec<MetricId> {
        (0..self.metrics as u32)
            .map(MetricId)
            .filter(|&m| self.query(&Query::total(campaign, m)).records > 0)
            .collect()
    }

    /// The metric a campaign is mainly about: its first target, else the most reported one.
    pub fn main_metric(&self, campaign: &Campaign, id: CampaignId) -> Option<MetricId> {
        campaign.targets.first().map(|(m, _)| *m).or_else(|| {
            self.reported(id).into_iter().max_by_key(|&m| {
                (
                    self.query(&Query::total(id, m)).records,
                    std::cmp::Reverse(m),
                )
            })
        })
    }

    /// A campaign's total of each metric, with its target when it has one.
    pub fn key_figures(
        &self,
        campaign: &Campaign,
        id: CampaignId,
        metrics: &[MetricId],
    ) -> Vec<KeyFigure> {
        metrics
            .iter()
            .map(|&metric| KeyFigure {
                metric,
                value: self.total(id, metric),
                target: target(campaign, metric),
            })
            .collect()
    }

    /// The totals of every metric a campaign's records carry in one calendar month.
    pub fn month_totals(
        &self,
        campaign: CampaignId,
        year: i32,
        month: u32,
    ) -> Vec<(MetricId, u64)> {
        let first = NaiveDate::from_ymd_opt(year, month, 1);
        let last = first
            .and_then(|d| d.checked_add_months(chrono::Months::new(1)))
            .and_then(|d| d.pred_opt());
        (0..self.metrics as u32)
            .map(MetricId)
            .filter_map(|metric| {
                let f = self.query(&Query {
                    campaign,
                    metric,
                    unit: None,
                    from: first,
                    to: last,
                });
                (f.records > 0).then_some((metric, f.value))
            })
            .collect()
    }

    /// One unit's figure of `metric` in one campaign, if it reported any.
    pub fn unit_in_campaign(
        &self,
        unit: UnitId,
        campaign: CampaignId,
        metric: MetricId,
    ) -> Option<u64> {
        let f = self.query(&Query {
            unit: Some(unit),
            ..Query::total(campaign, metric)
        });
        (f.records > 0).then_some(f.value)
    }

    /// One unit's totals of `metric` in each campaign it reported it in.
    pub fn unit_by_campaign(&self, unit: UnitId, metric: MetricId) -> Vec<(CampaignId, u64)> {
        (0..self.campaigns.len() as u32)
            .map(CampaignId)
            .filter_map(|c| Some((c, self.unit_in_campaign(unit, c, metric)?)))
            .collect()
    }

    /// Totals per activity (free text), sorted by activity, for one metric.
    pub fn by_activity(&self, campaign: CampaignId, metric: MetricId) -> Vec<(&str, u64)> {
        self.campaigns[campaign.0 as usize]
            .activities
            .iter()
            .map(|(a, v)| (a.as_str(), v[metric.0 as usize]))
            .filter(|(_, v)| *v > 0)
            .collect()
    }
}

/// The first day of the period holding `d`: itself, the Monday of its ISO week, or the 1st.
pub fn period_start(d: NaiveDate, period: Period) -> NaiveDate {
    match period {
        Period::Day => d,
        Period::Week => d - chrono::Duration::days(i64::from(d.weekday().num_days_from_monday())),
        Period::Month => d.with_day(1).unwrap_or(d),
    }
}

fn next_period(d: NaiveDate, period: Period) -> NaiveDate {
    match period {
        Period::Day => d.succ_opt().unwrap_or(d),
        Period::Week => d + chrono::Duration::days(7),
        Period::Month => d.checked_add_months(chrono::Months::new(1)).unwrap_or(d),
    }
}

/// A campaign's total of one metric, with its target when it has one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyFigure {
    /// The metric.
    pub metric: MetricId,
    /// The campaign's total of it.
    pub value: u64,
    /// The campaign's target for it, if it has one.
    pub target: Option<u64>,
}

/// A campaign's target for `metric`, if it set one.
pub fn target(campaign: &Campaign, metric: MetricId) -> Option<u64> {
    campaign
        .targets
        .iter()
        .find(|(m, _)| *m == metric)
        .map(|(_, t)| *t)
}

/// Completion of a target in percent (may exceed 100).
pub fn completion(value: u64, target: u64) -> Option<f64> {
    (target > 0).then(|| value as f64 * 100.0 / target as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;
    use crate::numfmt::Language;
    use std::path::PathBuf;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn site() -> Site {
        let unit = |k: &str| Unit {
            key: UnitKey::new(k),
            name: k.to_uppercase(),
            aliases: vec![],
        };
        let metric = |k: &str| Metric {
            key: MetricKey::new(k),
            label: k.into(),
            measure_word: "户".into(),
            aliases: vec![],
        };
        let campaign = |s: &str| Campaign {
            slug: Slug::new(s),
            title: s.into(),
            organizer: None,
            start: d("2019-01-01"),
            end: d("2019-03-31"),
            targets: vec![],
            summary: None,
            summary_pos: Default::default(),
            origin: Origin::default(),
        };
        let rec = |c: u32, date: &str, u: u32, act: &str, m: &[(u32, u64)]| Record {
            campaign: CampaignId(c),
            date: d(date),
            monthly: false,
            unit: UnitId(u),
            activity: act.into(),
            place: String::new(),
            note: String::new(),
            metrics: m.iter().map(|&(m, n)| (MetricId(m), n)).collect(),
            origin: Origin::default(),
        };
        Site {
            root: PathBuf::new(),
            config: SiteConfig {
                title: "t".into(),
                publisher: None,
                base_url: "/".into(),
                language: Language::ZhCn,
                theme: "newspaper".into(),
                unsafe_html: false,
                description: None,
            },
            units: vec![unit("fayuan"), unit("gongan")],
            metrics: vec![metric("households"), metric("found"), metric("resolved")],
            ratios: vec![],
            campaigns: vec![campaign("a"), campaign("b")],
            records: vec![
                rec(0, "2019-01-03", 0, "走访", &[(0, 200), (1, 10)]),
                rec(0, "2019-01-03", 1, "走访", &[(0, 120)]),
                rec(0, "2019-02-14", 1, "调解", &[(0, 16), (1, 50), (2, 42)]),
                rec(0, "2019-03-30", 0, "走访", &[(0, 1500)]),
                rec(1, "2019-02-01", 1, "宣传", &[(0, 7)]),
            ],
            articles: vec![],
            issues: vec![],
            pages: vec![],
            static_files: vec![],
            files: Default::default(),
            media: Default::default(),
            incomplete: false,
        }
    }

    #[test]
    fn totals_per_campaign_unit_and_metric() {
        let f = Figures::new(&site());
        let (a, hh) = (CampaignId(0), MetricId(0));
        assert_eq!(f.total(a, hh), 1836);
        assert_eq!(
            f.query(&Query {
                unit: Some(UnitId(0)),
                ..Query::total(a, hh)
            })
            .value,
            1700
        );
        assert_eq!(
            f.query(&Query {
                unit: Some(UnitId(1)),
                ..Query::total(a, hh)
            })
            .value,
            136
        );
        assert_eq!(f.total(CampaignId(1), hh), 7);
        assert_eq!(f.total(a, MetricId(2)), 42);
        assert_eq!(f.unit_total(UnitId(1), hh).value, 143);
        assert_eq!(f.record_count(a), 4);
    }

    #[test]
    fn date_ranges_are_inclusive_and_may_be_empty() {
        let f = Figures::new(&site());
        let q = |from: &str, to: &str| Query {
            from: Some(d(from)),
            to: Some(d(to)),
            ..Query::total(CampaignId(0), MetricId(0))
        };
        assert_eq!(f.query(&q("2019-01-03", "2019-02-14")).value, 336);
        assert_eq!(
            f.query(&q("2019-01-04", "2019-02-13")),
            Figure {
                value: 0,
                records: 0
            }
        );
        assert_eq!(
            f.query(&q("2019-03-01", "2019-01-01")).value,
            0,
            "reversed range"
        );
        assert_eq!(f.query(&q("2019-02-14", "2019-02-14")).records, 1);
    }

    #[test]
    fn a_monthly_record_counts_in_ranges_that_hold_its_whole_month() {
        let mut s = site();
        let mut monthly = s.records[2].clone();
        monthly.date = d("2019-02-01");
        monthly.monthly = true;
        monthly.metrics = vec![(MetricId(0), 1000)];
        s.records.push(monthly);
        let f = Figures::new(&s);
        let q = |from: &str, to: &str| Query {
            from: Some(d(from)),
            to: Some(d(to)),
            ..Query::total(CampaignId(0), MetricId(0))
        };
        assert_eq!(f.total(CampaignId(0), MetricId(0)), 1836 + 1000);
        assert_eq!(f.query(&q("2019-02-01", "2019-02-28")).value, 16 + 1000);
        assert_eq!(f.cut_month(&q("2019-02-01", "2019-02-28")), None);
        assert_eq!(f.cut_month(&q("2019-01-01", "2019-03-31")), None);
        assert_eq!(
            f.cut_month(&q("2019-03-01", "2019-03-31")),
            None,
            "outside the month"
        );
        let cut = Some((d("2019-02-01"), d("2019-02-28")));
        assert_eq!(f.cut_month(&q("2019-02-10", "2019-03-31")), cut);
        assert_eq!(f.cut_month(&q("2019-01-01", "2019-02-27")), cut);
        let open_end = Query {
            from: Some(d("2019-02-15")),
            ..Query::total(CampaignId(0), MetricId(0))
        };
        assert_eq!(f.cut_month(&open_end), cut);
        assert!(f.has_monthly(CampaignId(0)) && !f.has_monthly(CampaignId(1)));
        // By month it lands in its month; the running total reaches it at the month's end.
        let months = f.series(&Query::total(CampaignId(0), MetricId(0)), Period::Month);
        assert_eq!(months[1], (d("2019-02-01"), 1016));
        let running = f.cumulative(&Query::total(CampaignId(0), MetricId(0)));
        assert!(
            running.contains(&(d("2019-02-28"), 320 + 16 + 1000)),
            "{running:?}"
        );
    }

    #[test]
    fn records_count_only_where_the_metric_is_reported() {
        let f = Figures::new(&site());
        let found = f.query(&Query {
            unit: Some(UnitId(1)),
            ..Query::total(CampaignId(0), MetricId(1))
        });
        assert_eq!(
            found,
            Figure {
                value: 50,
                records: 1
            }
        );
        let none = f.query(&Query::total(CampaignId(1), MetricId(2)));
        assert_eq!(none.records, 0);
    }

    #[test]
    fn series_by_month_and_week_fill_gaps() {
        let f = Figures::new(&site());
        let q = Query::total(CampaignId(0), MetricId(0));
        let months = f.series(&q, Period::Month);
        assert_eq!(
            months,
            vec![
                (d("2019-01-01"), 320),
                (d("2019-02-01"), 16),
                (d("2019-03-01"), 1500)
            ]
        );
        let weeks = f.series(&q, Period::Week);
        assert_eq!(weeks.first(), Some(&(d("2018-12-31"), 320)));
        assert_eq!(weeks.iter().map(|w| w.1).sum::<u64>(), 1836);
        assert!(weeks
            .windows(2)
            .all(|w| w[1].0 - w[0].0 == chrono::Duration::days(7)));
        let cum = f.cumulative(&q);
        assert_eq!(cum.last(), Some(&(d("2019-03-30"), 1836)));
    }

    #[test]
    fn activities_and_completion() {
        let f = Figures::new(&site());
        assert_eq!(
            f.by_activity(CampaignId(0), MetricId(0)),
            vec![("调解", 16), ("走访", 1820)]
        );
        assert_eq!(completion(1836, 2000), Some(91.8));
        assert_eq!(completion(5, 0), None);
    }

    #[test]
    fn empty_campaign_has_no_figures() {
        let mut s = site();
        s.records.clear();
        let f = Figures::new(&s);
        assert_eq!(f.total(CampaignId(0), MetricId(0)), 0);
        assert_eq!(f.span(CampaignId(0)), None);
        assert!(f
            .series(&Query::total(CampaignId(0), MetricId(0)), Period::Month)
            .is_empty());
    }
}
