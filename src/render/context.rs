//! The theme contract: the values handed to templates, by page. Field names are what
//! templates write (`{{ article.title }}`), documented in docs/templates.md; renaming one
//! changes every theme.

use serde::Serialize;

/// The site, set once as a global (`site`).
#[derive(Serialize, Clone)]
pub struct SiteCtx<'a> {
    pub title: &'a str,
    pub publisher: Option<&'a str>,
    pub description: Option<&'a str>,
    pub language: &'a str,
    pub base_url: String,
}

/// A titled link; `url` is relative to the output folder (templates put `root` before it).
/// Ratios and an issue's distribution reuse it for a label and a value.
#[derive(Serialize, Clone)]
pub struct Link {
    pub title: String,
    pub url: String,
}

/// An article in a list.
#[derive(Serialize, Clone)]
pub struct ArticleSummary {
    pub slug: String,
    pub title: String,
    pub kicker: Option<String>,
    pub subtitle: Option<String>,
    pub url: String,
    pub date: String,
    pub date_cn: String,
    pub excerpt: String,
    pub campaign: Option<Link>,
    /// 题图: the lead photo, if the article has one.
    pub image: Option<super::photo::PhotoCtx>,
}

/// An article on its own page (`article`) and in an issue's print page.
#[derive(Serialize)]
pub struct ArticleCtx {
    #[serde(flatten)]
    pub summary: ArticleSummary,
    pub weekday: String,
    pub byline: Vec<String>,
    pub reporter: Vec<String>,
    pub source: Option<String>,
    pub author_note: Option<String>,
    pub body: String,
    pub tags: Vec<Link>,
    pub issues: Vec<IssueRef>,
    pub draft: bool,
}

/// Where an article appears in an issue (第N期 第A01版).
#[derive(Serialize, Clone)]
pub struct IssueRef {
    pub number: u32,
    pub url: String,
    pub page: String,
    pub page_name: String,
}

/// A key figure card: a metric's total, with its target and completion when it has one.
#[derive(Serialize, Clone)]
pub struct Kpi {
    pub label: String,
    pub value: u64,
    pub value_text: String,
    /// The measure word (户, 场).
    pub unit: String,
    pub target: Option<u64>,
    pub completion: Option<String>,
    /// 目标1800户 · 完成95%, in the theme's words: what a card with a target prints under it.
    pub target_line: Option<String>,
}

/// A campaign in a list, and at the head of its own page.
#[derive(Serialize)]
pub struct CampaignSummary {
    pub slug: String,
    pub title: String,
    pub url: String,
    pub organizer: Option<String>,
    pub start_cn: String,
    pub end_cn: String,
    pub records: usize,
    pub kpis: Vec<Kpi>,
    pub running: bool,
}

/// An issue in a list, and at the head of its own page.
#[derive(Serialize)]
pub struct IssueSummary {
    pub number: u32,
    pub title: Option<String>,
    pub url: String,
    pub date: String,
    pub date_cn: String,
    pub articles: usize,
}

/// A tag in the tag list.
#[derive(Serialize)]
pub struct TagCount {
    pub title: String,
    pub url: String,
    pub count: usize,
}

/// A unit's figures in one campaign: a cell per metric, empty where it reported none.
#[derive(Serialize)]
pub struct UnitRow {
    pub campaign: Link,
    pub cells: Vec<Option<u64>>,
}

/// An issue page (版) in the issue's print page: its articles in full.
#[derive(Serialize)]
pub struct IssuePrintPage {
    pub page: String,
    pub name: String,
    pub articles: Vec<ArticleCtx>,
}

/// An issue page (版) on the issue's web page: its list of articles (本版新闻列表).
#[derive(Serialize)]
pub struct IssuePageCtx {
    pub page: String,
    pub name: String,
    pub anchor: String,
    pub articles: Vec<ArticleSummary>,
}

/// One record on a campaign's timeline.
#[derive(Serialize)]
pub struct TimelineItem {
    pub date: String,
    pub date_cn: String,
    pub unit: String,
    pub unit_url: String,
    pub activity: String,
    pub place: String,
    pub note: String,
    pub figures: String,
}

/// A month of a campaign's timeline.
#[derive(Serialize)]
pub struct TimelineMonth {
    pub label: String,
    /// The month's totals, for campaigns too long to list record by record.
    pub summary: Option<String>,
    pub items: Vec<TimelineItem>,
}

/// A year of the archive.
#[derive(Serialize)]
pub struct ArchiveYear {
    pub year: i32,
    pub months: Vec<ArchiveMonth>,
}

/// A month of the archive.
#[derive(Serialize)]
pub struct ArchiveMonth {
    pub label: String,
    pub anchor: String,
    pub articles: Vec<ArticleSummary>,
}
