//! `metric`: length limits, one measure per rule. A value over the maximum
//! or under the minimum is reported on the whole sentence, paragraph or
//! headline it measures.

use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use super::{KindError, KindSpec};
use crate::check::{Check, Context, Emitter};
use crate::document::BlockKind;
use crate::matching::PhraseMatcher;

pub const SPEC: KindSpec = KindSpec {
    name: "metric",
    summary: "length limits for sentences, paragraphs and headlines",
    params: File::PARAMS,
    parse,
    cost: 1,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum Measure {
    SentenceWords,
    ParagraphSentences,
    ParagraphWords,
    HeadlineChars,
    TokenPerSentence,
}

crate::param_enum!(Measure);

crate::rule_file!(File {
    /// What is counted: `sentence-words` (words in a body sentence),
    /// `paragraph-sentences` (sentences in a body paragraph),
    /// `paragraph-words` (words in a body paragraph), `headline-chars`
    /// (characters in the headline) or `token-per-sentence` (uses of
    /// `token` in a body sentence).
    measure: Measure,
    /// The largest value allowed. A rule needs `max`, `min` or both.
    max: Option<usize>,
    /// The smallest value allowed.
    min: Option<usize>,
    /// With `measure = "token-per-sentence"` (and only then): the word or
    /// phrase counted, in any case.
    token: Option<String>,
});

#[derive(Debug)]
struct Metric {
    measure: Measure,
    max: Option<usize>,
    min: Option<usize>,
    token: Option<PhraseMatcher>,
}

fn parse(text: &str) -> Result<super::Parsed, KindError> {
    let (common, f) = File::parse(text)?;
    let at = |k: &str| crate::check::find_key_span(text, k).unwrap_or(0..0);
    if f.max.is_none() && f.min.is_none() {
        return Err(KindError::At(
            at("measure"),
            "a metric rule needs `max`, `min` or both".into(),
        ));
    }
    if let (Some(min), Some(max)) = (f.min, f.max)
        && min > max
    {
        return Err(KindError::At(
            at("min"),
            format!("`min` ({min}) is larger than `max` ({max}): no value could pass"),
        ));
    }
    let token = match (f.measure, &f.token) {
        (Measure::TokenPerSentence, None) => {
            return Err(KindError::At(
                at("measure"),
                "`token-per-sentence` needs a `token`".into(),
            ));
        }
        (Measure::TokenPerSentence, Some(t)) => Some(PhraseMatcher::new(
            &[Spanned::new(0..0, t.clone())],
            &[],
            true,
        )?),
        (_, Some(_)) => {
            return Err(KindError::At(
                at("token"),
                "`token` only goes with `measure = \"token-per-sentence\"`".into(),
            ));
        }
        _ => None,
    };
    Ok((
        common,
        Box::new(Metric {
            measure: f.measure,
            max: f.max,
            min: f.min,
            token,
        }),
    ))
}

impl Metric {
    fn test(&self, out: &mut Emitter, span: Range<usize>, value: usize) {
        if let Some(max) = self.max
            && value > max
        {
            out.emit(
                span,
                &[("value", &value.to_string()), ("limit", &max.to_string())],
            );
        } else if let Some(min) = self.min
            && value < min
        {
            out.emit(
                span,
                &[("value", &value.to_string()), ("limit", &min.to_string())],
            );
        }
    }
}

impl Check for Metric {
    fn check(&self, doc: &Context, out: &mut Emitter) {
        match self.measure {
            Measure::SentenceWords => {
                for s in &doc.sentences {
                    if doc.blocks[s.block()].kind == BlockKind::Paragraph {
                        self.test(out, s.span(), s.word_count());
                    }
                }
            }
            Measure::TokenPerSentence => {
                let Some(t) = &self.token else { return };
                for s in &doc.sentences {
                    if doc.blocks[s.block()].kind == BlockKind::Paragraph {
                        let n = doc.find_all(t, s.span()).len();
                        self.test(out, s.span(), n);
                    }
                }
            }
            Measure::ParagraphSentences | Measure::ParagraphWords => {
                for (_, b) in doc.body_blocks() {
                    let value = if self.measure == Measure::ParagraphSentences {
                        b.sentences().len()
                    } else {
                        doc.sentences[b.sentences()]
                            .iter()
                            .map(|s| s.word_count())
                            .sum()
                    };
                    self.test(out, b.span.clone(), value);
                }
            }
            Measure::HeadlineChars => {
                if let Some(h) = &doc.headline
                    && let Some(span) = &h.span
                {
                    self.test(out, span.clone(), h.text.trim().chars().count());
                }
            }
        }
    }

    fn variables(&self) -> &'static [&'static str] {
        &["value", "limit"]
    }

    fn phrase_lists(&self) -> Vec<&PhraseMatcher> {
        self.token.iter().collect()
    }
}
