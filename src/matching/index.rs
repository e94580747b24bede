//! `PhraseIndex`: the phrase tables of a whole rule set merged, so that a
//! document is walked once for all of them, and `PhraseHits`, what that walk
//! found, by list.

use super::*;

/// The word lists of a whole rule set in one table: a document is walked
/// once for all of them ([`PhraseIndex::scan`]), and each list then reads
/// its matches from [`PhraseHits`].
#[derive(Debug, Default)]
pub struct PhraseIndex {
    pub(super) table: PhraseTable,
    pub(super) covered: Arc<FxHashSet<u32>>,
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
    pub(super) covered: Option<Arc<FxHashSet<u32>>>,
    /// (In 8-byte spans: a large file has hundreds of thousands.)
    pub(super) hits: FxHashMap<u32, Vec<Span>>,
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
    use crate::matching::test_support::*;

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
