//! `sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF consumers.
//!
//! The driver lists every rule that ran (id, short and full description from
//! the rule file, help); each result has its rule, level, message, location
//! (columns in Unicode code points, declared with `columnKind`), related
//! locations for secondary labels, and a `partialFingerprints` entry that
//! survives edits elsewhere in the file.

use std::io::{self, Write};

use serde_json::{Value, json};

use super::{FileResult, HOME, Reporter, RuleMeta, Totals, position};
use crate::finding::Severity;
use crate::fingerprint::finding_ids;
use crate::source::Source;

/// Results are kept as compact JSON text until the end, when the rule
/// list (and so each result's `ruleIndex`) is known: a few hundred bytes a
/// finding rather than a tree of values.
#[derive(Default)]
pub struct Sarif {
    results: Vec<(String, String)>,
    /// Files not checked, as `toolExecutionNotifications`.
    notifications: Vec<Value>,
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note | Severity::Off => "note",
    }
}

/// A relative URI reference for a path: forward slashes, no leading "./",
/// and anything outside the unreserved set percent-encoded.
pub fn path_uri(path: &str) -> String {
    let p = path.replace('\\', "/");
    let p = p.strip_prefix("./").unwrap_or(&p);
    let mut out = String::with_capacity(p.len());
    for b in p.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn region(source: &Source, span: &std::ops::Range<usize>) -> Value {
    let p = position(source, span);
    json!({
        "startLine": p.line,
        "startColumn": p.column,
        "endLine": p.end_line,
        "endColumn": p.end_column,
    })
}

impl Reporter for Sarif {
    fn problem(&mut self, _out: &mut dyn Write, problem: &super::Problem) -> io::Result<()> {
        self.notifications.push(json!({
            "level": "error",
            "message": { "text": problem.to_string() },
            "descriptor": { "id": super::PROBLEM_ID },
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": { "uri": path_uri(&problem.path), "uriBaseId": "%SRCROOT%" }
                }
            }],
        }));
        Ok(())
    }

    fn file(&mut self, _out: &mut dyn Write, file: &FileResult) -> io::Result<()> {
        let uri = path_uri(&file.source.path);
        let ids = finding_ids(&file.source, &uri, &file.findings);
        for (f, id) in file.findings.iter().zip(ids) {
            let location = json!({
                "physicalLocation": {
                    "artifactLocation": { "uri": uri, "uriBaseId": "%SRCROOT%" },
                    "region": region(&file.source, &f.span),
                }
            });
            let mut result = json!({
                "ruleId": &*f.rule,
                "level": level(f.severity),
                "message": { "text": f.message },
                "locations": [location],
                "partialFingerprints": { "copydesk/v2": id },
            });
            if !f.labels.is_empty() {
                result["relatedLocations"] = Value::Array(
                    f.labels
                        .iter()
                        .enumerate()
                        .map(|(i, l)| {
                            json!({
                                "id": i + 1,
                                "message": { "text": l.message },
                                "physicalLocation": {
                                    "artifactLocation": { "uri": uri, "uriBaseId": "%SRCROOT%" },
                                    "region": region(&file.source, &l.span),
                                }
                            })
                        })
                        .collect(),
                );
            }
            self.results
                .push((f.rule.to_string(), serde_json::to_string(&result)?));
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, totals: &Totals) -> io::Result<()> {
        let mut rules: Vec<RuleMeta> = totals.rules.clone();
        for (id, _) in &self.results {
            if !rules.iter().any(|r| r.id == *id) {
                rules.push(RuleMeta {
                    id: id.clone(),
                    kind: String::new(),
                    severity: Severity::Warning,
                    summary: id.clone(),
                    why: String::new(),
                });
            }
        }
        rules.sort_by(|a, b| a.id.cmp(&b.id));
        let descriptors: Vec<Value> = rules
            .iter()
            .map(|r| {
                let full = if r.why.is_empty() { &r.summary } else { &r.why };
                json!({
                    "id": r.id,
                    "name": r.id,
                    "shortDescription": { "text": r.summary },
                    "fullDescription": { "text": full },
                    "help": { "text": format!("{full}\n\nRun `copydesk rule {}` for the rule's examples and parameters.", r.id) },
                    "defaultConfiguration": { "level": level(r.severity) },
                    "properties": { "kind": r.kind },
                })
            })
            .collect();
        let index: std::collections::HashMap<&str, usize> = rules
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.as_str(), i))
            .collect();
        let mut log = json!({
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [{
                "tool": {
                    "driver": {
                        "name": "copydesk",
                        "version": env!("CARGO_PKG_VERSION"),
                        "informationUri": HOME,
                        "rules": descriptors,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "originalUriBaseIds": { "%SRCROOT%": { "description": { "text": "the folder copydesk was run from" } } },
                "results": [],
            }]
        });
        if !self.notifications.is_empty() {
            log["runs"][0]["invocations"] = json!([{
                "executionSuccessful": false,
                "toolExecutionNotifications": std::mem::take(&mut self.notifications),
            }]);
        }
        // The results are written one at a time into the empty array, in
        // the same pretty layout, so at most one of them is a tree of
        // values at any time. (A quote inside a JSON string is escaped, so
        // the key text below occurs once.)
        let text = serde_json::to_string_pretty(&log)?;
        let marker = "\"results\": []";
        let at = text.find(marker).unwrap_or(text.len());
        let (head, tail) = text.split_at(at);
        let results = std::mem::take(&mut self.results);
        if results.is_empty() {
            out.write_all(text.as_bytes())?;
            return writeln!(out);
        }
        let indent = head.len() - head.rfind('\n').map_or(0, |n| n + 1);
        let item_indent = " ".repeat(indent + 2);
        write!(out, "{head}\"results\": [")?;
        let last = results.len() - 1;
        for (n, (id, r)) in results.into_iter().enumerate() {
            let mut r: Value = serde_json::from_str(&r)?;
            if let Some(i) = index.get(id.as_str()) {
                r["ruleIndex"] = json!(i);
            }
            for line in serde_json::to_string_pretty(&r)?.lines() {
                write!(out, "\n{item_indent}{line}")?;
            }
            if n < last {
                out.write_all(b",")?;
            }
        }
        writeln!(out, "\n{}]{}", &item_indent[2..], &tail[marker.len()..])
    }
}
