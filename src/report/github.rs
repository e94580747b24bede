//! `github`: GitHub Actions workflow commands, one annotation per finding,
//! then a plain summary line (GitHub shows only a limited number of
//! annotations per step, so the log must carry the totals).

use std::io::{self, Write};

use super::{FileResult, Reporter, Totals, one_line, position};
use crate::finding::Severity;

#[derive(Default)]
pub struct Github;

/// Escape a message (`%`, CR, LF), as the workflow-command docs specify.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a property value: as data, plus `:` and `,`.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

impl Reporter for Github {
    fn problem(&mut self, out: &mut dyn Write, problem: &super::Problem) -> io::Result<()> {
        writeln!(
            out,
            "::error file={},title={}::{}",
            escape_property(&problem.path),
            escape_property(&format!("copydesk {}", super::PROBLEM_ID)),
            escape_data(&problem.message)
        )
    }

    fn file(&mut self, out: &mut dyn Write, file: &FileResult) -> io::Result<()> {
        for f in &file.findings {
            let p = position(&file.source, &f.span);
            let level = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Note | Severity::Off => "notice",
            };
            writeln!(
                out,
                "::{level} file={},line={},endLine={},col={},endColumn={},title={}::{}",
                escape_property(&file.source.path),
                p.line,
                p.end_line,
                p.column,
                p.end_column,
                escape_property(&format!("copydesk {}", f.rule)),
                escape_data(&one_line(&f.message))
            )?;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, totals: &Totals) -> io::Result<()> {
        writeln!(out, "copydesk: {}", totals.sentence())?;
        if totals.findings() > 10 {
            writeln!(
                out,
                "copydesk: GitHub shows only the first annotations of each kind on a step; every finding is listed above"
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_the_workflow_command_rules() {
        assert_eq!(escape_data("50% off\r\nnow"), "50%25 off%0D%0Anow");
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
    }
}
