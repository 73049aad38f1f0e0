//! `ratio()`: one of the site's ratios as a percentage (化解率 92%).

use tera::{Kwargs, State};

use super::args::{check_args, err, figure, query_args, str_arg, FnError};
use super::Shared;
use crate::diag::did_you_mean;
use crate::numfmt;

/// The ratio `name` of a campaign (or one unit, or a date range), in percent.
pub(super) fn ratio(sh: &Shared, kw: &Kwargs, st: &State) -> Result<String, FnError> {
    check_args(
        kw,
        "ratio",
        &["name", "unit", "from", "to", "campaign", "decimals"],
    )?;
    let site = &sh.site;
    let name = str_arg(kw, "name")?.ok_or_else(|| err("ratio(): missing argument `name`"))?;
    let r = site.ratios.iter().find(|r| r.key == name).ok_or_else(|| {
        FnError(
            format!("unknown ratio \"{name}\""),
            did_you_mean(&name, site.ratios.iter().map(|r| r.key.as_str())),
        )
    })?;
    let decimals = kw
        .get::<u32>("decimals")
        .map_err(|e| err(e.to_string()))?
        .unwrap_or(0)
        .min(4);
    let num = figure(sh, &query_args(sh, kw, st, r.numerator)?)?;
    let den = figure(sh, &query_args(sh, kw, st, r.denominator)?)?;
    numfmt::percent(num, den, decimals).ok_or_else(|| {
        FnError(
            format!(
                "{} cannot be computed: {} is 0",
                r.label,
                site.metric(r.denominator).label
            ),
            None,
        )
    })
}
