//! The document model: headline, deck, body blocks, sentences and words, all
//! as byte ranges into the original text. Built once per file and shared by
//! every rule.
//!
//! Checks read `prose`, a copy of the text of the same length in which
//! everything that is not prose (Markdown syntax, code, URLs, HTML comments,
//! front matter) is blanked out. Offsets in `prose` are offsets in `text`, so a
//! match in `prose` is a span in the file with no translation.

pub mod layout;
mod markdown;
pub mod sentences;
pub(crate) mod swar;
mod words;

pub use words::{SEED as HASH_SEED, WordHashes, mix as mix_hash, word_key};

use std::borrow::Cow;
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

/// Byte written into `prose` where non-prose content (code, URLs) stood. It is
/// neither a word character nor whitespace, so "the `x` the" is not "the the".
pub const HOLE: u8 = 0x1a;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Plain,
    Markdown,
}

impl Format {
    /// Markdown for `.md`, `.markdown` and friends, plain text otherwise.
    pub fn from_path(path: &str) -> Format {
        let lower = path.to_ascii_lowercase();
        if [".md", ".markdown", ".mdown", ".mkd", ".mdx"]
            .iter()
            .any(|e| lower.ends_with(e))
        {
            Format::Markdown
        } else {
            Format::Plain
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    Headline,
    Deck,
    Byline,
    Dateline,
    Paragraph,
    Crosshead,
    Caption,
    Separator,
}

impl BlockKind {
    /// Display text (headline, deck, crossheads): not body copy.
    pub fn is_display(self) -> bool {
        matches!(
            self,
            BlockKind::Headline | BlockKind::Deck | BlockKind::Crosshead
        )
    }
}

#[derive(Debug, Clone)]
pub struct Block {
    pub kind: BlockKind,
    pub span: Range<usize>,
    /// Indices into `Document::sentences` (in 32 bits: a large file has
    /// hundreds of thousands of blocks).
    sentences: Range<u32>,
    /// The block repeats the headline or deck (case and punctuation ignored).
    pub repeats_display: bool,
}

/// A byte offset or an index into the model, in 32 bits. Texts are at most
/// 4 GiB (`Source::from_bytes` refuses larger ones), so every offset, and
/// every count of words, sentences or lines, fits.
#[inline]
pub fn offset32(x: usize) -> u32 {
    u32::try_from(x).expect("texts are at most 4 GiB")
}

/// A word's byte span, in 8 bytes rather than 16: a large document has
/// millions of words. Texts are at most 4 GiB (`Source::from_bytes` refuses
/// larger ones).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    start: u32,
    end: u32,
}

impl Span {
    pub fn new(r: Range<usize>) -> Span {
        Span {
            start: offset32(r.start),
            end: offset32(r.end),
        }
    }
    pub fn start(self) -> usize {
        self.start as usize
    }
    pub fn end(self) -> usize {
        self.end as usize
    }
    pub fn range(self) -> Range<usize> {
        self.start()..self.end()
    }
}

/// The words of a document, 2 bytes each rather than a span's 8: a 50 MB
/// file has over eight million words, and they are held while every rule
/// runs. A word is stored as the gap from the end of the word before it (from
/// the start of its sentence, for the first) and its length, a byte each;
/// the rare word that does not fit (a gap or a length of 255 bytes or more)
/// is kept whole on the side. Rules read a sentence's words decoded into a
/// buffer of their own ([`Document::words_of`]).
///
/// A small document (most stories) keeps its words whole instead, and rules
/// read them in place: a story's words take a few kilobytes either way, and
/// packing them would mean decoding them again for every rule that reads
/// them.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Words {
    packed: Vec<[u8; 2]>,
    /// Words whose gap or length does not fit in a byte, by index.
    wide: Vec<(u32, Span)>,
    /// Every word whole, in place of `packed` and `wide` (see `Words::whole`).
    whole: Vec<Span>,
    is_whole: bool,
}

/// Marks a packed word that is kept whole in `Words::wide`.
const WIDE: u8 = u8::MAX;

impl Words {
    /// A store that keeps every word whole (for a small document).
    fn whole() -> Words {
        Words {
            is_whole: true,
            ..Words::default()
        }
    }

    pub fn len(&self) -> usize {
        if self.is_whole {
            self.whole.len()
        } else {
            self.packed.len()
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Add a sentence's words to a packed store (`from` is where the
    /// sentence starts). A whole store is filled in place by
    /// `Document::split_blocks`.
    fn push_sentence(&mut self, from: usize, words: &[Span]) {
        debug_assert!(!self.is_whole);
        self.packed.reserve(words.len());
        // Offsets fit in 32 bits (texts are at most 4 GiB).
        let mut prev = from as u32;
        for &w in words {
            let (gap, len) = (w.start - prev, w.end - w.start);
            if gap < u32::from(WIDE) && len <= u32::from(u8::MAX) {
                self.packed.push([gap as u8, len as u8]);
            } else {
                let at = offset32(self.packed.len());
                self.wide.push((at, w));
                self.packed.push([WIDE, 0]);
            }
            prev = w.end;
        }
    }

    /// Add the words of another store, which come after these (both
    /// packed: whole stores are made for small documents, split at once).
    fn append(&mut self, other: Words) {
        debug_assert!(!self.is_whole && !other.is_whole);
        let shift = offset32(self.packed.len());
        self.wide
            .extend(other.wide.into_iter().map(|(at, w)| (at + shift, w)));
        self.packed.extend_from_slice(&other.packed);
    }

    /// Word `at`, one kept whole on the side.
    fn wide_at(&self, at: usize) -> Span {
        let i = self.wide.partition_point(|&(w, _)| (w as usize) < at);
        self.wide[i].1
    }

    /// Words `range` (all of one sentence, which starts at `from`): in
    /// place if they are kept whole, or else decoded into `buf`.
    fn decode<'a>(
        &'a self,
        range: Range<usize>,
        from: usize,
        buf: &'a mut Vec<Span>,
    ) -> &'a [Span] {
        if self.is_whole {
            return &self.whole[range];
        }
        buf.clear();
        // Offsets fit in 32 bits (texts are at most 4 GiB).
        let mut prev = from as u32;
        let first = range.start;
        // One `extend` over a slice: no capacity test per word.
        buf.extend(
            self.packed[range]
                .iter()
                .enumerate()
                .map(|(k, &[gap, len])| {
                    let w = if gap == WIDE {
                        self.wide_at(first + k)
                    } else {
                        let start = prev + u32::from(gap);
                        Span {
                            start,
                            end: start + u32::from(len),
                        }
                    };
                    prev = w.end;
                    w
                }),
        );
        buf
    }

    /// The first of words `range` (of a sentence that starts at `from`).
    fn first(&self, range: Range<usize>, from: usize) -> Option<Span> {
        if self.is_whole {
            return self.whole[range].first().copied();
        }
        let &[gap, len] = self.packed[range.clone()].first()?;
        if gap == WIDE {
            return Some(self.wide_at(range.start));
        }
        let start = from + usize::from(gap);
        Some(Span::new(start..start + usize::from(len)))
    }
}

/// A sentence in 20 bytes rather than 40 (offsets and indices in 32 bits):
/// a large file has hundreds of thousands, held while every rule runs.
/// Texts are at most 4 GiB (`Source::from_bytes` refuses larger ones).
#[derive(Debug, Clone)]
pub struct Sentence {
    span: Span,
    block: u32,
    /// Indices into `Document::words` (read them with `Document::words_of`).
    words: Range<u32>,
}

const _: () = assert!(std::mem::size_of::<Sentence>() == 20);
const _: () = assert!(std::mem::size_of::<Block>() == 32);

impl Block {
    /// Its sentences' indices into `Document::sentences`.
    pub fn sentences(&self) -> Range<usize> {
        self.sentences.start as usize..self.sentences.end as usize
    }
}

impl Sentence {
    fn new(span: Range<usize>, block: usize, words: Range<usize>) -> Sentence {
        Sentence {
            span: Span::new(span),
            block: offset32(block),
            words: offset32(words.start)..offset32(words.end),
        }
    }
    /// Its bytes in the text.
    pub fn span(&self) -> Range<usize> {
        self.span.range()
    }
    /// Its block (an index into `Document::blocks`).
    pub fn block(&self) -> usize {
        self.block as usize
    }
    pub fn word_count(&self) -> usize {
        self.words.len()
    }
    /// Its words' indices into `Document::words`.
    fn words(&self) -> Range<usize> {
        self.words.start as usize..self.words.end as usize
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DisplaySource {
    FrontMatter,
    Heading,
    Detected,
    Override,
}

/// A headline or deck: its text, and where it stands in the file (none for
/// `--headline`).
#[derive(Debug, Clone)]
pub struct Display {
    pub text: String,
    pub span: Option<Range<usize>>,
    pub source: DisplaySource,
}

/// An HTML comment in Markdown (used by inline suppressions).
#[derive(Debug, Clone)]
pub struct Comment {
    pub span: Range<usize>,
    pub body: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Hint {
    Paragraph,
    Heading(u8),
}

#[derive(Debug, Clone)]
pub(crate) struct Unit {
    pub span: Range<usize>,
    pub hint: Hint,
}

#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `--headline TEXT`: overrides detection.
    pub headline: Option<String>,
    pub format: Option<Format>,
    /// Threads for building the model of one large document.
    pub threads: usize,
    /// The caller has blanked the URLs of this plain text already (see
    /// [`blank_urls`]), so the text is its own prose and is not copied.
    pub urls_blanked: bool,
}

/// Documents smaller than this are built on one thread.
const PARALLEL_FROM: usize = 512 * 1024;

#[derive(Debug)]
pub struct Document<'a> {
    pub text: &'a str,
    pub prose: Cow<'a, str>,
    pub format: Format,
    pub headline: Option<Display>,
    pub deck: Option<Display>,
    pub blocks: Vec<Block>,
    pub sentences: Vec<Sentence>,
    pub words: Words,
    /// Markdown links (whole link syntax).
    pub links: Vec<Range<usize>>,
    /// Quoted passages, quote marks included, in order.
    pub quotes: Vec<Span>,
    /// The Markdown title heading that repeats the headline written in
    /// front matter: both are headline blocks, and what a rule finds in
    /// both is reported once, on the front matter (see `engine`).
    pub title_heading: Option<Range<usize>>,
    /// The headline and deck values in front matter that are blocks, in
    /// order (fixes there must keep the front matter readable, see
    /// `engine`).
    pub front_matter: Vec<Range<usize>>,
    pub comments: Vec<Comment>,
    /// `prose` with ASCII letters lower-cased (same byte offsets), built on
    /// first use and shared by every case-insensitive word list.
    prose_lower: std::sync::OnceLock<String>,
}

static URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)(?:https?://|www\.)[^\s<>()\[\]"]+[^\s<>()\[\]".,;:!?'’”]"#).unwrap()
});
/// (This pattern and `CAPTION` are built narrow for most copy, as
/// `DATELINE` is: whole, `CAPTION`'s eighty repeats of a negated class are
/// costly to compile.)
static BYLINE: crate::narrow::NarrowRegex = crate::narrow::NarrowRegex::new(
    r"^(?:By|BY|Words by|Reporting by|Additional reporting by|Editing by|Written by)\s+\p{Lu}",
);
/// Built narrow for most copy (see `crate::narrow`): its Unicode classes
/// cost more to compile whole than the rest of a run on a short story that
/// opens with a dateline.
static DATELINE: crate::narrow::NarrowRegex = crate::narrow::NarrowRegex::new(concat!(
    r"^(?:",
    // LONDON (Reuters) -   KYIV, Ukraine (AP) —   WASHINGTON —   NEW YORK, March 3 (Reuters) -
    r"\p{Lu}[\p{Lu}\p{M}.'’\-]+(?:\s+\p{Lu}[\p{Lu}\p{M}.'’\-]+)*(?:,\s+[\p{Lu}\d][\p{L}\d.]*(?:\s+[\p{Lu}\d][\p{L}\d.]*)*)?(?:\s+\([^)\n]{1,40}\))?\s*(?:--|[-–—:])\s+",
    r"|",
    // Thursday, March 15, 2012   (a date line, as many wires and wikis print)
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),\s+\p{Lu}\p{Ll}+\s+\d{1,2},\s+\d{4}(?:\s+|$)",
    r")"
));
static CAPTION: crate::narrow::NarrowRegex = crate::narrow::NarrowRegex::new(
    r"(?i)^(?:photo|photograph|picture|pictured|caption|image|illustration|video|graphic|above|top|left|right)\s*(?:[:|]|\s[-–—])|(?:photograph|photo|illustration|image|picture)\s*:\s*[^.!?]{1,80}$",
);

impl<'a> Document<'a> {
    pub fn new(text: &'a str, path: &str, opts: &Options) -> Document<'a> {
        let format = opts.format.unwrap_or_else(|| Format::from_path(path));
        let (prose, units, links, comments, front_matter) = match format {
            Format::Markdown => {
                let mut p = markdown::parse(text);
                mask_urls(&mut p.prose);
                let prose = match String::from_utf8(p.prose) {
                    Ok(prose) if prose == text => Cow::Borrowed(text),
                    Ok(prose) => Cow::Owned(prose),
                    // Unreachable: masking writes ASCII over whole UTF-8 sequences.
                    Err(_) => Cow::Borrowed(text),
                };
                (prose, p.units, p.links, p.comments, p.front_matter)
            }
            Format::Plain => (
                // Only URLs to mask: the text itself when there are none, or
                // when they are blanked in it already.
                if opts.urls_blanked {
                    Cow::Borrowed(text)
                } else {
                    masked_urls(text)
                },
                vec![Unit {
                    span: 0..text.len(),
                    hint: Hint::Paragraph,
                }],
                Vec::new(),
                Vec::new(),
                markdown::FrontMatter::default(),
            ),
        };

        // Split every raw unit into paragraphs by layout.
        let mut pieces: Vec<Unit> = Vec::with_capacity((text.len() / 128 + 4).min(4096));
        for unit in units {
            match unit.hint {
                Hint::Heading(_) => pieces.push(Unit {
                    span: layout::trim_range(&prose, unit.span.clone()),
                    hint: unit.hint,
                }),
                Hint::Paragraph => {
                    let lines = crate::text::lines_in(&prose, unit.span.clone());
                    for p in layout::paragraphs(&prose, &lines) {
                        pieces.push(Unit {
                            span: p,
                            hint: Hint::Paragraph,
                        });
                    }
                }
            }
        }
        pieces.retain(|u| !u.span.is_empty());

        let mut doc = Document {
            text,
            prose,
            format,
            headline: None,
            deck: None,
            blocks: Vec::new(),
            sentences: Vec::new(),
            words: Words::default(),
            links,
            quotes: Vec::new(),
            title_heading: None,
            front_matter: Vec::new(),
            comments,
            prose_lower: std::sync::OnceLock::new(),
        };
        doc.classify(&pieces, &front_matter, opts);
        doc.split_sentences(opts.threads);
        doc.find_quotes();
        // Held while every rule runs: without the room left from growing.
        crate::memory::trim(&mut doc.blocks);
        crate::memory::trim(&mut doc.quotes);
        doc
    }

    /// Text of a span of the original file.
    pub fn slice(&self, r: &Range<usize>) -> &'a str {
        &self.text[r.clone()]
    }

    /// The prose with ASCII letters in lower case; offsets are unchanged.
    pub fn prose_lower(&self) -> &str {
        self.prose_lower
            .get_or_init(|| self.prose.to_ascii_lowercase())
    }

    /// Prose (masked) text of a span.
    pub fn prose_of(&self, r: &Range<usize>) -> &str {
        &self.prose[r.clone()]
    }

    /// The prose cut into runs of whole blocks for `threads` threads to
    /// work on: one run for a short document. A run starts at the start of
    /// the text or of a block that follows a line break.
    pub fn runs_for_threads(&self, threads: usize) -> Vec<Range<usize>> {
        let len = self.prose.len();
        if threads <= 1 || len < PARALLEL_FROM {
            return std::iter::once(0..len).collect();
        }
        let want = len / (threads * 4);
        let mut runs = Vec::new();
        let mut start = 0;
        for b in &self.blocks {
            let at = b.span.start;
            if at >= start + want && matches!(self.prose.as_bytes()[at - 1], b'\n' | b'\r') {
                runs.push(start..at);
                start = at;
            }
        }
        runs.push(start..len);
        runs
    }

    /// The words of a sentence: read in place, or decoded into `buf` (a
    /// buffer the caller keeps from sentence to sentence).
    pub fn words_of<'b>(&'b self, s: &Sentence, buf: &'b mut Vec<Span>) -> &'b [Span] {
        self.words.decode(s.words(), s.span.start(), buf)
    }

    /// The first word of a sentence.
    pub fn first_word(&self, s: &Sentence) -> Option<Span> {
        self.words.first(s.words(), s.span.start())
    }

    /// Body paragraphs: not display text, bylines, captions or separators, and
    /// not lines that repeat the headline.
    pub fn body_blocks(&self) -> impl Iterator<Item = (usize, &Block)> {
        self.blocks
            .iter()
            .enumerate()
            .filter(|(_, b)| b.kind == BlockKind::Paragraph && !b.repeats_display)
    }

    /// The block that contains a byte offset, if any.
    pub fn block_at(&self, byte: usize) -> Option<&Block> {
        let i = self.blocks.partition_point(|b| b.span.end <= byte);
        self.blocks.get(i).filter(|b| b.span.start <= byte)
    }

    pub fn in_quote(&self, byte: usize) -> bool {
        let i = self.quotes.partition_point(|q| q.end() <= byte);
        self.quotes.get(i).is_some_and(|q| q.start() <= byte)
    }

    pub fn in_link(&self, span: &Range<usize>) -> bool {
        self.links
            .iter()
            .any(|l| l.start < span.end && span.start < l.end)
    }

    fn classify(&mut self, units: &[Unit], front_matter: &markdown::FrontMatter, opts: &Options) {
        let field = |f: &Option<markdown::Field>| {
            f.as_ref().map(|f| Display {
                text: f.text.clone(),
                span: f.span.clone(),
                source: DisplaySource::FrontMatter,
            })
        };
        self.headline = field(&front_matter.headline);
        self.deck = field(&front_matter.deck);
        // The front matter's headline and deck, where the file holds their
        // text, are blocks of their own ahead of the body (front matter
        // opens the file), in the order they are written.
        let mut written: Vec<(Range<usize>, BlockKind)> = [
            (&front_matter.headline, BlockKind::Headline),
            (&front_matter.deck, BlockKind::Deck),
        ]
        .into_iter()
        .filter_map(|(f, kind)| Some((f.as_ref()?.span.clone()?, kind)))
        .collect();
        written.sort_by_key(|(r, _)| r.start);
        for (span, kind) in written {
            self.front_matter.push(span.clone());
            self.blocks.push(Block {
                kind,
                span,
                sentences: 0..0,
                repeats_display: false,
            });
        }
        if let Some(h) = &opts.headline {
            self.headline = Some(Display {
                text: h.clone(),
                span: None,
                source: DisplaySource::Override,
            });
        }

        let mut kinds: Vec<BlockKind> = if opts.threads <= 1 || self.prose.len() < PARALLEL_FROM {
            units.iter().map(|u| self.basic_kind(u)).collect()
        } else {
            // A large document: runs of units on several threads, in order.
            let size = units.len().div_ceil(opts.threads * 4).max(1);
            let runs: Vec<&[Unit]> = units.chunks(size).collect();
            let me = &*self;
            crate::parallel::map_in_order(runs.len(), opts.threads, |i| {
                runs[i].iter().map(|u| me.basic_kind(u)).collect::<Vec<_>>()
            })
            .concat()
        };

        // Headline: the first level-1 heading, else the first short display
        // line among the first three units.
        let mut headline_unit: Option<usize>;
        match &self.headline {
            Some(h) if h.source == DisplaySource::Override => {
                let want = normalize(&h.text);
                // Only the first unit can be the headline line itself; a
                // later copy is a repeat.
                headline_unit = units
                    .iter()
                    .take(1)
                    .position(|u| normalize(&self.prose[u.span.clone()]) == want);
            }
            Some(h) => {
                // A Markdown title heading that repeats the front matter title
                // is the headline itself, not a repeat of it.
                let want = normalize(&h.text);
                headline_unit = units.iter().position(|u| {
                    u.hint == Hint::Heading(1)
                        && similar(&want, &normalize(&self.prose[u.span.clone()]))
                });
                if h.span.is_some() {
                    self.title_heading = headline_unit.map(|i| units[i].span.clone());
                }
            }
            None => {
                headline_unit = units.iter().position(|u| u.hint == Hint::Heading(1));
                if headline_unit.is_none() {
                    headline_unit = units
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| kinds[*i] != BlockKind::Separator)
                        .take(3)
                        .find(|(i, u)| {
                            u.hint == Hint::Paragraph
                                && matches!(kinds[*i], BlockKind::Paragraph | BlockKind::Crosshead)
                                && is_headline_like(&self.prose[u.span.clone()])
                        })
                        .map(|(i, _)| i);
                }
                if let Some(i) = headline_unit {
                    self.headline = Some(Display {
                        text: self.prose[units[i].span.clone()]
                            .trim_matches(['#', ' '])
                            .to_string(),
                        span: Some(units[i].span.clone()),
                        source: if units[i].hint == Hint::Heading(1) {
                            DisplaySource::Heading
                        } else {
                            DisplaySource::Detected
                        },
                    });
                }
            }
        }
        if let Some(i) = headline_unit {
            kinds[i] = BlockKind::Headline;
            // Deck: a short display line right after the headline.
            if self.deck.is_none()
                && let Some(j) = (i + 1..units.len()).find(|&j| kinds[j] != BlockKind::Separator)
                && j + 1 < units.len()
                && matches!(kinds[j], BlockKind::Paragraph | BlockKind::Crosshead)
            {
                let t = &self.prose[units[j].span.clone()];
                let is_repeat = self
                    .headline
                    .as_ref()
                    .is_some_and(|h| similar(&normalize(&h.text), &normalize(t)));
                if !is_repeat && is_deck_like(t) {
                    kinds[j] = BlockKind::Deck;
                    self.deck = Some(Display {
                        text: t.to_string(),
                        span: Some(units[j].span.clone()),
                        source: DisplaySource::Detected,
                    });
                }
            }
        }

        let headline_norm = self.headline.as_ref().map(|h| normalize(&h.text));
        let deck_norm = self.deck.as_ref().map(|d| normalize(&d.text));
        let mut body_seen = 0;
        for (i, unit) in units.iter().enumerate() {
            let mut kind = kinds[i];
            let mut span = unit.span.clone();
            let mut repeats_display = false;
            if matches!(kind, BlockKind::Paragraph | BlockKind::Crosshead) {
                // Only a unit of about the display text's length can repeat it.
                let len = span.len();
                let plausible = [&headline_norm, &deck_norm]
                    .into_iter()
                    .flatten()
                    .any(|d| !d.is_empty() && len <= d.len() * 2 + 16);
                // And then only one whose normalised length `similar` could
                // accept, counted before the string is made.
                let plausible = plausible && {
                    let n = normalized_len(&self.prose[span.clone()]);
                    [&headline_norm, &deck_norm]
                        .into_iter()
                        .flatten()
                        .any(|d| d.len() == n || similar_lengths(d.len(), n))
                };
                if plausible {
                    let n = normalize(&self.prose[span.clone()]);
                    repeats_display = [&headline_norm, &deck_norm]
                        .into_iter()
                        .flatten()
                        .any(|d| !d.is_empty() && similar(d, &n));
                }
            }
            if kind == BlockKind::Paragraph && !repeats_display {
                body_seen += 1;
                if body_seen <= 2
                    && might_be_dateline(&self.prose[span.clone()])
                    && let Some(m) = DATELINE.find(&self.prose[span.clone()])
                {
                    let cut = span.start + m.end();
                    let date_span = layout::trim_range(&self.prose, span.start..cut);
                    self.blocks.push(Block {
                        kind: BlockKind::Dateline,
                        span: date_span,
                        sentences: 0..0,
                        repeats_display: false,
                    });
                    span = layout::trim_range(&self.prose, cut..span.end);
                    if span.is_empty() {
                        continue;
                    }
                }
            }
            if kind == BlockKind::Crosshead && repeats_display {
                kind = BlockKind::Paragraph;
            }
            self.blocks.push(Block {
                kind,
                span,
                sentences: 0..0,
                repeats_display,
            });
        }
    }

    fn basic_kind(&self, u: &Unit) -> BlockKind {
        let t = &self.prose[u.span.clone()];
        if let Hint::Heading(_) = u.hint {
            return BlockKind::Crosshead;
        }
        if layout::is_separator(t) {
            BlockKind::Separator
        } else if t.len() <= 200
            && is_byline(t)
            && word_count(t, 14) <= 14
            && !t.trim_end().ends_with('.')
        {
            BlockKind::Byline
        } else if t.len() <= 600
            && might_be_caption(t)
            && t.contains([':', '|', '-', '\u{2013}', '\u{2014}'])
            && word_count(t, 50) <= 50
            && CAPTION.is_match(t)
        {
            BlockKind::Caption
        } else if is_crosshead_like(t) {
            BlockKind::Crosshead
        } else {
            BlockKind::Paragraph
        }
    }

    fn split_sentences(&mut self, threads: usize) {
        let blocks = self.blocks.len();
        if threads <= 1 || self.prose.len() < PARALLEL_FROM || blocks < 2 {
            let (sentences, words) = self.split_blocks(0..blocks);
            self.sentences = sentences;
            self.words = words;
        } else {
            // A large document: split runs of blocks on several threads and
            // join the pieces in order (indices shifted by what comes before).
            let pieces = (threads * 4).min(blocks);
            let size = blocks.div_ceil(pieces);
            let ranges: Vec<Range<usize>> = (0..blocks)
                .step_by(size)
                .map(|a| a..(a + size).min(blocks))
                .collect();
            let me = &*self;
            let results = crate::parallel::map_in_order(ranges.len(), threads, |i| {
                me.split_blocks(ranges[i].clone())
            });
            // The first piece's vectors grow in place to hold the rest, and
            // each later piece is freed once copied: the words of a large
            // document are never held twice over.
            let total_s: usize = results.iter().map(|(s, _)| s.len()).sum();
            let total_w: usize = results.iter().map(|(_, w)| w.len()).sum();
            let mut results = results.into_iter();
            let (mut sentences, mut words) = results.next().unwrap_or_default();
            sentences.reserve_exact(total_s - sentences.len());
            words.packed.reserve_exact(total_w - words.len());
            for (mut s, w) in results {
                let shift = offset32(words.len());
                for sentence in &mut s {
                    sentence.words = sentence.words.start + shift..sentence.words.end + shift;
                }
                sentences.append(&mut s);
                words.append(w);
            }
            self.sentences = sentences;
            self.words = words;
        }
        // Each block's sentence range.
        let mut at = 0;
        for bi in 0..blocks {
            let first = at;
            while at < self.sentences.len() && self.sentences[at].block() == bi {
                at += 1;
            }
            self.blocks[bi].sentences = offset32(first)..offset32(at);
        }
    }

    /// Sentences and words of a run of blocks; word indices start at 0.
    fn split_blocks(&self, blocks: Range<usize>) -> (Vec<Sentence>, Words) {
        let mut sentences = Vec::new();
        // (A document split in pieces is large: see `split_sentences`.)
        let mut words = if self.prose.len() < PARALLEL_FROM {
            // Room for the words of most stories at once (news copy runs
            // to about six bytes a word), not grown by doubling.
            let mut w = Words::whole();
            w.whole.reserve(self.prose.len() / 5);
            sentences.reserve(self.prose.len() / 96);
            w
        } else {
            Words::default()
        };
        let mut spans = Vec::new();
        let mut in_block = Vec::new();
        // One window for all the sentences, which come in order.
        let start = self.blocks.get(blocks.start).map_or(0, |b| b.span.start);
        let mut window = swar::Window::at(self.prose.as_bytes(), start);
        for bi in blocks {
            if self.blocks[bi].kind == BlockKind::Separator {
                continue;
            }
            in_block.clear();
            sentences::split_into(&self.prose, self.blocks[bi].span.clone(), &mut in_block);
            for r in in_block.drain(..) {
                let w0 = words.len();
                if words.is_whole {
                    sentences::words_in(&mut window, &self.prose, r.clone(), &mut words.whole);
                } else {
                    spans.clear();
                    sentences::words_in(&mut window, &self.prose, r.clone(), &mut spans);
                    words.push_sentence(r.start, &spans);
                }
                sentences.push(Sentence::new(r, bi, w0..words.len()));
            }
        }
        (sentences, words)
    }

    /// Quoted stretches of each block: curly quotes pair up, a straight
    /// quote opens or closes, and one left open runs to the block's end.
    /// Only '"' and the lead byte of the curly quotes (0xE2) are looked at,
    /// found with memchr, rather than every character decoded: this runs on
    /// one core while the other waits.
    fn find_quotes(&mut self) {
        let bytes = self.prose.as_bytes();
        for b in &self.blocks {
            let mut open: Option<usize> = None;
            let mut at = b.span.start;
            while let Some(i) = memchr::memchr2(b'"', 0xE2, &bytes[at..b.span.end]) {
                let i = at + i;
                at = i + 1;
                if bytes[i] == b'"' {
                    match open.take() {
                        Some(o) => self.quotes.push(Span::new(o..i + 1)),
                        None => open = Some(i),
                    }
                    continue;
                }
                // U+201C and U+201D are E2 80 9C and E2 80 9D.
                match bytes.get(i + 1..i + 3) {
                    Some([0x80, 0x9C]) if open.is_none() => {
                        open = Some(i);
                    }
                    Some([0x80, 0x9D]) => {
                        if let Some(o) = open.take() {
                            self.quotes.push(Span::new(o..i + 3));
                        }
                    }
                    _ => {}
                }
            }
            if let Some(o) = open {
                self.quotes.push(Span::new(o..b.span.end));
            }
        }
        self.quotes.sort_by_key(|q| q.start());
    }
}

/// Where the URLs of a text are.
fn url_ranges(s: &str) -> Vec<Range<usize>> {
    // Cheap test first: most stories have no URL, and then the regex is
    // never even compiled.
    if !s.contains("://") && !s.contains("www.") && !s.contains("WWW.") {
        return Vec::new();
    }
    URL.find_iter(s).map(|m| m.range()).collect()
}

fn mask_urls(prose: &mut [u8]) {
    // Work on a lossless view: prose is valid UTF-8 (original or ASCII-masked).
    let Ok(s) = std::str::from_utf8(prose) else {
        return;
    };
    for r in url_ranges(s) {
        for b in &mut prose[r] {
            *b = HOLE;
        }
    }
}

/// The URLs of a text, blanked in place by [`blank_urls`], to be put back.
#[must_use = "the text keeps its URLs blanked until they are restored"]
#[derive(Debug, Default)]
pub struct BlankedUrls(Vec<(usize, String)>);

/// Blank the URLs of a plain text in place, as the model's prose has them,
/// and keep what was there. A large file is then not held twice, once as
/// written and once as prose, for the sake of a few URLs: the saved URLs
/// are all the copy there is. The text stays valid UTF-8 throughout (whole
/// characters are blanked with ASCII).
pub fn blank_urls(text: &mut String) -> BlankedUrls {
    let ranges = url_ranges(text);
    if ranges.is_empty() {
        return BlankedUrls::default();
    }
    let saved = ranges
        .iter()
        .map(|r| (r.start, text[r.clone()].to_string()))
        .collect();
    // In place, a URL at a time: a replacement of the same length moves
    // nothing after it, and the text is not validated again as a whole (a
    // pass over a large file before any thread can start). The ranges are
    // matches of a pattern, so on character boundaries.
    let mut holes = String::new();
    for r in ranges {
        holes.clear();
        holes.extend(std::iter::repeat_n(char::from(HOLE), r.len()));
        text.replace_range(r, &holes);
    }
    BlankedUrls(saved)
}

impl BlankedUrls {
    /// Put the URLs back into the text they were blanked in.
    pub fn restore(self, text: &mut String) {
        for (at, url) in self.0 {
            text.replace_range(at..at + url.len(), &url);
        }
    }
}

/// The text with its URLs blanked out, copied only when it has any.
fn masked_urls(text: &str) -> Cow<'_, str> {
    let ranges = url_ranges(text);
    if ranges.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut done = 0;
    for r in ranges {
        out.push_str(&text[done..r.start]);
        out.extend(std::iter::repeat_n(char::from(HOLE), r.len()));
        done = r.end;
    }
    out.push_str(&text[done..]);
    Cow::Owned(out)
}

/// Cheap tests before the regexes, which are then only compiled (and run)
/// for text that can match: most paragraphs start with neither a byline nor
/// a dateline.
fn is_byline(t: &str) -> bool {
    [
        "By",
        "BY",
        "Words",
        "Reporting",
        "Additional",
        "Editing",
        "Written",
    ]
    .iter()
    .any(|p| t.starts_with(p))
        && BYLINE.is_match(t)
}

fn might_be_dateline(t: &str) -> bool {
    const DAYS: [&str; 7] = [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ];
    DAYS.iter().any(|d| t.starts_with(d)) || might_be_place_dateline(t)
}

/// A necessary condition for the place branch of `DATELINE`: one or more
/// words in capitals ("KYIV", "NEW YORK"), then, after any spaces, a comma,
/// an opening bracket, a dash or a colon. Characters are let in generously
/// (anything outside ASCII that is not lower case counts as a capital or a
/// mark), so the test can only pass too often, never too rarely.
fn might_be_place_dateline(t: &str) -> bool {
    let in_word = |c: char| {
        c.is_uppercase()
            || matches!(c, '.' | '\'' | '\u{2019}' | '-')
            || (!c.is_ascii()
                && !c.is_lowercase()
                && !c.is_whitespace()
                && !matches!(c, '\u{2013}' | '\u{2014}'))
    };
    let mut rest = t;
    loop {
        let Some(first) = rest.chars().next().filter(|c| c.is_uppercase()) else {
            return false;
        };
        let word_len = rest.find(|c: char| !in_word(c)).unwrap_or(rest.len());
        let word = &rest[..word_len];
        // A word needs two characters; and one with a hyphen in it could
        // end at that hyphen, which would then be the dash.
        if word.chars().count() < 2 {
            return false;
        }
        if word[first.len_utf8()..].contains('-') {
            return true;
        }
        let after = rest[word_len..].trim_start();
        match after.chars().next() {
            Some(',' | '(' | '-' | '\u{2013}' | '\u{2014}' | ':') => return true,
            Some(c) if c.is_uppercase() && after.len() < rest.len() - word_len => {
                rest = after;
            }
            _ => return false,
        }
    }
}

/// A necessary condition for `CAPTION`: it opens with one of its words, or
/// names a picture somewhere. ("illu" stands for "illustration": under
/// Unicode case folding its "s" also matches the long s.)
fn might_be_caption(t: &str) -> bool {
    const OPENERS: [&str; 11] = [
        "photo", "picture", "caption", "image", "illu", "video", "graphic", "above", "top", "left",
        "right",
    ];
    let opens = |w: &str| t.get(..w.len()).is_some_and(|h| h.eq_ignore_ascii_case(w));
    if OPENERS.iter().any(|w| opens(w)) {
        return true;
    }
    // Otherwise the word must come before a colon (`CAPTION`'s second
    // branch): most paragraphs have none, and need no lower-cased copy.
    if memchr::memchr(b':', t.as_bytes()).is_none() {
        return false;
    }
    let lower = t.to_ascii_lowercase();
    ["photo", "illu", "image", "picture"]
        .iter()
        .any(|w| lower.contains(w))
}

/// The ASCII bytes that are `char::is_whitespace`: tab to carriage return
/// (vertical tab included, unlike `u8::is_ascii_whitespace`), and space.
/// By a bit mask: a letter is turned away by one comparison, which counts
/// in the loops over every byte of a paragraph.
#[inline]
pub const fn is_ascii_space(b: u8) -> bool {
    const SPACE: u64 = 1 << b' ' | 1 << b'\t' | 1 << b'\n' | 1 << 0x0b | 1 << 0x0c | 1 << b'\r';
    b < 64 && SPACE >> b & 1 == 1
}

/// Words in `s`, counted up to `limit + 1` (the callers only ask whether a
/// line is short, and paragraphs can be long).
fn word_count(s: &str, limit: usize) -> usize {
    // By bytes, decoding only characters beyond ASCII: a paragraph with one
    // curly quote is not read whole as characters for its first few words.
    let bytes = s.as_bytes();
    let mut count = 0;
    let mut in_word = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let space = if b < 0x80 {
            i += 1;
            is_ascii_space(b)
        } else {
            let c = sentences::char_at(s, i).unwrap_or('\0');
            i += c.len_utf8();
            c.is_whitespace()
        };
        if !space && !in_word {
            count += 1;
            if count > limit {
                break;
            }
        }
        in_word = !space;
    }
    count
}

/// A headline: one line, short, no closing punctuation, some letters.
pub fn is_headline_like(t: &str) -> bool {
    let t = t.trim();
    t.len() <= 600
        && !t.contains('\n')
        && t.chars().count() <= 150
        && (1..=25).contains(&word_count(t, 25))
        && t.chars().filter(|c| c.is_alphabetic()).count() >= 3
        && !layout::ends_closed(t)
        && !is_byline(t)
}

fn is_deck_like(t: &str) -> bool {
    let t = t.trim();
    !t.contains('\n')
        && (3..=40).contains(&word_count(t, 40))
        && !t.trim_end_matches(['"', '\u{201d}']).ends_with('.')
        && !is_byline(t)
}

fn is_crosshead_like(t: &str) -> bool {
    let t = t.trim();
    // (Characters are counted before words: most paragraphs are longer
    // than a crosshead, and counting them is the cheaper test.)
    t.len() <= 320
        && t.chars().count() <= 80
        && !t.contains('\n')
        && word_count(t, 10) <= 10
        && t.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && !layout::ends_closed(t)
        && !t.ends_with(',')
}

/// Lower case, without allocating when the text already is (most words).
pub fn lower_cow(x: &str) -> Cow<'_, str> {
    if x.is_ascii() {
        if x.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(x.to_ascii_lowercase())
        } else {
            Cow::Borrowed(x)
        }
    } else if x.chars().any(|c| {
        // Changed by lower-casing: capitals, and title-case letters ("ǅ").
        let mut l = c.to_lowercase();
        l.next() != Some(c) || l.next().is_some()
    }) {
        Cow::Owned(x.to_lowercase())
    } else {
        Cow::Borrowed(x)
    }
}

/// `lower_cow`, with a short ASCII word that has capitals lower-cased in
/// `buf` rather than in a new string (for lookups in hot loops).
pub fn lower_in<'a>(buf: &'a mut [u8; 32], w: &'a str) -> Cow<'a, str> {
    if !w.is_ascii() {
        return lower_cow(w);
    }
    if !w.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Borrowed(w)
    } else if w.len() <= buf.len() {
        let lower = &mut buf[..w.len()];
        lower.copy_from_slice(w.as_bytes());
        lower.make_ascii_lowercase();
        // ASCII in, ASCII out.
        Cow::Borrowed(std::str::from_utf8(lower).unwrap_or(w))
    } else {
        Cow::Owned(w.to_ascii_lowercase())
    }
}

/// Is `w`, lower-cased, in a list of lower-case words?
pub fn in_lower_list(list: &[String], w: &str) -> bool {
    // Lower-cased on the stack: capitalised words are asked too.
    let mut buf = [0u8; 32];
    let w = lower_in(&mut buf, w);
    list.iter().any(|x| *x == w)
}

/// A set of lower-case words (or phrases), looked up by hash: a rule's
/// word list asked about many words of every story, where comparing with
/// each word of a list in turn costs as much as the rest of the rule.
#[derive(Debug, Clone, Default)]
pub struct WordSet(rustc_hash::FxHashSet<Box<str>>);

impl WordSet {
    /// The set of `words`, lower-cased.
    pub fn new<S: AsRef<str>>(words: impl IntoIterator<Item = S>) -> WordSet {
        WordSet(
            words
                .into_iter()
                .map(|w| w.as_ref().to_lowercase().into_boxed_str())
                .collect(),
        )
    }

    /// Does the set hold `w` as it is (already lower case)?
    pub fn contains(&self, w: &str) -> bool {
        self.0.contains(w)
    }

    /// Does the set hold `w` lower-cased (capitalised words are asked too)?
    pub fn contains_lower(&self, w: &str) -> bool {
        let mut buf = [0u8; 32];
        self.0.contains(lower_in(&mut buf, w).as_ref())
    }
}

/// The text with every run of whitespace (line breaks too) as one space,
/// and none at either end: how a phrase is shown or compared.
pub fn squeeze(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Text for comparison: lowercase letters and digits, single spaces; curly and
/// straight quotes, dashes and other punctuation are ignored.
pub fn normalize(s: &str) -> String {
    struct Out(Vec<u8>);
    impl NormSink for Out {
        fn bytes(&mut self, b: &[u8]) {
            self.0.extend_from_slice(b);
        }
        fn space(&mut self) {
            self.0.push(b' ');
        }
        fn ascii(&mut self, text: &[u8], run: Range<usize>) {
            let from = self.0.len();
            self.0.extend_from_slice(&text[run]);
            self.0[from..].make_ascii_lowercase();
        }
    }
    let mut out = Out(Vec::with_capacity(s.len()));
    normalize_into(s, &mut out);
    // Only whole characters were written, so this never fails.
    String::from_utf8(out.0).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// The length in bytes of `normalize(s)`, without building it (to rule
/// out by length a comparison of normalised texts before making them).
pub fn normalized_len(s: &str) -> usize {
    struct Count(usize);
    impl NormSink for Count {
        fn bytes(&mut self, b: &[u8]) {
            self.0 += b.len();
        }
        fn space(&mut self) {
            self.0 += 1;
        }
        fn ascii(&mut self, _: &[u8], run: Range<usize>) {
            self.0 += run.len();
        }
    }
    let mut count = Count(0);
    normalize_into(s, &mut count);
    count.0
}

/// Receives the normalised form of a text (see `normalize`) as it is made:
/// the bytes of its words, and a space between two words (never before the
/// first or after the last).
pub trait NormSink {
    fn bytes(&mut self, b: &[u8]);
    fn space(&mut self);
    /// The bytes `text[run]`, ASCII letters and digits, in lower case: the
    /// most of a word, handed on at once.
    fn ascii(&mut self, text: &[u8], run: Range<usize>) {
        for &c in &text[run] {
            self.bytes(&[c.to_ascii_lowercase()]);
        }
    }
}

/// Of each byte: whether it separates words in the normalised form (ASCII
/// whitespace, '-' and '/'; other ASCII punctuation is dropped without
/// separating, and characters beyond ASCII are decoded by the caller).
static NORM_SEPARATOR: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = is_ascii_space(c) || matches!(c, b'-' | b'/');
        b += 1;
    }
    t
};

/// Makes the normalised form of `s` into `sink`, without building it: a
/// rule that only hashes it (repeated-paragraph, for every paragraph) needs
/// no string.
pub fn normalize_into(s: &str, sink: &mut impl NormSink) {
    // Whether a word has been written since the last space, and whether a
    // separator followed it (the space is written before the next word, so
    // none ends the text).
    let mut in_word = false;
    let mut pending = false;
    let bytes = s.as_bytes();
    // Runs of ASCII letters and digits are found 64 bytes at a time (see
    // `swar`); between them are a few bytes of ASCII punctuation and
    // spaces, read one at a time, and characters beyond ASCII, decoded.
    let mut window = swar::Window::new(bytes);
    let mut i = 0;
    loop {
        let next = window.next_word_byte(i, bytes.len());
        if in_word
            && bytes[i..next]
                .iter()
                .any(|&b| NORM_SEPARATOR[usize::from(b)])
        {
            pending = true;
            in_word = false;
        }
        if next >= bytes.len() {
            break;
        }
        if bytes[next] < 0x80 {
            let end = window.alnum_end(next, bytes.len());
            if std::mem::take(&mut pending) {
                sink.space();
            }
            sink.ascii(bytes, next..end);
            in_word = true;
            i = end;
            continue;
        }
        let Some(c) = sentences::char_at(s, next) else {
            break;
        };
        i = next + c.len_utf8();
        if !sentences::is_general_punctuation(c) && c.is_alphanumeric() {
            if std::mem::take(&mut pending) {
                sink.space();
            }
            let mut buf = [0u8; 4];
            for l in c.to_lowercase() {
                sink.bytes(l.encode_utf8(&mut buf).as_bytes());
            }
            in_word = true;
        } else if c.is_whitespace() || c == '\u{2014}' || c == '\u{2013}' {
            pending |= in_word;
            in_word = false;
        }
    }
}

/// Near-identical normalised strings (a typo or a changed word in a headline).
pub fn similar(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    if !similar_lengths(a.len(), b.len()) {
        return false;
    }
    crate::distance::similarity_at_least(a, b, 0.9).is_some()
}

/// Whether `similar` may find different strings of these lengths alike.
fn similar_lengths(la: usize, lb: usize) -> bool {
    la.min(lb) >= 12 && la.abs_diff(lb) * 5 <= la.max(lb)
}

#[cfg(test)]
mod tests;
