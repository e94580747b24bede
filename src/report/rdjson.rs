//! `rdjson`: reviewdog's Diagnostic Format (one JSON object). Columns are
//! counted in UTF-8 bytes, as that format specifies.

use std::io::{self, Write};

use serde_json::json;

use super::{FileResult, Reporter, Totals};
use crate::finding::{Applicability, Severity};
use crate::source::Source;

#[derive(Default)]
pub struct Rdjson {
    started: bool,
}

fn pos(source: &Source, byte: usize) -> serde_json::Value {
    let line = source.line_index(byte.min(source.text.len()));
    let col = byte.min(source.text.len()) - source.line_start(line) + 1;
    json!({ "line": line + 1, "column": col })
}

fn range(source: &Source, span: &std::ops::Range<usize>) -> serde_json::Value {
    json!({ "start": pos(source, span.start), "end": pos(source, span.end) })
}

impl Rdjson {
    fn next(&mut self, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(if self.started {
            b",\n    "
        } else {
            b"{\n  \"source\": {\"name\": \"copydesk\", \"url\": \"https://crates.io/crates/copydesk\"},\n  \"diagnostics\": [\n    "
        })?;
        self.started = true;
        Ok(())
    }
}

impl Reporter for Rdjson {
    /// A diagnostic on the file with no range.
    fn problem(&mut self, out: &mut dyn Write, problem: &super::Problem) -> io::Result<()> {
        self.next(out)?;
        let d = json!({
            "message": problem.message,
            "location": { "path": problem.path },
            "severity": "ERROR",
            "code": { "value": super::PROBLEM_ID },
        });
        serde_json::to_writer(&mut *out, &d)?;
        Ok(())
    }

    fn file(&mut self, out: &mut dyn Write, file: &FileResult) -> io::Result<()> {
        for f in &file.findings {
            self.next(out)?;
            let severity = match f.severity {
                Severity::Error => "ERROR",
                Severity::Warning => "WARNING",
                Severity::Note | Severity::Off => "INFO",
            };
            let suggestions: Vec<serde_json::Value> = f
                .fix
                .iter()
                .filter(|fix| fix.applicability == Applicability::Safe)
                .flat_map(|fix| fix.edits.iter())
                .map(|e| json!({ "range": range(&file.source, &e.span), "text": e.replacement }))
                .collect();
            let mut d = json!({
                "message": f.message,
                "location": { "path": file.source.path, "range": range(&file.source, &f.span) },
                "severity": severity,
                "code": { "value": &*f.rule },
            });
            if !suggestions.is_empty() {
                d["suggestions"] = serde_json::Value::Array(suggestions);
            }
            serde_json::to_writer(&mut *out, &d)?;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, _totals: &Totals) -> io::Result<()> {
        if self.started {
            out.write_all(b"\n  ]\n}\n")
        } else {
            out.write_all(b"{\n  \"source\": {\"name\": \"copydesk\", \"url\": \"https://crates.io/crates/copydesk\"},\n  \"diagnostics\": []\n}\n")
        }
    }
}
