//! Findings: what a check reports, as plain data with byte spans.
//!
//! Line and column numbers are not stored here: reporters compute them from
//! the [`Source`](crate::source::Source) when they render.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;
use std::sync::Arc;

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
    /// Mostly a fixed text ("first appears here"), which then costs nothing
    /// per finding.
    pub message: Cow<'static, str>,
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
    pub description: Cow<'static, str>,
}

impl Fix {
    /// A fix `--fix` applies: replace the bytes `span` with `replacement`.
    pub fn safe(
        span: Range<usize>,
        replacement: impl Into<String>,
        description: impl Into<Cow<'static, str>>,
    ) -> Fix {
        Fix::new(Applicability::Safe, span, replacement, description)
    }

    /// A fix applied only with `--unsafe-fixes`: right most of the time, but
    /// an editor should look.
    pub fn unsafe_(
        span: Range<usize>,
        replacement: impl Into<String>,
        description: impl Into<Cow<'static, str>>,
    ) -> Fix {
        Fix::new(Applicability::Unsafe, span, replacement, description)
    }

    /// A one-edit fix of the given applicability.
    pub fn new(
        applicability: Applicability,
        span: Range<usize>,
        replacement: impl Into<String>,
        description: impl Into<Cow<'static, str>>,
    ) -> Fix {
        Fix {
            applicability,
            edits: vec![Edit {
                span,
                replacement: replacement.into(),
            }],
            description: description.into(),
        }
    }
}

/// One problem found in one document.
///
/// A large file can have a hundred thousand findings, all held until they
/// are sorted, so a finding is kept small: the rule id is shared with the
/// rule's other findings, fixed texts are not copied, labels and notes are
/// boxed slices (16 bytes, not a vector's 24), and a fix (most findings
/// have none) is boxed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: Arc<str>,
    pub severity: Severity,
    /// Byte range into the source text (including any BOM offset handling done by `Source`).
    pub span: Range<usize>,
    pub message: String,
    pub labels: Box<[Label]>,
    pub notes: Box<[String]>,
    pub fix: Option<Box<Fix>>,
    /// The finding's fix deletes its whole span (a pasted copy), so what
    /// other rules find inside the span is not reported (see `engine`).
    pub supersedes: bool,
}

impl Finding {
    pub fn new(
        rule: impl Into<Arc<str>>,
        severity: Severity,
        span: Range<usize>,
        message: String,
    ) -> Finding {
        Finding {
            rule: rule.into(),
            severity,
            span,
            message,
            labels: Box::default(),
            notes: Box::default(),
            fix: None,
            supersedes: false,
        }
    }

    pub fn with_label(
        mut self,
        span: Range<usize>,
        message: impl Into<Cow<'static, str>>,
    ) -> Finding {
        self.add_label(span, message);
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Finding {
        self.add_note(note);
        self
    }

    pub fn with_fix(mut self, fix: Fix) -> Finding {
        self.fix = Some(Box::new(fix));
        self
    }

    /// Add a secondary label (a finding has one or two).
    pub fn add_label(&mut self, span: Range<usize>, message: impl Into<Cow<'static, str>>) {
        let label = Label {
            span,
            message: message.into(),
        };
        push_boxed(&mut self.labels, label);
    }

    /// Add a note.
    pub fn add_note(&mut self, note: impl Into<String>) {
        push_boxed(&mut self.notes, note.into());
    }

    pub fn set_fix(&mut self, fix: Fix) {
        self.fix = Some(Box::new(fix));
    }
}

/// Append to a boxed slice, leaving no room to spare.
fn push_boxed<T>(slice: &mut Box<[T]>, item: T) {
    let mut v = std::mem::take(slice).into_vec();
    v.reserve_exact(1);
    v.push(item);
    *slice = v.into_boxed_slice();
}

/// Sort findings by position, then rule id, so output never depends on rule order.
///
/// The sort is stable, but it orders indices rather than the findings: a
/// stable sort of the findings themselves would need a scratch copy of half
/// of them, which for a large file with a hundred thousand findings is tens
/// of megabytes at the moment memory is at its peak. The findings are then
/// moved into place by following the permutation's cycles.
pub fn sort_findings(findings: &mut [Finding]) {
    let n = findings.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (&findings[a], &findings[b]);
        (a.span.start, a.span.end, &a.rule, &a.message).cmp(&(
            b.span.start,
            b.span.end,
            &b.rule,
            &b.message,
        ))
    });
    // Place `findings[order[i]]` at `i` for every `i`; a settled place is
    // marked by `order[i] == i`.
    for start in 0..n {
        let mut at = start;
        while order[at] != start && order[at] != at {
            let from = order[at];
            findings.swap(at, from);
            order[at] = at;
            at = from;
        }
        order[at] = at;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The permutation sort gives what a stable sort of the findings gives,
    /// ties (same place, rule and message) included.
    #[test]
    fn sorting_matches_a_stable_sort() {
        let mut seed: u64 = 0x5eed;
        let mut next = |m: u64| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) % m
        };
        for n in 0..200 {
            let mut v: Vec<Finding> = (0..n)
                .map(|i| {
                    let start = next(6) as usize;
                    let rule = ["a", "b"][next(2) as usize];
                    let mut f = Finding::new(rule, Severity::Note, start..start + 1, String::new());
                    // Ties differ only here, so their order shows.
                    f.add_note(i.to_string());
                    f
                })
                .collect();
            let mut want = v.clone();
            want.sort_by(|a, b| {
                (a.span.start, a.span.end, &a.rule, &a.message).cmp(&(
                    b.span.start,
                    b.span.end,
                    &b.rule,
                    &b.message,
                ))
            });
            sort_findings(&mut v);
            assert_eq!(v, want, "{n} findings");
        }
    }
}
