//! Check kinds. Each kind is one file here and one line in [`KINDS`].

use std::ops::Range;

use crate::rule::{Check, Common};

mod capitalization;
mod conditional;
mod consistency;
mod existence;
mod headline_in_body;
pub mod matcher;
mod metric;
mod name_form;
mod repeated_paragraph;
mod repetition;
mod substitution;
mod unsourced_figure;

/// A parsed rule file: the common keys and the kind's compiled check.
pub type Parsed = (Common, Box<dyn Check>);

/// A kind that rule files can name with `kind = "..."`.
pub struct KindSpec {
    pub name: &'static str,
    /// One line for `copydesk rules` and error messages.
    pub summary: &'static str,
    /// Parse a whole rule file of this kind.
    pub parse: fn(&str) -> Result<Parsed, KindError>,
}

/// The registry: one line per kind.
pub static KINDS: &[KindSpec] = &[
    capitalization::SPEC,
    conditional::SPEC,
    consistency::SPEC,
    existence::SPEC,
    headline_in_body::SPEC,
    metric::SPEC,
    name_form::SPEC,
    repeated_paragraph::SPEC,
    repetition::SPEC,
    substitution::SPEC,
    unsourced_figure::SPEC,
];

pub enum KindError {
    Toml(toml::de::Error),
    /// A problem found after parsing (a bad regex), at a byte span of the file.
    At(Range<usize>, String),
}

impl From<toml::de::Error> for KindError {
    fn from(e: toml::de::Error) -> Self {
        KindError::Toml(e)
    }
}

/// Check a `similarity` parameter (between 0.5 and 1.0), pointing at it
/// in the rule file when it is out of range.
pub fn check_similarity(text: &str, value: f64) -> Result<(), KindError> {
    if (0.5..=1.0).contains(&value) {
        return Ok(());
    }
    let span = crate::rule::find_key_span(text, "similarity").unwrap_or(0..0);
    Err(KindError::At(
        span,
        "`similarity` must be between 0.5 and 1.0".into(),
    ))
}

pub fn find(name: &str) -> Option<&'static KindSpec> {
    KINDS.iter().find(|k| k.name == name)
}

pub fn names() -> Vec<&'static str> {
    KINDS.iter().map(|k| k.name).collect()
}
