//! `data/<campaign>.xlsx`: a campaign's figures as a workbook, for archiving and for offices
//! that go on in Excel.
//!
//! Sheets: `汇总` (totals, targets and completion, ratios), `按单位` (unit × metric), `按月`
//! (month × metric) and `记录` (every record with the file and row it came from). Counts are
//! number cells and dates are date cells, so the figures can be summed and charted as they are.
//! Every number comes from [`Figures`], the one source of the site's figures.

use chrono::NaiveDate;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::{excel_date, failed, metric_header, properties, width_of, Formats};
use crate::aggregate::{period_start, Figures, Period, Query};
use crate::diag::Diagnostic;
use crate::model::{CampaignId, MetricId, Record, Site, UnitId};

/// Sheet names, in order.
pub const SUMMARY_SHEET: &str = "汇总";
/// Unit × metric.
pub const UNIT_SHEET: &str = "按单位";
/// Month × metric.
pub const MONTH_SHEET: &str = "按月";
/// Every record.
pub const RECORD_SHEET: &str = "记录";

/// Excel's last row is 1,048,576: the records sheet keeps one for its header and one for a note
/// saying how many records did not fit (`data/records.csv` has them all).
const MAX_RECORD_ROWS: usize = 1_048_576 - 2;

/// The workbook of `campaign`: its totals, targets, units, months and records.
pub fn campaign_workbook(
    site: &Site,
    figures: &Figures,
    campaign: CampaignId,
) -> Result<Vec<u8>, Diagnostic> {
    let c = site.campaign(campaign);
    build(site, figures, campaign).map_err(|e| failed(c, "workbook", e))
}

fn build(site: &Site, figures: &Figures, campaign: CampaignId) -> Result<Vec<u8>, XlsxError> {
    let c = site.campaign(campaign);
    let f = Formats::new();
    let reported = reported_metrics(site, figures, campaign);
    let mut wb = Workbook::new();
    let created = figures.span(campaign).map_or(c.start, |(_, last)| last);
    wb.set_properties(&properties(site, &format!("{}数据汇总", c.title), created)?);
    wb.push_worksheet(summary_sheet(site, figures, campaign, &f)?);
    wb.push_worksheet(unit_sheet(site, figures, campaign, &reported, &f)?);
    wb.push_worksheet(month_sheet(site, figures, campaign, &reported, &f)?);
    wb.push_worksheet(record_sheet(site, campaign, &reported, &f)?);
    // Excel's own level: about 30% less time compressing than the default 6, for a file a few
    // percent larger (measured in docs/decisions.md).
    wb.set_zip_compression_level(3);
    wb.save_to_buffer()
}

/// Metrics the campaign's records carry, in `site.yaml` order.
fn reported_metrics(site: &Site, figures: &Figures, campaign: CampaignId) -> Vec<MetricId> {
    (0..site.metrics.len() as u32)
        .map(MetricId)
        .filter(|&m| figures.query(&Query::total(campaign, m)).records > 0)
        .collect()
}

fn header(ws: &mut Worksheet, row: u32, labels: &[String], f: &Formats) -> Result<(), XlsxError> {
    for (i, label) in labels.iter().enumerate() {
        ws.write_string_with_format(row, i as u16, label, &f.header)?;
        ws.set_column_width(i as u16, width_of(label).clamp(8.0, 40.0))?;
    }
    Ok(())
}

fn metric_headers(site: &Site, metrics: &[MetricId]) -> Vec<String> {
    metrics
        .iter()
        .map(|&m| metric_header(&site.metric(m).label, &site.metric(m).measure_word))
        .collect()
}

fn summary_sheet(
    site: &Site,
    figures: &Figures,
    campaign: CampaignId,
    f: &Formats,
) -> Result<Worksheet, XlsxError> {
    let c = site.campaign(campaign);
    let mut ws = Worksheet::new();
    ws.set_name(SUMMARY_SHEET)?;
    let percent = f.count.clone().set_num_format("0.0%");
    let label = Format::new().set_bold();
    let date = Format::new().set_num_format("yyyy-mm-dd");

    ws.set_row_height(0, 32)?;
    ws.merge_range(0, 0, 0, 4, &format!("{}数据汇总", c.title), &f.title)?;
    ws.write_string_with_format(1, 0, "主办单位", &label)?;
    ws.write_string(1, 1, c.organizer.as_deref().unwrap_or(""))?;
    ws.write_string_with_format(2, 0, "开始日期", &label)?;
    ws.write_datetime_with_format(2, 1, excel_date(c.start)?, &date)?;
    ws.write_string_with_format(3, 0, "结束日期", &label)?;
    ws.write_datetime_with_format(3, 1, excel_date(c.end)?, &date)?;
    ws.write_string_with_format(4, 0, "记录条数", &label)?;
    ws.write_number(4, 1, figures.record_count(campaign) as f64)?;

    let table = 6;
    let cols = ["指标", "量词", "合计", "目标", "完成率"].map(String::from);
    header(&mut ws, table, &cols, f)?;
    ws.set_column_width(0, 20)?;
    let mut row = table + 1;
    for i in 0..site.metrics.len() as u32 {
        let m = MetricId(i);
        let total = figures.query(&Query::total(campaign, m));
        let target = c.targets.iter().find(|(t, _)| *t == m).map(|&(_, n)| n);
        if total.records == 0 && target.is_none() {
            continue;
        }
        let metric = site.metric(m);
        ws.write_string_with_format(row, 0, &metric.label, &f.text)?;
        ws.write_string_with_format(row, 1, &metric.measure_word, &f.text)?;
        ws.write_number_with_format(row, 2, total.value as f64, &f.count)?;
        match target {
            Some(t) => {
                ws.write_number_with_format(row, 3, t as f64, &f.count)?;
                if t > 0 {
                    ws.write_number_with_format(row, 4, total.value as f64 / t as f64, &percent)?;
                } else {
                    ws.write_blank(row, 4, &f.text)?;
                }
            }
            None => {
                ws.write_blank(row, 3, &f.text)?;
                ws.write_blank(row, 4, &f.text)?;
            }
        }
        row += 1;
    }

    ratio_table(&mut ws, site, figures, campaign, f, &percent, row + 1)?;
    ws.set_column_width(1, 12)?;
    Ok(ws)
}

/// The table of the campaign's ratios (a share of one metric in another), from `row` down;
/// nothing when no ratio has a denominator.
fn ratio_table(
    ws: &mut Worksheet,
    site: &Site,
    figures: &Figures,
    campaign: CampaignId,
    f: &Formats,
    percent: &Format,
    mut row: u32,
) -> Result<(), XlsxError> {
    let ratios: Vec<_> = site
        .ratios
        .iter()
        .map(|r| {
            let n = figures.total(campaign, r.numerator);
            let d = figures.total(campaign, r.denominator);
            (r, n, d)
        })
        .filter(|&(_, _, d)| d > 0)
        .collect();
    if ratios.is_empty() {
        return Ok(());
    }
    let cols = ["比率", "分子", "分母", "数值"];
    for (i, l) in cols.iter().enumerate() {
        ws.write_string_with_format(row, i as u16, *l, &f.header)?;
    }
    row += 1;
    for (r, n, d) in ratios {
        ws.write_string_with_format(row, 0, &r.label, &f.text)?;
        ws.write_number_with_format(row, 1, n as f64, &f.count)?;
        ws.write_number_with_format(row, 2, d as f64, &f.count)?;
        ws.write_number_with_format(row, 3, n as f64 / d as f64, percent)?;
        row += 1;
    }
    Ok(())
}

fn unit_sheet(
    site: &Site,
    figures: &Figures,
    campaign: CampaignId,
    metrics: &[MetricId],
    f: &Formats,
) -> Result<Worksheet, XlsxError> {
    let mut ws = Worksheet::new();
    ws.set_name(UNIT_SHEET)?;
    let mut cols = vec!["单位".to_string()];
    cols.extend(metric_headers(site, metrics));
    header(&mut ws, 0, &cols, f)?;
    ws.set_column_width(
        0,
        site.units
            .iter()
            .map(|u| width_of(&u.name))
            .fold(10.0, f64::max),
    )?;
    let mut row = 1;
    for u in (0..site.units.len() as u32).map(UnitId) {
        let per: Vec<_> = metrics
            .iter()
            .map(|&m| {
                figures.query(&Query {
                    unit: Some(u),
                    ..Query::total(campaign, m)
                })
            })
            .collect();
        if per.iter().all(|x| x.records == 0) {
            continue;
        }
        ws.write_string_with_format(row, 0, &site.unit(u).name, &f.text)?;
        for (i, x) in per.iter().enumerate() {
            let col = i as u16 + 1;
            if x.records > 0 {
                ws.write_number_with_format(row, col, x.value as f64, &f.count)?;
            } else {
                ws.write_blank(row, col, &f.text)?;
            }
        }
        row += 1;
    }
    ws.write_string_with_format(row, 0, "合计", &f.total_label)?;
    for (i, &m) in metrics.iter().enumerate() {
        ws.write_number_with_format(
            row,
            i as u16 + 1,
            figures.total(campaign, m) as f64,
            &f.total,
        )?;
    }
    ws.set_freeze_panes(1, 1)?;
    Ok(ws)
}

fn month_sheet(
    site: &Site,
    figures: &Figures,
    campaign: CampaignId,
    metrics: &[MetricId],
    f: &Formats,
) -> Result<Worksheet, XlsxError> {
    let mut ws = Worksheet::new();
    ws.set_name(MONTH_SHEET)?;
    // Not `月份`: that header marks a monthly tally to the records reader, and this sheet,
    // dropped into records/ with the 记录 sheet, would count every record twice.
    let mut cols = vec!["统计月份".to_string()];
    cols.extend(metric_headers(site, metrics));
    header(&mut ws, 0, &cols, f)?;
    let month = f.text.clone().set_num_format("yyyy\"年\"m\"月\"");
    let mut row = 1;
    if let Some((first, last)) = figures.span(campaign) {
        let mut start = period_start(first, Period::Month);
        while start <= last {
            let next = start
                .checked_add_months(chrono::Months::new(1))
                .unwrap_or(NaiveDate::MAX);
            let end = next.pred_opt().unwrap_or(next);
            ws.write_datetime_with_format(row, 0, excel_date(start)?, &month)?;
            for (i, &m) in metrics.iter().enumerate() {
                let v = figures
                    .query(&Query {
                        from: Some(start),
                        to: Some(end),
                        ..Query::total(campaign, m)
                    })
                    .value;
                ws.write_number_with_format(row, i as u16 + 1, v as f64, &f.count)?;
            }
            row += 1;
            start = next;
        }
    }
    ws.write_string_with_format(row, 0, "合计", &f.total_label)?;
    for (i, &m) in metrics.iter().enumerate() {
        ws.write_number_with_format(
            row,
            i as u16 + 1,
            figures.total(campaign, m) as f64,
            &f.total,
        )?;
    }
    ws.set_freeze_panes(1, 1)?;
    Ok(ws)
}

fn record_sheet(
    site: &Site,
    campaign: CampaignId,
    metrics: &[MetricId],
    f: &Formats,
) -> Result<Worksheet, XlsxError> {
    let mut ws = Worksheet::new();
    ws.set_name(RECORD_SHEET)?;
    let mut cols: Vec<String> = ["日期", "单位", "活动", "地点"].map(String::from).to_vec();
    cols.extend(metric_headers(site, metrics));
    cols.extend(["备注", "来源文件", "行"].map(String::from));
    header(&mut ws, 0, &cols, f)?;
    let n = metrics.len() as u16;
    let (note, source, line) = (4 + n, 5 + n, 6 + n);
    ws.set_column_width(0, 12)?;
    ws.set_column_width(3, 16)?;
    ws.set_column_width(note, 24)?;
    ws.set_column_width(source, 40)?;

    let mut rows: Vec<&Record> = site
        .records
        .iter()
        .filter(|r| r.campaign == campaign)
        .collect();
    // The order of data/records.csv: by date, unit, then where the record was written.
    rows.sort_by(|a, b| {
        (a.date, a.unit, &a.origin.path, a.origin.pos).cmp(&(
            b.date,
            b.unit,
            &b.origin.path,
            b.origin.pos,
        ))
    });
    let mut row = 1;
    for r in rows.iter().take(MAX_RECORD_ROWS) {
        ws.write_datetime_with_format(row, 0, excel_date(r.date)?, &f.date)?;
        ws.write_string_with_format(row, 1, &site.unit(r.unit).name, &f.text)?;
        ws.write_string_with_format(row, 2, &r.activity, &f.text)?;
        ws.write_string_with_format(row, 3, &r.place, &f.text)?;
        for (i, &m) in metrics.iter().enumerate() {
            let col = 4 + i as u16;
            match r.metrics.iter().find(|(k, _)| *k == m) {
                Some(&(_, v)) => ws.write_number_with_format(row, col, v as f64, &f.count)?,
                None => ws.write_blank(row, col, &f.text)?,
            };
        }
        ws.write_string_with_format(row, note, &r.note, &f.text)?;
        let path = r.origin.path.to_string_lossy().replace('\\', "/");
        ws.write_string_with_format(row, source, &path, &f.text)?;
        if r.origin.pos.line > 0 {
            ws.write_number_with_format(row, line, r.origin.pos.line as f64, &f.count)?;
        } else {
            ws.write_blank(row, line, &f.text)?;
        }
        row += 1;
    }
    if rows.len() > MAX_RECORD_ROWS {
        let more = rows.len() - MAX_RECORD_ROWS;
        ws.write_string(
            row,
            0,
            format!("另有 {more} 条记录超出工作表行数上限，未列出；全部记录见 data/records.csv。"),
        )?;
    }
    let last_col = line;
    ws.autofilter(0, 0, (row - 1).max(1), last_col)?;
    ws.set_freeze_panes(1, 0)?;
    Ok(ws)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workbook::tests_support::{cell, sample_site, sheet};
    use calamine::Data;

    fn num(d: &Data) -> f64 {
        match d {
            Data::Float(x) => *x,
            Data::Int(x) => *x as f64,
            other => panic!("not a number cell: {other:?}"),
        }
    }

    #[test]
    fn totals_targets_and_completion_equal_the_figures() {
        let site = sample_site();
        let figures = Figures::new(site);
        for id in (0..site.campaigns.len() as u32).map(CampaignId) {
            let c = site.campaign(id);
            let bytes = campaign_workbook(site, &figures, id).unwrap();
            let (range, _) = sheet(&bytes, SUMMARY_SHEET);
            assert_eq!(
                cell(&range, 0, 0),
                Data::String(format!("{}数据汇总", c.title))
            );
            assert!(
                matches!(cell(&range, 2, 1), Data::DateTime(_)),
                "start is a date cell"
            );
            assert_eq!(num(&cell(&range, 4, 1)), figures.record_count(id) as f64);
            assert_eq!(cell(&range, 6, 2), Data::String("合计".into()));
            let mut row = 7;
            let mut seen = 0;
            while let Data::String(label) = cell(&range, row, 0) {
                if label == "比率" {
                    break;
                }
                let m = site.metrics.iter().position(|m| m.label == label).unwrap();
                let m = MetricId(m as u32);
                assert_eq!(
                    cell(&range, row, 1),
                    Data::String(site.metric(m).measure_word.clone())
                );
                assert_eq!(
                    num(&cell(&range, row, 2)),
                    figures.total(id, m) as f64,
                    "{label}"
                );
                if let Some(&(_, t)) = c.targets.iter().find(|(k, _)| *k == m) {
                    assert_eq!(num(&cell(&range, row, 3)), t as f64);
                    let done = num(&cell(&range, row, 4));
                    assert!((done - figures.total(id, m) as f64 / t as f64).abs() < 1e-12);
                }
                seen += 1;
                row += 1;
            }
            let expect = (0..site.metrics.len() as u32)
                .map(MetricId)
                .filter(|&m| {
                    figures.query(&Query::total(id, m)).records > 0
                        || c.targets.iter().any(|(k, _)| *k == m)
                })
                .count();
            assert_eq!(seen, expect, "one row per reported or targeted metric");
        }
    }

    #[test]
    fn units_months_and_records_add_up_to_the_totals() {
        let site = sample_site();
        let figures = Figures::new(site);
        let id = CampaignId(0);
        let bytes = campaign_workbook(site, &figures, id).unwrap();
        let metrics = reported_metrics(site, &figures, id);
        assert!(!metrics.is_empty());

        let (units, _) = sheet(&bytes, UNIT_SHEET);
        let m0 = site.metric(metrics[0]);
        assert_eq!(
            cell(&units, 0, 1),
            Data::String(format!("{}（{}）", m0.label, m0.measure_word))
        );
        let rows: Vec<_> = units.rows().skip(1).collect();
        let (total_row, unit_rows) = rows.split_last().unwrap();
        assert_eq!(total_row[0], Data::String("合计".into()));
        for (i, &m) in metrics.iter().enumerate() {
            let sum: f64 = unit_rows
                .iter()
                .map(|r| {
                    if r[i + 1] == Data::Empty {
                        0.0
                    } else {
                        num(&r[i + 1])
                    }
                })
                .sum();
            assert_eq!(sum, figures.total(id, m) as f64);
            assert_eq!(num(&total_row[i + 1]), sum);
        }
        for r in unit_rows {
            let name = r[0].to_string();
            let u = UnitId(site.units.iter().position(|u| u.name == name).unwrap() as u32);
            let want = figures.query(&Query {
                unit: Some(u),
                ..Query::total(id, metrics[0])
            });
            if want.records > 0 {
                assert_eq!(num(&r[1]), want.value as f64, "{name}");
            }
        }

        let (months, _) = sheet(&bytes, MONTH_SHEET);
        assert_eq!(cell(&months, 0, 0), Data::String("统计月份".into()));
        let rows: Vec<_> = months.rows().skip(1).collect();
        let (total_row, month_rows) = rows.split_last().unwrap();
        assert!(month_rows.iter().all(|r| matches!(r[0], Data::DateTime(_))));
        for (i, &m) in metrics.iter().enumerate() {
            let sum: f64 = month_rows.iter().map(|r| num(&r[i + 1])).sum();
            assert_eq!(sum, figures.total(id, m) as f64);
            assert_eq!(num(&total_row[i + 1]), sum);
        }

        let (records, _) = sheet(&bytes, RECORD_SHEET);
        let rows: Vec<_> = records.rows().collect();
        assert_eq!(rows.len() - 1, figures.record_count(id));
        let last = rows[0].len() - 1;
        assert_eq!(rows[0][last], Data::String("行".into()));
        assert_eq!(rows[0][last - 1], Data::String("来源文件".into()));
        for (i, &m) in metrics.iter().enumerate() {
            let sum: f64 = rows[1..]
                .iter()
                .map(|r| {
                    if r[4 + i] == Data::Empty {
                        0.0
                    } else {
                        num(&r[4 + i])
                    }
                })
                .sum();
            assert_eq!(sum, figures.total(id, m) as f64);
        }
        for r in &rows[1..] {
            assert!(matches!(r[0], Data::DateTime(_)), "date cell");
            let path = r[last - 1].to_string();
            assert!(path.starts_with("content/campaigns/"), "{path}");
            assert!(num(&r[last]) >= 1.0);
        }
    }

    #[test]
    fn same_input_same_bytes() {
        let site = sample_site();
        let figures = Figures::new(site);
        let a = campaign_workbook(site, &figures, CampaignId(1)).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(1100));
        let b = campaign_workbook(site, &figures, CampaignId(1)).unwrap();
        assert!(a == b, "archive bytes differ between runs");
    }
}
