//! jianbao's integration tests, one crate: each module builds fixture sites in temporary folders
//! and runs the real `jianbao` binary on them.

mod build;
mod check;
mod common;
mod docx;
mod harden;
mod pages;
mod photos;
mod print;
mod search;
mod serve;
mod sheets;
mod typed;
