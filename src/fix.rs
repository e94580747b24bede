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

/// The byte range that deletes the paragraph at `span` together with its
/// separating line break (and one blank line, in blank-line-separated copy),
/// leaving the layout around it intact. `None` when the paragraph shares a
/// line with other text, where a deletion would not be clean.
pub fn paragraph_deletion(
    text: &str,
    span: &std::ops::Range<usize>,
) -> Option<std::ops::Range<usize>> {
    let line_start = text[..span.start].rfind(['\n', '\r']).map_or(0, |p| p + 1);
    if !text[line_start..span.start].trim().is_empty() {
        return None;
    }
    let rest = &text[span.end..];
    let eol = rest.find(['\n', '\r']).unwrap_or(rest.len());
    if !rest[..eol].trim().is_empty() {
        return None;
    }
    let content_end = span.end + eol;
    if text[content_end..].trim().is_empty() {
        // The last paragraph: remove the break before it, keep the file's
        // final line break (or its absence) as it was.
        let start = text[..line_start].trim_end().len();
        return Some(start..content_end);
    }
    let mut end = content_end + newline_len(&text[content_end..]);
    // Blank-line-separated copy: take the blank line that follows too.
    let next = &text[end..];
    let next_eol = next.find(['\n', '\r']).unwrap_or(next.len());
    if next_eol < next.len() && next[..next_eol].trim().is_empty() {
        end += next_eol + newline_len(&next[next_eol..]);
    }
    Some(line_start..end)
}

fn newline_len(s: &str) -> usize {
    if s.starts_with("\r\n") {
        2
    } else if s.starts_with('\n') || s.starts_with('\r') {
        1
    } else {
        0
    }
}

/// Write a file atomically: a temporary file in the same folder, the original
/// permissions copied onto it, then a rename over the original. A crash or a
/// full disk leaves the original untouched.
pub fn write_atomic(path: &std::path::Path, contents: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into());
    let tmp = dir.join(format!(".{name}.copydesk-{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(contents)?;
        f.sync_all()?;
        if let Ok(meta) = std::fs::metadata(path) {
            std::fs::set_permissions(&tmp, meta.permissions())?;
        }
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::paragraph_deletion;

    fn del(text: &str, para: &str) -> String {
        let start = text.rfind(para).unwrap();
        let r = paragraph_deletion(text, &(start..start + para.len())).unwrap();
        format!("{}{}", &text[..r.start], &text[r.end..])
    }

    #[test]
    fn deletes_with_its_break_in_both_layouts() {
        assert_eq!(del("A.\n\nR.\n\nB.\n", "R."), "A.\n\nB.\n");
        assert_eq!(del("A.\nR.\nB.\n", "R."), "A.\nB.\n");
        assert_eq!(del("A.\r\n\r\nR.\r\n\r\nB.\r\n", "R."), "A.\r\n\r\nB.\r\n");
        assert_eq!(del("A.\n\nR.\n", "R."), "A.\n");
        assert_eq!(del("A.\nR.", "R."), "A.");
        assert_eq!(del("A.\r\nR.\r\n", "R."), "A.\r\n");
    }

    #[test]
    fn no_deletion_when_sharing_a_line() {
        let t = "A. R.\n";
        assert!(paragraph_deletion(t, &(3..5)).is_none());
    }
}
