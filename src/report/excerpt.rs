//! A cut-down view of a source for codespan-reporting: only the lines a
//! diagnostic touches, and long lines (a 600-character one-line paragraph)
//! clipped to a window around the labels with "…" at the cuts. Line and column
//! numbers stay those of the real file.

use std::collections::BTreeMap;
use std::ops::Range;

use codespan_reporting::files::{Error, Files};

use crate::source::Source;

/// Characters kept on each side of a label on a clipped line.
const CONTEXT: usize = 40;
/// Lines longer than this (in chars) are clipped.
const MAX_LINE: usize = 140;
const ELLIPSIS: &str = "…";

struct ExLine {
    /// Original byte range of the kept part.
    window: Range<usize>,
    /// Original line start (for columns).
    line_start: usize,
    /// Start of this line in the excerpt text.
    ex_start: usize,
    /// Bytes of "…" written before the kept part.
    prefix: usize,
    /// Length of the excerpt line content (without the newline).
    ex_len: usize,
    /// Where control characters were shown as visible ones (see
    /// `visible_char`): the original offset just after each, and the bytes
    /// the excerpt has grown by up to there. Empty for most lines.
    grown: Vec<(usize, usize)>,
}

pub struct Excerpt<'s> {
    name: &'s str,
    source: &'s Source,
    text: String,
    lines: BTreeMap<usize, ExLine>,
}

impl<'s> Excerpt<'s> {
    /// Build an excerpt covering `spans` (original byte ranges).
    pub fn new(source: &'s Source, spans: &[Range<usize>]) -> Excerpt<'s> {
        let len = source.text.len();
        // Positions of interest per line.
        let mut marks: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for span in spans {
            let (s, e) = (span.start.min(len), span.end.min(len));
            let (l0, l1) = (source.line_index(s), source.line_index(e));
            for l in l0..=l1 {
                let r = source.line_range(l);
                let entry = marks.entry(l).or_default();
                if l == l0 {
                    entry.push(s.max(r.start).min(r.end));
                }
                if l == l1 {
                    entry.push(e.max(r.start).min(r.end));
                }
                if l != l0 && l != l1 {
                    entry.push(r.start);
                }
            }
        }
        let mut text = String::new();
        let mut lines = BTreeMap::new();
        for (l, pos) in marks {
            let r = source.line_range(l);
            let line = &source.text[r.clone()];
            let window = if line.chars().nth(MAX_LINE).is_none() {
                r.clone()
            } else {
                let lo = *pos.iter().min().unwrap_or(&r.start);
                let hi = *pos.iter().max().unwrap_or(&r.start);
                let start = back_chars(&source.text, r.start, lo, CONTEXT);
                let mut end = fwd_chars(&source.text, hi, r.end, CONTEXT);
                // Never more than about MAX_LINE chars in all.
                let cap = fwd_chars(&source.text, start, r.end, MAX_LINE);
                if end > cap {
                    end = cap.max(fwd_chars(&source.text, lo, r.end, CONTEXT));
                }
                start..end
            };
            let ex_start = text.len();
            let prefix = if window.start > r.start {
                text.push_str(ELLIPSIS);
                ELLIPSIS.len()
            } else {
                0
            };
            let mut grown = Vec::new();
            push_visible(&mut text, &source.text, window.clone(), &mut grown);
            if window.end < r.end {
                text.push_str(ELLIPSIS);
            }
            let ex_len = text.len() - ex_start;
            text.push('\n');
            lines.insert(
                l,
                ExLine {
                    window,
                    line_start: r.start,
                    ex_start,
                    prefix,
                    ex_len,
                    grown,
                },
            );
        }
        Excerpt {
            name: &source.path,
            source,
            text,
            lines,
        }
    }

    /// Map an original byte offset to the excerpt.
    pub fn map(&self, byte: usize) -> usize {
        let l = self.source.line_index(byte.min(self.source.text.len()));
        match self.lines.get(&l) {
            Some(x) => {
                let b = byte.clamp(x.window.start, x.window.end);
                let extra = x
                    .grown
                    .iter()
                    .take_while(|(after, _)| *after <= b)
                    .last()
                    .map_or(0, |&(_, total)| total);
                x.ex_start + x.prefix + (b - x.window.start) + extra
            }
            None => 0,
        }
    }

    pub fn map_range(&self, r: &Range<usize>) -> Range<usize> {
        let s = self.map(r.start);
        s..self.map(r.end).max(s)
    }

    fn line_of_ex(&self, byte: usize) -> Option<(usize, &ExLine)> {
        self.lines
            .iter()
            .take_while(|(_, x)| x.ex_start <= byte)
            .last()
            .map(|(l, x)| (*l, x))
    }
}

/// How a character of a draft is shown on a terminal: control characters
/// (which could move the cursor, change colours or retitle the window) as a
/// visible stand-in, everything else as it is. Tabs are kept.
fn visible_char(c: char) -> Option<char> {
    match c {
        '\t' => None,
        '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + c as u32),
        '\u{7f}' => Some('\u{2421}'),
        '\u{80}'..='\u{9f}' => Some('\u{fffd}'),
        _ => None,
    }
}

/// Append `text[range]` to `out` with control characters made visible,
/// noting in `grown` where the copy got longer.
fn push_visible(
    out: &mut String,
    text: &str,
    range: Range<usize>,
    grown: &mut Vec<(usize, usize)>,
) {
    let part = &text[range.clone()];
    if !part.chars().any(|c| visible_char(c).is_some()) {
        out.push_str(part);
        return;
    }
    let mut total = 0;
    for (i, c) in part.char_indices() {
        match visible_char(c) {
            Some(v) => {
                out.push(v);
                total += v.len_utf8() - c.len_utf8();
                grown.push((range.start + i + c.len_utf8(), total));
            }
            None => out.push(c),
        }
    }
}

/// A message or note with any control characters shown as visible ones.
pub fn visible(s: &str) -> std::borrow::Cow<'_, str> {
    if s.chars().any(|c| c != '\n' && visible_char(c).is_some()) {
        s.chars()
            .map(|c| {
                if c == '\n' {
                    c
                } else {
                    visible_char(c).unwrap_or(c)
                }
            })
            .collect::<String>()
            .into()
    } else {
        s.into()
    }
}

fn back_chars(text: &str, floor: usize, from: usize, n: usize) -> usize {
    let mut pos = from;
    for (count, (i, _)) in text[floor..from].char_indices().rev().enumerate() {
        if count >= n {
            break;
        }
        pos = floor + i;
    }
    pos
}

fn fwd_chars(text: &str, from: usize, ceil: usize, n: usize) -> usize {
    text[from..ceil]
        .char_indices()
        .nth(n)
        .map_or(ceil, |(i, _)| from + i)
}

impl<'a> Files<'a> for Excerpt<'_> {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, Error> {
        Ok(self.name)
    }

    fn source(&'a self, (): ()) -> Result<&'a str, Error> {
        Ok(&self.text)
    }

    fn line_index(&'a self, (): (), byte_index: usize) -> Result<usize, Error> {
        self.line_of_ex(byte_index)
            .map(|(l, _)| l)
            .ok_or(Error::IndexTooLarge {
                given: byte_index,
                max: self.text.len(),
            })
    }

    fn column_number(
        &'a self,
        (): (),
        line_index: usize,
        byte_index: usize,
    ) -> Result<usize, Error> {
        let x = self.lines.get(&line_index).ok_or(Error::LineTooLarge {
            given: line_index,
            max: self.source.line_count(),
        })?;
        let within = byte_index.saturating_sub(x.ex_start + x.prefix);
        let extra = x
            .grown
            .iter()
            .take_while(|(after, total)| after - x.window.start + total <= within)
            .last()
            .map_or(0, |&(_, total)| total);
        let orig = (x.window.start + within.saturating_sub(extra)).min(x.window.end);
        let orig = floor_boundary(&self.source.text, orig);
        Ok(self.source.chars_between(x.line_start, orig) + 1)
    }

    fn line_range(&'a self, (): (), line_index: usize) -> Result<Range<usize>, Error> {
        match self.lines.get(&line_index) {
            Some(x) => Ok(x.ex_start..x.ex_start + x.ex_len + 1),
            None => {
                // A context line codespan asks for but we did not keep: an
                // empty range at the nearest kept line keeps rendering sane.
                let after = self.lines.range(line_index..).next();
                let at = after.map_or(self.text.len(), |(_, x)| x.ex_start);
                Ok(at..at)
            }
        }
    }
}

fn floor_boundary(text: &str, mut b: usize) -> usize {
    while b > 0 && !text.is_char_boundary(b) {
        b -= 1;
    }
    b
}
