//! What the page's requests are answered from: the newsroom's settings
//! (read again when the config file changes) and the check of a draft.
//!
//! A pasted draft is checked as `copydesk check --fix` checks a file named
//! `draft.md` or `draft.txt` in the folder `serve` started in: same
//! settings, same engine calls, same fixes.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use serde::Serialize;

use crate::config::{ConfigChoice, Resolver, Settings, find_config};
use crate::engine::{self, CheckOptions};
use crate::error::LoadError;
use crate::report::FileResult;
use crate::report::web::WebStory;
use crate::source::Source;

/// A draft as the page sends it.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Draft {
    pub text: String,
    #[serde(default)]
    pub markdown: bool,
    #[serde(default)]
    pub headline: Option<String>,
}

/// A checked draft.
#[derive(Debug, Serialize)]
pub struct Answer {
    pub story: WebStory,
    /// The text after every safe fix, as `check --fix` writes it.
    pub fixed: String,
    /// Safe fixes applied to make `fixed`, over all passes.
    pub safe_fixes: usize,
    /// What stopped the fixes settling (rules whose fixes undo one
    /// another), in plain words; empty when they settle.
    pub problems: Vec<String>,
    /// The config file the settings come from; `None`: built-in rules.
    pub settings: Option<String>,
}

/// Why a draft is not checked.
#[derive(Debug)]
pub enum Refusal {
    /// The settings do not load.
    Config(Vec<LoadError>),
    /// The draft is not text copydesk checks (a NUL character).
    Text(String),
}

/// The file a config is known by, with what changes when it is edited.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Stamp {
    path: PathBuf,
    modified: Option<SystemTime>,
    len: u64,
}

struct State {
    /// The config file the settings were read from (`None`: none found,
    /// or `--no-config`), as it was then.
    stamp: Option<Stamp>,
    settings: Result<Arc<Settings>, Vec<LoadError>>,
}

/// The settings of the folder `serve` started in.
pub struct Desk {
    choice: ConfigChoice,
    state: Mutex<State>,
}

impl Desk {
    /// The desk for the current folder, or the errors of settings that do
    /// not load.
    pub fn new(choice: ConfigChoice) -> Result<Desk, Vec<LoadError>> {
        let stamp = stamp(&choice);
        let settings = load(&choice)?;
        Ok(Desk {
            choice,
            state: Mutex::new(State {
                stamp,
                settings: Ok(settings),
            }),
        })
    }

    /// The config file in use, if any.
    pub fn config_path(&self) -> Option<PathBuf> {
        self.settings().ok().and_then(|s| s.path.clone())
    }

    /// The settings now: read again when the config file changed (was
    /// edited, appeared or went away) since they were read. Files it
    /// extends, its names list and its rule folders are read with it.
    pub fn settings(&self) -> Result<Arc<Settings>, Vec<LoadError>> {
        let now = stamp(&self.choice);
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if state.stamp != now {
            state.settings = load(&self.choice);
            state.stamp = now;
        }
        state.settings.clone()
    }

    /// Check a draft, and fix it as `check --fix` would.
    pub fn check(&self, draft: Draft) -> Result<Answer, Refusal> {
        let settings = self.settings().map_err(Refusal::Config)?;
        let display = draft_name(draft.markdown);
        let mut source = Source::from_bytes(display, draft.text.into_bytes())
            .map_err(|e| Refusal::Text(format!("the draft {e}")))?;
        let opts = CheckOptions {
            headline: draft.headline.filter(|h| !h.trim().is_empty()),
            ..CheckOptions::default()
        };
        let findings = engine::check(&mut source, &settings.rules, &opts);
        let fixed = engine::fix(&source, findings.clone(), &settings.rules, &opts, false);
        let problems = fixed
            .fighting_message()
            .map(|fight| format!("{fight}; fix these by hand"))
            .into_iter()
            .collect();
        let fixed_text = source.to_file_contents(&fixed.text);
        Ok(Answer {
            story: WebStory::of(&FileResult { source, findings }),
            fixed: fixed_text,
            safe_fixes: fixed.applied,
            problems,
            settings: settings.path.as_deref().map(crate::error::shown_path),
        })
    }

    /// `copydesk rule ID`'s text for a rule of the settings now.
    pub fn explain(&self, id: &str) -> Result<Option<String>, Vec<LoadError>> {
        let settings = self.settings()?;
        Ok(settings.rules.get(id).map(crate::report::explain::explain))
    }
}

/// The name a draft is checked under: its extension chooses Markdown or
/// plain text, and its folder (the current one) the settings.
pub fn draft_name(markdown: bool) -> &'static str {
    if markdown { "draft.md" } else { "draft.txt" }
}

fn load(choice: &ConfigChoice) -> Result<Arc<Settings>, Vec<LoadError>> {
    Resolver::new(choice.clone()).for_path(Some(Path::new(draft_name(false))))
}

/// The config file the settings come from, as it is now.
fn stamp(choice: &ConfigChoice) -> Option<Stamp> {
    let path = match choice {
        ConfigChoice::None => return None,
        ConfigChoice::File(f) => f.clone(),
        ConfigChoice::Discover => find_config(&std::env::current_dir().ok()?)?,
    };
    let meta = std::fs::metadata(&path).ok();
    Some(Stamp {
        modified: meta.as_ref().and_then(|m| m.modified().ok()),
        len: meta.map_or(0, |m| m.len()),
        path,
    })
}
