//! Baselines: accepted findings recorded by rule and fingerprint (a hash of
//! the surrounding text, not a line number), so a story can be edited above
//! an accepted finding and it stays accepted. `check --baseline FILE`
//! reports only findings the baseline does not cover.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::finding::Finding;
use crate::fingerprint::fingerprint;
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
}

/// The baseline format this build writes and reads.
const VERSION: u32 = 1;

/// Paths compare without a leading "./" and with forward slashes.
fn key_path(p: &str) -> String {
    let p = p.replace('\\', "/");
    p.strip_prefix("./").unwrap_or(&p).to_string()
}

impl Baseline {
    pub fn new() -> Baseline {
        Baseline {
            version: VERSION,
            findings: Vec::new(),
        }
    }

    /// Record a file's findings.
    pub fn add(&mut self, source: &Source, findings: &[Finding]) {
        let mut counts: BTreeMap<(String, String), usize> = BTreeMap::new();
        for f in findings {
            *counts
                .entry((f.rule.to_string(), fingerprint(source, f)))
                .or_default() += 1;
        }
        let path = key_path(&source.path);
        for ((rule, fingerprint), count) in counts {
            self.findings.push(Entry {
                path: path.clone(),
                rule,
                fingerprint,
                count,
            });
        }
        self.findings.sort_by(|a, b| {
            (&a.path, &a.rule, &a.fingerprint).cmp(&(&b.path, &b.rule, &b.fingerprint))
        });
    }

    /// Drop the findings the baseline accepts.
    pub fn filter(&self, source: &Source, findings: &mut Vec<Finding>) {
        let path = key_path(&source.path);
        let mut left: BTreeMap<(String, String), usize> = self
            .findings
            .iter()
            .filter(|e| e.path == path)
            .map(|e| ((e.rule.clone(), e.fingerprint.clone()), e.count))
            .collect();
        if left.is_empty() {
            return;
        }
        findings.retain(|f| {
            let fp = fingerprint(source, f);
            match left.get_mut(&(f.rule.to_string(), fp)) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    false
                }
                _ => true,
            }
        });
    }

    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// Read a baseline file. One of another version (written by a newer
    /// copydesk, or edited by hand) is an error: its fingerprints could
    /// mean something else, and hide or show findings by mistake.
    pub fn from_json(text: &str) -> Result<Baseline, String> {
        let b: Baseline = serde_json::from_str(text).map_err(|e| e.to_string())?;
        if b.version != VERSION {
            return Err(format!(
                "version {} is not one this copydesk reads (it reads version {VERSION}); \
                 make the baseline again with `copydesk baseline`",
                b.version
            ));
        }
        Ok(b)
    }
}

impl Default for Baseline {
    fn default() -> Self {
        Baseline::new()
    }
}
