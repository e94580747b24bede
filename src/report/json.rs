//! `json`: one JSON array of findings. Field names are a contract with CI
//! scripts: `path`, `rule`, `severity`, `message`, `line`, `column`,
//! `end_line`, `end_column` (1-based, columns in Unicode scalar values, end
//! exclusive), plus byte offsets in the file (a BOM counts), secondary
//! labels, notes and the fix.

use std::io::{self, Write};

use serde::Serialize;

use super::{FileResult, Reporter, Totals, position};
use crate::finding::Finding;
use crate::source::Source;

#[derive(Default)]
pub struct Json {
    first: bool,
    started: bool,
    /// Each finding is written here first, then in one piece: serde_json
    /// makes many small writes, which cost more through `dyn Write`.
    buf: Vec<u8>,
    /// Threads for rendering a file with very many findings.
    threads: usize,
}

/// Findings of one file rendered on one thread before the rest are shared
/// out (below this, threads cost more than they save).
const PARALLEL_FROM: usize = 20_000;

impl Json {
    pub fn with_threads(threads: usize) -> Json {
        Json {
            threads,
            ..Json::default()
        }
    }
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

/// One finding as a JSON object, appended to `buf`.
fn render(buf: &mut Vec<u8>, source: &Source, f: &Finding) -> io::Result<()> {
    let p = position(source, &f.span);
    // Byte offsets are offsets in the file, so they count a BOM.
    let bom = if source.bom { 3 } else { 0 };
    let item = Item {
        path: &source.path,
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
            .map(|l| place(source, &l.span, &l.message))
            .collect(),
        notes: &f.notes,
        fix: f.fix.as_ref().map(|fix| FixOut {
            applicability: fix.applicability,
            description: &fix.description,
            edits: fix
                .edits
                .iter()
                .map(|e| {
                    let p = position(source, &e.span);
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
    buf.extend_from_slice(b"  ");
    serde_json::to_writer(&mut *buf, &item)?;
    Ok(())
}

impl Reporter for Json {
    /// An entry with the rule `copydesk-error` and no position (line and
    /// column 0).
    fn problem(&mut self, out: &mut dyn Write, problem: &super::Problem) -> io::Result<()> {
        if !self.started {
            out.write_all(b"[\n")?;
            self.started = true;
            self.first = true;
        }
        if !self.first {
            out.write_all(b",\n")?;
        }
        self.first = false;
        let item = Item {
            path: &problem.path,
            rule: super::PROBLEM_ID,
            severity: "error",
            message: &problem.message,
            line: 0,
            column: 0,
            end_line: 0,
            end_column: 0,
            byte_start: 0,
            byte_end: 0,
            labels: Vec::new(),
            notes: &[],
            fix: None,
        };
        serde_json::to_writer(&mut *out, &item)?;
        Ok(())
    }

    fn file(&mut self, out: &mut dyn Write, file: &FileResult) -> io::Result<()> {
        let findings = &file.findings;
        if findings.is_empty() {
            return Ok(());
        }
        if !self.started {
            out.write_all(b"[\n")?;
            self.started = true;
            self.first = true;
        }
        if self.threads > 1 && findings.len() >= PARALLEL_FROM {
            // Very many findings (one large file): runs of them rendered
            // on several threads, written in order.
            let runs: Vec<&[Finding]> = findings.chunks(PARALLEL_FROM / 4).collect();
            return crate::parallel::ordered_map(
                runs.len(),
                self.threads,
                |i| -> io::Result<Vec<u8>> {
                    let mut buf = Vec::new();
                    for (k, f) in runs[i].iter().enumerate() {
                        if k > 0 {
                            buf.extend_from_slice(b",\n");
                        }
                        render(&mut buf, &file.source, f)?;
                    }
                    Ok(buf)
                },
                |rendered| {
                    if !self.first {
                        out.write_all(b",\n")?;
                    }
                    self.first = false;
                    out.write_all(&rendered?)
                },
            );
        }
        for f in findings {
            self.buf.clear();
            if !self.first {
                self.buf.extend_from_slice(b",\n");
            }
            self.first = false;
            render(&mut self.buf, &file.source, f)?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Severity;

    /// A file with very many findings, rendered on several threads, gives
    /// the bytes it gives on one.
    #[test]
    fn many_findings_render_the_same_on_several_threads() {
        let text = "Grace Okafor said.\r\nÉtienne said 87 days.\n".repeat(2_000);
        let findings: Vec<Finding> = (0..PARALLEL_FROM + 7)
            .map(|i| {
                let at = (i * 41) % (text.len() - 5);
                let at = (0..=at)
                    .rev()
                    .find(|&a| text.is_char_boundary(a))
                    .unwrap_or(0);
                Finding::new("r", Severity::Warning, at..at + 1, format!("finding {i}"))
                    .with_label(0..5, "first")
            })
            .collect();
        let file = FileResult {
            source: Source::new("a.txt", text),
            findings,
        };
        let render = |threads: usize| {
            let mut out = Vec::new();
            let mut json = Json::with_threads(threads);
            json.file(&mut out, &file).unwrap();
            json.file(&mut out, &file).unwrap();
            json.finish(&mut out, &Totals::default()).unwrap();
            out
        };
        let one = render(1);
        assert_eq!(render(3), one);
        let parsed: serde_json::Value = serde_json::from_slice(&one).unwrap();
        assert_eq!(
            parsed.as_array().map(Vec::len),
            Some(file.findings.len() * 2)
        );
    }
}
