//! `site.yaml`: settings, units, metrics and ratios.

use super::doc::{YamlDoc, YamlMap};
use super::keys::Unknown;
use super::yaml::YPath;
use crate::diag::did_you_mean;
use crate::model::{is_valid_key, Metric, MetricId, MetricKey, Ratio, SiteConfig, Unit, UnitKey};
use crate::numfmt::Language;

/// What `site.yaml` declares.
pub struct Config {
    /// The site's settings.
    pub config: SiteConfig,
    /// 单位: the reporting units.
    pub units: Vec<Unit>,
    /// 指标: what records count.
    pub metrics: Vec<Metric>,
    /// Derived figures shown as percentages (化解率).
    pub ratios: Vec<Ratio>,
}

const FIELDS: &[&str] = &[
    "title",
    "publisher",
    "base_url",
    "language",
    "theme",
    "units",
    "metrics",
    "ratios",
    "unsafe_html",
    "description",
];

/// Reads `site.yaml` from its text. Problems go to `doc`.
pub fn read(doc: &mut YamlDoc) -> Option<Config> {
    let value = doc.parse()?;
    let root = doc.mapping(&value, &YPath::root(), "site.yaml")?;
    doc.check_known(&root, FIELDS, "site.yaml");
    let title = doc.text(&root, "title", true);
    let publisher = doc.text(&root, "publisher", false);
    let description = doc.text(&root, "description", false);
    let base_url = match doc.text(&root, "base_url", false) {
        None => "/".to_string(),
        Some(b) => match crate::paths::base_url_problem(&b) {
            None => b,
            Some(problem) => {
                doc.error(
                    &root.path.key("base_url"),
                    problem,
                    Some("write a path such as /jianbao/, or https://example.org/jianbao/".into()),
                );
                "/".to_string()
            }
        },
    };
    let language = match doc.text(&root, "language", false) {
        None => Language::ZhCn,
        Some(l) => Language::parse(&l).unwrap_or_else(|| {
            doc.error(
                &root.path.key("language"),
                format!("unknown language \"{l}\""),
                Some("use zh-CN or en".into()),
            );
            Language::ZhCn
        }),
    };
    let theme = doc
        .text(&root, "theme", false)
        .unwrap_or_else(|| "newspaper".to_string());
    let unsafe_html = doc.flag(&root, "unsafe_html");

    let mut units = units(doc, &root);
    let mut metrics = metrics(doc, &root);
    check_aliases(doc, &mut units, &mut metrics);
    let ratios = ratios(doc, &root, &metrics);

    let title = title?;
    Some(Config {
        config: SiteConfig {
            title,
            publisher,
            base_url,
            language,
            theme,
            unsafe_html,
            description,
        },
        units,
        metrics,
        ratios,
    })
}

/// `units:`: the reporting units, by key.
fn units(doc: &mut YamlDoc, root: &YamlMap) -> Vec<Unit> {
    let mut units = Vec::new();
    if let Some(v) = root.get("units") {
        let path = root.path.key("units");
        if let Some(obj) = doc.mapping(v, &path, "`units`") {
            for (key, v) in obj.entries() {
                let p = path.key(&key);
                if !check_key(doc, &p, &key, "unit") {
                    continue;
                }
                let mut aliases = Vec::new();
                let name = match v {
                    super::yaml::Value::Mapping(_) => {
                        let o = doc.mapping(v, &p, "a unit");
                        o.and_then(|o| {
                            doc.check_known(&o, &["name", "short", "aliases"], "a unit");
                            aliases = doc.text_list(&o, "aliases");
                            doc.text(&o, "name", true)
                        })
                    }
                    // `fayuan: 区法院` is accepted as a short form.
                    other => super::doc::scalar_text(other).filter(|s| !s.is_empty()),
                };
                match name {
                    Some(name) => units.push(Unit {
                        key: UnitKey::new(key),
                        name,
                        aliases,
                    }),
                    None => doc.error(
                        &p,
                        format!("unit `{key}` needs a name"),
                        Some("write `fayuan: { name: 区法院 }`".into()),
                    ),
                }
            }
        }
    }
    units
}

/// `metrics:`: what records count, by key.
fn metrics(doc: &mut YamlDoc, root: &YamlMap) -> Vec<Metric> {
    let mut metrics: Vec<Metric> = Vec::new();
    if let Some(v) = root.get("metrics") {
        let path = root.path.key("metrics");
        if let Some(obj) = doc.mapping(v, &path, "`metrics`") {
            for (key, v) in obj.entries() {
                let p = path.key(&key);
                if !check_key(doc, &p, &key, "metric") {
                    continue;
                }
                let Some(o) = doc.mapping(v, &p, "a metric") else {
                    continue;
                };
                doc.check_known(&o, &["label", "unit", "aliases"], "a metric");
                let label = doc.text(&o, "label", true);
                let unit = doc.text(&o, "unit", false).unwrap_or_default();
                let aliases = doc.text_list(&o, "aliases");
                if let Some(label) = label {
                    metrics.push(Metric {
                        key: MetricKey::new(key),
                        label,
                        measure_word: unit,
                        aliases,
                    });
                }
            }
        }
    }
    metrics
}

/// Who a name belongs to, for messages: `unit "fayuan"`, `metric "meetings"`.
#[derive(Clone, PartialEq, Eq)]
struct Owner {
    what: &'static str,
    key: String,
}

impl std::fmt::Display for Owner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} \"{}\"", self.what, self.key)
    }
}

/// An alias names one unit or metric only, and never another's key, name or label (a
/// spreadsheet column or a sentence must not be read two ways). Each offending alias is an
/// error at it, naming both owners, and is dropped.
fn check_aliases(doc: &mut YamlDoc, units: &mut [Unit], metrics: &mut [Metric]) {
    use std::collections::HashMap;
    let unit_owner = |u: &Unit| Owner {
        what: "unit",
        key: u.key.to_string(),
    };
    let metric_owner = |m: &Metric| Owner {
        what: "metric",
        key: m.key.to_string(),
    };
    // Every key, name and label, with what it is of whom; aliases join as they are accepted.
    let mut names: HashMap<String, (&'static str, Owner)> = HashMap::new();
    for u in units.iter() {
        names.insert(u.key.to_string(), ("the key", unit_owner(u)));
        names.insert(u.name.clone(), ("the name", unit_owner(u)));
    }
    for m in metrics.iter() {
        names.insert(m.key.to_string(), ("the key", metric_owner(m)));
        names.insert(m.label.clone(), ("the label", metric_owner(m)));
    }
    let mut check = |doc: &mut YamlDoc, owner: Owner, section: &str, aliases: &mut Vec<String>| {
        let path = YPath::root().key(section).key(&owner.key).key("aliases");
        let mut kept: Vec<String> = Vec::new();
        for alias in std::mem::take(aliases) {
            match names.get(&alias) {
                Some((_, o)) if *o == owner => {}
                Some((is, other)) => {
                    let msg = if *is == "an alias" {
                        format!("alias \"{alias}\" belongs to both {other} and {owner}")
                    } else {
                        format!("alias \"{alias}\" of {owner} is {is} of {other}")
                    };
                    let hint = "an alias names one unit or metric only: remove it from one of them";
                    doc.error(&path, msg, Some(hint.into()));
                    continue;
                }
                None => {
                    names.insert(alias.clone(), ("an alias", owner.clone()));
                }
            }
            if !kept.contains(&alias) {
                kept.push(alias);
            }
        }
        *aliases = kept;
    };
    for u in units.iter_mut() {
        check(doc, unit_owner(u), "units", &mut u.aliases);
    }
    for m in metrics.iter_mut() {
        check(doc, metric_owner(m), "metrics", &mut m.aliases);
    }
}

/// `ratios:`: derived figures, each a metric over another.
fn ratios(doc: &mut YamlDoc, root: &YamlMap, metrics: &[Metric]) -> Vec<Ratio> {
    let mut ratios = Vec::new();
    if let Some(v) = root.get("ratios") {
        let path = root.path.key("ratios");
        if let Some(obj) = doc.mapping(v, &path, "`ratios`") {
            for (key, v) in obj.entries() {
                let p = path.key(&key);
                if !check_key(doc, &p, &key, "ratio") {
                    continue;
                }
                let Some(o) = doc.mapping(v, &p, "a ratio") else {
                    continue;
                };
                doc.check_known(&o, &["label", "numerator", "denominator"], "a ratio");
                let label = doc.text(&o, "label", true);
                let num = doc.text(&o, "numerator", true);
                let num = metric_ref(doc, &o.path.key("numerator"), num, metrics);
                let den = doc.text(&o, "denominator", true);
                let den = metric_ref(doc, &o.path.key("denominator"), den, metrics);
                if let (Some(label), Some(numerator), Some(denominator)) = (label, num, den) {
                    ratios.push(Ratio {
                        key,
                        label,
                        numerator,
                        denominator,
                    });
                }
            }
        }
    }
    ratios
}

fn metric_ref(
    doc: &mut YamlDoc,
    path: &YPath,
    key: Option<String>,
    metrics: &[Metric],
) -> Option<MetricId> {
    match metric_id(metrics, &key?) {
        Ok(id) => Some(id),
        Err(unknown) => {
            doc.error(path, unknown.message, unknown.hint);
            None
        }
    }
}

/// The metric with `key` among `metrics`, or what to say about an unknown key: the known
/// keys in the order site.yaml declares them (a [`KeyIndex`](super::keys::KeyIndex) sorts
/// them, and is built only once the campaigns are read).
pub fn metric_id(metrics: &[Metric], key: &str) -> Result<MetricId, Unknown> {
    match metrics.iter().position(|m| m.key.as_str() == key) {
        Some(i) => Ok(MetricId(i as u32)),
        None => Err(Unknown {
            message: format!("unknown metric \"{key}\""),
            hint: did_you_mean(key, metrics.iter().map(|m| m.key.as_str())),
        }),
    }
}

/// Keys are ASCII `[a-z0-9_-]+`; anything else is an error at the key.
pub fn check_key(doc: &mut YamlDoc, path: &YPath, key: &str, what: &str) -> bool {
    if is_valid_key(key) {
        return true;
    }
    doc.error(
        path,
        format!("{what} key \"{key}\" is not a valid key"),
        Some("keys are lowercase ASCII letters, digits, `-` and `_` (e.g. pinyin: fayuan); the Chinese name goes in `name:`/`label:`".into()),
    );
    false
}
