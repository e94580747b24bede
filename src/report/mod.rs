//! Reporters: render findings. Each format is one file; the engine never
//! prints.

use std::io::{self, Write};

use crate::finding::{Finding, Severity};
use crate::source::Source;

mod excerpt;
pub mod human;
pub mod json;
pub mod short;

/// The findings of one checked file, with its source for positions.
#[derive(Debug)]
pub struct FileResult {
    pub source: Source,
    pub findings: Vec<Finding>,
}

/// One output format.
pub trait Reporter {
    /// Called once per file, in output order.
    fn file(&mut self, out: &mut dyn Write, file: &FileResult) -> io::Result<()>;
    /// Called once at the end with totals.
    fn finish(&mut self, out: &mut dyn Write, totals: &Totals) -> io::Result<()>;
}

/// Counts for summary lines.
#[derive(Debug, Clone, Default)]
pub struct Totals {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
    pub fixed: usize,
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
