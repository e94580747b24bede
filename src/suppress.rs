//! Inline suppressions in Markdown (and HTML) comments:
//!
//! - `<!-- copydesk-disable RULE ... -->` … `<!-- copydesk-enable RULE ... -->`
//! - `<!-- copydesk-disable-next-line RULE ... -->`
//! - `<!-- copydesk-disable-file RULE ... -->`
//!
//! With no rule ids, a comment applies to every rule. Rule ids may be
//! separated by spaces or commas. An unknown id is itself reported, with a
//! suggestion, so a typo never silently fails to suppress (or suppresses
//! nothing while looking as if it did).

use std::ops::Range;

use crate::document::Document;
use crate::error::did_you_mean;
use crate::finding::{Finding, Severity};

/// The rule id used for problems with suppression comments themselves.
pub const SUPPRESSION_RULE: &str = "suppression";

#[derive(Debug, Clone, PartialEq, Eq)]
enum Scope {
    All,
    Rules(Vec<String>),
}

impl Scope {
    fn covers(&self, rule: &str) -> bool {
        match self {
            Scope::All => true,
            Scope::Rules(ids) => ids.iter().any(|r| r == rule),
        }
    }
}

#[derive(Debug)]
struct Directive {
    kind: &'static str,
    scope: Scope,
    span: Range<usize>,
}

/// Parse the suppression comments of a document, reporting unknown ids.
fn directives(doc: &Document, known: &[&str], problems: &mut Vec<Finding>) -> Vec<Directive> {
    let mut out = Vec::new();
    for c in &doc.comments {
        let body = c.body.trim();
        let (kind, rest) = if let Some(r) = body.strip_prefix("copydesk-disable-next-line") {
            ("next-line", r)
        } else if let Some(r) = body.strip_prefix("copydesk-disable-file") {
            ("file", r)
        } else if let Some(r) = body.strip_prefix("copydesk-disable") {
            ("disable", r)
        } else if let Some(r) = body.strip_prefix("copydesk-enable") {
            ("enable", r)
        } else {
            continue;
        };
        if !rest.is_empty() && !rest.starts_with([' ', '\t', '\n', '\r', ',']) {
            // "copydesk-disabled": not a directive we know.
            problems.push(Finding::new(
                SUPPRESSION_RULE,
                Severity::Warning,
                c.span.clone(),
                format!("unknown copydesk comment `{}`", body.split_whitespace().next().unwrap_or(body)),
            )
            .with_note("use copydesk-disable, copydesk-enable, copydesk-disable-next-line or copydesk-disable-file"));
            continue;
        }
        let ids: Vec<String> = rest
            .split([' ', ',', '\t', '\n', '\r'])
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        let mut valid = Vec::new();
        for id in ids {
            if known.contains(&id.as_str()) {
                valid.push(id);
            } else {
                let mut f = Finding::new(
                    SUPPRESSION_RULE,
                    Severity::Warning,
                    c.span.clone(),
                    format!("unknown rule id `{id}` in a copydesk comment"),
                );
                if let Some(s) = did_you_mean(&id, known.iter().copied()) {
                    f = f.with_note(format!("did you mean `{s}`?"));
                }
                problems.push(f);
            }
        }
        let scope = if rest.trim().is_empty() {
            Scope::All
        } else if valid.is_empty() {
            continue;
        } else {
            Scope::Rules(valid)
        };
        out.push(Directive {
            kind,
            scope,
            span: c.span.clone(),
        });
    }
    out
}

/// Remove suppressed findings; add findings for bad suppression comments.
pub fn apply(doc: &Document, known: &[&str], findings: &mut Vec<Finding>) {
    if doc.comments.is_empty() {
        return;
    }
    let mut problems = Vec::new();
    let dirs = directives(doc, known, &mut problems);
    if !dirs.is_empty() {
        let line_starts = crate::text::line_starts(doc.text);
        let line_of = |b: usize| {
            line_starts
                .partition_point(|&s| s as usize <= b)
                .saturating_sub(1)
        };
        findings.retain(|f| {
            let at = f.span.start;
            let mut disabled = false;
            for d in &dirs {
                if !d.scope.covers(&f.rule) {
                    continue;
                }
                match d.kind {
                    "file" => return false,
                    "disable" if d.span.end <= at => disabled = true,
                    "enable" if d.span.end <= at => disabled = false,
                    "next-line" => {
                        // The next line that has text after the comment.
                        let mut l = line_of(d.span.end) + 1;
                        while l < line_starts.len() {
                            let start = line_starts[l] as usize;
                            let end = line_starts
                                .get(l + 1)
                                .map_or(doc.text.len(), |&s| s as usize);
                            if !doc.text[start..end].trim().is_empty() {
                                break;
                            }
                            l += 1;
                        }
                        if line_of(at) == l {
                            return false;
                        }
                    }
                    _ => {}
                }
            }
            !disabled
        });
    }
    findings.extend(problems);
}
