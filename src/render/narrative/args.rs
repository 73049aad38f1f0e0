//! Reading the arguments of the narrative functions, and their errors.

use chrono::Datelike;
use chrono::NaiveDate;
use tera::{Kwargs, State};

use super::Shared;
use crate::aggregate::Query;
use crate::dates::parse_date;
use crate::diag::did_you_mean;
use crate::model::{CampaignId, MetricId, Site, UnitId};

/// Separates a message from its hint inside a Tera error string.
pub(super) const HINT_SEP: &str = "\u{E002}";

/// A narrative function's failure: message and optional hint.
pub(super) struct FnError(pub(super) String, pub(super) Option<String>);

pub(super) fn to_tera(e: FnError) -> tera::Error {
    match e.1 {
        Some(h) => tera::Error::message(format!("{}{HINT_SEP}{h}", e.0)),
        None => tera::Error::message(e.0),
    }
}

pub(super) fn err(msg: impl Into<String>) -> FnError {
    FnError(msg.into(), None)
}

pub(super) fn check_args(kw: &Kwargs, func: &str, known: &[&str]) -> Result<(), FnError> {
    for (k, _) in kw.iter() {
        let k = k.to_string();
        if !known.contains(&k.as_str()) {
            return Err(FnError(
                format!("{func}(): unknown argument `{k}`"),
                did_you_mean(&k, known.iter().copied()),
            ));
        }
    }
    Ok(())
}

pub(super) fn str_arg(kw: &Kwargs, key: &str) -> Result<Option<String>, FnError> {
    kw.get::<String>(key)
        .map_err(|e| err(format!("argument `{key}`: {e}")))
}

pub(super) fn bool_arg(kw: &Kwargs, key: &str) -> Result<bool, FnError> {
    Ok(kw
        .get::<bool>(key)
        .map_err(|e| err(format!("argument `{key}`: {e}")))?
        .unwrap_or(false))
}

pub(super) fn metric_arg(site: &Site, name: &str) -> Result<MetricId, FnError> {
    site.metric_id(name).ok_or_else(|| {
        FnError(
            format!("unknown metric \"{name}\""),
            did_you_mean(name, site.metrics.iter().map(|m| m.key.as_str())),
        )
    })
}

pub(super) fn unit_arg(site: &Site, kw: &Kwargs) -> Result<Option<UnitId>, FnError> {
    match str_arg(kw, "unit")? {
        None => Ok(None),
        Some(u) => site.unit_id(&u).map(Some).ok_or_else(|| {
            FnError(
                format!("unknown unit \"{u}\""),
                did_you_mean(&u, site.units.iter().map(|x| x.key.as_str())),
            )
        }),
    }
}

pub(super) fn date_arg(kw: &Kwargs, key: &str) -> Result<Option<NaiveDate>, FnError> {
    match str_arg(kw, key)? {
        None => Ok(None),
        Some(s) => parse_date(&s).map(Some).ok_or_else(|| {
            FnError(
                format!("`{key}`: cannot read \"{s}\" as a date"),
                Some("write dates as 2019-06-09".into()),
            )
        }),
    }
}

pub(super) fn campaign_arg(sh: &Shared, kw: &Kwargs, st: &State) -> Result<CampaignId, FnError> {
    let site = &sh.site;
    if let Some(c) = str_arg(kw, "campaign")? {
        return site.campaign_id(&c).ok_or_else(|| {
            FnError(
                format!("unknown campaign \"{c}\""),
                did_you_mean(&c, site.campaigns.iter().map(|x| x.slug.as_str())),
            )
        });
    }
    match st.get::<u32>("__campaign") {
        Ok(Some(c)) => Ok(CampaignId(c)),
        _ => Err(FnError(
            "this narrative belongs to no campaign, so the figure has no source".into(),
            Some(
                "name one: campaign=\"slug\", or give the article `campaign:` in its front matter"
                    .into(),
            ),
        )),
    }
}

pub(super) fn query_args(
    sh: &Shared,
    kw: &Kwargs,
    st: &State,
    metric: MetricId,
) -> Result<Query, FnError> {
    let q = Query {
        campaign: campaign_arg(sh, kw, st)?,
        metric,
        unit: unit_arg(&sh.site, kw)?,
        from: date_arg(kw, "from")?,
        to: date_arg(kw, "to")?,
    };
    if let (Some(f), Some(t)) = (q.from, q.to) {
        if t < f {
            return Err(err(format!("`to` ({t}) is before `from` ({f})")));
        }
    }
    Ok(q)
}

/// A date range that cuts through the month of a monthly record is an error naming both (SPEC
/// §3): the records cannot say how much of the month fell inside the range.
pub(super) fn whole_months(sh: &Shared, q: &Query) -> Result<(), FnError> {
    let Some((first, last)) = sh.figures.cut_month(q) else {
        return Ok(());
    };
    let range = format!(
        "{} to {}",
        q.from.map_or("the start".into(), |d| d.to_string()),
        q.to.map_or("the end".into(), |d| d.to_string())
    );
    Err(FnError(
        format!(
            "the range {range} cuts through {}, which a monthly record covers whole: its count cannot be split by day",
            crate::numfmt::cn_month(first.year(), first.month(), sh.site.config.language)
        ),
        Some(format!(
            "take the whole month into the range (from={first}, to={last}) or leave it out"
        )),
    ))
}

/// The figure, or an error when no record carries it ("cannot be computed", SPEC §3).
pub(super) fn figure(sh: &Shared, q: &Query) -> Result<u64, FnError> {
    whole_months(sh, q)?;
    let f = sh.figures.query(q);
    // In a site with files left out, the missing records may be in them: that is reported
    // on the run after they are fixed, not guessed at now.
    if f.records == 0 && !sh.site.incomplete {
        let site = &sh.site;
        let mut what = format!(
            "{} ({})",
            site.metric(q.metric).key,
            site.metric(q.metric).label
        );
        if let Some(u) = q.unit {
            what.push_str(&format!(" of unit {}", site.unit(u).key));
        }
        let c = site.campaign(q.campaign);
        let range = match (q.from, q.to) {
            (None, None) => String::new(),
            (f, t) => format!(
                " between {} and {}",
                f.map_or("the start".into(), |d| d.to_string()),
                t.map_or("the end".into(), |d| d.to_string())
            ),
        };
        return Err(FnError(
            format!(
                "no records of {what} in campaign {}{range}: the figure cannot be computed",
                c.slug
            ),
            Some("check the metric, unit and dates, or add the records".into()),
        ));
    }
    Ok(f.value)
}
