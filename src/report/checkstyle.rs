//! `checkstyle`: Checkstyle XML, read by Jenkins, reviewdog and many CI
//! dashboards.

use std::io::{self, Write};

use super::{FileResult, Reporter, Totals, position, xml_escape};

#[derive(Default)]
pub struct Checkstyle {
    started: bool,
}

impl Checkstyle {
    fn header(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if !self.started {
            self.started = true;
            out.write_all(
                b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n",
            )?;
        }
        Ok(())
    }
}

impl Reporter for Checkstyle {
    /// An `<error>` at line 0 of the file.
    fn problem(&mut self, out: &mut dyn Write, problem: &super::Problem) -> io::Result<()> {
        self.header(out)?;
        writeln!(
            out,
            "  <file name=\"{}\">\n    <error line=\"0\" severity=\"error\" message=\"{}\" source=\"copydesk.{}\"/>\n  </file>",
            xml_escape(&problem.path),
            xml_escape(&problem.message),
            super::PROBLEM_ID
        )
    }

    fn file(&mut self, out: &mut dyn Write, file: &FileResult) -> io::Result<()> {
        self.header(out)?;
        writeln!(out, "  <file name=\"{}\">", xml_escape(&file.source.path))?;
        for f in &file.findings {
            let p = position(&file.source, &f.span);
            writeln!(
                out,
                "    <error line=\"{}\" column=\"{}\" severity=\"{}\" message=\"{}\" source=\"copydesk.{}\"/>",
                p.line,
                p.column,
                match f.severity {
                    crate::finding::Severity::Note => "info",
                    s => s.as_str(),
                },
                xml_escape(&f.message),
                xml_escape(&f.rule)
            )?;
        }
        writeln!(out, "  </file>")
    }

    fn finish(&mut self, out: &mut dyn Write, _totals: &Totals) -> io::Result<()> {
        self.header(out)?;
        out.write_all(b"</checkstyle>\n")
    }
}
