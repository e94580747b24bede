//! `substitution`: unwanted forms and the forms to use instead.
//!
//! Parameters:
//! - `swap`: a table of unwanted word or phrase = preferred form, or a list of
//!   preferred forms when there is a choice (`"irregardless" = ["regardless",
//!   "irrespective"]`). Phrases match whole words, across line breaks.
//! - `swap-patterns`: the same with regular expressions as keys; the
//!   replacement may use `$1`, `${name}` for captured groups.
//! - `ignore-case` (default true), `exceptions` (phrases inside which a
//!   match is fine: "Chicken Kiev"), `fix` (`safe`, `unsafe` or `none`;
//!   default `safe`).
//!
//! A single preferred form is applied by `--fix`, keeping the writer's
//! capitalisation ("Kiev" at the start of a sentence becomes "Kyiv", "KIEV"
//! becomes "KYIV"). Message variables: `{match}`, `{suggestion}`.

use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use super::matcher::{LazyRegex, PhraseMatcher};
use super::{KindError, KindSpec};
use crate::document::{Document, squeeze};
use crate::finding::{Applicability, Edit, Fix};
use crate::rule::{Check, Emitter};

pub const SPEC: KindSpec = KindSpec {
    name: "substitution",
    summary: "unwanted forms and what to write instead (fixable)",
    parse,
};

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum Choice {
    One(String),
    Many(Vec<String>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
enum FixMode {
    #[default]
    Safe,
    Unsafe,
    None,
}

crate::rule_file!(File {
    #[serde(default)]
    swap: toml::map::Map<String, toml::Value>,
    #[serde(default)]
    swap_patterns: toml::map::Map<String, toml::Value>,
    #[serde(default = "yes")]
    ignore_case: bool,
    #[serde(default)]
    exceptions: Vec<String>,
    #[serde(default)]
    fix: FixMode,
});

fn yes() -> bool {
    true
}

#[derive(Debug)]
struct Substitution {
    phrases: Option<PhraseMatcher>,
    /// Lower-cased (when ignoring case), whitespace-normalised key -> choices.
    table: Vec<(String, Vec<String>)>,
    patterns: Vec<(LazyRegex, Vec<String>)>,
    ignore_case: bool,
    exceptions: Option<PhraseMatcher>,
    fix: FixMode,
}

fn choices(key: &str, v: &toml::Value, text: &str) -> Result<Vec<String>, KindError> {
    let c: Choice = v.clone().try_into().map_err(|_| {
        KindError::At(
            find_span(text, key),
            format!("`{key}`: the preferred form must be a string or a list of strings"),
        )
    })?;
    Ok(match c {
        Choice::One(s) => vec![s],
        Choice::Many(v) => v,
    })
}

fn find_span(text: &str, key: &str) -> Range<usize> {
    text.find(&format!("\"{key}\""))
        .or_else(|| text.find(&format!("'{key}'")))
        .map_or(0..0, |p| p..p + key.len() + 2)
}

fn parse(text: &str) -> Result<super::Parsed, KindError> {
    let (common, f) = File::parse(text)?;
    if f.swap.is_empty() && f.swap_patterns.is_empty() {
        return Err(KindError::At(
            crate::rule::find_key_span(text, "kind").unwrap_or(0..0),
            "a substitution rule needs `swap` or `swap-patterns`".into(),
        ));
    }
    let mut table = Vec::new();
    let mut keys = Vec::new();
    for (k, v) in &f.swap {
        let c = choices(k, v, text)?;
        let key = if f.ignore_case {
            k.to_lowercase()
        } else {
            k.clone()
        };
        table.push((squeeze(&key), c));
        keys.push(Spanned::new(0..0, k.clone()));
    }
    let phrases = if keys.is_empty() {
        None
    } else {
        Some(PhraseMatcher::new(&keys, &[], f.ignore_case)?)
    };
    let mut patterns = Vec::new();
    for (k, v) in &f.swap_patterns {
        let c = choices(k, v, text)?;
        let re = LazyRegex::new(k.clone(), f.ignore_case)
            .map_err(|m| KindError::At(find_span(text, k), m))?;
        patterns.push((re, c));
    }
    let exceptions = PhraseMatcher::phrases(&f.exceptions);
    Ok((
        common,
        Box::new(Substitution {
            phrases,
            table,
            patterns,
            ignore_case: f.ignore_case,
            exceptions,
            fix: f.fix,
        }),
    ))
}

/// Carry the writer's capitalisation over to the replacement.
pub fn match_case(original: &str, replacement: &str) -> String {
    let letters: Vec<char> = original.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() > 1 && letters.iter().all(|c| c.is_uppercase()) {
        return replacement.to_uppercase();
    }
    let first_upper = original
        .chars()
        .find(|c| c.is_alphabetic())
        .is_some_and(char::is_uppercase);
    let rep_first_lower = replacement
        .chars()
        .find(|c| c.is_alphabetic())
        .is_some_and(char::is_lowercase);
    if first_upper && rep_first_lower {
        let mut out = String::with_capacity(replacement.len());
        let mut done = false;
        for c in replacement.chars() {
            if !done && c.is_alphabetic() {
                out.extend(c.to_uppercase());
                done = true;
            } else {
                out.push(c);
            }
        }
        return out;
    }
    replacement.to_string()
}

impl Substitution {
    fn emit(&self, doc: &Document, out: &mut Emitter, span: Range<usize>, choices: &[String]) {
        let matched = doc.slice(&span);
        let shown = squeeze(matched);
        let suggestion = choices
            .iter()
            .map(|c| format!("\"{}\"", match_case(matched, c)))
            .collect::<Vec<_>>()
            .join(" or ");
        let suggestion = suggestion.trim_matches('"').to_string();
        let f = out.emit(
            span.clone(),
            &[("match", &shown), ("suggestion", &suggestion)],
        );
        if choices.len() == 1 && self.fix != FixMode::None {
            let replacement = match_case(matched, &choices[0]);
            // "a.m. in the morning." -> "a.m.": the sentence's full stop is
            // absorbed by the abbreviation rather than doubled.
            let mut span = span;
            if replacement.ends_with('.') && doc.text[span.end..].starts_with('.') {
                span.end += 1;
            }
            f.fix = Some(Box::new(Fix {
                applicability: if self.fix == FixMode::Safe {
                    Applicability::Safe
                } else {
                    Applicability::Unsafe
                },
                edits: vec![Edit {
                    span,
                    replacement: replacement.clone(),
                }],
                description: format!("write \"{replacement}\"").into(),
            }));
        }
    }
}

impl Check for Substitution {
    fn check(&self, doc: &Document, out: &mut Emitter) {
        let prose: &str = &doc.prose;
        let excepted: Vec<Range<usize>> = self
            .exceptions
            .as_ref()
            .map_or_else(Vec::new, |e| e.find_all(doc, 0..prose.len()));
        let skip = |r: &Range<usize>| {
            prose[r.clone()].as_bytes().contains(&crate::document::HOLE)
                || excepted
                    .iter()
                    .any(|e| e.start <= r.start && r.end <= e.end)
                || doc.block_at(r.start).is_none_or(|b| b.span.end < r.end)
        };
        if let Some(p) = &self.phrases {
            for r in p.find_all(doc, 0..prose.len()) {
                if skip(&r) {
                    continue;
                }
                let m = squeeze(&prose[r.clone()]);
                let key = if self.ignore_case {
                    m.to_lowercase()
                } else {
                    m
                };
                if let Some((_, c)) = self.table.iter().find(|(k, _)| *k == key) {
                    self.emit(doc, out, r, c);
                }
            }
        }
        for (re, c) in &self.patterns {
            let lower = (prose.len() <= super::matcher::PREFILTER_MAX).then(|| doc.prose_lower());
            if !re.may_match(prose, lower) {
                continue;
            }
            for caps in re.get().captures_iter(prose) {
                let Some(m) = caps.get_match() else { continue };
                let r = m.range();
                if r.is_empty() || skip(&r) {
                    continue;
                }
                let expanded: Vec<String> = c
                    .iter()
                    .map(|t| {
                        let mut s = String::new();
                        caps.interpolate_string_into(prose, t, &mut s);
                        s
                    })
                    .collect();
                self.emit(doc, out, r, &expanded);
            }
        }
    }

    fn fixable(&self) -> bool {
        self.fix != FixMode::None
    }

    fn variables(&self) -> &'static [&'static str] {
        &["match", "suggestion"]
    }

    fn phrase_lists(&self) -> Vec<&PhraseMatcher> {
        self.phrases
            .iter()
            .chain(self.exceptions.as_ref())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::match_case;

    #[test]
    fn capitalisation_is_kept() {
        assert_eq!(match_case("Kiev", "Kyiv"), "Kyiv");
        assert_eq!(match_case("KIEV", "Kyiv"), "KYIV");
        assert_eq!(match_case("Past history", "history"), "History");
        assert_eq!(match_case("past history", "history"), "history");
    }
}
