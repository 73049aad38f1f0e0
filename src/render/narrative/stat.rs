//! `stat()`: one figure in the text, as a press officer writes it (1836户, 1800余户, 1.2万户).

use tera::{Kwargs, State};

use super::args::{bool_arg, check_args, err, figure, metric_arg, query_args, str_arg, FnError};
use super::md_text;
use super::Shared;
use crate::numfmt::{self, Style};

/// The figure `metric` of a campaign (or one unit, or a date range).
pub(super) fn stat(sh: &Shared, kw: &Kwargs, st: &State) -> Result<String, FnError> {
    check_args(
        kw,
        "stat",
        &[
            "metric", "unit", "from", "to", "campaign", "approx", "wan", "bare",
        ],
    )?;
    let name = str_arg(kw, "metric")?.ok_or_else(|| err("stat(): missing argument `metric`"))?;
    let metric = metric_arg(&sh.site, &name)?;
    let q = query_args(sh, kw, st, metric)?;
    let value = figure(sh, &q)?;
    let approx = match kw
        .get::<tera::Value>("approx")
        .map_err(|e| err(e.to_string()))?
    {
        None => None,
        Some(v) if v.as_bool() == Some(true) => Some(2),
        Some(v) if v.as_bool() == Some(false) => None,
        Some(v) => match v.as_i64() {
            Some(d) if (1..=18).contains(&d) => Some(d as u32),
            _ => {
                return Err(FnError(
                    "`approx` takes a number of digits (1 or more)".into(),
                    Some("approx=2 keeps 2 significant digits: 1834 → 1800余".into()),
                ))
            }
        },
    };
    let style = Style {
        approx,
        wan: bool_arg(kw, "wan")?,
    };
    Ok(if bool_arg(kw, "bare")? {
        numfmt::format_count(value, style)
    } else {
        numfmt::format_with_unit(value, style, &md_text(&sh.site.metric(metric).measure_word))
    })
}
