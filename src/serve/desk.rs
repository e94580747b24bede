//! What the page's requests are answered from: the newsroom's settings
//! (read again when a file they are read from changes) and the check of a
//! draft.
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

/// A file or folder the settings are read from, with what changes when it
/// is edited: its modified time and length (`None`: it is not there). A
/// folder's modified time changes when a file is added to it or taken out.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Stamp {
    path: PathBuf,
    seen: Option<(Option<SystemTime>, u64)>,
}

struct State {
    /// The files and folders the settings were read from (see
    /// `Settings::inputs`), as they were then; empty when there is no
    /// config (none found, or `--no-config`).
    stamps: Vec<Stamp>,
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
        let stamps = stamps(&choice);
        let settings = load(&choice)?;
        Ok(Desk {
            choice,
            state: Mutex::new(State {
                stamps,
                settings: Ok(settings),
            }),
        })
    }

    /// The config file in use, if any.
    pub fn config_path(&self) -> Option<PathBuf> {
        self.settings().ok().and_then(|s| s.path.clone())
    }

    /// The settings now: read again when a file or folder they are read
    /// from changed since they were read: the config file (edited,
    /// appeared or went away), a file it extends, a names list, a rule
    /// folder or a rule file in one (edited, added or taken out). The list
    /// of those is made again at each call, from the files as they are
    /// now, so a file that comes into use (a new `extend`, a new rule
    /// folder) is watched from then on.
    pub fn settings(&self) -> Result<Arc<Settings>, Vec<LoadError>> {
        // Stamped before the settings are read: an edit made while they
        // are read leaves the stamps behind, and the next call reads them
        // again.
        let now = stamps(&self.choice);
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if state.stamps != now {
            state.settings = load(&self.choice);
            state.stamps = now;
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

/// The files and folders the settings are read from, as they are now:
/// none without a config.
fn stamps(choice: &ConfigChoice) -> Vec<Stamp> {
    let config = match choice {
        ConfigChoice::None => None,
        ConfigChoice::File(f) => Some(f.clone()),
        ConfigChoice::Discover => std::env::current_dir()
            .ok()
            .and_then(|cwd| find_config(&cwd)),
    };
    let Some(config) = config else {
        return Vec::new();
    };
    Settings::inputs(&config)
        .into_iter()
        .map(|path| Stamp {
            seen: std::fs::metadata(&path)
                .ok()
                .map(|m| (m.modified().ok(), m.len())),
            path,
        })
        .collect()
}
