//! Applying fixes: non-overlapping edits, repeated to a fixed point.

use crate::finding::{Applicability, Finding};

/// Apply the fixes of `findings` to `text` in one pass. Fixes whose edits
/// overlap an already chosen fix are left for the next pass. Returns the new
/// text and the indices (into `findings`) of the fixes applied.
pub fn apply(text: &str, findings: &[Finding], unsafe_fixes: bool) -> (String, Vec<usize>) {
    let mut fixes: Vec<(usize, &crate::finding::Fix)> = findings
        .iter()
        .enumerate()
        .filter_map(|(i, f)| Some((i, f.fix.as_deref()?)))
        .filter(|(_, fix)| unsafe_fixes || fix.applicability == Applicability::Safe)
        .filter(|(_, fix)| !fix.edits.is_empty())
        .collect();
    fixes.sort_by_key(|(_, fix)| fix.edits.iter().map(|e| e.span.start).min());
    let mut chosen: Vec<&crate::finding::Edit> = Vec::new();
    // The chosen edits' spans, ordered. No two overlap, so in this order
    // their ends never decrease either, and the last one starting before a
    // span's end is the only one that can reach into it.
    let mut taken: std::collections::BTreeSet<(usize, usize)> = Default::default();
    let overlaps_taken = |taken: &std::collections::BTreeSet<(usize, usize)>,
                          span: &std::ops::Range<usize>| {
        let reaches_in = taken
            .range(..(span.end, 0))
            .next_back()
            .is_some_and(|&(start, end)| start < span.end && span.start < end);
        // Two insertions at one place would leave their order to chance.
        reaches_in || (span.is_empty() && taken.contains(&(span.start, span.start)))
    };
    let mut applied = Vec::new();
    for (i, fix) in fixes {
        if fix.edits.iter().any(|e| overlaps_taken(&taken, &e.span)) {
            continue;
        }
        taken.extend(fix.edits.iter().map(|e| (e.span.start, e.span.end)));
        chosen.extend(fix.edits.iter());
        applied.push(i);
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

/// What fixing a text to a fixed point made of it.
#[derive(Debug)]
pub struct Fixed {
    /// The text after the fixes (the input when nothing applied).
    pub text: String,
    /// The findings on `text`.
    pub findings: Vec<Finding>,
    /// Fixes applied, over all passes.
    pub applied: usize,
    /// Rules whose fixes undo one another (the passes came back to a text
    /// they had made before), sorted; empty when the fixes settle. The text
    /// is then the one where the cycle began.
    pub fighting: Vec<String>,
}

impl Fixed {
    /// "the fixes of `a` and `b` undo one another", when fixes fight.
    pub fn fighting_message(&self) -> Option<String> {
        if self.fighting.is_empty() {
            return None;
        }
        let rules: Vec<String> = self.fighting.iter().map(|r| format!("`{r}`")).collect();
        Some(format!(
            "the fixes of {} undo one another",
            rules.join(" and ")
        ))
    }
}

/// Check `text`, apply its fixes, check again, and so on until no fix
/// applies, the fixes come back to a text seen before (rules that fight,
/// reported in [`Fixed::fighting`]) or [`MAX_PASSES`] passes ran.
/// `check` returns the findings on a text; `findings` are those on `text`.
pub fn fix_until_stable(
    text: &str,
    findings: Vec<Finding>,
    unsafe_fixes: bool,
    mut check: impl FnMut(&str) -> Vec<Finding>,
) -> Fixed {
    // Every text the passes made, with the rules whose fixes made it.
    let mut seen: Vec<(String, Vec<String>, usize)> = vec![(text.to_string(), Vec::new(), 0)];
    let mut findings = findings;
    for _ in 0..MAX_PASSES {
        let current = &seen[seen.len() - 1].0;
        let (next, applied) = apply(current, &findings, unsafe_fixes);
        if applied.is_empty() || next == *current {
            break;
        }
        let rules: Vec<String> = applied
            .iter()
            .map(|&i| findings[i].rule.to_string())
            .collect();
        if let Some(back) = seen.iter().position(|(t, _, _)| *t == next) {
            // The cycle is the passes after `back`: their rules fight.
            let mut fighting: Vec<String> = seen[back + 1..]
                .iter()
                .flat_map(|(_, r, _)| r.iter().cloned())
                .chain(rules)
                .collect();
            fighting.sort();
            fighting.dedup();
            seen.truncate(back + 1);
            let (text, _, applied) = seen.pop().unwrap_or_default();
            let findings = check(&text);
            return Fixed {
                text,
                findings,
                applied,
                fighting,
            };
        }
        let total = seen[seen.len() - 1].2 + applied.len();
        findings = check(&next);
        seen.push((next, rules, total));
    }
    let (text, _, applied) = seen.pop().unwrap_or_default();
    Fixed {
        text,
        findings,
        applied,
        fighting: Vec::new(),
    }
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

/// Write a fixed story back to `path` without ever losing its text.
///
/// - A symbolic link is followed: the story it points to is fixed and the
///   link stays a link.
/// - A read-only file is refused, even where the process could write it
///   (root): the newsroom marked it as not to be changed.
/// - Normally the new text goes to a temporary file created exclusively with
///   a random name in the same folder, readable by no one else and carrying
///   the story's permissions before any text is in it, then renamed over the
///   story: a crash or a full disk leaves the original whole.
/// - A file with other hard links, or owned by another user or group than
///   the process makes files with, is written in place (a rename would split
///   the links or change the owner), after its old text is safely copied to
///   such a temporary file, which puts the old text back if the write fails.
pub fn write_fixed(path: &std::path::Path, contents: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let target = std::fs::canonicalize(path)?;
    let meta = std::fs::metadata(&target)?;
    if meta.permissions().readonly() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            "the file is read-only, so its fixes are not written",
        ));
    }
    let dir = target
        .parent()
        .map_or_else(|| std::path::PathBuf::from("."), |d| d.to_path_buf());
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into());
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".copydesk")
        .tempfile_in(&dir)?;
    if must_write_in_place(&meta, tmp.as_file())? {
        let old = std::fs::read(&target)?;
        tmp.write_all(&old)?;
        tmp.as_file().sync_all()?;
        let written = (|| {
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .truncate(true)
                .open(&target)?;
            f.write_all(contents)?;
            f.sync_all()
        })();
        if let Err(e) = written {
            let restored = std::fs::OpenOptions::new()
                .write(true)
                .truncate(true)
                .open(&target)
                .and_then(|mut f| f.write_all(&old).and_then(|()| f.sync_all()));
            if restored.is_err() {
                // Keep the copy: it is the only whole text left.
                let kept = tmp.into_temp_path().keep().map_err(|k| k.error)?;
                return Err(std::io::Error::other(format!(
                    "{e}; the original text is saved in {}",
                    kept.display()
                )));
            }
            return Err(e);
        }
        return Ok(());
    }
    tmp.as_file().set_permissions(meta.permissions())?;
    tmp.write_all(contents)?;
    tmp.as_file().sync_all()?;
    tmp.persist(&target).map_err(|e| e.error)?;
    Ok(())
}

/// Would a rename change what the story is: more than one hard link, or an
/// owner or group other than those of a file the process creates (`fresh`)?
#[cfg(unix)]
fn must_write_in_place(meta: &std::fs::Metadata, fresh: &std::fs::File) -> std::io::Result<bool> {
    use std::os::unix::fs::MetadataExt;
    let mine = fresh.metadata()?;
    Ok(meta.nlink() > 1 || meta.uid() != mine.uid() || meta.gid() != mine.gid())
}

#[cfg(not(unix))]
fn must_write_in_place(_: &std::fs::Metadata, _: &std::fs::File) -> std::io::Result<bool> {
    Ok(false)
}

/// A unified diff (`--- a/PATH`, `+++ b/PATH`, hunks with three lines of
/// context) that turns `old` into `new`, as `git apply` takes it; empty
/// when they are the same.
///
/// A fixed story differs from its draft at scattered places. The lines are
/// walked side by side while they agree; where they part, the nearest line
/// where they agree again (within `RESYNC_WINDOW` lines on either side) ends
/// the changed stretch, and only that stretch goes to Myers' algorithm. So
/// the time grows with the text, not with lines times changes as one Myers
/// pass over the whole text would.
pub fn unified_diff(path: &str, old: &str, new: &str) -> String {
    use std::fmt::Write;
    let a: Vec<&str> = old.split_inclusive('\n').collect();
    let b: Vec<&str> = new.split_inclusive('\n').collect();
    let groups = similar::group_diff_ops(line_ops(&a, &b), 3);
    if groups.is_empty() {
        return String::new();
    }
    let mut out = format!("--- a/{path}\n+++ b/{path}\n");
    let line = |out: &mut String, tag: char, text: &str| {
        out.push(tag);
        out.push_str(text);
        if !text.ends_with('\n') {
            out.push_str("\n\\ No newline at end of file\n");
        }
    };
    for group in groups {
        let _ = writeln!(out, "{}", similar::udiff::UnifiedHunkHeader::new(&group));
        for op in group {
            let (tag, old_range, new_range) = op.as_tag_tuple();
            match tag {
                similar::DiffTag::Equal => a[old_range].iter().for_each(|l| line(&mut out, ' ', l)),
                similar::DiffTag::Delete => {
                    a[old_range].iter().for_each(|l| line(&mut out, '-', l))
                }
                similar::DiffTag::Insert => {
                    b[new_range].iter().for_each(|l| line(&mut out, '+', l))
                }
                similar::DiffTag::Replace => {
                    a[old_range].iter().for_each(|l| line(&mut out, '-', l));
                    b[new_range].iter().for_each(|l| line(&mut out, '+', l));
                }
            }
        }
    }
    out
}

/// How far apart (in lines of the old and the new text together) the two
/// ends of a changed stretch may be found.
const RESYNC_WINDOW: usize = 200;

/// The line operations that turn `a` into `b` (see `unified_diff`).
fn line_ops(a: &[&str], b: &[&str]) -> Vec<similar::DiffOp> {
    let (mut i, mut j) = (0, 0);
    let mut ops = Vec::new();
    loop {
        let (si, sj) = (i, j);
        while i < a.len() && j < b.len() && a[i] == b[j] {
            i += 1;
            j += 1;
        }
        if i > si {
            ops.push(similar::DiffOp::Equal {
                old_index: si,
                new_index: sj,
                len: i - si,
            });
        }
        if i == a.len() && j == b.len() {
            return ops;
        }
        // The nearest place (fewest lines skipped in all) where they agree
        // again; past the window, a stretch of the window's size on each
        // side is taken as changed (correct, if not the shortest diff).
        let (rest_a, rest_b) = (a.len() - i, b.len() - j);
        let (p, q) = (1..=RESYNC_WINDOW.min(rest_a + rest_b))
            .find_map(|d| {
                (d.saturating_sub(rest_b)..=d.min(rest_a))
                    .map(|p| (p, d - p))
                    .find(|&(p, q)| p < rest_a && q < rest_b && a[i + p] == b[j + q])
            })
            .unwrap_or((rest_a.min(RESYNC_WINDOW), rest_b.min(RESYNC_WINDOW)));
        ops.extend(similar::capture_diff(
            similar::Algorithm::Myers,
            a,
            i..i + p,
            b,
            j..j + q,
        ));
        i += p;
        j += q;
    }
}

#[cfg(test)]
mod tests {
    use super::{line_ops, paragraph_deletion, unified_diff};

    /// The operations account for every line of both texts, in order, and
    /// lines they call equal are equal: replaying them makes `b`.
    fn replay(a: &[&str], b: &[&str]) -> Vec<String> {
        let mut out = Vec::new();
        let (mut ai, mut bi) = (0, 0);
        for op in line_ops(a, b) {
            let (tag, old, new) = op.as_tag_tuple();
            assert_eq!((old.start, new.start), (ai, bi), "ops in order");
            if tag == similar::DiffTag::Equal {
                assert_eq!(a[old.clone()], b[new.clone()]);
            }
            out.extend(b[new.clone()].iter().map(|s| s.to_string()));
            (ai, bi) = (old.end, new.end);
        }
        assert_eq!((ai, bi), (a.len(), b.len()), "every line");
        out
    }

    #[test]
    fn line_operations_make_the_new_text() {
        let mut rng = crate::testing::xorshift(0x9e37_79b9);
        let mut next = |n: u64| rng() % n;
        for _ in 0..400 {
            let len = next(600) as usize;
            let a: Vec<String> = (0..len)
                .map(|k| format!("line {}\n", next(40).max(k as u64 % 7)))
                .collect();
            let mut b = a.clone();
            for _ in 0..next(80) {
                let at = next(b.len() as u64 + 1) as usize;
                match next(3) {
                    0 if at < b.len() => {
                        b.remove(at);
                    }
                    1 => b.insert(at, format!("new {}\n", next(5))),
                    _ if at < b.len() => b[at] = format!("changed {}\n", next(9)),
                    _ => {}
                }
            }
            let (ar, br): (Vec<&str>, Vec<&str>) = (
                a.iter().map(|s| s.as_str()).collect(),
                b.iter().map(|s| s.as_str()).collect(),
            );
            assert_eq!(replay(&ar, &br), b);
        }
        // A stretch longer than the window with nothing in common.
        let a: Vec<String> = (0..1000).map(|k| format!("a{k}\n")).collect();
        let b: Vec<String> = (0..700).map(|k| format!("b{k}\n")).collect();
        let (ar, br): (Vec<&str>, Vec<&str>) = (
            a.iter().map(|s| s.as_str()).collect(),
            b.iter().map(|s| s.as_str()).collect(),
        );
        assert_eq!(replay(&ar, &br), b);
    }

    /// Small diffs read as `similar`'s unified diff does, and a missing
    /// final newline is marked.
    #[test]
    fn unified_diffs_read_as_usual() {
        let old = "one\ntwo\nthree\nfour\nfive\nsix\nseven\neight\nnine\nten\n";
        let new = "one\ntwo\nTHREE\nfour\nfive\nsix\nseven\neight\nnine\nten\neleven";
        let want = similar::TextDiff::from_lines(old, new)
            .unified_diff()
            .context_radius(3)
            .header("a/s.txt", "b/s.txt")
            .to_string();
        assert_eq!(unified_diff("s.txt", old, new), want);
        assert_eq!(unified_diff("s.txt", old, old), "");
        let got = unified_diff("s.txt", "a\nb", "a\nc");
        assert_eq!(
            got,
            "--- a/s.txt\n+++ b/s.txt\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n"
        );
    }

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
