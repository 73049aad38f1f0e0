//! jianbao (简报): a static report generator for publicity bulletins.
//!
//! A build is one pass in one direction, driven by [`site`]:
//! [`load`] (files → [`model::Site`]) → [`aggregate`] (records → figures) → [`chart`]
//! (figures → SVG) → [`render`] (site + theme → pages) → [`write`] (pages → output/).

pub mod aggregate;
pub mod chart;
pub mod check;
pub mod cli;
pub mod dates;
pub mod diag;
pub mod documents;
pub mod docx;
pub mod load;
pub mod model;
pub mod numfmt;
pub mod paths;
pub mod pdf;
pub mod photos;
pub mod render;
pub mod search;
pub mod serve;
pub mod site;
pub mod trace;
pub mod workbook;
pub mod write;
