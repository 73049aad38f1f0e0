//! The theme contract: the values handed to templates, by page. Field names are what
//! templates write (`{{ article.title }}`), documented in docs/templates.md; renaming one
//! changes every theme.

use serde::Serialize;

/// The site, set once as a global (`site`).
#[derive(Serialize, Clone)]
pub struct SiteCtx<'a> {
    /// 报头: the bulletin's name.
    pub title: &'a str,
    /// 编印单位, if set.
    pub publisher: Option<&'a str>,
    /// The site's one-line description, if set.
    pub description: Option<&'a str>,
    /// `zh-CN` or `en`, for `<html lang>`.
    pub language: &'a str,
    /// Where the site is served (feed and sitemap only).
    pub base_url: String,
}

/// A titled link; `url` is relative to the output folder (templates put `root` before it).
/// Ratios and an issue's distribution reuse it for a label and a value.
#[derive(Serialize, Clone)]
pub struct Link {
    /// The text of the link.
    pub title: String,
    /// Its URL from the output root.
    pub url: String,
}

/// An article in a list.
#[derive(Serialize, Clone)]
pub struct ArticleSummary {
    /// The article's URL name.
    pub slug: String,
    /// Headline (主标题).
    pub title: String,
    /// 引题 above the headline, if any.
    pub kicker: Option<String>,
    /// 副标题 below it, if any.
    pub subtitle: Option<String>,
    /// Its page, from the output root.
    pub url: String,
    /// Publication date, YYYY-MM-DD.
    pub date: String,
    /// Publication date as printed (2019年6月9日).
    pub date_cn: String,
    /// The opening of its text, for lists.
    pub excerpt: String,
    /// The campaign it reports on, if any.
    pub campaign: Option<Link>,
    /// 题图: the lead photo, if the article has one.
    pub image: Option<super::photo::PhotoCtx>,
}

/// An article on its own page (`article`) and in an issue's print page.
#[derive(Serialize)]
pub struct ArticleCtx {
    #[serde(flatten)]
    /// What lists show of it.
    pub summary: ArticleSummary,
    /// 星期 of the publication date.
    pub weekday: String,
    /// Authors (作者).
    pub byline: Vec<String>,
    /// Reporters (记者).
    pub reporter: Vec<String>,
    /// 来源: the paper or office it came from.
    pub source: Option<String>,
    /// A note on the author, printed after the text.
    pub author_note: Option<String>,
    /// The rendered body (HTML).
    pub body: String,
    /// Its tags, each with its tag page.
    pub tags: Vec<Link>,
    /// The issues it appeared in.
    pub issues: Vec<IssueRef>,
    /// Whether it is a draft (shown only with `--drafts`).
    pub draft: bool,
}

/// Where an article appears in an issue (第N期 第A01版).
#[derive(Serialize, Clone)]
pub struct IssueRef {
    /// The issue's number.
    pub number: u32,
    /// The issue's page, from the output root.
    pub url: String,
    /// The page (版) it is on: A01.
    pub page: String,
    /// That page's name: 要闻.
    pub page_name: String,
}

/// A key figure card: a metric's total, with its target and completion when it has one.
#[derive(Serialize, Clone)]
pub struct Kpi {
    /// The metric's label (走访群众).
    pub label: String,
    /// The total.
    pub value: u64,
    /// The total as printed (1,350; 12.6万).
    pub value_text: String,
    /// The measure word (户, 场).
    pub unit: String,
    /// The target, if the campaign set one.
    pub target: Option<u64>,
    /// How much of the target is done (108%), if there is one.
    pub completion: Option<String>,
    /// 目标1800户 · 完成95%, in the theme's words: what a card with a target prints under it.
    pub target_line: Option<String>,
}

/// A ratio of a campaign, computed (化解率 84.0%).
#[derive(Serialize)]
pub struct RatioCtx {
    /// The ratio's label (化解率).
    pub label: String,
    /// The percentage as printed (84.0%).
    pub percent: String,
}

/// One line of an issue's 报尾: who it goes to under one heading (报: 市委政法委).
#[derive(Serialize)]
pub struct DistributionLine {
    /// 报, 送 or 发, as the issue file writes it.
    pub heading: String,
    /// The recipients, joined as printed (市委政法委，区委、区政府领导).
    pub recipients: String,
}

/// A campaign in a list, and at the head of its own page.
#[derive(Serialize)]
pub struct CampaignSummary {
    /// The campaign's URL name.
    pub slug: String,
    /// Its title.
    pub title: String,
    /// Its page, from the output root.
    pub url: String,
    /// 主办单位, if set.
    pub organizer: Option<String>,
    /// First day as printed.
    pub start_cn: String,
    /// Last day as printed.
    pub end_cn: String,
    /// How many activity records it has.
    pub records: usize,
    /// Its key figures as cards.
    pub kpis: Vec<Kpi>,
    /// Whether today falls within it.
    pub running: bool,
}

/// An issue in a list, and at the head of its own page.
#[derive(Serialize)]
pub struct IssueSummary {
    /// The issue's number.
    pub number: u32,
    /// A title after the number, if any.
    pub title: Option<String>,
    /// Its page, from the output root.
    pub url: String,
    /// Its date, YYYY-MM-DD.
    pub date: String,
    /// Its date as printed.
    pub date_cn: String,
    /// How many articles it carries.
    pub articles: usize,
}

/// A tag in the tag list.
#[derive(Serialize)]
pub struct TagCount {
    /// The tag as written.
    pub title: String,
    /// Its page, from the output root.
    pub url: String,
    /// How many articles carry it.
    pub count: usize,
}

/// A unit's figures in one campaign: a cell per metric, empty where it reported none.
#[derive(Serialize)]
pub struct UnitRow {
    /// The campaign of the row.
    pub campaign: Link,
    /// One cell per metric of the table; empty where the unit reported none.
    pub cells: Vec<Option<u64>>,
}

/// An issue page (版) in the issue's print page: its articles in full.
#[derive(Serialize)]
pub struct IssuePrintPage {
    /// The page (版): A01.
    pub page: String,
    /// Its name: 要闻.
    pub name: String,
    /// Its articles, whole.
    pub articles: Vec<ArticleCtx>,
}

/// An issue page (版) on the issue's web page: its list of articles (本版新闻列表).
#[derive(Serialize)]
pub struct IssuePageCtx {
    /// The page (版): A01.
    pub page: String,
    /// Its name: 要闻.
    pub name: String,
    /// The anchor of its section on the issue page.
    pub anchor: String,
    /// Its articles, as lists show them.
    pub articles: Vec<ArticleSummary>,
}

/// One record on a campaign's timeline.
#[derive(Serialize)]
pub struct TimelineItem {
    /// The record's date, YYYY-MM-DD (a month for monthly records).
    pub date: String,
    /// The date as printed.
    pub date_cn: String,
    /// The unit that reported it.
    pub unit: String,
    /// That unit's page.
    pub unit_url: String,
    /// What was done (走访, 座谈).
    pub activity: String,
    /// Where, if recorded.
    pub place: String,
    /// The record's note, if any.
    pub note: String,
    /// Its figures, as one line of text.
    pub figures: String,
}

/// A month of a campaign's timeline.
#[derive(Serialize)]
pub struct TimelineMonth {
    /// The month as printed (2019年6月).
    pub label: String,
    /// The month's totals, for campaigns too long to list record by record.
    pub summary: Option<String>,
    /// The month's records, by date.
    pub items: Vec<TimelineItem>,
}

/// A year of the archive.
#[derive(Serialize)]
pub struct ArchiveYear {
    /// The year.
    pub year: i32,
    /// Its months, newest first.
    pub months: Vec<ArchiveMonth>,
}

/// A month of the archive.
#[derive(Serialize)]
pub struct ArchiveMonth {
    /// The month as printed.
    pub label: String,
    /// The anchor of its section.
    pub anchor: String,
    /// The articles published in it, newest first.
    pub articles: Vec<ArticleSummary>,
}
