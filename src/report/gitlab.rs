//! `gitlab`: GitLab Code Quality report (a JSON array of issues with
//! `description`, `check_name`, `fingerprint`, `severity` and `location`).

use std::io::{self, Write};

use serde_json::json;

use super::{FileResult, Reporter, Totals, position};
use crate::finding::Severity;
use crate::fingerprint::finding_ids;

#[derive(Default)]
pub struct Gitlab {
    started: bool,
}

impl Reporter for Gitlab {
    /// An issue on the file's first line, with the rule `copydesk-error`.
    fn problem(&mut self, out: &mut dyn Write, problem: &super::Problem) -> io::Result<()> {
        out.write_all(if self.started { b",\n  " } else { b"[\n  " })?;
        self.started = true;
        let id = crate::fingerprint::fnv1a(format!("{problem}").as_bytes());
        let issue = json!({
            "type": "issue",
            "check_name": super::PROBLEM_ID,
            "description": problem.message,
            "categories": ["Style"],
            "severity": "blocker",
            "fingerprint": crate::fingerprint::hex(id),
            "location": { "path": problem.path, "lines": { "begin": 1, "end": 1 } }
        });
        serde_json::to_writer(&mut *out, &issue)?;
        Ok(())
    }

    fn file(&mut self, out: &mut dyn Write, file: &FileResult) -> io::Result<()> {
        let path = crate::report::sarif::path_uri(&file.source.path);
        let ids = finding_ids(&file.source, &path, &file.findings);
        for (f, id) in file.findings.iter().zip(ids) {
            out.write_all(if self.started { b",\n  " } else { b"[\n  " })?;
            self.started = true;
            let p = position(&file.source, &f.span);
            let severity = match f.severity {
                Severity::Error => "major",
                Severity::Warning => "minor",
                Severity::Note | Severity::Off => "info",
            };
            let issue = json!({
                "type": "issue",
                "check_name": &*f.rule,
                "description": f.message,
                "categories": ["Style"],
                "severity": severity,
                "fingerprint": id,
                "location": {
                    "path": file.source.path,
                    "lines": { "begin": p.line, "end": p.end_line },
                    "positions": {
                        "begin": { "line": p.line, "column": p.column },
                        "end": { "line": p.end_line, "column": p.end_column }
                    }
                }
            });
            serde_json::to_writer(&mut *out, &issue)?;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, _totals: &Totals) -> io::Result<()> {
        out.write_all(if self.started { b"\n]\n" } else { b"[]\n" })
    }
}
