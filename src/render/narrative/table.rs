//! `table()`: every unit's totals of a campaign, with a total row.

use tera::{Kwargs, State};

use super::args::{campaign_arg, check_args, err, str_arg, FnError};
use super::{fragment, Shared};
use crate::render::figures;

/// The per-unit table of a campaign.
pub(super) fn table(sh: &Shared, kw: &Kwargs, st: &State) -> Result<String, FnError> {
    check_args(kw, "table", &["by", "campaign"])?;
    let by = str_arg(kw, "by")?.unwrap_or_else(|| "unit".into());
    if by != "unit" {
        return Err(FnError(
            format!("table(by=\"{by}\") is not supported"),
            Some("table(by=\"unit\") lists every unit's totals".into()),
        ));
    }
    let campaign = campaign_arg(sh, kw, st)?;
    if sh.figures.record_count(campaign) == 0 {
        return Err(err(format!(
            "campaign {} has no records: the table cannot be computed",
            sh.site.campaign(campaign).slug
        )));
    }
    let key = format!("table|{campaign:?}");
    fragment(sh, key, || {
        Ok(figures::unit_table(&sh.site, &sh.figures, campaign))
    })
}
