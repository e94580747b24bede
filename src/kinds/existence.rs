//! `existence`: words, phrases or patterns to avoid. Each match is reported
//! unless it lies inside one of the rule's exceptions.

use toml::Spanned;

use super::{KindError, KindSpec};
use crate::check::{Check, Context, Emitter};
use crate::matching::PhraseMatcher;

pub const SPEC: KindSpec = KindSpec {
    name: "existence",
    summary: "words, phrases or patterns to avoid",
    params: File::PARAMS,
    parse,
    cost: 1,
};

crate::rule_file!(File {
    /// Words or phrases to avoid, matched as whole words; the spaces in a
    /// phrase match any run of whitespace, so a phrase broken across a
    /// wrapped line still matches. A rule needs `tokens` or `patterns`.
    #[serde(default)]
    tokens: Vec<Spanned<String>>,
    /// Regular expressions to avoid (Rust `regex` syntax).
    #[serde(default)]
    patterns: Vec<Spanned<String>>,
    /// Match in any case. Default true.
    #[serde(default = "yes")]
    ignore_case: bool,
    /// Phrases inside which a match is fine after all ("Acme Corp" for the
    /// token "Acme"); a phrase equal to the match excepts it everywhere.
    /// Default none.
    #[serde(default)]
    exceptions: Vec<String>,
});

fn yes() -> bool {
    true
}

#[derive(Debug)]
struct Existence {
    matcher: PhraseMatcher,
    ignore_case: bool,
    exceptions: Vec<String>,
    /// The same exceptions as phrases, for matches inside a longer one.
    exception_phrases: Option<PhraseMatcher>,
}

fn parse(text: &str) -> Result<super::Parsed, KindError> {
    let (common, file) = File::parse(text)?;
    if file.tokens.is_empty() && file.patterns.is_empty() {
        let span = crate::check::find_key_span(text, "kind").unwrap_or(0..0);
        return Err(KindError::At(
            span,
            "an existence rule needs `tokens` or `patterns` (or both)".into(),
        ));
    }
    let matcher = PhraseMatcher::new(&file.tokens, &file.patterns, file.ignore_case)?;
    let exception_tokens: Vec<Spanned<String>> = file
        .exceptions
        .iter()
        .filter(|e| !e.trim().is_empty())
        .map(|e| Spanned::new(0..0, e.clone()))
        .collect();
    let exception_phrases = if exception_tokens.is_empty() {
        None
    } else {
        Some(PhraseMatcher::new(
            &exception_tokens,
            &[],
            file.ignore_case,
        )?)
    };
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
            matcher,
            ignore_case: file.ignore_case,
            exceptions,
            exception_phrases,
        }),
    ))
}

impl Check for Existence {
    fn check(&self, doc: &Context, out: &mut Emitter) {
        let excepted: Vec<std::ops::Range<usize>> = self
            .exception_phrases
            .as_ref()
            .map_or_else(Vec::new, |e| doc.find_all(e, 0..doc.prose.len()));
        for m in doc.find_in_prose(&self.matcher) {
            if excepted
                .iter()
                .any(|e| e.start <= m.start && m.end <= e.end)
            {
                continue;
            }
            let matched = doc.slice(&m);
            let key = if self.ignore_case {
                matched.to_lowercase()
            } else {
                matched.to_string()
            };
            if self.exceptions.contains(&key) {
                continue;
            }
            let shown = crate::document::squeeze(matched);
            out.emit(m, &[("match", &shown)]);
        }
    }

    fn variables(&self) -> &'static [&'static str] {
        &["match"]
    }

    fn phrase_lists(&self) -> Vec<&PhraseMatcher> {
        std::iter::once(&self.matcher)
            .chain(self.exception_phrases.as_ref())
            .collect()
    }
}
