//! Running the `[[example]]` tables of rule files: `bad` must fire, `good`
//! must stay silent, `fixed` must be what `--fix` makes of `bad`.

use crate::check::Example;
use crate::engine::CheckOptions;
use crate::finding::{Finding, Severity};
use crate::rule::Rule;
use crate::source::Source;

/// One example that did not behave.
#[derive(Debug, Clone)]
pub struct ExampleFailure {
    pub rule: String,
    /// The rule file (path or `rules/ID.toml` for built-ins).
    pub origin: String,
    /// 1-based line of the example table in the rule file.
    pub line: usize,
    pub message: String,
}

/// Run one example through one rule, severity forced on, by the path a
/// real check takes (`engine::check_with_rules`): URL blanking, the shared
/// word-list walk, scope, suppression comments.
pub fn run_example(rule: &Rule, example: &Example) -> Vec<Finding> {
    let text = example
        .bad
        .as_deref()
        .or(example.good.as_deref())
        .unwrap_or("");
    run_text(rule, example, text)
}

fn run_text(rule: &Rule, example: &Example, text: &str) -> Vec<Finding> {
    let path = if example.markdown {
        "example.md"
    } else {
        "example.txt"
    };
    let mut source = Source::new(path, text);
    let opts = CheckOptions {
        headline: example.headline.clone(),
        rule_threads: 1,
        ..CheckOptions::default()
    };
    let mut rule = rule.clone();
    if rule.severity == Severity::Off {
        rule.severity = Severity::Warning;
    }
    // (`check_rule` reports example people that do not parse.)
    if let Ok(names) = rule.example_names(example) {
        rule.apply_names(&names);
    }
    crate::engine::check_with_rules(&mut source, &[&rule], &opts)
}

/// Check every example of a rule; an empty result means all passed.
pub fn check_rule(rule: &Rule) -> Vec<ExampleFailure> {
    let mut failures = Vec::new();
    for (example, span) in rule.examples() {
        let fail = |message: String| ExampleFailure {
            rule: rule.id.clone(),
            origin: rule.origin.clone(),
            line: rule.line_of(span.start),
            message,
        };
        if let Err(message) = rule.example_names(example) {
            failures.push(fail(message));
            continue;
        }
        let findings = run_example(rule, example);
        if let Some(bad) = &example.bad {
            match example.findings {
                Some(n) if findings.len() != n => failures.push(fail(format!(
                    "expected {n} finding(s), got {}:{}",
                    findings.len(),
                    list(&findings)
                ))),
                None if findings.is_empty() => failures.push(fail(format!(
                    "`bad` example produced no finding: {:?}",
                    shorten(bad)
                ))),
                _ => {}
            }
            if let Some(fixed) = &example.fixed {
                let got = fix_text(rule, example, bad);
                if got != *fixed {
                    failures.push(fail(format!("after --fix expected {fixed:?}, got {got:?}")));
                }
            }
        } else if let Some(good) = &example.good
            && !findings.is_empty()
        {
            failures.push(fail(format!(
                "`good` example fired on {:?}:{}",
                shorten(good),
                list(&findings)
            )));
        }
    }
    failures
}

/// Apply the rule's fixes (safe and unsafe) to a fixed point.
fn fix_text(rule: &Rule, example: &Example, text: &str) -> String {
    let run = |t: &str| run_text(rule, example, t);
    let findings = run(text);
    crate::fix::fix_until_stable(text, findings, true, run).text
}

fn list(findings: &[Finding]) -> String {
    findings
        .iter()
        .map(|f| {
            format!(
                "\n    - {} (bytes {}..{})",
                f.message, f.span.start, f.span.end
            )
        })
        .collect()
}

fn shorten(s: &str) -> String {
    let s: String = s.chars().take(80).collect();
    s.replace('\n', "⏎")
}
