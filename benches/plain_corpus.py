#!/usr/bin/env python3
"""Write one plain Chinese Markdown corpus as two sites: a jianbao site and a Hugo site.

    plain_corpus.py OUT --articles N [--seed S]

Deterministic for (N, seed). Every article is written byte for byte the same into
  OUT/jianbao/content/articles/<slug>.md   (site.yaml: title, empty units and metrics)
  OUT/hugo/content/posts/<slug>.md         (hugo.toml + a small real layout set under layouts/)
Slugs are a00001, a00002, ...; front matter is title, date (YYYY-MM-DD, all in the past) and
tags (2-3 of a pool of 50 Chinese tags, as a YAML flow list); bodies are 600-1500 characters of
Chinese news prose in 3-6 paragraphs with 1-3 `##` headings, now and then a bullet list or a
bold line. No template calls, no raw HTML: the same Markdown work for both tools.

Both sites build articles + one page per tag + the tag index + the front page. jianbao also
writes what its default theme always writes (print pages, archive, feed, sitemap); Hugo has RSS,
sitemap, robots.txt and 404 switched off.
"""
import argparse
import datetime
import os
import random

TAGS = [
    "平安建设", "走访", "矛盾纠纷", "人民调解", "法治宣传", "扫黑除恶", "社区治理", "网格化管理",
    "枫桥经验", "普法", "反诈", "禁毒", "校园安全", "交通安全", "消防安全", "食品安全",
    "信访", "法律援助", "社区矫正", "安置帮教", "见义勇为", "平安乡村", "智慧警务", "派出所",
    "检察", "审判", "执行", "司法所", "公共法律服务", "政法队伍", "教育整顿", "为民办实事",
    "群众满意度", "安全感", "专项行动", "综治中心", "雪亮工程", "护航发展", "营商环境", "未成年人保护",
    "妇女儿童", "老年人", "退役军人", "农民工", "防范电信诈骗", "道路交通", "治安巡逻", "应急处置",
    "民法典", "宪法宣传周",
]

PLACES = ["淮安区", "泸县", "玄滩镇", "顺河镇", "卫滨区", "城关街道", "东城社区", "西湖村", "南门街道", "北关社区",
          "石桥镇", "柳林乡", "河东村", "新城区", "开发区", "高新区", "云台镇", "白马乡"]
OPENERS = ["今年以来，", "近日，", "为深入贯彻落实上级工作部署，", "据了解，", "活动期间，", "自专项行动开展以来，",
           "连日来，", "春节前夕，", "为进一步提升群众安全感和满意度，", "在前期调研的基础上，", "", "", ""]
SUBJECTS = ["区委政法委", "县公安局", "各派出所", "社区民警", "人民调解员", "网格员", "驻村辅警", "司法所工作人员",
            "检察院干警", "基层法庭", "综治中心", "镇党委政府", "政法各单位", "志愿者服务队", "律师团队", "包村干部"]
VERBS = ["深入开展", "扎实推进", "认真组织", "积极探索", "全面落实", "持续深化", "大力推动", "精心部署", "广泛开展",
         "统筹推进"]
OBJECTS = ["矛盾纠纷排查化解工作", "平安建设宣传活动", "法治宣传进社区活动", "扫黑除恶常态化斗争", "“千名干警进万家”走访活动",
           "“枫桥经验”实践创新", "防范电信网络诈骗宣传", "重点人群服务管理", "校园周边环境整治", "公共法律服务体系建设",
           "“我为群众办实事”实践活动", "社会治安重点地区排查整治", "民法典宣传月活动", "网格化服务管理工作"]
CLAUSES = ["切实提升了群众的安全感和满意度", "有效化解了一批矛盾纠纷", "打通了服务群众的“最后一公里”",
           "把问题解决在基层、把矛盾化解在萌芽状态", "赢得了辖区群众的广泛好评", "营造了全民参与平安建设的良好氛围",
           "推动各项工作落地见效", "形成了上下联动、齐抓共管的工作格局", "进一步密切了党群干群关系",
           "为经济社会高质量发展营造了安全稳定的环境", "确保了辖区社会大局持续稳定", "群众的获得感明显增强"]
DETAILS = ["工作人员深入田间地头、农户家中，面对面听取群众意见建议",
           "通过发放宣传资料、现场答疑等方式，向群众讲解常见诈骗手法",
           "对排查出的问题逐一建立台账，明确责任人和办结时限",
           "组织律师、调解员组成服务小分队，为群众提供免费法律咨询",
           "利用微信群、村村响广播等渠道，扩大宣传覆盖面",
           "坚持每周一调度、每月一通报，及时研究解决工作中遇到的困难",
           "针对群众反映的突出问题，会同有关部门开展联合整治",
           "将走访情况纳入年度考核，压实各级责任"]
FIGURES = ["共走访群众{a}户，召开座谈会{b}场次，收集问题线索{c}条",
           "累计发放宣传资料{a}份，开展法治讲座{b}场，受教育群众{c}人次",
           "排查矛盾纠纷{a}起，成功化解{b}起，化解率达{p}%",
           "帮助群众解决实际困难{a}件，办理法律援助案件{b}件，挽回经济损失{c}万元"]
HEADINGS = ["高位推动 压实责任", "深入走访 摸清底数", "多元化解 案结事了", "广泛宣传 营造氛围", "创新机制 提质增效",
            "聚焦重点 精准施策", "党建引领 凝聚合力", "以案释法 警钟长鸣", "主动作为 服务发展", "建章立制 长效常治",
            "一线工作法", "下一步工作打算"]
TITLE_A = ["一线访平安", "真心换民心", "织密平安网", "把矛盾化解在萌芽", "让法治阳光照进万家", "小网格撑起大平安",
           "用心用情解民忧", "守护一方平安", "调解室里的温度", "走好新时代群众路线", "平安建设再加力", "普法宣传接地气"]


def sentence(rng):
    kind = rng.random()
    if kind < 0.45:
        s = (rng.choice(OPENERS) + rng.choice(PLACES) + rng.choice(SUBJECTS) + rng.choice(VERBS) + rng.choice(OBJECTS)
             + "，" + rng.choice(CLAUSES))
    elif kind < 0.7:
        s = rng.choice(SUBJECTS) + rng.choice(DETAILS) + "，" + rng.choice(CLAUSES)
    elif kind < 0.88:
        a, b = rng.randint(120, 9800), rng.randint(3, 160)
        s = rng.choice(OPENERS) + rng.choice(FIGURES).format(a=a, b=b, c=rng.randint(10, 900),
                                                             p=f"{rng.randint(780, 999) / 10:.1f}")
    else:
        s = "“" + rng.choice(DETAILS) + "，" + rng.choice(CLAUSES) + "。”" + rng.choice(PLACES) + "一位群众说"
    return s + "。"


def paragraph(rng, chars):
    out = ""
    while len(out) < chars:
        out += sentence(rng)
    return out


def article(rng, i, start, span_days):
    title = rng.choice(TITLE_A) + " " + rng.choice(PLACES) + rng.choice(VERBS) + rng.choice(OBJECTS)
    date = start + datetime.timedelta(days=rng.randrange(span_days))
    tags = rng.sample(TAGS, rng.choice((2, 2, 3)))
    total = rng.randint(560, 1300)
    nparas = rng.randint(3, 6)
    heads = sorted(rng.sample(range(1, nparas), min(nparas - 1, rng.randint(1, 3))))
    heading_texts = rng.sample(HEADINGS, len(heads))
    parts = [f'---\ntitle: "{title}"\ndate: {date.isoformat()}\ntags: [{", ".join(tags)}]\n---\n\n']
    written = 0
    for p in range(nparas):
        if p in heads:
            parts.append(f"## {heading_texts[heads.index(p)]}\n\n")
        para = paragraph(rng, (total - written) // (nparas - p))
        written += len(para)
        parts.append(para + "\n\n")
    if i % 4 == 0:
        parts.append("- " + sentence(rng) + "\n- " + sentence(rng) + "\n- " + sentence(rng) + "\n\n")
    if i % 3 == 0:
        parts.append("**" + rng.choice(CLAUSES) + "。**\n")
    return "".join(parts)


HUGO_TOML = """baseURL = "http://example.org/"
languageCode = "zh-cn"
title = "基准测试"
hasCJKLanguage = true
summaryLength = 70
disableKinds = ["RSS", "sitemap", "robotsTXT", "404"]

[taxonomies]
  tag = "tags"

[markup.goldmark.renderer]
  unsafe = false
"""

# A small real layout set doing the same work as jianbao's default theme on these pages: article
# (title, date, body, tags, newer/older), tag pages and front page (title, date, excerpt),
# tag index (with counts), archive-like section page.
LAYOUTS = {
    "_default/baseof.html": """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if not .IsHome }}{{ .Title }} - {{ end }}{{ .Site.Title }}</title>
<link rel="stylesheet" href="{{ "style.css" | relURL }}">
</head>
<body class="{{ .Kind }}">
<header class="masthead">
  <a class="site-title" href="{{ "/" | relURL }}">{{ .Site.Title }}</a>
  <nav><a href="{{ "/" | relURL }}">首页</a> <a href="{{ "/tags/" | relURL }}">标签</a></nav>
</header>
<main>
{{ block "main" . }}{{ end }}
</main>
<footer class="colophon">© {{ .Site.Title }}</footer>
</body>
</html>
""",
    "_default/single.html": """{{ define "main" }}
<article class="article">
  <h1 class="headline">{{ .Title }}</h1>
  <div class="meta"><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2006年1月2日" }}</time></div>
  <div class="body">{{ .Content }}</div>
  {{ with .GetTerms "tags" }}<ul class="tags">{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>{{ end }}
  <nav class="prev-next">
    {{ with .PrevInSection }}<a class="prev" href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
    {{ with .NextInSection }}<a class="next" href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
  </nav>
</article>
{{ end }}
""",
    "_default/list.html": """{{ define "main" }}
<h1 class="headline">{{ if eq .Kind "term" }}标签：{{ end }}{{ .Title }}</h1>
<ul class="article-list">
{{ range .Pages }}
  <li>
    <a class="list-title" href="{{ .RelPermalink }}">{{ .Title }}</a>
    <span class="list-date"><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2006年1月2日" }}</time></span>
    <p class="list-excerpt">{{ .Summary | plainify }}</p>
  </li>
{{ end }}
</ul>
{{ end }}
""",
    # The section page lists every article like jianbao's archive/index.html: by month, no excerpt.
    "posts/list.html": """{{ define "main" }}
<h1 class="headline">归档</h1>
{{ range .Pages.GroupByDate "2006年1月" }}
<h2 class="section-label">{{ .Key }}</h2>
<ul class="article-list">
{{ range .Pages }}
  <li><a class="list-title" href="{{ .RelPermalink }}">{{ .Title }}</a>
    <span class="list-date"><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2006年1月2日" }}</time></span></li>
{{ end }}
</ul>
{{ end }}
{{ end }}
""",
    "_default/terms.html": """{{ define "main" }}
<h1 class="headline">{{ .Title }}</h1>
<ul class="tag-list">
{{ range .Data.Terms.ByCount }}
  <li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> <span class="count">{{ .Count }}</span></li>
{{ end }}
</ul>
{{ end }}
""",
    "index.html": """{{ define "main" }}
<h2 class="section-label">最新稿件</h2>
<ul class="article-list">
{{ range first 12 (where .Site.RegularPages "Section" "posts") }}
  <li>
    <a class="list-title" href="{{ .RelPermalink }}">{{ .Title }}</a>
    <span class="list-date"><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2006年1月2日" }}</time></span>
    <p class="list-excerpt">{{ .Summary | plainify }}</p>
  </li>
{{ end }}
</ul>
<h2 class="section-label">标签</h2>
<ul class="tag-list">{{ range .Site.Taxonomies.tags.ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> {{ .Count }}</li>{{ end }}</ul>
{{ end }}
""",
}

HUGO_CSS = """body{max-width:60rem;margin:0 auto;padding:1rem;font:16px/1.8 "Noto Serif CJK SC",serif;color:#222}
.masthead{border-bottom:3px double #b00;display:flex;justify-content:space-between;align-items:baseline}
.site-title{font-size:2rem;color:#b00;text-decoration:none;font-weight:bold}
.headline{font-size:1.8rem;text-align:center}.meta{text-align:center;color:#666}
.article-list{list-style:none;padding:0}.article-list li{border-bottom:1px solid #ddd;padding:.5rem 0}
.list-date{color:#666;margin-left:1rem}.list-excerpt{margin:.2rem 0;color:#444}
.tags li,.tag-list li{display:inline-block;margin-right:1rem}
.colophon{border-top:1px solid #ccc;margin-top:2rem;color:#666;text-align:center}
"""


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out")
    ap.add_argument("--articles", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rng = random.Random(a.seed)

    jb = os.path.join(a.out, "jianbao")
    hg = os.path.join(a.out, "hugo")
    write(os.path.join(jb, "site.yaml"), "title: 基准测试\nunits: {}\nmetrics: {}\n")
    write(os.path.join(hg, "hugo.toml"), HUGO_TOML)
    for name, text in LAYOUTS.items():
        write(os.path.join(hg, "layouts", name), text)
    write(os.path.join(hg, "static", "style.css"), HUGO_CSS)
    os.makedirs(os.path.join(jb, "content", "articles"), exist_ok=True)
    os.makedirs(os.path.join(hg, "content", "posts"), exist_ok=True)

    start = datetime.date(2015, 1, 1)
    span = (datetime.date(2024, 12, 31) - start).days
    total_chars = 0
    for i in range(1, a.articles + 1):
        slug = f"a{i:05d}"
        text = article(rng, i, start, span)
        total_chars += len(text)
        write(os.path.join(jb, "content", "articles", slug + ".md"), text)
        write(os.path.join(hg, "content", "posts", slug + ".md"), text)
    print(f"{a.articles} articles, {total_chars} characters, into {jb} and {hg}")


if __name__ == "__main__":
    main()
