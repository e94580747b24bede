//! A set of rules: the embedded default pack, a newsroom's rule folders, and
//! severity overrides from configuration.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use crate::error::LoadError;
use crate::finding::Severity;
use crate::matching::{BuildOptions, PhraseIndex};
use crate::names::Names;
use crate::rule::{Rule, RuleSettings};

include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

/// A word-list index and the ids of the rules it was built for.
type IndexFor = (Vec<String>, Arc<PhraseIndex>);

/// Rules by id, in id order (so output never depends on load order).
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    rules: BTreeMap<String, Rule>,
    /// The word lists of the rules that run, in one table, built on first
    /// use for each selection of rules (and dropped when the set changes).
    phrases: Arc<Mutex<Vec<IndexFor>>>,
    /// Whether the patterns of this set compile lean (see
    /// `BuildOptions::lean`): rule files added later build theirs the same.
    lean: bool,
    /// The names list the rules read (see `names`): the built-in list,
    /// with a newsroom's on top once a config sets one.
    names: Arc<Names>,
}

impl RuleSet {
    /// The embedded default pack, its patterns compiled in full.
    pub fn builtin() -> Result<RuleSet, Vec<LoadError>> {
        RuleSet::builtin_with(false)
    }

    /// The embedded default pack, parsed once per process for each way of
    /// compiling its patterns (`lean`: see `BuildOptions::lean`).
    pub fn builtin_with(lean: bool) -> Result<RuleSet, Vec<LoadError>> {
        static PACKS: [OnceLock<Result<RuleSet, Vec<LoadError>>>; 2] =
            [OnceLock::new(), OnceLock::new()];
        PACKS[usize::from(lean)]
            .get_or_init(|| {
                // Parsing the pack is most of the start-up work for one short
                // story, so the files are shared out over the cores.
                let threads = crate::parallel::default_threads().min(BUILTIN_RULES.len());
                let options = BuildOptions {
                    unchecked: true,
                    lean,
                };
                let parsed = crate::parallel::map_in_order(BUILTIN_RULES.len(), threads, |i| {
                    let (id, text) = BUILTIN_RULES[i];
                    let origin = format!("rules/{id}.toml");
                    crate::matching::building(options, || {
                        Rule::parse_without_examples(id, &origin, text)
                    })
                });
                // (Each kind that reads a names list starts from the
                // built-in one.)
                let mut set = RuleSet {
                    lean,
                    names: Names::builtin(),
                    ..RuleSet::default()
                };
                let mut errors = Vec::new();
                for (rule, (id, _)) in parsed.into_iter().zip(BUILTIN_RULES) {
                    match rule {
                        Ok(rule) => {
                            set.rules.insert(id.to_string(), rule);
                        }
                        Err(e) => errors.push(e),
                    }
                }
                if errors.is_empty() {
                    Ok(set)
                } else {
                    Err(errors)
                }
            })
            .clone()
    }

    /// Add every `*.toml` in `dir`; a rule with an existing id replaces it.
    pub fn load_dir(&mut self, dir: &Path) -> Result<(), Vec<LoadError>> {
        let paths = rule_files(dir).map_err(|e| {
            vec![LoadError::io(
                &crate::error::shown_path(dir),
                format!("cannot read rule folder: {e}"),
            )]
        })?;
        let options = BuildOptions {
            unchecked: false,
            lean: self.lean,
        };
        let mut errors = Vec::new();
        for path in paths {
            let shown = crate::error::shown_path(&path);
            let id = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            match std::fs::read_to_string(&path) {
                Ok(text) => {
                    match crate::matching::building(options, || Rule::parse(&id, &shown, &text)) {
                        Ok(mut rule) => {
                            rule.apply_names(&self.names);
                            self.rules.insert(id, rule);
                            self.phrases = Arc::default();
                        }
                        Err(e) => errors.push(e),
                    }
                }
                Err(e) => errors.push(LoadError::io(&shown, format!("cannot read rule file: {e}"))),
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// Make every rule read the names list `names` (the built-in list
    /// with a newsroom's on top), and rules added later too.
    pub fn set_names(&mut self, names: Names) {
        self.names = Arc::new(names);
        for rule in self.rules.values_mut() {
            rule.apply_names(&self.names);
        }
        // (The word-list index is rebuilt from the rules as they now are.)
        self.phrases = Arc::default();
    }

    /// The names list the rules read.
    pub fn names(&self) -> &Names {
        &self.names
    }

    /// Put a config file's `[rules.ID]` settings over the rule `id` (see
    /// `Rule::with_settings`); `None` when the set has no such rule.
    pub fn configure(
        &mut self,
        id: &str,
        settings: &RuleSettings,
    ) -> Option<Result<(), LoadError>> {
        let rule = self.rules.get(id)?;
        let options = BuildOptions {
            unchecked: false,
            lean: self.lean,
        };
        Some(
            crate::matching::building(options, || rule.with_settings(settings)).map(|mut rule| {
                rule.apply_names(&self.names);
                self.rules.insert(id.to_string(), rule);
                self.phrases = Arc::default();
            }),
        )
    }

    pub fn set_severity(&mut self, id: &str, severity: Severity) -> bool {
        match self.rules.get_mut(id) {
            Some(rule) => {
                // The word-list index is keyed by the rules that run, so it
                // stays valid.
                rule.severity = severity;
                true
            }
            None => false,
        }
    }

    /// The word lists of `enabled` (rules of this set), as one table.
    pub fn phrase_index(&self, enabled: &[&Rule]) -> Arc<PhraseIndex> {
        let mut cache = self.phrases.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, index)) = cache.iter().find(|(ids, _)| {
            ids.iter()
                .map(String::as_str)
                .eq(enabled.iter().map(|r| r.id.as_str()))
        }) {
            return index.clone();
        }
        let index = Arc::new(PhraseIndex::new(
            enabled.iter().flat_map(|r| r.check.phrase_lists()),
        ));
        let ids = enabled.iter().map(|r| r.id.clone()).collect();
        cache.push((ids, index.clone()));
        index
    }

    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.get(id)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Rule> {
        self.rules.values()
    }

    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.rules.keys().map(String::as_str)
    }

    pub fn len(&self) -> usize {
        self.rules.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }
}

/// The rule files of a rule folder: its `*.toml` files (not folders), in
/// name order: the files `RuleSet::load_dir` reads, and `Settings::inputs`
/// lists.
pub fn rule_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml") && p.is_file())
        .collect();
    paths.sort();
    Ok(paths)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The embedded pack is loaded without checking its patterns (see
    /// `BuildOptions::unchecked`); this is where they are checked.
    #[test]
    fn builtin_rules_are_valid() {
        let pack = RuleSet::builtin().expect("the pack loads");
        for (id, text) in BUILTIN_RULES {
            let full = match Rule::parse(id, &format!("rules/{id}.toml"), text) {
                Ok(rule) => rule,
                Err(e) => panic!("rules/{id}.toml: {}", e.message),
            };
            // The pack is loaded without its examples, which must come last
            // and read back the same.
            let after = &text[crate::rule::examples_start(text)..];
            for line in after.lines() {
                let line = line.trim_end();
                assert!(
                    !line.starts_with('[') || line == "[[example]]" || line == "[[example.person]]",
                    "rules/{id}.toml: `{line}` after the examples"
                );
            }
            let loaded = pack.get(id).expect("in the pack");
            assert!(
                !full.examples().is_empty(),
                "rules/{id}.toml has no examples"
            );
            assert_eq!(
                format!("{:?}", loaded.examples()),
                format!("{:?}", full.examples()),
                "rules/{id}.toml"
            );
        }
    }
}
