//! A repeated-paragraph fix removes whole paragraphs or nothing: after
//! `--fix`, a story re-parses into the paragraphs it had, minus the ones
//! removed, in the same order. Checked on generated stories mixing
//! hard-wrapped paragraphs, one-line paragraphs, blank-line and single-line
//! separators, CRLF, and pasted copies of paragraphs and of runs of
//! paragraphs. Fixing the fixed text again changes nothing.

use copydesk::document::{BlockKind, Document, Format, Options};
use copydesk::engine::{CheckOptions, check};
use copydesk::fix::fix_until_stable;
use copydesk::ruleset::RuleSet;
use copydesk::source::Source;

mod common;
use common::Rng;

const WORDS: &[&str] = &[
    "the",
    "council",
    "approved",
    "harbour",
    "plan",
    "on",
    "Monday",
    "after",
    "a",
    "long",
    "debate",
    "about",
    "cost",
    "of",
    "dredging",
    "old",
    "channel",
    "and",
    "piers",
    "residents",
    "said",
    "work",
    "would",
    "start",
    "in",
    "spring",
    "mayor",
    "warned",
    "that",
    "budget",
];

fn sentence(rng: &mut Rng) -> String {
    let n = 2 + rng.below(12);
    let mut words: Vec<&str> = (0..n).map(|_| WORDS[rng.below(WORDS.len())]).collect();
    let first = words[0];
    let cap = first[..1].to_uppercase() + &first[1..];
    words[0] = "";
    format!("{cap}{}.", words.join(" "))
}

/// A paragraph as lines: hard-wrapped at a width, or one line.
fn paragraph(rng: &mut Rng, wrap: bool) -> Vec<String> {
    let text: Vec<String> = (0..1 + rng.below(3)).map(|_| sentence(rng)).collect();
    let text = text.join(" ");
    if !wrap {
        return vec![text];
    }
    let width = 30 + rng.below(50);
    let mut lines = vec![String::new()];
    for w in text.split(' ') {
        let last = lines.last_mut().unwrap();
        if !last.is_empty() && last.len() + 1 + w.len() > width {
            lines.push(w.to_string());
        } else {
            if !last.is_empty() {
                last.push(' ');
            }
            last.push_str(w);
        }
    }
    lines
}

fn story(rng: &mut Rng) -> String {
    let wrap = rng.below(2) == 0;
    let blank = rng.below(2) == 0;
    let nl = if rng.below(4) == 0 { "\r\n" } else { "\n" };
    let mut paras: Vec<Vec<String>> = (0..3 + rng.below(5))
        .map(|_| {
            // One-line-per-paragraph copy never wraps: a wrapped paragraph
            // there is ambiguous to a reader too.
            let w = blank && wrap && rng.below(3) > 0;
            paragraph(rng, w)
        })
        .collect();
    for _ in 0..1 + rng.below(2) {
        // A run of one to three paragraphs, pasted again somewhere.
        let from = rng.below(paras.len());
        let to = (from + 1 + rng.below(3)).min(paras.len());
        let copy: Vec<Vec<String>> = paras[from..to].to_vec();
        let at = rng.below(paras.len() + 1);
        for (k, p) in copy.into_iter().enumerate() {
            paras.insert(at + k, p);
        }
    }
    let sep = if blank {
        format!("{nl}{nl}")
    } else {
        nl.to_string()
    };
    let body: Vec<String> = paras.iter().map(|p| p.join(nl)).collect();
    format!(
        "Council approves the harbour plan{nl}{nl}{}{nl}",
        body.join(&sep)
    )
}

fn paragraphs(text: &str) -> Vec<String> {
    let doc = Document::new(
        text,
        "story.txt",
        &Options {
            format: Some(Format::Plain),
            ..Options::default()
        },
    );
    doc.blocks
        .iter()
        .filter(|b| b.kind == BlockKind::Paragraph)
        .map(|b| {
            text[b.span.clone()]
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// Is `small` what is left of `big` after removing some of its items?
fn is_subsequence(small: &[String], big: &[String]) -> bool {
    let mut it = big.iter();
    small.iter().all(|s| it.any(|b| b == s))
}

#[test]
fn fixes_remove_whole_paragraphs() {
    let rules = RuleSet::builtin().unwrap_or_else(|_| panic!("built-in rules load"));
    let opts = CheckOptions {
        select: vec!["repeated-paragraph".into()],
        rule_threads: 1,
        ..CheckOptions::default()
    };
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for case in 0..3000 {
        let text = story(&mut rng);
        let mut source = Source::new("story.txt", text.clone());
        let findings = check(&mut source, &rules, &opts);
        let fixed = fix_until_stable(&text, findings, false, |t| {
            check(&mut Source::new("story.txt", t), &rules, &opts)
        });
        let before = paragraphs(&text);
        let after = paragraphs(&fixed.text);
        // Whole paragraphs go, at least one per fix, and each one removed
        // is a copy of one that stays.
        let removed_are_copies = before.iter().all(|p| after.contains(p));
        assert!(
            is_subsequence(&after, &before)
                && after.len() + fixed.applied <= before.len()
                && removed_are_copies,
            "case {case}: the fix did not remove whole paragraphs\n--- before\n{text}\n--- after\n{}",
            fixed.text
        );
        let again = check(
            &mut Source::new("story.txt", fixed.text.clone()),
            &rules,
            &opts,
        );
        let twice = fix_until_stable(&fixed.text, again, false, |t| {
            check(&mut Source::new("story.txt", t), &rules, &opts)
        });
        assert_eq!(
            twice.applied, 0,
            "case {case}: a second --fix changed the text"
        );
    }
}
