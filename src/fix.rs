//! Applying fixes: non-overlapping edits, repeated to a fixed point.

use crate::finding::{Applicability, Finding};

/// Apply the fixes of `findings` to `text` in one pass. Fixes whose edits
/// overlap an already chosen fix are left for the next pass. Returns the new
/// text and the number of fixes applied.
pub fn apply(text: &str, findings: &[Finding], unsafe_fixes: bool) -> (String, usize) {
    let mut fixes: Vec<_> = findings
        .iter()
        .filter_map(|f| f.fix.as_ref())
        .filter(|fix| unsafe_fixes || fix.applicability == Applicability::Safe)
        .filter(|fix| !fix.edits.is_empty())
        .collect();
    fixes.sort_by_key(|fix| fix.edits.iter().map(|e| e.span.start).min());
    let mut chosen: Vec<&crate::finding::Edit> = Vec::new();
    let mut applied = 0;
    for fix in fixes {
        let overlaps = fix.edits.iter().any(|e| {
            chosen.iter().any(|c| {
                e.span.start < c.span.end && c.span.start < e.span.end
                    || (e.span.is_empty() && c.span.is_empty() && e.span.start == c.span.start)
            })
        });
        if overlaps {
            continue;
        }
        chosen.extend(fix.edits.iter());
        applied += 1;
    }
    chosen.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for e in chosen {
        if e.span.start < at || e.span.end > text.len() {
            continue;
        }
        out.push_str(&text[at..e.span.start]);
        out.push_str(&e.replacement);
        at = e.span.end;
    }
    out.push_str(&text[at..]);
    (out, applied)
}

/// Upper bound on check-and-fix passes.
pub const MAX_PASSES: usize = 10;
