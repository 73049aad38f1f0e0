//! `jianbao init` and `jianbao new`: files a press officer starts from.

use std::fs;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::diag::Diagnostic;
use crate::model::is_valid_key;

macro_rules! sample {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_str!(concat!("../../", $path)))),*]
    };
}

/// The built-in sample for `init`: one campaign of the repository's sample site, with its
/// records and articles, and one issue.
const SAMPLE: &[(&str, &str)] = sample!(
    "site.yaml",
    "content/campaigns/huaian-xiajiceng/campaign.yaml",
    "content/campaigns/huaian-xiajiceng/records/fayuan.yaml",
    "content/campaigns/huaian-xiajiceng/records/gongan.yaml",
    "content/campaigns/huaian-xiajiceng/records/jianchayuan.yaml",
    "content/campaigns/huaian-xiajiceng/records/sifaju.yaml",
    "content/campaigns/huaian-xiajiceng/records/zhengfawei.yaml",
    "content/campaigns/huaian-xiajiceng/articles/huaian-xiajiceng-huimou.md",
    "content/campaigns/huaian-xiajiceng/articles/qiye-zoufang-jianwen.md",
    "content/campaigns/huaian-xiajiceng/articles/erjidu-anpai.md",
);

const SAMPLE_ISSUE: &str = "\
# 简报 第1期：哪些稿件、按什么顺序、登在哪一版 / which articles, in which order, on which page
number: 1
date: 2019-06-09
title: 政法书记下基层专刊
pages:
  - { page: A01, name: 要闻, articles: [huaian-xiajiceng-huimou] }
  - { page: A02, name: 走访见闻, articles: [dianche-shangpai] }
distribution:
  报: [市委政法委]
  送: [区委、区政府领导]
  发: [各镇（街道）政法委员]
copies: 120
";

/// The new site's `.gitignore`: what a build makes (the output, its spare generation, the
/// cache of processed photos) is never committed.
const GITIGNORE: &str = "/output/\n/.output.jianbao-*\n/.jianbao-cache/\n";

/// Creates a new site in `dir` from the built-in sample. Refuses a non-empty folder.
pub(crate) fn init(dir: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    if dir.exists()
        && fs::read_dir(dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(Diagnostic::error(
            dir,
            None,
            "the folder is not empty; jianbao init only fills a new or empty folder",
        ));
    }
    let mut written = Vec::new();
    let files = SAMPLE.iter().copied().chain([
        ("content/issues/1.yaml", SAMPLE_ISSUE),
        (".gitignore", GITIGNORE),
    ]);
    for (rel, text) in files {
        let p = dir.join(rel);
        write_new(&p, text)?;
        written.push(p);
    }
    Ok(written)
}

/// Writes a new file, refusing to overwrite.
fn write_new(p: &Path, text: &str) -> Result<(), Diagnostic> {
    if p.exists() {
        return Err(Diagnostic::error(
            p,
            None,
            "already exists; not overwritten",
        ));
    }
    if let Some(parent) = p.parent() {
        fs::create_dir_all(parent)
            .map_err(|e| Diagnostic::error(parent, None, format!("cannot create folder: {e}")))?;
    }
    fs::write(p, text).map_err(|e| Diagnostic::error(p, None, format!("cannot write: {e}")))
}

fn check_slug(slug: &str, what: &str) -> Result<(), Diagnostic> {
    if is_valid_key(slug) {
        Ok(())
    } else {
        Err(
            Diagnostic::error("", None, format!("{what} \"{slug}\" is not a valid slug"))
                .with_hint(
                    "use lowercase ASCII letters, digits, - and _ (e.g. pinyin: xiajiceng-huimou)",
                ),
        )
    }
}

/// `new article SLUG [--campaign C]`: an article with every front-matter field explained.
pub(crate) fn new_article(
    root: &Path,
    slug: &str,
    campaign: Option<&str>,
    today: NaiveDate,
) -> Result<PathBuf, Diagnostic> {
    check_slug(slug, "article slug")?;
    let path = match campaign {
        Some(c) => {
            check_slug(c, "campaign")?;
            let dir = root.join("content/campaigns").join(c);
            if !dir.join("campaign.yaml").is_file() {
                return Err(Diagnostic::error(
                    dir.join("campaign.yaml"),
                    None,
                    format!("no campaign \"{c}\""),
                )
                .with_hint(format!("create it with `jianbao new campaign {c}`")));
            }
            dir.join("articles").join(format!("{slug}.md"))
        }
        None => root.join("content/articles").join(format!("{slug}.md")),
    };
    let text = format!(
        "---
# 主题（必填）/ headline (required)
title: 在此填写主题
# 引题：主题上方的一行 / kicker: the line above the headline
kicker:
# 副题：主题下方的一行 / subtitle: the line below the headline
subtitle:
# 发稿日期，可带时间 / date, optionally with a time: 2019-06-09T09:30:00+08:00
date: {today}
# 电头，放在第一段开头 / dateline, leads the first paragraph
dateline: 本报讯
# 作者，显示为“■张三 李四” / authors, printed \"■张三 李四\"
byline: []
# 本报记者 / staff reporter
reporter:
# 来源 / source
source:
# 文末括注，如“作者系……” / note printed at the end in parentheses
author_note:
# 所属专项活动（在活动文件夹内可省略）/ campaign slug (implied inside a campaign folder)
{campaign_line}
# 标签 / tags
tags: []
# 网址中的名字，默认取文件名 / URL name, default: the file name
slug: {slug}
# 草稿只在 --drafts 时生成 / drafts build only with --drafts
draft: true
---

{{# 数字不要手写，从台账里取，例如 / never type a figure, take it from the records, e.g.: stat(metric=\"households\") 写在双花括号里 / inside double braces #}}
正文从这里开始。
",
        campaign_line = match campaign {
            Some(c) => format!("campaign: {c}"),
            None => "campaign:".to_string(),
        }
    );
    write_new(&path, &text)?;
    Ok(path)
}

/// `new campaign SLUG`: campaign.yaml plus empty records/ and articles/ folders.
pub(crate) fn new_campaign(
    root: &Path,
    slug: &str,
    today: NaiveDate,
) -> Result<PathBuf, Diagnostic> {
    check_slug(slug, "campaign slug")?;
    let dir = root.join("content/campaigns").join(slug);
    let path = dir.join("campaign.yaml");
    let text = format!(
        "# 专项活动名称（必填）/ title (required)
title: 在此填写活动名称
# 主办单位 / organizer
organizer:
# 起止日期（必填）/ start and end (required)
start: {today}
end: {today}
# 目标：指标 → 数量，页面显示完成率 / targets per metric; completion is shown against them
targets: {{}}
# 活动简介，可用 Markdown / summary, Markdown
summary: |
  在此填写活动简介。
"
    );
    write_new(&path, &text)?;
    write_new(
        &dir.join("records/README.txt"),
        "活动台账放在这里：每个单位一个 .yaml、.csv 或 .xlsx 文件。\nActivity records go here: one .yaml, .csv or .xlsx file per unit.\n",
    )?;
    let articles = dir.join("articles");
    fs::create_dir_all(&articles)
        .map_err(|e| Diagnostic::error(&articles, None, format!("cannot create folder: {e}")))?;
    Ok(path)
}

/// `new issue NUMBER`: an issue file with its pages and 报尾.
pub(crate) fn new_issue(root: &Path, number: u32, today: NaiveDate) -> Result<PathBuf, Diagnostic> {
    if number == 0 {
        return Err(Diagnostic::error("", None, "issue numbers start at 1"));
    }
    let path = root.join("content/issues").join(format!("{number}.yaml"));
    let text = format!(
        "# 期号，也是网址 / issue number, also the URL
number: {number}
# 出刊日期 / date
date: {today}
# 本期标题（可省略）/ title of this issue (optional)
title:
# 版面：版号、版名、稿件（按顺序）/ pages: label, name, article slugs in order
pages:
  - {{ page: A01, name: 要闻, articles: [] }}
# 报尾 / distribution printed at the end
distribution:
  报: []
  送: []
  发: []
# 印数 / copies printed
copies:
"
    );
    write_new(&path, &text)?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn init_refuses_a_non_empty_folder_and_new_refuses_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("x.txt"), "x").unwrap();
        assert!(init(dir.path()).is_err());
        let site = dir.path().join("site");
        let files = init(&site).unwrap();
        assert!(files.len() > 5);
        let ignore = fs::read_to_string(site.join(".gitignore")).unwrap();
        assert!(ignore.contains("/.jianbao-cache/") && ignore.contains("/output/"));
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        let p = new_article(&site, "test-piece", Some("huaian-xiajiceng"), today).unwrap();
        assert!(fs::read_to_string(&p).unwrap().contains("date: 2026-11-22"));
        assert!(
            new_article(&site, "test-piece", Some("huaian-xiajiceng"), today)
                .unwrap_err()
                .to_string()
                .contains("already exists")
        );
        assert!(new_article(&site, "测试", None, today).is_err());
        assert!(new_article(&site, "x", Some("nope"), today)
            .unwrap_err()
            .to_string()
            .contains("no campaign"));
        assert!(new_issue(&site, 0, today).is_err());
    }
}
