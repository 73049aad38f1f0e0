//! Free pages: `pages/<slug>.md`, Markdown with a title (about, contact …).

use super::discover::{FileKind, SourceFile};
use super::doc::YamlDoc;
use super::front_matter::{front_matter, slug_for};
use super::yaml::YPath;
use crate::diag::{Diagnostic, Diagnostics, Pos};
use crate::model::{Origin, Page};

/// Reads every free page.
pub(super) fn load(files: &[SourceFile], diags: &Diagnostics) -> Vec<Page> {
    files
        .iter()
        .filter(|f| f.kind == FileKind::FreePage)
        .filter_map(|f| {
            let mut ds = Vec::new();
            let p = read(f, &mut ds);
            diags.extend(ds);
            p
        })
        .collect()
}

/// One free page, or `None` after reporting why not.
fn read(f: &SourceFile, ds: &mut Vec<Diagnostic>) -> Option<Page> {
    let (yaml_src, body, body_line) = front_matter(f.text.as_deref()?, &f.rel, ds)?;
    let mut doc = YamlDoc::new(&f.rel, yaml_src, 1);
    let page = (|| {
        let value = doc.parse()?;
        let obj = doc.mapping(&value, &YPath::root(), "the front matter")?;
        doc.check_known(&obj, &["title", "slug"], "a page's front matter");
        let title = doc.text(&obj, "title", true);
        let slug = slug_for(&mut doc, &obj, &f.abs);
        Some(Page {
            slug: slug?,
            title: title?,
            body: body.to_string(),
            body_line,
            origin: Origin {
                path: f.rel.clone(),
                pos: Pos::new(1, 1),
            },
        })
    })();
    let failed = doc.has_errors();
    ds.extend(doc.diags);
    page.filter(|_| !failed)
}
