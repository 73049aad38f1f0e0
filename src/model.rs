//! The content model: what `load` returns and every later stage reads.
//!
//! Once `load` hands a [`Site`] on, it is valid: every key resolves, every count is whole and
//! non-negative, every date parses. Later stages do not re-check.

use std::fmt;
use std::path::PathBuf;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveTime, TimeZone};

use crate::diag::Pos;
use crate::numfmt::Language;

macro_rules! key_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Wraps a key that [`is_valid_key`] accepted.
            pub fn new(s: impl Into<String>) -> Self {
                $name(s.into())
            }

            /// The key as written.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

key_type!(
    /// A metric key (`households`).
    MetricKey
);
key_type!(
    /// A reporting unit key (`gongan`).
    UnitKey
);
key_type!(
    /// An ASCII URL segment naming a campaign, article or page (`qianming-ganjing`).
    Slug
);

/// Keys and slugs are ASCII `[a-z0-9_-]+` (SPEC §2): safe in URLs and file names on every OS.
pub fn is_valid_key(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 120
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
        && s != "-"
}

/// Index of a unit in [`Site::units`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnitId(pub u32);
/// Index of a metric in [`Site::metrics`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MetricId(pub u32);
/// Index of a campaign in [`Site::campaigns`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CampaignId(pub u32);
/// Index of an article in [`Site::articles`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ArticleId(pub u32);

/// Where an item was written: a file relative to the site root, and a position in it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origin {
    /// The file, relative to the site root.
    pub path: PathBuf,
    /// Where in it the item starts.
    pub pos: Pos,
}

/// `site.yaml`: settings of the whole site.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    /// 报头: the bulletin's name, printed in the masthead.
    pub title: String,
    /// 编印单位: who issues it.
    pub publisher: Option<String>,
    /// Where the site is served; pages link relatively, so this only feeds feed and sitemap.
    pub base_url: String,
    /// The language of the theme's words and of dates (zh-CN or en).
    pub language: Language,
    /// The theme's name (`newspaper`, built in, or a folder under themes/).
    pub theme: String,
    /// Trust raw HTML in Markdown (off: it is sanitized).
    pub unsafe_html: bool,
    /// Optional one-line description for the front page and the feed.
    pub description: Option<String>,
}

/// 单位: a reporting unit (区法院).
#[derive(Debug, Clone)]
pub struct Unit {
    /// The key records use (`fayuan`).
    pub key: UnitKey,
    /// The name pages print (区法院).
    pub name: String,
    /// 别称: other names people write for the unit (市法院, 市中院), in spreadsheets and prose.
    pub aliases: Vec<String>,
}

/// 指标: something records count, with its label and measure word (走访群众, 户).
#[derive(Debug, Clone)]
pub struct Metric {
    /// The key records use (`households`).
    pub key: MetricKey,
    /// The label pages print (走访群众).
    pub label: String,
    /// 量词: the measure word printed after the number (户, 场次).
    pub measure_word: String,
    /// 别称: other names people write for the metric (座谈会), in spreadsheets and prose.
    pub aliases: Vec<String>,
}

/// A derived figure shown as a percentage (化解率 = 化解 / 排查).
#[derive(Debug, Clone)]
pub struct Ratio {
    /// The key narratives use (`resolve_rate`).
    pub key: String,
    /// The label pages print (化解率).
    pub label: String,
    /// The metric divided (化解).
    pub numerator: MetricId,
    /// The metric it is divided by (排查).
    pub denominator: MetricId,
}

/// 专项活动: a campaign, with its records and narratives.
#[derive(Debug, Clone)]
pub struct Campaign {
    /// The campaign's URL name, its folder under content/campaigns/.
    pub slug: Slug,
    /// Its title.
    pub title: String,
    /// 主办单位.
    pub organizer: Option<String>,
    /// First day (inclusive).
    pub start: NaiveDate,
    /// Last day (inclusive).
    pub end: NaiveDate,
    /// 目标: target per metric; completion is shown against them.
    pub targets: Vec<(MetricId, u64)>,
    /// Markdown.
    pub summary: Option<String>,
    /// Where the summary's text starts in campaign.yaml: its first line, and the column of
    /// its lines' first character less one (their indent), for messages about its links.
    pub summary_pos: crate::diag::Pos,
    /// Its `campaign.yaml`.
    pub origin: Origin,
}

/// 活动记录: what one unit did on one day, with counts.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// The campaign it belongs to.
    pub campaign: CampaignId,
    /// The day it happened; for a monthly record, the first day of its month.
    pub date: NaiveDate,
    /// 月报: the record is a monthly tally covering the whole month of `date`.
    pub monthly: bool,
    /// Who reported it.
    pub unit: UnitId,
    /// 走访, 座谈, 宣传, 调解 … (free text).
    pub activity: String,
    /// 地点: where (free text).
    pub place: String,
    /// 备注: a remark (free text).
    pub note: String,
    /// The counts, by metric.
    pub metrics: Vec<(MetricId, u64)>,
    /// Where it was written (file and line, or spreadsheet row).
    pub origin: Origin,
}

impl Record {
    /// The last day the record covers: its date, or the last day of its month.
    pub fn last_day(&self) -> NaiveDate {
        if self.monthly {
            month_end(self.date)
        } else {
            self.date
        }
    }
}

/// The last day of `d`'s month.
pub fn month_end(d: NaiveDate) -> NaiveDate {
    d.with_day(1)
        .and_then(|first| first.checked_add_months(chrono::Months::new(1)))
        .and_then(|next| next.pred_opt())
        .unwrap_or(d)
}

/// A publication moment: a local date, or a date and time with or without a zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Published {
    /// The local date.
    pub date: NaiveDate,
    /// The time of day, when given.
    pub time: Option<NaiveTime>,
    /// The zone, when given (+08:00).
    pub offset: Option<FixedOffset>,
}

impl Published {
    /// The moment as a zoned time; a missing time is midnight, a missing zone is China Standard
    /// Time (UTC+8), where the bulletins are written.
    pub fn to_datetime(&self) -> DateTime<FixedOffset> {
        let offset = self.offset.unwrap_or_else(china_offset);
        let naive = self.date.and_time(self.time.unwrap_or(NaiveTime::MIN));
        offset
            .from_local_datetime(&naive)
            .single()
            .unwrap_or_else(|| offset.from_utc_datetime(&naive))
    }

    /// Sort key: later first when reversed.
    pub fn sort_key(&self) -> i64 {
        self.to_datetime().timestamp()
    }
}

/// UTC+8.
pub fn china_offset() -> FixedOffset {
    use chrono::Offset;
    FixedOffset::east_opt(8 * 3600).unwrap_or_else(|| chrono::Utc.fix())
}

/// 稿件: a narrative with its newspaper furniture.
#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    /// The URL name (`articles/<slug>/`).
    pub slug: Slug,
    /// 主题: the headline.
    pub title: String,
    /// 引题: the line above the headline.
    pub kicker: Option<String>,
    /// 副题: the line below the headline.
    pub subtitle: Option<String>,
    /// When it was published.
    pub date: Published,
    /// 电头: leads the first paragraph (本报讯).
    pub dateline: Option<String>,
    /// 作者: rendered "■杜鹏 杨平".
    pub byline: Vec<String>,
    /// 本报记者.
    pub reporter: Vec<String>,
    /// 来源.
    pub source: Option<String>,
    /// Printed at the end in parentheses (作者系…).
    pub author_note: Option<String>,
    /// The campaign it reports on, if any.
    pub campaign: Option<CampaignId>,
    /// 标签, as written.
    pub tags: Vec<String>,
    /// A draft is built only with `--drafts`.
    pub draft: bool,
    /// 题图: the lead photo, a key of [`Site::media`].
    pub image: Option<String>,
    /// The lead photo's caption (图为…).
    pub image_caption: Option<String>,
    /// The body: a Tera template that yields Markdown.
    pub body: String,
    /// Line of the file on which the body starts (1-based), to map template errors back.
    pub body_line: usize,
    /// Its Markdown file and the front matter's first line.
    pub origin: Origin,
}

/// One 版 of an issue.
#[derive(Debug, Clone)]
pub struct IssuePage {
    /// 版面 label: A01.
    pub page: String,
    /// 版名: 要闻.
    pub name: String,
    /// The articles on this page, in order.
    pub articles: Vec<ArticleId>,
}

/// 期: a numbered bulletin issue.
#[derive(Debug, Clone)]
pub struct Issue {
    /// 第N期: the issue's number.
    pub number: u32,
    /// The date printed on it.
    pub date: NaiveDate,
    /// A title after the number (专刊), if any.
    pub title: Option<String>,
    /// Its pages (版), in order.
    pub pages: Vec<IssuePage>,
    /// 报尾: 报/送/发 and who, in the order written.
    pub distribution: Vec<(String, Vec<String>)>,
    /// 共印N份.
    pub copies: Option<u32>,
    /// Its YAML file.
    pub origin: Origin,
}

/// A free page (关于, 联系我们).
#[derive(Debug, Clone)]
pub struct Page {
    /// The URL name (`<slug>/`).
    pub slug: Slug,
    /// Its title.
    pub title: String,
    /// Markdown.
    pub body: String,
    /// The line of the file where the body starts, for messages.
    pub body_line: usize,
    /// Its Markdown file.
    pub origin: Origin,
}

/// The whole site, loaded and valid.
#[derive(Debug, Clone)]
pub struct Site {
    /// The site folder.
    pub root: PathBuf,
    /// `site.yaml`'s settings.
    pub config: SiteConfig,
    /// Reporting units, in site.yaml's order.
    pub units: Vec<Unit>,
    /// Metrics, in site.yaml's order.
    pub metrics: Vec<Metric>,
    /// Ratios, in site.yaml's order.
    pub ratios: Vec<Ratio>,
    /// Campaigns, in the order of their folders.
    pub campaigns: Vec<Campaign>,
    /// Every activity record of every campaign.
    pub records: Vec<Record>,
    /// Articles, in the order of their files (pages list them by date).
    pub articles: Vec<Article>,
    /// Issues, by number.
    pub issues: Vec<Issue>,
    /// Free pages, in the order of their files.
    pub pages: Vec<Page>,
    /// Files under `content/static/`, relative to it.
    pub static_files: Vec<PathBuf>,
    /// The files render copies or embeds as they are, read by load.
    pub files: SiteFiles,
    /// The files narratives may point at (photos, attachments), by path under `content/`.
    pub media: Media,
    /// Some files failed to load and are left out (a site only `check` looks at, to report
    /// the problems of the rest): figures may lack records.
    pub incomplete: bool,
}

/// The files under `content/` a narrative may point at, by path under `content/` with `/`
/// separators (`static/photos/a.jpg`, `articles/a.jpg`).
pub type Media = std::collections::BTreeMap<String, MediaFile>;

/// A photo or an attachment a narrative may point at.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MediaFile {
    /// Its path from the site root.
    pub rel: PathBuf,
    /// A photo (JPEG, PNG, WebP) that could be read: its upright size.
    pub photo: Option<PhotoInfo>,
    /// A photo whose header could not be read: why.
    pub bad_photo: Option<String>,
    /// Hash of a photo's content (xxh3-128), for the cache of processed copies.
    pub hash: u128,
    /// Length and modification time (ns), to know a photo unchanged without reading it.
    pub stamp: (u64, u128),
    /// The bytes of an attachment beside a narrative (those in `content/static/` are in
    /// [`SiteFiles::statics`]).
    pub bytes: Option<std::sync::Arc<[u8]>>,
}

/// What a photo's header says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PhotoInfo {
    /// Width once turned upright, in pixels.
    pub width: u32,
    /// Height once turned upright, in pixels.
    pub height: u32,
}

/// Files that go into the output as they are (static files, the theme's own files), read by
/// load so that render reads none.
#[derive(Debug, Clone, Default)]
pub struct SiteFiles {
    /// Each file of `content/static/`: its path relative to that folder, and its bytes.
    pub statics: Vec<(PathBuf, Vec<u8>)>,
    /// The site's own theme folder, laid over the built-in theme.
    pub theme: ThemeFiles,
}

/// The files of a site's `themes/<name>/` folder.
#[derive(Debug, Clone, Default)]
pub struct ThemeFiles {
    /// Whether the folder exists (a theme other than the built-in one must).
    pub found: bool,
    /// Templates: name under `templates/`, text, path from the site root (for messages).
    pub templates: Vec<(String, String, PathBuf)>,
    /// Static files: path under `static/`, bytes.
    pub assets: Vec<(String, Vec<u8>)>,
    /// The theme's words: the built-in `labels.yaml` with the theme's own over it.
    pub labels: Labels,
}

/// A theme's words (首页, 第{n}期, 来源：{n}) by key, each in the languages the file gives:
/// `labels.yaml`. `{n}` in a text is where a template's value goes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Labels {
    /// Key → its text in zh-CN and in en, either of which a site's file may leave out.
    pub texts: std::collections::BTreeMap<String, [Option<String>; 2]>,
}

impl Labels {
    /// The slot of `lang` in [`Labels::texts`]' pairs.
    pub fn slot(lang: Language) -> usize {
        match lang {
            Language::ZhCn => 0,
            Language::En => 1,
        }
    }
}

impl Site {
    /// The unit with this key.
    pub fn unit_id(&self, key: &str) -> Option<UnitId> {
        self.units
            .iter()
            .position(|u| u.key.as_str() == key)
            .map(|i| UnitId(i as u32))
    }

    /// The metric with this key.
    pub fn metric_id(&self, key: &str) -> Option<MetricId> {
        self.metrics
            .iter()
            .position(|m| m.key.as_str() == key)
            .map(|i| MetricId(i as u32))
    }

    /// The campaign with this slug.
    pub fn campaign_id(&self, slug: &str) -> Option<CampaignId> {
        self.campaigns
            .iter()
            .position(|c| c.slug.as_str() == slug)
            .map(|i| CampaignId(i as u32))
    }

    /// The unit with this id.
    pub fn unit(&self, id: UnitId) -> &Unit {
        &self.units[id.0 as usize]
    }

    /// The metric with this id.
    pub fn metric(&self, id: MetricId) -> &Metric {
        &self.metrics[id.0 as usize]
    }

    /// The campaign with this id.
    pub fn campaign(&self, id: CampaignId) -> &Campaign {
        &self.campaigns[id.0 as usize]
    }

    /// The article with this id.
    pub fn article(&self, id: ArticleId) -> &Article {
        &self.articles[id.0 as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_lowercase_ascii() {
        assert!(is_valid_key("households"));
        assert!(is_valid_key("huaian-2019q1"));
        assert!(is_valid_key("disputes_found"));
        assert!(!is_valid_key("Households"));
        assert!(!is_valid_key("走访"));
        assert!(!is_valid_key("../etc"));
        assert!(!is_valid_key("a/b"));
        assert!(!is_valid_key(""));
        assert!(!is_valid_key("a b"));
    }

    #[test]
    fn published_defaults_to_china_time() {
        let p = Published {
            date: NaiveDate::from_ymd_opt(2018, 2, 13).unwrap(),
            time: None,
            offset: None,
        };
        assert_eq!(p.to_datetime().to_rfc3339(), "2018-02-13T00:00:00+08:00");
    }
}

/// The key in [`Site::media`] of the local file `target` that the narrative at `narrative`
/// (a path from the site root, `content/…`) points at: relative to the narrative's folder, or
/// to `content/static/` when it starts with `/`. Query and fragment are left off,
/// percent-escapes decoded. `None` for a target that climbs out of `content/`.
pub fn media_key(narrative: &std::path::Path, target: &str) -> Option<String> {
    let path = target.split(['?', '#']).next().unwrap_or("");
    let path = percent_decode(path);
    let mut parts: Vec<String> = Vec::new();
    let rest = if let Some(abs) = path.strip_prefix('/') {
        parts.push("static".into());
        abs.to_string()
    } else {
        let folder = narrative.parent().unwrap_or(std::path::Path::new(""));
        let mut comps = folder
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned());
        // The narrative's folder, below content/.
        if comps.next().as_deref() != Some("content") {
            return None;
        }
        parts.extend(comps);
        path
    };
    for seg in rest.split(['/', '\\']) {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s.to_string()),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// `%E5%9B%BE` → `图`; a broken escape stays as it is.
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod media_key_tests {
    use super::media_key;
    use std::path::Path;

    #[test]
    fn targets_resolve_from_the_narrative_or_static() {
        let a = Path::new("content/articles/a.md");
        assert_eq!(
            media_key(a, "local.jpg").as_deref(),
            Some("articles/local.jpg")
        );
        assert_eq!(
            media_key(a, "../static/photos/z.jpg").as_deref(),
            Some("static/photos/z.jpg")
        );
        assert_eq!(
            media_key(a, "/photos/z.jpg#x").as_deref(),
            Some("static/photos/z.jpg")
        );
        assert_eq!(
            media_key(a, "%E5%9B%BE.jpg").as_deref(),
            Some("articles/图.jpg")
        );
        assert_eq!(media_key(a, "../../site.yaml"), None);
        let c = Path::new("content/campaigns/x/articles/b.md");
        assert_eq!(
            media_key(c, "./p.png").as_deref(),
            Some("campaigns/x/articles/p.png")
        );
    }
}
