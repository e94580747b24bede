use super::*;

fn doc(text: &str) -> Document<'_> {
    Document::new(text, "story.txt", &Options::default())
}

fn md(text: &str) -> Document<'_> {
    Document::new(text, "story.md", &Options::default())
}

fn kinds(d: &Document) -> Vec<(BlockKind, String)> {
    d.blocks
        .iter()
        .map(|b| (b.kind, d.slice(&b.span).to_string()))
        .collect()
}

#[test]
fn plain_headline_deck_byline_and_body() {
    let d = doc(
        "Council Backs Pier Plan\n\nVote follows months of debate over costs\n\nBy Jane Reporter\n\nThe council voted on Monday to rebuild the piers.\n",
    );
    assert_eq!(d.headline.as_ref().unwrap().text, "Council Backs Pier Plan");
    assert_eq!(
        d.deck.as_ref().unwrap().text,
        "Vote follows months of debate over costs"
    );
    let k: Vec<BlockKind> = d.blocks.iter().map(|b| b.kind).collect();
    assert_eq!(
        k,
        vec![
            BlockKind::Headline,
            BlockKind::Deck,
            BlockKind::Byline,
            BlockKind::Paragraph
        ]
    );
}

#[test]
fn headline_after_a_pasted_lede() {
    let d = doc(
        "This opening paragraph was pasted above the headline by the system and runs on well past any wrap width anyone would use.\n\nHarbour Board Delays Ferry Decision\n\nThe board will meet again next month.\n",
    );
    assert_eq!(
        d.headline.as_ref().unwrap().text,
        "Harbour Board Delays Ferry Decision"
    );
    assert_eq!(d.blocks[0].kind, BlockKind::Paragraph);
}

#[test]
fn dateline_is_split_from_the_first_paragraph() {
    let d = doc("Storm Hits Coast\n\nLONDON (Reuters) - Gales closed ports on Monday.\n");
    let k = kinds(&d);
    assert_eq!(
        k[1],
        (BlockKind::Dateline, "LONDON (Reuters) -".to_string())
    );
    assert_eq!(
        k[2],
        (
            BlockKind::Paragraph,
            "Gales closed ports on Monday.".to_string()
        )
    );
}

#[test]
fn dateline_with_a_date() {
    let d =
        doc("Fed Holds Rates\n\nNEW YORK, March 3 (Reuters) - The Fed held rates on Wednesday.\n");
    let k = kinds(&d);
    assert_eq!(
        k[1],
        (
            BlockKind::Dateline,
            "NEW YORK, March 3 (Reuters) -".to_string()
        )
    );
}

#[test]
fn crossheads_captions_and_separators() {
    let d = doc(
        "Pier Plan\n\nThe first paragraph of the story ends here.\n\nWhat Comes Next\n\nPhoto: The north pier in March\n\n***\n\nThe last paragraph ends here too.\n",
    );
    let k: Vec<BlockKind> = d.blocks.iter().map(|b| b.kind).collect();
    assert_eq!(
        k,
        vec![
            BlockKind::Headline,
            BlockKind::Paragraph,
            BlockKind::Crosshead,
            BlockKind::Caption,
            BlockKind::Separator,
            BlockKind::Paragraph
        ]
    );
}

#[test]
fn line_repeating_the_headline_is_marked() {
    let d = doc("Mayor Unveils Plan\n\nMayor Unveils Plan\nThe mayor spoke on Monday.\n");
    assert!(d.blocks[1].repeats_display);
    assert_eq!(d.body_blocks().count(), 1);
}

#[test]
fn markdown_front_matter_and_masking() {
    let text = "---\ntitle: \"Bridge Reopens\"\ndeck: Work ends early\n---\n\n# Bridge Reopens\n\nRun `make it` or see https://example.org/x now.\n\n<!-- copydesk-disable foo -->\n\n```\ncode here\n```\n";
    let d = md(text);
    let h = d.headline.as_ref().unwrap();
    assert_eq!(h.text, "Bridge Reopens");
    assert_eq!(&text[h.span.clone().unwrap()], "Bridge Reopens");
    assert_eq!(d.deck.as_ref().unwrap().text, "Work ends early");
    // The H1 that repeats the title is the headline itself.
    assert_eq!(d.blocks[0].kind, BlockKind::Headline);
    assert!(!d.prose.contains("make it"));
    assert!(!d.prose.contains("example.org"));
    assert!(!d.prose.contains("code here"));
    assert_eq!(d.prose.len(), text.len());
    assert_eq!(d.comments.len(), 1);
    assert_eq!(d.comments[0].body, "copydesk-disable foo");
}

#[test]
fn markdown_one_paragraph_per_line_is_split() {
    let d = md(
        "# Title Here\n\nFirst paragraph is one line that ends properly.\nSecond paragraph is another line that also ends.\n",
    );
    assert_eq!(d.body_blocks().count(), 2);
}

#[test]
fn crlf_spans_are_exact() {
    let text = "Pier Plan\r\n\r\nFirst paragraph here.\r\nSecond paragraph here.\r\n";
    let d = doc(text);
    let spans: Vec<&str> = d.body_blocks().map(|(_, b)| d.slice(&b.span)).collect();
    assert_eq!(
        spans,
        vec!["First paragraph here.", "Second paragraph here."]
    );
}

#[test]
fn quotes_are_found() {
    let d = doc("Story\n\n“We will rebuild,” she said. He added: \"Soon.\"\n");
    let q: Vec<&str> = d.quotes.iter().map(|q| d.slice(&q.range())).collect();
    assert_eq!(q, vec!["“We will rebuild,”", "\"Soon.\""]);
}

/// The quotes found by reading every character: the reference for
/// `find_quotes`, which looks only at the bytes a quote can start with.
fn quotes_by_chars(d: &Document) -> Vec<Range<usize>> {
    let mut quotes = Vec::new();
    for b in &d.blocks {
        let s = &d.prose[b.span.clone()];
        let mut open: Option<usize> = None;
        for (i, c) in s.char_indices() {
            let at = b.span.start + i;
            match c {
                '\u{201c}' if open.is_none() => open = Some(at),
                '\u{201d}' => {
                    if let Some(o) = open.take() {
                        quotes.push(o..at + c.len_utf8());
                    }
                }
                '"' => match open.take() {
                    Some(o) => quotes.push(o..at + 1),
                    None => open = Some(at),
                },
                _ => {}
            }
        }
        if let Some(o) = open {
            quotes.push(o..b.span.end);
        }
    }
    quotes.sort_by_key(|q| q.start);
    quotes
}

/// The byte search finds what reading every character finds, with other
/// characters that share the curly quotes' lead byte (dashes, the
/// ellipsis, the single quotes) and quotes left open or split by a blank line.
#[test]
fn quotes_match_a_reading_of_every_character() {
    let pieces = [
        "\u{201c}",
        "\u{201d}",
        "\"",
        "\u{2019}",
        "\u{2018}",
        "\u{2014}",
        "\u{2026}",
        "word ",
        "Said. ",
        "\n\n",
        "\n",
        "é",
        "\u{20ac}",
        "# Head\n\n",
    ];
    let mut quoted = 0;
    for t in crate::testing::texts(&pieces, 0x0005_1ced, 14).take(4_000) {
        for d in [doc(&t), md(&t)] {
            let got: Vec<Range<usize>> = d.quotes.iter().map(|q| q.range()).collect();
            assert_eq!(got, quotes_by_chars(&d), "{t:?}");
            quoted += got.len();
        }
    }
    assert!(quoted > 1_000, "{quoted}");
}

#[test]
fn headline_override() {
    let d = Document::new(
        "The council met.\n\nCouncil Meets\n",
        "s.txt",
        &Options {
            headline: Some("Council Meets".into()),
            format: None,
            threads: 1,
            ..Options::default()
        },
    );
    assert_eq!(d.headline.as_ref().unwrap().text, "Council Meets");
    assert!(d.headline.as_ref().unwrap().span.is_none());
    assert!(d.blocks[1].repeats_display);
}

#[test]
fn a_large_document_splits_the_same_on_several_threads() {
    let mut text = String::from("Council Votes\n\n");
    let mut i = 0;
    while text.len() < 700 * 1024 {
        text.push_str(&format!(
            "Paragraph {i} says Dr. Okafor met 12 people. \u{201c}Yes,\u{201d} she said!\n\n---\n\nA crosshead\n\n"
        ));
        i += 1;
    }
    let build = |threads| {
        Document::new(
            &text,
            "big.txt",
            &Options {
                threads,
                ..Options::default()
            },
        )
    };
    let (one, many) = (build(1), build(3));
    assert!(one.sentences.len() > 10_000);
    assert_eq!(one.words, many.words);
    let view = |d: &Document| {
        d.sentences
            .iter()
            .map(|s| (s.span, s.block, s.words.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(view(&one), view(&many));
    let blocks = |d: &Document| {
        d.blocks
            .iter()
            .map(|b| (b.span.clone(), b.sentences.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(blocks(&one), blocks(&many));
}

/// The cheap tests in front of the dateline and caption patterns may let
/// too much through, never too little.
#[test]
fn cheap_tests_never_hide_a_dateline_or_caption() {
    let pieces = [
        "KYIV",
        "NEW",
        "YORK",
        "UK",
        "Ukraine",
        "(AP)",
        "(Reuters)",
        " ",
        "  ",
        ",",
        "-",
        "--",
        "\u{2014}",
        "\u{2013}",
        ":",
        "|",
        "March",
        "3",
        "ÉCOLE",
        "O’NEILL",
        "St.",
        "A",
        "b",
        "Photo",
        "PHOTOGRAPH",
        "Illustration",
        "ILLUſTRATION",
        "picture",
        "Left",
        "top",
        "Caption",
        "video",
        "graph",
        "the",
        "said",
        ".",
        "Monday",
        "Friday",
        "\n",
    ];
    let (mut datelines, mut captions) = (0, 0);
    let texts = crate::testing::texts(&pieces, 0x2545_f491_4f6c_dd1d, 7);
    for (i, text) in texts.take(20_000).enumerate() {
        // Half of them open with capitals, as a dateline does.
        let t = format!(
            "{}{text}",
            ["", "KYIV", "NEW YORK", "UK"][i % 2 * (1 + i / 2 % 3)]
        );
        if DATELINE.is_match(&t) {
            datelines += 1;
            assert!(might_be_dateline(&t), "dateline missed: {t:?}");
        }
        if CAPTION.is_match(&t) {
            captions += 1;
            assert!(might_be_caption(&t), "caption missed: {t:?}");
        }
    }
    assert!(datelines > 100 && captions > 200, "{datelines} {captions}");
}

/// Blanking the URLs in place gives the prose a copy would have, and
/// restoring them gives back the text as it was.
#[test]
fn urls_blanked_in_place_match_the_masked_copy() {
    let pieces = [
        "http://x.org/a",
        "https://例え.jp/パス",
        "www.example.com.",
        "see ",
        "(",
        ")",
        "\"",
        " ",
        "\n",
        "\n\n",
        "é",
        "://",
        "www.",
        "Okafor said.",
    ];
    for t in crate::testing::texts(&pieces, 0x000b_1a4c, 10).take(20_000) {
        let copied = Document::new(&t, "a.txt", &Options::default());
        let mut text = t.clone();
        let blanked = super::blank_urls(&mut text);
        {
            let opts = Options {
                urls_blanked: true,
                ..Options::default()
            };
            let doc = Document::new(&text, "a.txt", &opts);
            assert_eq!(doc.prose, copied.prose, "{t:?}");
            assert_eq!(doc.words, copied.words, "{t:?}");
        }
        blanked.restore(&mut text);
        assert_eq!(text, t);
    }
}

/// The byte-wise word count is the count of `split_whitespace`, up to the
/// limit.
#[test]
fn word_count_matches_split_whitespace() {
    let pieces = [
        "a", "bc", " ", "  ", "\t", "\n", "\r\n", "\x0b", "\x0c", "\x1c", "-", "é", "\u{a0}",
        "\u{2019}", "\u{3000}", "\u{85}", "\u{2028}",
    ];
    for t in crate::testing::texts(&pieces, 0x00c0_0a7e, 24).take(20_000) {
        for limit in [0, 1, 3, 10] {
            let want = t.split_whitespace().take(limit + 1).count();
            assert_eq!(super::word_count(&t, limit), want, "{t:?} limit {limit}");
        }
    }
}

/// Words come back from their 4-byte form as they went in, long words and
/// long gaps (kept on the side) included, on one thread or several.
#[test]
fn words_decode_to_their_spans() {
    let long_word = "x".repeat(70_000);
    let long_gap = format!("a{}b", "-".repeat(66_000));
    // Gaps and lengths on either side of the 255 bytes a packed word holds.
    let (w254, w255) = ("x".repeat(254), "x".repeat(255));
    let (g253, g254) = ("-".repeat(253), "-".repeat(254));
    let pieces = [
        w254.as_str(),
        w255.as_str(),
        g253.as_str(),
        g254.as_str(),
        "Okafor",
        " ",
        "said",
        ". ",
        "é",
        "\n\n",
        long_word.as_str(),
        long_gap.as_str(),
        "--",
        "中文",
    ];
    for t in crate::testing::texts(&pieces, 0x0005_9a4e, 24).take(200) {
        for threads in [1, 3] {
            let opts = Options {
                threads,
                ..Options::default()
            };
            let doc = Document::new(&t, "a.txt", &opts);
            let mut buf = Vec::new();
            // The same words packed, as a large document keeps them (this
            // one may be small enough to keep them whole).
            let mut packed = Words::default();
            let mut packed_buf = Vec::new();
            for s in &doc.sentences {
                let mut want = Vec::new();
                sentences::words(&doc.prose, s.span(), &mut want);
                assert_eq!(doc.words_of(s, &mut buf), want.as_slice(), "{t:?}");
                assert_eq!(doc.first_word(s), want.first().copied());
                assert_eq!(s.words.len(), want.len());
                let from = packed.len();
                packed.push_sentence(s.span().start, &want);
                let range = from..packed.len();
                let start = s.span().start;
                assert_eq!(
                    packed.decode(range.clone(), start, &mut packed_buf),
                    want.as_slice()
                );
                assert_eq!(packed.first(range, start), want.first().copied());
            }
        }
    }
}

/// `normalize` (a table for ASCII, a space written only before a word)
/// reads as the plain rule: letters and digits lower-cased, a single space
/// for each run of whitespace and dashes between words, the rest dropped.
#[test]
fn normalize_is_the_plain_rule() {
    fn plain(s: &str) -> String {
        let mut words: Vec<String> = vec![String::new()];
        for c in s.chars() {
            if c.is_alphanumeric() {
                words.last_mut().unwrap().extend(c.to_lowercase());
            } else if (c.is_whitespace() || "-/\u{2014}\u{2013}".contains(c))
                && !words.last().unwrap().is_empty()
            {
                words.push(String::new());
            }
        }
        if words.len() > 1 && words.last().unwrap().is_empty() {
            words.pop();
        }
        words.join(" ")
    }
    let pieces = [
        "Ab",
        "c",
        " ",
        "  ",
        "-",
        "/",
        "\u{2014}",
        "\u{2013}",
        "\t\n",
        "'",
        "\u{2019}",
        ".",
        "\u{130}",
        "É",
        "9",
        "\u{a0}",
        "\u{1c}",
        "ß",
        "\u{3a3}",
        "Abcdefghij",
        "x7y",
    ];
    let short = crate::testing::texts(&pieces, 0x0dd_ba11, 10).take(20_000);
    let long = crate::testing::texts(&pieces, 0x0ba1_10dd, 60).take(5_000);
    for t in short.chain(long) {
        assert_eq!(normalize(&t), plain(&t), "{t:?}");
        assert_eq!(normalized_len(&t), normalize(&t).len(), "{t:?}");
    }
}

/// `lower_cow` and `lower_in` (which skip the copy when nothing changes)
/// give `to_lowercase`, title-case letters and final sigma included.
#[test]
fn lower_forms_are_to_lowercase() {
    let pieces = [
        "a", "B", "\u{1c5}", "\u{1c6}", "\u{3a3}", "\u{3c3}", "\u{130}", "é", "É", "1", " ",
        "\u{2160}", "ß",
    ];
    for t in crate::testing::texts(&pieces, 0x000f_eed5, 8).take(20_000) {
        assert_eq!(lower_cow(&t), t.to_lowercase(), "{t:?}");
        let mut buf = [0u8; 32];
        assert_eq!(lower_in(&mut buf, &t), t.to_lowercase(), "{t:?}");
    }
}

/// A nested item of a tight list, or a heading in an item, is a block of
/// its own, and the item that holds it keeps only the text around it: no
/// text is in two blocks (a nested item would be reported as repeating
/// itself, and its findings would come twice), and none is in none.
#[test]
fn nested_list_items_are_one_block_each() {
    let d = md(
        "Title\n\nIntro paragraph here.\n\n- Outer item text\n  - Inner item text\n- - Doubly nested text\n\n1. # Item heading\n   Text after the heading\n\nLast paragraph.\n",
    );
    let texts: Vec<String> = d
        .blocks
        .iter()
        .map(|b| d.slice(&b.span).to_string())
        .collect();
    for want in [
        "Outer item text",
        "Inner item text",
        "Doubly nested text",
        "Item heading",
        "Text after the heading",
    ] {
        let holding = texts.iter().filter(|t| t.contains(want)).count();
        assert_eq!(holding, 1, "{want}: {texts:?}");
    }
}

/// Blocks are in text order, and the body's do not overlap, whatever the
/// Markdown (lists nested in lists and quotes, loose and tight). (A
/// headline or deck may share its span with the block that repeats it.)
#[test]
fn blocks_are_ordered_and_disjoint() {
    let pieces = [
        "- ", "  - ", "    - ", "1. ", "> ", "text", " more", "\n", "\n\n", "**b**", "# H\n",
        "Word. ", "`c`",
    ];
    for t in crate::testing::texts(&pieces, 0x0b10_c5ed, 30).take(5000) {
        let d = md(&t);
        for pair in d.blocks.windows(2) {
            assert!(
                pair[0].span.start <= pair[1].span.start,
                "{t:?}: {:?}",
                d.blocks
            );
        }
        let body: Vec<&Block> = d
            .blocks
            .iter()
            .filter(|b| {
                !b.repeats_display && !matches!(b.kind, BlockKind::Headline | BlockKind::Deck)
            })
            .collect();
        for pair in body.windows(2) {
            assert!(
                pair[0].span.end <= pair[1].span.start,
                "{t:?}: {:?}",
                d.blocks
            );
        }
    }
}

#[test]
fn front_matter_headline_and_deck_are_blocks_at_their_text() {
    let text = "---\ntitle: \"Pier plan: the vote\"   # the print title\ndeck: Work ends early # note\nsubtitle: other\n---\n\nThe council voted on the pier plan on Monday.\n";
    let d = md(text);
    let h = d.headline.as_ref().unwrap();
    assert_eq!(&text[h.span.clone().unwrap()], "Pier plan: the vote");
    let deck = d.deck.as_ref().unwrap();
    assert_eq!(&text[deck.span.clone().unwrap()], "Work ends early");
    assert_eq!(d.blocks[0].kind, BlockKind::Headline);
    assert_eq!(d.blocks[0].span, h.span.clone().unwrap());
    assert_eq!(d.blocks[1].kind, BlockKind::Deck);
    assert_eq!(d.prose_of(&d.blocks[1].span), "Work ends early");
    assert_eq!(
        d.front_matter,
        [d.blocks[0].span.clone(), d.blocks[1].span.clone()]
    );
    // Only the chosen fields are prose.
    assert!(!d.prose.contains("other"));
    assert!(!d.prose.contains("print title"));
}

#[test]
fn front_matter_values_with_escapes_have_no_place() {
    for (text, want) in [
        (
            "---\ntitle: \"A \\\"quoted\\\" word\"\n---\n\nBody text here.\n",
            "A \"quoted\" word",
        ),
        (
            "---\ntitle: 'It''s done'\n---\n\nBody text here.\n",
            "It's done",
        ),
        (
            "+++\ntitle = \"A \\u0041 b\"\n+++\n\nBody text here.\n",
            "A A b",
        ),
    ] {
        let d = md(text);
        let h = d.headline.as_ref().unwrap();
        assert_eq!(h.text, want, "{text:?}");
        assert!(h.span.is_none(), "{text:?}");
        assert!(
            d.blocks.iter().all(|b| b.kind != BlockKind::Headline),
            "{text:?}"
        );
    }
    // A multi-line plain scalar, a block scalar: not read as one line.
    for text in [
        "---\ntitle: Pier plan\n  goes ahead\n---\n\nBody text here.\n",
        "---\ntitle: >\n  Pier plan\n---\n\nBody text here.\n",
    ] {
        assert!(md(text).headline.is_none(), "{text:?}");
    }
}

#[test]
fn front_matter_title_repeated_as_heading_is_marked() {
    let text = "+++\ntitle = 'Bridge Reopens'\n+++\n\n# Bridge Reopens\n\nThe bridge reopened on Sunday.\n";
    let d = md(text);
    let heading = d.title_heading.clone().unwrap();
    assert_eq!(&text[heading], "Bridge Reopens");
    assert_eq!(d.blocks[0].kind, BlockKind::Headline);
    assert_eq!(d.blocks[1].kind, BlockKind::Headline);
}
