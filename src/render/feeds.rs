//! Machine-readable output: the Atom feed, the sitemap, and the archive data
//! (`data/records.csv`, `data/summary.json`).

use std::collections::HashMap;
use std::fmt::Write;

use serde::Serialize;

use super::figures::esc;
use super::OutFile;
use crate::aggregate::{Figures, Query};
use crate::model::{Article, ArticleId, Campaign, CampaignId, MetricId, Site, UnitId};
use crate::paths;

/// `base_url` joined with a site-relative path.
fn absolute(base: &str, path: &str) -> String {
    format!("{}/{}", base.trim_end_matches('/'), path)
}

/// A feed id for a site-relative path: the absolute URL when `base_url` has a host; without
/// one, a `urn:uuid:` made from the site's title and the path, since Atom ids must be
/// absolute IRIs and a bare path is not one.
fn feed_id(site: &Site, base: &str, path: &str) -> String {
    if paths::base_has_host(base) {
        return absolute(base, path);
    }
    let h = xxhash_rust::xxh3::xxh3_128(format!("{}\n{path}", site.config.title).as_bytes());
    let hex = format!("{h:032x}");
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

/// Text for XML 1.0: escaped, and without the characters XML 1.0 forbids (control
/// characters other than tab, line feed and carriage return; U+FFFE, U+FFFF), which would make
/// the whole feed not well-formed.
fn xml(s: &str) -> String {
    let allowed = |c: &char| !matches!(*c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}');
    if s.chars().all(|c| allowed(&c)) {
        esc(s)
    } else {
        esc(&s.chars().filter(allowed).collect::<String>())
    }
}

/// A CSV cell a spreadsheet will not run: text starting with `=`, `+`, `-`, `@`, a tab or a
/// carriage return is a formula to Excel, so it gets a leading `'`.
fn csv_cell(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// The Atom feed of the newest 50 articles.
pub fn atom(
    site: &Site,
    articles: &[&Article],
    base: &str,
    bodies: &HashMap<ArticleId, std::sync::Arc<str>>,
    order: &[ArticleId],
) -> OutFile {
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    let _ = writeln!(s, "  <title>{}</title>", xml(&site.config.title));
    let _ = writeln!(s, "  <id>{}</id>", xml(&feed_id(site, base, "")));
    let _ = writeln!(s, "  <link href=\"{}\"/>", xml(&absolute(base, "")));
    let _ = writeln!(
        s,
        "  <link rel=\"self\" href=\"{}\"/>",
        xml(&absolute(base, paths::FEED))
    );
    // The feed's time is its newest entry's, not the build's, so builds stay byte-identical.
    let updated = articles.first().map_or_else(
        || "1970-01-01T00:00:00+00:00".to_string(),
        |a| a.date.to_datetime().to_rfc3339(),
    );
    let _ = writeln!(s, "  <updated>{updated}</updated>");
    if let Some(p) = &site.config.publisher {
        let _ = writeln!(s, "  <author><name>{}</name></author>", xml(p));
    }
    for (a, id) in articles.iter().zip(order).take(50) {
        let page = paths::article(&a.slug);
        let rel = paths::folder_url(&page);
        let url = absolute(base, rel);
        let _ = writeln!(
            s,
            "  <entry>\n    <title>{}</title>\n    <id>{}</id>\n    <link href=\"{}\"/>",
            xml(&a.title),
            xml(&feed_id(site, base, rel)),
            xml(&url)
        );
        let _ = writeln!(
            s,
            "    <updated>{}</updated>",
            a.date.to_datetime().to_rfc3339()
        );
        for name in a.byline.iter().chain(&a.reporter) {
            let _ = writeln!(s, "    <author><name>{}</name></author>", xml(name));
        }
        for t in &a.tags {
            let _ = writeln!(s, "    <category term=\"{}\"/>", xml(t));
        }
        let lead = a.image.as_deref().and_then(|key| {
            let alt = a.image_caption.as_deref().unwrap_or(&a.title);
            super::photo::html(site, key, alt, true, a.image_caption.as_deref())
        });
        if let Some(body) = bodies.get(id) {
            // The body's local links, made for pages, are made absolute for feed readers.
            let html = match &lead {
                Some(l) => format!("{l}{body}"),
                None => body.to_string(),
            };
            let html = super::photo::put_root(html.into_bytes(), &absolute(base, ""));
            let html = String::from_utf8_lossy(&html);
            let _ = writeln!(s, "    <content type=\"html\">{}</content>", xml(&html));
        }
        s.push_str("  </entry>\n");
    }
    s.push_str("</feed>\n");
    OutFile {
        path: paths::FEED.into(),
        bytes: s.into_bytes(),
    }
}

/// The sitemap of every HTML page written so far (print pages left out).
pub fn sitemap(files: &[String], base: &str) -> OutFile {
    let mut paths: Vec<&str> = files
        .iter()
        .map(String::as_str)
        .filter(|p| paths::is_index(p))
        .collect();
    paths.sort_unstable();
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for p in paths {
        let _ = writeln!(
            s,
            "  <url><loc>{}</loc></url>",
            esc(&absolute(base, paths::folder_url(p)))
        );
    }
    s.push_str("</urlset>\n");
    OutFile {
        path: paths::SITEMAP.into(),
        bytes: s.into_bytes(),
    }
}

/// Every record, one row each: UTF-8 with a BOM, so Excel opens the Chinese text correctly.
pub fn records_csv(site: &Site) -> OutFile {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::from(*b"\xEF\xBB\xBF"));
    let mut header = vec![
        "campaign".to_string(),
        "date".into(),
        "unit".into(),
        "unit_name".into(),
        "activity".into(),
        "place".into(),
        "note".into(),
        "source".into(),
    ];
    header.extend(site.metrics.iter().map(|m| m.key.to_string()));
    let _ = w.write_record(&header);
    let mut rows: Vec<&crate::model::Record> = site.records.iter().collect();
    rows.sort_by(|a, b| {
        (a.campaign, a.date, a.unit, &a.origin.path, a.origin.pos).cmp(&(
            b.campaign,
            b.date,
            b.unit,
            &b.origin.path,
            b.origin.pos,
        ))
    });
    for r in rows {
        let mut row = vec![
            site.campaign(r.campaign).slug.to_string(),
            // A monthly record is written as its month (2021-05), as it was reported.
            if r.monthly {
                r.date.format("%Y-%m").to_string()
            } else {
                r.date.to_string()
            },
            site.unit(r.unit).key.to_string(),
            csv_cell(&site.unit(r.unit).name),
            csv_cell(&r.activity),
            csv_cell(&r.place),
            csv_cell(&r.note),
            format!(
                "{}:{}",
                r.origin.path.to_string_lossy().replace('\\', "/"),
                r.origin.pos.line
            ),
        ];
        for i in 0..site.metrics.len() {
            row.push(
                r.metrics
                    .iter()
                    .find(|(m, _)| m.0 as usize == i)
                    .map_or(String::new(), |(_, n)| n.to_string()),
            );
        }
        let _ = w.write_record(&row);
    }
    let bytes = w.into_inner().unwrap_or_default();
    OutFile {
        path: paths::RECORDS_CSV.into(),
        bytes,
    }
}

#[derive(Serialize)]
struct Summary<'a> {
    title: &'a str,
    metrics: Vec<MetricOut<'a>>,
    units: Vec<UnitOut<'a>>,
    campaigns: Vec<CampaignOut<'a>>,
}

#[derive(Serialize)]
struct MetricOut<'a> {
    key: &'a str,
    label: &'a str,
    unit: &'a str,
}

#[derive(Serialize)]
struct UnitOut<'a> {
    key: &'a str,
    name: &'a str,
}

#[derive(Serialize)]
struct CampaignOut<'a> {
    slug: &'a str,
    title: &'a str,
    organizer: Option<&'a str>,
    start: String,
    end: String,
    records: usize,
    totals: std::collections::BTreeMap<&'a str, u64>,
    targets: std::collections::BTreeMap<&'a str, u64>,
    by_unit: std::collections::BTreeMap<&'a str, std::collections::BTreeMap<&'a str, u64>>,
    ratios: std::collections::BTreeMap<&'a str, Option<f64>>,
}

/// One campaign's part of the summary.
fn campaign_out<'a>(
    site: &'a Site,
    figures: &Figures,
    id: CampaignId,
    c: &'a Campaign,
) -> CampaignOut<'a> {
    let metric_ids = (0..site.metrics.len() as u32).map(MetricId);
    let totals = metric_ids
        .clone()
        .filter(|&m| figures.query(&Query::total(id, m)).records > 0)
        .map(|m| (site.metric(m).key.as_str(), figures.total(id, m)))
        .collect();
    let by_unit = (0..site.units.len() as u32)
        .map(UnitId)
        .filter_map(|u| {
            let per: std::collections::BTreeMap<&str, u64> = metric_ids
                .clone()
                .filter_map(|m| {
                    let f = figures.query(&Query {
                        unit: Some(u),
                        ..Query::total(id, m)
                    });
                    (f.records > 0).then(|| (site.metric(m).key.as_str(), f.value))
                })
                .collect();
            (!per.is_empty()).then(|| (site.unit(u).key.as_str(), per))
        })
        .collect();
    let ratios = site
        .ratios
        .iter()
        .map(|r| {
            let (n, d) = (
                figures.total(id, r.numerator),
                figures.total(id, r.denominator),
            );
            (
                r.key.as_str(),
                (d > 0).then(|| (n as f64 * 10000.0 / d as f64).round() / 10000.0),
            )
        })
        .collect();
    CampaignOut {
        slug: c.slug.as_str(),
        title: &c.title,
        organizer: c.organizer.as_deref(),
        start: c.start.to_string(),
        end: c.end.to_string(),
        records: figures.record_count(id),
        totals,
        targets: c
            .targets
            .iter()
            .map(|(m, t)| (site.metric(*m).key.as_str(), *t))
            .collect(),
        by_unit,
        ratios,
    }
}

/// Every campaign's totals, per unit, targets and ratios, for archiving.
pub fn summary_json(site: &Site, figures: &Figures) -> OutFile {
    let campaigns = site
        .campaigns
        .iter()
        .enumerate()
        .map(|(i, c)| campaign_out(site, figures, CampaignId(i as u32), c))
        .collect();
    let summary = Summary {
        title: &site.config.title,
        metrics: site
            .metrics
            .iter()
            .map(|m| MetricOut {
                key: m.key.as_str(),
                label: &m.label,
                unit: &m.measure_word,
            })
            .collect(),
        units: site
            .units
            .iter()
            .map(|u| UnitOut {
                key: u.key.as_str(),
                name: &u.name,
            })
            .collect(),
        campaigns,
    };
    let mut bytes = serde_json::to_vec_pretty(&summary).unwrap_or_default();
    bytes.push(b'\n');
    OutFile {
        path: paths::SUMMARY_JSON.into(),
        bytes,
    }
}

#[cfg(test)]
mod hostile_text_tests {
    use super::*;

    #[test]
    fn csv_formulas_are_neutralised() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(csv_cell("+cmd"), "'+cmd");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("-1"), "'-1");
        assert_eq!(csv_cell("\tx"), "'\tx");
        assert_eq!(csv_cell("走访"), "走访");
    }

    #[test]
    fn feed_text_is_well_formed_xml() {
        assert_eq!(xml("a\u{1}b\u{8}<c>\u{FFFF}\n"), "ab&lt;c&gt;\n");
    }
}
