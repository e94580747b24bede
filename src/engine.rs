//! Run rules on one source: build the document once, run every enabled rule,
//! apply filters, sort.

use crate::check::Context;
use crate::document::{Document, Format, Options as DocOptions};
use crate::finding::{Finding, Severity, sort_findings};
use crate::fix;
use crate::matching::PhraseIndex;
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
    /// `--timings`: where to add up the time spent per stage and rule.
    pub timings: Option<std::sync::Arc<Timings>>,
}

/// Time spent building documents and running each rule, summed over a run
/// (threads add their own time, so the total can exceed the wall time).
#[derive(Debug, Default)]
pub struct Timings(std::sync::Mutex<Vec<(String, std::time::Duration)>>);

impl Timings {
    pub fn add(&self, what: &str, d: std::time::Duration) {
        let mut v = self.0.lock().unwrap_or_else(|e| e.into_inner());
        match v.iter_mut().find(|(w, _)| w == what) {
            Some((_, t)) => *t += d,
            None => v.push((what.to_string(), d)),
        }
    }

    /// Every entry, slowest first.
    pub fn sorted(&self) -> Vec<(String, std::time::Duration)> {
        let mut v = self.0.lock().unwrap_or_else(|e| e.into_inner()).clone();
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        v
    }
}

/// Run `f`, adding its time to `timings` under `what` if timing is on.
fn timed<T>(timings: &Option<std::sync::Arc<Timings>>, what: &str, f: impl FnOnce() -> T) -> T {
    match timings {
        None => f(),
        Some(t) => {
            let start = std::time::Instant::now();
            let out = f();
            t.add(what, start.elapsed());
            out
        }
    }
}

impl CheckOptions {
    pub fn enabled(&self, rule: &Rule) -> bool {
        rule.severity != Severity::Off && self.wants(&rule.id)
    }

    /// Whether --select and --ignore let findings with this id through.
    pub fn wants(&self, id: &str) -> bool {
        (self.select.is_empty() || self.select.iter().any(|s| s == id))
            && !self.ignore.iter().any(|s| s == id)
    }
}

/// Check one source with a rule set.
///
/// The source is borrowed mutably but comes back as it was: the URLs of a
/// plain text are blanked in place while it is checked (prose must not
/// have them), instead of checking a blanked copy of the whole text.
pub fn check(source: &mut Source, rules: &RuleSet, opts: &CheckOptions) -> Vec<Finding> {
    with_urls_blanked(source, |text, path, format| {
        check_text(text, path, format, rules, opts)
    })
}

/// `--fix` on one checked source: apply its fixes (safe ones, and unsafe
/// ones too with `unsafe_fixes`), check the result with the same rules and
/// options, and repeat until the text settles (see
/// [`fix::fix_until_stable`]). `findings` are `check`'s on `source`; the
/// fixed text has no BOM (`Source::to_file_contents` puts it back).
pub fn fix(
    source: &Source,
    findings: Vec<Finding>,
    rules: &RuleSet,
    opts: &CheckOptions,
    unsafe_fixes: bool,
) -> fix::Fixed {
    fix::fix_until_stable(&source.text, findings, unsafe_fixes, |text| {
        let mut current = Source::new(source.path.clone(), text);
        check(&mut current, rules, opts)
    })
}

/// Check one source with the given rules only (all run, whatever their
/// severity says), as `check` would with a rule set holding just them: the
/// path rule examples take, so that they behave as a real check does.
pub fn check_with_rules(source: &mut Source, rules: &[&Rule], opts: &CheckOptions) -> Vec<Finding> {
    let index = PhraseIndex::new(rules.iter().flat_map(|r| r.check.phrase_lists()));
    let known = || rules.iter().map(|r| r.id.as_str()).collect();
    with_urls_blanked(source, |text, path, format| {
        run_rules(text, path, format, rules.to_vec(), &index, known, opts)
    })
}

/// Run `f` on the source's text, path and format, the URLs of a plain text
/// blanked while it runs (prose must not have them) and put back after.
fn with_urls_blanked<T>(source: &mut Source, f: impl FnOnce(&str, &str, Format) -> T) -> T {
    let format = Format::from_path(&source.path);
    let blanked = if format == Format::Plain {
        crate::document::blank_urls(&mut source.text)
    } else {
        Default::default()
    };
    let out = f(&source.text, &source.path, format);
    blanked.restore(&mut source.text);
    out
}

/// `check` on a text whose URLs are blanked already if it is plain text.
fn check_text(
    text: &str,
    path: &str,
    format: Format,
    rules: &RuleSet,
    opts: &CheckOptions,
) -> Vec<Finding> {
    // (Sized once: collected from a filter, the vector grew four times for
    // every file.)
    let mut enabled: Vec<&Rule> = Vec::with_capacity(rules.len());
    enabled.extend(rules.iter().filter(|r| opts.enabled(r)));
    let index = rules.phrase_index(&enabled);
    run_rules(
        text,
        path,
        format,
        enabled,
        &index,
        || rules.ids().collect(),
        opts,
    )
}

/// Build the document, match every word list of `enabled` in one walk with
/// `index`, run the rules, apply suppression comments (which may name any
/// of the ids `known` lists: asked only when the story has comments), sort.
fn run_rules<'r>(
    text: &str,
    path: &str,
    format: Format,
    enabled: Vec<&Rule>,
    index: &PhraseIndex,
    known: impl FnOnce() -> Vec<&'r str>,
    opts: &CheckOptions,
) -> Vec<Finding> {
    let doc_opts = DocOptions {
        headline: opts.headline.clone(),
        format: Some(format),
        // The model decides by size whether to use them.
        threads: opts.rule_threads,
        urls_blanked: format == Format::Plain,
    };
    let timings = &opts.timings;
    let doc = timed(timings, "(document)", || {
        Document::new(text, path, &doc_opts)
    });
    let hits = timed(timings, "(word lists)", || {
        index.scan(&doc, opts.rule_threads)
    });
    // With threads to spare (one file to check) the rules run side by
    // side: each thread takes the next rule not yet taken, the costly kinds
    // first so that no thread is left with one long rule at the end. Even
    // on one short story this pays: there most of a rule's time is the
    // one-off work of compiling its patterns. Findings are sorted below, so
    // the output does not depend on scheduling.
    let threads = opts.rule_threads;
    let mut order = enabled;
    if threads > 1 {
        // (Each rule's cost once: it asks the rule for its word lists.)
        order.sort_by_cached_key(|r| std::cmp::Reverse(r.cost()));
    }
    let cx = Context::new(&doc, &hits);
    let cx = &cx;
    let mut per_rule = crate::parallel::map_in_order(order.len(), threads, |i| {
        timed(timings, &order[i].id, || order[i].run(cx))
    });
    // Gathered into the largest rule's vector, grown to exactly the right
    // size: a new vector would hold a second copy of them all for a moment
    // (tens of megabytes on a large file with many findings), and one grown
    // by doubling could be nearly twice the size. Which rule's findings come
    // first does not matter: the sort below orders by place, rule and
    // message, and keeps each rule's own order.
    let largest = (0..per_rule.len()).max_by_key(|&i| per_rule[i].len());
    let mut findings = largest.map_or_else(Vec::new, |i| std::mem::take(&mut per_rule[i]));
    findings.reserve_exact(per_rule.iter().map(Vec::len).sum());
    for rule_findings in per_rule {
        findings.extend(rule_findings);
    }
    if let Some(heading) = &doc.title_heading {
        drop_title_repeats(&doc, heading, &mut findings);
    }
    keep_front_matter_whole(&doc, &mut findings);
    if !doc.comments.is_empty() {
        timed(timings, "(suppressions)", || {
            crate::suppress::apply(&doc, &known(), &mut findings)
        });
        // Problems with the comments themselves carry an id of their own,
        // which --select and --ignore name like a rule's.
        let id = crate::suppress::SUPPRESSION_RULE;
        if !opts.wants(id) {
            findings.retain(|f| &*f.rule != id);
        }
    }
    drop_superseded(&mut findings);
    timed(timings, "(sort)", || sort_findings(&mut findings));
    findings
}

/// Drop each finding in the title heading `heading` that a finding on the
/// front matter's headline repeats: the same rule and message on the same
/// text. The heading and the front matter are one headline written twice,
/// and a reader would see one problem reported twice; what only one of the
/// two holds is still reported.
fn drop_title_repeats(
    doc: &Document,
    heading: &std::ops::Range<usize>,
    findings: &mut Vec<Finding>,
) {
    let Some(title) = doc.headline.as_ref().and_then(|h| h.span.clone()) else {
        return;
    };
    let within =
        |f: &Finding, r: &std::ops::Range<usize>| r.start <= f.span.start && f.span.end <= r.end;
    let on_title: Vec<(&str, &str, &str)> = findings
        .iter()
        .filter(|f| within(f, &title))
        .map(|f| (&*f.rule, f.message.as_str(), &doc.text[f.span.clone()]))
        .collect();
    if on_title.is_empty() {
        return;
    }
    let repeated: Vec<bool> = findings
        .iter()
        .map(|f| {
            within(f, heading)
                && on_title.contains(&(&*f.rule, f.message.as_str(), &doc.text[f.span.clone()]))
        })
        .collect();
    let mut repeated = repeated.into_iter();
    findings.retain(|_| !repeated.next().unwrap_or(false));
}

/// Take away fixes that would write a quote, backslash, colon, hash or line
/// break into a headline or deck written in front matter: there such a
/// character can end the value or turn the rest of it into a comment, and
/// the front matter would no longer read as it did.
fn keep_front_matter_whole(doc: &Document, findings: &mut [Finding]) {
    let written = &doc.front_matter;
    if written.is_empty() {
        return;
    }
    for f in findings.iter_mut() {
        let breaks = f.fix.as_ref().is_some_and(|fix| {
            fix.edits.iter().any(|e| {
                written
                    .iter()
                    .any(|r| r.start <= e.span.end && e.span.start <= r.end)
                    && e.replacement
                        .contains(['"', '\'', '\\', ':', '#', '\n', '\r'])
            })
        });
        if breaks {
            f.fix = None;
        }
    }
}

/// Drop what other findings report inside the span of a finding whose fix
/// deletes that span (a pasted copy of paragraphs): the text is going away,
/// and the copy's findings would repeat those of the original. One sort of
/// the few superseding spans and a binary search per finding.
fn drop_superseded(findings: &mut Vec<Finding>) {
    let mut spans: Vec<std::ops::Range<usize>> = findings
        .iter()
        .filter(|f| f.supersedes)
        .map(|f| f.span.clone())
        .collect();
    if spans.is_empty() {
        return;
    }
    spans.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
    // Nested spans add nothing: keep the outermost of each.
    let mut outer: Vec<std::ops::Range<usize>> = Vec::with_capacity(spans.len());
    for r in spans {
        match outer.last() {
            Some(last) if r.end <= last.end => {}
            _ => outer.push(r),
        }
    }
    // (Ends rise with starts now, so the last span starting at or before a
    // finding is the one that reaches furthest.) A superseding finding
    // inside another's span goes too, unless the spans are the same.
    findings.retain(|f| {
        let i = outer.partition_point(|r| r.start <= f.span.start);
        let Some(r) = i.checked_sub(1).map(|i| &outer[i]) else {
            return true;
        };
        f.span.end > r.end || (f.supersedes && f.span == *r)
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Fix;

    #[test]
    fn no_fix_writes_a_quote_into_front_matter() {
        let text = "---\ntitle: \"Pier plan approved\"\n---\n\nBody text here.\n";
        let doc = Document::new(text, "s.md", &DocOptions::default());
        let title = doc.front_matter[0].clone();
        assert_eq!(&text[title.clone()], "Pier plan approved");
        let with = |replacement: &str| {
            Finding::new("r", Severity::Note, title.clone(), "m".into()).with_fix(Fix::safe(
                title.clone(),
                replacement,
                "x",
            ))
        };
        let mut findings = vec![
            with("Pier \"plan\""),
            with("Pier: plan"),
            with("Pier plans"),
        ];
        keep_front_matter_whole(&doc, &mut findings);
        let kept: Vec<bool> = findings.iter().map(|f| f.fix.is_some()).collect();
        assert_eq!(kept, [false, false, true]);
    }
}
