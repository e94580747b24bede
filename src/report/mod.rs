//! Reporters: render findings. Each format is one file; the engine never
//! prints.

use std::io::{self, Write};

use crate::finding::{Finding, Severity};
use crate::source::Source;

pub mod checkstyle;
mod excerpt;
pub mod explain;
pub mod github;
pub mod gitlab;
pub mod html;
pub mod human;
pub mod json;
pub mod junit;
pub mod rdjson;
pub mod sarif;
pub mod short;
pub mod statistics;
pub mod web;

/// The findings of one checked file, with its source for positions.
#[derive(Debug)]
pub struct FileResult {
    pub source: Source,
    pub findings: Vec<Finding>,
}

/// A file that could not be checked (unreadable, not UTF-8, binary) or
/// whose fixes could not be written. The run's exit code is 2; the message
/// also goes to stderr.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: String,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// The rule id machine formats give a [`Problem`].
pub const PROBLEM_ID: &str = "copydesk-error";

/// One output format.
pub trait Reporter {
    /// Called once per file, in output order.
    fn file(&mut self, out: &mut dyn Write, file: &FileResult) -> io::Result<()>;
    /// Called for a file that could not be checked or fixed, in output
    /// order. Machine formats carry it, so a CI dashboard does not show
    /// the file as clean; formats read by people leave it to stderr.
    fn problem(&mut self, out: &mut dyn Write, problem: &Problem) -> io::Result<()>;
    /// Called once at the end with totals.
    fn finish(&mut self, out: &mut dyn Write, totals: &Totals) -> io::Result<()>;
}

/// What a machine format needs to know about a rule.
#[derive(Debug, Clone)]
pub struct RuleMeta {
    pub id: String,
    pub kind: String,
    pub severity: Severity,
    pub summary: String,
    pub why: String,
}

impl RuleMeta {
    pub fn of(rule: &crate::rule::Rule) -> RuleMeta {
        RuleMeta {
            id: rule.id.clone(),
            kind: rule.kind.to_string(),
            severity: rule.severity,
            summary: rule.summary(),
            why: crate::document::squeeze(&rule.common.why),
        }
    }
}

/// Counts for summary lines, and the rules that ran.
#[derive(Debug, Clone, Default)]
pub struct Totals {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
    pub fixed: usize,
    /// The run is a --fix run: the summary says how many fixes it made,
    /// none included.
    pub fix_run: bool,
    /// Every rule that ran, sorted by id.
    pub rules: Vec<RuleMeta>,
}

impl Totals {
    pub fn add(&mut self, findings: &[Finding]) {
        self.files += 1;
        for f in findings {
            match f.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
                Severity::Note => self.notes += 1,
                Severity::Off => {}
            }
        }
    }

    pub fn findings(&self) -> usize {
        self.errors + self.warnings + self.notes
    }

    /// "2 errors, 1 warning in 3 files"
    pub fn sentence(&self) -> String {
        let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
        let mut parts = Vec::new();
        if self.errors > 0 {
            parts.push(plural(self.errors, "error"));
        }
        if self.warnings > 0 {
            parts.push(plural(self.warnings, "warning"));
        }
        if self.notes > 0 {
            parts.push(plural(self.notes, "note"));
        }
        let what = if parts.is_empty() {
            "no problems".to_string()
        } else {
            parts.join(", ")
        };
        format!("{what} in {}", plural(self.files, "file"))
    }
}

/// Line and column (1-based, end exclusive) of a span.
pub struct Position {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

pub fn position(source: &Source, span: &std::ops::Range<usize>) -> Position {
    let (line, column) = source.line_col(span.start);
    let (end_line, end_column) = source.line_col(span.end);
    Position {
        line,
        column,
        end_line,
        end_column,
    }
}

/// Escape text for XML attributes and content.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if (c as u32) < 0x20 => {}
            c => out.push(c),
        }
    }
    out
}

/// Whether `c` breaks a line: LF, CR, vertical tab, form feed, NEL and
/// Unicode's line and paragraph separators.
fn breaks_line(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{b}' | '\u{c}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// `s` on one line: each run of line breaks (a quoted match can span the
/// wrap of a paragraph, as in "per\ncent") becomes one space. Formats that
/// give a finding one line (short, github, human's header) use it; the
/// JSON and XML formats escape the message and keep it as it is.
pub fn one_line(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(breaks_line) {
        return s.into();
    }
    let mut out = String::with_capacity(s.len());
    let mut in_break = false;
    for c in s.chars() {
        if breaks_line(c) {
            if !in_break {
                out.push(' ');
            }
            in_break = true;
        } else {
            out.push(c);
            in_break = false;
        }
    }
    out.into()
}

/// Where copydesk's rules are documented (SARIF help, rdjson codes).
pub const HOME: &str = "https://crates.io/crates/copydesk";

#[cfg(test)]
mod tests {
    use super::one_line;

    #[test]
    fn one_line_folds_each_run_of_line_breaks_to_a_space() {
        assert_eq!(one_line("\"per\ncent\""), "\"per cent\"");
        assert_eq!(
            one_line("a\r\nb\u{2028}c\u{b}\u{c}d\u{85}e\u{2029}f"),
            "a b c d e f"
        );
        assert_eq!(one_line("plain\ttext"), "plain\ttext");
    }
}
