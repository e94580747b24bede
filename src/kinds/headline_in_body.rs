//! `headline-in-body`: the headline (or deck) repeated in the body, as a whole
//! line or paragraph, or as a sentence inside one; exactly or nearly (case and
//! punctuation ignored).

use super::{KindError, KindSpec};
use crate::check::{Check, Context, Emitter};
use crate::document::{BlockKind, Display, normalize};
use crate::finding::Fix;

pub const SPEC: KindSpec = KindSpec {
    name: "headline-in-body",
    summary: "the headline or deck repeated in the body",
    params: File::PARAMS,
    parse,
    cost: 1,
};

crate::rule_file!(File {
    /// How alike a body line or sentence must be to the headline or deck
    /// (0.5 to 1.0, 1.0 being the same words) to count as a repeat, with
    /// case and punctuation ignored. Default 0.9.
    #[serde(default = "default_similarity")]
    similarity: f64,
    /// A headline or deck of fewer words than this is not looked for.
    /// Default 3.
    #[serde(default = "default_min_words")]
    min_words: usize,
});

fn default_similarity() -> f64 {
    0.9
}
fn default_min_words() -> usize {
    3
}

#[derive(Debug)]
struct HeadlineInBody {
    similarity: f64,
    min_words: usize,
}

fn parse(text: &str) -> Result<super::Parsed, KindError> {
    let (common, file) = File::parse(text)?;
    crate::check::check_similarity(text, file.similarity)?;
    Ok((
        common,
        Box::new(HeadlineInBody {
            similarity: file.similarity,
            min_words: file.min_words.max(1),
        }),
    ))
}

impl HeadlineInBody {
    fn alike(&self, display: &str, text: &str) -> bool {
        if display == text {
            return true;
        }
        if !self.lengths_close(display.len(), text.len()) {
            return false;
        }
        crate::distance::similarity_at_least(display, text, self.similarity).is_some()
    }

    /// Can normalised texts of these lengths in bytes be alike at all?
    fn lengths_close(&self, a: usize, b: usize) -> bool {
        crate::distance::lengths_close(a, b, self.similarity)
    }
}

impl Check for HeadlineInBody {
    fn check(&self, doc: &Context, out: &mut Emitter) {
        let displays: Vec<(&str, &Display, String)> =
            [("headline", &doc.headline), ("deck", &doc.deck)]
                .into_iter()
                .filter_map(|(what, d)| d.as_ref().map(|d| (what, d, normalize(&d.text))))
                .filter(|(_, _, n)| !n.is_empty() && n.split(' ').count() >= self.min_words)
                .collect();
        if displays.is_empty() {
            return;
        }
        for (bi, block) in doc.blocks.iter().enumerate() {
            if !matches!(
                block.kind,
                BlockKind::Paragraph | BlockKind::Crosshead | BlockKind::Caption
            ) {
                continue;
            }
            // Text far longer than every display cannot repeat one: skip the
            // normalising and the edit distance.
            let longest = displays.iter().map(|(_, _, n)| n.len()).max().unwrap_or(0);
            let plausible =
                |len: usize| (len as f64) * self.similarity <= (longest as f64) * 1.5 + 16.0;
            // A text whose normalised length rules out every display is
            // not normalised (nor compared: `alike` would turn it away).
            let length_allows = |text: &str| {
                let len = crate::document::normalized_len(text);
                displays
                    .iter()
                    .any(|(_, _, n)| self.lengths_close(n.len(), len))
            };
            let text = doc.prose_of(&block.span);
            let whole = if plausible(block.span.len()) && length_allows(text) {
                normalize(text)
            } else {
                String::new()
            };
            let mut hit = false;
            for (what, d, n) in &displays {
                if d.span.as_ref() == Some(&block.span) {
                    continue;
                }
                if self.alike(n, &whole) {
                    let f = emit(out, block.span.clone(), what, d);
                    // A line that is the display text word for word, and
                    // stands as a paragraph of its own, is deleted.
                    if d.text.split_whitespace().eq(text.split_whitespace())
                        && super::stands_apart(doc, bi)
                        && let Some(del) = crate::fix::paragraph_deletion(doc.text, &block.span)
                    {
                        f.set_fix(Fix::safe(del, "", format!("delete the repeated {what}")));
                        f.supersedes = true;
                    }
                    hit = true;
                    break;
                }
            }
            if hit || block.sentences().len() < 2 {
                continue;
            }
            for s in &doc.sentences[block.sentences()] {
                let text = doc.prose_of(&s.span());
                if !plausible(s.span().len()) || !length_allows(text) {
                    continue;
                }
                let sn = normalize(text);
                if let Some((what, d, _)) = displays.iter().find(|(_, _, n)| self.alike(n, &sn)) {
                    emit(out, s.span(), what, d);
                }
            }
        }
    }

    fn fixable(&self) -> bool {
        true
    }

    fn variables(&self) -> &'static [&'static str] {
        &["what"]
    }
}

fn emit<'e>(
    out: &'e mut Emitter,
    span: std::ops::Range<usize>,
    what: &str,
    d: &Display,
) -> &'e mut crate::finding::Finding {
    let f = out.emit(span, &[("what", what)]);
    match &d.span {
        Some(s) => f.add_label(s.clone(), format!("the {what}")),
        None => f.add_note(format!("the {what} is \"{}\"", d.text)),
    }
    f
}
