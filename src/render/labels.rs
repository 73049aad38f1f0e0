//! The words a theme prints around the figures (首页, 第12期, 来源：…), in the site's language
//! (`language: zh-CN` or `en` in site.yaml). Templates write `{{ "home" | t }}` or, with a value,
//! `{{ "issue_no" | t(n=issue.number) }}`; `{n}` in a label is where the value goes.

use crate::numfmt::Language;

/// key, zh-CN, en
const LABELS: &[(&str, &str, &str)] = &[
    ("issued_by", "{n} 编印", "Issued by {n}"),
    ("sections", "栏目", "Sections"),
    ("home", "首页", "Home"),
    ("archive", "往期归档", "Archive"),
    ("tags", "标签", "Tags"),
    ("tags_label", "标签：", "Tags: "),
    ("tag_title", "标签：{n}", "Tag: {n}"),
    ("feed", "订阅", "Feed"),
    ("data", "数据", "Data"),
    ("issue_no", "第{n}期", "Issue {n}"),
    ("page_no", "第{n}版", "Page {n}"),
    ("latest", "最新稿件", "Latest articles"),
    ("campaigns", "专项活动", "Campaigns"),
    ("campaign", "专项活动", "Campaign"),
    ("campaign_label", "专项活动：", "Campaign: "),
    ("running", "进行中", "running"),
    ("bulletins", "简报", "Bulletins"),
    ("year", "{n}年", "{n}"),
    ("colon", "：", ": "),
    ("paren", "（{n}）", " ({n})"),
    ("print_version", "打印版", "Print version"),
    ("print_a4", "打印版（A4）", "Print version (A4)"),
    (
        "print_bulletin",
        "简报打印版（A4）",
        "Bulletin for print (A4)",
    ),
    ("reporter", "本报记者", "Staff reporter"),
    ("source", "来源：{n}", "Source: {n}"),
    ("newer", "较新：{n}", "Newer: {n}"),
    ("older", "较早：{n}", "Older: {n}"),
    ("campaign_summary", "专项活动汇总", "Campaign summary"),
    (
        "campaign_summary_of",
        "专项活动汇总：{n}",
        "Campaign summary: {n}",
    ),
    ("date_range_to", "至", " to "),
    ("records_n", "活动记录{n}条", "{n} activity records"),
    ("key_figures", "主要数据", "Key figures"),
    ("charts", "图表", "Charts"),
    ("by_unit", "各单位数据", "Figures by unit"),
    ("coverage", "相关报道", "Coverage"),
    ("timeline", "活动时间线", "Timeline"),
    ("at_place", "在{n}", " in {n}"),
    ("held", "开展{n}", ", {n}"),
    ("full_stop", "。", "."),
    ("target", "目标{n}", "target {n}"),
    ("completed", "完成{n}", "{n} done"),
    ("page_nav", "版面导航", "Pages"),
    ("page_list", "本版新闻列表", "On this page"),
    ("copies", "共印{n}份", "{n} copies printed"),
    ("unit_report", "单位报送情况", "Unit report"),
    (
        "unit_records",
        "共报送活动记录{n}条",
        "{n} activity records reported",
    ),
    ("totals", "累计数据", "Totals"),
    (
        "no_unit_records",
        "本单位尚无活动记录。",
        "No activity records from this unit yet.",
    ),
    ("by_campaign", "各专项活动数据", "Figures by campaign"),
    ("search", "搜索", "Search"),
    ("search_placeholder", "搜索稿件", "Search articles"),
    ("search_title", "站内搜索", "Search this site"),
    (
        "search_needs_server",
        "搜索要在网页服务器上才能用：浏览器不让直接打开的文件读取搜索索引。请在站点文件夹里运行 jianbao serve，再从它给出的地址打开本页；或把 output 文件夹放到内网的网页服务器上。",
        "Search needs a web server: browsers do not let a page opened as a file read the search index. Run jianbao serve in the site's folder and open this page at the address it prints, or put the output folder on the intranet web server.",
    ),
    (
        "search_needs_script",
        "搜索需要浏览器启用 JavaScript。",
        "Search needs JavaScript in the browser.",
    ),
    ("search_date", "日期", "Date"),
    ("search_source", "来源", "Source"),
    ("search_filter_campaign", "专项活动", "Campaign"),
    ("search_filter_unit", "单位", "Unit"),
    ("search_filter_year", "年份", "Year"),
    ("search_about", "在{n}的稿件、专项活动和简报中搜索。", "Search the articles, campaigns and bulletins of {n}."),
    // Page descriptions (`<meta name="description">`) where a page has no text of its own.
    (
        "site_about",
        "{n}：新闻稿件、简报、专项活动数据与图表。",
        "{n}: news, bulletins, campaign figures and charts.",
    ),
    (
        "campaign_about",
        "{n}的主要数据、图表、各单位数据与活动时间线。",
        "Key figures, charts, figures by unit and timeline of {n}.",
    ),
    (
        "unit_about",
        "{n}在各专项活动中报送的活动记录与数据。",
        "Activity records and figures reported by {n} across campaigns.",
    ),
    (
        "archive_about",
        "{n}往期稿件与简报，按年月编排。",
        "Past articles and bulletins of {n}, by year and month.",
    ),
    ("tag_about", "标签“{n}”下的稿件", "Articles tagged “{n}”"),
    ("tags_about", "{n}的全部标签。", "All tags of {n}."),
];

/// The label `key` in `lang`, with `{n}` replaced by `n`; `None` for an unknown key.
pub fn label(lang: Language, key: &str, n: Option<&str>) -> Option<String> {
    let &(_, zh, en) = LABELS.iter().find(|(k, _, _)| *k == key)?;
    let text = match lang {
        Language::En => en,
        _ => zh,
    };
    Some(match n {
        Some(n) => text.replace("{n}", n),
        None => text.to_string(),
    })
}

/// The keys, for the error a theme gets when it asks for an unknown one.
pub fn keys() -> impl Iterator<Item = &'static str> {
    LABELS.iter().map(|(k, _, _)| *k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_follow_the_language() {
        assert_eq!(
            label(Language::ZhCn, "issue_no", Some("12")).unwrap(),
            "第12期"
        );
        assert_eq!(
            label(Language::En, "issue_no", Some("12")).unwrap(),
            "Issue 12"
        );
        assert_eq!(label(Language::En, "home", None).unwrap(), "Home");
        assert!(label(Language::ZhCn, "nope", None).is_none());
    }

    #[test]
    fn every_label_has_both_languages_and_one_key() {
        let mut seen = std::collections::HashSet::new();
        for (k, zh, en) in LABELS {
            assert!(seen.insert(k), "{k} twice");
            assert!(!zh.is_empty() && !en.is_empty(), "{k}");
            assert_eq!(zh.contains("{n}"), en.contains("{n}"), "{k}");
        }
    }
}
