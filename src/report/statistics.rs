//! `--statistics`: instead of each finding, how many each rule found, as
//! ruff's `--statistics` gives them. One row per rule: the count, the rule
//! id, its severity (the highest among its findings, when configs of
//! different folders give it different ones), whether `--fix` can fix some
//! of them, and the rule's summary. Rows run from the largest count down,
//! ties by id. A file that could not be checked counts under
//! [`PROBLEM_ID`](super::PROBLEM_ID), so the table never shows such a run as
//! clean.
//!
//! The text table ends with the summary line of the human report (unless
//! it is left out, for `--quiet`); the JSON form is one array of
//! `{"rule", "count", "severity", "fixable"}` objects in the same order.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use super::{FileResult, Problem, Reporter, Totals};
use crate::finding::{Applicability, Severity};

pub struct Statistics {
    json: bool,
    summary: bool,
    rows: BTreeMap<String, Row>,
}

struct Row {
    count: usize,
    severity: Severity,
    fixable: bool,
}

#[derive(Serialize)]
struct JsonRow<'a> {
    rule: &'a str,
    count: usize,
    severity: &'a str,
    fixable: bool,
}

impl Statistics {
    /// Statistics as a JSON array (`json`) or a text table, the text one
    /// ending with a summary line when `summary` holds.
    pub fn new(json: bool, summary: bool) -> Statistics {
        Statistics {
            json,
            summary,
            rows: BTreeMap::new(),
        }
    }

    fn count(&mut self, rule: &str, severity: Severity, fixable: bool) {
        let row = match self.rows.get_mut(rule) {
            Some(row) => row,
            None => self.rows.entry(rule.to_string()).or_insert(Row {
                count: 0,
                severity,
                fixable: false,
            }),
        };
        row.count += 1;
        row.severity = row.severity.max(severity);
        row.fixable |= fixable;
    }

    /// The rows, largest count first, ties by rule id.
    fn sorted(&self) -> Vec<(&str, &Row)> {
        let mut rows: Vec<(&str, &Row)> = self.rows.iter().map(|(k, v)| (k.as_str(), v)).collect();
        // The map iterates by id, and the sort is stable.
        rows.sort_by_key(|r| std::cmp::Reverse(r.1.count));
        rows
    }
}

impl Reporter for Statistics {
    fn file(&mut self, _out: &mut dyn Write, file: &FileResult) -> io::Result<()> {
        for f in &file.findings {
            let fixable = f
                .fix
                .as_ref()
                .is_some_and(|x| x.applicability == Applicability::Safe);
            self.count(&f.rule, f.severity, fixable);
        }
        Ok(())
    }

    fn problem(&mut self, _out: &mut dyn Write, _problem: &Problem) -> io::Result<()> {
        self.count(super::PROBLEM_ID, Severity::Error, false);
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, totals: &Totals) -> io::Result<()> {
        let rows = self.sorted();
        if self.json {
            let rows: Vec<JsonRow> = rows
                .iter()
                .map(|(rule, r)| JsonRow {
                    rule,
                    count: r.count,
                    severity: r.severity.as_str(),
                    fixable: r.fixable,
                })
                .collect();
            serde_json::to_writer_pretty(&mut *out, &rows).map_err(io::Error::other)?;
            return writeln!(out);
        }
        let count_width = rows
            .iter()
            .map(|(_, r)| r.count.to_string().len())
            .max()
            .unwrap_or(1);
        let id_width = rows.iter().map(|(id, _)| id.len()).max().unwrap_or(0);
        for (id, r) in &rows {
            let summary = summary(id, totals);
            let line = format!(
                "{:>count_width$}  {id:<id_width$}  {:<7}  {}  {summary}",
                r.count,
                r.severity.as_str(),
                if r.fixable { "[*]" } else { "[ ]" },
            );
            writeln!(out, "{}", line.trim_end())?;
        }
        if self.summary && totals.files > 0 {
            if totals.fixed > 0 || totals.fix_run {
                writeln!(out, "{}; fixed {}", totals.sentence(), totals.fixed)?;
            } else {
                writeln!(out, "{}", totals.sentence())?;
            }
        }
        Ok(())
    }
}

/// A rule's one-line summary, from the rules that ran.
fn summary<'t>(id: &str, totals: &'t Totals) -> &'t str {
    if id == super::PROBLEM_ID {
        return "a file that could not be checked (named on stderr)";
    }
    if id == crate::suppress::SUPPRESSION_RULE {
        return "a copydesk comment that cannot be used as written";
    }
    totals
        .rules
        .iter()
        .find(|r| r.id == id)
        .map_or("", |r| r.summary.as_str())
}
