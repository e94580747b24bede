//! Inline suppressions in Markdown (and HTML) comments:
//!
//! - `<!-- copydesk-disable RULE ... -->` … `<!-- copydesk-enable RULE ... -->`
//! - `<!-- copydesk-disable-next-line RULE ... -->`
//! - `<!-- copydesk-disable-file RULE ... -->`
//!
//! With no rule ids, a comment applies to every rule. Rule ids may be
//! separated by spaces or commas. An unknown id is itself reported, with a
//! suggestion, so a typo never silently fails to suppress (or suppresses
//! nothing while looking as if it did).

use std::ops::Range;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::document::Document;
use crate::error::did_you_mean;
use crate::finding::{Finding, Severity};

/// The rule id used for problems with suppression comments themselves.
pub const SUPPRESSION_RULE: &str = "suppression";

#[derive(Debug, Clone, PartialEq, Eq)]
enum Scope {
    All,
    Rules(Vec<String>),
}

impl Scope {
    fn covers(&self, rule: &str) -> bool {
        match self {
            Scope::All => true,
            Scope::Rules(ids) => ids.iter().any(|r| r == rule),
        }
    }
}

#[derive(Debug)]
struct Directive {
    kind: &'static str,
    scope: Scope,
    span: Range<usize>,
}

/// Parse the suppression comments of a document, reporting unknown ids.
fn directives(doc: &Document, known: &[&str], problems: &mut Vec<Finding>) -> Vec<Directive> {
    let mut out = Vec::new();
    for c in &doc.comments {
        let body = c.body.trim();
        let (kind, rest) = if let Some(r) = body.strip_prefix("copydesk-disable-next-line") {
            ("next-line", r)
        } else if let Some(r) = body.strip_prefix("copydesk-disable-file") {
            ("file", r)
        } else if let Some(r) = body.strip_prefix("copydesk-disable") {
            ("disable", r)
        } else if let Some(r) = body.strip_prefix("copydesk-enable") {
            ("enable", r)
        } else {
            continue;
        };
        if !rest.is_empty() && !rest.starts_with([' ', '\t', '\n', '\r', ',']) {
            // "copydesk-disabled": not a directive we know.
            problems.push(Finding::new(
                SUPPRESSION_RULE,
                Severity::Warning,
                c.span.clone(),
                format!("unknown copydesk comment `{}`", body.split_whitespace().next().unwrap_or(body)),
            )
            .with_note("use copydesk-disable, copydesk-enable, copydesk-disable-next-line or copydesk-disable-file"));
            continue;
        }
        let ids: Vec<String> = rest
            .split([' ', ',', '\t', '\n', '\r'])
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        let mut valid = Vec::new();
        for id in ids {
            if known.contains(&id.as_str()) {
                valid.push(id);
            } else {
                let mut f = Finding::new(
                    SUPPRESSION_RULE,
                    Severity::Warning,
                    c.span.clone(),
                    format!("unknown rule id `{id}` in a copydesk comment"),
                );
                if let Some(s) = did_you_mean(&id, known.iter().copied()) {
                    f = f.with_note(format!("did you mean `{s}`?"));
                }
                problems.push(f);
            }
        }
        let scope = if rest.trim().is_empty() {
            Scope::All
        } else if valid.is_empty() {
            continue;
        } else {
            Scope::Rules(valid)
        };
        out.push(Directive {
            kind,
            scope,
            span: c.span.clone(),
        });
    }
    out
}

/// Remove suppressed findings; add findings for bad suppression comments.
///
/// Each finding's fate is decided in one sweep: the findings are visited
/// in order of position while the `disable`/`enable` comments before each
/// are replayed, so the cost grows with findings plus comments, not with
/// their product.
pub fn apply(doc: &Document, known: &[&str], findings: &mut Vec<Finding>) {
    if doc.comments.is_empty() {
        return;
    }
    let mut problems = Vec::new();
    let dirs = directives(doc, known, &mut problems);
    if !dirs.is_empty() {
        let keep = Suppressions::new(doc.text, &dirs).keep(findings);
        let mut verdicts = keep.into_iter();
        findings.retain(|_| verdicts.next().unwrap_or(true));
    }
    findings.extend(problems);
}

/// The directives of one document, arranged to be asked about many
/// findings at once.
struct Suppressions<'a> {
    /// Whether a `disable-file` names no rule (so silences all).
    whole_file_all: bool,
    /// The rules `disable-file` comments name.
    whole_file: HashSet<&'a str>,
    /// `disable-next-line` scopes by the line (0-based) they silence.
    next_line: HashMap<usize, Vec<&'a Scope>>,
    /// `disable` (true) and `enable` (false), in document order, with the
    /// byte where each takes effect.
    switches: Vec<(usize, bool, &'a Scope)>,
    line_starts: Vec<u32>,
}

impl<'a> Suppressions<'a> {
    fn new(text: &str, dirs: &'a [Directive]) -> Suppressions<'a> {
        let line_starts = crate::text::line_starts(text);
        let mut s = Suppressions {
            whole_file_all: false,
            whole_file: HashSet::default(),
            next_line: HashMap::default(),
            switches: Vec::new(),
            line_starts,
        };
        for d in dirs {
            match d.kind {
                "file" => match &d.scope {
                    Scope::All => s.whole_file_all = true,
                    Scope::Rules(ids) => s.whole_file.extend(ids.iter().map(String::as_str)),
                },
                "disable" => s.switches.push((d.span.end, true, &d.scope)),
                "enable" => s.switches.push((d.span.end, false, &d.scope)),
                "next-line" => {
                    let line = s.next_text_line(text, s.line_of(d.span.end) + 1);
                    s.next_line.entry(line).or_default().push(&d.scope);
                }
                _ => {}
            }
        }
        s
    }

    fn line_of(&self, byte: usize) -> usize {
        self.line_starts
            .partition_point(|&s| s as usize <= byte)
            .saturating_sub(1)
    }

    /// The first line from `line` on that has text.
    fn next_text_line(&self, text: &str, mut line: usize) -> usize {
        while line < self.line_starts.len() {
            let start = self.line_starts[line] as usize;
            let end = self
                .line_starts
                .get(line + 1)
                .map_or(text.len(), |&s| s as usize);
            if !text[start..end].trim().is_empty() {
                break;
            }
            line += 1;
        }
        line
    }

    /// Whether each finding stays, in the findings' order.
    fn keep(&self, findings: &[Finding]) -> Vec<bool> {
        let mut order: Vec<usize> = (0..findings.len()).collect();
        order.sort_by_key(|&i| findings[i].span.start);
        let mut keep = vec![true; findings.len()];
        // The switches replayed so far: the last one for every rule (`all`)
        // and per named rule, each with its place in `switches`, as the
        // later of the two wins.
        let mut all: Option<(usize, bool)> = None;
        let mut named: HashMap<&str, (usize, bool)> = HashMap::default();
        let mut next = 0;
        for i in order {
            let f = &findings[i];
            let at = f.span.start;
            while next < self.switches.len() && self.switches[next].0 <= at {
                let (_, on, scope) = self.switches[next];
                match scope {
                    Scope::All => all = Some((next, on)),
                    Scope::Rules(ids) => {
                        for id in ids {
                            named.insert(id.as_str(), (next, on));
                        }
                    }
                }
                next += 1;
            }
            let latest = match (all, named.get(&*f.rule).copied()) {
                (Some(a), Some(n)) => Some(if a.0 > n.0 { a } else { n }),
                (a, n) => a.or(n),
            };
            let disabled = latest.is_some_and(|(_, on)| on);
            let silenced_line = || {
                self.next_line
                    .get(&self.line_of(at))
                    .is_some_and(|scopes| scopes.iter().any(|s| s.covers(&f.rule)))
            };
            if disabled
                || self.whole_file_all
                || self.whole_file.contains(&*f.rule)
                || (!self.next_line.is_empty() && silenced_line())
            {
                keep[i] = false;
            }
        }
        keep
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Options;

    /// What the sweep must decide, asked directive by directive of each
    /// finding: the later of the `disable`/`enable` comments before it that
    /// cover its rule wins; `disable-file` and `disable-next-line` (the
    /// next line with text) silence it outright.
    fn oracle(text: &str, dirs: &[Directive], f: &Finding) -> bool {
        let starts = crate::text::line_starts(text);
        let line_of = |b: usize| {
            starts
                .partition_point(|&s| s as usize <= b)
                .saturating_sub(1)
        };
        let mut disabled = false;
        for d in dirs {
            if !d.scope.covers(&f.rule) {
                continue;
            }
            match d.kind {
                "file" => return false,
                "disable" if d.span.end <= f.span.start => disabled = true,
                "enable" if d.span.end <= f.span.start => disabled = false,
                "next-line" => {
                    let mut l = line_of(d.span.end) + 1;
                    while l < starts.len() {
                        let end = starts.get(l + 1).map_or(text.len(), |&s| s as usize);
                        if !text[starts[l] as usize..end].trim().is_empty() {
                            break;
                        }
                        l += 1;
                    }
                    if line_of(f.span.start) == l {
                        return false;
                    }
                }
                _ => {}
            }
        }
        !disabled
    }

    /// On generated stories of comments and findings of three rules, the
    /// sweep keeps exactly the findings the directive-by-directive reading
    /// keeps.
    #[test]
    fn the_sweep_agrees_with_reading_each_directive() {
        let pieces = [
            "<!-- copydesk-disable a -->\n",
            "<!-- copydesk-enable a -->\n",
            "<!-- copydesk-disable -->\n",
            "<!-- copydesk-enable -->\n",
            "<!-- copydesk-disable a, b -->\n",
            "<!-- copydesk-enable b -->\n",
            "<!-- copydesk-disable-next-line b -->\n",
            "<!-- copydesk-disable-next-line -->\n",
            "<!-- copydesk-disable-file c -->\n",
            "Some words here.\n",
            "\n",
            "More words on a line. And more.\n",
        ];
        let known = ["a", "b", "c"];
        let (mut checked, mut dropped) = (0, 0);
        for (n, text) in crate::testing::texts(&pieces, 0x5eed_5a1e, 16)
            .take(3000)
            .enumerate()
        {
            let doc = Document::new(&text, "story.md", &Options::default());
            let mut problems = Vec::new();
            let dirs = directives(&doc, &known, &mut problems);
            let mut findings = Vec::new();
            for (i, (at, _)) in text.match_indices("words").enumerate() {
                let rule = known[(i + n) % 3];
                findings.push(Finding::new(
                    rule,
                    Severity::Warning,
                    at..at + 5,
                    "m".to_string(),
                ));
            }
            // Out of order, as rules hand them in.
            findings.reverse();
            let want: Vec<bool> = findings.iter().map(|f| oracle(&text, &dirs, f)).collect();
            let got = Suppressions::new(&text, &dirs).keep(&findings);
            assert_eq!(got, want, "{text:?}");
            checked += findings.len();
            dropped += got.iter().filter(|&&k| !k).count();
        }
        // Both verdicts were put to the test, many times.
        assert!(
            checked > 2000 && dropped > 500 && checked - dropped > 500,
            "{checked} {dropped}"
        );
    }
}
