//! `junit`: JUnit XML for CI dashboards: one test suite per checked file,
//! one failing test case per finding, one passing case for a clean file.

use std::io::{self, Write};

use super::{FileResult, Reporter, Totals, position, xml_escape};

#[derive(Default)]
pub struct Junit {
    suites: Vec<String>,
    tests: usize,
    failures: usize,
}

impl Reporter for Junit {
    fn file(&mut self, _out: &mut dyn Write, file: &FileResult) -> io::Result<()> {
        let path = xml_escape(&file.source.path);
        let mut cases = String::new();
        for f in &file.findings {
            let p = position(&file.source, &f.span);
            cases.push_str(&format!(
                "    <testcase name=\"{} {}:{}\" classname=\"{path}\">\n      <failure message=\"{}\" type=\"{}\">{path}:{}:{}: {}[{}] {}</failure>\n    </testcase>\n",
                xml_escape(&f.rule),
                p.line,
                p.column,
                xml_escape(&f.message),
                f.severity,
                p.line,
                p.column,
                f.severity,
                xml_escape(&f.rule),
                xml_escape(&f.message),
            ));
        }
        let (tests, failures) = if file.findings.is_empty() {
            cases.push_str(&format!(
                "    <testcase name=\"no findings\" classname=\"{path}\"/>\n"
            ));
            (1, 0)
        } else {
            (file.findings.len(), file.findings.len())
        };
        self.tests += tests;
        self.failures += failures;
        self.suites.push(format!(
            "  <testsuite name=\"{path}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\">\n{cases}  </testsuite>\n"
        ));
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, _totals: &Totals) -> io::Result<()> {
        writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
        writeln!(
            out,
            "<testsuites name=\"copydesk\" tests=\"{}\" failures=\"{}\" errors=\"0\">",
            self.tests, self.failures
        )?;
        for s in &self.suites {
            out.write_all(s.as_bytes())?;
        }
        writeln!(out, "</testsuites>")
    }
}
