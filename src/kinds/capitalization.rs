//! `capitalization`: headline case. In sentence style a headline that reads
//! as title case is reported once; in title style each word in the wrong
//! case is reported, with an unsafe fix. Acronyms (all capitals), words with
//! digits and the rule's proper nouns are left alone.

use serde::Deserialize;

use super::{KindError, KindSpec};
use crate::check::{Check, Context, Emitter};
use crate::finding::Fix;

pub const SPEC: KindSpec = KindSpec {
    name: "capitalization",
    summary: "headline case: sentence or title",
    params: File::PARAMS,
    parse,
    cost: 1,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum Style {
    Sentence,
    Title,
}

crate::param_enum!(Style);

crate::rule_file!(File {
    /// The house's headline case. `sentence` (wire style) capitalises the
    /// first word and proper nouns only; `title` capitalises every word
    /// except `small-words`, which stay lower case unless first or last.
    style: Style,
    /// With `style = "title"`: the words that stay lower case inside a
    /// headline ("a", "of", "the"). Default none.
    #[serde(default)]
    small_words: Vec<String>,
    /// Words never reported, whatever their case (proper nouns, brand
    /// names), written as they appear. Default none.
    #[serde(default)]
    proper_nouns: Vec<String>,
    /// With `style = "sentence"`: the share (0 to 1) of a headline's longer
    /// words (four letters or more, after the first word) that must be
    /// capitalised for it to read as title case; it needs three such words.
    /// Default 0.6.
    #[serde(default = "default_share")]
    title_share: f64,
});

fn default_share() -> f64 {
    0.6
}

#[derive(Debug)]
struct Capitalization {
    style: Style,
    small: Vec<String>,
    proper: Vec<String>,
    share: f64,
}

fn parse(text: &str) -> Result<super::Parsed, KindError> {
    let (common, f) = File::parse(text)?;
    Ok((
        common,
        Box::new(Capitalization {
            style: f.style,
            small: f.small_words.iter().map(|s| s.to_lowercase()).collect(),
            proper: f.proper_nouns,
            share: f.title_share,
        }),
    ))
}

fn starts_upper(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

fn is_acronym(w: &str) -> bool {
    w.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && w.chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase)
}

fn flip_first(w: &str, upper: bool) -> String {
    let mut c = w.chars();
    match c.next() {
        Some(f) if upper => f.to_uppercase().collect::<String>() + c.as_str(),
        Some(f) => f.to_lowercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

impl Check for Capitalization {
    fn check(&self, doc: &Context, out: &mut Emitter) {
        let Some(h) = &doc.headline else { return };
        let Some(span) = &h.span else { return };
        let mut words = Vec::new();
        crate::document::sentences::words(&doc.prose, span.clone(), &mut words);
        if words.len() < 2 {
            return;
        }
        let skip = |w: &str| {
            is_acronym(w)
                || w.chars().any(|c| c.is_ascii_digit())
                || self.proper.iter().any(|p| p == w)
                || !w.chars().next().is_some_and(char::is_alphabetic)
        };
        match self.style {
            Style::Sentence => {
                let long: Vec<&str> = words[1..]
                    .iter()
                    .map(|r| doc.slice(&r.range()))
                    .filter(|w| w.chars().count() >= 4 && !skip(w))
                    .collect();
                let caps = long.iter().filter(|w| starts_upper(w)).count();
                if long.len() >= 3 && caps as f64 >= self.share * long.len() as f64 {
                    let detail = format!(
                        "{caps} of its {} longer words are capitalised; house style is sentence case (first word and proper nouns only)",
                        long.len()
                    );
                    let shown = doc.slice(span).to_string();
                    out.emit(span.clone(), &[("match", &shown), ("detail", &detail)]);
                }
            }
            Style::Title => {
                let last = words.len() - 1;
                for (i, r) in words.iter().enumerate() {
                    let w = doc.slice(&r.range());
                    if skip(w) {
                        continue;
                    }
                    let small = self.small.contains(&w.to_lowercase());
                    let want_upper = i == 0 || i == last || !small;
                    if want_upper == starts_upper(w) {
                        continue;
                    }
                    let fixed = flip_first(w, want_upper);
                    let detail = if want_upper {
                        format!("capitalise \"{fixed}\" in a title-case headline")
                    } else {
                        format!("small words stay lower case in a title-case headline: \"{fixed}\"")
                    };
                    let f = out.emit(r.range(), &[("match", w), ("detail", &detail)]);
                    f.set_fix(Fix::unsafe_(
                        r.range(),
                        fixed.clone(),
                        format!("write \"{fixed}\""),
                    ));
                }
            }
        }
    }

    fn fixable(&self) -> bool {
        self.style == Style::Title
    }

    fn variables(&self) -> &'static [&'static str] {
        &["match", "detail"]
    }
}
