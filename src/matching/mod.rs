//! Matching word and phrase lists fast.
//!
//! Phrase lists do not use regexes when every phrase starts with a word
//! character (all but a few): each phrase is filed in a hash table under its
//! first word, and the text is walked once, word by word, looking each word
//! up. There is nothing to compile, so a rule pack costs nothing at
//! start-up, and the tables of every rule are merged into one
//! [`PhraseIndex`]: a document is walked once for all the word lists of all
//! its rules, and each list then reads its own matches from the document.
//!
//! The few other lists are compiled into one regex alternation *without*
//! `\b` (which makes the regex crate fall back from its DFA to a much slower
//! engine on non-ASCII text), and whole-word boundaries are checked on each
//! match in code, with the same meaning `\b` would have. User regexes
//! (`patterns`) are compiled as written.

use std::ops::Range;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use rustc_hash::{FxHashMap, FxHashSet};

use regex_automata::meta::{self, Regex};
pub use regex_automata::util::captures::Captures;
use regex_automata::util::syntax;
use regex_syntax::hir::literal::{ExtractKind, Extractor};
use toml::Spanned;

use crate::document::sentences::{char_at, is_word_char};
use crate::document::swar::{Window, packed_lower};
use crate::document::{Document, Span};

/// A word list or pattern that cannot be used, at a byte span of its rule
/// file (`0..0` when the place is not known).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListError {
    pub span: Range<usize>,
    pub message: String,
}

impl ListError {
    pub fn at(span: Range<usize>, message: impl Into<String>) -> ListError {
        ListError {
            span,
            message: message.into(),
        }
    }
}

/// Literals one of which every match of a pattern contains, and for more
/// than a few of them an automaton that looks for all in one pass (a
/// pattern such as small-numbers' needs dozens, and most texts contain none,
/// so each text would otherwise be searched once per literal).
#[derive(Debug)]
struct Required {
    literals: Vec<String>,
    searcher: Option<aho_corasick::AhoCorasick>,
}

/// The automaton for literal searches: a contiguous NFA, which builds in a
/// fraction of the time of the DFA the builder would pick for a few
/// literals (1.6 M instructions, a tenth of a run on a 5 KB story), and
/// searches as fast where the SIMD prefilter does the work.
const AUTOMATON: aho_corasick::AhoCorasickKind = aho_corasick::AhoCorasickKind::ContiguousNFA;

/// An automaton that finds literals, leftmost first. Leftmost matching
/// lets it use its SIMD search; with standard matching (the crate's
/// default) it stepped through every byte, at 16 instructions a byte for
/// placeholder's twelve literals. Whether any literal occurs, and where
/// the ones it reports are, is all its callers ask.
fn literal_automaton<L: AsRef<[u8]>>(literals: &[L]) -> Option<aho_corasick::AhoCorasick> {
    aho_corasick::AhoCorasick::builder()
        .match_kind(aho_corasick::MatchKind::LeftmostFirst)
        .kind(Some(AUTOMATON))
        .build(literals)
        .ok()
}

impl Required {
    fn new(literals: Vec<String>) -> Required {
        let searcher = if literals.len() > 2 {
            literal_automaton(&literals)
        } else {
            None
        };
        Required { literals, searcher }
    }

    fn found_in(&self, text: &str) -> bool {
        match &self.searcher {
            Some(s) => s.is_match(text),
            None => self
                .literals
                .iter()
                .any(|l| memchr::memmem::find(text.as_bytes(), l.as_bytes()).is_some()),
        }
    }
}

/// A regular expression checked when the rule is loaded (so errors are
/// reported with their position) but compiled on first use: loading the
/// whole pack happens at every start, and rules that are off, or never
/// reached, then cost nothing. A pattern of plain ASCII is compiled without
/// Unicode tables when that is possible (several times faster to build);
/// otherwise, or if that fails, with them.
#[derive(Debug)]
pub struct LazyRegex {
    source: String,
    case_insensitive: bool,
    /// Literals one of which every match contains (lower-cased when the
    /// pattern ignores case), when the pattern has a short finite set.
    required: std::sync::OnceLock<Option<Required>>,
    /// What every match opens with, read off the source.
    opening: std::sync::OnceLock<Option<Opening>>,
    /// An automaton finding every occurrence of a set of required
    /// literals, the fewest that hold (see `literal_hits`).
    anywhere: std::sync::OnceLock<Option<aho_corasick::AhoCorasick>>,
    /// Build the regex without its literal prefilter (see
    /// `without_prefilter`).
    no_prefilter: bool,
    /// Which two bytes a match may open with, for a pattern that has no
    /// literal to screen it (see `StartScreen`).
    start: std::sync::OnceLock<Option<StartScreen>>,
    cell: std::sync::OnceLock<Regex>,
}

thread_local! {
    static TRUSTED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Run `f` (loading rules) without parsing each pattern up front to check
/// it. For the embedded pack only, whose every pattern the test suite parses
/// (`builtin_rules_are_valid`): it is loaded at every start, and checking
/// its patterns again each time is most of the start-up cost.
pub fn trusted<T>(f: impl FnOnce() -> T) -> T {
    TRUSTED.set(true);
    let out = f();
    TRUSTED.set(false);
    out
}

/// Compile regexes lean (see `compile_lean`).
static LEAN: AtomicBool = AtomicBool::new(false);

/// Compile the regexes of this run lean: without the literal prefilter and
/// the lazy DFA, which make a regex several times slower to build and pay
/// off only over much text. For a run over a few short stories (a
/// pre-commit hook) building is most of a regex's cost. The matches are the
/// same either way.
pub fn compile_lean(lean: bool) {
    LEAN.store(lean, Ordering::Relaxed);
}

/// Texts longer than this are not prefiltered (see `LazyRegex::may_match`).
pub const PREFILTER_MAX: usize = PREFILTER_WORK / 8;

/// Above this much work (haystack bytes x literals) the literal test is not
/// worth it: compiling the pattern costs less than searching for them.
const PREFILTER_WORK: usize = 4 << 20;

/// A compiled pattern is screened by its required literals only when there
/// are this many or fewer (each a `memmem` search). A longer set needs an
/// Aho-Corasick search, which saves nothing: on 150 stories, screening with
/// every set, with sets of up to twelve and with sets of up to two all cost
/// 368.2 M instructions. (With the automaton's standard matching, which
/// steps through every byte, every set cost 405.5 M against 401.3 M.)
const SCREEN_MAX_LITERALS: usize = 2;

impl LazyRegex {
    pub fn new(source: String, case_insensitive: bool) -> Result<LazyRegex, String> {
        if !TRUSTED.get() {
            Self::validate(&source, case_insensitive)?;
        }
        Ok(LazyRegex {
            source,
            case_insensitive,
            required: std::sync::OnceLock::new(),
            opening: std::sync::OnceLock::new(),
            anywhere: std::sync::OnceLock::new(),
            no_prefilter: false,
            start: std::sync::OnceLock::new(),
            cell: std::sync::OnceLock::new(),
        })
    }

    /// Compile without the literal prefilter, so the automaton reads every
    /// byte. For a pattern whose literals are spelled in any case
    /// (`(?i-u:percent)`): the prefilter then searches for every case
    /// variant of every opening at once, and most positions that open with
    /// a common letter in either case are candidates, each checked against
    /// dozens of variants. percent-style's list ("percent", "per cent",
    /// "%") took 390 ms with the prefilter on the 50 MB bench file and
    /// 120 ms without it.
    pub fn without_prefilter(mut self) -> LazyRegex {
        self.no_prefilter = true;
        self
    }

    /// Parse the pattern, for an error with the reason if it is invalid.
    fn validate(source: &str, case_insensitive: bool) -> Result<(), String> {
        parse_with_case(source, case_insensitive).map(|_| ())
    }

    /// What every match opens with, read off the source on first use.
    fn opening(&self) -> Option<&Opening> {
        self.opening
            .get_or_init(|| opening_literal(&self.source, self.case_insensitive))
            .as_ref()
    }

    /// The required literals, worked out on first use (most patterns of a
    /// pack are never reached in a run on one short story).
    fn required(&self) -> Option<&Required> {
        self.required
            .get_or_init(|| {
                // Literals of the pattern as written (case variants would
                // multiply them); for a pattern that ignores case the text
                // is searched lower-cased.
                required_literals(&self.hir()?, self.case_insensitive, Sharpness::Longest)
                    .map(Required::new)
            })
            .as_ref()
    }

    /// False when the pattern certainly has no match in `hay` (`lower` is
    /// `hay` with ASCII letters lower-cased). Used on small texts. Before
    /// the pattern is compiled, a text ruled out spares compiling it, where
    /// most of its cost lies. Once it is compiled, the regex's own
    /// prefilter reads how matches open; a pattern that opens with a digit
    /// or a short common word runs its automaton over nearly every byte,
    /// while a literal that every match contains may be rare, and a search
    /// for it several times faster. So a compiled pattern that opens with a
    /// literal is left to the regex, and one that does not is screened by
    /// its required literals when there are few.
    /// `may_match` over a document's prose, with its lower-cased copy when
    /// the document keeps one.
    pub fn may_match_in(&self, doc: &Document) -> bool {
        let lower = (doc.prose.len() <= PREFILTER_MAX).then(|| doc.prose_lower());
        self.may_match(&doc.prose, lower)
    }

    pub fn may_match(&self, hay: &str, lower: Option<&str>) -> bool {
        // A long text: the regex is compiled for it and run (see
        // `PREFILTER_WORK`).
        if hay.len() > PREFILTER_MAX {
            return true;
        }
        let text = if self.case_insensitive {
            match lower {
                Some(l) => l,
                None => return true,
            }
        } else {
            hay
        };
        // What the pattern opens with, read off its source, is the cheapest
        // test; the full set needs the pattern parsed (once).
        let opening = self.opening();
        if self.is_compiled() {
            return opening.is_some()
                || self
                    .required()
                    .filter(|p| p.literals.len() <= SCREEN_MAX_LITERALS)
                    .is_none_or(|p| p.found_in(text));
        }
        if let Some(opening) = opening
            && !opening.found_in(text)
        {
            return false;
        }
        let Some(p) = self.required() else {
            return true;
        };
        if p.searcher.is_none() && hay.len().saturating_mul(p.literals.len()) > PREFILTER_WORK {
            return true;
        }
        p.found_in(text)
    }

    pub fn is_compiled(&self) -> bool {
        self.cell.get().is_some()
    }

    /// The pattern as written, parsed without its case flag (see
    /// `required`).
    fn hir(&self) -> Option<regex_syntax::hir::Hir> {
        regex_syntax::ParserBuilder::new()
            .build()
            .parse(&self.source)
            .ok()
    }

    /// Occurrences in `text` of a set of literals one of which every match
    /// contains, or `None` if there is no such set. They do not overlap:
    /// one that overlaps an earlier one is not reported (finding those too
    /// needs the automaton's standard matching, which stepped through every
    /// byte, at 19 instructions a byte for the fraction literals). For a
    /// pattern that ignores case the literals are lower-case, and `text`
    /// must be lower-cased (ASCII).
    fn literal_hits(&self, text: &str) -> Option<Vec<Range<usize>>> {
        let searcher = self
            .anywhere
            .get_or_init(|| {
                let hir = self.hir()?;
                literal_automaton(&required_literals(
                    &hir,
                    self.case_insensitive,
                    Sharpness::Fewest,
                )?)
            })
            .as_ref()?;
        Some(searcher.find_iter(text).map(|m| m.range()).collect())
    }

    /// The pattern's start screen, for a pattern with no literal that every
    /// match opens with or contains (the regex's own prefilter and
    /// `may_match` screen those).
    fn start_screen(&self) -> Option<&StartScreen> {
        self.start
            .get_or_init(|| {
                if self.opening().is_some() || self.required().is_some() {
                    return None;
                }
                StartScreen::of(&parse_with_case(&self.source, self.case_insensitive).ok()?)
            })
            .as_ref()
    }

    /// Every match of the pattern in `hay`, in order, as `find_iter` finds
    /// them. A pattern with a start screen is tried, anchored, only where
    /// two bytes could open a match; if those places turn out to be many,
    /// the rest of the text is searched the usual way.
    pub fn matches(&self, hay: &str, mut emit: impl FnMut(Range<usize>)) {
        let re = self.get();
        let mut at = 0;
        if let Some(screen) = self.start_screen() {
            let bytes = hay.as_bytes();
            let mut budget = 16 + hay.len() / 256;
            while let Some(p) = screen.next(bytes, at) {
                if budget == 0 {
                    break;
                }
                budget -= 1;
                let input = regex_automata::Input::new(hay)
                    .range(p..)
                    .anchored(regex_automata::Anchored::Yes);
                match re.search(&input) {
                    Some(m) => {
                        emit(m.range());
                        at = m.end();
                    }
                    None => at = p + 1,
                }
            }
            if budget > 0 {
                return;
            }
        }
        for m in re.find_iter(regex_automata::Input::new(hay).range(at..)) {
            emit(m.range());
        }
    }

    pub fn get(&self) -> &Regex {
        self.cell.get_or_init(|| {
            compile(
                &self.source,
                self.case_insensitive,
                LEAN.load(Ordering::Relaxed),
                !self.no_prefilter,
            )
        })
    }
}

/// Parse a pattern as it is compiled, case flag included (to check it, and
/// to read off what its matches may hold), or say why it is invalid.
fn parse_with_case(source: &str, case_insensitive: bool) -> Result<regex_syntax::hir::Hir, String> {
    regex_syntax::ParserBuilder::new()
        .case_insensitive(case_insensitive)
        .build()
        .parse(source)
        .map_err(|e| {
            let msg = e.to_string();
            let last = msg.lines().rfind(|l| !l.trim().is_empty()).unwrap_or(&msg);
            format!("invalid regular expression: {}", last.trim())
        })
}

/// Compile a pattern (already checked), lean or not (see `compile_lean`).
fn compile(source: &str, case_insensitive: bool, lean: bool, prefilter: bool) -> Regex {
    let build = |unicode: bool| {
        let mut config = meta::Config::new()
            .nfa_size_limit(Some(64 << 20))
            .auto_prefilter(prefilter);
        if lean {
            // A short pattern's prefilter is cheap to build and makes a
            // literal search ("“|\"") fast; a long one's costs the most.
            config = config
                .auto_prefilter(prefilter && source.len() <= 32)
                .hybrid(false)
                .onepass(false)
                .dfa(false);
        }
        meta::Builder::new()
            .configure(config)
            .syntax(
                syntax::Config::new()
                    .unicode(unicode)
                    .case_insensitive(case_insensitive),
            )
            .build(source)
            .ok()
    };
    let ascii = source.is_ascii() && !source.contains("\\p") && !source.contains("\\P");
    let compiled = if ascii {
        build(false).or_else(|| build(true))
    } else {
        build(true)
    };
    // A pattern that parsed but is too large to compile matches nothing.
    compiled.unwrap_or_else(|| Regex::new("[^\\s\\S]").expect("valid"))
}

/// Literals one of which every match of `pattern` starts with, read
/// straight off the source without parsing it (lower-cased with `lower`), if
/// each is at least two characters long: `\b3 (people|men)\b` gives "3
/// people" and "3 men", `\bstated\s` gives "stated". Anything this reading
/// is not sure of ends the literal or gives `None`: a top-level `|`, a class,
/// a group of anything but plain words, an escape other than punctuation, a
/// character with a quantifier after it, or (with `lower`) a non-ASCII
/// letter.
fn opening_literal(pattern: &str, lower: bool) -> Option<Opening> {
    // A `|` outside any group or class makes the opening one branch's only.
    let (mut depth, mut class_depth, mut escaped) = (0usize, 0usize, false);
    // Just inside `[` or `[^`, where a `]` is a literal.
    let mut class_start = false;
    for c in pattern.chars() {
        let at_start = std::mem::take(&mut class_start);
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '[' => {
                class_depth += 1;
                class_start = true;
            }
            '^' if at_start => class_start = true,
            ']' if class_depth > 0 && !at_start => class_depth -= 1,
            _ if class_depth > 0 => {}
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            '|' if depth == 0 => return None,
            _ => {}
        }
    }
    let mut rest = pattern;
    let mut bounded = false;
    while let Some(r) = rest.strip_prefix("\\b").or_else(|| rest.strip_prefix('^')) {
        bounded |= rest.starts_with("\\b");
        rest = r;
    }
    let cased = |c: char| lower && !c.is_ascii() && (c.is_lowercase() || c.is_uppercase());
    let mut out = String::new();
    let mut at = 0;
    let mut group = None;
    while let Some(c) = rest[at..].chars().next() {
        let (lit, len) = match c {
            '\\' => match rest[at + 1..].chars().next() {
                Some(e) if e.is_ascii_punctuation() => (e, 2),
                _ => break,
            },
            '(' => {
                group = literal_group(&rest[at..], &cased);
                break;
            }
            '.' | '+' | '*' | '?' | ')' | '|' | '[' | ']' | '{' | '}' | '^' | '$' | '#' => break,
            c if c.is_whitespace() && c != ' ' => break,
            c if cased(c) => break,
            c => (c, c.len_utf8()),
        };
        match rest[at + len..].chars().next() {
            Some('?' | '*' | '{') => break,
            Some('+') => {
                out.push(lit);
                break;
            }
            _ => out.push(lit),
        }
        at += len;
    }
    // Without a group, one empty tail: every literal is head + tail.
    let mut tails = group.unwrap_or_else(|| vec![String::new()]);
    if lower {
        out.make_ascii_lowercase();
        tails.iter_mut().for_each(|t| t.make_ascii_lowercase());
    }
    let starts_word = |t: &String| {
        out.bytes()
            .chain(t.bytes())
            .next()
            .is_some_and(|b| b.is_ascii_alphanumeric())
    };
    let word_start = bounded && tails.iter().all(starts_word);
    let long_enough = tails
        .iter()
        .all(|t| out.chars().count() + t.chars().count() >= 2);
    long_enough.then_some(Opening {
        head: out,
        tails,
        word_start,
    })
}

/// Which bytes a pattern's matches may open with, and which they may hold
/// at all, for a pattern that is at least two bytes long and has no
/// literal to screen it (`[A-Z]{3,5}s?`). A match can start only where the
/// first byte is one of `first` and the next one of `rest`; in news copy,
/// two capitals in a row are rare, and an anchored search at each such
/// place is far cheaper than running the automaton over every byte.
#[derive(Debug)]
struct StartScreen {
    first: [bool; 256],
    rest: [bool; 256],
}

impl StartScreen {
    fn of(hir: &regex_syntax::hir::Hir) -> Option<StartScreen> {
        if hir.properties().minimum_len().is_none_or(|n| n < 2) {
            return None;
        }
        let mut screen = StartScreen {
            first: [false; 256],
            rest: [false; 256],
        };
        // A pattern that may match empty (`nullable`) cannot be screened,
        // but one at least two bytes long never does.
        if first_bytes(hir, &mut screen.first) {
            return None;
        }
        any_bytes(hir, &mut screen.rest);
        // A screen that lets through a lower-case letter or a space would
        // stop at most words.
        let mut common = (b'a'..=b'z').chain([b' ', b'\n']);
        if common.any(|b| screen.first[usize::from(b)]) {
            return None;
        }
        Some(screen)
    }

    /// The first place at or after `from` where a match could start.
    fn next(&self, b: &[u8], from: usize) -> Option<usize> {
        let mut p = from;
        while p + 1 < b.len() {
            if self.first[usize::from(b[p])] && self.rest[usize::from(b[p + 1])] {
                return Some(p);
            }
            p += 1;
        }
        None
    }
}

/// Mark the bytes a match of `hir` may open with; true if it may match
/// empty (then what follows it may open the match too). Beyond ASCII,
/// every byte above 0x7f is marked.
fn first_bytes(hir: &regex_syntax::hir::Hir, set: &mut [bool; 256]) -> bool {
    use regex_syntax::hir::HirKind;
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => true,
        HirKind::Literal(l) => {
            match l.0.first() {
                Some(&b) => set[usize::from(b)] = true,
                None => return true,
            }
            false
        }
        HirKind::Class(_) => {
            mark_class(hir, set);
            false
        }
        HirKind::Repetition(r) => first_bytes(&r.sub, set) || r.min == 0,
        HirKind::Capture(c) => first_bytes(&c.sub, set),
        HirKind::Concat(subs) => subs.iter().all(|h| first_bytes(h, set)),
        HirKind::Alternation(subs) => subs.iter().fold(false, |n, h| first_bytes(h, set) | n),
    }
}

/// Mark every byte a match of `hir` may hold.
fn any_bytes(hir: &regex_syntax::hir::Hir, set: &mut [bool; 256]) {
    use regex_syntax::hir::HirKind;
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(l) => {
            for &b in l.0.iter() {
                set[usize::from(b)] = true;
            }
        }
        HirKind::Class(_) => mark_class(hir, set),
        HirKind::Repetition(r) => any_bytes(&r.sub, set),
        HirKind::Capture(c) => any_bytes(&c.sub, set),
        HirKind::Concat(subs) | HirKind::Alternation(subs) => {
            for h in subs {
                any_bytes(h, set);
            }
        }
    }
}

/// Mark the ASCII bytes of a class, and every byte above 0x7f if it holds
/// anything beyond ASCII.
fn mark_class(hir: &regex_syntax::hir::Hir, set: &mut [bool; 256]) {
    use regex_syntax::hir::{Class, HirKind};
    let mut mark = |lo: u32, hi: u32| {
        for b in lo..=hi.min(0x7f) {
            set[b as usize] = true;
        }
        if hi > 0x7f {
            set[0x80..].fill(true);
        }
    };
    match hir.kind() {
        HirKind::Class(Class::Unicode(c)) => {
            for r in c.ranges() {
                mark(u32::from(r.start()), u32::from(r.end()));
            }
        }
        HirKind::Class(Class::Bytes(c)) => {
            for r in c.ranges() {
                mark(u32::from(r.start()), u32::from(r.end()));
            }
        }
        _ => {}
    }
}

/// What every match opens with, read off a pattern's source: `head`, then
/// one of `tails` (an empty one when there is no choice); with
/// `word_start`, not right after a letter or digit.
#[derive(Debug)]
struct Opening {
    head: String,
    tails: Vec<String>,
    word_start: bool,
}

impl Opening {
    /// Does `text` have a place where a match could start? One search for
    /// the head (or, with none, for each tail), then a look at what follows
    /// each place it occurs.
    fn found_in(&self, text: &str) -> bool {
        let free = |i: usize| {
            !self.word_start
                || !text[..i]
                    .bytes()
                    .next_back()
                    .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')
        };
        // memchr's vectorised search: several times faster than
        // `str::match_indices` for the short needles patterns open with.
        use memchr::memmem::find_iter;
        let hay = text.as_bytes();
        if self.head.is_empty() {
            return self
                .tails
                .iter()
                .any(|t| find_iter(hay, t.as_bytes()).any(free));
        }
        find_iter(hay, self.head.as_bytes()).any(|i| {
            let after = &text.as_bytes()[i + self.head.len()..];
            free(i) && self.tails.iter().any(|t| after.starts_with(t.as_bytes()))
        })
    }
}

/// The alternatives of a group of plain words opening `s`, `(a|b c)` or
/// `(?:a|b c)`, when the group is not optional or repeated.
fn literal_group(s: &str, cased: &dyn Fn(char) -> bool) -> Option<Vec<String>> {
    let body = s.strip_prefix("(?:").or_else(|| s.strip_prefix('('))?;
    let end = body.find(')')?;
    if matches!(body[end + 1..].chars().next(), Some('?' | '*' | '{')) {
        return None;
    }
    let plain = |c: char| {
        (c.is_alphanumeric() || matches!(c, ' ' | '-' | '\'' | '\u{2019}' | '|')) && !cased(c)
    };
    let inner = &body[..end];
    (inner.chars().all(plain) && !inner.is_empty())
        .then(|| inner.split('|').map(str::to_string).collect())
}

/// Literals one of which every match of `hir` contains (lower-cased with
/// `lower`), if there is a short finite set: a text containing none of them
/// has no match. Worked out through the pattern's structure, so that
/// `\b(?:stated that|he stated)` gives just "stated": a concatenation
/// needs what any one of its parts needs, an alternation what one of its
/// branches needs; of the sets that hold, the sharpest test is kept.
fn required_literals(
    hir: &regex_syntax::hir::Hir,
    lower: bool,
    prefer: Sharpness,
) -> Option<Vec<String>> {
    use regex_syntax::hir::HirKind;
    let sharpness = |lits: &Vec<String>| {
        let shortest = lits.iter().map(String::len).min().unwrap_or(0);
        let shortest = match prefer {
            Sharpness::Longest => shortest,
            Sharpness::Fewest => shortest.min(FEWEST_FROM),
        };
        (shortest, std::cmp::Reverse(lits.len()))
    };
    let best = |candidates: Vec<Vec<String>>| {
        candidates
            .into_iter()
            .map(minimal)
            .filter(|lits| !lits.is_empty())
            // The longest shortest literal, then the fewest literals.
            .max_by_key(sharpness)
    };
    // A finite set of whole matches (a literal alternation) is as sharp as
    // a test gets; looking inside it would only cost time.
    let mut candidates = Vec::new();
    for kind in [ExtractKind::Prefix, ExtractKind::Suffix] {
        match edge_literals(hir, lower, kind) {
            Some((lits, true)) => return Some(minimal(lits)),
            Some((lits, false)) => candidates.push(lits),
            None => {}
        }
    }
    match hir.kind() {
        HirKind::Alternation(subs) => {
            let union: Option<Vec<Vec<String>>> = subs
                .iter()
                .map(|s| required_literals(s, lower, prefer))
                .collect();
            candidates.extend(union.map(|u| u.concat()));
        }
        HirKind::Concat(subs) => {
            candidates.extend(
                subs.iter()
                    .filter_map(|s| required_literals(s, lower, prefer)),
            );
        }
        HirKind::Capture(c) => candidates.extend(required_literals(&c.sub, lower, prefer)),
        HirKind::Repetition(r) if r.min > 0 => {
            candidates.extend(required_literals(&r.sub, lower, prefer));
        }
        _ => {}
    }
    best(candidates)
}

/// `lits` without repeats, and without any literal that contains another
/// (a text with the longer one has the shorter one too).
fn minimal(mut lits: Vec<String>) -> Vec<String> {
    lits.sort();
    lits.dedup();
    lits.sort_by_key(String::len);
    let mut kept: Vec<String> = Vec::with_capacity(lits.len());
    for s in lits {
        // (A plain scan: these are short, and `str::contains` sets up a
        // searcher for each call.)
        let inside = |k: &String| s.as_bytes().windows(k.len()).any(|w| w == k.as_bytes());
        if !kept.iter().any(inside) {
            kept.push(s);
        }
    }
    kept
}

/// The finite set of literals every match of `hir` starts with (or, with
/// `ExtractKind::Suffix`, ends with), if it is small and none is empty
/// (ASCII-lower-cased with `lower`, when every other character has no case),
/// and whether they are whole matches.
fn edge_literals(
    hir: &regex_syntax::hir::Hir,
    lower: bool,
    kind: ExtractKind,
) -> Option<(Vec<String>, bool)> {
    let mut ex = Extractor::new();
    ex.kind(kind).limit_total(64);
    let seq = ex.extract(hir);
    let lits = seq.literals()?;
    let caseless = |c: char| c.is_ascii() || (!c.is_lowercase() && !c.is_uppercase());
    let mut out = Vec::with_capacity(lits.len());
    for l in lits {
        let s = std::str::from_utf8(l.as_bytes()).ok()?;
        if s.is_empty() || (lower && !s.chars().all(caseless)) {
            return None;
        }
        out.push(if lower {
            s.to_ascii_lowercase()
        } else {
            s.to_string()
        });
    }
    Some((out, seq.is_exact()))
}

#[derive(Debug)]
pub struct PhraseMatcher {
    /// Process-wide identity, the key of this list's matches in a
    /// document's [`PhraseHits`].
    id: u32,
    /// The phrases as a word table (used when every phrase starts with a
    /// word character).
    table: Option<PhraseTable>,
    /// Otherwise, the phrases as one regex alternation.
    phrases: Option<LazyRegex>,
    patterns: Option<LazyRegex>,
    /// Check word boundaries on pattern matches too (patterns written
    /// without `\b`, for speed).
    bounded_patterns: bool,
    /// The regex phrases are lower-case ASCII, compiled case-sensitively,
    /// and are searched in the document's ASCII-lower-cased prose. Case-insensitive
    /// literal sets are slow to compile (every case variant is expanded),
    /// and compiling happens at every start.
    lowered: bool,
    /// For a `lowered` list searched over a long stretch of a large
    /// document: the same phrases matched with ASCII letters in either case
    /// in the prose as it is, so that the stretch (a whole 50 MB file, for
    /// a consistency rule) is not copied lower-cased first. Compiled only if
    /// a large document comes; a test checks it matches what the lower-cased
    /// search matches.
    phrases_any_case: Option<LazyRegex>,
}

/// Regex source for a literal phrase: escaped words, any whitespace between.
fn phrase_source(phrase: &str) -> String {
    phrase
        .split_whitespace()
        .map(regex::escape)
        .collect::<Vec<_>>()
        .join(r"\s+")
}

/// Regex source for an ASCII phrase matched with its letters in either case:
/// what `phrase_source` of the lower-cased phrase matches in lower-cased
/// text. Case is ignored only for ASCII letters (`-u`), as lower-casing the
/// text does (with Unicode rules `k` would also match the Kelvin sign); the
/// whitespace between words is matched as in the lower-cased source (both
/// are compiled alike).
fn ascii_any_case_source(phrase: &str) -> String {
    phrase
        .split_whitespace()
        .map(|w| format!("(?i-u:{})", regex::escape(&w.to_ascii_lowercase())))
        .collect::<Vec<_>>()
        .join(r"\s+")
}

/// Does a (non-empty) match start and end on word boundaries (where its
/// ends are word characters)?
fn bounded(hay: &str, r: &Range<usize>) -> bool {
    !splits_word(hay, r.start) && !splits_word(hay, r.end)
}

/// Is `at` inside a word: word characters on both sides of it?
fn splits_word(hay: &str, at: usize) -> bool {
    hay[..at].chars().next_back().is_some_and(is_word_char)
        && hay[at..].chars().next().is_some_and(is_word_char)
}

impl PhraseMatcher {
    /// Phrases (whole words) and regex patterns; errors point at the string.
    pub fn new(
        tokens: &[Spanned<String>],
        patterns: &[Spanned<String>],
        ignore_case: bool,
    ) -> Result<PhraseMatcher, ListError> {
        for t in tokens {
            if t.get_ref().trim().is_empty() {
                return Err(ListError::at(t.span(), "empty token"));
            }
        }
        let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        let list: Vec<&str> = tokens.iter().map(|t| t.get_ref().as_str()).collect();
        let table = PhraseTable::single(&list, ignore_case);
        // Without a table, the phrases as regex sources, longest first: at
        // one position the alternation takes the first alternative that
        // matches, so a longer phrase must win over its prefix.
        let mut sources: Vec<String> = match table {
            Some(_) => Vec::new(),
            None => list.iter().map(|p| phrase_source(p)).collect(),
        };
        sources.sort_by_key(|s| std::cmp::Reverse(s.len()));
        let mut pattern_sources = Vec::new();
        for p in patterns {
            LazyRegex::new(p.get_ref().clone(), ignore_case)
                .map_err(|m| ListError::at(p.span(), m))?;
            pattern_sources.push(format!("(?:{})", p.get_ref()));
        }
        let lowered = !sources.is_empty() && ignore_case && list.iter().all(|p| p.is_ascii());
        if lowered {
            for s in &mut sources {
                *s = s.to_ascii_lowercase();
            }
        }
        let build =
            |parts: &[String], case_insensitive: bool| -> Result<Option<LazyRegex>, ListError> {
                if parts.is_empty() {
                    return Ok(None);
                }
                LazyRegex::new(parts.join("|"), case_insensitive)
                    .map(Some)
                    .map_err(|m| ListError::at(0..0, m))
            };
        let phrases = build(&sources, ignore_case && !lowered)?;
        let phrases_any_case = if lowered {
            // In the order of `sources` (the sort is stable, and keyed on
            // the plain sources' lengths).
            let mut any_case: Vec<(usize, String)> = list
                .iter()
                .map(|p| (phrase_source(p).len(), ascii_any_case_source(p)))
                .collect();
            any_case.sort_by_key(|(len, _)| std::cmp::Reverse(*len));
            let parts: Vec<String> = any_case.into_iter().map(|(_, s)| s).collect();
            build(&parts, false)?.map(LazyRegex::without_prefilter)
        } else {
            None
        };
        Ok(PhraseMatcher {
            id,
            table,
            phrases,
            patterns: build(&pattern_sources, ignore_case)?,
            bounded_patterns: false,
            lowered,
            phrases_any_case,
        })
    }

    /// Regex patterns whose matches must also fall on word boundaries, so
    /// the patterns need no `\b` (which slows the regex engine on non-ASCII
    /// text).
    pub fn bounded_patterns(patterns: &[Spanned<String>]) -> Result<PhraseMatcher, ListError> {
        let mut m = PhraseMatcher::new(&[], patterns, true)?;
        m.bounded_patterns = true;
        Ok(m)
    }

    /// Make the patterns case-sensitive (they are compiled case-insensitive
    /// by `bounded_patterns`).
    pub fn set_case_sensitive(&mut self, pattern: &Spanned<String>) -> Result<(), ListError> {
        self.patterns = Some(
            LazyRegex::new(pattern.get_ref().clone(), false)
                .map_err(|m| ListError::at(pattern.span(), m))?,
        );
        Ok(())
    }

    /// Whether matching runs a regex over the text (patterns, or phrases
    /// that cannot be filed by their first word), rather than reading the
    /// hits of the shared word-list walk.
    pub fn runs_regex(&self) -> bool {
        self.patterns.is_some() || self.phrases.is_some() || self.phrases_any_case.is_some()
    }

    /// A case-insensitive matcher for a plain list of phrases (cue lists).
    pub fn phrases(list: &[String]) -> Option<PhraseMatcher> {
        if list.is_empty() {
            return None;
        }
        let tokens: Vec<Spanned<String>> = list
            .iter()
            .filter(|s| !s.trim().is_empty())
            .map(|s| Spanned::new(0..0, s.clone()))
            .collect();
        PhraseMatcher::new(&tokens, &[], true).ok()
    }

    /// Every match inside `range` of the document's prose, as absolute byte
    /// ranges in order of position (phrase matches on word boundaries).
    pub fn find_all(
        &self,
        doc: &Document,
        hits: &PhraseHits,
        range: Range<usize>,
    ) -> Vec<Range<usize>> {
        let shift = |mut v: Vec<Range<usize>>| {
            for r in &mut v {
                *r = r.start + range.start..r.end + range.start;
            }
            v
        };
        let mut out = match (&self.table, hits.get(self.id)) {
            // Matched already, with every other list, in one walk.
            (Some(_), Some(hits)) => within(hits, &range).map(|h| h.range()).collect(),
            (Some(table), None) => {
                let mut v = Vec::new();
                table.scan(&doc.prose[range.clone()], &mut |_, r| v.push(r));
                shift(v)
            }
            (None, _) => Vec::new(),
        };
        if self.phrases.is_some() || self.patterns.is_some() {
            let found = if self.lowered && range.len() > PREFILTER_MAX {
                // A long stretch of a large document: searched as it is,
                // not copied lower-cased first.
                self.find_in_any_case(&doc.prose[range.clone()])
            } else {
                // Lower-cased text, for a list matched lower-cased, for the
                // prefilter of patterns not compiled yet, and for the screen
                // of compiled ones when the document keeps a lower-cased
                // copy: the document's own copy if it is short, otherwise
                // just the part searched (a large document is not held
                // twice over for the sake of a paragraph).
                let wants_lower = self.lowered
                    || (range.len() <= PREFILTER_MAX
                        && (!self.compiled() || doc.prose.len() <= PREFILTER_MAX));
                let own: String;
                let lower_part: Option<&str> = if !wants_lower {
                    None
                } else if doc.prose.len() > PREFILTER_MAX {
                    own = doc.prose[range.clone()].to_ascii_lowercase();
                    Some(&own)
                } else {
                    Some(&doc.prose_lower()[range.clone()])
                };
                let phrase_hay: &str = match (self.lowered, lower_part) {
                    (true, Some(l)) => l,
                    _ => &doc.prose[range.clone()],
                };
                self.find_in(phrase_hay, &doc.prose[range.clone()], lower_part)
            };
            out.extend(shift(found));
            out.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
        }
        out
    }

    /// For a list of patterns only, where their required literals occur in
    /// the document: found in one pass, so that `find_all_screened` can
    /// skip the stretches (paragraphs, searched one by one) where none
    /// occurs, and where there can be no match. `None` for a list with
    /// phrases, whose patterns have no set of required literals, or in a
    /// large document (which keeps no lower-cased copy to search).
    pub fn literal_screen(&self, doc: &Document) -> Option<LiteralScreen> {
        let has_phrases = self.table.as_ref().is_some_and(|t| !t.phrases.is_empty());
        if has_phrases || self.phrases.is_some() || doc.prose.len() > PREFILTER_MAX {
            return None;
        }
        let re = self.patterns.as_ref()?;
        let text = if re.case_insensitive {
            doc.prose_lower()
        } else {
            &doc.prose
        };
        let hits = re.literal_hits(text)?;
        Some(LiteralScreen { hits })
    }

    /// `find_all`, skipped when `screen` (this list's `literal_screen` of
    /// the document) shows no required literal inside `range`.
    pub fn find_all_screened(
        &self,
        doc: &Document,
        hits: &PhraseHits,
        range: Range<usize>,
        screen: Option<&LiteralScreen>,
    ) -> Vec<Range<usize>> {
        if screen.is_some_and(|s| !s.any_overlapping(&range)) {
            return Vec::new();
        }
        self.find_all(doc, hits, range)
    }

    /// Are this list's regexes (if any) compiled already?
    fn compiled(&self) -> bool {
        [&self.phrases, &self.patterns]
            .into_iter()
            .flatten()
            .all(LazyRegex::is_compiled)
    }

    /// Does anything match inside `range`?
    pub fn is_match(&self, doc: &Document, hits: &PhraseHits, range: Range<usize>) -> bool {
        !self.find_all(doc, hits, range).is_empty()
    }

    /// Matches in a plain string (phrases lower-cased here if need be).
    pub fn find_in_str(&self, hay: &str) -> Vec<Range<usize>> {
        let needs_lower = self.lowered || self.patterns.is_some();
        let lower;
        let lower_hay: &str = if needs_lower {
            lower = hay.to_ascii_lowercase();
            &lower
        } else {
            hay
        };
        let mut out = Vec::new();
        if let Some(table) = &self.table {
            table.scan(hay, &mut |_, r| out.push(r));
        }
        if self.phrases.is_some() || self.patterns.is_some() {
            let phrase_hay = if self.lowered { lower_hay } else { hay };
            out.extend(self.find_in(phrase_hay, hay, Some(lower_hay)));
            out.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
        }
        out
    }

    /// The regex part of a `lowered` list in a long text, without a
    /// lower-cased copy of it: the phrases with ASCII letters in either
    /// case, and the patterns (a long text is not prefiltered anyway).
    fn find_in_any_case(&self, hay: &str) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        if let Some(re) = &self.phrases_any_case {
            phrase_matches(re.get(), hay, &mut out);
        }
        self.pattern_matches(hay, None, &mut out);
        out
    }

    /// The regex part: phrases without a table, and patterns (`lower` is
    /// `hay` lower-cased, for the pattern prefilter).
    fn find_in(&self, phrase_hay: &str, hay: &str, lower: Option<&str>) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        if let Some(re) = &self.phrases
            && re.may_match(phrase_hay, lower)
        {
            phrase_matches(re.get(), phrase_hay, &mut out);
        }
        self.pattern_matches(hay, lower, &mut out);
        out
    }

    /// Matches of the regex patterns (`lower` as for `find_in`).
    fn pattern_matches(&self, hay: &str, lower: Option<&str>, out: &mut Vec<Range<usize>>) {
        if let Some(re) = &self.patterns
            && re.may_match(hay, lower)
        {
            re.matches(hay, |r| {
                if !r.is_empty() && (!self.bounded_patterns || bounded(hay, &r)) {
                    out.push(r);
                }
            });
        }
    }
}

/// Matches of a phrase alternation that start and end on word boundaries,
/// in order, without overlaps.
fn phrase_matches(re: &Regex, phrase_hay: &str, out: &mut Vec<Range<usize>>) {
    let mut at = 0;
    while at <= phrase_hay.len() {
        let Some(m) = re.search(&regex_automata::Input::new(phrase_hay).range(at..)) else {
            break;
        };
        let r = m.range();
        if !r.is_empty() && bounded(phrase_hay, &r) {
            at = r.end;
            out.push(r);
        } else {
            // Try again one character further on: a longer phrase may start
            // inside a rejected match.
            at = r.start
                + phrase_hay[r.start..]
                    .chars()
                    .next()
                    .map_or(1, char::len_utf8);
        }
    }
}

static NEXT_ID: AtomicU32 = AtomicU32::new(0);

/// Which set of required literals `required_literals` keeps when several
/// hold.
#[derive(Debug, Clone, Copy)]
enum Sharpness {
    /// The set with the longest shortest literal, then the fewest: for
    /// searches of short texts, one literal at a time.
    Longest,
    /// Of the sets whose literals are all `FEWEST_FROM` bytes or longer,
    /// the one with the fewest: for one search of a whole document with an
    /// automaton, whose cost grows with the literals ("a third", "one
    /// third", "two-thirds" and the rest of 39 come down to "third" and
    /// six others for unsourced-figure's fractions).
    Fewest,
}

const FEWEST_FROM: usize = 4;

/// Where a pattern list's required literals occur in a document (see
/// `PhraseMatcher::literal_screen`).
#[derive(Debug)]
pub struct LiteralScreen {
    /// In order, not overlapping.
    hits: Vec<Range<usize>>,
}

impl LiteralScreen {
    /// Could a literal occur wholly inside `range`? Yes if a reported
    /// occurrence overlaps it: one inside it is reported or overlaps one
    /// that is, which then overlaps the range too.
    fn any_overlapping(&self, range: &Range<usize>) -> bool {
        let a = self.hits.partition_point(|h| h.end <= range.start);
        self.hits.get(a).is_some_and(|h| h.start < range.end)
    }
}

/// The matches (sorted by start) that lie wholly inside `range`.
pub fn within<'h, H: Bounds>(
    hits: &'h [H],
    range: &Range<usize>,
) -> impl Iterator<Item = &'h H> + use<'h, H> {
    let a = hits.partition_point(|h| h.start() < range.start);
    let b = a + hits[a..].partition_point(|h| h.start() < range.end);
    let end = range.end;
    hits[a..b].iter().filter(move |h| h.end() <= end)
}

/// A match's bounds: a byte range, or the 8-byte span the word-list hits
/// of a large file are kept in.
pub trait Bounds {
    fn start(&self) -> usize;
    fn end(&self) -> usize;
}

impl Bounds for Range<usize> {
    fn start(&self) -> usize {
        self.start
    }
    fn end(&self) -> usize {
        self.end
    }
}

impl Bounds for Span {
    fn start(&self) -> usize {
        Span::start(*self)
    }
    fn end(&self) -> usize {
        Span::end(*self)
    }
}

/// One phrase of a list: its words (lower case when matched without case).
#[derive(Debug, Clone)]
struct Phrase {
    words: Arc<[String]>,
    /// The first word is one run of word characters (so a table lookup of
    /// an ASCII run has matched it whole).
    whole_first: bool,
    /// The first byte of the second word, when there is one and it is
    /// ASCII (compared byte for byte, or without ASCII case).
    second_first: Option<u8>,
    ci: bool,
    /// Length in bytes, to prefer the longest phrase at a position.
    len: usize,
    /// The list it belongs to (a slot of the table).
    slot: u32,
}

/// Phrases filed by their first word. A table holds one list or, merged,
/// the lists of a whole rule set.
#[derive(Debug, Clone, Default)]
pub struct PhraseTable {
    phrases: Vec<Phrase>,
    /// First word (up to its first non-word character, lower-cased) ->
    /// phrases, by slot then longest first. Lists matched without case.
    /// (Keyed by bytes: the scan looks up a word it lower-cased into a
    /// byte buffer.)
    ci: FxHashMap<Box<[u8]>, Vec<u32>>,
    /// The same for lists matched with case.
    cs: FxHashMap<Box<[u8]>, Vec<u32>>,
    /// The first words of one to eight ASCII bytes, looked up without
    /// hashing a slice (most words of a story are that short).
    short: ShortWords,
    /// Of each phrase, what `try_at` tests before reading the phrase
    /// itself: in one small array, where the phrases' own fields are spread
    /// over memory (in the shipped pack a common word files up to ten
    /// phrases: "by", "he", "in").
    gates: Vec<Gate>,
    /// Slot -> list id.
    ids: Vec<u32>,
}

/// A phrase's slot, and the first byte its second word must start with when
/// its first word is one whole run of word characters (`None` when there
/// is no such test): lower case for a phrase matched without case.
#[derive(Debug, Clone, Copy)]
struct Gate {
    slot: u32,
    second: Option<u8>,
    ci: bool,
}

/// A word of one to eight ASCII letters and digits lower-cased, packed
/// into a `u64` a byte at a time (`acc << 8 | byte`). No such byte is zero,
/// so different words pack differently, and no word packs to 0.
fn pack(word: &[u8]) -> Option<u64> {
    (!word.is_empty() && word.len() <= 8 && word.iter().all(u8::is_ascii_alphanumeric)).then(|| {
        word.iter()
            .fold(0u64, |acc, b| acc << 8 | u64::from(b.to_ascii_lowercase()))
    })
}

/// The first words of a table that pack into a `u64` (see `pack`), in an
/// open-addressed table: one multiplication and, for most words of a
/// story, one comparison with an empty slot, where a hash map lookup
/// hashed the word's bytes and compared them. (The word-list walk passes
/// every word of every story through it.)
#[derive(Debug, Clone, Default)]
struct ShortWords {
    /// Packed words; 0 is an empty slot. A power of two long, at most a
    /// quarter full, so a miss ends at the first or second slot.
    keys: Box<[u64]>,
    /// For each slot: the phrases (of `PhraseTable::ci`) whose first word
    /// this is when case is ignored, and whether a phrase matched with case
    /// has a first word that lower-cases to it.
    vals: Vec<(Option<Vec<u32>>, bool)>,
    shift: u32,
}

impl ShortWords {
    fn build(ci: &FxHashMap<Box<[u8]>, Vec<u32>>, cs: &FxHashMap<Box<[u8]>, Vec<u32>>) -> Self {
        let n = ci.len() + cs.len();
        let slots = (n * 4).next_power_of_two().max(16);
        let mut t = ShortWords {
            keys: vec![0; slots].into_boxed_slice(),
            vals: vec![(None, false); slots],
            shift: 64 - slots.trailing_zeros(),
        };
        // (Map order does not matter: each packed word has one slot.)
        for (key, list) in ci {
            if let Some(k) = pack(key) {
                let at = t.slot(k);
                t.keys[at] = k;
                t.vals[at].0 = Some(list.clone());
            }
        }
        for key in cs.keys() {
            if let Some(k) = pack(key) {
                let at = t.slot(k);
                t.keys[at] = k;
                t.vals[at].1 = true;
            }
        }
        t
    }

    /// The slot holding `k`, or the empty slot where it would go.
    fn slot(&self, k: u64) -> usize {
        let mask = self.keys.len() - 1;
        let mut at = (k.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> self.shift) as usize;
        while self.keys[at] != 0 && self.keys[at] != k {
            at = (at + 1) & mask;
        }
        at
    }

    fn get(&self, k: u64) -> Option<&(Option<Vec<u32>>, bool)> {
        if self.keys.is_empty() {
            return None;
        }
        let at = self.slot(k);
        (self.keys[at] == k).then(|| &self.vals[at])
    }
}

/// The leading run of word characters.
fn first_run(s: &str) -> &str {
    let end = s
        .char_indices()
        .find(|(_, c)| !is_word_char(*c))
        .map_or(s.len(), |(i, _)| i);
    &s[..end]
}

impl PhraseTable {
    /// A table for one list, or `None` if a phrase does not start with a
    /// word character (such lists are matched by regex).
    fn single(list: &[&str], ignore_case: bool) -> Option<PhraseTable> {
        let mut t = PhraseTable {
            ids: vec![0],
            ..PhraseTable::default()
        };
        for p in list {
            let words: Arc<[String]> = p
                .split_whitespace()
                .map(|w| {
                    if ignore_case {
                        w.to_lowercase()
                    } else {
                        w.to_string()
                    }
                })
                .collect();
            if words.is_empty() || first_run(&words[0]).is_empty() {
                return None;
            }
            let len = words.iter().map(String::len).sum::<usize>() + words.len() - 1;
            t.phrases.push(Phrase {
                whole_first: first_run(&words[0]) == words[0],
                second_first: words
                    .get(1)
                    .filter(|w| w.is_ascii())
                    .and_then(|w| w.bytes().next()),
                words,
                ci: ignore_case,
                len,
                slot: 0,
            });
        }
        t.file();
        Some(t)
    }

    /// Build the first-word maps from `phrases`.
    fn file(&mut self) {
        self.ci.clear();
        self.cs.clear();
        for (i, p) in self.phrases.iter().enumerate() {
            let key: Box<[u8]> = first_run(&p.words[0]).as_bytes().into();
            let map = if p.ci { &mut self.ci } else { &mut self.cs };
            map.entry(key).or_default().push(i as u32);
        }
        let phrases = &self.phrases;
        for list in self.ci.values_mut().chain(self.cs.values_mut()) {
            list.sort_by_key(|&i| {
                let p = &phrases[i as usize];
                (p.slot, std::cmp::Reverse(p.len), i)
            });
            list.dedup_by(|a, b| {
                let (a, b) = (&phrases[*a as usize], &phrases[*b as usize]);
                a.slot == b.slot && a.words == b.words
            });
        }
        self.short = ShortWords::build(&self.ci, &self.cs);
        self.gates = self
            .phrases
            .iter()
            .map(|p| Gate {
                slot: p.slot,
                second: p
                    .second_first
                    .filter(|_| p.whole_first)
                    .map(|b| if p.ci { b.to_ascii_lowercase() } else { b }),
                ci: p.ci,
            })
            .collect();
    }

    /// Walk `hay` once and report, per list slot, each match: at a word
    /// start, the longest phrase of the list that matches there and ends on
    /// a word boundary; a list's matches do not overlap.
    fn scan(&self, hay: &str, emit: &mut dyn FnMut(u32, Range<usize>)) {
        let mut free_from = vec![0usize; self.ids.len()];
        self.scan_within(hay, 0..hay.len(), &mut free_from, emit);
    }

    /// `scan` for the phrases that start inside `within` (which must start
    /// at the start of a word or between words); they may end past it.
    /// `free_from` holds, per list, where its next match may start (matches
    /// of one list do not overlap), and is left as the scan leaves it.
    fn scan_within(
        &self,
        hay: &str,
        within: Range<usize>,
        free_from: &mut [usize],
        emit: &mut dyn FnMut(u32, Range<usize>),
    ) {
        if self.phrases.is_empty() {
            return;
        }
        let bytes = hay.as_bytes();
        // Where words start and where their ASCII letters end, 64 bytes at
        // a time (see `swar`); characters beyond ASCII are decoded.
        let mut window = Window::at(bytes, within.start);
        let mut i = within.start;
        loop {
            i = window.next_word_byte(i, within.end);
            if i >= within.end {
                break;
            }
            let mut ascii = bytes[i] < 0x80;
            let mut j = if ascii {
                window.alnum_end(i, bytes.len())
            } else {
                let c = char_at(hay, i).unwrap_or('\0');
                if !is_word_char(c) {
                    i += c.len_utf8();
                    continue;
                }
                window.alnum_end(i + c.len_utf8(), bytes.len())
            };
            // A word starts at i: its run of word characters goes on
            // through characters beyond ASCII and the letters after them.
            while bytes.get(j).is_some_and(|&b| b >= 0x80) {
                let d = char_at(hay, j).unwrap_or('\0');
                if !is_word_char(d) {
                    break;
                }
                ascii = false;
                j = window.alnum_end(j + d.len_utf8(), bytes.len());
            }
            // The run's end, when the run is ASCII: a phrase whose first
            // word is the whole run has matched up to there.
            let ascii_end = ascii.then_some(j);
            if ascii && j - i <= 8 {
                // A short ASCII word: its first words, if any, are all in
                // `short` (see `ShortWords::build`).
                if let Some((ci, cs)) = self.short.get(packed_lower(bytes, i, j - i)) {
                    if let Some(list) = ci {
                        self.try_at(hay, i, ascii_end, list, free_from, emit);
                    }
                    if *cs && let Some(list) = self.cs.get(&bytes[i..j]) {
                        self.try_at(hay, i, ascii_end, list, free_from, emit);
                    }
                }
                i = j;
                continue;
            }
            if !self.ci.is_empty() {
                // A longer word, or one beyond ASCII, lower-cased now.
                let mut buf = [0u8; 32];
                let key = crate::document::lower_in(&mut buf, &hay[i..j]);
                if let Some(list) = self.ci.get(key.as_bytes()) {
                    self.try_at(hay, i, ascii_end, list, free_from, emit);
                }
            }
            if !self.cs.is_empty()
                && let Some(list) = self.cs.get(&bytes[i..j])
            {
                self.try_at(hay, i, ascii_end, list, free_from, emit);
            }
            i = j;
        }
    }

    fn try_at(
        &self,
        hay: &str,
        at: usize,
        ascii_end: Option<usize>,
        list: &[u32],
        free_from: &mut [usize],
        emit: &mut dyn FnMut(u32, Range<usize>),
    ) {
        // After a whole ASCII first word: the first byte of the next word,
        // if whitespace comes between (a phrase of two or more words needs
        // both), read once for every phrase tried here.
        let next = ascii_end.map(|end| {
            let mut i = end;
            while i < hay.len() {
                let c = char_at(hay, i).unwrap_or('\0');
                if !c.is_whitespace() {
                    break;
                }
                i += c.len_utf8();
            }
            (i > end).then(|| hay.as_bytes().get(i).copied()).flatten()
        });
        let mut done_slot: Option<u32> = None;
        for &pi in list {
            let gate = self.gates[pi as usize];
            if done_slot == Some(gate.slot) || at < free_from[gate.slot as usize] {
                continue;
            }
            // A second word that cannot start there: no need to try. (Only
            // after a whole ASCII first word, where `next` is known.)
            if let (Some(next), Some(second)) = (next, gate.second)
                && match next {
                    None => true,
                    Some(b) if gate.ci => b.to_ascii_lowercase() != second,
                    Some(b) => b != second,
                }
            {
                continue;
            }
            let p = &self.phrases[pi as usize];
            // The table matched the first word if it is the whole run.
            let from = match ascii_end {
                Some(end) if p.whole_first => Some((1, end)),
                _ => None,
            };
            if let Some(end) = p.match_at(hay, at, from) {
                free_from[p.slot as usize] = end;
                done_slot = Some(p.slot);
                emit(p.slot, at..end);
            }
        }
    }
}

impl Phrase {
    /// The end of this phrase if it matches at `at` and ends on a word
    /// boundary; any run of whitespace matches the space between words.
    /// `from`, when given, says the first words have matched up to there.
    fn match_at(&self, hay: &str, mut at: usize, from: Option<(usize, usize)>) -> Option<usize> {
        let (skip, start) = from.unwrap_or((0, at));
        at = start;
        for (k, word) in self.words.iter().enumerate().skip(skip) {
            if k > 0 {
                let start = at;
                while at < hay.len() {
                    let c = char_at(hay, at).unwrap_or('\0');
                    if !c.is_whitespace() {
                        break;
                    }
                    at += c.len_utf8();
                }
                if at == start {
                    return None;
                }
            }
            if self.ci && !word.is_ascii() {
                for pc in word.chars() {
                    if at >= hay.len() {
                        return None;
                    }
                    let hc = char_at(hay, at).unwrap_or('\0');
                    let mut l = hc.to_lowercase();
                    if l.next() != Some(pc) || l.next().is_some() {
                        return None;
                    }
                    at += hc.len_utf8();
                }
            } else {
                let here = hay.as_bytes().get(at..at + word.len())?;
                let same = if self.ci {
                    here.eq_ignore_ascii_case(word.as_bytes())
                } else {
                    here == word.as_bytes()
                };
                if !same {
                    return None;
                }
                at += word.len();
            }
        }
        (!splits_word(hay, at)).then_some(at)
    }
}

/// The word lists of a whole rule set in one table: a document is walked
/// once for all of them ([`PhraseIndex::scan`]), and each list then reads
/// its matches from [`PhraseHits`].
#[derive(Debug, Default)]
pub struct PhraseIndex {
    table: PhraseTable,
    covered: Arc<FxHashSet<u32>>,
}

impl PhraseIndex {
    pub fn new<'m>(matchers: impl IntoIterator<Item = &'m PhraseMatcher>) -> PhraseIndex {
        let mut table = PhraseTable::default();
        let mut covered = FxHashSet::default();
        for m in matchers {
            let Some(t) = &m.table else { continue };
            if !covered.insert(m.id) {
                continue;
            }
            let slot = table.ids.len() as u32;
            table.ids.push(m.id);
            table
                .phrases
                .extend(t.phrases.iter().map(|p| Phrase { slot, ..p.clone() }));
        }
        table.file();
        PhraseIndex {
            table,
            covered: Arc::new(covered),
        }
    }

    /// Every list's matches in the document's prose.
    pub fn scan(&self, doc: &Document, threads: usize) -> PhraseHits {
        let mut hits: FxHashMap<u32, Vec<Span>> = FxHashMap::default();
        let ids = &self.table.ids;
        // Runs of paragraphs (one for a short document), scanned on
        // several threads, each as if nothing matched before it. That is
        // what a scan from the start finds unless a match of the run before
        // reaches into this run (a phrase across a paragraph break), which
        // could hide one of its matches: then the run is scanned again,
        // after the one before.
        let runs = doc.runs_for_threads(threads);
        let hay: &str = &doc.prose;
        let scan_run = |run: &Range<usize>, free_from: &mut [usize]| {
            let mut found: Vec<(u32, Range<usize>)> = Vec::new();
            self.table
                .scan_within(hay, run.clone(), free_from, &mut |slot, r| {
                    found.push((slot, r))
                });
            found
        };
        let found = crate::parallel::map_in_order(runs.len(), threads, |i| {
            scan_run(&runs[i], &mut vec![0; ids.len()])
        });
        let mut free_from = vec![0usize; ids.len()];
        for (run, mut run_found) in runs.iter().zip(found) {
            if free_from.iter().any(|&f| f > run.start) {
                run_found = scan_run(run, &mut free_from.clone());
            }
            for (slot, r) in run_found {
                free_from[slot as usize] = r.end;
                hits.entry(ids[slot as usize])
                    .or_default()
                    .push(Span::new(r));
            }
        }
        // Held while every rule runs: without the room left from growing.
        for list in hits.values_mut() {
            crate::memory::trim(list);
        }
        PhraseHits {
            covered: Some(self.covered.clone()),
            hits,
        }
    }
}

/// A document's phrase-list matches, by list id (see [`PhraseIndex`]).
#[derive(Debug, Default)]
pub struct PhraseHits {
    covered: Option<Arc<FxHashSet<u32>>>,
    /// (In 8-byte spans: a large file has hundreds of thousands.)
    hits: FxHashMap<u32, Vec<Span>>,
}

impl PhraseHits {
    /// The matches of list `id`, if the document was scanned for it.
    pub fn get(&self, id: u32) -> Option<&[Span]> {
        let covered = self.covered.as_ref()?;
        if !covered.contains(&id) {
            return None;
        }
        Some(self.hits.get(&id).map_or(&[], Vec::as_slice))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(list: &[&str]) -> PhraseMatcher {
        PhraseMatcher::phrases(&list.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap()
    }

    fn required(pattern: &str, lower: bool) -> Option<Vec<String>> {
        let hir = regex_syntax::ParserBuilder::new()
            .build()
            .parse(pattern)
            .unwrap();
        required_literals(&hir, lower, super::Sharpness::Longest)
    }

    /// Patterns with a start screen find, tried only where two bytes could
    /// open a match, what the automaton finds over every byte, including
    /// when the places are too many and the search goes on the usual way.
    #[test]
    fn start_screen_finds_every_match() {
        let patterns = [
            ("[A-Z]{3,5}s?", false),
            ("\\b[A-Z]{2,}\\b", false),
            ("[0-9]+(?:[.,][0-9]+)?%", false),
            ("(?:[A-Z]\\.){2,}", false),
            ("\\p{Lu}\\p{Lu}+", false),
            ("[A-Z][A-Z0-9]|[0-9]{3}", false),
            ("(?:\\d\\d)+", false),
            ("[A-Z]{2}(?:x|é)", true),
            ("É[A-Z]", false),
            ("[0-9]*[A-Z][A-Z]", false),
        ];
        let pieces = [
            "NATO", "A", "B", "s", " ", "1", "22", "5.5", ",", "%", "x", "é", "É", ".", "\n", "Ab",
            "U.S.", "ÉT", "lower",
        ];
        let mut screened = Vec::new();
        for (pattern, ci) in patterns {
            let re = LazyRegex::new(pattern.to_string(), ci).unwrap();
            if re.start_screen().is_some() {
                screened.push(pattern);
            }
            for t in crate::testing::texts(&pieces, 0x5c7e_e4ed, 40).take(3000) {
                let want: Vec<_> = re.get().find_iter(&t).map(|m| m.range()).collect();
                let mut got = Vec::new();
                re.matches(&t, |r| got.push(r));
                assert_eq!(got, want, "{pattern} in {t:?}");
            }
        }
        assert_eq!(screened.len(), 6, "{screened:?}");
        // Lower-case letters open too many places.
        assert!(
            LazyRegex::new("[a-z]{3}".into(), false)
                .unwrap()
                .start_screen()
                .is_none()
        );
    }

    #[test]
    fn required_literals_look_inside_the_pattern() {
        // Two patterns joined (the shared `\b` is factored out of the
        // alternation); each branch needs "stated".
        assert_eq!(
            required(
                r"(?:\bstated(?:\s+that\b|[.,]))|(?:\b(?:he|she|they)\s+stated\b)",
                true
            ),
            Some(vec!["stated".to_string()])
        );
        // A literal alternation gives every phrase, exactly.
        let nouns = required(r"\b3 (people|children|women)\b", false).unwrap();
        assert_eq!(nouns, vec!["3 women", "3 people", "3 children"]);
        // Punctuation with no case is fine for a pattern that ignores case.
        assert!(required("[.!?][\"\u{201d}]? {2,}\\S", true).is_some());
        // A letter with case is not: the text is only ASCII-lower-cased.
        assert_eq!(required("café", true), None);
        // Nothing required: no test.
        assert_eq!(required(r"\p{Lu}{3,}", false), None);
        assert_eq!(required(r"a?b?", false), None);
    }

    #[test]
    fn the_opening_literal_is_read_off_the_source() {
        let open = |p: &str, lower| {
            opening_literal(p, lower)
                .map(|o| o.tails.iter().map(|t| format!("{}{t}", o.head)).collect())
        };
        let one = |s: &str| Some(vec![s.to_string()]);
        assert_eq!(
            open(r"\b3 (people|men)\b", false),
            Some(vec!["3 people".to_string(), "3 men".to_string()])
        );
        assert_eq!(open(r"\b3 (people|m[ae]n)\b", false), one("3 "));
        assert_eq!(open(r"\b3 (people|men)?\b", false), one("3 "));
        assert_eq!(open(r"\bStated\s+that", true), one("stated"));
        assert_eq!(open(r"per\s*cent", false), one("per"));
        assert_eq!(open(r"abc?d", false), one("ab"));
        assert_eq!(open(r"ab+c", false), one("ab"));
        assert_eq!(open(r"\.\.\.x", false), one("...x"));
        assert_eq!(open(r"ab[|]c", false), one("ab"));
        // Not sure, so nothing.
        assert_eq!(open(r"ab|cd", false), None);
        assert_eq!(open(r"ab[]]|cd", false), None);
        assert_eq!(open(r"(?i)abc", false), None);
        assert_eq!(open(r"a\d", false), None);
        assert_eq!(open(r"caf\u00e9|x", false), None);
        assert_eq!(open(r"Éa", true), None);
        // After `\b`, a letter or digit opens a word.
        let word_start = |p: &str| opening_literal(p, false).map(|o| o.word_start);
        assert_eq!(word_start(r"\b3 x"), Some(true));
        assert_eq!(word_start(r"\b(?:ab|cd)"), Some(true));
        assert_eq!(word_start(r"\b\.x"), Some(false));
        assert_eq!(word_start(r"3 x"), Some(false));
    }

    /// A lean regex finds exactly what a full one does.
    #[test]
    fn lean_regexes_match_the_same() {
        let patterns = [
            (
                r"\bstated(?:\s+that\b|[.,])|\b(?:he|she|they)\s+stated\b",
                true,
            ),
            (
                r"(?:a|one|two)[- ](?:third|quarter)s?\s+of|half\s+of\s+(?:all|the)",
                true,
            ),
            (r"\b[2-3] (?:people|men)\b", false),
            (r#"[.!?]["”]? {2,}\S"#, false),
            (r#"“|""#, false),
            (r"\p{Lu}{2,}s?", false),
        ];
        let pieces = [
            "stated", "Stated", "he", " ", "  ", "\n", "that", ".", "”", "\"", "“", "a", "one",
            "-", "third", "of", "half", "all", "3", "12", "people", "men", "ÉCOLE", "NHS", "x",
        ];
        let mut texts = crate::testing::texts(&pieces, 0x1234_5678_9abc_def1, 12);
        for (pattern, ci) in patterns {
            let (full, lean) = (
                compile(pattern, ci, false, true),
                compile(pattern, ci, true, true),
            );
            for hay in texts.by_ref().take(300) {
                let found = |re: &Regex| re.find_iter(&hay).map(|m| m.range()).collect::<Vec<_>>();
                assert_eq!(found(&full), found(&lean), "{pattern:?} on {hay:?}");
            }
        }
    }

    /// The prefilter must never rule out a text the pattern matches.
    #[test]
    fn required_literals_never_rule_out_a_match() {
        let patterns = [
            r"\bstated(?:\s+that\b|[.,])|\b(?:he|she|they)\s+stated\b",
            r"(?:a|one|two)[- ](?:third|quarter)s?\s+of|half\s+of\s+(?:all|the)",
            r"(?:twice|\d+ times)\s+(?:as|more)",
            r"\b[2-3] (?:people|men)\b",
            r#"[.!?]["”]? {2,}\S"#,
            r"(?i)per\s*cent|%",
            r"x+yz|q(?:rs)+",
            r"xy+z",
            r"qx?yz",
            r"yz[]|x]",
            r"yz[^]|]q|x",
            r"\.yz\b",
            r"(?i)yz|q",
            r"\bq(?:x|yz)\b",
            r"q(yz|x)?y",
            r"\b3 (?:people|men)",
            r"\b12 times",
            r"\b(?:yz|men)s",
        ];
        let pieces = [
            "stated", "Stated", "he", "She", " ", "  ", "\n", "that", ".", ",", "”", "\"", "a",
            "one", "-", "third", "quarters", "of", "half", "all", "the", "twice", "3", "12",
            "times", "as", "more", "2", "people", "men", "!", "per", "cent", "%", "x", "yz", "q",
            "rs", "É",
        ];
        let mut texts = crate::testing::texts(&pieces, 0x9e37_79b9_7f4a_7c15, 9);
        let (mut matched, mut ruled_out, mut ruled_out_compiled) = (0, 0, 0);
        for pattern in patterns {
            for ignore_case in [false, true] {
                let lazy = LazyRegex::new(pattern.to_string(), ignore_case).unwrap();
                for hay in texts.by_ref().take(700) {
                    let lower = hay.to_ascii_lowercase();
                    // A fresh copy: one compiled already is screened less.
                    let fresh = LazyRegex::new(pattern.to_string(), ignore_case).unwrap();
                    let may = fresh.may_match(&hay, Some(&lower));
                    let is_match = lazy.get().is_match(&hay);
                    // And the test kept once the regex is compiled.
                    let may_compiled = lazy.may_match(&hay, Some(&lower));
                    if is_match {
                        matched += 1;
                        assert!(
                            may && may_compiled,
                            "{pattern:?} (ignore case {ignore_case}) matches {hay:?}"
                        );
                    } else {
                        ruled_out += usize::from(!may);
                        ruled_out_compiled += usize::from(!may_compiled);
                    }
                }
            }
        }
        assert!(matched > 150, "only {matched} texts matched");
        assert!(ruled_out > 3000, "only {ruled_out} texts ruled out");
        // Fewer once compiled: patterns that open with a literal, or need
        // one of many literals, are left to the regex's own prefilter.
        assert!(
            ruled_out_compiled > 5_000,
            "only {ruled_out_compiled} texts ruled out once compiled"
        );
    }

    /// A paragraph the literal screen skips has no match: for each
    /// paragraph of many documents, the screened search finds what the
    /// search alone finds.
    #[test]
    fn the_literal_screen_never_skips_a_match() {
        use crate::document::{Document, Options};
        let lists: [&[&str]; 3] = [
            &[
                r"(?:a|one|two)[- ](?:third|quarter|fifth)s?\s+of",
                r"(?:two|three)-(?:thirds|quarters)",
                r"(?:twice|three times|\d+ times)\s+(?:as|more|the)",
                r"half\s+of\s+(?:all|the)",
            ],
            &[r"\bq(?:x|yz)\b", r"x+yz|q(?:rs)+"],
            &[r#"[.!?]["”]? {2,}\S"#],
        ];
        let pieces = [
            "a",
            "One",
            "two",
            "-",
            " ",
            "  ",
            "\n",
            "\n\n",
            "third",
            "Quarters",
            "fifth",
            "of",
            "three",
            "thirds",
            "twice",
            "3",
            "12",
            "times",
            "TIMES",
            "as",
            "more",
            "the",
            "half",
            "all",
            "x",
            "yz",
            "q",
            "rs",
            ".",
            "!",
            "\"",
            "é",
            " a third of ",
            " two-thirds ",
            " twice as ",
            " 12 times more ",
            " Half of the ",
            " qx ",
            " xxyz ",
            ".  A",
        ];
        let mut texts = crate::testing::texts(&pieces, 0x51ee_d5c2_33a1_0f07, 40);
        let (mut searched, mut skipped) = (0, 0);
        for list in lists {
            let patterns: Vec<Spanned<String>> = list
                .iter()
                .map(|p| Spanned::new(0..0, p.to_string()))
                .collect();
            let Ok(m) = PhraseMatcher::bounded_patterns(&patterns) else {
                panic!("{list:?} compiles")
            };
            for text in texts.by_ref().take(400) {
                let doc = Document::new(&text, "t.txt", &Options::default());
                let screen = m.literal_screen(&doc);
                assert!(screen.is_some(), "{list:?}");
                for b in &doc.blocks {
                    let all = m.find_all(&doc, &PhraseHits::default(), b.span.clone());
                    let screened = m.find_all_screened(
                        &doc,
                        &PhraseHits::default(),
                        b.span.clone(),
                        screen.as_ref(),
                    );
                    assert_eq!(screened, all, "{list:?} in {:?}", &text[b.span.clone()]);
                    if all.is_empty() {
                        skipped += usize::from(
                            screen.as_ref().is_some_and(|s| !s.any_overlapping(&b.span)),
                        );
                    } else {
                        searched += 1;
                    }
                }
            }
        }
        assert!(searched > 200, "only {searched} paragraphs matched");
        assert!(skipped > 200, "only {skipped} paragraphs skipped");
    }

    /// For one search of a whole text, the fewest literals that hold.
    #[test]
    fn the_fewest_required_literals() {
        let hir = regex_syntax::ParserBuilder::new()
            .build()
            .parse(
                r"(?:a|one|two)[- ](?:third|quarter|fifth)s?\s+of|(?:two|three)-(?:thirds|quarters)|(?:twice|\d+ times)\s+as|half\s+of",
            )
            .unwrap();
        let mut fewest = required_literals(&hir, true, Sharpness::Fewest).unwrap();
        fewest.sort();
        assert_eq!(
            fewest,
            [" times", "fifth", "half", "quarter", "third", "twice"]
        );
        let longest = required_literals(&hir, true, Sharpness::Longest).unwrap();
        assert!(longest.len() > 10, "{longest:?}");
    }

    #[test]
    fn whole_words_only_like_word_boundaries() {
        let p = m(&["TK", "said"]);
        let hay = "TKO said, TK; unsaid. TK";
        let found: Vec<&str> = p.find_in_str(hay).into_iter().map(|r| &hay[r]).collect();
        assert_eq!(found, vec!["said", "TK", "TK"]);
        assert!(m(&["café"]).find_in_str("cafés").is_empty());
        assert!(
            !m(&["according to"])
                .find_in_str("it rose, According\nto the port")
                .is_empty()
        );
    }

    #[test]
    fn a_phrase_inside_a_rejected_match_is_still_found() {
        let p = m(&["a", "an end"]);
        let hay = "xa an end";
        let found: Vec<&str> = p.find_in_str(hay).into_iter().map(|r| &hay[r]).collect();
        assert_eq!(found, vec!["an end"]);
    }

    /// A list of phrases as a rule file would give it.
    fn listed(list: &[&str], ignore_case: bool) -> PhraseMatcher {
        let tokens: Vec<Spanned<String>> = list
            .iter()
            .map(|s| Spanned::new(0..0, s.to_string()))
            .collect();
        let Ok(m) = PhraseMatcher::new(&tokens, &[], ignore_case) else {
            panic!("bad list")
        };
        m
    }

    /// The same list matched the old way: one regex alternation.
    fn regex_only(list: &[&str], ignore_case: bool) -> PhraseMatcher {
        let mut m = listed(list, ignore_case);
        let mut sources: Vec<String> = list.iter().map(|p| phrase_source(p)).collect();
        sources.sort_by_key(|s| std::cmp::Reverse(s.len()));
        m.lowered = ignore_case && list.iter().all(|p| p.is_ascii());
        if m.lowered {
            sources = sources.iter().map(|s| s.to_ascii_lowercase()).collect();
        }
        m.phrases = Some(LazyRegex::new(sources.join("|"), ignore_case && !m.lowered).unwrap());
        m.table = None;
        m
    }

    /// A tiny deterministic generator (no dependency for one test).
    struct Lcg(u64);
    impl Lcg {
        fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            from[(self.0 >> 33) as usize % from.len()]
        }
    }

    #[test]
    fn the_word_table_matches_what_the_regex_matched() {
        // No phrase is a prefix of another's first word, where the regex
        // alternation had a known flaw (see the test above).
        let phrases = [
            "could of",
            "e-mail",
            "a.m.",
            "per cent",
            "Kiev",
            "café society",
            "24/7",
            "in order to",
            "ÉCOLE",
            "isn't",
            "co-operate",
            "U.S.",
            "pneumonoultramicroscopicsilicovolcanoconiosis cases",
            // First words of eight and nine bytes: the longest looked up
            // packed, and the shortest looked up by hash.
            "ballpark figure",
            "quarterly report",
        ];
        let pieces = [
            " ",
            "  ",
            "\n",
            "\n\n",
            "\t",
            ".",
            ",",
            "-",
            "'",
            "could",
            "Could",
            "COULD",
            "of",
            "Of",
            "e",
            "E",
            "mail",
            "a",
            "A",
            "m",
            "per",
            "Per",
            "cent",
            "Kiev",
            "kiev",
            "KIEV",
            "café",
            "CAFÉ",
            "Café",
            "society",
            "24",
            "/",
            "7",
            "in",
            "order",
            "to",
            "école",
            "École",
            "isn",
            "t",
            "co",
            "operate",
            "U",
            "S",
            "x",
            "\u{2019}",
            "\u{1a}",
            "é",
            "could of",
            "Could  Of",
            "per\ncent",
            "a.m.",
            "A.M.",
            "U.S.",
            "e-mail",
            "in order to",
            "24/7",
            "ÉCOLE",
            "isn't",
            "co-operate",
            "Pneumonoultramicroscopicsilicovolcanoconiosis",
            "pneumonoultramicroscopicsilicovolcanoconiosis cases",
            "cases",
            "ballpark",
            "Ballpark",
            "BALLPARKS",
            "ballpar",
            "figure",
            "ballpark figure",
            "quarterly",
            "Quarterly",
            "quarterl",
            "report",
            "QUARTERLY REPORT",
        ];
        let mut rng = Lcg(7);
        for ignore_case in [true, false] {
            let table = listed(&phrases, ignore_case);
            assert!(table.table.is_some());
            let regex = regex_only(&phrases, ignore_case);
            let mut found = 0;
            for _ in 0..3000 {
                let hay: String = (0..32).map(|_| rng.pick(&pieces)).collect();
                let got = table.find_in_str(&hay);
                assert_eq!(
                    got,
                    regex.find_in_str(&hay),
                    "ignore_case={ignore_case} in {hay:?}"
                );
                found += got.len();
            }
            assert!(
                found > 300,
                "only {found} matches: the test text is too tame"
            );
        }
    }

    #[test]
    fn merged_lists_give_each_list_its_own_matches() {
        let a = m(&["the end", "end"]);
        let b = m(&["end of", "of days"]);
        let text = "At the end of days, the End.";
        let doc = Document::new(text, "t.txt", &Default::default());
        let index = PhraseIndex::new([&a, &b]);
        let hits = index.scan(&doc, 1);
        assert!(hits.get(a.id).is_some());
        let whole = 0..text.len();
        for list in [&a, &b] {
            let merged = list.find_all(&doc, &hits, whole.clone());
            let alone = list.find_in_str(text);
            assert_eq!(merged, alone);
        }
        let shown = |v: Vec<Range<usize>>| v.into_iter().map(|r| &text[r]).collect::<Vec<_>>();
        assert_eq!(
            shown(a.find_all(&doc, &hits, whole.clone())),
            ["the end", "the End"]
        );
        assert_eq!(shown(b.find_all(&doc, &hits, whole)), ["end of"]);
        // A range inside the text: only the matches inside it.
        assert_eq!(shown(a.find_all(&doc, &hits, 20..text.len())), ["the End"]);
        assert!(a.find_all(&doc, &hits, 21..text.len()).is_empty());
    }

    /// Lists matched with and without case, merged in one table and
    /// sharing first words (a table slot may serve both), find what each
    /// finds alone.
    #[test]
    fn merged_lists_with_and_without_case_find_what_each_finds_alone() {
        let any_case = listed(&["kiev", "in order to", "quarterly report", "a lot"], true);
        let with_case = listed(&["Kiev", "In", "QUARTERLY", "lot", "Lotte"], false);
        let pieces = [
            " ",
            "\n",
            ".",
            "Kiev",
            "kiev",
            "KIEV",
            "in",
            "In",
            "order",
            "to",
            "quarterly",
            "Quarterly",
            "QUARTERLY",
            "report",
            "a",
            "A",
            "lot",
            "Lot",
            "Lotte",
            "é",
        ];
        let mut rng = Lcg(11);
        let mut found = 0;
        for _ in 0..2000 {
            let text: String = (0..24).map(|_| rng.pick(&pieces)).collect();
            let doc = Document::new(&text, "t.txt", &Default::default());
            let index = PhraseIndex::new([&any_case, &with_case]);
            let hits = index.scan(&doc, 1);
            for list in [&any_case, &with_case] {
                let merged = list.find_all(&doc, &hits, 0..text.len());
                assert_eq!(merged, list.find_in_str(&text), "in {text:?}");
                found += merged.len();
            }
        }
        assert!(found > 300, "only {found} matches");
    }

    /// A lower-cased list finds, in a long text searched as it is, what it
    /// finds in the text lower-cased: ASCII letters in either case, other
    /// letters only as written (not the Kelvin sign for `k`, nor the long
    /// s for `s`), and any whitespace between words.
    #[test]
    fn any_case_search_matches_the_lower_cased_search() {
        let lists: [&[&str]; 3] = [
            &["percent", "per cent", "%"],
            &["okay", "k.o.", "O.K.", "s-bahn", "%"],
            &["Per Cent", "a.m.", "x", "(x)"],
        ];
        let pieces = [
            "percent",
            "PerCent",
            "per",
            "PER",
            "cent",
            "CeNt",
            "%",
            " ",
            "\u{a0}",
            "\n",
            "okay",
            "OKAY",
            "o\u{212a}ay",
            "k.o.",
            "K.O.",
            "o.k.",
            "s-bahn",
            "\u{17f}-bahn",
            "S-BAHN",
            "a.m.",
            "A.M.",
            "x",
            "X",
            "(",
            ")",
            "é",
            "İ",
            "-",
            "1",
        ];
        for list in lists {
            let m = listed(list, true);
            assert!(m.lowered && m.phrases_any_case.is_some(), "{list:?}");
            for t in crate::testing::texts(&pieces, 0x00a5_c11e, 12).take(20_000) {
                let lower = t.to_ascii_lowercase();
                let mut want = m.find_in(&lower, &t, Some(&lower));
                want.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
                let mut got = m.find_in_any_case(&t);
                got.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
                assert_eq!(got, want, "{list:?} in {t:?}");
            }
        }
    }

    /// A large document scanned in runs on several threads gives what one
    /// scan from the start gives, phrases across paragraph breaks included
    /// (they can hide a match at the start of the next run).
    #[test]
    fn a_large_document_scans_the_same_on_several_threads() {
        let a = m(&["per cent", "cent", "new york city", "york"]);
        let b = m(&["city hall", "hall"]);
        let index = PhraseIndex::new([&a, &b]);
        let pieces = [
            "per", "cent", "Cent", "new", "York", "city", "hall", "said", " ", " ", "\n", "\n\n",
            "\r\n\r\n", ". ", "é",
        ];
        for seed in [1_u64, 0x5eed, 0xfeed_f00d] {
            let mut text = String::new();
            let mut drafts = crate::testing::texts(&pieces, seed, 30);
            while text.len() < 700 * 1024 {
                text.push_str(&drafts.next().unwrap_or_default());
                // Every paragraph break inside a phrase: at each run's start
                // "cent" is the end of a match of the run before.
                text.push_str(" per\n\ncent ");
            }
            let doc = Document::new(&text, "t.txt", &Default::default());
            assert!(doc.runs_for_threads(3).len() > 4);
            let one = index.scan(&doc, 1);
            let many = index.scan(&doc, 3);
            assert!(one.hits.values().map(Vec::len).sum::<usize>() > 1000);
            assert_eq!(one.hits, many.hits, "seed {seed}");
        }
    }
}
