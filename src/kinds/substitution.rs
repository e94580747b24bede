//! `substitution`: unwanted forms and the forms to use instead. A single
//! preferred form is applied by `--fix`, keeping the writer's
//! capitalisation ("Kiev" at the start of a sentence becomes "Kyiv", "KIEV"
//! becomes "KYIV"); a choice of forms is only suggested.

use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use super::{KindError, KindSpec};
use crate::check::{Check, Context, Emitter};
use crate::document::{Document, squeeze};
use crate::finding::{Applicability, Fix};
use crate::matching::{LazyRegex, PhraseMatcher};

pub const SPEC: KindSpec = KindSpec {
    name: "substitution",
    summary: "unwanted forms and what to write instead (fixable)",
    params: File::PARAMS,
    parse,
    cost: 1,
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

crate::param_enum!(FixMode);

crate::rule_file!(File {
    /// Unwanted word or phrase = preferred form, or a list of preferred
    /// forms when there is a choice (`"irregardless" = ["regardless",
    /// "irrespective"]`). Phrases match whole words, across line breaks. A
    /// rule needs `swap` or `swap-patterns`.
    #[serde(default)]
    swap: toml::map::Map<String, toml::Value>,
    /// The same with regular expressions (Rust `regex` syntax) as keys; a
    /// preferred form may use `$1` or `${name}` for a captured group.
    #[serde(default)]
    swap_patterns: toml::map::Map<String, toml::Value>,
    /// Match in any case. Default true.
    #[serde(default = "yes")]
    ignore_case: bool,
    /// Phrases inside which a match is fine after all ("Chicken Kiev").
    /// Default none.
    #[serde(default)]
    exceptions: Vec<String>,
    /// How the replacement is offered: `safe` (applied by `--fix`),
    /// `unsafe` (applied only with `--unsafe-fixes`) or `none` (only
    /// suggested). Default `safe`.
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

fn choices(table: &str, key: &str, v: &toml::Value, text: &str) -> Result<Vec<String>, KindError> {
    let at = || find_span(text, table, key);
    let c: Choice = v.clone().try_into().map_err(|_| {
        KindError::At(
            at(),
            format!("`{key}`: the preferred form must be a string or a list of strings"),
        )
    })?;
    let c = match c {
        Choice::One(s) => vec![s],
        Choice::Many(v) => v,
    };
    // A NUL written into a story makes it a binary file that no editor or
    // checker reads as text again.
    if c.iter().any(|r| r.contains('\0')) {
        return Err(KindError::At(
            at(),
            format!(
                "`{key}`: the preferred form holds a NUL character (\\u0000), which --fix would write into the story"
            ),
        ));
    }
    Ok(c)
}

/// Where the entry `key` of `table` is written, or the `kind` line when it
/// cannot be found.
fn find_span(text: &str, table: &str, key: &str) -> Range<usize> {
    crate::check::find_entry_span(text, table, key)
        .or_else(|| crate::check::find_key_span(text, "kind"))
        .unwrap_or(0..0)
}

fn parse(text: &str) -> Result<super::Parsed, KindError> {
    let (common, f) = File::parse(text)?;
    if f.swap.is_empty() && f.swap_patterns.is_empty() {
        return Err(KindError::At(
            crate::check::find_key_span(text, "kind").unwrap_or(0..0),
            "a substitution rule needs `swap` or `swap-patterns`".into(),
        ));
    }
    let mut table = Vec::new();
    let mut keys = Vec::new();
    for (k, v) in &f.swap {
        let c = choices("swap", k, v, text)?;
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
        let c = choices("swap-patterns", k, v, text)?;
        let re = LazyRegex::new(k.clone(), f.ignore_case)
            .map_err(|m| KindError::At(find_span(text, "swap-patterns", k), m))?;
        if crate::matching::checks_patterns() && c.iter().any(|r| r.contains('$')) {
            let groups = Groups::of(k);
            for r in &c {
                if let Err(m) = groups.check(r) {
                    let key = find_span(text, "swap-patterns", k);
                    let span = text[key.start..]
                        .find(r.as_str())
                        .map_or(key.clone(), |p| key.start + p..key.start + p + r.len());
                    return Err(KindError::At(span, m));
                }
            }
        }
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

/// Does a match cut a figure, so that replacing it would leave a piece of
/// the number behind ("3.5 days", "$3 people", "1,5 schools")? A figure is
/// matched whole or not at all.
fn inside_number(text: &str, r: &Range<usize>) -> bool {
    let joins = |c: char| c.is_ascii_digit() || matches!(c, '$' | '£' | '€' | '¥' | '₹');
    let before = text[..r.start].chars().rev();
    let after = text[r.end..].chars();
    let starts_digit = text[r.clone()].starts_with(|c: char| c.is_ascii_digit());
    let ends_digit = text[r.clone()].ends_with(|c: char| c.is_ascii_digit());
    (starts_digit && cuts(before, joins)) || (ends_digit && cuts(after, joins))
}

/// Does the text beside a match, read away from it, continue a figure?
fn cuts(mut side: impl Iterator<Item = char>, joins: impl Fn(char) -> bool) -> bool {
    match side.next() {
        Some(c) if joins(c) => true,
        Some('.' | ',') => side.next().is_some_and(|c| c.is_ascii_digit()),
        _ => false,
    }
}

/// Does a sentence open at `at`: nothing but opening quotes or brackets
/// between it and the start of its block or the end of a sentence?
fn opens_sentence(doc: &Document, at: usize) -> bool {
    let start = doc.block_at(at).map_or(0, |b| b.span.start);
    let before = doc.text[start.min(at)..at]
        .trim_end_matches(|c: char| c.is_whitespace() || "\"'“‘([".contains(c));
    before.is_empty() || before.ends_with(['.', '!', '?'])
}

/// The capture groups of a pattern, for checking what a replacement names.
struct Groups {
    /// Groups counted with the whole match (group 0).
    count: usize,
    names: Vec<String>,
}

impl Groups {
    /// The groups of a pattern that is known to parse (none if it does not).
    /// Read off its syntax tree, which numbers and names groups as the
    /// compiled regex does, without translating its classes (Unicode
    /// classes are costly to build, and groups do not depend on them).
    fn of(pattern: &str) -> Groups {
        use regex_syntax::ast::{self, Ast, GroupKind};
        fn walk(a: &Ast, g: &mut Groups) {
            match a {
                Ast::Group(group) => {
                    match &group.kind {
                        GroupKind::CaptureIndex(i) => {
                            g.count = g.count.max(*i as usize + 1);
                        }
                        GroupKind::CaptureName { name, .. } => {
                            g.count = g.count.max(name.index as usize + 1);
                            g.names.push(name.name.clone());
                        }
                        GroupKind::NonCapturing(_) => {}
                    }
                    walk(&group.ast, g);
                }
                Ast::Repetition(r) => walk(&r.ast, g),
                Ast::Concat(c) => c.asts.iter().for_each(|a| walk(a, g)),
                Ast::Alternation(alt) => alt.asts.iter().for_each(|a| walk(a, g)),
                _ => {}
            }
        }
        let mut g = Groups {
            count: 1,
            names: Vec::new(),
        };
        if let Ok(a) = ast::parse::Parser::new().parse(pattern) {
            walk(&a, &mut g);
        }
        g
    }

    /// Every `$name`, `${name}` of a replacement must name a group. The
    /// regex crate reads `$1ise` as the group `1ise`, which never exists, so
    /// such a replacement would delete text: it is an error that suggests
    /// `${1}ise`.
    fn check(&self, replacement: &str) -> Result<(), String> {
        let b = replacement.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if b[i] != b'$' {
                i += 1;
                continue;
            }
            if b.get(i + 1) == Some(&b'$') {
                i += 2;
                continue;
            }
            let (name, braced, end) = if b.get(i + 1) == Some(&b'{') {
                match replacement[i + 2..].find('}') {
                    Some(close) => (&replacement[i + 2..i + 2 + close], true, i + 3 + close),
                    None => {
                        return Err(format!(
                            "`{replacement}`: `${{` is not closed; write `$$` for a dollar sign"
                        ));
                    }
                }
            } else {
                let len = b[i + 1..]
                    .iter()
                    .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
                    .count();
                (&replacement[i + 1..i + 1 + len], false, i + 1 + len)
            };
            if !name.is_empty() && !self.has(name) {
                let digits = name.bytes().take_while(u8::is_ascii_digit).count();
                let hint =
                    if !braced && digits > 0 && digits < name.len() && self.has(&name[..digits]) {
                        format!(
                            "; it reads as the group `{name}`: write `${{{}}}{}`",
                            &name[..digits],
                            &name[digits..]
                        )
                    } else {
                        String::new()
                    };
                return Err(format!(
                    "`{replacement}` names the group `{name}`, which the pattern does not have{hint}"
                ));
            }
            i = end;
        }
        Ok(())
    }

    fn has(&self, name: &str) -> bool {
        match name.parse::<usize>() {
            Ok(n) => n < self.count,
            Err(_) => self.names.iter().any(|n| n == name),
        }
    }
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
            let mut replacement = match_case(matched, &choices[0]);
            // A figure that opens a sentence becomes a capitalised word
            // ("3 people died" -> "Three people died").
            if matched.starts_with(|c: char| !c.is_alphabetic()) && opens_sentence(doc, span.start)
            {
                replacement = match_case("A", &replacement);
            }
            // "a.m. in the morning." -> "a.m.": the sentence's full stop is
            // absorbed by the abbreviation rather than doubled.
            let mut span = span;
            if replacement.ends_with('.') && doc.text[span.end..].starts_with('.') {
                span.end += 1;
            }
            let applicability = if self.fix == FixMode::Safe {
                Applicability::Safe
            } else {
                Applicability::Unsafe
            };
            let description = format!("write \"{replacement}\"");
            f.set_fix(Fix::new(applicability, span, replacement, description));
        }
    }
}

impl Check for Substitution {
    fn check(&self, doc: &Context, out: &mut Emitter) {
        let prose: &str = &doc.prose;
        let excepted: Vec<Range<usize>> = self
            .exceptions
            .as_ref()
            .map_or_else(Vec::new, |e| doc.find_all(e, 0..prose.len()));
        let skip = |r: &Range<usize>| {
            excepted
                .iter()
                .any(|e| e.start <= r.start && r.end <= e.end)
                || inside_number(doc.text, r)
        };
        if let Some(p) = &self.phrases {
            for r in doc.find_in_prose(p) {
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
            doc.for_each_capture(re, |r, caps| {
                if skip(&r) {
                    return;
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
            });
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
    use super::{Groups, match_case};

    #[test]
    fn a_replacement_names_only_groups_the_pattern_has() {
        let g = Groups::of(r"\b(\w+)ize\b");
        assert!(g.check("${1}ise").is_ok());
        assert!(g.check("$1 and $0, $$5").is_ok());
        let e = g.check("$1ise").unwrap_err();
        assert!(e.contains("`${1}ise`"), "{e}");
        assert!(g.check("$2").is_err());
        assert!(g.check("${x}").is_err());
        assert!(g.check("${1").is_err());
        let named = Groups::of(r"(?P<word>\w+)ize");
        assert!(named.check("${word}ise").is_ok());
        assert!(named.check("$word").is_ok());
        assert!(named.check("$words").is_err());
    }

    /// The groups read off the syntax tree are the compiled regex's groups,
    /// nested, repeated, in alternatives and among flags.
    #[test]
    fn groups_are_the_compiled_regexs_groups() {
        for p in [
            r"(a)(?:b(c)|(?P<d>e))+(f(g)?)",
            r"(?i)x(?-i:(y))|(?x) ( z ) # (not a group)",
            r"[(](\()\(",
            r"none",
        ] {
            let re = regex::Regex::new(p).unwrap();
            let g = Groups::of(p);
            assert_eq!(g.count, re.captures_len(), "{p}");
            let names: Vec<&str> = re.capture_names().flatten().collect();
            assert_eq!(g.names, names, "{p}");
        }
    }

    #[test]
    fn capitalisation_is_kept() {
        assert_eq!(match_case("Kiev", "Kyiv"), "Kyiv");
        assert_eq!(match_case("KIEV", "Kyiv"), "KYIV");
        assert_eq!(match_case("Past history", "history"), "History");
        assert_eq!(match_case("past history", "history"), "history");
    }
}
