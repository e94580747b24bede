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
    /// Threads for running rules side by side on one large document (the
    /// single-big-file case; a tree is parallel across files instead).
    pub rule_threads: usize,
}

/// Documents smaller than this run their rules on one thread.
const PARALLEL_RULES_FROM: usize = 512 * 1024;

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
    let enabled: Vec<&Rule> = rules.iter().filter(|r| opts.enabled(r)).collect();
    let mut findings = Vec::new();
    if opts.rule_threads > 1 && source.text.len() >= PARALLEL_RULES_FROM && enabled.len() > 1 {
        // Each thread takes every n-th rule; results are merged and sorted
        // below, so the output does not depend on scheduling.
        let n = opts.rule_threads.min(enabled.len());
        let doc = &doc;
        let enabled = &enabled;
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..n)
                .map(|t| {
                    scope.spawn(move || {
                        let mut out = Vec::new();
                        for rule in enabled.iter().skip(t).step_by(n) {
                            out.extend(rule.run(doc));
                        }
                        out
                    })
                })
                .collect();
            for h in handles {
                if let Ok(out) = h.join() {
                    findings.extend(out);
                }
            }
        });
    } else {
        for rule in &enabled {
            findings.extend(rule.run(&doc));
        }
    }
    if !doc.comments.is_empty() {
        let known: Vec<&str> = rules.ids().collect();
        crate::suppress::apply(&doc, &known, &mut findings);
    }
    sort_findings(&mut findings);
    findings
}
