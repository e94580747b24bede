//! Errors in rule files and configuration: positioned, rendered like findings.

use std::ops::Range;

/// A problem in a file copydesk reads for its own use (a rule file, a config
/// file). Carries the file's text so that a reporter can show the line.
#[derive(Debug, Clone)]
pub struct LoadError {
    pub path: String,
    pub text: String,
    pub span: Option<Range<usize>>,
    pub message: String,
    pub notes: Vec<String>,
}

impl LoadError {
    pub fn new(path: &str, text: &str, span: Option<Range<usize>>, message: String) -> LoadError {
        let span = span.map(|s| s.start.min(text.len())..s.end.min(text.len()));
        LoadError {
            path: path.to_string(),
            text: text.to_string(),
            span,
            message,
            notes: Vec::new(),
        }
    }

    /// An error about a file that could not be read at all.
    pub fn io(path: &str, message: String) -> LoadError {
        LoadError::new(path, "", None, message)
    }

    pub fn with_note(mut self, note: impl Into<String>) -> LoadError {
        self.notes.push(note.into());
        self
    }

    /// 1-based line and column (Unicode scalar values) of the span start.
    pub fn line_col(&self) -> Option<(usize, usize)> {
        let span = self.span.as_ref()?;
        let before = &self.text[..span.start];
        let line = before.matches('\n').count() + 1;
        let col = before[before.rfind('\n').map_or(0, |p| p + 1)..]
            .chars()
            .count()
            + 1;
        Some((line, col))
    }
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line_col() {
            Some((l, c)) => write!(f, "{}:{l}:{c}: {}", self.path, self.message)?,
            None => write!(f, "{}: {}", self.path, self.message)?,
        }
        for n in &self.notes {
            write!(f, "\n  = {n}")?;
        }
        Ok(())
    }
}

impl std::error::Error for LoadError {}

/// The closest candidate to a misspelt name, if any is close enough.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(name, c), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}
