//! Rule files: one TOML file per rule, the file stem is the rule id.
//!
//! Loading is strict. Every kind deserialises the whole file into its own
//! struct (common keys plus the kind's parameters, see [`rule_file!`]) with
//! `deny_unknown_fields`, so a misspelt key is an error with a position, never
//! a parameter silently ignored. (`#[serde(flatten)]` would have been shorter
//! but switches `deny_unknown_fields` off.)

use std::ops::Range;
use std::sync::Arc;

use serde::Deserialize;

use crate::document::{BlockKind, Document};
use crate::error::LoadError;
use crate::finding::{Finding, Severity};
use crate::kinds;

/// Where a block sits, for the `scope` key of a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ScopeName {
    Headline,
    Deck,
    Body,
    Crosshead,
    Caption,
    Byline,
    Dateline,
}

impl ScopeName {
    fn matches(self, kind: BlockKind) -> bool {
        matches!(
            (self, kind),
            (ScopeName::Headline, BlockKind::Headline)
                | (ScopeName::Deck, BlockKind::Deck)
                | (ScopeName::Body, BlockKind::Paragraph)
                | (ScopeName::Crosshead, BlockKind::Crosshead)
                | (ScopeName::Caption, BlockKind::Caption)
                | (ScopeName::Byline, BlockKind::Byline)
                | (ScopeName::Dateline, BlockKind::Dateline)
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum QuoteMode {
    /// Match inside and outside quotations.
    #[default]
    Include,
    /// Ignore matches inside quotations (a speaker's words are theirs).
    Exclude,
    /// Only inside quotations.
    Only,
}

/// One `[[example]]` table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    /// Text that must produce at least one finding (or exactly `findings`).
    pub bad: Option<String>,
    /// Text that must produce no finding.
    pub good: Option<String>,
    /// The text after `--fix` (with `bad`).
    pub fixed: Option<String>,
    /// Headline to use, as `--headline` would.
    pub headline: Option<String>,
    /// Exact number of findings expected for `bad`.
    pub findings: Option<usize>,
    /// Parse the example as Markdown instead of plain text.
    #[serde(default)]
    pub markdown: bool,
    /// A few words on what the example shows.
    pub note: Option<String>,
}

/// Keys every rule file has, whatever its kind.
#[derive(Debug, Clone)]
pub struct Common {
    pub severity: Severity,
    pub message: String,
    pub why: String,
    pub summary: Option<String>,
    pub scope: Option<Vec<ScopeName>>,
    pub quotes: QuoteMode,
    pub examples: Examples,
}

/// Declare a rule-file struct: the common keys plus a kind's own parameters,
/// all in one flat table with unknown keys rejected.
#[macro_export]
macro_rules! rule_file {
    ($name:ident { $( $(#[$fmeta:meta])* $field:ident : $ty:ty ),* $(,)? }) => {
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields, rename_all = "kebab-case")]
        struct $name {
            #[allow(dead_code)]
            kind: String,
            severity: $crate::finding::Severity,
            message: String,
            why: String,
            #[serde(default)]
            summary: Option<String>,
            #[serde(default)]
            scope: Option<Vec<$crate::rule::ScopeName>>,
            #[serde(default)]
            quotes: $crate::rule::QuoteMode,
            #[serde(default, rename = "example")]
            examples: Vec<toml::Spanned<$crate::rule::Example>>,
            $( $(#[$fmeta])* $field : $ty, )*
        }

        impl $name {
            fn parse(text: &str) -> Result<($crate::rule::Common, $name), toml::de::Error> {
                let mut file: $name = toml::from_str(text)?;
                let common = $crate::rule::Common {
                    severity: file.severity,
                    message: std::mem::take(&mut file.message),
                    why: std::mem::take(&mut file.why),
                    summary: file.summary.take(),
                    scope: file.scope.take(),
                    quotes: file.quotes,
                    examples: std::mem::take(&mut file.examples)
                        .into_iter()
                        .map(|e| {
                            let span = e.span();
                            (e.into_inner(), span)
                        })
                        .collect(),
                };
                Ok((common, file))
            }
        }
    };
}

/// What a kind's check produces before the engine adds rule id and severity.
pub struct Emitter<'r> {
    rule: &'r Rule,
    /// The rule id, shared by every finding of this run (made at the first
    /// finding: most runs on a story have none, and this is one allocation
    /// per rule per file).
    id: Option<Arc<str>>,
    pub findings: Vec<Finding>,
}

impl<'r> Emitter<'r> {
    pub fn new(rule: &'r Rule) -> Emitter<'r> {
        Emitter {
            rule,
            id: None,
            findings: Vec::new(),
        }
    }

    /// Report `span`, filling the rule's message template with `vars`
    /// (`{name}` is replaced by the value of `name`).
    pub fn emit(&mut self, span: Range<usize>, vars: &[(&str, &str)]) -> &mut Finding {
        let message = fill_template(&self.rule.common.message, vars);
        // One rule can have a hundred thousand findings on a large file.
        crate::memory::push(
            &mut self.findings,
            Finding::new(
                Arc::clone(
                    self.id
                        .get_or_insert_with(|| Arc::from(self.rule.id.as_str())),
                ),
                self.rule.severity,
                span,
                message,
            ),
        );
        self.findings.last_mut().expect("just pushed")
    }

    pub fn rule(&self) -> &Rule {
        self.rule
    }
}

pub fn fill_template(template: &str, vars: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match vars.iter().find(|(k, _)| *k == name) {
                    Some((_, v)) => out.push_str(v),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// A check kind's compiled parameters.
pub trait Check: Send + Sync + std::fmt::Debug {
    fn check(&self, doc: &Document, out: &mut Emitter);
    /// Whether this rule can produce fixes.
    fn fixable(&self) -> bool {
        false
    }
    /// Template variables the message may use (checked at load time).
    fn variables(&self) -> &'static [&'static str];
    /// The word lists this check searches the whole prose with, to be
    /// matched together with every other rule's in one walk per document.
    fn phrase_lists(&self) -> Vec<&crate::kinds::matcher::PhraseMatcher> {
        Vec::new()
    }
}

/// A loaded rule.
#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    pub kind: &'static str,
    /// Effective severity (after configuration).
    pub severity: Severity,
    pub common: Common,
    pub check: Arc<dyn Check>,
    /// Where the rule came from: a path, or `builtin:ID`.
    pub origin: String,
    /// The rule file's text (for example line numbers and `copydesk rule`).
    pub text: Arc<str>,
    /// The examples, when they were left out of the first parse (see
    /// `Rule::parse_without_examples`): read on first use.
    deferred: Option<Arc<std::sync::OnceLock<Examples>>>,
}

impl Rule {
    /// A rough relative cost on a large document, to schedule the costly
    /// kinds first when rules share the cores (measured with `--timings`).
    pub fn cost(&self) -> u32 {
        match self.kind {
            "name-form" | "unsourced-figure" | "repeated-paragraph" => 3,
            "conditional" | "repetition" => 2,
            // A regex over the whole text takes ten times as long as
            // reading the word-list walk's hits: started among the last,
            // such a rule kept one thread busy alone at the end of a large
            // file.
            _ if self.check.phrase_lists().iter().any(|m| m.runs_regex()) => 2,
            _ => 1,
        }
    }

    /// The rule's examples.
    pub fn examples(&self) -> &[(Example, Range<usize>)] {
        match &self.deferred {
            None => &self.common.examples,
            Some(cell) => cell.get_or_init(|| {
                kinds::find(self.kind)
                    .and_then(|spec| (spec.parse)(&self.text).ok())
                    .map(|(common, _)| common.examples)
                    .unwrap_or_default()
            }),
        }
    }

    /// Parse a rule file whose `[[example]]` tables all come last (the
    /// embedded pack; `builtin_rules_are_valid` checks that and that they
    /// are valid) without them: they are a third of the pack, and a check
    /// never reads them. `examples()` parses them on first use.
    pub fn parse_without_examples(id: &str, origin: &str, text: &str) -> Result<Rule, LoadError> {
        let cut = examples_start(text);
        let mut rule = Rule::parse(id, origin, &text[..cut])?;
        if cut < text.len() {
            rule.text = Arc::from(text);
            rule.deferred = Some(Default::default());
        }
        Ok(rule)
    }

    /// Parse one rule file. `origin` is used in error messages.
    pub fn parse(id: &str, origin: &str, text: &str) -> Result<Rule, LoadError> {
        #[derive(Deserialize)]
        struct KindOnly {
            kind: Option<toml::Spanned<String>>,
        }
        let err = |span: Option<Range<usize>>, msg: String| LoadError::new(origin, text, span, msg);
        // The kind decides how the whole file is read. A plain `kind =
        // "name"` line before any table is read without parsing the file
        // twice (the kind's own strict parse follows); anything else goes
        // through the TOML parser.
        let kind = match quick_kind(text) {
            Some((name, span)) => Some(toml::Spanned::new(span, name.to_string())),
            None => {
                let probe: KindOnly =
                    toml::from_str(text).map_err(|e| crate::error::from_toml(origin, text, &e))?;
                probe.kind
            }
        };
        let Some(kind) = kind else {
            return Err(err(
                Some(0..0),
                format!(
                    "rule `{id}` has no `kind`; add one of: {}",
                    kinds::names().join(", ")
                ),
            ));
        };
        let Some(spec) = kinds::find(kind.get_ref()) else {
            let mut e = err(
                Some(kind.span()),
                format!("unknown rule kind `{}`", kind.get_ref()),
            );
            if let Some(s) = crate::error::did_you_mean(kind.get_ref(), kinds::names()) {
                e = e.with_note(format!("did you mean `{s}`?"));
            }
            return Err(e.with_note(format!("valid kinds: {}", kinds::names().join(", "))));
        };
        let (common, check) = (spec.parse)(text).map_err(|e| match e {
            kinds::KindError::Toml(e) => crate::error::from_toml(origin, text, &e),
            kinds::KindError::At(span, msg) => err(Some(span), msg),
        })?;
        for (example, span) in &common.examples {
            if example.bad.is_some() == example.good.is_some() {
                return Err(err(
                    Some(span.clone()),
                    "an example needs exactly one of `bad` (must fire) or `good` (must stay silent)"
                        .into(),
                ));
            }
            if example.fixed.is_some() && example.bad.is_none() {
                return Err(err(
                    Some(span.clone()),
                    "`fixed` belongs with a `bad` example".into(),
                ));
            }
        }
        check_template(&common.message, check.variables())
            .map_err(|m| err(find_key_span(text, "message"), m))?;
        Ok(Rule {
            id: id.to_string(),
            kind: spec.name,
            severity: common.severity,
            common,
            check: Arc::from(check),
            origin: origin.to_string(),
            text: Arc::from(text),
            deferred: None,
        })
    }

    /// First sentence of `why`, or the explicit `summary`.
    pub fn summary(&self) -> String {
        if let Some(s) = &self.common.summary {
            return s.clone();
        }
        let why = self.common.why.trim();
        let end = why
            .match_indices(". ")
            .map(|(i, _)| i + 1)
            .next()
            .unwrap_or(why.len());
        crate::document::squeeze(&why[..end])
    }

    /// Run the rule on a document: the kind's check, then the scope filter.
    pub fn run(&self, doc: &Document) -> Vec<Finding> {
        let mut em = Emitter::new(self);
        self.check.check(doc, &mut em);
        let mut findings = em.findings;
        if self.common.scope.is_some() || self.common.quotes != QuoteMode::Include {
            findings.retain(|f| self.in_scope(doc, &f.span));
        }
        // Held until every rule is done: without the room left over from
        // growing (up to half, for a rule with a hundred thousand findings).
        crate::memory::trim(&mut findings);
        findings
    }

    fn in_scope(&self, doc: &Document, span: &Range<usize>) -> bool {
        if let Some(scope) = &self.common.scope {
            let Some(block) = doc.block_at(span.start) else {
                return false;
            };
            if !scope.iter().any(|s| s.matches(block.kind)) {
                return false;
            }
        }
        match self.common.quotes {
            QuoteMode::Include => true,
            QuoteMode::Exclude => !doc.in_quote(span.start),
            QuoteMode::Only => doc.in_quote(span.start),
        }
    }

    /// Parameters as written in the rule file (everything but the common keys).
    pub fn parameters_toml(&self) -> String {
        let Ok(mut table) = self.text.parse::<toml::Table>() else {
            return String::new();
        };
        for key in [
            "kind", "severity", "message", "why", "summary", "example", "scope", "quotes",
        ] {
            table.remove(key);
        }
        toml::to_string_pretty(&table).unwrap_or_default()
    }

    /// 1-based line of a byte offset in the rule file.
    pub fn line_of(&self, byte: usize) -> usize {
        self.text[..byte.min(self.text.len())].matches('\n').count() + 1
    }
}

fn check_template(template: &str, vars: &[&str]) -> Result<(), String> {
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        let name = &after[..close];
        if !vars.contains(&name) {
            return Err(if vars.is_empty() {
                format!("the message uses `{{{name}}}`, but this kind fills in no variables")
            } else {
                format!(
                    "the message uses `{{{name}}}`, which this kind does not fill in; it offers: {}",
                    vars.iter()
                        .map(|v| format!("{{{v}}}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            });
        }
        rest = &after[close + 1..];
    }
    Ok(())
}

/// `kind = "name"` on a line of its own before any table header, with the
/// span of the quoted value; `None` when the file says it some other way.
fn quick_kind(text: &str) -> Option<(&str, Range<usize>)> {
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let start = at;
        at += line.len();
        let t = line.trim();
        // A table, or a multi-line string that might hold such a line.
        if t.starts_with('[') || t.contains(r#""""#) || t.contains("'''") {
            return None;
        }
        let Some(rest) = t.strip_prefix("kind") else {
            continue;
        };
        let rest = rest.trim_start().strip_prefix('=')?.trim_start();
        let value = rest.strip_prefix('"')?;
        let end = value.find('"')?;
        let name = &value[..end];
        let after = value[end + 1..].trim();
        if !(after.is_empty() || after.starts_with('#'))
            || !name.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
        {
            return None;
        }
        let q = start + line.find('"')?;
        return Some((name, q..q + end + 2));
    }
    None
}

/// Byte span of a top-level key's value, for errors found after parsing.
pub fn find_key_span(text: &str, key: &str) -> Option<Range<usize>> {
    let table = toml::de::DeTable::parse(text).ok()?;
    table
        .get_ref()
        .iter()
        .find(|(k, _)| k.get_ref() == key)
        .map(|(_, v)| v.span())
}

/// A rule's examples, each with its span in the rule file.
type Examples = Vec<(Example, Range<usize>)>;

/// Where the `[[example]]` tables of a rule file start (the end if none).
pub fn examples_start(text: &str) -> usize {
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        if line.trim_end() == "[[example]]" {
            return at;
        }
        at += line.len();
    }
    text.len()
}
