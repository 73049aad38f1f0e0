//! Images and links of a narrative: local files resolved against the narrative's folder (or
//! `content/static/` for `/…`), other narratives and `@/articles/<slug>`, `@/campaigns/<slug>`,
//! `@/issues/<number>` turned into page URLs, photos into their processed copies. A target
//! that does not exist is an error at the narrative's line; in raw HTML, a warning.

use std::ops::Range;
use std::path::Path;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::{fragment, lock, Shared};
use crate::diag::{Diagnostic, Pos};
use crate::load::media::problem;
use crate::model::media_key;
use crate::paths;
use crate::render::photo::{self, ROOT};

/// Where a narrative's Markdown comes from, for resolving its links and placing messages.
pub struct At<'a> {
    /// The narrative's file, from the site root.
    pub path: &'a Path,
    /// Its body as written (before Tera), to find a target's line.
    pub body: &'a str,
    /// The file's line on which the body starts.
    pub body_line: usize,
    /// Columns before the body's text on each of its lines (a YAML block's indent).
    pub indent: usize,
}

/// What a target turned out to be.
enum Resolved {
    /// Not ours to change (a web address, an anchor in the page).
    Keep,
    /// A URL under [`ROOT`].
    Url(String),
    /// A photo of [`crate::model::Site::media`], by key.
    Photo(String),
}

/// Resolves every image and link of `events`; errors come back, warnings (raw HTML) go to
/// the shared list.
pub(super) fn resolve_all<'a>(
    sh: &Shared,
    at: &At,
    md: &str,
    events: Vec<(Event<'a>, Range<usize>)>,
) -> (Vec<Event<'a>>, Vec<Diagnostic>) {
    let mut out: Vec<Event<'a>> = Vec::with_capacity(events.len());
    let mut errors = Vec::new();
    let mut i = 0;
    while i < events.len() {
        let (ev, range) = &events[i];
        match ev {
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => {
                let end = (i..events.len())
                    .find(|&j| matches!(events[j].0, Event::End(TagEnd::Image)))
                    .unwrap_or(events.len() - 1);
                match target(sh, at, dest_url, true) {
                    Ok(Resolved::Photo(key)) => {
                        let alt: String = events[i + 1..end]
                            .iter()
                            .filter_map(|(e, _)| match e {
                                Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                                _ => None,
                            })
                            .collect();
                        let alone = i > 0
                            && matches!(events[i - 1].0, Event::Start(Tag::Paragraph))
                            && matches!(
                                events.get(end + 1),
                                Some((Event::End(TagEnd::Paragraph), _))
                            );
                        let caption = if alt.is_empty() {
                            title.as_ref()
                        } else {
                            alt.as_str()
                        };
                        let fkey = format!("photo|{key}|{alone}|{alt}|{caption}");
                        let html = photo::html(sh.site.as_ref(), &key, &alt, alone, Some(caption));
                        if let Some(Ok(tok)) = html.map(|h| fragment(sh, fkey, || Ok(h))) {
                            out.push(Event::Html(tok.into()));
                            i = end + 1;
                            continue;
                        }
                        out.push(ev.clone());
                    }
                    Ok(r) => out.push(with_dest(ev.clone(), r)),
                    Err((msg, hint)) => {
                        errors.push(
                            Diagnostic::error(at.path, pos_of(at, md, range, dest_url), msg)
                                .with_hint_opt(hint),
                        );
                        out.push(ev.clone());
                    }
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => match target(sh, at, dest_url, false) {
                Ok(r) => out.push(with_dest(ev.clone(), r)),
                Err((msg, hint)) => {
                    errors.push(
                        Diagnostic::error(at.path, pos_of(at, md, range, dest_url), msg)
                            .with_hint_opt(hint),
                    );
                    out.push(ev.clone());
                }
            },
            Event::Html(t) | Event::InlineHtml(t) => {
                let html = raw_html(sh, at, md, range, t);
                out.push(match ev {
                    Event::Html(_) => Event::Html(html),
                    _ => Event::InlineHtml(html),
                });
            }
            _ => out.push(ev.clone()),
        }
        i += 1;
    }
    (out, errors)
}

/// `ev` (an image or link start) pointing at what `r` says.
fn with_dest(ev: Event<'_>, r: Resolved) -> Event<'_> {
    let url = match r {
        Resolved::Keep | Resolved::Photo(_) => return ev,
        Resolved::Url(u) => u,
    };
    match ev {
        Event::Start(Tag::Image {
            link_type,
            title,
            id,
            ..
        }) => Event::Start(Tag::Image {
            link_type,
            dest_url: url.into(),
            title,
            id,
        }),
        Event::Start(Tag::Link {
            link_type,
            title,
            id,
            ..
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: url.into(),
            title,
            id,
        }),
        other => other,
    }
}

/// Whether `dest` is a local path of the site (not a web address, an anchor or data).
fn is_local(dest: &str) -> bool {
    let d = dest.trim();
    !(d.is_empty() || d.starts_with('#') || d.starts_with("//") || d.starts_with("@/"))
        && match d.find(':') {
            None => true,
            Some(i) => d[..i].contains(['/', '?', '#']),
        }
}

/// Resolves one target; the error's message and hint when it names nothing.
fn target(
    sh: &Shared,
    at: &At,
    dest: &str,
    image: bool,
) -> Result<Resolved, (String, Option<String>)> {
    if let Some(rest) = dest.strip_prefix("@/") {
        return internal(sh, rest).map(Resolved::Url);
    }
    if !is_local(dest) {
        return Ok(Resolved::Keep);
    }
    let frag = dest.find('#').map_or("", |i| &dest[i..]);
    let site = sh.site.as_ref();
    let key = media_key(at.path, dest);
    if let Some(k) = key.as_deref().filter(|k| k.ends_with(".md")) {
        return match sh.narratives.get(k) {
            Some(url) => Ok(Resolved::Url(format!("{ROOT}{url}{frag}"))),
            None => {
                let known: Vec<&str> = sh.narratives.keys().map(String::as_str).collect();
                Err((
                    format!("\"{dest}\" not found: no narrative content/{k}"),
                    crate::diag::did_you_mean(k, known.iter().copied()),
                ))
            }
        };
    }
    if let Some(p) = problem(&site.media, at.path, dest, false) {
        return Err(p);
    }
    let Some(key) = key else {
        return Ok(Resolved::Keep);
    };
    let Some(m) = site.media.get(&key) else {
        return Ok(Resolved::Keep);
    };
    lock(&sh.used).insert(key.clone());
    match m.photo {
        Some(_) if image => Ok(Resolved::Photo(key)),
        // A link to a photo opens its largest copy: the original is never published.
        Some(p) => {
            let w = crate::photos::sizes(p.width, p.height)
                .last()
                .map_or(0, |s| s.0);
            Ok(Resolved::Url(format!(
                "{ROOT}{}",
                paths::photo_copy(&key, w)
            )))
        }
        None => Ok(Resolved::Url(format!(
            "{ROOT}{}{frag}",
            paths::media_file(&key)
        ))),
    }
}

/// `articles/<slug>`, `campaigns/<slug>`, `issues/<number>` (after `@/`) → the page's URL.
fn internal(sh: &Shared, rest: &str) -> Result<String, (String, Option<String>)> {
    let (path, frag) = match rest.find('#') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let path = path.trim_end_matches('/');
    let site = sh.site.as_ref();
    let (kind, name) = path.split_once('/').unwrap_or((path, ""));
    let found = match kind {
        "articles" => site
            .articles
            .iter()
            .find(|a| a.slug.as_str() == name)
            .map(|a| paths::article(&a.slug))
            .ok_or_else(|| {
                crate::diag::did_you_mean(name, site.articles.iter().map(|a| a.slug.as_str()))
            }),
        "campaigns" => site
            .campaigns
            .iter()
            .find(|c| c.slug.as_str() == name)
            .map(|c| paths::campaign(&c.slug))
            .ok_or_else(|| {
                crate::diag::did_you_mean(name, site.campaigns.iter().map(|c| c.slug.as_str()))
            }),
        "issues" => name
            .parse::<u32>()
            .ok()
            .filter(|n| site.issues.iter().any(|i| i.number == *n))
            .map(paths::issue)
            .ok_or_else(|| {
                let known: Vec<String> = site.issues.iter().map(|i| i.number.to_string()).collect();
                crate::diag::did_you_mean(name, known.iter().map(String::as_str))
            }),
        _ => {
            return Err((
                format!("\"@/{rest}\" is not a page"),
                Some("write @/articles/<slug>, @/campaigns/<slug> or @/issues/<number>".into()),
            ))
        }
    };
    match found {
        Ok(url) => Ok(format!("{ROOT}{url}{frag}")),
        Err(hint) => Err((
            format!(
                "\"@/{rest}\" not found: no such {}",
                kind.trim_end_matches('s')
            ),
            hint,
        )),
    }
}

/// Raw HTML with each local `src`/`href` that names a file pointed at its published copy; one
/// that names no file is a warning.
fn raw_html<'a>(
    sh: &Shared,
    at: &At,
    md: &str,
    range: &Range<usize>,
    html: &CowStr<'a>,
) -> CowStr<'a> {
    let mut out = String::new();
    let mut rest: &str = html;
    let mut changed = false;
    while let Some((pre, value, post)) = next_attr(rest) {
        out.push_str(pre);
        let value_decoded = value.replace("&amp;", "&");
        if is_local(&value_decoded) {
            match target(sh, at, &value_decoded, false) {
                Ok(Resolved::Url(u)) => {
                    out.push_str(&u);
                    changed = true;
                }
                Ok(_) => out.push_str(value),
                Err((msg, hint)) => {
                    lock(&sh.warnings).push(
                        Diagnostic::warning(
                            at.path,
                            pos_of(at, md, range, value),
                            format!("raw HTML: {msg}"),
                        )
                        .with_hint_opt(hint),
                    );
                    out.push_str(value);
                }
            }
        } else {
            out.push_str(value);
        }
        rest = post;
    }
    if !changed {
        return html.clone();
    }
    out.push_str(rest);
    out.into()
}

/// The next `src="…"` or `href="…"` (either quote) of `s`: the text before the value, the
/// value, and the text after it.
fn next_attr(s: &str) -> Option<(&str, &str, &str)> {
    let lower = s.to_ascii_lowercase();
    let mut from = 0;
    loop {
        let i = [" src=", " href=", "\nsrc=", "\nhref=", "\tsrc=", "\thref="]
            .iter()
            .filter_map(|k| lower[from..].find(k).map(|i| from + i + k.len()))
            .min()?;
        let q = s[i..].chars().next()?;
        if q == '"' || q == '\'' {
            let start = i + 1;
            let len = s[start..].find(q)?;
            return Some((&s[..start], &s[start..start + len], &s[start + len..]));
        }
        from = i;
    }
}

/// The position of `needle` in the narrative: its occurrence in the body as written nearest
/// to where the rendered Markdown has it (Tera may have moved lines a little).
fn pos_of(at: &At, md: &str, range: &Range<usize>, needle: &str) -> Pos {
    let md_line = md[..range.start.min(md.len())].matches('\n').count();
    let best = at
        .body
        .match_indices(needle)
        .map(|(i, _)| i)
        .min_by_key(|&i| at.body[..i].matches('\n').count().abs_diff(md_line));
    let (line, col) = match best {
        Some(i) => {
            let before = &at.body[..i];
            let line = before.matches('\n').count();
            let col = before[before.rfind('\n').map_or(0, |n| n + 1)..]
                .chars()
                .count()
                + 1
                + at.indent;
            (line, col)
        }
        None => (md_line, 1),
    };
    Pos::new(at.body_line + line, col)
}
