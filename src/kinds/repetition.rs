//! `repetition`: the same word twice in a row ("the the"), across a line break
//! too, unless the rule lists the double as legitimate ("had had"). The fix
//! deletes the second word (safe).

use super::{KindError, KindSpec};
use crate::check::{Check, Context, Emitter};
use crate::finding::Fix;

pub const SPEC: KindSpec = KindSpec {
    name: "repetition",
    summary: "a word written twice in a row (fixable)",
    params: File::PARAMS,
    parse,
    cost: 2,
};

crate::rule_file!(File {
    /// Legitimate doubles, written as the doubled phrase ("had had", "that
    /// that") or as the word; matched in any case. Default none.
    #[serde(default)]
    exceptions: Vec<String>,
    /// Compare the two words in any case, so "The the" counts. Default
    /// true.
    #[serde(default = "yes")]
    ignore_case: bool,
});

fn yes() -> bool {
    true
}

#[derive(Debug)]
struct Repetition {
    exceptions: Vec<String>,
    ignore_case: bool,
}

fn parse(text: &str) -> Result<super::Parsed, KindError> {
    let (common, f) = File::parse(text)?;
    Ok((
        common,
        Box::new(Repetition {
            exceptions: f
                .exceptions
                .iter()
                .map(|e| e.split_whitespace().next().unwrap_or("").to_lowercase())
                .collect(),
            ignore_case: f.ignore_case,
        }),
    ))
}

impl Check for Repetition {
    fn check(&self, doc: &Context, out: &mut Emitter) {
        let mut buf = Vec::new();
        // (Words are never empty.)
        let bytes = doc.text.as_bytes();
        for s in &doc.sentences {
            let words = doc.words_of(s, &mut buf);
            for pair in words.windows(2) {
                let (a, b) = (&pair[0].range(), &pair[1].range());
                // The first bytes first, read from the text without slicing
                // out either word: nearly every pair differs there, and
                // then neither word nor the space between is read. Two
                // different ASCII first letters differ in any case (and so
                // with case too).
                let (fa, fb) = (bytes[a.start], bytes[b.start]);
                if fa.is_ascii() && fb.is_ascii() && !fa.eq_ignore_ascii_case(&fb) {
                    continue;
                }
                let (ta, tb) = (doc.slice(a), doc.slice(b));
                let same = if !self.ignore_case {
                    ta == tb
                } else if ta.is_ascii() && tb.is_ascii() {
                    // No allocation for the common case. (Not for other
                    // text: the Kelvin sign lower-cases to an ASCII "k".)
                    ta.eq_ignore_ascii_case(tb)
                } else {
                    ta.to_lowercase() == tb.to_lowercase()
                };
                if !same {
                    continue;
                }
                let gap = &doc.prose[a.end..b.start];
                if gap.is_empty() || !gap.chars().all(char::is_whitespace) {
                    continue;
                }
                // "The the" (a sentence start) is a slip; "first FIRST" is
                // emphasis and "Mau Mau" a name.
                let upper = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
                let shouting = |w: &str| {
                    w.chars().filter(|c| c.is_alphabetic()).count() > 1
                        && w.chars()
                            .filter(|c| c.is_alphabetic())
                            .all(char::is_uppercase)
                };
                if ta != tb && (shouting(ta) != shouting(tb) || upper(tb)) {
                    continue;
                }
                if upper(ta) && upper(tb) {
                    continue;
                }
                // Numbers repeat legitimately ("10 10" in tables, "1 1").
                if ta.chars().all(|c| c.is_ascii_digit()) {
                    continue;
                }
                if self.exceptions.contains(&ta.to_lowercase()) {
                    continue;
                }
                let shown = format!("{ta} {tb}");
                let f = out.emit(a.start..b.end, &[("match", &shown)]);
                f.set_fix(Fix::safe(
                    a.end..b.end,
                    "",
                    format!("delete the second \"{tb}\""),
                ));
            }
        }
    }

    fn fixable(&self) -> bool {
        true
    }

    fn variables(&self) -> &'static [&'static str] {
        &["match"]
    }
}

#[cfg(test)]
mod tests {
    use crate::document::{Document, Options};
    use crate::rule::Rule;

    /// The shipped doubled-word rule, with case ignored or not.
    fn doubles(ignore_case: bool, text: &str) -> Vec<String> {
        let shipped = crate::testing::shipped_rule("doubled-word").replacen(
            "exceptions = [",
            &format!("ignore-case = {ignore_case}\nexceptions = ["),
            1,
        );
        let rule = Rule::parse("doubled-word", "test", &shipped).expect("parses");
        let doc = Document::new(text, "story.txt", &Options::default());
        rule.run(&crate::check::Context::new(&doc, &Default::default()))
            .into_iter()
            .map(|f| f.message)
            .collect()
    }

    /// A double in another case counts only when case is ignored; the
    /// first letters alone tell most pairs apart, in either setting.
    #[test]
    fn case_is_ignored_only_when_asked() {
        let text = "The the plan. It is the the end. Over over, and Éclair éclair.";
        let quoted = |pairs: &[&str]| -> Vec<String> {
            pairs
                .iter()
                .map(|p| format!("doubled word: \"{p}\""))
                .collect()
        };
        assert_eq!(
            doubles(true, text),
            quoted(&["The the", "the the", "Over over", "Éclair éclair"])
        );
        assert_eq!(doubles(false, text), quoted(&["the the"]));
        assert!(doubles(true, "one two three four").is_empty());
    }
}
