//! `conditional`: a term may appear only after something else has. With
//! `requires = "initials"`, an acronym must come after capitalised words
//! whose initials spell it ("North Atlantic Treaty Organization" before
//! "NATO"). Only the first use of each term is reported.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use serde::Deserialize;
use toml::Spanned;

use super::{KindError, KindSpec};
use crate::check::{Check, Context, Emitter};
use crate::document::Document;
use crate::matching::PhraseMatcher;

pub const SPEC: KindSpec = KindSpec {
    name: "conditional",
    summary: "a term that needs something before it (acronyms spelled out first)",
    params: File::PARAMS,
    parse,
    cost: 2,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum Requires {
    Initials,
}

crate::param_enum!(Requires);

crate::rule_file!(File {
    /// The terms to look at: a regular expression (Rust `regex` syntax),
    /// matched case-sensitively and on word boundaries, so it needs no `\b`
    /// (`'[A-Z]{3,5}s?'` for acronyms).
    pattern: Spanned<String>,
    /// What must come before a term's first use. `initials`: capitalised
    /// words whose initials spell it, with or without a plural "s".
    requires: Requires,
    /// Terms that need nothing before them ("US", "BBC"), written exactly as
    /// they appear. Default none.
    #[serde(default)]
    exempt: Vec<String>,
    /// Small words that may sit inside a spelled-out name, their initials
    /// counted or not ("of" in "Ministry of Defence" gives "MD" and "MOD").
    /// Default none.
    #[serde(default)]
    skip_words: Vec<String>,
});

#[derive(Debug)]
struct Conditional {
    pattern: PhraseMatcher,
    exempt: HashSet<String>,
    skip: Vec<String>,
}

fn parse(text: &str) -> Result<super::Parsed, KindError> {
    let (common, f) = File::parse(text)?;
    let Requires::Initials = f.requires;
    let mut pattern = PhraseMatcher::bounded_patterns(std::slice::from_ref(&f.pattern))?;
    pattern.set_case_sensitive(&f.pattern)?;
    Ok((
        common,
        Box::new(Conditional {
            pattern,
            exempt: f.exempt.into_iter().collect(),
            skip: f.skip_words.iter().map(|s| s.to_lowercase()).collect(),
        }),
    ))
}

impl Conditional {
    /// Where each acronym in `wanted` is first spelled out by the initials
    /// of a run of capitalised words ("North Atlantic Treaty Organization"
    /// gives "NATO"): the end offset of the earliest such run. Only the
    /// acronyms the text uses are looked for, so nothing is built per run.
    fn initials(&self, doc: &Document, wanted: &HashSet<String>) -> HashMap<String, usize> {
        // Two runs side by side: one skipping small words ("Ministry of
        // Defence" -> "MD") and one keeping their initials ("MOD").
        #[derive(Default)]
        struct Run {
            letters: Vec<char>,
            ends: Vec<usize>,
        }
        // The first letters and the lengths of the acronyms wanted: only
        // stretches that could be one are looked up.
        let mut firsts: Vec<char> = wanted.iter().filter_map(|k| k.chars().next()).collect();
        firsts.sort_unstable();
        firsts.dedup();
        let lengths = wanted
            .iter()
            .fold(0u64, |m, k| m | 1 << k.chars().count().min(63));
        let mut key = String::new();
        let mut flush = |run: &mut Run, out: &mut HashMap<String, usize>| {
            let chars = &run.letters;
            for i in 0..chars.len() {
                if firsts.binary_search(&chars[i]).is_err() {
                    continue;
                }
                for j in i + 2..=chars.len().min(i + 8) {
                    if lengths & (1 << (j - i)) == 0 {
                        continue;
                    }
                    key.clear();
                    key.extend(&chars[i..j]);
                    if let Some(k) = wanted.get(key.as_str()) {
                        let end = run.ends[j - 1];
                        out.entry(k.clone())
                            .and_modify(|e| *e = (*e).min(end))
                            .or_insert(end);
                    }
                }
            }
            run.letters.clear();
            run.ends.clear();
        };
        let mut out: HashMap<String, usize> = HashMap::default();
        let (mut short, mut full) = (Run::default(), Run::default());
        let mut buf = Vec::new();
        let bytes = doc.text.as_bytes();
        for s in &doc.sentences {
            for r in doc.words_of(s, &mut buf) {
                // Outside a run, a word that starts with any ASCII byte but
                // a capital (a lower-case letter, a digit) changes nothing:
                // most words are turned away by their first byte, without
                // being sliced out.
                let b = bytes[r.start()];
                if b.is_ascii() && !b.is_ascii_uppercase() && full.letters.is_empty() {
                    continue;
                }
                let w = doc.slice(&r.range());
                let first = w.chars().next().unwrap_or(' ');
                if first.is_uppercase() && w.chars().count() > 1 {
                    for run in [&mut short, &mut full] {
                        run.letters.push(first.to_ascii_uppercase());
                        run.ends.push(r.end());
                    }
                } else if !short.letters.is_empty() && crate::document::in_lower_list(&self.skip, w)
                {
                    full.letters.push(first.to_ascii_uppercase());
                    full.ends.push(r.end());
                } else if !full.letters.is_empty() {
                    flush(&mut short, &mut out);
                    flush(&mut full, &mut out);
                }
            }
            flush(&mut short, &mut out);
            flush(&mut full, &mut out);
        }
        out
    }
}

impl Check for Conditional {
    fn check(&self, doc: &Context, out: &mut Emitter) {
        let hits = doc.find_all(&self.pattern, 0..doc.prose.len());
        if hits.is_empty() {
            return;
        }
        // Each term that may need spelling out, as the initials would give
        // it (with and without a plural "s").
        let mut wanted: HashSet<String> = HashSet::default();
        for r in &hits {
            let term = doc.slice(r);
            if !self.exempt.contains(term) {
                wanted.insert(term.to_uppercase());
                wanted.insert(term.trim_end_matches('s').to_uppercase());
            }
        }
        let initials = self.initials(doc, &wanted);
        let mut seen: HashSet<&str> = HashSet::default();
        for r in hits {
            let term = doc.slice(&r);
            if self.exempt.contains(term) || !seen.insert(term) {
                continue;
            }
            let bare = term.trim_end_matches('s');
            let spelled = [term, bare].iter().any(|t| {
                initials
                    .get(&t.to_uppercase())
                    .is_some_and(|&end| end <= r.start)
            });
            if !spelled {
                out.emit(r, &[("match", term)]);
            }
        }
    }

    fn variables(&self) -> &'static [&'static str] {
        &["match"]
    }
}
