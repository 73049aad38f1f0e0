//! The one place a [`Record`] is made, whichever file it was read from.

use std::path::Path;

use chrono::NaiveDate;

use crate::diag::{Diagnostic, Pos};
use crate::load::keys::CampaignSpan;
use crate::model::{MetricId, Origin, Record, UnitId};

/// A record's fields once its unit, campaign and metrics are resolved.
pub(super) struct RecordDraft {
    /// The day of the activity.
    pub(super) date: NaiveDate,
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
            unit,
            campaign,
            activity,
            place,
            note,
            metrics,
        } = self;
        let warning = (!campaign.contains(date)).then(|| {
            Diagnostic::warning(
                rel,
                date_pos(),
                format!(
                    "record dated {date} is outside its campaign ({} to {})",
                    campaign.start, campaign.end
                ),
            )
            .with_hint("check the year and month, or the campaign's start/end")
        });
        let record = Record {
            campaign: campaign.id,
            date,
            monthly: false,
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
