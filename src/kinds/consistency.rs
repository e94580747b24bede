//! `consistency`: sets of spellings of which a story should use only one
//! ("adviser" / "advisor"). The less frequent form is reported at each use,
//! with a secondary label on the first use of the story's majority form (on a
//! tie, the form used first wins).

use std::ops::Range;

use toml::Spanned;

use super::{KindError, KindSpec};
use crate::check::{Check, Context, Emitter};
use crate::matching::PhraseMatcher;

pub const SPEC: KindSpec = KindSpec {
    name: "consistency",
    summary: "one spelling per story from a set of variants",
    params: File::PARAMS,
    parse,
    cost: 1,
};

crate::rule_file!(File {
    /// The sets of forms, each a list of two or more words or phrases of
    /// which a story should use one (`[["adviser", "advisor"]]`). Forms
    /// match as whole words, across line breaks.
    sets: Vec<Spanned<Vec<String>>>,
    /// Match the forms in any case, so "Adviser" counts as "adviser".
    /// Default true.
    #[serde(default = "yes")]
    ignore_case: bool,
});

fn yes() -> bool {
    true
}

#[derive(Debug)]
struct Consistency {
    sets: Vec<(PhraseMatcher, Vec<String>)>,
    ignore_case: bool,
}

fn parse(text: &str) -> Result<super::Parsed, KindError> {
    let (common, f) = File::parse(text)?;
    let mut sets = Vec::new();
    for set in &f.sets {
        if set.get_ref().len() < 2 {
            return Err(KindError::At(
                set.span(),
                "a set needs at least two forms".into(),
            ));
        }
        let tokens: Vec<Spanned<String>> = set
            .get_ref()
            .iter()
            .map(|s| Spanned::new(set.span(), s.clone()))
            .collect();
        let forms = set
            .get_ref()
            .iter()
            .map(|s| {
                if f.ignore_case {
                    s.to_lowercase()
                } else {
                    s.clone()
                }
            })
            .collect();
        sets.push((PhraseMatcher::new(&tokens, &[], f.ignore_case)?, forms));
    }
    Ok((
        common,
        Box::new(Consistency {
            sets,
            ignore_case: f.ignore_case,
        }),
    ))
}

impl Check for Consistency {
    fn check(&self, doc: &Context, out: &mut Emitter) {
        let mut form = String::new();
        for (matcher, forms) in &self.sets {
            let found = doc.find_in_prose(matcher);
            // Two forms need two matches (most sets have none in a story).
            if found.len() < 2 {
                continue;
            }
            // Uses of each form, in order.
            let mut uses: Vec<Vec<Range<usize>>> = vec![Vec::new(); forms.len()];
            for r in found {
                // The match squeezed (and lower-cased), in a buffer kept
                // from match to match.
                form.clear();
                for (k, w) in doc.prose[r.clone()].split_whitespace().enumerate() {
                    if k > 0 {
                        form.push(' ');
                    }
                    if self.ignore_case {
                        let mut buf = [0u8; 32];
                        form.push_str(&crate::document::lower_in(&mut buf, w));
                    } else {
                        form.push_str(w);
                    }
                }
                if let Some(i) = forms.iter().position(|f| *f == form) {
                    uses[i].push(r);
                }
            }
            let used: Vec<usize> = (0..forms.len()).filter(|&i| !uses[i].is_empty()).collect();
            if used.len() < 2 {
                continue;
            }
            let majority = *used
                .iter()
                .max_by(|&&a, &&b| {
                    uses[a]
                        .len()
                        .cmp(&uses[b].len())
                        .then(uses[b][0].start.cmp(&uses[a][0].start))
                })
                .unwrap_or(&used[0]);
            let first = uses[majority][0].clone();
            let majority_text = doc.slice(&first).to_string();
            for &i in &used {
                if i == majority {
                    continue;
                }
                for r in &uses[i] {
                    let shown = doc.slice(r).to_string();
                    let f = out.emit(
                        r.clone(),
                        &[("match", &shown), ("majority", &majority_text)],
                    );
                    f.add_label(
                        first.clone(),
                        format!(
                            "the story uses \"{majority_text}\" {} time{}",
                            uses[majority].len(),
                            if uses[majority].len() == 1 { "" } else { "s" }
                        ),
                    );
                }
            }
        }
    }

    fn variables(&self) -> &'static [&'static str] {
        &["match", "majority"]
    }

    fn phrase_lists(&self) -> Vec<&PhraseMatcher> {
        self.sets.iter().map(|(m, _)| m).collect()
    }
}
