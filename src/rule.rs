//! Rule files: one TOML file per rule, the file stem is the rule id. A rule
//! is a kind's check (see `check`) with the file's common keys, loaded
//! through the kind registry (`kinds`).

use std::ops::Range;
use std::sync::Arc;

use serde::Deserialize;

use crate::check::{
    Check, Common, Context, Emitter, Example, Examples, ParamDoc, QuoteMode, check_template,
};
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
    /// Where the rule came from: its file's path, `rules/ID.toml` for a
    /// built-in rule (the path in this repository it is embedded from).
    pub origin: String,
    /// The rule file's text (for example line numbers and `copydesk rule`),
    /// with a config file's `[rules.ID]` settings merged in when it has any.
    pub text: Arc<str>,
    /// The rule file's own text, as it is on disk or embedded, without any
    /// config file's settings (`copydesk rule ID --toml`).
    pub file_text: Arc<str>,
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
            rule.file_text = rule.text.clone();
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
        let text: Arc<str> = Arc::from(text);
        Ok(Rule {
            id: id.to_string(),
            kind: spec.name,
            severity: common.severity,
            common,
            check: Arc::from(check),
            origin: origin.to_string(),
            file_text: text.clone(),
            text,
            deferred: None,
        })
    }

    /// This rule with a config file's `[rules.ID]` settings over its rule
    /// file: each key replaces the file's value, and `KEY.extend = [...]`
    /// (or `{...}` for a table) adds to it. The merged file is parsed as a
    /// rule file is, so a setting is checked exactly as the same key in a
    /// rule file would be, and an error points at the setting in the
    /// config file. `severity` is the caller's (see `RuleSet::configure`);
    /// the rule keeps its effective severity. The merged rule has no
    /// examples: the rule file's were written for its own settings.
    pub fn with_settings(&self, config: &RuleSettings) -> Result<Rule, LoadError> {
        let at = |span: Option<Range<usize>>, message: String| {
            LoadError::new(config.path, config.text, span, message)
        };
        let mut merged: toml::Table = self.text.parse().map_err(|e| {
            at(
                Some(config.at.clone()),
                format!("cannot read the rule file: {e}"),
            )
        })?;
        merged.remove("example");
        let mut origins = Vec::new();
        for (key, value) in config.values {
            if key == "severity" {
                continue;
            }
            let (key_span, value_de) = config
                .spans
                .iter()
                .find(|(k, _)| k.get_ref() == key.as_str())
                .map(|(k, v)| (k.span(), v))
                .ok_or_else(|| at(Some(config.at.clone()), format!("cannot place `{key}`")))?;
            match key.as_str() {
                "kind" => {
                    return Err(at(
                        Some(key_span),
                        format!(
                            "the kind of `{}` cannot be changed in a config file",
                            self.id
                        ),
                    )
                    .with_note(
                        "a rule of another kind is a rule file in a folder of `rule-dirs`",
                    ));
                }
                "example" => {
                    return Err(at(
                        Some(key_span),
                        "examples belong in rule files, not in a config file".into(),
                    ));
                }
                _ => {}
            }
            let extend = match (value, value_de.get_ref()) {
                (toml::Value::Table(t), toml::de::DeValue::Table(spans)) if t.len() == 1 => t
                    .get("extend")
                    .zip(spans.iter().find(|(k, _)| k.get_ref() == "extend")),
                _ => None,
            };
            let Some((added, (_, added_de))) = extend else {
                merged.insert(key.clone(), value.clone());
                origins.push((key.as_str(), key_span, Origin::Replaced(value_de)));
                continue;
            };
            let kept = match (merged.get_mut(key), added) {
                (Some(toml::Value::Array(list)), toml::Value::Array(more)) => {
                    let kept = list.len();
                    list.extend(more.iter().cloned());
                    kept
                }
                (Some(toml::Value::Table(table)), toml::Value::Table(more)) => {
                    table.extend(more.iter().map(|(k, v)| (k.clone(), v.clone())));
                    0
                }
                (None, toml::Value::Array(_) | toml::Value::Table(_)) => {
                    merged.insert(key.clone(), added.clone());
                    0
                }
                (Some(old), _) if !matches!(old, toml::Value::Array(_) | toml::Value::Table(_)) => {
                    return Err(at(
                        Some(key_span),
                        format!(
                            "`{key}.extend` adds to a list or a table, and `{key}` is {} in {}",
                            a_type(old),
                            self.origin
                        ),
                    )
                    .with_note(format!("to replace it, write `{key} = ...`")));
                }
                (Some(old), _) => {
                    return Err(at(
                        Some(added_de.span()),
                        format!(
                            "`{key}` is {} in {}, so `extend` takes {} too, not {}",
                            a_type(old),
                            self.origin,
                            a_type(old),
                            a_type(added)
                        ),
                    ));
                }
                (None, _) => {
                    return Err(at(
                        Some(added_de.span()),
                        format!("`extend` takes a list (or a table), not {}", a_type(added)),
                    ));
                }
            };
            origins.push((key.as_str(), key_span, Origin::Extended(kept, added_de)));
        }
        let text = toml::to_string(&merged).map_err(|e| {
            at(
                Some(config.at.clone()),
                format!("cannot merge the settings: {e}"),
            )
        })?;
        let origin = format!(
            "{} with [rules.{}] of {}",
            self.origin, self.id, config.path
        );
        match Rule::parse(&self.id, &origin, &text) {
            Ok(mut rule) => {
                rule.severity = self.severity;
                rule.file_text = self.file_text.clone();
                Ok(rule)
            }
            Err(e) => {
                let span = e
                    .span
                    .as_ref()
                    .and_then(|s| place(&text, s.start, &origins))
                    .unwrap_or_else(|| config.at.clone());
                let mut moved = at(Some(span), e.message);
                moved.notes = e.notes;
                Err(moved)
            }
        }
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

/// A config file's `[rules.ID]` table, for `Rule::with_settings`.
pub struct RuleSettings<'c> {
    /// The config file, as messages name it.
    pub path: &'c str,
    pub text: &'c str,
    /// The rule id's key in the config file, for errors about the table as
    /// a whole.
    pub at: Range<usize>,
    /// The settings.
    pub values: &'c toml::Table,
    /// The same table as parsed with its spans in `text`.
    pub spans: &'c toml::de::DeTable<'c>,
}

/// Where a key of a merged rule file comes from in the config file.
enum Origin<'c> {
    /// The config's value replaced the rule file's.
    Replaced(&'c toml::Spanned<toml::de::DeValue<'c>>),
    /// The config's `extend` value was added to the rule file's, after its
    /// first `usize` items (for a list).
    Extended(usize, &'c toml::Spanned<toml::de::DeValue<'c>>),
}

/// The span in the config file of what sits at `offset` of the merged rule
/// file `merged`: the setting itself, or the item of its list or table;
/// `None` when the rule file, not the config, wrote it.
fn place(
    merged: &str,
    offset: usize,
    origins: &[(&str, Range<usize>, Origin)],
) -> Option<Range<usize>> {
    let doc = toml::de::DeTable::parse(merged).ok()?;
    // The key written last before `offset` (a `[table]` header's span is
    // the header alone, not the entries under it).
    let (key, value) = doc
        .get_ref()
        .iter()
        .filter(|(k, _)| k.span().start <= offset)
        .max_by_key(|(k, _)| k.span().start)?;
    let (_, key_span, origin) = origins.iter().find(|(k, _, _)| *k == &**key.get_ref())?;
    if holds(&key.span(), offset) {
        return Some(key_span.clone());
    }
    Some(match origin {
        Origin::Replaced(config) => within(value, config, offset),
        Origin::Extended(kept, config) => match (value.get_ref(), config.get_ref()) {
            (toml::de::DeValue::Array(items), toml::de::DeValue::Array(added)) => items
                .iter()
                .position(|item| holds(&item.span(), offset))
                .and_then(|i| i.checked_sub(*kept))
                .and_then(|i| Some(within(&items[i + kept], added.get(i)?, offset)))
                .unwrap_or_else(|| key_span.clone()),
            (toml::de::DeValue::Table(_), _) => within(value, config, offset),
            _ => key_span.clone(),
        },
    })
}

/// The part of `config` (a value) that matches what sits at `offset` of
/// `merged` (the same value, or a table holding its entries), going down
/// through lists of the same length and tables by key.
fn within(
    merged: &toml::Spanned<toml::de::DeValue>,
    config: &toml::Spanned<toml::de::DeValue>,
    offset: usize,
) -> Range<usize> {
    use toml::de::DeValue;
    match (merged.get_ref(), config.get_ref()) {
        (DeValue::Array(m), DeValue::Array(c)) if m.len() == c.len() => {
            match m.iter().position(|item| holds(&item.span(), offset)) {
                Some(i) => within(&m[i], &c[i], offset),
                None => config.span(),
            }
        }
        (DeValue::Table(m), DeValue::Table(c)) => {
            let found = m
                .iter()
                .find(|(k, v)| holds(&k.span(), offset) || holds(&v.span(), offset));
            let Some((mk, mv)) = found else {
                return config.span();
            };
            match c.iter().find(|(ck, _)| ck.get_ref() == mk.get_ref()) {
                Some((ck, _)) if holds(&mk.span(), offset) => ck.span(),
                Some((_, cv)) => within(mv, cv, offset),
                None => config.span(),
            }
        }
        _ => config.span(),
    }
}

fn holds(span: &Range<usize>, offset: usize) -> bool {
    span.start <= offset && offset < span.end.max(span.start + 1)
}

/// A TOML value's type, with its article, for messages.
fn a_type(value: &toml::Value) -> &'static str {
    match value {
        toml::Value::String(_) => "a string",
        toml::Value::Integer(_) => "a whole number",
        toml::Value::Float(_) => "a number",
        toml::Value::Boolean(_) => "true or false",
        toml::Value::Datetime(_) => "a date",
        toml::Value::Array(_) => "a list",
        toml::Value::Table(_) => "a table",
    }
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

#[cfg(test)]
mod settings_tests {
    use super::{Rule, RuleSettings};
    use crate::document::{Document, Options};
    use crate::error::LoadError;

    /// `rule` with the `[rules.ID]` table of the config `config`.
    fn set(rule: &Rule, config: &str) -> Result<Rule, LoadError> {
        let values: toml::Table = config.parse().expect("the config parses");
        let toml::Value::Table(values) = &values["rules"][&rule.id] else {
            panic!("no [rules.{}]", rule.id)
        };
        let doc = toml::de::DeTable::parse(config).unwrap();
        let rules = doc.get_ref().iter().find(|(k, _)| k.get_ref() == "rules");
        let toml::de::DeValue::Table(rules) = rules.unwrap().1.get_ref() else {
            panic!("[rules] is a table")
        };
        let (key, spans) = rules
            .iter()
            .find(|(k, _)| k.get_ref() == rule.id.as_str())
            .unwrap();
        let toml::de::DeValue::Table(spans) = spans.get_ref() else {
            panic!("[rules.{}] is a table", rule.id)
        };
        rule.with_settings(&RuleSettings {
            path: "copydesk.toml",
            text: config,
            at: key.span(),
            values,
            spans,
        })
    }

    fn shipped(id: &str) -> Rule {
        let text = crate::testing::shipped_rule(id);
        Rule::parse(id, &format!("rules/{id}.toml"), text).expect("parses")
    }

    fn matches(rule: &Rule, text: &str) -> Vec<String> {
        let doc = Document::new(text, "t.txt", &Options::default());
        rule.run(&crate::check::Context::new(&doc, &Default::default()))
            .into_iter()
            .map(|f| text[f.span].to_string())
            .collect()
    }

    #[test]
    fn a_table_is_extended_and_a_nearer_config_extends_a_farther_one() {
        let places = shipped("place-names");
        let story = "Flights from Kiev and Bombay resumed; Ruritania's rail did not.";
        assert_eq!(matches(&places, story), ["Kiev", "Bombay"]);
        let farther = set(
            &places,
            "[rules.place-names]\nswap.extend = { \"Ruritania\" = \"Ruritanya\" }\n",
        )
        .unwrap();
        assert_eq!(matches(&farther, story), ["Kiev", "Bombay", "Ruritania"]);
        let nearer = set(
            &farther,
            "[rules.place-names]\nexceptions.extend = [\"Kiev and Bombay\"]\n",
        )
        .unwrap();
        assert_eq!(matches(&nearer, story), ["Ruritania"]);
        assert!(nearer.examples().is_empty());
        assert_eq!(nearer.file_text, places.file_text);
    }

    #[test]
    fn an_error_in_an_added_entry_points_at_it_in_the_config() {
        let config = "[rules.place-names]\nswap.extend = { \"Ruritania\" = 3 }\n";
        let e = set(&shipped("place-names"), config).unwrap_err();
        assert_eq!(e.path, "copydesk.toml");
        let span = e.span.clone().unwrap();
        assert_eq!(&config[span], "\"Ruritania\"", "{}", e.message);
        assert!(e.message.contains("preferred form"), "{}", e.message);
    }

    #[test]
    fn a_replaced_list_drops_the_rule_files_items() {
        let cliche = shipped("cliche");
        let story = "At the end of the day, it was a game changer.";
        let replaced = set(&cliche, "[rules.cliche]\ntokens = [\"game changer\"]\n").unwrap();
        assert_eq!(matches(&replaced, story), ["game changer"]);
    }
}
