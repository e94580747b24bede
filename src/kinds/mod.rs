//! Check kinds. Each kind is one file here and one line in [`KINDS`].

pub use crate::check::{KindError, KindSpec, Parsed};

mod capitalization;
mod conditional;
mod consistency;
mod existence;
mod headline_in_body;
mod metric;
mod name_form;
mod repeated_paragraph;
mod repetition;
mod substitution;
mod unsourced_figure;

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

pub fn find(name: &str) -> Option<&'static KindSpec> {
    KINDS.iter().find(|k| k.name == name)
}

pub fn names() -> Vec<&'static str> {
    KINDS.iter().map(|k| k.name).collect()
}
