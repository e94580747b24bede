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

/// Can block `bi` be deleted without cutting a paragraph as a reader sees
/// it? It can when it is the whole stretch of lines between blank lines, or
/// when every block of that stretch is one line (one paragraph per line).
/// A stretch that also holds a wrapped block is hard-wrapped prose whose
/// line breaks the model may have read as paragraph ends: deleting part of
/// it could take half a paragraph.
pub(crate) fn stands_apart(doc: &crate::document::Document, bi: usize) -> bool {
    let text = doc.text;
    let span = &doc.blocks[bi].span;
    let is_blank = |line: &str| line.trim().is_empty();
    let mut start = text[..span.start].rfind('\n').map_or(0, |p| p + 1);
    while start > 0 {
        let prev = text[..start - 1].rfind('\n').map_or(0, |p| p + 1);
        if is_blank(&text[prev..start - 1]) {
            break;
        }
        start = prev;
    }
    let mut end = text[span.end..]
        .find('\n')
        .map_or(text.len(), |p| span.end + p);
    while end < text.len() {
        let next_end = text[end + 1..]
            .find('\n')
            .map_or(text.len(), |p| end + 1 + p);
        if is_blank(&text[end + 1..next_end]) {
            break;
        }
        end = next_end;
    }
    if text[start..end].trim() == text[span.clone()].trim() {
        return true;
    }
    let wrapped = |b: &crate::document::Block| text[b.span.clone()].trim().contains(['\n', '\r']);
    let within = |b: &crate::document::Block| start <= b.span.start && b.span.end <= end;
    // A line that breaks off mid-sentence: no closing punctuation, and the
    // next line goes on in lower case.
    let lines: Vec<&str> = text[start..end].lines().map(str::trim).collect();
    let breaks_mid_sentence = lines.windows(2).any(|w| {
        !w[0].ends_with(['.', '!', '?', ':', '"', '”', '’', ')'])
            && w[1].starts_with(|c: char| c.is_lowercase())
    });
    !breaks_mid_sentence
        && !doc.blocks[..bi]
            .iter()
            .rev()
            .take_while(|b| within(b))
            .any(wrapped)
        && !doc.blocks[bi..]
            .iter()
            .take_while(|b| within(b))
            .any(wrapped)
}

pub fn find(name: &str) -> Option<&'static KindSpec> {
    KINDS.iter().find(|k| k.name == name)
}

pub fn names() -> Vec<&'static str> {
    KINDS.iter().map(|k| k.name).collect()
}
