//! `copydesk.toml` / `.copydesk.toml`: found in the checked file's folder or
//! its parents; the nearest applies, alone (`extend = "PATH"` inherits).
//!
//! ```toml
//! extend = "../copydesk.toml"
//! rule-dirs = ["style"]          # the newsroom's own rules; same id replaces a built-in
//! names = "names.toml"           # the newsroom's names list (see `names`)
//! include = ["stories/**"]
//! exclude = ["archive/**"]
//!
//! [rules]
//! unsourced-figure = "off"
//! cliche = "error"
//!
//! [rules.name-form]                     # parameters over the rule's file
//! severity = "error"
//! policy = "honorific"                  # replaces the file's value
//! honorifics.extend = ["Dame"]          # adds to the file's list
//! ```
//!
//! A rule's parameters are merged into its rule file (the built-in one, or a
//! rule folder's with the same id) and the result is read as a rule file is
//! (`Rule::with_settings`), so a parameter is checked the same wherever it
//! is set, and an error points at the config file.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use toml::Spanned;

use crate::error::{LoadError, did_you_mean};
use crate::finding::Severity;
use crate::names::Names;
use crate::rule::RuleSettings;
use crate::ruleset::RuleSet;

pub const CONFIG_NAMES: &[&str] = &["copydesk.toml", ".copydesk.toml"];

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    extend: Option<Spanned<String>>,
    #[serde(default)]
    rule_dirs: Vec<Spanned<String>>,
    names: Option<Spanned<String>>,
    #[serde(default)]
    include: Vec<Spanned<String>>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    #[serde(default)]
    rules: toml::map::Map<String, toml::Value>,
}

/// A resolved configuration: the rules to run and which files to check.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The config file, if any.
    pub path: Option<PathBuf>,
    /// Folder that globs are relative to.
    pub root: PathBuf,
    pub rules: RuleSet,
    include: Option<GlobSet>,
    exclude: Option<GlobSet>,
}

impl Settings {
    /// Built-in rules only, their patterns compiled lean or not (see
    /// `BuildOptions::lean`).
    pub fn builtin(lean: bool) -> Result<Settings, Vec<LoadError>> {
        Ok(Settings {
            path: None,
            root: PathBuf::from("."),
            rules: RuleSet::builtin_with(lean)?,
            include: None,
            exclude: None,
        })
    }

    /// Load a config file (and whatever it extends), its patterns compiled
    /// lean or not (see `BuildOptions::lean`).
    pub fn load(path: &Path, lean: bool) -> Result<Settings, Vec<LoadError>> {
        let mut layers = Vec::new();
        // The files read so far, as the file system names them (so that
        // `../a/copydesk.toml` and `copydesk.toml` are one file).
        let mut seen: Vec<PathBuf> = Vec::new();
        let mut next = Some(path.to_path_buf());
        while let Some(p) = next.take() {
            let shown = crate::error::shown_path(&p);
            let text = std::fs::read_to_string(&p)
                .map_err(|e| vec![LoadError::io(&shown, format!("cannot read config: {e}"))])?;
            let raw: RawConfig = toml::from_str(&text)
                .map_err(|e| vec![crate::error::from_toml(&shown, &text, &e)])?;
            seen.push(std::fs::canonicalize(&p).unwrap_or_else(|_| p.clone()));
            if let Some(ext) = &raw.extend {
                let base = p.parent().unwrap_or(Path::new("."));
                let target = base.join(ext.get_ref());
                if !target.is_file() {
                    return Err(vec![LoadError::new(
                        &shown,
                        &text,
                        Some(ext.span()),
                        format!("`extend` names `{}`, which is not a file", target.display()),
                    )]);
                }
                let canonical = std::fs::canonicalize(&target).unwrap_or_else(|_| target.clone());
                if let Some(first) = seen.iter().position(|q| *q == canonical) {
                    // From the file the loop returns to, by the paths they
                    // were reached by, back to that file.
                    let mut chain: Vec<String> = layers[first..]
                        .iter()
                        .map(|(q, _, _): &(PathBuf, String, RawConfig)| crate::error::shown_path(q))
                        .chain([shown.clone()])
                        .collect();
                    chain.push(chain[0].clone());
                    return Err(vec![LoadError::new(
                        &shown,
                        &text,
                        Some(ext.span()),
                        format!("`extend` makes a loop: {}", chain.join(" extends ")),
                    )]);
                }
                next = Some(target);
            }
            layers.push((p, text, raw));
        }

        let mut rules = RuleSet::builtin_with(lean)?;
        let root = path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        let mut include = GlobSetBuilder::new();
        let mut exclude = GlobSetBuilder::new();
        let (mut any_include, mut any_exclude) = (false, false);
        let mut errors = Vec::new();
        // Base first, so that the nearer file wins.
        for (p, text, raw) in layers.iter().rev() {
            let shown = crate::error::shown_path(p);
            let base = p.parent().unwrap_or(Path::new("."));
            for dir in &raw.rule_dirs {
                let d = base.join(dir.get_ref());
                if !d.is_dir() {
                    errors.push(LoadError::new(
                        &shown,
                        text,
                        Some(dir.span()),
                        format!("rule folder `{}` does not exist", d.display()),
                    ));
                    continue;
                }
                if let Err(e) = rules.load_dir(&d) {
                    errors.extend(e);
                }
            }
            for (globs, builder, any) in [
                (&raw.include, &mut include, &mut any_include),
                (&raw.exclude, &mut exclude, &mut any_exclude),
            ] {
                for g in globs {
                    match Glob::new(g.get_ref()) {
                        Ok(glob) => {
                            builder.add(glob);
                            *any = true;
                        }
                        Err(e) => errors.push(LoadError::new(
                            &shown,
                            text,
                            Some(g.span()),
                            format!("invalid glob: {}", e.kind()),
                        )),
                    }
                }
            }
        }
        // The names lists, after the rule folders (a newsroom's own
        // name-form reads them too): the built-in list, then each config's
        // file from the farthest to the nearest, a nearer entry replacing
        // a farther one for the same person.
        let mut names: Option<Names> = None;
        for (p, text, raw) in layers.iter().rev() {
            let Some(file) = &raw.names else { continue };
            let target = p.parent().unwrap_or(Path::new(".")).join(file.get_ref());
            let shown = crate::error::shown_path(&target);
            let list = match std::fs::read_to_string(&target) {
                Ok(list_text) => Names::parse(&shown, &list_text),
                Err(e) => Err(LoadError::new(
                    &crate::error::shown_path(p),
                    text,
                    Some(file.span()),
                    format!("cannot read the names file `{shown}`: {}", io_reason(&e)),
                )),
            };
            match list {
                Ok(list) => names
                    .get_or_insert_with(|| (*Names::builtin()).clone())
                    .extend(&list),
                Err(e) => errors.push(e),
            }
        }
        if let Some(names) = names {
            rules.set_names(names);
        }
        // Rule settings after all rule folders are in, so a newsroom's own
        // rule ids are known, and after the names list, which a rule with
        // new settings reads too; base first, so a nearer file's settings
        // go over a farther one's.
        for (p, text, raw) in layers.iter().rev() {
            let shown = crate::error::shown_path(p);
            let doc = toml::de::DeTable::parse(text).ok();
            let rules_table = doc.as_ref().and_then(|d| {
                d.get_ref()
                    .iter()
                    .find(|(k, _)| k.get_ref() == "rules")
                    .and_then(|(_, v)| match v.get_ref() {
                        toml::de::DeValue::Table(t) => Some(t),
                        _ => None,
                    })
            });
            // This file's errors, in the order they are written.
            let mut layer_errors = Vec::new();
            for (id, value) in &raw.rules {
                let Some((key, value_de)) =
                    rules_table.and_then(|t| t.iter().find(|(k, _)| k.get_ref() == id.as_str()))
                else {
                    continue;
                };
                let error = |span: std::ops::Range<usize>, message: String| {
                    LoadError::new(&shown, text, Some(span), message)
                };
                if rules.get(id).is_none() {
                    let mut e = error(key.span(), format!("unknown rule id `{id}`"));
                    if let Some(s) = did_you_mean(id, rules.ids()) {
                        e = e.with_note(format!("did you mean `{s}`?"));
                    }
                    layer_errors.push(e.with_note("`copydesk rules` lists every rule id"));
                    continue;
                }
                let severity = match (value, value_de.get_ref()) {
                    (toml::Value::Table(table), toml::de::DeValue::Table(spans)) => {
                        if table.keys().any(|k| k != "severity") {
                            let settings = RuleSettings {
                                path: &shown,
                                text,
                                at: key.span(),
                                values: table,
                                spans,
                            };
                            if let Some(Err(e)) = rules.configure(id, &settings) {
                                layer_errors.push(e);
                                continue;
                            }
                        }
                        table.get("severity").zip(
                            spans
                                .iter()
                                .find(|(k, _)| k.get_ref() == "severity")
                                .map(|(_, v)| v.span()),
                        )
                    }
                    _ => Some((value, value_de.span())),
                };
                let Some((value, span)) = severity else {
                    continue;
                };
                let in_table = value_de.span() != span;
                match value.as_str().and_then(Severity::parse) {
                    Some(sev) => {
                        rules.set_severity(id, sev);
                    }
                    None => {
                        let e = error(
                            span,
                            format!(
                                "rule `{id}`: expected \"error\", \"warning\", \"note\" or \"off\", found {value}"
                            ),
                        );
                        layer_errors.push(if in_table || value.is_str() {
                            e
                        } else {
                            e.with_note(format!(
                                "a rule's parameters go in a table: `[rules.{id}]`, with `severity = ...` beside them (`copydesk rule {id}` lists them)"
                            ))
                        });
                    }
                }
            }
            layer_errors.sort_by_key(|e: &LoadError| e.span.as_ref().map(|s| s.start));
            errors.append(&mut layer_errors);
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Settings {
            path: Some(path.to_path_buf()),
            root,
            rules,
            include: any_include.then(|| include.build().ok()).flatten(),
            exclude: any_exclude.then(|| exclude.build().ok()).flatten(),
        })
    }

    /// Every file and folder `Settings::load(path)` reads, so that a change
    /// to any of them can be noticed: the config, the files it extends
    /// (followed as `load` follows them, up to a loop or a file that does
    /// not read or parse), and each one's names file, rule folders and the
    /// rule files in them. A path that is missing is listed too (its
    /// appearing is a change). The settings need not load: a names file or
    /// rule file with an error is listed like any other, so mending it is a
    /// change too.
    pub fn inputs(path: &Path) -> Vec<PathBuf> {
        fn add(inputs: &mut Vec<PathBuf>, p: PathBuf) {
            if !inputs.contains(&p) {
                inputs.push(p);
            }
        }
        let mut inputs = Vec::new();
        // As in `load`: the files read so far, as the file system names them.
        let mut seen: Vec<PathBuf> = Vec::new();
        let mut next = Some(path.to_path_buf());
        while let Some(p) = next.take() {
            let canonical = std::fs::canonicalize(&p).unwrap_or_else(|_| p.clone());
            if seen.contains(&canonical) {
                break;
            }
            seen.push(canonical);
            add(&mut inputs, p.clone());
            let Ok(text) = std::fs::read_to_string(&p) else {
                break;
            };
            let Ok(raw) = toml::from_str::<RawConfig>(&text) else {
                break;
            };
            let base = p.parent().unwrap_or(Path::new("."));
            if let Some(file) = &raw.names {
                add(&mut inputs, base.join(file.get_ref()));
            }
            for dir in &raw.rule_dirs {
                let d = base.join(dir.get_ref());
                add(&mut inputs, d.clone());
                for file in crate::ruleset::rule_files(&d).unwrap_or_default() {
                    add(&mut inputs, file);
                }
            }
            next = raw.extend.map(|ext| base.join(ext.get_ref()));
        }
        inputs
    }

    /// Whether the config's include/exclude globs let this file be checked.
    /// They apply to files named on the command line too (pre-commit names
    /// them).
    pub fn wants(&self, path: &Path) -> bool {
        if self.include.is_none() && self.exclude.is_none() {
            return true;
        }
        let rel = relative_to(path, &self.root);
        if let Some(ex) = &self.exclude
            && ex.is_match(&rel)
        {
            return false;
        }
        match &self.include {
            Some(inc) => inc.is_match(&rel),
            None => true,
        }
    }
}

/// Why a file could not be read, in a few words.
fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::IsADirectory => "it is a folder".into(),
        _ => e.to_string(),
    }
}

fn relative_to(path: &Path, root: &Path) -> PathBuf {
    let abs = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let (p, r) = (abs(path), abs(root));
    p.strip_prefix(&r).map(Path::to_path_buf).unwrap_or(p)
}

/// Where the settings come from.
#[derive(Debug, Clone)]
pub enum ConfigChoice {
    /// Discover the nearest config file for each checked file.
    Discover,
    /// `--config FILE`.
    File(PathBuf),
    /// `--no-config`.
    None,
}

/// Settings, or the errors that stopped them loading.
pub type Loaded = Result<Arc<Settings>, Vec<LoadError>>;

/// Finds and caches settings per folder.
pub struct Resolver {
    choice: ConfigChoice,
    /// The working folder, read once: `std::path::absolute` asks the kernel
    /// for it at every call, three times a file on a tree of stories.
    cwd: Option<PathBuf>,
    by_dir: Mutex<HashMap<PathBuf, Loaded>>,
    /// Loaded config files: many folders share one, and it is loaded once.
    by_file: Mutex<HashMap<PathBuf, Loaded>>,
    fixed: Mutex<Option<Loaded>>,
    /// Compile the patterns of the rule sets it loads lean.
    lean: bool,
}

impl Resolver {
    pub fn new(choice: ConfigChoice) -> Resolver {
        Resolver {
            choice,
            cwd: std::env::current_dir().ok(),
            by_dir: Mutex::new(HashMap::new()),
            by_file: Mutex::new(HashMap::new()),
            fixed: Mutex::new(None),
            lean: false,
        }
    }

    /// Compile the patterns of the rule sets it loads lean (see
    /// `BuildOptions::lean`): for a run over little text.
    pub fn lean(mut self, lean: bool) -> Resolver {
        self.lean = lean;
        self
    }

    /// Settings for a file (or for stdin, with `None`: the current folder).
    pub fn for_path(&self, path: Option<&Path>) -> Result<Arc<Settings>, Vec<LoadError>> {
        match &self.choice {
            ConfigChoice::None => self.fixed(|| Settings::builtin(self.lean)),
            ConfigChoice::File(f) => {
                let f = f.clone();
                self.fixed(move || Settings::load(&f, self.lean))
            }
            ConfigChoice::Discover => {
                let dir = match path {
                    Some(p) => p.parent().map(Path::to_path_buf).unwrap_or_default(),
                    None => PathBuf::new(),
                };
                let dir = if dir.as_os_str().is_empty() {
                    PathBuf::from(".")
                } else {
                    dir
                };
                let abs = match &self.cwd {
                    Some(cwd) if dir.is_relative() => std::path::absolute(cwd.join(&dir)),
                    _ => std::path::absolute(&dir),
                }
                .unwrap_or(dir);
                if let Some(found) = self.by_dir.lock().unwrap().get(&abs) {
                    return found.clone();
                }
                let result = match find_config(&abs) {
                    Some(cfg) => self.load_file(cfg),
                    None => Settings::builtin(self.lean).map(Arc::new),
                };
                self.by_dir.lock().unwrap().insert(abs, result.clone());
                result
            }
        }
    }

    fn load_file(&self, cfg: PathBuf) -> Loaded {
        if let Some(found) = self.by_file.lock().unwrap().get(&cfg) {
            return found.clone();
        }
        let result = Settings::load(&cfg, self.lean).map(Arc::new);
        self.by_file.lock().unwrap().insert(cfg, result.clone());
        result
    }

    fn fixed(
        &self,
        load: impl FnOnce() -> Result<Settings, Vec<LoadError>>,
    ) -> Result<Arc<Settings>, Vec<LoadError>> {
        let mut guard = self.fixed.lock().unwrap();
        guard.get_or_insert_with(|| load().map(Arc::new)).clone()
    }
}

/// The nearest config file in `dir` or its parents.
pub fn find_config(dir: &Path) -> Option<PathBuf> {
    let mut cur = Some(dir);
    while let Some(d) = cur {
        for name in CONFIG_NAMES {
            let p = d.join(name);
            if p.is_file() {
                return Some(p);
            }
        }
        cur = d.parent();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn inputs_follow_the_extends_chain_with_names_and_rule_folders() {
        let dir = tempfile::tempdir().unwrap();
        let top = dir.path();
        let desk = top.join("desk");
        write(
            &desk.join("copydesk.toml"),
            "extend = \"../base.toml\"\nnames = \"people.toml\"\nrule-dirs = [\"own\"]\n",
        );
        write(&desk.join("people.toml"), "");
        write(&desk.join("own/b.toml"), "");
        write(&desk.join("own/a.toml"), "");
        write(&desk.join("own/notes.txt"), "");
        std::fs::create_dir_all(desk.join("own/old.toml")).unwrap();
        write(
            &top.join("base.toml"),
            "names = \"style/names.toml\"\nrule-dirs = [\"style/rules\"]\n",
        );
        write(&top.join("style/names.toml"), "");
        write(&top.join("style/rules/house.toml"), "");
        let base = desk.join("../base.toml");
        let up = desk.join("..");
        assert_eq!(
            Settings::inputs(&desk.join("copydesk.toml")),
            [
                desk.join("copydesk.toml"),
                desk.join("people.toml"),
                desk.join("own"),
                desk.join("own/a.toml"),
                desk.join("own/b.toml"),
                base,
                up.join("style/names.toml"),
                up.join("style/rules"),
                up.join("style/rules/house.toml"),
            ]
        );
    }

    #[test]
    fn inputs_stop_at_a_loop() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.toml");
        let b = dir.path().join("sub/b.toml");
        write(&a, "extend = \"sub/b.toml\"\nnames = \"n.toml\"\n");
        write(&b, "extend = \"../a.toml\"\n");
        assert_eq!(
            Settings::inputs(&a),
            [a.clone(), dir.path().join("n.toml"), b.clone()]
        );
        assert!(Settings::load(&a, true).is_err(), "load refuses the loop");
        // A file that extends itself.
        write(&a, "extend = \"a.toml\"\n");
        assert_eq!(Settings::inputs(&a), [a]);
    }

    #[test]
    fn inputs_stop_at_a_file_that_does_not_read_or_parse() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("copydesk.toml");
        // Missing: listed, so that its appearing is seen.
        write(&a, "extend = \"missing.toml\"\n");
        assert_eq!(
            Settings::inputs(&a),
            [a.clone(), dir.path().join("missing.toml")]
        );
        // Not a config: listed, and nothing it names.
        write(&a, "extend = \"bad.toml\"\n");
        let bad = dir.path().join("bad.toml");
        write(
            &bad,
            "names = \"n.toml\"\nextend = \"other.toml\"\nnames-typo = 1\n",
        );
        assert_eq!(Settings::inputs(&a), [a.clone(), bad.clone()]);
        write(&bad, "names = [\n");
        assert_eq!(Settings::inputs(&a), [a.clone(), bad]);
        // The config itself missing.
        let gone = dir.path().join("gone.toml");
        assert_eq!(Settings::inputs(&gone), [gone]);
    }

    #[test]
    fn inputs_list_a_missing_rule_folder_and_files_of_settings_that_do_not_load() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("copydesk.toml");
        write(&a, "rule-dirs = [\"house\"]\nnames = \"names.toml\"\n");
        let house = dir.path().join("house");
        let names = dir.path().join("names.toml");
        // Neither there yet: load fails, and both are listed.
        assert!(Settings::load(&a, true).is_err());
        assert_eq!(
            Settings::inputs(&a),
            [a.clone(), names.clone(), house.clone()]
        );
        // A names file and a rule file that do not parse: still listed.
        write(&names, "[[person]]\nnam = \"X\"\n");
        write(&house.join("broken.toml"), "kind = \n");
        assert!(Settings::load(&a, true).is_err());
        assert_eq!(
            Settings::inputs(&a),
            [a.clone(), names, house.clone(), house.join("broken.toml")]
        );
    }
}
