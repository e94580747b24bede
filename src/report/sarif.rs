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
use crate::fingerprint::fingerprint;
use crate::source::Source;

#[derive(Default)]
pub struct Sarif {
    results: Vec<(String, Value)>,
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
    fn file(&mut self, _out: &mut dyn Write, file: &FileResult) -> io::Result<()> {
        let uri = path_uri(&file.source.path);
        for f in &file.findings {
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
                "partialFingerprints": { "copydesk/v1": fingerprint(&file.source, f) },
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
            self.results.push((f.rule.to_string(), result));
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
        let results: Vec<Value> = std::mem::take(&mut self.results)
            .into_iter()
            .map(|(id, mut r)| {
                if let Some(i) = rules.iter().position(|m| m.id == id) {
                    r["ruleIndex"] = json!(i);
                }
                r
            })
            .collect();
        let log = json!({
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
                "results": results,
            }]
        });
        serde_json::to_writer_pretty(&mut *out, &log)?;
        writeln!(out)
    }
}
