//! Rule files: one TOML file per rule, the file stem is the rule id. A rule
//! is a kind's check (see `check`) with the file's common keys, loaded
//! through the kind registry (`kinds`).

use std::ops::Range;
use std::sync::Arc;

use serde::Deserialize;

use crate::check::{Check, Common, Context, Emitter, Example, Examples, ParamDoc, QuoteMode};
pub use crate::check::{ScopeName, find_key_span};
use crate::document::Document;
use crate::error::LoadError;
use crate::finding::{Finding, Severity};
use crate::kinds;
use crate::names::Names;

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
    /// kinds first when rules share the cores (`--timings` shows each
    /// rule's time).
    pub fn cost(&self) -> u32 {
        match kinds::find(self.kind).map_or(1, |k| k.cost) {
            // A regex over the whole text takes far longer than reading the
            // word-list walk's hits: started among the last,
            // such a rule keeps one thread busy alone at the end of a large
            // file.
            1 if self.check.phrase_lists().iter().any(|m| m.runs_regex()) => 2,
            cost => cost,
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
            if !example.person.is_empty() {
                Names::from_raw(origin, text, example.person.clone())
                    .map_err(|(span, message)| err(Some(span), message))?;
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

    /// Make the rule read the names list `names` (see
    /// `Check::with_names`); a rule whose check reads none is left as it is.
    pub fn apply_names(&mut self, names: &Arc<Names>) {
        if let Some(check) = self.check.with_names(names) {
            self.check = Arc::from(check);
        }
    }

    /// The names list an example runs with: the built-in list with the
    /// example's `[[example.person]]` tables on top (a newsroom's list
    /// plays no part: an example says the same wherever it runs).
    pub fn example_names(&self, example: &Example) -> Result<Arc<Names>, String> {
        if example.person.is_empty() {
            return Ok(Names::builtin());
        }
        let extra = Names::from_raw(&self.origin, &self.text, example.person.clone())
            .map_err(|(_, message)| message)?;
        let mut names = (*Names::builtin()).clone();
        names.extend(&extra);
        Ok(Arc::new(names))
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
    pub fn run(&self, cx: &Context) -> Vec<Finding> {
        let mut em = Emitter::new(
            &self.id,
            self.severity,
            &self.common.message,
            self.check.variables(),
        );
        self.check.check(cx, &mut em);
        let mut findings = em.findings;
        if self.common.scope.is_some() || self.common.quotes != QuoteMode::Include {
            findings.retain(|f| self.in_scope(cx.document(), &f.span));
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

    /// The kind's parameters, in the order the kind declares them, each with
    /// its value as the rule file writes it (a TOML `key = value`, or a
    /// table), or `None` when the file leaves it to its default.
    pub fn parameters(&self) -> Vec<(&'static ParamDoc, Option<String>)> {
        let params = kinds::find(self.kind).map_or(&[][..], |k| k.params);
        let table = self.text.parse::<toml::Table>().unwrap_or_default();
        params
            .iter()
            .map(|p| {
                let value = table.get(p.key).map(|v| {
                    let mut one = toml::Table::new();
                    one.insert(p.key.to_string(), v.clone());
                    toml::to_string_pretty(&one)
                        .unwrap_or_default()
                        .trim_end()
                        .to_string()
                });
                (p, value)
            })
            .collect()
    }

    /// 1-based line of a byte offset in the rule file.
    pub fn line_of(&self, byte: usize) -> usize {
        self.text[..byte.min(self.text.len())].matches('\n').count() + 1
    }
}

fn check_template(template: &str, vars: &[&str]) -> Result<(), String> {
    if template.trim().is_empty() {
        return Err("the message is empty: say what is wrong, in a few words".into());
    }
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            return Err(format!(
                "the message opens `{{` without closing it: `{}`",
                &rest[open..]
            ));
        };
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

#[cfg(test)]
mod template_tests {
    use super::check_template;

    #[test]
    fn empty_and_unclosed_messages_are_errors() {
        assert!(check_template("", &[]).is_err());
        assert!(check_template("  ", &["match"]).is_err());
        assert!(check_template("avoid {match", &["match"]).is_err());
        assert!(check_template("avoid {match}", &["match"]).is_ok());
        assert!(check_template("avoid {other}", &["match"]).is_err());
    }
}
