//! Baselines: accepted findings recorded by rule and fingerprint (a hash of
//! the surrounding text, not a line number), so a story can be edited above
//! an accepted finding and it stays accepted. `check --baseline FILE`
//! reports only findings the baseline does not cover.
//!
//! Paths in a baseline are relative to the folder the baseline file is in
//! (see [`Baseline::relative_to`]), with forward slashes: the same baseline
//! works whichever folder copydesk runs from and however a file is named on
//! the command line (relative, absolute, with `./` or `..`). A file outside
//! that folder is recorded by its absolute path.

use std::collections::{BTreeMap, HashMap};
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::finding::Finding;
use crate::fingerprint::{Fingerprints, hex};
use crate::source::Source;

pub const DEFAULT_FILE: &str = ".copydesk-baseline.json";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub path: String,
    pub rule: String,
    pub fingerprint: String,
    /// How many identical findings are accepted (a paragraph pasted three
    /// times gives two identical findings).
    pub count: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<Entry>,
    /// The absolute folder paths are relative to (`None`: the current
    /// folder, as given).
    #[serde(skip)]
    root: Option<PathBuf>,
    /// Positions in `findings` by path.
    #[serde(skip)]
    by_path: HashMap<String, Vec<usize>>,
}

/// The baseline format this build writes and reads.
const VERSION: u32 = 1;

/// `p` made absolute against the current folder, with `.` and `..` worked
/// out from the text of the path (links are not followed).
pub fn absolute(p: &Path) -> PathBuf {
    let joined = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// A path as a baseline writes it: forward slashes, no leading "./".
fn slashed(p: &str) -> String {
    let p = p.replace('\\', "/");
    p.strip_prefix("./").unwrap_or(&p).to_string()
}

impl Baseline {
    pub fn new() -> Baseline {
        Baseline {
            version: VERSION,
            findings: Vec::new(),
            root: None,
            by_path: HashMap::new(),
        }
    }

    /// Paths are relative to `folder` (the folder of the baseline file).
    pub fn relative_to(mut self, folder: &Path) -> Baseline {
        self.root = Some(absolute(folder));
        self
    }

    /// The path a file is recorded under.
    pub fn key_path(&self, path: &str) -> String {
        let Some(root) = &self.root else {
            return slashed(path);
        };
        let abs = absolute(Path::new(path));
        match abs.strip_prefix(root) {
            Ok(rel) => {
                let parts: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                parts.join("/")
            }
            Err(_) => slashed(&abs.to_string_lossy()),
        }
    }

    /// Record a file's findings.
    pub fn add(&mut self, source: &Source, findings: &[Finding]) {
        let mut counts: BTreeMap<(String, String), usize> = BTreeMap::new();
        let mut keys = Fingerprints::new(source);
        for f in findings {
            *counts
                .entry((f.rule.to_string(), hex(keys.line_key(f))))
                .or_default() += 1;
        }
        let path = self.key_path(&source.path);
        for ((rule, fingerprint), count) in counts {
            self.by_path
                .entry(path.clone())
                .or_default()
                .push(self.findings.len());
            self.findings.push(Entry {
                path: path.clone(),
                rule,
                fingerprint,
                count,
            });
        }
    }

    /// Drop the findings the baseline accepts.
    pub fn filter(&self, source: &Source, findings: &mut Vec<Finding>) {
        let path = self.key_path(&source.path);
        let Some(entries) = self.by_path.get(&path) else {
            return;
        };
        let mut left: HashMap<(String, String), usize> = HashMap::new();
        for &i in entries {
            let e = &self.findings[i];
            *left
                .entry((e.rule.clone(), e.fingerprint.clone()))
                .or_default() += e.count;
        }
        let mut keys = Fingerprints::new(source);
        let fps: Vec<String> = findings.iter().map(|f| hex(keys.line_key(f))).collect();
        let mut fps = fps.into_iter();
        findings.retain(|f| {
            let fp = fps.next().unwrap_or_default();
            match left.get_mut(&(f.rule.to_string(), fp)) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    false
                }
                _ => true,
            }
        });
    }

    /// The baseline as JSON, entries sorted by path, rule and fingerprint.
    pub fn to_json(&self) -> String {
        let mut findings: Vec<&Entry> = self.findings.iter().collect();
        findings.sort_by(|a, b| {
            (&a.path, &a.rule, &a.fingerprint).cmp(&(&b.path, &b.rule, &b.fingerprint))
        });
        #[derive(Serialize)]
        struct Out<'a> {
            version: u32,
            findings: Vec<&'a Entry>,
        }
        let out = Out {
            version: self.version,
            findings,
        };
        let mut s = serde_json::to_string_pretty(&out).unwrap_or_default();
        s.push('\n');
        s
    }

    /// Read a baseline file. One of another version (written by a newer
    /// copydesk, or edited by hand) is an error: its fingerprints could
    /// mean something else, and hide or show findings by mistake.
    pub fn from_json(text: &str) -> Result<Baseline, String> {
        let mut b: Baseline = serde_json::from_str(text).map_err(|e| e.to_string())?;
        if b.version != VERSION {
            return Err(format!(
                "version {} is not one this copydesk reads (it reads version {VERSION}); \
                 make the baseline again with `copydesk baseline`",
                b.version
            ));
        }
        for (i, e) in b.findings.iter().enumerate() {
            b.by_path.entry(e.path.clone()).or_default().push(i);
        }
        Ok(b)
    }
}

impl Default for Baseline {
    fn default() -> Self {
        Baseline::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Severity;

    fn doubled(path: &str) -> (Source, Vec<Finding>) {
        let source = Source::new(path, "The the cat.\n\nThe the cat.\n");
        let findings = vec![
            Finding::new("doubled-word", Severity::Error, 0..7, String::new()),
            Finding::new("doubled-word", Severity::Error, 14..21, String::new()),
        ];
        (source, findings)
    }

    #[test]
    fn paths_are_relative_to_the_baseline_folder() {
        let here = std::env::current_dir().unwrap();
        let b = Baseline::new().relative_to(&here.join("news"));
        assert_eq!(b.key_path("news/a.md"), "a.md");
        assert_eq!(b.key_path("./news/desk/../a.md"), "a.md");
        let abs = here.join("news").join("desk").join("b.md");
        assert_eq!(b.key_path(&abs.to_string_lossy()), "desk/b.md");
        let outside = here.join("elsewhere").join("c.md");
        assert_eq!(
            b.key_path("elsewhere/c.md"),
            slashed(&outside.to_string_lossy())
        );
        let plain = Baseline::new();
        assert_eq!(plain.key_path("./news/a.md"), "news/a.md");
    }

    #[test]
    fn a_baseline_read_back_accepts_what_it_recorded_from_another_folder() {
        let here = std::env::current_dir().unwrap();
        let (source, findings) = doubled("news/a.md");
        let mut b = Baseline::new().relative_to(&here.join("news"));
        b.add(&source, &findings);
        let json = b.to_json();
        assert!(json.contains("\"path\": \"a.md\""), "{json}");
        let read = Baseline::from_json(&json)
            .unwrap()
            .relative_to(&here.join("news"));
        // The same file named by its absolute path.
        let abs = here.join("news/a.md");
        let (source, mut again) = doubled(&abs.to_string_lossy());
        read.filter(&source, &mut again);
        assert!(again.is_empty());
        // A third copy of the paragraph is new.
        let text = "The the cat.\n\nThe the cat.\n\nThe the cat.\n";
        let source = Source::new("news/a.md", text);
        let mut three: Vec<Finding> = [0, 14, 28]
            .iter()
            .map(|&at| Finding::new("doubled-word", Severity::Error, at..at + 7, String::new()))
            .collect();
        read.filter(&source, &mut three);
        assert_eq!(three.len(), 1);
        // Another file keeps its findings.
        let (source, mut other) = doubled("news/b.md");
        read.filter(&source, &mut other);
        assert_eq!(other.len(), 2);
    }
}
