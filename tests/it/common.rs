//! Fixture sites in temporary folders, and running the real `jianbao` binary on them.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A small valid site: two units, three metrics, one campaign with records and one article.
pub(crate) struct Fixture {
    pub dir: tempfile::TempDir,
}

pub(crate) const SITE_YAML: &str = "\
title: 测试区政法工作简报
publisher: 测试区委政法委
units:
  fayuan: { name: 区法院 }
  gongan: { name: 区公安分局 }
metrics:
  households: { label: 走访群众, unit: 户 }
  disputes_found: { label: 排查矛盾纠纷, unit: 起 }
  disputes_resolved: { label: 化解矛盾纠纷, unit: 起 }
ratios:
  resolve_rate: { label: 化解率, numerator: disputes_resolved, denominator: disputes_found }
";

pub(crate) const CAMPAIGN_YAML: &str = "\
title: 政法书记下基层
organizer: 区委政法委
start: 2019-01-01
end: 2019-03-31
targets: { households: 2000 }
";

pub(crate) const RECORDS_YAML: &str = "\
unit: gongan
records:
  - date: 2019-01-05
    activity: 走访
    place: 顺河镇
    metrics: { households: 1200, disputes_found: 50 }
  - date: 2019-02-10
    activity: 调解
    metrics: { households: 400, disputes_found: 25, disputes_resolved: 63 }
";

pub(crate) const FAYUAN_YAML: &str = "\
- date: 2019-03-01
  unit: fayuan
  activity: 宣传
  metrics: { households: 236 }
";

pub(crate) const ARTICLE_MD: &str = "\
---
title: 走访回眸
kicker: 淮安区政法书记下基层
subtitle: 一季度活动侧记
date: 2019-04-10
dateline: 本报讯
byline: [张三, 李四]
reporter: 王五
source: 测试日报
author_note: 作者系区委政法委干部
tags: [平安建设, 走访]
---
各政法单位共走访群众{{ stat(metric=\"households\") }}，约{{ stat(metric=\"households\", approx=2) }}。

公安分局走访{{ stat(metric=\"households\", unit=\"gongan\", bare=true) }}户，化解率{{ ratio(name=\"resolve_rate\") }}。

{{ chart(kind=\"bar\", metric=\"households\", by=\"unit\") }}
";

impl Fixture {
    /// The valid site.
    pub(crate) fn new() -> Self {
        let f = Fixture {
            dir: tempfile::tempdir().expect("tempdir"),
        };
        f.write("site.yaml", SITE_YAML);
        f.write("content/campaigns/xiajiceng/campaign.yaml", CAMPAIGN_YAML);
        f.write(
            "content/campaigns/xiajiceng/records/gongan.yaml",
            RECORDS_YAML,
        );
        f.write(
            "content/campaigns/xiajiceng/records/fayuan.yaml",
            FAYUAN_YAML,
        );
        f.write("content/campaigns/xiajiceng/articles/huimou.md", ARTICLE_MD);
        f.write(
            "content/issues/12.yaml",
            "number: 12\ndate: 2019-06-09\ntitle: 专刊\npages:\n  - { page: A01, name: 要闻, articles: [huimou] }\ndistribution:\n  报: [市委政法委]\n  送: [区委、区政府领导]\ncopies: 120\n",
        );
        f
    }

    pub(crate) fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Writes (or overwrites) a file of the site.
    pub(crate) fn write(&self, rel: &str, text: &str) {
        self.write_bytes(rel, text.as_bytes());
    }

    pub(crate) fn write_bytes(&self, rel: &str, bytes: &[u8]) {
        let p = self.dir.path().join(rel);
        fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        fs::write(p, bytes).expect("write");
    }

    pub(crate) fn remove(&self, rel: &str) {
        fs::remove_file(self.dir.path().join(rel)).expect("remove");
    }

    /// Runs `jianbao ARGS` in the site folder.
    pub(crate) fn run(&self, args: &[&str]) -> Run {
        run_in(self.dir.path(), args)
    }

    pub(crate) fn out(&self) -> PathBuf {
        self.dir.path().join("output")
    }

    /// A file of the output, as text.
    pub(crate) fn page(&self, rel: &str) -> String {
        fs::read_to_string(self.out().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }
}

/// What a run printed and how it ended.
pub(crate) struct Run {
    pub code: i32,
    pub stderr: String,
    pub stdout: String,
}

pub(crate) fn run_in(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_jianbao"))
        .args(args)
        .current_dir(dir)
        .env("JIANBAO_NOW", "2026-11-22T12:00:00+08:00")
        .output()
        .expect("run jianbao");
    Run {
        code: out.status.code().unwrap_or(-1),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
    }
}

/// The repository root (the sample site).
pub(crate) fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every file under `dir`, relative, sorted, with its bytes.
pub(crate) fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .expect("prefix")
                .to_string_lossy()
                .into_owned();
            (rel, fs::read(e.path()).expect("read"))
        })
        .collect();
    v.sort();
    v
}

/// A `jianbao serve` started by a test, stopped when dropped.
pub(crate) struct Server(pub(crate) std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A port nothing listens on now.
pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}
