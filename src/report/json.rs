//! `json`: one JSON array of findings. Field names are a contract with CI
//! scripts: `path`, `rule`, `severity`, `message`, `line`, `column`,
//! `end_line`, `end_column` (1-based, columns in Unicode scalar values, end
//! exclusive), plus byte offsets in the file (a BOM counts), secondary
//! labels, notes and the fix.

use std::io::{self, Write};

use serde::Serialize;

use super::{FileResult, Reporter, Totals, position};
use crate::source::Source;

#[derive(Default)]
pub struct Json {
    first: bool,
    started: bool,
    /// Each finding is written here first, then in one piece: serde_json
    /// makes many small writes, which cost more through `dyn Write`.
    buf: Vec<u8>,
}

#[derive(Serialize)]
struct Place<'a> {
    message: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
struct EditOut<'a> {
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    byte_start: usize,
    byte_end: usize,
    replacement: &'a str,
}

#[derive(Serialize)]
struct FixOut<'a> {
    applicability: crate::finding::Applicability,
    description: &'a str,
    edits: Vec<EditOut<'a>>,
}

#[derive(Serialize)]
struct Item<'a> {
    path: &'a str,
    rule: &'a str,
    severity: &'a str,
    message: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    byte_start: usize,
    byte_end: usize,
    labels: Vec<Place<'a>>,
    notes: &'a [String],
    fix: Option<FixOut<'a>>,
}

fn place<'a>(source: &Source, span: &std::ops::Range<usize>, message: &'a str) -> Place<'a> {
    let p = position(source, span);
    Place {
        message,
        line: p.line,
        column: p.column,
        end_line: p.end_line,
        end_column: p.end_column,
    }
}

impl Reporter for Json {
    fn file(&mut self, out: &mut dyn Write, file: &FileResult) -> io::Result<()> {
        for f in &file.findings {
            if !self.started {
                out.write_all(b"[\n")?;
                self.started = true;
                self.first = true;
            }
            if !self.first {
                out.write_all(b",\n")?;
            }
            self.first = false;
            let p = position(&file.source, &f.span);
            // Byte offsets are offsets in the file, so they count a BOM.
            let bom = if file.source.bom { 3 } else { 0 };
            let item = Item {
                path: &file.source.path,
                rule: &f.rule,
                severity: f.severity.as_str(),
                message: &f.message,
                line: p.line,
                column: p.column,
                end_line: p.end_line,
                end_column: p.end_column,
                byte_start: f.span.start + bom,
                byte_end: f.span.end + bom,
                labels: f
                    .labels
                    .iter()
                    .map(|l| place(&file.source, &l.span, &l.message))
                    .collect(),
                notes: &f.notes,
                fix: f.fix.as_ref().map(|fix| FixOut {
                    applicability: fix.applicability,
                    description: &fix.description,
                    edits: fix
                        .edits
                        .iter()
                        .map(|e| {
                            let p = position(&file.source, &e.span);
                            EditOut {
                                line: p.line,
                                column: p.column,
                                end_line: p.end_line,
                                end_column: p.end_column,
                                byte_start: e.span.start + bom,
                                byte_end: e.span.end + bom,
                                replacement: &e.replacement,
                            }
                        })
                        .collect(),
                }),
            };
            self.buf.clear();
            self.buf.extend_from_slice(b"  ");
            serde_json::to_writer(&mut self.buf, &item)?;
            out.write_all(&self.buf)?;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, _totals: &Totals) -> io::Result<()> {
        if self.started {
            out.write_all(b"\n]\n")
        } else {
            out.write_all(b"[]\n")
        }
    }
}
