//! Themes: the built-in `newspaper` theme embedded in the binary, overridden file by file by a
//! site's `themes/<name>/` (read by load), compiled once per build into a Tera instance.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::NaiveDate;
use tera::{Kwargs, State, Tera};

use super::labels::Words;
use crate::dates::parse_date;
use crate::diag::{Diagnostic, Pos};
use crate::model::ThemeFiles;
use crate::numfmt::{self, Language, Style};

/// The built-in theme's name.
pub const BUILTIN: &str = "newspaper";

macro_rules! embed {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../themes/newspaper/", $name)))),*]
    };
}

/// Built-in templates: (name under templates/, text).
const TEMPLATES: &[(&str, &str)] = embed!(
    "templates/base.html",
    "templates/index.html",
    "templates/article.html",
    "templates/campaign.html",
    "templates/unit.html",
    "templates/issue.html",
    "templates/archive.html",
    "templates/tag.html",
    "templates/tags.html",
    "templates/page.html",
    "templates/search.html",
    "templates/components.html",
    "templates/print_article.html",
    "templates/print_campaign.html",
    "templates/print_issue.html",
);

/// Built-in static files: (path under static/, bytes as text).
const STATIC: &[(&str, &str)] =
    embed!("static/style.css", "static/print.css", "static/favicon.svg");

/// The site icon under output/assets/; print pages carry it as a data URI instead.
const ICON: &str = "favicon.svg";

/// A compiled theme: templates and the static files to copy.
pub struct Theme {
    /// The compiled templates, with jianbao's filters.
    pub tera: Tera,
    /// Whether the site changes any template (an override that differs from the built-in
    /// file, or a new one). The built-in templates are tested with jianbao and cannot fail on
    /// a loaded site; a site's own can.
    pub customized: bool,
    /// Each template's file (or `<built-in>/…`), for error messages.
    pub sources: Vec<(String, PathBuf)>,
    /// (path under output/assets/, bytes).
    pub assets: Vec<(String, Vec<u8>)>,
    /// The theme's words in the site's language.
    pub words: Arc<Words>,
}

/// Compiles the theme `name`: the built-in files, with the site's own theme files over them.
pub fn compile(files: &ThemeFiles, name: &str, lang: Language) -> Result<Theme, Vec<Diagnostic>> {
    if name != BUILTIN && !files.found {
        return Err(vec![Diagnostic::error(
            "site.yaml",
            None,
            format!("unknown theme \"{name}\""),
        )
        .with_hint(format!(
            "the built-in theme is \"{BUILTIN}\"; a custom one lives in themes/{name}/templates/"
        ))]);
    }
    let templates = merged_templates(files);
    let mut assets = merged_assets(files);
    let words = Arc::new(Words::new(&files.labels, lang));
    let mut tera = Tera::new();
    tera.autoescape_on(vec![".html", ".xml"]);
    register_filters(&mut tera, lang, words.clone());
    if let Err(e) =
        tera.add_raw_templates(templates.iter().map(|(n, t, _)| (n.as_str(), t.as_str())))
    {
        return Err(vec![template_error(&e, &sources(&templates))]);
    }
    // The print CSS is inlined into every print page (one shared value, not a copy per page),
    // and only there: it is not written to assets/, where nothing would use it.
    if let Some(i) = assets.iter().position(|(n, _)| n == "print.css") {
        let (_, css) = assets.remove(i);
        tera.global_context()
            .insert("print_css", &String::from_utf8_lossy(&css));
    }
    // Print pages are self-contained: their icon is the theme's, inline.
    if let Some((_, svg)) = assets.iter().find(|(n, _)| n == ICON) {
        use base64::Engine;
        let uri = format!(
            "data:image/svg+xml;base64,{}",
            base64::engine::general_purpose::STANDARD.encode(svg)
        );
        tera.global_context().insert("icon_data_uri", &uri);
    }
    let customized = templates.iter().any(|(name, text, _)| {
        !TEMPLATES
            .iter()
            .any(|(n, t)| n.trim_start_matches("templates/") == name && t == text)
    });
    let sources = sources(&templates);
    Ok(Theme {
        tera,
        customized,
        assets,
        sources,
        words,
    })
}

/// The built-in templates as (name, text, path), each replaced by the site's file of the same
/// name, then the site's own new ones.
fn merged_templates(files: &ThemeFiles) -> Vec<(String, String, PathBuf)> {
    let mut templates: Vec<(String, String, PathBuf)> = TEMPLATES
        .iter()
        .map(|(n, t)| {
            (
                n.trim_start_matches("templates/").to_string(),
                t.to_string(),
                PathBuf::from(format!("<built-in>/{n}")),
            )
        })
        .collect();
    for (name, text, path) in &files.templates {
        let file = (name.clone(), text.clone(), path.clone());
        match templates.iter_mut().find(|(n, ..)| n == name) {
            Some(slot) => *slot = file,
            None => templates.push(file),
        }
    }
    templates
}

/// The built-in static files, each replaced by the site's file of the same name, then the
/// site's own new ones.
fn merged_assets(files: &ThemeFiles) -> Vec<(String, Vec<u8>)> {
    let mut assets: Vec<(String, Vec<u8>)> = STATIC
        .iter()
        .map(|(n, t)| {
            (
                n.trim_start_matches("static/").to_string(),
                t.as_bytes().to_vec(),
            )
        })
        .collect();
    for (name, bytes) in &files.assets {
        match assets.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => slot.1 = bytes.clone(),
            None => assets.push((name.clone(), bytes.clone())),
        }
    }
    assets
}

fn sources(templates: &[(String, String, PathBuf)]) -> Vec<(String, PathBuf)> {
    templates
        .iter()
        .map(|(n, _, p)| (n.clone(), p.clone()))
        .collect()
}

/// A Tera error, as a diagnostic at the template's file and line.
pub fn template_error(e: &tera::Error, templates: &[(String, PathBuf)]) -> Diagnostic {
    let path_of = |name: &str| {
        templates
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, p)| p.clone())
            .unwrap_or_else(|| PathBuf::from(format!("templates/{name}")))
    };
    match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => Diagnostic::error(
            path_of(r.filename()),
            Pos::new(r.span().start_line, r.span().start_col + 1),
            format!("template error: {}", r.message()),
        ),
        other => {
            let text = other.to_string();
            let mut lines = text.lines();
            let first = lines
                .next()
                .unwrap_or("")
                .trim_start_matches("error: ")
                .to_string();
            let loc = text
                .lines()
                .find_map(|l| l.trim().strip_prefix("-->"))
                .map(|l| l.trim().to_string());
            let (path, pos) = match loc.as_deref().and_then(|l| {
                let mut it = l.rsplitn(3, ':');
                let col: usize = it.next()?.parse().ok()?;
                let line: usize = it.next()?.parse().ok()?;
                Some((it.next()?.to_string(), line, col))
            }) {
                Some((name, line, col)) => (path_of(&name), Some(Pos::new(line, col + 1))),
                None => (PathBuf::from("themes"), None),
            };
            Diagnostic::error(path, pos, format!("template error: {first}"))
        }
    }
}

/// `approx`, `wan`, `cn_date`, `weekday` as filters, for themes (SPEC §3).
fn register_filters(tera: &mut Tera, lang: Language, words: Arc<Words>) {
    // The theme's words in the site's language: `{{ "home" | t }}`, `{{ "issue_no" | t(n=12) }}`.
    tera.register_filter(
        "t",
        move |key: &str, kw: Kwargs, _: &State| -> tera::TeraResult<String> {
            let n = kw.get::<tera::Value>("n")?.map(|v| v.to_string());
            words.get(key, n.as_deref()).ok_or_else(|| {
                let hint = crate::diag::did_you_mean(key, words.keys())
                    .map(|h| format!(" ({h})"))
                    .unwrap_or_default();
                tera::Error::message(format!("unknown label \"{key}\"{hint}"))
            })
        },
    );
    // For text inside a CSS string in a <style> element (running headers): entities are not
    // decoded there, so HTML escaping would print "&amp;"; CSS escapes are used instead.
    tera.register_filter(
        "css_string",
        |s: &str, _: Kwargs, _: &State| -> tera::Value {
            let mut out = String::with_capacity(s.len() + 2);
            for c in s.chars() {
                match c {
                    '"' | '\\' | '<' | '>' | '&' | '\n' | '\r' => {
                        out.push_str(&format!("\\{:x} ", c as u32))
                    }
                    c => out.push(c),
                }
            }
            tera::Value::safe_string(&out)
        },
    );
    tera.register_filter(
        "approx",
        |n: u64, kw: Kwargs, _: &State| -> tera::TeraResult<String> {
            let digits = kw.get::<u32>("digits")?.unwrap_or(2);
            Ok(numfmt::format_count(
                n,
                Style {
                    approx: Some(digits),
                    wan: kw.get::<bool>("wan")?.unwrap_or(false),
                },
            ))
        },
    );
    tera.register_filter(
        "wan",
        |n: u64, kw: Kwargs, _: &State| -> tera::TeraResult<String> {
            Ok(numfmt::format_count(
                n,
                Style {
                    approx: kw.get::<u32>("digits")?,
                    wan: true,
                },
            ))
        },
    );
    tera.register_filter(
        "cn_date",
        move |s: &str, _: Kwargs, _: &State| -> tera::TeraResult<String> {
            Ok(numfmt::cn_date(date_of(s)?, lang))
        },
    );
    tera.register_filter(
        "weekday",
        move |s: &str, _: Kwargs, _: &State| -> tera::TeraResult<String> {
            Ok(numfmt::weekday(date_of(s)?, lang).to_string())
        },
    );
}

fn date_of(s: &str) -> tera::TeraResult<NaiveDate> {
    parse_date(s.get(..10).unwrap_or(s))
        .or_else(|| parse_date(s))
        .ok_or_else(|| tera::Error::message(format!("cannot read \"{s}\" as a date")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::context::Kpi;

    fn card(target: Option<u64>, line: Option<&str>) -> Kpi {
        Kpi {
            label: "走访群众".into(),
            value: 1350,
            value_text: "1,350".into(),
            unit: "户".into(),
            target,
            completion: target.map(|_| "75%".into()),
            target_line: line.map(Into::into),
        }
    }

    /// Narratives' `kpis()` and the pages' `kpi_row` print the same cards the same way.
    #[test]
    fn narrative_cards_are_the_theme_component_s_markup() {
        let files = ThemeFiles {
            labels: crate::load::labels::builtin().clone(),
            ..ThemeFiles::default()
        };
        let mut theme = compile(&files, BUILTIN, Language::ZhCn).unwrap();
        theme
            .tera
            .add_raw_template("t.html", "{{ <kpi_row kpis={kpis} /> }}")
            .unwrap();
        let cards = vec![
            card(Some(1800), Some("目标1800户 · 完成75%")),
            card(None, None),
        ];
        let mut ctx = tera::Context::new();
        ctx.insert("kpis", &cards);
        let page = theme.tera.render("t.html", &ctx).unwrap();
        let squeeze = |s: &str| {
            s.split('<')
                .map(|part| part.trim())
                .collect::<Vec<_>>()
                .join("<")
        };
        let narrative = crate::render::figures::kpis_html(&cards);
        assert_eq!(squeeze(&page), squeeze(&narrative));
        assert!(narrative.contains("目标1800户 · 完成75%"), "{narrative}");
    }

    #[test]
    fn a_site_theme_s_labels_reach_the_templates() {
        let (labels, _) = crate::load::labels::parse(
            "home: 本站首页\n",
            std::path::Path::new("themes/t/labels.yaml"),
        );
        let files = ThemeFiles {
            labels: crate::load::labels::over_builtin(&labels),
            ..ThemeFiles::default()
        };
        let mut theme = compile(&files, BUILTIN, Language::ZhCn).unwrap();
        theme
            .tera
            .add_raw_template("t.html", "{{ \"home\" | t }}|{{ \"archive\" | t }}")
            .unwrap();
        let out = theme.tera.render("t.html", &tera::Context::new()).unwrap();
        assert_eq!(out, "本站首页|往期归档");
    }
}
