//! Run rules on one source: build the document once, run every enabled rule,
//! apply filters, sort.

use crate::document::{Document, Options as DocOptions};
use crate::finding::{Finding, Severity, sort_findings};
use crate::rule::Rule;
use crate::ruleset::RuleSet;
use crate::source::Source;

/// Per-run choices from the command line.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    pub headline: Option<String>,
    /// `--select`: only these rule ids (empty: all).
    pub select: Vec<String>,
    /// `--ignore`: never these rule ids.
    pub ignore: Vec<String>,
}

impl CheckOptions {
    pub fn enabled(&self, rule: &Rule) -> bool {
        rule.severity != Severity::Off
            && (self.select.is_empty() || self.select.contains(&rule.id))
            && !self.ignore.contains(&rule.id)
    }
}

/// Check one source with a rule set.
pub fn check(source: &Source, rules: &RuleSet, opts: &CheckOptions) -> Vec<Finding> {
    let doc_opts = DocOptions {
        headline: opts.headline.clone(),
        format: None,
    };
    let doc = Document::new(&source.text, &source.path, &doc_opts);
    let mut findings = Vec::new();
    for rule in rules.iter().filter(|r| opts.enabled(r)) {
        findings.extend(rule.run(&doc));
    }
    let known: Vec<&str> = rules.ids().collect();
    crate::suppress::apply(&doc, &known, &mut findings);
    sort_findings(&mut findings);
    findings
}
