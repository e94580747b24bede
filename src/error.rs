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

/// A LoadError from a toml error, with a "did you mean" for a misspelt key.
pub fn from_toml(path: &str, text: &str, e: &toml::de::Error) -> LoadError {
    let message = plain_types(e.message().trim());
    let mut err = LoadError::new(path, text, e.span(), message.clone());
    // serde: "unknown field `severty`, expected one of `kind`, `severity`, ..."
    if let Some(rest) = message.strip_prefix("unknown field `")
        && let Some((name, expected)) = rest.split_once('`')
    {
        let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        if let Some(s) = did_you_mean(name, candidates) {
            err = err.with_note(format!("did you mean `{s}`?"));
        }
    }
    err
}

/// serde's type names in a type error, in words a copy editor uses:
/// "expected usize" is "expected a whole number", a sequence is a list and
/// a map a table (as TOML calls them).
fn plain_types(message: &str) -> String {
    let Some((head, expected)) = message.rsplit_once(", expected ") else {
        return message.to_string();
    };
    let expected = match expected {
        "usize" | "u8" | "u16" | "u32" | "u64" => "a whole number, 0 or more",
        "isize" | "i8" | "i16" | "i32" | "i64" => "a whole number",
        "f32" | "f64" => "a number",
        "a sequence" => "a list",
        "a map" => "a table",
        other => other,
    };
    let head = head
        .replace("invalid type: sequence", "invalid type: list")
        .replace("invalid type: map", "invalid type: table");
    format!("{head}, expected {expected}")
}

/// A path as users should see it: relative to the current folder when it lies
/// below it, so messages match what they typed (and tests are portable).
pub fn shown_path(p: &std::path::Path) -> String {
    if p.is_absolute()
        && let Ok(cwd) = std::env::current_dir()
        && let Ok(rel) = p.strip_prefix(&cwd)
    {
        return rel.display().to_string();
    }
    p.display().to_string()
}

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

#[cfg(test)]
mod tests {
    use super::plain_types;

    #[test]
    fn type_errors_name_types_in_plain_words() {
        let cases = [
            (
                "invalid type: string \"seventy\", expected usize",
                "invalid type: string \"seventy\", expected a whole number, 0 or more",
            ),
            (
                "invalid type: sequence, expected a string",
                "invalid type: list, expected a string",
            ),
            (
                "invalid type: string \"x\", expected a map",
                "invalid type: string \"x\", expected a table",
            ),
            (
                "invalid type: string \"x\", expected f64",
                "invalid type: string \"x\", expected a number",
            ),
            (
                "unknown field `polcy`, expected one of `kind`, `policy`",
                "unknown field `polcy`, expected one of `kind`, `policy`",
            ),
            ("missing field `kind`", "missing field `kind`"),
        ];
        for (serde, plain) in cases {
            assert_eq!(plain_types(serde), plain);
        }
    }
}
