//! `junit`: JUnit XML for CI dashboards: one test suite per checked file,
//! one test case per finding, one passing case for a clean file. A finding
//! at or above the run's `--fail-on` severity is a failing case; one below
//! it passes and carries its message as output, so the failure count
//! agrees with the exit code. A file that could not be checked is a suite
//! with one case in error.

use std::io::{self, Write};

use super::{FileResult, Problem, Reporter, Totals, position, xml_escape};
use crate::finding::Severity;

pub struct Junit {
    /// The least severity that fails the run.
    floor: Severity,
    suites: Vec<String>,
    tests: usize,
    failures: usize,
    errors: usize,
}

impl Junit {
    pub fn new(floor: Severity) -> Junit {
        Junit {
            floor,
            suites: Vec::new(),
            tests: 0,
            failures: 0,
            errors: 0,
        }
    }
}

impl Reporter for Junit {
    fn problem(&mut self, _out: &mut dyn Write, problem: &Problem) -> io::Result<()> {
        let path = xml_escape(&problem.path);
        let message = xml_escape(&problem.message);
        self.tests += 1;
        self.errors += 1;
        self.suites.push(format!(
            "  <testsuite name=\"{path}\" tests=\"1\" failures=\"0\" errors=\"1\">\n    <testcase name=\"{}\" classname=\"{path}\">\n      <error message=\"{message}\" type=\"{}\">{path}: {message}</error>\n    </testcase>\n  </testsuite>\n",
            super::PROBLEM_ID,
            super::PROBLEM_ID,
        ));
        Ok(())
    }

    fn file(&mut self, _out: &mut dyn Write, file: &FileResult) -> io::Result<()> {
        let path = xml_escape(&file.source.path);
        let mut cases = String::new();
        let mut failures = 0;
        for f in &file.findings {
            let p = position(&file.source, &f.span);
            let text = format!(
                "{path}:{}:{}: {}[{}] {}",
                p.line,
                p.column,
                f.severity,
                xml_escape(&f.rule),
                xml_escape(&f.message),
            );
            let body = if f.severity >= self.floor {
                failures += 1;
                format!(
                    "<failure message=\"{}\" type=\"{}\">{text}</failure>",
                    xml_escape(&f.message),
                    f.severity,
                )
            } else {
                format!("<system-out>{text}</system-out>")
            };
            cases.push_str(&format!(
                "    <testcase name=\"{} {}:{}\" classname=\"{path}\">\n      {body}\n    </testcase>\n",
                xml_escape(&f.rule),
                p.line,
                p.column,
            ));
        }
        let tests = if file.findings.is_empty() {
            cases.push_str(&format!(
                "    <testcase name=\"no findings\" classname=\"{path}\"/>\n"
            ));
            1
        } else {
            file.findings.len()
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
            "<testsuites name=\"copydesk\" tests=\"{}\" failures=\"{}\" errors=\"{}\">",
            self.tests, self.failures, self.errors
        )?;
        for s in &self.suites {
            out.write_all(s.as_bytes())?;
        }
        writeln!(out, "</testsuites>")
    }
}
