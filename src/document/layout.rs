//! Plain-text layout: which lines make up one paragraph.
//!
//! Two layouts occur, often mixed in one draft: hard-wrapped prose (lines broken
//! mid-sentence at a similar width, paragraphs separated by blank lines) and one
//! paragraph per line (CMS exports, pasted drafts). The decision is made per
//! block of consecutive non-blank lines, then per line break inside the block.

use std::ops::Range;

/// Width (in chars) above which a block cannot be hard-wrapped prose.
const MAX_WRAP_WIDTH: usize = 120;
/// A line shorter than this share of the block's widest line ends its paragraph.
const SHORT_LINE_RATIO: f64 = 0.7;

/// Does the line end a sentence (or a clause that may end a paragraph)?
pub fn ends_closed(line: &str) -> bool {
    let t = line.trim_end();
    let t = t.trim_end_matches(['"', '\'', '\u{201d}', '\u{2019}', ')', ']', '*', '_']);
    matches!(
        t.chars().last(),
        Some('.' | '!' | '?' | ':' | ';' | '\u{2026}')
    )
}

fn width(s: &str) -> usize {
    s.trim().chars().count()
}

/// Group prose lines (byte ranges into `text`) into paragraphs.
/// Blank lines always separate; inside a block the layout decides.
pub fn paragraphs(text: &str, lines: &[Range<usize>]) -> Vec<Range<usize>> {
    let mut out = Vec::with_capacity(lines.len().min(4096));
    let mut block: Vec<Range<usize>> = Vec::new();
    for line in lines {
        if text[line.clone()].trim().is_empty() {
            split_block(text, &block, &mut out);
            block.clear();
        } else {
            block.push(line.clone());
        }
    }
    split_block(text, &block, &mut out);
    out
}

fn split_block(text: &str, block: &[Range<usize>], out: &mut Vec<Range<usize>>) {
    // One line (most paragraphs of most copy): it is the paragraph, and its
    // width, which takes a count of its characters, does not matter.
    if let [line] = block {
        let s = trim_range(text, line.clone());
        if !s.is_empty() {
            out.push(s);
        }
        return;
    }
    if block.is_empty() {
        return;
    }
    let widest = block
        .iter()
        .map(|l| width(&text[l.clone()]))
        .max()
        .unwrap_or(0);
    let long_enough =
        |l: &Range<usize>| width(&text[l.clone()]) as f64 >= SHORT_LINE_RATIO * widest as f64;
    let candidates: Vec<&Range<usize>> = block[..block.len() - 1]
        .iter()
        .filter(|l| long_enough(l))
        .collect();
    let open = candidates
        .iter()
        .filter(|l| !ends_closed(&text[(**l).clone()]))
        .count();
    let wrapped =
        widest <= MAX_WRAP_WIDTH && !candidates.is_empty() && open * 2 >= candidates.len();

    let mut start = block[0].start;
    for (i, line) in block.iter().enumerate() {
        let last = i + 1 == block.len();
        let joins = !last
            && wrapped
            && long_enough(line)
            && !is_title_line(&text[line.clone()])
            && !is_separator(&text[block[i + 1].clone()])
            && !is_separator(&text[line.clone()]);
        if !joins {
            let s = trim_range(text, start..line.end);
            if !s.is_empty() {
                out.push(s);
            }
            if !last {
                start = block[i + 1].start;
            }
        }
    }
}

/// A line set in title case ("Mayor Unveils Plan to Rebuild Piers"): a
/// headline or crosshead, never the middle of a wrapped sentence.
pub fn is_title_line(line: &str) -> bool {
    let t = line.trim();
    if ends_closed(t) {
        return false;
    }
    let words: Vec<&str> = t.split_whitespace().collect();
    if words.len() < 2 || words.len() > 14 {
        return false;
    }
    let long: Vec<&&str> = words
        .iter()
        .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() > 3)
        .collect();
    if long.len() < 2 {
        return false;
    }
    let capitalised = long
        .iter()
        .filter(|w| {
            w.chars()
                .find(|c| c.is_alphabetic())
                .is_some_and(char::is_uppercase)
        })
        .count();
    capitalised == long.len()
}

/// A line of only punctuation or symbols (`***`, `---`, `• • •`).
pub fn is_separator(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty() && !t.chars().any(char::is_alphanumeric)
}

/// Shrink a byte range so it has no leading or trailing whitespace.
pub fn trim_range(text: &str, r: Range<usize>) -> Range<usize> {
    let s = &text[r.clone()];
    let start = r.start + (s.len() - s.trim_start().len());
    let end = r.end - (s.len() - s.trim_end().len());
    if start >= end {
        start..start
    } else {
        start..end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paras(text: &str) -> Vec<&str> {
        let lines = crate::text::lines_in(text, 0..text.len());
        paragraphs(text, &lines)
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn hard_wrapped_paragraphs_join() {
        let t = "The council met on Monday to discuss the plan, which would\nrebuild the piers over five years. Members asked about the\ncost and the schedule.\n\nA second paragraph begins here and it is also wrapped at\nroughly the same width as the first one was.\n";
        assert_eq!(paras(t).len(), 2);
    }

    #[test]
    fn one_paragraph_per_line_splits() {
        let t = "Headline Goes Here\nThe first paragraph is a single long line that ends with a full stop as they do.\nShort one.\nAnother paragraph, also complete, which ends properly with punctuation.\n";
        let p = paras(t);
        assert_eq!(p.len(), 4, "{p:?}");
        assert_eq!(p[0], "Headline Goes Here");
    }

    #[test]
    fn mixed_layout_lede_then_headline_then_lines() {
        let t = "A long lede line that goes on and on about the news of the day, well beyond any wrap width one would use for hard-wrapped prose.\n\nRiver Piers Plan Unveiled\n\nFirst line paragraph.\nSecond line paragraph that is a bit longer than the first.\n";
        let p = paras(t);
        assert_eq!(p.len(), 4, "{p:?}");
    }
}
