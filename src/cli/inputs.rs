//! What to check: the command line's paths expanded into files.

use crate::report::Problem;
use std::path::{Path, PathBuf};

/// One input: a path on disk or standard input.
pub(super) enum Input {
    Stdin(String),
    File(PathBuf),
}

/// Is the whole input at most `LITTLE_TEXT` bytes (standard input counted
/// as little: it is a draft in an editor)?
pub(super) fn little_text(inputs: &[Input]) -> bool {
    let mut total: u64 = 0;
    for input in inputs {
        if let Input::File(p) = input {
            total += std::fs::metadata(p).map_or(0, |m| m.len());
            if total > LITTLE_TEXT {
                return false;
            }
        }
    }
    true
}

const LITTLE_TEXT: u64 = 256 * 1024;

/// Expand the command-line paths into files, in a stable order.
///
/// A folder walk does not follow symbolic links (as ripgrep does not
/// without `-L`): a link may lead out of the folder or round in a loop.
/// The links it passes that lead to a folder or a draft go to `skipped`,
/// for a note; a link named on the command line is followed.
pub(super) fn collect_inputs(
    paths: &[PathBuf],
    stdin_name: Option<&str>,
    errors: &mut Vec<Problem>,
    skipped: &mut Vec<PathBuf>,
) -> Vec<Input> {
    let mut out = Vec::new();
    let default = [PathBuf::from(".")];
    let paths = if paths.is_empty() {
        &default[..]
    } else {
        paths
    };
    for p in paths {
        if p.as_os_str() == "-" {
            out.push(Input::Stdin(stdin_name.unwrap_or("-").to_string()));
        } else if p.is_dir() {
            let mut found = Vec::new();
            let walker = ignore::WalkBuilder::new(p)
                .hidden(true)
                .git_ignore(true)
                .require_git(false)
                .sort_by_file_path(|a, b| a.cmp(b))
                .build();
            for entry in walker {
                match entry {
                    Ok(e) => {
                        if e.file_type().is_some_and(|t| t.is_file()) && is_draft(e.path()) {
                            found.push(e.into_path());
                        } else if e.path_is_symlink()
                            && e.depth() > 0
                            && (e.path().is_dir() || is_draft(e.path()))
                        {
                            skipped.push(e.into_path());
                        }
                    }
                    Err(e) => errors.push(Problem {
                        path: p.display().to_string(),
                        message: e.to_string(),
                    }),
                }
            }
            out.extend(found.into_iter().map(Input::File));
        } else if p.exists() {
            out.push(Input::File(p.clone()));
        } else {
            errors.push(Problem {
                path: p.display().to_string(),
                message: "no such file or folder".to_string(),
            });
        }
    }
    // A file named twice (`a.txt a.txt`, `dir dir/a.txt`, a link and its
    // target) is checked once, under the name it was first given: two
    // checks would race to write its fixes.
    let mut seen = std::collections::HashSet::new();
    out.retain(|input| match input {
        Input::Stdin(_) => true,
        Input::File(p) => seen.insert(std::fs::canonicalize(p).unwrap_or_else(|_| p.clone())),
    });
    out
}

/// File types checked when walking a folder.
fn is_draft(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "txt" | "md" | "markdown"))
}

/// The note for the symbolic links a folder walk passed over, if any.
pub(super) fn skipped_note(skipped: &[PathBuf]) -> Option<String> {
    let first = skipped.first()?;
    let (n, s) = match skipped.len() {
        1 => ("a".to_string(), ""),
        n => (n.to_string(), "s"),
    };
    Some(format!(
        "copydesk: note: skipped {n} symbolic link{s} in the folders walked ({}{}); \
         name a link on the command line to check what it points to",
        first.display(),
        if skipped.len() > 1 { ", ..." } else { "" }
    ))
}
