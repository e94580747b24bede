//! The data a browser page needs to show one checked text: the text itself
//! and its findings with offsets a page can use directly.
//!
//! The HTML report embeds one [`WebStory`] per file and `copydesk serve`
//! answers with one, so both pages draw findings from the same shape.
//! Offsets count UTF-16 code units of the text without its BOM, because
//! that is how JavaScript indexes a string (`text.slice(start, end)`);
//! `line` and `column` are the same numbers every other format shows
//! (1-based, columns in Unicode scalar values).

use serde::Serialize;

/// The client-side renderer pages draw a [`WebStory`] with:
/// `Copydesk.renderStory` and `Copydesk.renderFindingList` (the API is
/// described at the top of the file). Plain ES2017, no network.
pub const STORY_JS: &str = include_str!("assets/story.js");
/// The styles [`STORY_JS`]'s elements need (every class starts with `cd-`).
pub const STORY_CSS: &str = include_str!("assets/story.css");

use super::{FileResult, position};
use crate::document::Format;
use crate::finding::{Applicability, Finding};
use crate::source::Source;

/// One checked text, as a page shows it.
#[derive(Debug, Serialize)]
pub struct WebStory {
    pub path: String,
    pub markdown: bool,
    pub text: String,
    pub findings: Vec<WebFinding>,
}

#[derive(Debug, Serialize)]
pub struct WebFinding {
    pub rule: String,
    pub severity: &'static str,
    pub message: String,
    /// UTF-16 offsets into `text`, end exclusive.
    pub start: usize,
    pub end: usize,
    pub line: usize,
    pub column: usize,
    /// Secondary places ("first appears here").
    pub labels: Vec<WebLabel>,
    pub notes: Vec<String>,
    pub fix: Option<WebFix>,
}

#[derive(Debug, Serialize)]
pub struct WebLabel {
    pub start: usize,
    pub end: usize,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

#[derive(Debug, Serialize)]
pub struct WebFix {
    /// `safe` fixes are the ones `--fix` applies; `unsafe` ones need a look.
    pub applicability: Applicability,
    pub description: String,
    /// Non-overlapping, in text order.
    pub edits: Vec<WebEdit>,
}

#[derive(Debug, Serialize)]
pub struct WebEdit {
    pub start: usize,
    pub end: usize,
    pub replacement: String,
}

impl WebStory {
    /// The page's view of one checked file.
    pub fn of(file: &FileResult) -> WebStory {
        let source = &file.source;
        let text = source.text.as_str();
        let mut units = Utf16Offsets::new(text, &file.findings);
        let findings = file
            .findings
            .iter()
            .map(|f| web_finding(source, f, &mut units))
            .collect();
        WebStory {
            path: source.path.clone(),
            markdown: Format::from_path(&source.path) == Format::Markdown,
            text: text.to_string(),
            findings,
        }
    }
}

fn web_finding(source: &Source, f: &Finding, units: &mut Utf16Offsets) -> WebFinding {
    let p = position(source, &f.span);
    WebFinding {
        rule: f.rule.to_string(),
        severity: f.severity.as_str(),
        message: f.message.clone(),
        start: units.at(f.span.start),
        end: units.at(f.span.end),
        line: p.line,
        column: p.column,
        labels: f
            .labels
            .iter()
            .map(|l| {
                let (line, column) = source.line_col(l.span.start);
                WebLabel {
                    start: units.at(l.span.start),
                    end: units.at(l.span.end),
                    line,
                    column,
                    message: l.message.to_string(),
                }
            })
            .collect(),
        notes: f.notes.to_vec(),
        fix: f.fix.as_ref().map(|fix| WebFix {
            applicability: fix.applicability,
            description: fix.description.to_string(),
            edits: fix
                .edits
                .iter()
                .map(|e| WebEdit {
                    start: units.at(e.span.start),
                    end: units.at(e.span.end),
                    replacement: e.replacement.clone(),
                })
                .collect(),
        }),
    }
}

/// Byte offsets of one text turned into UTF-16 offsets. Every byte offset a
/// story's findings name is converted in one pass over the text, so a story
/// with many findings costs one walk, not one per finding.
struct Utf16Offsets {
    /// (byte, units), sorted by byte, one entry per offset named.
    table: Vec<(usize, usize)>,
}

impl Utf16Offsets {
    fn new(text: &str, findings: &[Finding]) -> Utf16Offsets {
        let mut bytes: Vec<usize> = Vec::new();
        for f in findings {
            bytes.extend([f.span.start, f.span.end]);
            for l in f.labels.iter() {
                bytes.extend([l.span.start, l.span.end]);
            }
            if let Some(fix) = &f.fix {
                for e in &fix.edits {
                    bytes.extend([e.span.start, e.span.end]);
                }
            }
        }
        bytes.sort_unstable();
        bytes.dedup();
        let mut table = Vec::with_capacity(bytes.len());
        let (mut at, mut units) = (0, 0);
        for b in bytes {
            let b = b.min(text.len());
            units += utf16_len(&text[at..floor_boundary(text, b).max(at)]);
            at = floor_boundary(text, b).max(at);
            table.push((b, units));
        }
        Utf16Offsets { table }
    }

    fn at(&mut self, byte: usize) -> usize {
        match self.table.binary_search_by_key(&byte, |&(b, _)| b) {
            Ok(i) => self.table[i].1,
            // Only offsets given to `new` are asked for; past the text's
            // end is clamped there.
            Err(i) => self.table.get(i.saturating_sub(1)).map_or(0, |e| e.1),
        }
    }
}

fn utf16_len(s: &str) -> usize {
    s.chars().map(char::len_utf16).sum()
}

/// The nearest character boundary at or before `at`.
fn floor_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Fix, Label, Severity};

    fn finding(span: std::ops::Range<usize>) -> Finding {
        Finding {
            rule: "r".into(),
            severity: Severity::Warning,
            span,
            message: "m".into(),
            labels: Box::new([]),
            notes: Box::new([]),
            fix: None,
            supersedes: false,
        }
    }

    #[test]
    fn offsets_count_utf16_units_of_the_text() {
        // "é" is 2 bytes and 1 unit; the emoji 4 bytes and 2 units.
        let text = "é 😀 the the end\n";
        let start = text.find("the the").unwrap();
        let mut f = finding(start..start + 7);
        f.labels = Box::new([Label {
            span: 0..2,
            message: "here".into(),
        }]);
        f.fix = Some(Box::new(Fix::safe(start..start + 4, "", "drop")));
        let file = FileResult {
            source: Source::new("a.md", text),
            findings: vec![f],
        };
        let story = WebStory::of(&file);
        let js: Vec<u16> = text.encode_utf16().collect();
        let f = &story.findings[0];
        assert_eq!(String::from_utf16(&js[f.start..f.end]).unwrap(), "the the");
        assert_eq!((f.line, f.column), (1, 5));
        assert_eq!((f.labels[0].start, f.labels[0].end), (0, 1));
        let e = &f.fix.as_ref().unwrap().edits[0];
        assert_eq!(String::from_utf16(&js[e.start..e.end]).unwrap(), "the ");
        assert!(story.markdown);
    }

    #[test]
    fn the_bom_is_not_part_of_the_text() {
        let file = FileResult {
            source: Source::new("a.txt", "\u{feff}x the the"),
            findings: vec![finding(2..9)],
        };
        let story = WebStory::of(&file);
        assert_eq!(story.text, "x the the");
        assert_eq!((story.findings[0].start, story.findings[0].end), (2, 9));
        assert!(!story.markdown);
    }
}
