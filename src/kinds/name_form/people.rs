//! Evidence that a capitalised run is a person, or is not one.
//!
//! A person: a run whose first name word is a known given name (the US
//! Census 1990 first names and common international ones, shipped as data
//! beside the rule files), or a run with a title, an honorific or a speech
//! verb beside it (read in `mentions.rs`). Not a person: a run that is a
//! place (GeoNames countries, US states, capitals and large cities, plus
//! regions) or holds a demonym ("Costa Rican", "Latin American"). Each data
//! file names its source and licence in its header.
//!
//! The word sets are built once per process and looked up by the word as
//! written: names are capitalised in copy, and a lookup is a hash of a few
//! bytes.

use rustc_hash::FxHashSet as HashSet;
use std::sync::LazyLock;

/// Lines of a data file, less its comment lines and blanks.
fn entries(text: &'static str) -> impl Iterator<Item = &'static str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

macro_rules! data_file {
    ($name:literal) => {
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/data/", $name))
    };
}

/// Known given names, as written ("Mary", "Volodymyr").
static GIVEN: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    entries(data_file!("given-names.txt"))
        .chain(entries(data_file!("given-names-intl.txt")))
        .collect()
});

/// Places and demonyms, one or more words each ("Costa Rica", "Latin
/// American"); `PLACE_FIRST` holds the first word of each, so a run is
/// looked up only at words that can start one.
struct Places {
    whole: HashSet<&'static str>,
    first: HashSet<&'static str>,
    demonyms: HashSet<&'static str>,
}

static PLACES: LazyLock<Places> = LazyLock::new(|| {
    let places: Vec<&str> = entries(data_file!("places.txt"))
        .chain(entries(data_file!("places-extra.txt")))
        .collect();
    let demonyms: HashSet<&str> = entries(data_file!("demonyms.txt")).collect();
    let first = places
        .iter()
        .chain(demonyms.iter())
        .filter_map(|p| p.split(' ').next())
        .collect();
    Places {
        whole: places.into_iter().collect(),
        first,
        demonyms,
    }
});

/// Whether `w` is a known given name.
pub(super) fn is_given_name(w: &str) -> bool {
    GIVEN.contains(w)
}

/// What a run of name words is, by the place and demonym lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Place {
    /// No place in it.
    None,
    /// The whole run is a place or a demonym ("Costa Rica", "Moldova").
    Whole,
    /// A place or demonym is part of it ("Air Moldova", "Latin American
    /// voters").
    Part,
}

/// Whether the words `ws` (as written, in order) are a place, hold one, or
/// neither. A place is matched as whole words, up to three at a time.
pub(super) fn place_in(ws: &[&str]) -> Place {
    let p = &*PLACES;
    let mut found = Place::None;
    for i in 0..ws.len() {
        if !p.first.contains(ws[i]) {
            continue;
        }
        for n in (1..=3.min(ws.len() - i)).rev() {
            let hit = if n == 1 {
                p.whole.contains(ws[i]) || p.demonyms.contains(ws[i])
            } else {
                let joined = ws[i..i + n].join(" ");
                p.whole.contains(joined.as_str()) || p.demonyms.contains(joined.as_str())
            };
            if hit {
                if i == 0 && n == ws.len() {
                    return Place::Whole;
                }
                found = Place::Part;
                break;
            }
        }
    }
    found
}

/// Whether a run's first word is a descriptor, not a given name: a
/// hyphenated word with a lower-case part ("Scrum-half", "Paris-based",
/// "Nineteen-year-old", "Co-founder"). A hyphenated given name has a
/// capital after each hyphen ("Jean-Paul", "Mary-Kate").
pub(super) fn is_descriptor(w: &str) -> bool {
    let mut parts = w.split(['-', '\u{2011}']);
    let Some(first) = parts.next() else {
        return false;
    };
    if first.is_empty() || !first.chars().next().is_some_and(char::is_uppercase) {
        return false;
    }
    parts.any(|p| p.chars().next().is_some_and(char::is_lowercase))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn given_names_come_from_both_lists() {
        for n in ["Mary", "James", "Benjamin", "Volodymyr", "Aoife", "Chinedu"] {
            assert!(is_given_name(n), "{n}");
        }
        // Months, titles and countries are left out; lower case is not a name.
        for n in ["May", "Major", "China", "Costa", "Air", "mary", "Currently"] {
            assert!(!is_given_name(n), "{n}");
        }
    }

    #[test]
    fn places_and_demonyms_whole_and_in_part() {
        assert_eq!(place_in(&["Costa", "Rica"]), Place::Whole);
        assert_eq!(place_in(&["Costa", "Rican"]), Place::Whole);
        assert_eq!(place_in(&["Latin", "American"]), Place::Whole);
        assert_eq!(place_in(&["Moldova"]), Place::Whole);
        assert_eq!(place_in(&["Air", "Moldova"]), Place::Part);
        assert_eq!(place_in(&["California", "Beausoleil"]), Place::Part);
        assert_eq!(place_in(&["Grace", "Okafor"]), Place::None);
        assert_eq!(place_in(&["Okafor"]), Place::None);
    }

    #[test]
    fn descriptors_are_hyphenated_with_a_lower_case_part() {
        for w in [
            "Scrum-half",
            "Paris-based",
            "Nineteen-year-old",
            "Co-founder",
        ] {
            assert!(is_descriptor(w), "{w}");
        }
        for w in ["Jean-Paul", "O'Neill-Baptiste", "Okafor", "al-Assad", "-x"] {
            assert!(!is_descriptor(w), "{w}");
        }
    }
}
