//! What a check kind is made of: the `Check` trait a kind implements, the
//! `Context` it reads a document through, the `Emitter` it reports into, the
//! keys every rule file has (`rule_file!`, which also collects the doc
//! comments on a kind's parameters, see `params`), and the `KindSpec` a
//! kind is registered with.
//!
//! This layer sits between matching (below) and the kinds (above): it names
//! no kind and no rule set. A kind reads a document only through
//! [`Context`], and that interface is all a kind author needs to know:
//!
//! - the document model, which `Context` dereferences to: blocks, sentences
//!   and their words (`words_of`), quotations, links, and a word's key
//!   (`word_key`) for a kind's own tables;
//! - where a word list or pattern list (`matching::PhraseMatcher`) matches:
//!   [`Context::find_all`] in any range, as often as the kind likes (each
//!   paragraph, each sentence), [`Context::is_match`], and
//!   [`Context::find_in_prose`] for the usable matches of the whole prose
//!   (inside one block, over no hole, see [`Context::in_prose`]);
//! - a regular expression's matches with their groups,
//!   [`Context::for_each_capture`].
//!
//! How a match is found is the context's business, not the kind's: the word
//! lists of every rule are matched in one walk of the document, a pattern
//! list searched part by part is screened once for where it can match at
//! all, and regexes are prefiltered on a lower-cased copy. A kind builds its
//! lists and asks; it keeps no screens, packed keys or lower-cased copies.
//!
//! Rule files are parsed strictly. Every kind deserialises the whole file
//! into its own struct (common keys plus its parameters, see `rule_file!`)
//! with `deny_unknown_fields`, so a misspelt key is an error with a position,
//! never a parameter silently ignored (`#[serde(flatten)]` would switch
//! `deny_unknown_fields` off).

use std::ops::Range;
use std::sync::Arc;

use serde::Deserialize;

use crate::document::{BlockKind, Document};
use crate::finding::{Finding, Severity};
use crate::matching::{Captures, LazyRegex, ListError, LiteralScreens, PhraseHits, PhraseMatcher};

mod params;

use crate::names::{Names, RawPerson};
pub use params::{ParamDoc, ParamType, kebab, one_of, type_of};

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
    pub fn matches(self, kind: BlockKind) -> bool {
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
    /// People on the names list while the example runs, on top of the
    /// built-in list: `[[example.person]]` tables, written as a names
    /// file's `[[person]]` tables are (see `names`).
    #[serde(default)]
    pub person: Vec<toml::Spanned<RawPerson>>,
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
///
/// Each parameter field carries a doc comment saying what it does, what it
/// takes and its default: the macro collects the comments, with each
/// field's key and the values its type takes, into `File::PARAMS` (see
/// [`ParamDoc`]) for the kind's `KindSpec`. That comment is the one place
/// a parameter is described.
#[macro_export]
macro_rules! rule_file {
    ($name:ident { $( $(#[$($fattr:tt)*])* $field:ident : $ty:ty ),* $(,)? }) => {
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
            scope: Option<Vec<$crate::check::ScopeName>>,
            #[serde(default)]
            quotes: $crate::check::QuoteMode,
            #[serde(default, rename = "example")]
            examples: Vec<toml::Spanned<$crate::check::Example>>,
            $( $(#[$($fattr)*])* $field : $ty, )*
        }

        impl $name {
            /// The kind's parameters, in the order the fields declare them.
            const PARAMS: &'static [$crate::check::ParamDoc] = &[$(
                $crate::check::ParamDoc {
                    key: {
                        const FIELD: &str = stringify!($field);
                        const KEY: [u8; FIELD.len()] = $crate::check::kebab(FIELD);
                        match std::str::from_utf8(&KEY) {
                            Ok(key) => key,
                            Err(_) => panic!("a field name is ASCII"),
                        }
                    },
                    raw_doc: $crate::__rule_file_doc!($([$($fattr)*])*),
                    value_type: $crate::check::type_of::<$ty>,
                    required: !$crate::__rule_file_has_default!($([$($fattr)*])*)
                        && !<$ty as $crate::check::ParamType>::OPTIONAL,
                },
            )*];

            fn parse(text: &str) -> Result<($crate::check::Common, $name), toml::de::Error> {
                let mut file: $name = toml::from_str(text)?;
                let common = $crate::check::Common {
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
    rule_id: &'r str,
    severity: Severity,
    message: &'r str,
    /// The variables the kind declares (`Check::variables`): every `emit`
    /// gives each of them a value.
    variables: &'r [&'static str],
    /// The rule id, shared by every finding of this run (made at the first
    /// finding: most runs on a story have none, and this is one allocation
    /// per rule per file).
    id: Option<Arc<str>>,
    pub findings: Vec<Finding>,
}

impl<'r> Emitter<'r> {
    /// An emitter for the rule `rule_id`, whose findings have `severity`
    /// and a message made from the template `message`, which may use the
    /// kind's `variables`.
    pub fn new(
        rule_id: &'r str,
        severity: Severity,
        message: &'r str,
        variables: &'r [&'static str],
    ) -> Emitter<'r> {
        Emitter {
            rule_id,
            severity,
            message,
            variables,
            id: None,
            findings: Vec::new(),
        }
    }

    /// Report `span`, filling the rule's message template with `vars`
    /// (`{name}` is replaced by the value of `name`).
    pub fn emit(&mut self, span: Range<usize>, vars: &[(&str, &str)]) -> &mut Finding {
        self.emit_as(self.message, span, vars)
    }

    /// Report `span` with a message made from `template`, a second message
    /// of the kind's own (a parameter checked when the rule loads), filled
    /// with `vars` as `emit` fills the rule's message.
    pub fn emit_as(
        &mut self,
        template: &str,
        span: Range<usize>,
        vars: &[(&str, &str)],
    ) -> &mut Finding {
        debug_assert!(
            self.variables
                .iter()
                .all(|v| vars.iter().any(|(k, _)| k == v)),
            "{}: emit gave {:?}, the kind declares {:?}",
            self.rule_id,
            vars.iter().map(|(k, _)| k).collect::<Vec<_>>(),
            self.variables
        );
        let message = fill_template(template, vars);
        // One rule can have a hundred thousand findings on a large file.
        crate::memory::push(
            &mut self.findings,
            Finding::new(
                Arc::clone(self.id.get_or_insert_with(|| Arc::from(self.rule_id))),
                self.severity,
                span,
                message,
            ),
        );
        self.findings.last_mut().expect("just pushed")
    }
}

/// Is `template` a usable message: not empty, its braces closed, and
/// naming only the variables `vars`? The reason when it is not.
pub fn check_template(template: &str, vars: &[&str]) -> Result<(), String> {
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
    /// Report what the rule finds in the document of `doc`.
    fn check(&self, doc: &Context, out: &mut Emitter);
    /// Whether this rule can produce fixes.
    fn fixable(&self) -> bool {
        false
    }
    /// Template variables the message may use (checked at load time).
    fn variables(&self) -> &'static [&'static str];
    /// The word lists this check searches the whole prose with, to be
    /// matched together with every other rule's in one walk per document.
    fn phrase_lists(&self) -> Vec<&PhraseMatcher> {
        Vec::new()
    }
    /// This check reading the names list `names` (the built-in list with
    /// the newsroom's on top) in place of the one it has; `None` for a
    /// check that reads no names list.
    fn with_names(&self, _names: &Arc<Names>) -> Option<Box<dyn Check>> {
        None
    }
}

/// A rule's examples, each with its span in the rule file.
pub type Examples = Vec<(Example, Range<usize>)>;

/// What a check sees of one document: the document itself (`Deref`), and
/// the matches of its word lists, found for every rule in one walk.
pub struct Context<'c, 'd> {
    doc: &'c Document<'d>,
    hits: &'c PhraseHits,
    /// Where each pattern list searched part by part can match at all,
    /// found on first use.
    screens: LiteralScreens,
}

impl<'c, 'd> Context<'c, 'd> {
    /// A context whose word lists were matched in `hits` (an empty
    /// `PhraseHits` makes each list search for itself).
    pub fn new(doc: &'c Document<'d>, hits: &'c PhraseHits) -> Context<'c, 'd> {
        Context {
            doc,
            hits,
            screens: LiteralScreens::default(),
        }
    }

    pub fn document(&self) -> &'c Document<'d> {
        self.doc
    }

    /// Every match of `list` inside `range` of the prose, in order of
    /// position. Ask for each paragraph in turn as freely as for the whole
    /// prose: a list of patterns is first screened, once per document, for
    /// where it can match at all, and a paragraph where it cannot is
    /// answered without a search.
    pub fn find_all(&self, list: &PhraseMatcher, range: Range<usize>) -> Vec<Range<usize>> {
        if self.screens.rule_out(list, self.doc, &range) {
            return Vec::new();
        }
        list.find_all(self.doc, self.hits, range)
    }

    /// Does `list` match anywhere inside `range`?
    pub fn is_match(&self, list: &PhraseMatcher, range: Range<usize>) -> bool {
        !self.screens.rule_out(list, self.doc, &range) && list.is_match(self.doc, self.hits, range)
    }
}

impl Context<'_, '_> {
    /// Is `r` a usable match in prose: inside one block, and over no hole
    /// (text that is not prose, such as code or a URL, blanked out)?
    pub fn in_prose(&self, r: &Range<usize>) -> bool {
        !self.doc.prose.as_bytes()[r.clone()].contains(&crate::document::HOLE)
            && self
                .doc
                .block_at(r.start)
                .is_some_and(|b| r.end <= b.span.end)
    }

    /// Every match of `list` in the whole prose that is usable
    /// ([`Context::in_prose`]), in order of position.
    pub fn find_in_prose(&self, list: &PhraseMatcher) -> Vec<Range<usize>> {
        let mut found = self.find_all(list, 0..self.doc.prose.len());
        found.retain(|r| self.in_prose(r));
        found
    }

    /// Call `f` with each non-empty, usable match of a regular expression
    /// over the prose and its capture groups, in order of position.
    pub fn for_each_capture(&self, re: &LazyRegex, mut f: impl FnMut(Range<usize>, &Captures)) {
        let prose: &str = &self.doc.prose;
        if !re.may_match_in(self.doc) {
            return;
        }
        for caps in re.for_text(prose).captures_iter(prose) {
            let Some(m) = caps.get_match() else { continue };
            let r = m.range();
            if !r.is_empty() && self.in_prose(&r) {
                f(r, &caps);
            }
        }
    }
}

impl<'d> std::ops::Deref for Context<'_, 'd> {
    type Target = Document<'d>;

    fn deref(&self) -> &Document<'d> {
        self.doc
    }
}

/// A parsed rule file: the common keys and the kind's compiled check.
pub type Parsed = (Common, Box<dyn Check>);

/// A kind that rule files can name with `kind = "..."`.
pub struct KindSpec {
    pub name: &'static str,
    /// One line for `copydesk rules` and error messages.
    pub summary: &'static str,
    /// The parameters its rule files set (`File::PARAMS` of its
    /// `rule_file!`).
    pub params: &'static [ParamDoc],
    /// Parse a whole rule file of this kind.
    pub parse: fn(&str) -> Result<Parsed, KindError>,
    /// A rough relative cost on a large document (1 cheap, 3 costly), to
    /// start the costly rules first when rules share the cores.
    pub cost: u32,
}

pub enum KindError {
    Toml(toml::de::Error),
    /// A problem found after parsing (a bad regex), at a byte span of the file.
    At(Range<usize>, String),
}

impl From<toml::de::Error> for KindError {
    fn from(e: toml::de::Error) -> Self {
        KindError::Toml(e)
    }
}

/// Check a `similarity` parameter (between 0.5 and 1.0), pointing at it
/// in the rule file when it is out of range.
pub fn check_similarity(text: &str, value: f64) -> Result<(), KindError> {
    if (0.5..=1.0).contains(&value) {
        return Ok(());
    }
    let span = find_key_span(text, "similarity").unwrap_or(0..0);
    Err(KindError::At(
        span,
        "`similarity` must be between 0.5 and 1.0".into(),
    ))
}

impl From<ListError> for KindError {
    fn from(e: ListError) -> Self {
        KindError::At(e.span, e.message)
    }
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

/// Byte span of the key `key` inside the top-level table `table` (`[swap]`
/// or `swap = { ... }`), however it is spelled (bare, quoted or escaped),
/// for errors about one entry.
pub fn find_entry_span(text: &str, table: &str, key: &str) -> Option<Range<usize>> {
    let doc = toml::de::DeTable::parse(text).ok()?;
    let (_, value) = doc.get_ref().iter().find(|(k, _)| k.get_ref() == table)?;
    let toml::de::DeValue::Table(entries) = value.get_ref() else {
        return None;
    };
    entries
        .iter()
        .find(|(k, _)| k.get_ref() == key)
        .map(|(k, _)| k.span())
}
