//! Regular expressions checked when a rule loads and compiled on first use,
//! and what can be read off a pattern without running it: the literals every
//! match holds or opens with, and the bytes a match may start with. These
//! let a text with no possible match be passed over without the regex.

use super::*;

/// Literals one of which every match of a pattern contains, and for more
/// than a few of them an automaton that looks for all in one pass (a
/// pattern such as small-numbers' needs dozens, and most texts contain none,
/// so each text would otherwise be searched once per literal).
#[derive(Debug)]
pub(super) struct Required {
    pub(super) literals: Vec<String>,
    pub(super) searcher: Option<aho_corasick::AhoCorasick>,
}

/// The automaton for literal searches: a contiguous NFA, which builds in a
/// fraction of the time of the DFA the builder would pick for a few
/// literals, and searches as fast where the SIMD prefilter does the work.
pub(super) const AUTOMATON: aho_corasick::AhoCorasickKind =
    aho_corasick::AhoCorasickKind::ContiguousNFA;

/// An automaton that finds literals, leftmost first. Leftmost matching
/// lets it use its SIMD search, where standard matching (the crate's
/// default) steps through every byte. Whether any literal occurs, and where
/// the ones it reports are, is all its callers ask.
pub(super) fn literal_automaton<L: AsRef<[u8]>>(
    literals: &[L],
) -> Option<aho_corasick::AhoCorasick> {
    aho_corasick::AhoCorasick::builder()
        .match_kind(aho_corasick::MatchKind::LeftmostFirst)
        .kind(Some(AUTOMATON))
        .build(literals)
        .ok()
}

impl Required {
    pub(super) fn new(literals: Vec<String>) -> Required {
        let searcher = if literals.len() > 2 {
            literal_automaton(&literals)
        } else {
            None
        };
        Required { literals, searcher }
    }

    pub(super) fn found_in(&self, text: &str) -> bool {
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
/// Unicode tables when that is possible (much faster to build);
/// otherwise, or if that fails, with them.
#[derive(Debug)]
pub struct LazyRegex {
    pub(super) source: String,
    pub(super) case_insensitive: bool,
    /// Literals one of which every match contains (lower-cased when the
    /// pattern ignores case), when the pattern has a short finite set.
    pub(super) required: std::sync::OnceLock<Option<Required>>,
    /// What every match opens with, read off the source.
    pub(super) opening: std::sync::OnceLock<Option<Opening>>,
    /// An automaton finding every occurrence of a set of required
    /// literals, the fewest that hold (see `literal_hits`).
    pub(super) anywhere: std::sync::OnceLock<Option<aho_corasick::AhoCorasick>>,
    /// Build the regex without its literal prefilter (see
    /// `without_prefilter`).
    pub(super) no_prefilter: bool,
    /// Compile lean (see `BuildOptions::lean`).
    pub(super) lean: bool,
    /// Which two bytes a match may open with, for a pattern that has no
    /// literal to screen it (see `StartScreen`).
    pub(super) start: std::sync::OnceLock<Option<StartScreen>>,
    /// For an alternation made by `alternation`: its alternatives, each
    /// as a pattern of its own (see `openings`).
    pub(super) parts: Vec<LazyRegex>,
    /// For a pattern built with Unicode tables: where its matches may open
    /// (see `openings`).
    pub(super) openings: std::sync::OnceLock<Option<Openings>>,
    /// The pattern parsed without its case flag, on first use (see `hir`).
    pub(super) parsed: std::sync::OnceLock<Option<regex_syntax::hir::Hir>>,
    pub(super) cell: std::sync::OnceLock<Compiled>,
}

/// Does the text hold a non-ASCII letter that Unicode case folding makes
/// an ASCII one: the long s (U+017F) or the Kelvin sign (U+212A)?
fn folds_to_ascii(hay: &str) -> bool {
    let b = hay.as_bytes();
    memchr::memmem::find(b, "\u{17f}".as_bytes()).is_some()
        || memchr::memmem::find(b, "\u{212a}".as_bytes()).is_some()
}

/// Where the matches of a pattern (or of each alternative of an
/// alternation) may open (see `LazyRegex::openings`).
#[derive(Debug)]
pub(super) struct Openings {
    /// Finds every place where some alternative's literal opens.
    any: aho_corasick::AhoCorasick,
    /// Each alternative's literals (lower-cased if the pattern ignores case).
    each: Vec<Vec<String>>,
}

/// A pattern as compiled (see `LazyRegex::for_text`).
#[derive(Debug)]
pub(super) enum Compiled {
    /// Without Unicode tables: one regex for every text.
    Plain(Regex),
    /// With them (a pattern with `\S` or `\p{L}`, or non-ASCII): built
    /// narrow for a text of narrow characters and whole for any other (see
    /// `crate::narrow`), each on first use. A Unicode class compiled whole
    /// is costly to build, and its lazy DFA costly to fill.
    Unicode {
        narrow: std::sync::OnceLock<Regex>,
        whole: std::sync::OnceLock<Regex>,
    },
}

/// How the patterns of one rule set are built. A rule set passes them to
/// the patterns it loads through `building`, as the kinds' parsers make
/// their patterns without knowing whose they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BuildOptions {
    /// Do not parse each pattern as it is loaded to report a bad one (or a
    /// replacement naming a group it lacks). For
    /// the embedded pack only, whose every pattern the test suite parses
    /// (`builtin_rules_are_valid`): it is loaded at every start, and
    /// checking its patterns again each time is most of the start-up cost.
    pub unchecked: bool,
    /// Compile without the full and one-pass DFAs, and without the literal
    /// prefilter of a long pattern, which make a regex much slower to build
    /// and pay off only over much text. For a run over a few short stories
    /// (a pre-commit hook) building is most of a regex's cost. The lazy DFA
    /// stays: it costs little to build, and without it a pattern searched
    /// over whole paragraphs (one opening with a common word, or with
    /// Unicode classes) runs the backtracker, which costs more than the
    /// build saves. The matches are the same either way.
    pub lean: bool,
}

thread_local! {
    static BUILDING: std::cell::Cell<BuildOptions> = const {
        std::cell::Cell::new(BuildOptions { unchecked: false, lean: false })
    };
}

/// Whether rules loaded here check their patterns (and what replacements
/// name in them) as they load: false inside an `unchecked` load.
pub fn checks_patterns() -> bool {
    !BUILDING.get().unchecked
}

/// Run `f` (loading rules) with every pattern it makes built as `options`
/// say; patterns made outside it are checked and compiled in full.
pub fn building<T>(options: BuildOptions, f: impl FnOnce() -> T) -> T {
    let outer = BUILDING.replace(options);
    let out = f();
    BUILDING.set(outer);
    out
}

/// Texts longer than this are not prefiltered (see `LazyRegex::may_match`).
pub const PREFILTER_MAX: usize = PREFILTER_WORK / 8;

/// Above this much work (haystack bytes x literals) the literal test is not
/// worth it: compiling the pattern costs less than searching for them.
pub(super) const PREFILTER_WORK: usize = 4 << 20;

/// A compiled pattern is screened by its required literals only when there
/// are this many or fewer (each a `memmem` search). A longer set needs an
/// Aho-Corasick search, which costs about what compiling and running the
/// pattern does, so it saves nothing.
pub(super) const SCREEN_MAX_LITERALS: usize = 2;

impl LazyRegex {
    pub fn new(source: String, case_insensitive: bool) -> Result<LazyRegex, String> {
        let options = BUILDING.get();
        if !options.unchecked {
            Self::validate(&source, case_insensitive)?;
        }
        Ok(LazyRegex {
            source,
            case_insensitive,
            required: std::sync::OnceLock::new(),
            opening: std::sync::OnceLock::new(),
            anywhere: std::sync::OnceLock::new(),
            no_prefilter: false,
            lean: options.lean,
            start: std::sync::OnceLock::new(),
            parts: Vec::new(),
            openings: std::sync::OnceLock::new(),
            parsed: std::sync::OnceLock::new(),
            cell: std::sync::OnceLock::new(),
        })
    }

    /// The alternation of `parts` (each already made, and so checked),
    /// matching what `(?:p1)|(?:p2)|...` of their sources matches.
    pub fn alternation(parts: Vec<LazyRegex>, case_insensitive: bool) -> Result<LazyRegex, String> {
        let source = parts
            .iter()
            .map(|p| format!("(?:{})", p.source))
            .collect::<Vec<_>>()
            .join("|");
        let mut re = LazyRegex::new(source, case_insensitive)?;
        if parts.len() > 1 && parts.iter().all(|p| p.case_insensitive == case_insensitive) {
            re.parts = parts;
        }
        Ok(re)
    }

    /// Compile without the literal prefilter, so the automaton reads every
    /// byte. For a pattern whose literals are spelled in any case
    /// (`(?i-u:percent)`): the prefilter then searches for every case
    /// variant of every opening at once, and most positions that open with
    /// a common letter in either case are candidates, each checked against
    /// dozens of variants, so the search is slower than reading every byte.
    pub fn without_prefilter(mut self) -> LazyRegex {
        self.no_prefilter = true;
        self
    }

    /// Parse the pattern, for an error with the reason if it is invalid.
    ///
    /// A pattern that can match the empty string is an error: its empty
    /// matches are findings of nothing, and as a swap pattern it inserts
    /// its replacement between letters.
    ///
    /// A pattern too large to compile is an error too (it would otherwise
    /// match nothing, and its rule would be silently off): its automaton is
    /// built as `compile` builds it, to the same size limit.
    pub(super) fn validate(source: &str, case_insensitive: bool) -> Result<(), String> {
        let hir = parse_with_case(source, case_insensitive)?;
        if hir.properties().minimum_len() == Some(0) {
            return Err(
                "the regular expression can match the empty string, so it would report (or \
                 replace) nothing at every position; make at least one character required \
                 (`+` in place of `*`, no empty alternative)"
                    .to_string(),
            );
        }
        let build = |unicode: bool| {
            regex_automata::nfa::thompson::Compiler::new()
                .configure(
                    regex_automata::nfa::thompson::Config::new().nfa_size_limit(Some(NFA_LIMIT)),
                )
                .syntax(
                    syntax::Config::new()
                        .unicode(unicode)
                        .case_insensitive(case_insensitive),
                )
                .build(source)
                .is_ok()
        };
        let built = if ascii_only(source) {
            build(false) || build(true)
        } else {
            build(true)
        };
        if built {
            Ok(())
        } else {
            Err(
                "the regular expression is too large to compile (a repetition such as \\w{1000} \
                 makes it so); write it with smaller counts"
                    .to_string(),
            )
        }
    }

    /// What every match opens with, read off the source on first use.
    pub(super) fn opening(&self) -> Option<&Opening> {
        self.opening
            .get_or_init(|| opening_literal(&self.source, self.case_insensitive))
            .as_ref()
    }

    /// The required literals, worked out on first use (most patterns of a
    /// pack are never reached in a run on one short story).
    pub(super) fn required(&self) -> Option<&Required> {
        self.required
            .get_or_init(|| {
                // Literals of the pattern as written (case variants would
                // multiply them); for a pattern that ignores case the text
                // is searched lower-cased.
                required_literals(self.hir()?, self.case_insensitive, Sharpness::Longest)
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
    /// for it much faster. So a compiled pattern that opens with a
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
    /// `required`), once: its literals are read off it for more than one
    /// screen.
    pub(super) fn hir(&self) -> Option<&regex_syntax::hir::Hir> {
        self.parsed
            .get_or_init(|| {
                regex_syntax::ParserBuilder::new()
                    .build()
                    .parse(&self.source)
                    .ok()
            })
            .as_ref()
    }

    /// Occurrences in `text` of a set of literals one of which every match
    /// contains, or `None` if there is no such set. They do not overlap:
    /// one that overlaps an earlier one is not reported (finding those too
    /// needs the automaton's standard matching, which steps through every
    /// byte). For a
    /// pattern that ignores case the literals are lower-case, and `text`
    /// must be lower-cased (ASCII).
    pub(super) fn literal_hits(&self, text: &str) -> Option<Vec<Range<usize>>> {
        let searcher = self
            .anywhere
            .get_or_init(|| {
                let hir = self.hir()?;
                literal_automaton(&required_literals(
                    hir,
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
    pub(super) fn start_screen(&self) -> Option<&StartScreen> {
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
        if let Some(openings) = self.openings(hay) {
            self.matches_at_openings(openings, hay, emit);
            return;
        }
        let re = self.for_text(hay);
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

    /// For a pattern built with Unicode tables, whose unanchored search
    /// fills its lazy DFA with many states at a high cost each (`in
    /// (?:\S+ ){0,2}trade` follows every "in " two words on, in every
    /// alternative at once): the literals that every match opens with,
    /// where the pattern is then tried anchored, alternative by alternative
    /// for an `alternation`. The literals are read off the pattern as
    /// written and found with ASCII letters in either case when it ignores
    /// case, so a text with a non-ASCII letter that folds to an ASCII one
    /// (the long s, the Kelvin sign) is searched the usual way. `None` if
    /// the pattern has no such set of literals.
    pub(super) fn openings(&self, hay: &str) -> Option<&Openings> {
        if !matches!(self.compiled(), Compiled::Unicode { .. })
            || (self.case_insensitive && folds_to_ascii(hay))
        {
            return None;
        }
        self.openings
            .get_or_init(|| {
                let branches: Vec<&LazyRegex> = if self.parts.is_empty() {
                    vec![self]
                } else {
                    self.parts.iter().collect()
                };
                let mut each = Vec::with_capacity(branches.len());
                for b in branches {
                    // Read off the source if it can be (no parse).
                    let lits = match b.opening() {
                        Some(o) => o.tails.iter().map(|t| format!("{}{t}", o.head)).collect(),
                        None => edge_literals(b.hir()?, b.case_insensitive, ExtractKind::Prefix)?.0,
                    };
                    each.push(shortest_prefixes(lits));
                }
                let any = aho_corasick::AhoCorasick::builder()
                    .ascii_case_insensitive(self.case_insensitive)
                    .match_kind(aho_corasick::MatchKind::LeftmostFirst)
                    .build(shortest_prefixes(each.concat()))
                    .ok()?;
                Some(Openings { any, each })
            })
            .as_ref()
    }

    /// `matches` through the pattern's openings: every match starts where
    /// an opening literal does, and the first match at or after a place is
    /// the anchored match at the first opening that has one, as `find_iter`
    /// finds it. For an alternation, the anchored match at a place is that
    /// of the first alternative that matches there (leftmost-first), and an
    /// alternative can match only where one of its own literals opens.
    fn matches_at_openings(
        &self,
        openings: &Openings,
        hay: &str,
        mut emit: impl FnMut(Range<usize>),
    ) {
        let narrow = crate::narrow::is_narrow(hay);
        let opens_at = |p: usize, lit: &str| {
            hay.as_bytes().get(p..p + lit.len()).is_some_and(|b| {
                if self.case_insensitive {
                    b.eq_ignore_ascii_case(lit.as_bytes())
                } else {
                    b == lit.as_bytes()
                }
            })
        };
        let mut at = 0;
        while let Some(o) = openings
            .any
            .find(aho_corasick::Input::new(hay).span(at..hay.len()))
        {
            let p = o.start();
            let input = regex_automata::Input::new(hay)
                .range(p..)
                .anchored(regex_automata::Anchored::Yes);
            let found = if self.parts.is_empty() {
                self.for_narrow(narrow).search(&input)
            } else {
                self.parts
                    .iter()
                    .zip(&openings.each)
                    .filter(|(_, lits)| lits.iter().any(|l| opens_at(p, l)))
                    .find_map(|(part, _)| part.for_narrow(narrow).search(&input))
            };
            match found {
                // Not empty: it holds its opening literal.
                Some(m) => {
                    emit(m.range());
                    at = m.end();
                }
                None => at = p + 1,
            }
        }
    }

    /// The regex as written, for any text.
    pub fn get(&self) -> &Regex {
        match self.compiled() {
            Compiled::Plain(re) => re,
            Compiled::Unicode { whole, .. } => whole.get_or_init(|| {
                compile_unicode(
                    &self.source,
                    self.case_insensitive,
                    self.lean,
                    !self.no_prefilter,
                    false,
                )
            }),
        }
    }

    /// A regex that finds in `hay` exactly what the pattern as written
    /// finds: for a pattern that needs Unicode tables and a text of narrow
    /// characters only (most copy), the one built narrow.
    pub fn for_text(&self, hay: &str) -> &Regex {
        match self.compiled() {
            Compiled::Plain(re) => re,
            Compiled::Unicode { .. } => self.for_narrow(crate::narrow::is_narrow(hay)),
        }
    }

    /// `for_text` for a text that is `narrow` or not.
    fn for_narrow(&self, narrow: bool) -> &Regex {
        match self.compiled() {
            Compiled::Plain(re) => re,
            Compiled::Unicode { narrow: cell, .. } if narrow => cell.get_or_init(|| {
                compile_unicode(
                    &self.source,
                    self.case_insensitive,
                    self.lean,
                    !self.no_prefilter,
                    true,
                )
            }),
            Compiled::Unicode { .. } => self.get(),
        }
    }

    fn compiled(&self) -> &Compiled {
        self.cell.get_or_init(|| {
            if ascii_only(&self.source)
                && let Some(re) = build(
                    &self.source,
                    self.case_insensitive,
                    self.lean,
                    !self.no_prefilter,
                    false,
                )
            {
                return Compiled::Plain(re);
            }
            Compiled::Unicode {
                narrow: std::sync::OnceLock::new(),
                whole: std::sync::OnceLock::new(),
            }
        })
    }
}

/// Parse a pattern as it is compiled, case flag included (to check it, and
/// to read off what its matches may hold), or say why it is invalid.
pub(super) fn parse_with_case(
    source: &str,
    case_insensitive: bool,
) -> Result<regex_syntax::hir::Hir, String> {
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

/// The largest automaton a pattern may compile to.
const NFA_LIMIT: usize = 64 << 20;

/// Can the pattern be compiled without Unicode tables (much faster to
/// build) and mean the same? Not if it is written with non-ASCII
/// characters or Unicode classes, or if without Unicode tables it could
/// match a lone byte of a multi-byte character, which the regex builder
/// refuses (see `matches_any_byte`).
fn ascii_only(source: &str) -> bool {
    source.is_ascii()
        && !source.contains("\\p")
        && !source.contains("\\P")
        && !matches_any_byte(source)
}

/// Does the ASCII pattern `source`, read without Unicode tables, hold a
/// class that takes bytes outside ASCII: a negated class (`\S`, `\W`, `\D`,
/// `[^...]`, `[[:^alpha:]]`) or a `.` outside brackets? Such a pattern is
/// built with Unicode tables only, so trying it without them first is
/// wasted work. False whenever the reading is unsure: a pattern that turns
/// Unicode on inside (`(?u:...)`) may still build without the tables.
fn matches_any_byte(source: &str) -> bool {
    if source.contains("(?")
        && source.split("(?").skip(1).any(|f| {
            f.split([':', ')'])
                .next()
                .is_some_and(|flags| flags.contains('u'))
        })
    {
        return false;
    }
    let bytes = source.as_bytes();
    // Depth of brackets, and whether the last byte opened one (where `^`
    // negates and `]` is a literal).
    let (mut depth, mut opened) = (0usize, false);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let just_opened = std::mem::take(&mut opened);
        match b {
            b'\\' => {
                if matches!(bytes.get(i + 1), Some(b'S' | b'W' | b'D')) {
                    return true;
                }
                i += 1;
            }
            b'[' => {
                if depth > 0 && bytes.get(i + 1) == Some(&b':') {
                    // A POSIX class inside brackets: `[:alpha:]`, `[:^alpha:]`.
                    if bytes.get(i + 2) == Some(&b'^') {
                        return true;
                    }
                    match source[i..].find(":]") {
                        Some(end) => i += end + 1,
                        None => return false,
                    }
                } else {
                    depth += 1;
                    opened = true;
                }
            }
            b'^' if just_opened => return true,
            b']' if depth > 0 && !just_opened => depth -= 1,
            b'.' if depth == 0 => return true,
            _ => {}
        }
        i += 1;
    }
    false
}

#[cfg(test)]
/// Compile a pattern (already checked), lean or not (see `BuildOptions`),
/// as written: without Unicode tables if it can be.
pub(super) fn compile(source: &str, case_insensitive: bool, lean: bool, prefilter: bool) -> Regex {
    let plain = if ascii_only(source) {
        build(source, case_insensitive, lean, prefilter, false)
    } else {
        None
    };
    plain.unwrap_or_else(|| compile_unicode(source, case_insensitive, lean, prefilter, false))
}

/// Compile a pattern with Unicode tables, its classes cut down to the
/// narrow characters if `narrow` (for a text of those only).
fn compile_unicode(
    source: &str,
    case_insensitive: bool,
    lean: bool,
    prefilter: bool,
    narrow: bool,
) -> Regex {
    let built = if narrow {
        parse_with_case(source, case_insensitive)
            .ok()
            .and_then(|hir| {
                meta::Builder::new()
                    .configure(meta_config(source, lean, prefilter))
                    .build_from_hir(&crate::narrow::narrowed(hir))
                    .ok()
            })
            .or_else(|| build(source, case_insensitive, lean, prefilter, true))
    } else {
        build(source, case_insensitive, lean, prefilter, true)
    };
    // A pattern that parsed but is too large to compile matches nothing.
    built.unwrap_or_else(|| Regex::new("[^\\s\\S]").expect("valid"))
}

/// How a pattern's regex is configured (see `BuildOptions::lean`).
fn meta_config(source: &str, lean: bool, prefilter: bool) -> meta::Config {
    let config = meta::Config::new()
        .nfa_size_limit(Some(NFA_LIMIT))
        .auto_prefilter(prefilter);
    if lean {
        // A short pattern's prefilter is cheap to build and makes a
        // literal search ("“|\"") fast; a long one's costs the most.
        config
            .auto_prefilter(prefilter && source.len() <= 32)
            .onepass(false)
            .dfa(false)
    } else {
        config
    }
}

/// Build a pattern from its source, with or without Unicode tables.
fn build(
    source: &str,
    case_insensitive: bool,
    lean: bool,
    prefilter: bool,
    unicode: bool,
) -> Option<Regex> {
    meta::Builder::new()
        .configure(meta_config(source, lean, prefilter))
        .syntax(
            syntax::Config::new()
                .unicode(unicode)
                .case_insensitive(case_insensitive),
        )
        .build(source)
        .ok()
}

/// Literals one of which every match of `pattern` starts with, read
/// straight off the source without parsing it (lower-cased with `lower`), if
/// each is at least two characters long: `\b3 (people|men)\b` gives "3
/// people" and "3 men", `\bstated\s` gives "stated". Anything this reading
/// is not sure of ends the literal or gives `None`: a top-level `|`, a class,
/// a group of anything but plain words, an escape other than punctuation, a
/// character with a quantifier after it, or (with `lower`) a non-ASCII
/// letter.
pub(super) fn opening_literal(pattern: &str, lower: bool) -> Option<Opening> {
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
pub(super) struct StartScreen {
    pub(super) first: [bool; 256],
    pub(super) rest: [bool; 256],
}

impl StartScreen {
    pub(super) fn of(hir: &regex_syntax::hir::Hir) -> Option<StartScreen> {
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
    pub(super) fn next(&self, b: &[u8], from: usize) -> Option<usize> {
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
pub(super) fn first_bytes(hir: &regex_syntax::hir::Hir, set: &mut [bool; 256]) -> bool {
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
pub(super) fn any_bytes(hir: &regex_syntax::hir::Hir, set: &mut [bool; 256]) {
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
pub(super) fn mark_class(hir: &regex_syntax::hir::Hir, set: &mut [bool; 256]) {
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
pub(super) struct Opening {
    pub(super) head: String,
    pub(super) tails: Vec<String>,
    pub(super) word_start: bool,
}

impl Opening {
    /// Does `text` have a place where a match could start? One search for
    /// the head (or, with none, for each tail), then a look at what follows
    /// each place it occurs.
    pub(super) fn found_in(&self, text: &str) -> bool {
        let free = |i: usize| {
            !self.word_start
                || !text[..i]
                    .bytes()
                    .next_back()
                    .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')
        };
        // memchr's vectorised search: much faster than
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
pub(super) fn literal_group(s: &str, cased: &dyn Fn(char) -> bool) -> Option<Vec<String>> {
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
pub(super) fn required_literals(
    hir: &regex_syntax::hir::Hir,
    lower: bool,
    prefer: Sharpness,
) -> Option<Vec<String>> {
    use regex_syntax::hir::HirKind;
    // The shortest literal without its spaces, then with them (".  " is
    // rarer than "."), then the fewest literals.
    let sharpness = |lits: &Vec<String>| {
        let shortest = |len: fn(&str) -> usize| {
            let n = lits.iter().map(|l| len(l)).min().unwrap_or(0);
            match prefer {
                Sharpness::Longest => n,
                Sharpness::Fewest => n.min(FEWEST_FROM),
            }
        };
        (
            shortest(telling_len),
            shortest(str::len),
            std::cmp::Reverse(lits.len()),
        )
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

/// How much of `lit` tells texts apart: its bytes other than spaces. A
/// space is in nearly every text, so " in " is as common as "in", and a
/// screen on it rules almost nothing out.
fn telling_len(lit: &str) -> usize {
    lit.bytes().filter(|b| !b.is_ascii_whitespace()).count()
}

/// `lits` without repeats, and without any literal that opens with another
/// (where the longer one occurs, the shorter one occurs at the same place).
pub(super) fn shortest_prefixes(mut lits: Vec<String>) -> Vec<String> {
    lits.sort();
    lits.dedup();
    let mut kept: Vec<String> = Vec::with_capacity(lits.len());
    for s in lits {
        // Sorted: a kept prefix of `s` is the last one kept, if any.
        if !kept.last().is_some_and(|k| s.starts_with(k.as_str())) {
            kept.push(s);
        }
    }
    kept
}

/// `lits` without repeats, and without any literal that contains another
/// (a text with the longer one has the shorter one too).
pub(super) fn minimal(mut lits: Vec<String>) -> Vec<String> {
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
pub(super) fn edge_literals(
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

/// Which set of required literals `required_literals` keeps when several
/// hold.
#[derive(Debug, Clone, Copy)]
pub(super) enum Sharpness {
    /// The set with the longest shortest literal (spaces not counted, see
    /// `telling_len`), then the fewest: for searches of short texts, one
    /// literal at a time.
    Longest,
    /// Of the sets whose literals all have `FEWEST_FROM` bytes or more
    /// other than spaces, the one with the fewest: for one search of a whole document with an
    /// automaton, whose cost grows with the literals ("a third", "one
    /// third", "two-thirds" and the rest of 39 come down to "third" and
    /// six others for unsourced-figure's fractions).
    Fewest,
}

pub(super) const FEWEST_FROM: usize = 4;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matching::test_support::*;

    /// A pattern takes the build options in force where it is made: an
    /// unchecked load defers a bad pattern's error, and a lean pattern
    /// matches what a full one does. Outside `building`, patterns are
    /// checked and compiled in full.
    #[test]
    fn patterns_take_the_options_they_are_built_under() {
        assert!(LazyRegex::new("(unclosed".into(), false).is_err());
        let unchecked = BuildOptions {
            unchecked: true,
            lean: false,
        };
        assert!(building(unchecked, || LazyRegex::new("(unclosed".into(), false)).is_ok());
        assert!(LazyRegex::new("(unclosed".into(), false).is_err());

        let lean = BuildOptions {
            unchecked: false,
            lean: true,
        };
        let source = r"\b(?:rose|fell) \d+(?:\.\d+)?%";
        let full = LazyRegex::new(source.into(), true).unwrap();
        let thin = building(lean, || LazyRegex::new(source.into(), true)).unwrap();
        assert!(!full.lean && thin.lean);
        let text = "Shares ROSE 4.5% and then fell 3% before they rose 12%.";
        let spans = |re: &LazyRegex| {
            re.get()
                .find_iter(text)
                .map(|m| m.range())
                .collect::<Vec<_>>()
        };
        assert_eq!(spans(&full), spans(&thin));
        assert_eq!(spans(&full).len(), 3);
    }

    /// Patterns with a start screen find, tried only where two bytes could
    /// open a match, what the automaton finds over every byte, including
    /// when the places are too many and the search goes on the usual way.
    /// A pattern built with Unicode tables finds, narrow or whole and tried
    /// at its openings alternative by alternative, what its regex as
    /// written finds with `find_iter`.
    #[test]
    fn unicode_patterns_match_as_written() {
        let lists: [&[&str]; 3] = [
            &[
                r"in (?:early |late )?(?:\S+ ){0,2}(?:trade|trading)",
                r"on (?:the )?(?:\S+ ){0,2}(?:exchange|market)",
                r"on wall street",
                r"(?:closed|ended) (?:trading )?(?:up|down)",
            ],
            &[r"\p{Lu}\S+ (?:said|says)", r"se\S{1,3}"],
            &[r"[^a ]{2}k"],
        ];
        let pieces = [
            "in ",
            "In ",
            "on ",
            "ON ",
            "early ",
            "the ",
            "trade",
            "Trading",
            "market",
            "exchange",
            "wall street",
            "closed ",
            "ended ",
            "trading ",
            "up",
            "down",
            " ",
            ". ",
            "ſ",
            "K",
            "é",
            "Ω",
            "Кийв",
            "—",
            "said",
            "Se",
            "k",
            "x",
        ];
        for (i, list) in lists.iter().enumerate() {
            for ci in [true, false] {
                let parts = list
                    .iter()
                    .map(|p| LazyRegex::new(p.to_string(), ci).unwrap())
                    .collect();
                let re = LazyRegex::alternation(parts, ci).unwrap();
                let whole = compile(&re.source, ci, false, true);
                for hay in crate::testing::texts(&pieces, 0x0b5e + i as u64, 16).take(3000) {
                    let mut found = Vec::new();
                    re.matches(&hay, |r| found.push(r));
                    let want: Vec<_> = whole.find_iter(&hay).map(|m| m.range()).collect();
                    assert_eq!(found, want, "{:?} {hay:?}", re.source);
                }
            }
        }
    }

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
        // A short word between spaces is in nearly every text: the whole
        // openings tell more, even for the screen that prefers few literals.
        let hir = regex_syntax::ParserBuilder::new()
            .build()
            .parse(r"(?:one|two|three) in (?:three|four|\d+)")
            .unwrap();
        let mut one_in = required_literals(&hir, true, Sharpness::Fewest).unwrap();
        one_in.sort();
        assert_eq!(one_in, vec!["one in ", "three in ", "two in "]);
        // Of literals equally telling without their spaces, the longer.
        let mut stops = required(r"[.!?] {2,}\S", true).unwrap();
        stops.sort();
        assert_eq!(stops, vec!["!  ", ".  ", "?  "]);
        // Nothing required: no test.
        assert_eq!(required(r"\p{Lu}{3,}", false), None);
        assert_eq!(required(r"a?b?", false), None);
    }

    #[test]
    fn patterns_that_take_any_byte_are_told_apart_before_building() {
        let without_tables = |p: &str| {
            meta::Builder::new()
                .syntax(syntax::Config::new().unicode(false))
                .build(p)
                .is_ok()
        };
        for p in [
            r"\S+",
            r"in (?:\S+ ){0,2}trade",
            r"\W",
            r"\D",
            r"[^a]",
            r"a.b",
            r"(?s).",
            r"[\S]",
            r"[[:^alpha:]]",
            r"[a[^b]]",
        ] {
            assert!(matches_any_byte(p), "{p}");
            assert!(!without_tables(p), "{p}");
        }
        for p in [
            r"\s+",
            r"\w+\d",
            r"\bat\b",
            r"[.]",
            r"\.",
            r"[]a]",
            r"[\]^]",
            r"\\S",
            r"[[:alpha:].]",
            r"a[b-c]+",
            r"(?u:\S)",
            r"(?i)[a^]",
        ] {
            assert!(!matches_any_byte(p), "{p}");
        }
        // Where the scan says no, building without the tables is tried:
        // these build.
        for p in [r"[.]", r"\.", r"[]a]", r"[[:alpha:].]", r"(?u:\S)", r"\\S"] {
            assert!(without_tables(p), "{p}");
        }
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
}
