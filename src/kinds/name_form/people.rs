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
//! The word sets are hash tables laid out by `build.rs` from the data
//! files, so nothing is built at start, and looked up by the word as
//! written: names are capitalised in copy, and a lookup is a hash of a few
//! bytes.

mod word_table {
    include!("word_table.rs");
}

/// A set of words as an open-addressed hash table, at most half full:
/// a word is in the slot its hash names, or in the next ones up to an
/// empty slot.
struct WordSet {
    slots: &'static [&'static str],
}

impl WordSet {
    fn contains(&self, w: &str) -> bool {
        let mask = self.slots.len() - 1;
        let mut i = (word_table::word_hash(w) as usize) & mask;
        loop {
            match self.slots[i] {
                "" => return false,
                s if s == w => return true,
                _ => i = (i + 1) & mask,
            }
        }
    }
}

// `GIVEN`: known given names, as written ("Mary", "Volodymyr").
// `PLACES_WHOLE`: places, one or more words each ("Costa Rica").
// `DEMONYMS`: demonyms ("Costa Rican", "Latin American").
// `PLACES_FIRST`: the first word of each place and demonym, so that a run
// is looked up only at words that can start one.
include!(concat!(env!("OUT_DIR"), "/word_tables.rs"));

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
    let mut found = Place::None;
    for i in 0..ws.len() {
        if !PLACES_FIRST.contains(ws[i]) {
            continue;
        }
        for n in (1..=3.min(ws.len() - i)).rev() {
            let hit = if n == 1 {
                PLACES_WHOLE.contains(ws[i]) || DEMONYMS.contains(ws[i])
            } else {
                let joined = ws[i..i + n].join(" ");
                PLACES_WHOLE.contains(&joined) || DEMONYMS.contains(&joined)
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

    /// The tables hold every entry of their data files, and nothing else.
    #[test]
    fn the_tables_hold_the_data_files() {
        let entries = |text: &'static str| {
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .collect::<Vec<_>>()
        };
        let data = |name: &str| {
            std::fs::read_to_string(format!("{}/rules/data/{name}", env!("CARGO_MANIFEST_DIR")))
                .unwrap()
                .leak()
        };
        let given = [
            entries(data("given-names.txt")),
            entries(data("given-names-intl.txt")),
        ]
        .concat();
        let whole = [
            entries(data("places.txt")),
            entries(data("places-extra.txt")),
        ]
        .concat();
        let demonyms = entries(data("demonyms.txt"));
        let first: Vec<&str> = whole
            .iter()
            .chain(&demonyms)
            .filter_map(|p| p.split(' ').next())
            .collect();
        for (set, words) in [
            (&GIVEN, given),
            (&PLACES_WHOLE, whole),
            (&DEMONYMS, demonyms),
            (&PLACES_FIRST, first),
        ] {
            let mut words = words;
            words.sort_unstable();
            words.dedup();
            assert!(words.iter().all(|w| set.contains(w)));
            assert_eq!(
                set.slots.iter().filter(|s| !s.is_empty()).count(),
                words.len()
            );
            for w in ["", "Nowhere Town", "mary", "Xq"] {
                assert!(!set.contains(w) || words.contains(&w), "{w}");
            }
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
