//! The one place a [`Record`] is made, whichever file it was read from.

use std::path::Path;

use chrono::NaiveDate;

use crate::diag::{Diagnostic, Pos};
use crate::load::keys::CampaignSpan;
use crate::model::{MetricId, Origin, Record, UnitId};

/// A record's fields once its unit, campaign and metrics are resolved.
pub(super) struct RecordDraft {
    /// The day of the activity, or the first day of the month a monthly record covers.
    pub(super) date: NaiveDate,
    /// Whether the record covers the whole month of `date`.
    pub(super) monthly: bool,
    /// The unit that reported it.
    pub(super) unit: UnitId,
    /// Its campaign, with the days the campaign runs.
    pub(super) campaign: CampaignSpan,
    /// 走访, 座谈 … (free text).
    pub(super) activity: String,
    /// Where it took place.
    pub(super) place: String,
    /// A remark.
    pub(super) note: String,
    /// Counts, in the order the path that read them keeps.
    pub(super) metrics: Vec<(MetricId, u64)>,
}

impl RecordDraft {
    /// The record read at `pos` of `rel`. A record dated outside its campaign is still a
    /// record, with a warning at `date_pos` (asked only then: finding a position costs).
    pub(super) fn finish(
        self,
        rel: &Path,
        pos: Pos,
        date_pos: impl FnOnce() -> Pos,
    ) -> (Record, Option<Diagnostic>) {
        let RecordDraft {
            date,
            monthly,
            unit,
            campaign,
            activity,
            place,
            note,
            metrics,
        } = self;
        // A monthly record is outside only when none of its month is inside.
        let outside = if monthly {
            month_end(date) < campaign.start || date > campaign.end
        } else {
            !campaign.contains(date)
        };
        let warning = outside.then(|| {
            let what = if monthly {
                format!("record for the month {}", date.format("%Y-%m"))
            } else {
                format!("record dated {date}")
            };
            Diagnostic::warning(
                rel,
                date_pos(),
                format!(
                    "{what} is outside its campaign ({} to {})",
                    campaign.start, campaign.end
                ),
            )
            .with_hint("check the year and month, or the campaign's start/end")
        });
        let record = Record {
            campaign: campaign.id,
            date,
            monthly,
            unit,
            activity,
            place,
            note,
            metrics,
            origin: Origin {
                path: rel.to_path_buf(),
                pos,
            },
        };
        (record, warning)
    }
}

/// The last day of the month of `first` (a month's first day).
fn month_end(first: NaiveDate) -> NaiveDate {
    first
        .checked_add_months(chrono::Months::new(1))
        .and_then(|next| next.pred_opt())
        .unwrap_or(NaiveDate::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CampaignId;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn draft(date: &str, monthly: bool) -> RecordDraft {
        RecordDraft {
            date: d(date),
            monthly,
            unit: UnitId(0),
            campaign: CampaignSpan {
                id: CampaignId(0),
                start: d("2019-01-15"),
                end: d("2019-03-10"),
            },
            activity: String::new(),
            place: String::new(),
            note: String::new(),
            metrics: vec![],
        }
    }

    fn outside(date: &str, monthly: bool) -> bool {
        let pos = Pos::new(1, 1);
        draft(date, monthly)
            .finish(Path::new("r"), pos, || pos)
            .1
            .is_some()
    }

    #[test]
    fn a_month_is_outside_only_when_none_of_it_is_inside() {
        assert!(
            !outside("2019-01-01", true),
            "January overlaps from the 15th"
        );
        assert!(
            !outside("2019-03-01", true),
            "March overlaps until the 10th"
        );
        assert!(outside("2018-12-01", true));
        assert!(outside("2019-04-01", true));
        assert!(outside("2019-01-01", false), "the day itself is outside");
        assert_eq!(month_end(d("2020-02-01")), d("2020-02-29"));
        assert_eq!(month_end(d("2019-12-01")), d("2019-12-31"));
    }
}
