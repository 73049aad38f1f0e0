//! jianbao (简报): a static report generator for publicity bulletins.
//!
//! A build is one pass in one direction:
//! [`load`] (files → [`model::Site`]) → [`aggregate`] (records → figures) → render → write.

pub mod aggregate;
pub mod cli;
pub mod diag;
pub mod load;
pub mod model;
pub mod numfmt;
