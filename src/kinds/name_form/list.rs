//! The names list as name-form reads it: which listed person a mention
//! names, or which listed spelling it gets wrong.
//!
//! - A mention spelled as listed names that person: it is a person (the
//!   list is evidence), and the story's own spelling checks leave it alone.
//! - A mention with a listed variant is reported with the listed spelling
//!   as a fix. The fix is safe when the mention is plainly the listed
//!   person (the surname alone, a title or honorific with it, or the listed
//!   given name); with another given name it may be someone else who spells
//!   the name that way, and the fix is left to an editor.
//! - A full name with a listed surname but other given names is another
//!   person ("Rahul Gandhi" is not "Mahatma Gandhi"), and then the surname
//!   alone in that story is theirs.
//!
//! Mentions are matched by their interned surname key, so a story whose
//! surnames are not on the list costs one hash lookup per mention.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::Arc;

use super::mentions::{DISPLAY, Mention, Mentions, NOT_PERSON};
use crate::document::WordSet;
use crate::names::{BUILTIN_SOURCE, Names};

/// One listed person, in the form mentions are compared with.
#[derive(Debug, Clone)]
pub(super) struct Entry {
    /// The name as listed.
    pub(super) name: String,
    /// The surname as mentions hold it: particles joined ("von der
    /// Leyen").
    pub(super) surname: String,
    /// The words before the surname.
    given: Vec<String>,
    /// The last word of each listed title, lower case ("president").
    titles: Vec<String>,
    /// The surname alone needs no full name (so for a one-word name).
    pub(super) alone: bool,
    source: Arc<str>,
    line: usize,
}

impl Entry {
    /// Where the entry is written, for a finding's note.
    pub(super) fn origin(&self) -> String {
        if &*self.source == BUILTIN_SOURCE {
            format!("copydesk's built-in names list has {}", self.name)
        } else {
            format!(
                "the names list {} has {} (line {})",
                self.source, self.name, self.line
            )
        }
    }

    /// Whether a mention with these given names can be this person: no
    /// given names, or one shared with the listed name.
    fn same_given<'a>(&self, mut given: impl Iterator<Item = &'a str>) -> bool {
        let mut any = false;
        let shared = given.any(|g| {
            any = true;
            self.given.iter().any(|e| e == g)
        });
        shared || !any || self.given.is_empty()
    }

    /// Whether `title` (as written before the surname) is one of this
    /// person's listed titles.
    pub(super) fn has_title(&self, title: &str) -> bool {
        self.titles
            .contains(&title.trim_end_matches('.').to_lowercase())
    }
}

/// What the list says of one mention.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Listed {
    /// Nothing: the name is not on the list.
    No,
    /// The listed person (an index into `NamesList::entries`), spelled as
    /// listed.
    Person(u32),
    /// The listed person's surname (or, `whole`, whole name) spelled as one
    /// of its variants; `safe` when the mention is plainly that person.
    Variant { entry: u32, whole: bool, safe: bool },
}

impl Listed {
    pub(super) fn entry(self) -> Option<u32> {
        match self {
            Listed::No => None,
            Listed::Person(e) | Listed::Variant { entry: e, .. } => Some(e),
        }
    }
}

/// The list, indexed by lower-case surname.
#[derive(Debug, Clone, Default)]
pub(super) struct NamesList {
    pub(super) entries: Vec<Entry>,
    by_surname: HashMap<String, Vec<u32>>,
    /// One-word variants, lower case; none is also a listed surname (a
    /// spelling someone on the list has is never flagged).
    variant_surnames: HashMap<String, u32>,
    /// Whole-name variants by the lower-case surname they end with: their
    /// words and the entry.
    variant_names: HashMap<String, Vec<(Vec<String>, u32)>>,
}

/// The surname of a name's words as mentions hold it: the last word with
/// the particles before it ("de la Cruz").
fn surname_of(words: &[&str], particles: &WordSet) -> usize {
    let mut start = words.len().saturating_sub(1);
    while start >= 1 && particles.contains_lower(words[start - 1]) {
        start -= 1;
    }
    start
}

impl NamesList {
    pub(super) fn new(names: &Names, particles: &WordSet) -> NamesList {
        let mut list = NamesList::default();
        for (i, p) in names.people().iter().enumerate() {
            let words: Vec<&str> = p.words().collect();
            let cut = surname_of(&words, particles);
            let surname = words[cut..].join(" ");
            list.by_surname
                .entry(surname.to_lowercase())
                .or_default()
                .push(i as u32);
            list.entries.push(Entry {
                name: p.name.clone(),
                given: words[..cut].iter().map(|w| w.to_string()).collect(),
                titles: p
                    .titles
                    .iter()
                    .filter_map(|t| t.split_whitespace().last())
                    .map(|t| t.trim_end_matches('.').to_lowercase())
                    .collect(),
                alone: p.surname_alone || p.is_mononym(),
                surname,
                source: Arc::clone(&p.source),
                line: p.line,
            });
        }
        for (i, p) in names.people().iter().enumerate() {
            for v in &p.variants {
                let words: Vec<&str> = v.split_whitespace().collect();
                let cut = surname_of(&words, particles);
                let key = words[cut..].join(" ").to_lowercase();
                if cut == 0 {
                    if !list.by_surname.contains_key(&key) {
                        list.variant_surnames.entry(key).or_insert(i as u32);
                    }
                } else {
                    list.variant_names
                        .entry(key)
                        .or_default()
                        .push((words.iter().map(|w| w.to_string()).collect(), i as u32));
                }
            }
        }
        list
    }

    /// The listed person's titles, last word capitalised as a title list
    /// holds them ("President").
    pub(super) fn title_words(names: &Names) -> impl Iterator<Item = String> + '_ {
        names.people().iter().flat_map(|p| {
            p.titles.iter().filter_map(|t| {
                let last = t.split_whitespace().last()?.trim_end_matches('.');
                Some(super::mentions::capitalise(last))
            })
        })
    }

    /// What the list says of each mention of `ms` (empty when the list
    /// is).
    pub(super) fn resolve(&self, ms: &Mentions) -> Resolved {
        let mut out = Resolved::default();
        if self.entries.is_empty() {
            return out;
        }
        out.per_mention = vec![Listed::No; ms.list.len()];
        out.titled = vec![false; self.entries.len()];
        out.first_full = vec![None; self.entries.len()];
        out.first_ref = vec![None; self.entries.len()];
        // Surnames some full name in the story gives to someone not on the
        // list: the surname alone is theirs.
        let mut others: HashSet<u32> = HashSet::default();
        for (i, m) in ms.list.iter().enumerate() {
            if !m.is_full() {
                continue;
            }
            let l = self.full(ms, m);
            if l == Listed::No || matches!(l, Listed::Variant { safe: false, .. }) {
                others.insert(m.key);
            }
            out.per_mention[i] = l;
            if let Some(e) = l.entry() {
                out.first_full[e as usize].get_or_insert(i as u32);
            }
        }
        for (i, m) in ms.list.iter().enumerate() {
            if m.is_full() {
                continue;
            }
            let key = ms.key(m);
            let l = if let Some(es) = self.by_surname.get(key) {
                if others.contains(&m.key) {
                    Listed::No
                } else {
                    Listed::Person(es[0])
                }
            } else if let Some(&e) = self.variant_surnames.get(key) {
                Listed::Variant {
                    entry: e,
                    whole: false,
                    safe: !others.contains(&m.key),
                }
            } else {
                Listed::No
            };
            if let (Listed::Person(e), Some(t)) = (l, ms.prefix_word(m))
                && self.entries[e as usize].has_title(t)
            {
                out.titled[e as usize] = true;
            }
            out.per_mention[i] = l;
        }
        // The first reference of each listed person, in any listed
        // spelling, among the mentions name-form reads.
        for (i, m) in ms.list.iter().enumerate() {
            if let Some(e) = out.per_mention[i].entry()
                && !m.has(NOT_PERSON)
                && (!m.has(DISPLAY) || m.is_full())
            {
                out.first_ref[e as usize].get_or_insert(i as u32);
            }
        }
        out
    }

    /// What the list says of a full name.
    fn full(&self, ms: &Mentions, m: &Mention) -> Listed {
        let key = ms.key(m);
        if let Some(vs) = self.variant_names.get(key) {
            let words = ms.words(m);
            if let Some((_, e)) = vs.iter().find(|(v, _)| {
                v.len() == words.len() && v.iter().zip(words).all(|(a, w)| a == ms.word(w))
            }) {
                return Listed::Variant {
                    entry: *e,
                    whole: true,
                    safe: true,
                };
            }
        }
        if let Some(es) = self.by_surname.get(key) {
            return es
                .iter()
                .find(|&&e| self.entries[e as usize].same_given(ms.given_words(m)))
                .map_or(Listed::No, |&e| Listed::Person(e));
        }
        if let Some(&e) = self.variant_surnames.get(key) {
            return Listed::Variant {
                entry: e,
                whole: false,
                safe: self.entries[e as usize].same_given(ms.given_words(m)),
            };
        }
        Listed::No
    }
}

/// What the list says of a story's mentions.
#[derive(Debug, Default)]
pub(super) struct Resolved {
    /// By mention (empty when the list is).
    per_mention: Vec<Listed>,
    /// By entry: some reference gives the person a listed title.
    titled: Vec<bool>,
    /// By entry: the first full name of the person, in any listed spelling.
    pub(super) first_full: Vec<Option<u32>>,
    /// By entry: the first reference to the person, in any listed spelling.
    pub(super) first_ref: Vec<Option<u32>>,
}

impl Resolved {
    pub(super) fn at(&self, i: usize) -> Listed {
        self.per_mention.get(i).copied().unwrap_or(Listed::No)
    }

    /// Whether the listed person `e` needs no full name in this story: the
    /// list lets the surname stand alone, or a reference gives a listed
    /// title ("President Zelensky").
    pub(super) fn needs_no_full_name(&self, list: &NamesList, e: u32) -> bool {
        list.entries[e as usize].alone || self.titled[e as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{messages, rule_with_names};
    use super::*;

    const LIST: &str = r#"
[[person]]
name = "Volodymyr Zelensky"
variants = ["Zelenskyy", "Zelenskiy", "Vladimir Zelensky"]
titles = ["President"]

[[person]]
name = "Ursula von der Leyen"
variants = ["von der Layen"]

[[person]]
name = "Mahatma Gandhi"
variants = ["Ghandi"]
surname-alone = true
"#;

    fn list() -> NamesList {
        let names = Names::parse("names.toml", LIST).expect("parses");
        let particles = WordSet::new(["von", "der"]);
        NamesList::new(&names, &particles)
    }

    #[test]
    fn the_index_holds_surnames_with_their_particles() {
        let l = list();
        assert_eq!(l.entries[1].surname, "von der Leyen");
        assert_eq!(l.entries[1].given, ["Ursula"]);
        assert!(l.by_surname.contains_key("von der leyen"));
        assert!(l.variant_surnames.contains_key("zelenskyy"));
        assert!(l.variant_names.contains_key("zelensky"));
        assert!(l.variant_surnames.contains_key("von der layen"));
        assert!(l.entries[0].has_title("President") && l.entries[0].has_title("president"));
        assert!(!l.entries[0].has_title("Chancellor"));
        assert!(l.entries[2].alone && !l.entries[0].alone);
    }

    /// A listed variant is reported with the listed spelling; the
    /// listed spelling is not.
    #[test]
    fn variants_are_reported_with_the_listed_spelling() {
        let rule = rule_with_names(LIST);
        let m = messages(
            &rule,
            "Talks\n\nVolodymyr Zelenskyy arrived in Brussels. Zelenskiy said the talks went well.\n",
        );
        assert_eq!(m.len(), 2, "{m:?}");
        assert!(m.iter().all(|m| m.contains("\"Zelensky\"")), "{m:?}");
        let m = messages(
            &rule,
            "Talks\n\nVladimir Zelensky arrived in Brussels. Zelensky said the talks went well.\n",
        );
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(m[0].contains("\"Volodymyr Zelensky\""), "{m:?}");
        assert!(
            messages(
                &rule,
                "Talks\n\nVolodymyr Zelensky arrived in Brussels. Zelensky said the talks went well.\n"
            )
            .is_empty()
        );
    }

    /// The fix for a variant is safe for the listed person and left to an
    /// editor for a name with other given names.
    #[test]
    fn a_variant_with_other_given_names_gets_an_unsafe_fix() {
        let rule = rule_with_names(LIST);
        let text =
            "Talks\n\nOlena Zelenskiy opened the school. Volodymyr Zelenskiy sent a message.\n";
        let doc = crate::document::Document::new(text, "t.txt", &Default::default());
        let found = rule.run(&crate::check::Context::new(&doc, &Default::default()));
        let fixes: Vec<(&str, crate::finding::Applicability)> = found
            .iter()
            .map(|f| {
                let fix = f.fix.as_ref().expect("a fix");
                (&text[f.span.clone()], fix.applicability)
            })
            .collect();
        use crate::finding::Applicability::*;
        assert_eq!(fixes, [("Zelenskiy", Unsafe), ("Zelenskiy", Safe)]);
    }

    /// A listed person is a person: the surname alone, twice, with no full
    /// name is reported unless the list lets it stand or a listed title
    /// stands with it.
    #[test]
    fn a_listed_surname_alone_wants_a_full_name_unless_the_list_says_not() {
        let rule = rule_with_names(LIST);
        let bare = "Talks\n\nZelensky arrived in Brussels. Zelensky said the talks went well.\n";
        let m = messages(&rule, bare);
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(
            m[0].contains("never given a full name") && m[0].contains("Volodymyr Zelensky"),
            "{m:?}"
        );
        let titled =
            "Talks\n\nPresident Zelensky arrived in Brussels. Zelensky said the talks went well.\n";
        assert!(
            messages(&rule, titled).is_empty(),
            "{:?}",
            messages(&rule, titled)
        );
        let alone = "Talks\n\nGandhi led the march. Gandhi said it would go on.\n";
        assert!(messages(&rule, alone).is_empty());
    }

    /// "Never given a full name" goes on the person's first reference,
    /// even when that one is spelled as a listed variant.
    #[test]
    fn a_missing_full_name_goes_on_the_first_reference_in_any_spelling() {
        let rule = rule_with_names(LIST);
        let text = "Talks\n\nZelenskiy arrived in Brussels.\n\nZelensky said the talks went well. Zelensky left.\n";
        let doc = crate::document::Document::new(text, "t.txt", &Default::default());
        let found = rule.run(&crate::check::Context::new(&doc, &Default::default()));
        let mut spans: Vec<(&str, bool)> = found
            .iter()
            .map(|f| (&text[f.span.clone()], f.message.contains("never given")))
            .collect();
        spans.sort();
        assert_eq!(
            spans,
            [("Zelenskiy", false), ("Zelenskiy", true)],
            "{found:?}"
        );
    }

    /// A listed person's title is a title before any name, whether or not
    /// the rule lists it.
    #[test]
    fn a_listed_title_is_a_title() {
        let text = "Bridge\n\nTaoiseach Brennan opened the bridge.\n";
        let doc = crate::document::Document::new(text, "t.txt", &Default::default());
        let prefixes = |nf: &super::super::NameForm| {
            let ms = nf.mentions(&doc);
            let found: Vec<(String, Option<String>)> = ms
                .list
                .iter()
                .map(|m| (ms.full_name(m), ms.prefix_word(m).map(String::from)))
                .collect();
            found
        };
        let mut nf = super::super::tests::shipped();
        assert_eq!(prefixes(&nf), [("Taoiseach Brennan".to_string(), None)]);
        nf.set_names(
            &Names::parse(
                "n.toml",
                "[[person]]\nname = \"Aoife Brennan\"\ntitles = [\"Taoiseach\"]\n",
            )
            .unwrap(),
        );
        assert_eq!(
            prefixes(&nf),
            [("Brennan".to_string(), Some("Taoiseach".to_string()))]
        );
    }

    /// Another person with a listed surname is the story's own: the list
    /// says nothing of them or of the surname alone.
    #[test]
    fn another_person_with_a_listed_surname_is_the_storys() {
        let rule = rule_with_names(LIST);
        let text = "Vote\n\nRahul Gandhi spoke at the rally. Gandhi said the party would win.\n";
        assert!(messages(&rule, text).is_empty());
        let l = list();
        let doc = crate::document::Document::new(text, "t.txt", &Default::default());
        let ms = super::super::tests::shipped().mentions(&doc);
        let r = l.resolve(&ms);
        assert!((0..ms.list.len()).all(|i| r.at(i) == Listed::No));
    }
}
