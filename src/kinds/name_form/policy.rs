//! Honorific style, judged per person: "Okoro" then "Mr Okoro" is
//! inconsistent for Okoro, but one person's "Mr Okoro" sets nothing for the
//! singer "Vance". Only later references outside quotations count: a
//! speaker's words are theirs, a full name introduces, and a title
//! ("Mayor Okafor") is neither bare nor an honorific, unless it is a
//! courtesy title that stands where one would ("Dr Rahman").

use std::ops::Range;

use rustc_hash::FxHashMap as HashMap;
use serde::Deserialize;

use super::mentions::{Mention, Mentions, Prefix};
use crate::check::Emitter;

/// The style a person's later references should keep, and whose it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Preferred {
    /// Most of this person's own later references keep it.
    Person(Prefix),
    /// This person's references are split evenly; most of the story's
    /// references keep it.
    Story(Prefix),
}

impl Preferred {
    fn prefix(self) -> Prefix {
        match self {
            Preferred::Person(p) | Preferred::Story(p) => p,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub(super) enum Policy {
    /// Wire style: surname alone on later references.
    Surname,
    /// "Ms. Okafor", "Mr Blair" on later references.
    Honorific,
    /// Whatever the story does first for a person, it does throughout for
    /// that person.
    #[default]
    Consistent,
}

/// For each person (by surname key): the style their references keep, and
/// whether a reference against it has been reported.
#[derive(Default)]
pub(super) struct Styles {
    first: HashMap<u32, (Prefix, Range<usize>)>,
    reported: HashMap<u32, ()>,
    /// For each person, the first of `FEMALE_FORMS` their references use,
    /// and whether a reference in another has been reported.
    first_form: HashMap<u32, (usize, Range<usize>, u32)>,
    reported_form: HashMap<u32, ()>,
}

/// The honorifics for a woman. One woman's references keep one of them:
/// "Ms Rose" then "Mrs Rose" is a slip (where "Mr Rose" is another person).
pub(super) const FEMALE_FORMS: [&str; 3] = ["ms", "mrs", "miss"];

/// Which of `FEMALE_FORMS` an honorific is ("Ms", "Mrs.", "MRS").
pub(super) fn female_form(word: Option<&str>) -> Option<usize> {
    let word = word?.trim_end_matches('.');
    FEMALE_FORMS
        .iter()
        .position(|f| f.eq_ignore_ascii_case(word))
}

/// Checks a later reference `m` with an honorific (outside quotations)
/// against the honorific the person's other references keep: reported
/// (once per person) when it is another of `FEMALE_FORMS` than the one
/// most of them use (the first used, when they are even). Returns whether
/// it was reported.
pub(super) fn mixed_female_form(
    ms: &Mentions,
    m: &Mention,
    counts: &[u32; FEMALE_FORMS.len()],
    styles: &mut Styles,
    out: &mut Emitter,
) -> bool {
    let Some(form) = female_form(ms.prefix_word(m)) else {
        return false;
    };
    let (first, first_span, first_word) = styles
        .first_form
        .entry(m.key)
        .or_insert((form, ms.full_span(m), m.prefix_word))
        .clone();
    // The form most references use; on a tie, the one used first.
    let most = (0..FEMALE_FORMS.len())
        .max_by_key(|&i| (counts[i], i == first))
        .unwrap_or(first);
    if form == most || styles.reported_form.insert(m.key, ()).is_some() {
        return false;
    }
    let surname = ms.surname(m);
    let written = ms.prefix_word(m).unwrap_or_default();
    let usual = if most == first {
        ms.names.get(first_word).to_string()
    } else {
        super::mentions::capitalise(FEMALE_FORMS[most])
    };
    let detail = format!(
        "this reference to {surname} uses \"{written}\", but other references to {surname} use \"{usual}\""
    );
    let f = out.emit(ms.full_span(m), &[("name", surname), ("detail", &detail)]);
    if most == first && first_span != ms.full_span(m) {
        f.add_label(first_span, "this person's honorific is set here");
    }
    true
}

impl Policy {
    /// Checks a later reference `m` to an introduced person (outside
    /// quotations), reporting it when it breaks the house policy or the
    /// style that person's references set.
    ///
    /// `style` is how `m` is written: `Prefix::Honorific` for a courtesy
    /// title ("Dr Rahman") as for "Mr Rahman".
    ///
    /// `preferred` is the style most of this person's later references
    /// keep (the story's when they are even), if one does.
    pub(super) fn check(
        self,
        ms: &Mentions,
        m: &Mention,
        style: Prefix,
        preferred: Option<Preferred>,
        styles: &mut Styles,
        out: &mut Emitter,
    ) {
        if style == Prefix::Title {
            return;
        }
        let surname = ms.surname(m);
        match self {
            Policy::Surname if style == Prefix::Honorific => {
                let hon = ms.prefix_word(m).unwrap_or_default();
                let detail = format!(
                    "house style uses the surname alone on later references: \"{surname}\", not \"{hon} {surname}\""
                );
                out.emit(ms.full_span(m), &[("name", surname), ("detail", &detail)]);
            }
            Policy::Honorific if style == Prefix::None => {
                let detail = format!(
                    "house style uses an honorific on later references (\"Ms. {surname}\", \"Mr. {surname}\")"
                );
                out.emit(
                    ms.surname_span(m),
                    &[("name", surname), ("detail", &detail)],
                );
            }
            Policy::Consistent => {
                let Some((p, first)) = styles.first.get(&m.key).cloned() else {
                    // The first reference sets the style unless most of
                    // this person's references (or, when they are even,
                    // the story's) go the other way.
                    let Some(preferred) = preferred.filter(|p| p.prefix() != style) else {
                        styles.first.insert(m.key, (style, ms.full_span(m)));
                        return;
                    };
                    let (this, that) = styles_named(style);
                    let detail = match preferred {
                        Preferred::Person(_) => format!(
                            "this reference to {surname} uses {this}, but most references to {surname} use {that}"
                        ),
                        Preferred::Story(_) => format!(
                            "this reference to {surname} uses {this}, but other references to {surname}, and most in the story, use {that}"
                        ),
                    };
                    out.emit(ms.full_span(m), &[("name", surname), ("detail", &detail)]);
                    styles.reported.insert(m.key, ());
                    styles
                        .first
                        .insert(m.key, (preferred.prefix(), ms.full_span(m)));
                    return;
                };
                if p != style && styles.reported.insert(m.key, ()).is_none() {
                    let (this, that) = styles_named(style);
                    let detail = format!(
                        "this reference to {surname} uses {this}, but other references to {surname} use {that}"
                    );
                    let f = out.emit(ms.full_span(m), &[("name", surname), ("detail", &detail)]);
                    f.add_label(first, "this person's style is set here");
                }
            }
            _ => {}
        }
    }
}

/// How a reference with `prefix` is written, and the other way.
fn styles_named(prefix: Prefix) -> (&'static str, &'static str) {
    if prefix == Prefix::Honorific {
        ("an honorific", "the surname alone")
    } else {
        ("the surname alone", "an honorific")
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{messages, rule_with};

    const MIXED: &str = "Story\n\nGrace Okafor was elected in May. Ms. Okafor said the piers were unsafe. Okafor added that work would start soon.\n";

    #[test]
    fn surname_policy_reports_honorifics() {
        let m = messages(&rule_with("surname"), MIXED);
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(m[0].contains("surname alone"), "{m:?}");
    }

    #[test]
    fn honorific_policy_reports_bare_surnames() {
        let m = messages(&rule_with("honorific"), MIXED);
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(m[0].contains("honorific"), "{m:?}");
    }

    #[test]
    fn an_even_split_names_the_story_not_a_majority() {
        // Okafor: one honorific, one bare; Delaney sets the story's style.
        let text = "Story\n\nGrace Okafor spoke. Ms Okafor said it was funded. Okafor left.\n\nLiam Delaney spoke. Delaney said no. Delaney left.\n";
        let m = messages(&rule_with("consistent"), text);
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(m[0].contains("most in the story"), "{m:?}");
        assert!(!m[0].contains("most references to Okafor"), "{m:?}");
    }

    #[test]
    fn the_story_style_counts_people_not_capitalised_sentence_openers() {
        // Sharp: one honorific, one bare. The story's people take
        // honorifics; "Debt", "Rents" and "Wages" open sentences and are
        // no one's bare references, so the bare "Sharp" is the slip.
        let text = "Story\n\nAnna Mills set out the budget. Ms Mills said it was fair.\n\nTom Sharp disagreed. Mr Sharp said councils faced a gap.\n\nDebt has risen. Rents have soared. Wages have not. Sharp said the cuts were deep.\n\nRain fell. Ms Mills said she would listen.\n";
        let m = messages(&rule_with("consistent"), text);
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(
            m[0].contains("this reference to Sharp uses the surname alone"),
            "{m:?}"
        );
    }

    #[test]
    fn honorific_without_a_period_counts() {
        let text = "Story\n\nTony Blair spoke first. Mr Blair said the vote was close.\n";
        assert!(messages(&rule_with("honorific"), text).is_empty());
        assert_eq!(messages(&rule_with("surname"), text).len(), 1);
    }

    /// One person's honorific sets no style for another person.
    #[test]
    fn consistency_is_per_person() {
        let rule = rule_with("consistent");
        let text = "Story\n\nAda Okoro chairs the board, and the singer Lena Vance opened the gala.\n\n\
                    Mr Okoro said the hall was full. Vance sang twice. Mr Okoro thanked her.\n";
        assert!(messages(&rule, text).is_empty());
        let mixed = "Story\n\nAda Okoro chairs the board.\n\n\
                     Okoro said the hall was full. Mr Okoro thanked the staff.\n";
        let m = messages(&rule, mixed);
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(m[0].contains("Okoro"), "{m:?}");
    }

    /// A courtesy title counts as an honorific; another title does not.
    #[test]
    fn courtesy_titles_count_as_honorifics() {
        let rule = rule_with("consistent");
        let text = "Story\n\nAisha Rahman led the study. Dr Rahman said it was clear.\n\n\
                    Rahman said more work was needed. Dr Rahman left.\n";
        let m = messages(&rule, text);
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(m[0].contains("surname alone"), "{m:?}");
        let mayor = "Story\n\nGrace Okafor was elected. Mayor Okafor said it was clear.\n\n\
                     Okafor said more work was needed. Mayor Okafor left.\n";
        assert!(
            messages(&rule, mayor).is_empty(),
            "{:?}",
            messages(&rule, mayor)
        );
    }

    /// Quoted references set no style.
    #[test]
    fn quoted_references_set_no_style() {
        let rule = rule_with("consistent");
        let text = "Story\n\nAda Okoro chairs the board.\n\n\
                    \"Okoro knows the place,\" a colleague said. Mr Okoro agreed. Mr Okoro left at six.\n";
        assert!(
            messages(&rule, text).is_empty(),
            "{:?}",
            messages(&rule, text)
        );
    }
}
