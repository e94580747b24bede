//! The names list: the people a newsroom writes about, spelled and titled
//! its way. One TOML file a newsroom keeps for all its stories, named by
//! `names = "..."` in `copydesk.toml`; copydesk ships a small default list
//! (`rules/data/names.toml`) of famous names that are often misspelt.
//!
//! ```toml
//! [[person]]
//! name = "Volodymyr Zelensky"            # the spelling to use
//! variants = ["Zelenskyy", "Zelenskiy"]  # spellings to flag
//! titles = ["President"]                 # "President Zelensky" needs no full name
//! surname-alone = true                   # nor does "Zelensky" alone
//! ```
//!
//! A one-word variant is a spelling of the surname ("Zelenskyy"); a variant
//! of several words is a spelling of the whole name ("Vladimir Zelensky").
//! A `name` of one word is a person known by one name ("Pelé").
//!
//! Lists are layered: the built-in list, then the names file of each config
//! from the farthest `extend` to the nearest. A later entry replaces an
//! earlier one for the same person: the same name, or a name whose surname
//! or whole form the other lists as a variant (a newsroom writing
//! "Zelenskyy" with "Zelensky" as a variant replaces a list that has it the
//! other way round).
//!
//! The list is data: the `name-form` check reads it (see
//! `kinds::name_form`); this module only parses, checks and layers it.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, LazyLock};

use serde::Deserialize;
use toml::Spanned;

use crate::error::LoadError;

/// Where the built-in entries come from, as `copydesk names` shows it.
pub const BUILTIN_SOURCE: &str = "built-in";

/// One `[[person]]` table as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawPerson {
    name: Spanned<String>,
    #[serde(default)]
    variants: Vec<Spanned<String>>,
    #[serde(default)]
    titles: Vec<Spanned<String>>,
    #[serde(default)]
    surname_alone: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    person: Vec<Spanned<RawPerson>>,
}

/// A person on the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    /// The name as the newsroom writes it, given names first.
    pub name: String,
    /// Spellings to flag: one word for the surname, several for the name.
    pub variants: Vec<String>,
    /// Titles the newsroom uses before the surname ("President").
    pub titles: Vec<String>,
    /// The surname alone is enough, even at the first reference.
    pub surname_alone: bool,
    /// The file the entry is written in (as shown to the user), or
    /// `BUILTIN_SOURCE`.
    pub source: Arc<str>,
    /// 1-based line of the entry's `[[person]]` table.
    pub line: usize,
}

impl Person {
    /// The words of the name, in order.
    pub fn words(&self) -> impl Iterator<Item = &str> {
        self.name.split_whitespace()
    }

    /// The last word of the name.
    pub fn last_word(&self) -> &str {
        self.words().last().unwrap_or("")
    }

    /// Whether the person is known by one name ("Pelé").
    pub fn is_mononym(&self) -> bool {
        self.words().nth(1).is_none()
    }

    /// Whether this entry and `other` are one person: the same name, or
    /// one lists the other's name or surname as a variant.
    fn same_person(&self, other: &Person) -> bool {
        let lists = |a: &Person, b: &Person| {
            a.variants
                .iter()
                .any(|v| *v == b.name || (!v.contains(' ') && v == b.last_word()))
        };
        squeeze(&self.name) == squeeze(&other.name) || lists(self, other) || lists(other, self)
    }
}

/// The people on a list, in the order they were read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Names {
    people: Vec<Person>,
}

/// The built-in list, parsed once per process.
static BUILTIN: LazyLock<Arc<Names>> = LazyLock::new(|| {
    let text = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/rules/data/names.toml"
    ));
    // `builtin_list_parses` checks the shipped file; an error here is a
    // build of copydesk with a broken data file.
    Arc::new(Names::parse(BUILTIN_SOURCE, text).expect("rules/data/names.toml parses"))
});

impl Names {
    /// The list copydesk ships.
    pub fn builtin() -> Arc<Names> {
        Arc::clone(&BUILTIN)
    }

    /// Parse a names file. `source` names it in errors and in each entry.
    pub fn parse(source: &str, text: &str) -> Result<Names, LoadError> {
        let raw: RawFile =
            toml::from_str(text).map_err(|e| crate::error::from_toml(source, text, &e))?;
        Names::from_raw(source, text, raw.person)
            .map_err(|(span, message)| LoadError::new(source, text, Some(span), message))
    }

    /// Build a list from `[[person]]` tables read out of `text` (a names
    /// file, or a rule file whose example carries people); an error is a
    /// message at a byte span of `text`.
    pub fn from_raw(
        source: &str,
        text: &str,
        raw: Vec<Spanned<RawPerson>>,
    ) -> Result<Names, (Range<usize>, String)> {
        let source: Arc<str> = Arc::from(source);
        let mut people = Vec::with_capacity(raw.len());
        // Each name and one-word variant seen so far, for contradictions
        // inside one file.
        let mut names: HashMap<String, usize> = HashMap::new();
        let mut variant_of: HashMap<String, String> = HashMap::new();
        for entry in raw {
            let table = entry.span();
            let p = entry.into_inner();
            let name = squeeze(p.name.get_ref());
            if !name.chars().any(char::is_alphabetic) {
                return Err((p.name.span(), "`name` needs the person's name".into()));
            }
            if let Some(&earlier) = names.get(&name) {
                return Err((
                    p.name.span(),
                    format!("{name} is listed twice (first at line {earlier})"),
                ));
            }
            let line = line_of(text, table.start);
            names.insert(name.clone(), line);
            let last = name.split(' ').next_back().unwrap_or("").to_string();
            let mut variants = Vec::with_capacity(p.variants.len());
            for v in &p.variants {
                let written = squeeze(v.get_ref());
                if !written.chars().any(char::is_alphabetic) {
                    return Err((v.span(), "a variant needs letters".into()));
                }
                if written == name || written == last {
                    return Err((
                        v.span(),
                        format!("`{written}` is the listed spelling of {name}, not a variant"),
                    ));
                }
                if !written.contains(' ') {
                    match variant_of.get(&written) {
                        Some(other) if *other != last => {
                            return Err((
                                v.span(),
                                format!(
                                    "`{written}` is listed as a spelling of both {other} and {last}: \
                                     copydesk could not tell which to suggest"
                                ),
                            ));
                        }
                        _ => {
                            variant_of.insert(written.clone(), last.clone());
                        }
                    }
                }
                variants.push(written);
            }
            let mut titles = Vec::with_capacity(p.titles.len());
            for t in &p.titles {
                let written = squeeze(t.get_ref());
                if !written.chars().any(char::is_alphabetic) {
                    return Err((t.span(), "a title needs letters".into()));
                }
                titles.push(written);
            }
            people.push(Person {
                name,
                variants,
                titles,
                surname_alone: p.surname_alone,
                source: Arc::clone(&source),
                line,
            });
        }
        Ok(Names { people })
    }

    /// Add the entries of a later list (a nearer config's): each replaces
    /// the entries here for the same person.
    pub fn extend(&mut self, later: &Names) {
        for p in &later.people {
            self.people.retain(|q| !q.same_person(p));
        }
        self.people.extend(later.people.iter().cloned());
    }

    pub fn people(&self) -> &[Person] {
        &self.people
    }

    pub fn is_empty(&self) -> bool {
        self.people.is_empty()
    }
}

/// Words separated by single spaces.
fn squeeze(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn line_of(text: &str, at: usize) -> usize {
    text[..at.min(text.len())].matches('\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIST: &str = r#"
# People we write about.
[[person]]
name = "Volodymyr  Zelensky"
variants = ["Zelenskyy", "Zelenskiy", "Vladimir Zelensky"]
titles = ["President"]
surname-alone = true

[[person]]
name = "Pelé"
"#;

    #[test]
    fn a_list_reads_its_people_with_their_lines() {
        let names = Names::parse("style/names.toml", LIST).expect("parses");
        let [z, p] = names.people() else {
            panic!("{names:?}")
        };
        assert_eq!(z.name, "Volodymyr Zelensky");
        assert_eq!(z.last_word(), "Zelensky");
        assert_eq!(z.variants, ["Zelenskyy", "Zelenskiy", "Vladimir Zelensky"]);
        assert_eq!(z.titles, ["President"]);
        assert!(z.surname_alone && !z.is_mononym());
        assert_eq!((&*z.source, z.line), ("style/names.toml", 3));
        assert!(p.is_mononym() && !p.surname_alone);
        assert_eq!(p.line, 9);
    }

    /// Every problem is an error at the line and column of what is wrong.
    #[test]
    fn malformed_lists_are_errors_with_a_position() {
        let at = |text: &str| {
            let e = Names::parse("n.toml", text).expect_err(text);
            (e.line_col(), e.message)
        };
        let (pos, msg) = at("[[person]]\nname = \"Ana Kovac\"\nvariant = [\"Kovach\"]\n");
        assert_eq!(pos, Some((3, 1)));
        assert!(msg.contains("unknown field `variant`"), "{msg}");
        let (pos, _) = at("[[person]]\nname = \"Ana Kovac\nvariants = []\n");
        assert_eq!(pos.map(|p| p.0), Some(2));
        let (pos, msg) =
            at("[[person]]\nname = \"Ana Kovac\"\nvariants = [\"Kovach\", \"Kovac\"]\n");
        assert_eq!(pos, Some((3, 23)));
        assert!(msg.contains("listed spelling"), "{msg}");
        let (pos, msg) =
            at("[[person]]\nname = \"Ana Kovac\"\n\n[[person]]\nname = \"Ana Kovac\"\n");
        assert_eq!(pos, Some((5, 8)));
        assert!(msg.contains("first at line 1"), "{msg}");
        let (pos, msg) = at(
            "[[person]]\nname = \"Ana Kovac\"\nvariants = [\"Kovach\"]\n\
                             [[person]]\nname = \"Ivan Kovacs\"\nvariants = [\"Kovach\"]\n",
        );
        assert_eq!(pos, Some((6, 13)));
        assert!(msg.contains("both Kovac and Kovacs"), "{msg}");
        let (pos, msg) = at("[[person]]\nname = \"  \"\n");
        assert_eq!(pos, Some((2, 8)));
        assert!(msg.contains("needs the person's name"), "{msg}");
        let (_, msg) = at("[[person]]\nvariants = [\"Kovach\"]\n");
        assert!(msg.contains("missing field `name`"), "{msg}");
        let (_, msg) = at("[[person]]\nname = \"Ana Kovac\"\nsurname-alone = \"yes\"\n");
        assert!(msg.contains("invalid type"), "{msg}");
    }

    /// A later list's entry replaces an earlier one for the same person,
    /// whichever way round the two spell the name.
    #[test]
    fn a_later_list_replaces_the_same_person() {
        let mut base = Names::parse(
            "base.toml",
            "[[person]]\nname = \"Volodymyr Zelensky\"\nvariants = [\"Zelenskyy\"]\n\
             [[person]]\nname = \"Grace Okafor\"\n",
        )
        .unwrap();
        let desk = Names::parse(
            "desk.toml",
            "[[person]]\nname = \"Volodymyr Zelenskyy\"\nvariants = [\"Zelensky\"]\n\
             [[person]]\nname = \"Ada Okoro\"\n",
        )
        .unwrap();
        base.extend(&desk);
        let listed: Vec<(&str, &str)> = base
            .people()
            .iter()
            .map(|p| (p.name.as_str(), &*p.source))
            .collect();
        assert_eq!(
            listed,
            [
                ("Grace Okafor", "base.toml"),
                ("Volodymyr Zelenskyy", "desk.toml"),
                ("Ada Okoro", "desk.toml")
            ]
        );
    }

    #[test]
    fn builtin_list_parses() {
        let names = Names::builtin();
        assert!(!names.is_empty());
        for p in names.people() {
            assert_eq!(&*p.source, BUILTIN_SOURCE);
            assert!(
                !p.variants.is_empty(),
                "{}: the default list flags spellings",
                p.name
            );
        }
    }
}
