//! `existence`: words, phrases or patterns to avoid.
//!
//! Parameters:
//! - `tokens`: words or phrases, matched as whole words; the spaces in a
//!   phrase match any run of whitespace, so a phrase broken across a wrapped
//!   line still matches.
//! - `patterns`: regular expressions (Rust `regex` syntax).
//! - `ignore-case`: default `true`.
//! - `exceptions`: matched texts that are fine after all (compared without case
//!   when `ignore-case` is on).
//!
//! Message variables: `{match}`.

use regex::{Regex, RegexBuilder};
use toml::Spanned;

use super::{KindError, KindSpec};
use crate::document::Document;
use crate::rule::{Check, Emitter};

pub const SPEC: KindSpec = KindSpec {
    name: "existence",
    summary: "words, phrases or patterns to avoid",
    parse,
};

crate::rule_file!(File {
    #[serde(default)]
    tokens: Vec<Spanned<String>>,
    #[serde(default)]
    patterns: Vec<Spanned<String>>,
    #[serde(default = "yes")]
    ignore_case: bool,
    #[serde(default)]
    exceptions: Vec<String>,
});

fn yes() -> bool {
    true
}

#[derive(Debug)]
struct Existence {
    regex: Regex,
    ignore_case: bool,
    exceptions: Vec<String>,
}

fn parse(text: &str) -> Result<super::Parsed, KindError> {
    let (common, file) = File::parse(text)?;
    if file.tokens.is_empty() && file.patterns.is_empty() {
        let span = crate::rule::find_key_span(text, "kind").unwrap_or(0..0);
        return Err(KindError::At(
            span,
            "an existence rule needs `tokens` or `patterns` (or both)".into(),
        ));
    }
    let regex = compile_alternation(&file.tokens, &file.patterns, file.ignore_case)?;
    let exceptions = file
        .exceptions
        .into_iter()
        .map(|e| {
            if file.ignore_case {
                e.to_lowercase()
            } else {
                e
            }
        })
        .collect();
    Ok((
        common,
        Box::new(Existence {
            regex,
            ignore_case: file.ignore_case,
            exceptions,
        }),
    ))
}

/// A regex source for a literal word or phrase: whole words, flexible spaces.
pub fn phrase_pattern(phrase: &str) -> String {
    let words: Vec<String> = phrase.split_whitespace().map(regex::escape).collect();
    let mut p = words.join(r"\s+");
    let first = phrase.trim().chars().next();
    let last = phrase.trim().chars().last();
    if first.is_some_and(char::is_alphanumeric) {
        p = format!(r"\b{p}");
    }
    if last.is_some_and(char::is_alphanumeric) {
        p = format!(r"{p}\b");
    }
    p
}

/// Compile tokens and patterns into one regex, checking each pattern on its
/// own first so that an error points at the right string.
pub fn compile_alternation(
    tokens: &[Spanned<String>],
    patterns: &[Spanned<String>],
    ignore_case: bool,
) -> Result<Regex, KindError> {
    let mut parts = Vec::new();
    for t in tokens {
        if t.get_ref().trim().is_empty() {
            return Err(KindError::At(t.span(), "empty token".into()));
        }
        parts.push(phrase_pattern(t.get_ref()));
    }
    for p in patterns {
        if let Err(e) = Regex::new(p.get_ref()) {
            return Err(KindError::At(
                p.span(),
                format!("invalid regular expression: {}", first_line(&e.to_string())),
            ));
        }
        parts.push(format!("(?:{})", p.get_ref()));
    }
    RegexBuilder::new(&parts.join("|"))
        .case_insensitive(ignore_case)
        .build()
        .map_err(|e| KindError::At(0..0, format!("rule too large to compile: {e}")))
}

fn first_line(s: &str) -> String {
    s.lines()
        .rfind(|l| !l.trim().is_empty())
        .unwrap_or(s)
        .trim()
        .to_string()
}

impl Check for Existence {
    fn check(&self, doc: &Document, out: &mut Emitter) {
        for m in self.regex.find_iter(&doc.prose) {
            if m.is_empty() || m.as_str().as_bytes().contains(&crate::document::HOLE) {
                continue;
            }
            // A match must stay inside one block.
            match doc.block_at(m.start()) {
                Some(b) if b.span.end >= m.end() => {}
                _ => continue,
            }
            let matched = doc.slice(&m.range());
            let key = if self.ignore_case {
                matched.to_lowercase()
            } else {
                matched.to_string()
            };
            if self.exceptions.contains(&key) {
                continue;
            }
            let shown = matched.split_whitespace().collect::<Vec<_>>().join(" ");
            out.emit(m.range(), &[("match", &shown)]);
        }
    }

    fn variables(&self) -> &'static [&'static str] {
        &["match"]
    }
}
