//! copydesk: an editorial linter for news copy.
//!
//! The library does no printing: checks produce [`finding::Finding`]s with byte
//! spans, and reporters in [`report`] render them to any writer.
#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod baseline;
pub mod check;
pub mod cli;
pub mod config;
pub mod distance;
pub mod document;
pub mod engine;
pub mod error;
pub mod examples;
pub mod finding;
pub mod fingerprint;
pub mod fix;
pub mod kinds;
pub mod lsp;
pub mod matching;
pub mod memory;
pub mod names;
pub mod narrow;
pub mod parallel;
pub mod report;
pub mod rule;
pub mod ruleset;
pub mod serve;
pub mod source;
pub mod suppress;
#[cfg(test)]
mod testing;
pub mod text;
