//! Figures typed by hand in narratives (SPEC §3 "Figures typed by hand").
//!
//! Takes a [`Vocabulary`] (what metrics, ratios and units are called), a narrative body and a
//! [`FigureSource`] for the narrative's campaign; gives warnings for typed figures that disagree
//! with the records (`走访群众1830余户` where the records give 1762) and for figures that went
//! missing (`共调解矛盾纠纷件`). The vocabulary is compiled once into a [`ProseChecker`]; each
//! body is then scanned once, so the check costs little on a large site.
//!
//! What is read: Markdown prose, with Tera tags (`{{ … }}`, `{% … %}`, `{# … #}`), code spans
//! and blocks, HTML tags and comments and link targets left out. A figure is compared only when
//! it stands right after a metric's label or alias (a few linking words such as 共, 累计, 达 may
//! come between) and is followed by that metric's own measure word (a ratio's: `%`). Sentences
//! about another period, a target or an average are not compared, nor is a figure that belongs
//! to an unnamed part (`其中…`) or to several units at once (`区法院、区检察院共…`).

use std::cell::Cell;
use std::cmp::Ordering;
use std::collections::HashSet;
use std::path::Path;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use crate::diag::{Diagnostic, Pos};

/// What a site calls its metrics, ratios and units, as prose writes them.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    /// Every metric, as prose may name it.
    pub metrics: Vec<MetricWords>,
    /// Every ratio, as prose may name it.
    pub ratios: Vec<RatioWords>,
    /// Every unit, as prose may name it.
    pub units: Vec<UnitWords>,
}

/// 指标: a metric's key, label, aliases and measure word (`households`, 走访群众, 户).
#[derive(Debug, Clone, Default)]
pub struct MetricWords {
    /// The metric's key (`households`).
    pub id: String,
    /// Its label (走访群众).
    pub label: String,
    /// Other names for it, from site.yaml.
    pub aliases: Vec<String>,
    /// 量词: the measure word after its figures.
    pub measure: String,
}

/// A ratio's key, label and aliases, and the metrics it divides (化解率 = 化解 / 排查).
#[derive(Debug, Clone, Default)]
pub struct RatioWords {
    /// The ratio's key (`resolve_rate`).
    pub id: String,
    /// Its label (化解率).
    pub label: String,
    /// Other names for it, from site.yaml.
    pub aliases: Vec<String>,
    /// The key of the metric divided.
    pub numerator: String,
    /// The key of the metric it is divided by.
    pub denominator: String,
}

/// 单位: a reporting unit's key, name and aliases (`fayuan`, 区法院, [市中院]).
#[derive(Debug, Clone, Default)]
pub struct UnitWords {
    /// The unit's key (`fayuan`).
    pub id: String,
    /// Its name (区法院).
    pub name: String,
    /// Other names for it, from site.yaml.
    pub aliases: Vec<String>,
}

/// The records of one narrative's campaign, as the check asks for them.
pub trait FigureSource {
    /// Total of `metric` over the campaign, for one unit or all; `None` when no record has it.
    fn metric(&self, metric: &str, unit: Option<&str>) -> Option<u64>;
}

impl<F> FigureSource for F
where
    F: Fn(&str, Option<&str>) -> Option<u64>,
{
    fn metric(&self, metric: &str, unit: Option<&str>) -> Option<u64> {
        self(metric, unit)
    }
}

/// The compiled vocabulary: build once per site, then [`ProseChecker::check`] every body.
pub struct ProseChecker {
    vocab: Vocabulary,
    /// Labels and aliases of metrics and ratios, leftmost-longest (召开座谈会 over 座谈会).
    labels: AhoCorasick,
    label_kinds: Vec<Counted>,
    /// Unit names and aliases, searched only before a figure.
    units: AhoCorasick,
    unit_ids: Vec<usize>,
    /// Words that put a sentence outside the comparison (another period, a target, an average).
    elsewhere: AhoCorasick,
}

/// Patterns of one matcher and what each stands for.
struct Words<K> {
    patterns: Vec<String>,
    kinds: Vec<K>,
}

impl<K> Default for Words<K> {
    fn default() -> Self {
        Words {
            patterns: Vec::new(),
            kinds: Vec::new(),
        }
    }
}

impl<K> Words<K> {
    fn add(&mut self, seen: &mut HashSet<String>, w: &str, kind: K) {
        // An empty word would match everywhere; the first owner of a word keeps it.
        if !w.is_empty() && seen.insert(w.to_string()) {
            self.patterns.push(w.to_string());
            self.kinds.push(kind);
        }
    }
}

/// Measure words a missing figure may stand before besides the metric's own (SPEC §3).
const COMMON_MEASURES: &[&str] = &[
    "人次", "场次", "件", "起", "个", "户", "人", "名", "次", "场", "份", "条", "家",
];

/// Words allowed between a label and its figure (走访群众共1830户, 化解率达99%). Longest first.
const LINKING: &[&str] = &[
    "共计", "累计", "总计", "合计", "共有", "达到", "多达", "高达", "已达", "共", "达", "为", "是",
    "了", "已", "计", "：", ":",
];

/// Words before a number that make it approximate, longest first.
const PREFIXES: &[(&str, Approx)] = &[
    ("超过", Approx::Over),
    ("将近", Approx::Near),
    ("接近", Approx::Near),
    ("大约", Approx::About),
    ("逾", Approx::Over),
    ("超", Approx::Over),
    ("近", Approx::Near),
    ("约", Approx::About),
];

/// A sentence with one of these speaks of another period, a target or a per-head figure, so
/// its figures are not the campaign's totals. Dates written with digits (`5月`, `2018年`) are
/// found apart, in [`has_date`].
#[rustfmt::skip]
const ELSEWHERE: &[&str] = &[
    // another month, quarter, year, week or day
    "月份", "本月", "当月", "上月", "下月", "次月", "该月", "同月", "每月", "月底",
    "月初", "月中", "月末", "月度", "月均", "今年", "去年", "前年", "明年", "上年",
    "本年", "当年", "全年", "年初", "年底", "年末", "年中", "年度", "年均", "半年",
    "同期", "同比", "环比", "季度", "一季", "二季", "三季", "四季", "上旬", "中旬",
    "下旬", "本周", "上周", "下周", "当周", "每周", "周均", "每天", "每日", "日均",
    "当天", "当日", "今日", "今天", "昨日", "昨天", "首日", "截至", "截止", "此前",
    "以往", "往年", "历年", "近年",
    // averages and per-head figures
    "平均", "人均", "户均", "每名", "每人", "每个", "每户", "每村", "每次", "每场",
    "每位", "每家",
    // targets and bounds
    "目标", "任务", "计划", "力争", "争取", "预计", "确保", "不少于", "不低于", "不超过",
    "至少", "以上", "以下", "以内", "不到", "不足",
];

/// Between a unit's name and a figure, these widen the figure back to the whole campaign
/// (区法院牵头，全区共走访群众…).
#[rustfmt::skip]
const WHOLE: &[&str] = &[
    "全区", "全县", "全市", "全省", "全州", "全局", "全旗", "全镇", "全系统", "全体",
    "全部", "各单位", "各部门", "各级", "合计", "总计",
];

/// Just before a label, these make the figure count something else (未化解, 新增).
const NOT_THIS: &[&str] = &["未", "不", "没", "非", "待", "无", "新增", "另", "再"];

/// Between unit names, these make them one group (区法院、区检察院共…).
const GROUP_JOINERS: &[char] = &['、', '和', '与', '及', '同', ' ', '\u{3000}'];

/// Stands in for masked text (template tags, code): it is no number, no word and no boundary.
const FILL: u8 = 0x1a;

/// How a typed figure is approximate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Approx {
    /// `N`, `X万`, `N%`.
    Plain,
    /// `N余`, `N多`, `逾N`, `超过N`.
    Over,
    /// `近N`.
    Near,
    /// `约N`, `N左右`.
    About,
}

/// A decimal `m × 10^e`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Dec {
    m: i128,
    e: i32,
}

/// A figure typed by hand, as read from the text.
#[derive(Debug, Clone, Copy)]
struct Typed {
    /// Byte range of the figure, from a prefix word to the measure word (or 左右).
    start: usize,
    end: usize,
    /// The number without its decimal point, and how many decimals were typed.
    digits: u128,
    decimals: u32,
    wan: bool,
    approx: Approx,
}

/// What follows a label.
enum After {
    Figure(Typed),
    /// A measure word (byte range) where the number should be.
    Missing(usize, usize),
    Nothing,
}

/// What a figure counts: a metric or a ratio (by index in the vocabulary).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Counted {
    Metric(usize),
    Ratio(usize),
}

/// How the nearest unit before a figure narrows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Narrow {
    Campaign,
    Unit(usize),
    /// Several units named together: their sum, which no one `stat()` call gives.
    Group,
}

impl ProseChecker {
    /// Compiles `vocab`. Fails only when the vocabulary is too large for the matcher.
    pub fn new(vocab: Vocabulary) -> Result<Self, String> {
        let mut seen = HashSet::new();
        let mut labels = Words::default();
        let mut units = Words::default();
        for (i, m) in vocab.metrics.iter().enumerate() {
            for w in std::iter::once(&m.label).chain(&m.aliases) {
                labels.add(&mut seen, w, Counted::Metric(i));
            }
        }
        for (i, r) in vocab.ratios.iter().enumerate() {
            for w in std::iter::once(&r.label).chain(&r.aliases) {
                labels.add(&mut seen, w, Counted::Ratio(i));
            }
        }
        let mut seen_units = HashSet::new();
        for (i, u) in vocab.units.iter().enumerate() {
            for w in std::iter::once(&u.name).chain(&u.aliases) {
                units.add(&mut seen_units, w, i);
            }
        }
        let longest = |w: &Vec<String>| {
            // A DFA scans a body in about two thirds of the time the default takes (measured
            // on the 10,000-article generated site); its size grows with the vocabulary, so a
            // huge one is left to the crate's own choice.
            let kind = (w.len() <= 2000).then_some(AhoCorasickKind::DFA);
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .kind(kind)
                .build(w)
                .map_err(|e| format!("the site's labels and names are too many to match: {e}"))
        };
        Ok(ProseChecker {
            labels: longest(&labels.patterns)?,
            label_kinds: labels.kinds,
            units: longest(&units.patterns)?,
            unit_ids: units.kinds,
            elsewhere: AhoCorasick::new(ELSEWHERE).map_err(|e| e.to_string())?,
            vocab,
        })
    }

    /// Warnings for the typed figures of `body`, a narrative body of `path` starting on line
    /// `first_line` (1-based) of the file, compared with `figures` of its campaign.
    pub fn check(
        &self,
        path: &Path,
        body: &str,
        first_line: usize,
        figures: &dyn FigureSource,
    ) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        if self.label_kinds.is_empty() {
            return out;
        }
        // Masked on first need: on a site whose figures are all `stat()` calls, no label is
        // followed by a number or a measure word, and one scan of the body is all it costs.
        let mut masked: Option<String> = None;
        let lines = Lines::new(first_line);
        for m in self.labels.find_iter(body) {
            let (ws, we) = (m.start(), m.end());
            let counted = self.label_kinds[m.pattern().as_usize()];
            let measure = match counted {
                Counted::Metric(i) => Some(self.vocab.metrics[i].measure.as_str()),
                Counted::Ratio(_) => None,
            };
            if matches!(after_label(body, we, measure), After::Nothing) {
                continue;
            }
            let text = masked.get_or_insert_with(|| mask(body));
            if text.as_bytes().get(ws) == Some(&FILL) {
                continue;
            }
            let after = after_label(text, we, measure);
            if matches!(after, After::Nothing) {
                continue;
            }
            let ctx = Ctx {
                path,
                body,
                text,
                figures,
                lines: &lines,
            };
            if let Some(d) = self.check_figure(&ctx, ws, we, counted, after) {
                out.push(d);
            }
        }
        out
    }

    /// The warning, if any, for the figure (or missing one) after the label at `ws..we`.
    fn check_figure(
        &self,
        ctx: &Ctx<'_>,
        ws: usize,
        we: usize,
        counted: Counted,
        after: After,
    ) -> Option<Diagnostic> {
        let text = ctx.text;
        let start = sentence_start(text, ws);
        let before = &text[start..ws];
        // 未化解矛盾纠纷21起 counts what the metric does not.
        if NOT_THIS.iter().any(|w| before.ends_with(w)) {
            return None;
        }
        let mut narrow = Narrow::Campaign;
        let mut unit_end = 0;
        for m in self.units.find_iter(before) {
            let between = &before[unit_end..m.start()];
            narrow = match narrow {
                Narrow::Unit(_) | Narrow::Group
                    if between.chars().all(|c| GROUP_JOINERS.contains(&c)) =>
                {
                    Narrow::Group
                }
                _ => Narrow::Unit(self.unit_ids[m.pattern().as_usize()]),
            };
            unit_end = m.end();
        }
        if narrow != Narrow::Campaign && WHOLE.iter().any(|w| before[unit_end..].contains(w)) {
            narrow = Narrow::Campaign;
        }
        let sentence = &text[start..sentence_end(text, we)];
        let elsewhere = self.elsewhere.is_match(sentence) || has_date(sentence);
        // A part of something unnamed (其中…) has no figure of its own in the records.
        let unnamed_part = narrow == Narrow::Campaign && before.contains("其中");
        let comparable = !elsewhere && !unnamed_part && narrow != Narrow::Group;
        let unit = match narrow {
            Narrow::Unit(u) => Some(&self.vocab.units[u]),
            _ => None,
        };
        let target = Target {
            counted,
            unit: unit.map(|u| u.id.as_str()),
            unit_name: unit.map(|u| u.name.as_str()),
            label_start: ws,
        };
        match after {
            After::Figure(t) if comparable => self.compare(ctx, &target, &t),
            After::Missing(ms, me) => Some(self.missing(ctx, &target, ms, me, comparable)),
            _ => None,
        }
    }

    /// The records' value for `target`: (numerator, denominator) of a ratio as p/q in percent,
    /// or a metric's total as v/1.
    fn value(&self, ctx: &Ctx<'_>, target: &Target<'_>) -> Option<Value> {
        match target.counted {
            Counted::Metric(m) => {
                let v = ctx.figures.metric(&self.vocab.metrics[m].id, target.unit)?;
                Some(Value::Count(v))
            }
            Counted::Ratio(r) => {
                let r = &self.vocab.ratios[r];
                let num = ctx.figures.metric(&r.numerator, target.unit)?;
                let den = ctx.figures.metric(&r.denominator, target.unit)?;
                (den > 0).then_some(Value::Share(num, den))
            }
        }
    }

    fn compare(&self, ctx: &Ctx<'_>, target: &Target<'_>, t: &Typed) -> Option<Diagnostic> {
        let is_ratio = matches!(target.counted, Counted::Ratio(_));
        // A metric's count is whole: `1830.5户` is no count we can read.
        if !is_ratio && !t.wan && t.decimals > 0 {
            return None;
        }
        let value = self.value(ctx, target)?;
        let (p, q) = match value {
            Value::Count(v) => (u128::from(v), 1),
            Value::Share(num, den) => (u128::from(num) * 100, u128::from(den)),
        };
        let exp = if t.wan { 4 } else { 0 } - t.decimals as i32;
        let n = Dec {
            m: i128::try_from(t.digits).ok()?,
            e: exp,
        };
        if agrees(p, q, n, t.approx, !is_ratio && !t.wan)? {
            return None;
        }
        let quote = &ctx.body[target.label_start..t.end];
        let of = target
            .unit_name
            .map_or(String::new(), |u| format!(" of {u}"));
        let given = self.describe(target, value, t.decimals);
        let call = self.call(target, Some(t), false);
        let msg = format!(
            "typed figure \"{}\" does not agree with the records{of}: they give {given}",
            escape(quote)
        );
        let hint = format!(
            "write {call} in place of \"{}\", so the figure comes from the records",
            escape(&ctx.body[t.start..t.end])
        );
        Some(Diagnostic::warning(ctx.path, ctx.pos(t.start), msg).with_hint(hint))
    }

    fn missing(
        &self,
        ctx: &Ctx<'_>,
        target: &Target<'_>,
        ms: usize,
        me: usize,
        comparable: bool,
    ) -> Diagnostic {
        let quote = escape(&ctx.body[target.label_start..me]);
        let measure = &ctx.body[ms..me];
        let msg = format!("a figure is missing: \"{quote}\" has no number before \"{measure}\"");
        let own = match target.counted {
            Counted::Metric(m) => self.vocab.metrics[m].measure == measure,
            Counted::Ratio(_) => true,
        };
        // The call prints the metric's own measure word; before another one it goes bare.
        let place = if own {
            format!(
                "write {} in place of \"{measure}\"",
                self.call(target, None, false)
            )
        } else {
            format!(
                "write {} before \"{measure}\"",
                self.call(target, None, true)
            )
        };
        let hint = match comparable.then(|| self.value(ctx, target)).flatten() {
            Some(v) => format!("the records give {}: {place}", self.describe(target, v, 0)),
            None => place,
        };
        Diagnostic::warning(ctx.path, ctx.pos(ms), msg).with_hint(hint)
    }

    /// The records' value as a reader would check it (`1762户`, `83.8% (109 of 130)`).
    fn describe(&self, target: &Target<'_>, value: Value, decimals: u32) -> String {
        match (value, target.counted) {
            (Value::Count(v), Counted::Metric(m)) => {
                format!("{v}{}", self.vocab.metrics[m].measure)
            }
            (Value::Share(num, den), Counted::Ratio(r)) => {
                let r = &self.vocab.ratios[r];
                let label = |id: &str| {
                    self.vocab
                        .metrics
                        .iter()
                        .find(|m| m.id == id)
                        .map_or(id.to_string(), |m| m.label.clone())
                };
                let pct = crate::numfmt::percent(num, den, decimals + 1).unwrap_or_default();
                format!(
                    "{pct} ({} {num} of {} {den})",
                    label(&r.numerator),
                    label(&r.denominator)
                )
            }
            (Value::Count(v), _) | (Value::Share(v, _), _) => v.to_string(),
        }
    }

    /// The `stat()` or `ratio()` call that prints the figure in the typed style.
    fn call(&self, target: &Target<'_>, typed: Option<&Typed>, bare: bool) -> String {
        let unit = target
            .unit
            .map_or(String::new(), |u| format!(", unit=\"{u}\""));
        match target.counted {
            Counted::Ratio(r) => {
                let decimals = typed
                    .filter(|t| t.decimals > 0)
                    .map_or(String::new(), |t| format!(", decimals={}", t.decimals));
                format!(
                    "{{{{ ratio(name=\"{}\"{unit}{decimals}) }}}}",
                    self.vocab.ratios[r].id
                )
            }
            Counted::Metric(m) => {
                let mut args = String::new();
                if let Some(t) = typed {
                    let significant = significant_digits(t.digits);
                    let approx = match t.approx {
                        Approx::Plain => None,
                        Approx::Over | Approx::About => Some(significant),
                        // 近2000 is under 2000: one more digit keeps it from reading 1000余.
                        Approx::Near => Some(significant + 1),
                    };
                    if t.wan {
                        args.push_str(", wan=true");
                    }
                    if let Some(a) = approx {
                        args.push_str(&format!(", approx={a}"));
                    }
                }
                if bare {
                    args.push_str(", bare=true");
                }
                format!(
                    "{{{{ stat(metric=\"{}\"{unit}{args}) }}}}",
                    self.vocab.metrics[m].id
                )
            }
        }
    }
}

/// What a figure refers to: a metric or ratio, narrowed to a unit or not.
struct Target<'a> {
    counted: Counted,
    unit: Option<&'a str>,
    unit_name: Option<&'a str>,
    label_start: usize,
}

/// The records' value: a count, or a ratio's numerator and denominator.
#[derive(Debug, Clone, Copy)]
enum Value {
    Count(u64),
    Share(u64, u64),
}

/// One body being checked.
struct Ctx<'a> {
    path: &'a Path,
    body: &'a str,
    /// `body` with template tags and code masked, byte for byte at the same offsets.
    text: &'a str,
    figures: &'a dyn FigureSource,
    lines: &'a Lines,
}

impl Ctx<'_> {
    /// The file position of byte `at` of the body; columns count characters.
    fn pos(&self, at: usize) -> Pos {
        self.lines.pos(self.body, at)
    }
}

/// File positions of a body, found going forward from the last one asked for (warnings come
/// in order), so many warnings in one body cost one pass.
struct Lines {
    first_line: usize,
    /// The last position asked for: byte offset, line, column.
    last: Cell<(usize, usize, usize)>,
}

impl Lines {
    fn new(first_line: usize) -> Self {
        Lines {
            first_line,
            last: Cell::new((0, first_line, 1)),
        }
    }

    fn pos(&self, body: &str, at: usize) -> Pos {
        let (mut from, mut line, mut col) = self.last.get();
        if at < from {
            (from, line, col) = (0, self.first_line, 1);
        }
        let span = &body[from..at];
        let breaks = memchr::memchr_iter(b'\n', span.as_bytes()).count();
        match memchr::memrchr(b'\n', span.as_bytes()) {
            Some(p) => {
                line += breaks;
                col = span[p + 1..].chars().count() + 1;
            }
            None => col += span.chars().count(),
        }
        self.last.set((at, line, col));
        Pos::new(line, col)
    }
}

mod numbers;
mod text;

use self::numbers::*;
use self::text::*;

#[cfg(test)]
mod tests;
