//! Findings: what a check reports, as plain data with byte spans.
//!
//! Line and column numbers are not stored here: reporters compute them from
//! the [`Source`](crate::source::Source) when they render.

use std::fmt;
use std::ops::Range;

use serde::{Deserialize, Serialize};

/// How serious a finding is. `Off` only appears in rule files and config.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Off,
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Off => "off",
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "off" => Some(Severity::Off),
            "note" => Some(Severity::Note),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A secondary place a finding points at ("first appears here").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub span: Range<usize>,
    pub message: String,
}

/// Whether `--fix` may apply a fix without being asked twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Applied by `--fix`: cannot change meaning.
    Safe,
    /// Applied only with `--unsafe-fixes`.
    Unsafe,
}

/// A replacement of one byte range of the source text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub span: Range<usize>,
    pub replacement: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
    /// Short description for listings ("delete the repeated paragraph").
    pub description: String,
}

/// One problem found in one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: String,
    pub severity: Severity,
    /// Byte range into the source text (including any BOM offset handling done by `Source`).
    pub span: Range<usize>,
    pub message: String,
    pub labels: Vec<Label>,
    pub notes: Vec<String>,
    pub fix: Option<Fix>,
}

impl Finding {
    pub fn new(rule: &str, severity: Severity, span: Range<usize>, message: String) -> Finding {
        Finding {
            rule: rule.to_string(),
            severity,
            span,
            message,
            labels: Vec::new(),
            notes: Vec::new(),
            fix: None,
        }
    }

    pub fn with_label(mut self, span: Range<usize>, message: impl Into<String>) -> Finding {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Finding {
        self.notes.push(note.into());
        self
    }

    pub fn with_fix(mut self, fix: Fix) -> Finding {
        self.fix = Some(fix);
        self
    }
}

/// Sort findings by position, then rule id, so output never depends on rule order.
pub fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (a.span.start, a.span.end, &a.rule, &a.message).cmp(&(
            b.span.start,
            b.span.end,
            &b.rule,
            &b.message,
        ))
    });
}
