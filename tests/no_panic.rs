//! copydesk must never panic, whatever the input: run the document model and
//! every built-in rule over many generated drafts made of awkward pieces
//! (multi-byte letters, combining marks, CR and CRLF, quotes, digits,
//! currency signs, Markdown syntax, abbreviations).

use copydesk::engine::{CheckOptions, check};
use copydesk::ruleset::RuleSet;
use copydesk::source::Source;

const PIECES: &[&str] = &[
    "Okafor",
    "Grace ",
    "Mayor ",
    "said",
    " ",
    " ",
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    ".",
    ". ",
    "?",
    "!",
    ",",
    "\"",
    "“",
    "”",
    "‘",
    "’",
    "'",
    "$",
    "£",
    "€",
    "40",
    "1,240",
    "3.5",
    "2015",
    "%",
    " percent",
    " million",
    "tripled",
    "Mr.",
    "U.S.",
    "a.m.",
    "J. ",
    "No. ",
    "#",
    "# ",
    "**",
    "`",
    "```",
    "- ",
    "> ",
    "[",
    "](",
    ")",
    "http://x.org/a",
    "<!--",
    "-->",
    "---\n",
    "+++\n",
    "title: ",
    "é",
    "e\u{301}",
    "中文",
    "Ş",
    "\t",
    "—",
    "–",
    "…",
    "Sharma",
    "Sharmah",
    "de la ",
    "van der ",
    "Xi ",
    "***",
    "By ",
    "LONDON (Reuters) - ",
    "\u{feff}",
    "ß",
    "İ",
    "ﬁ",
    "🙂",
    "0800 123456",
    "44",
    ", 44,",
    "by her own estimate",
    "according to",
];

mod common;
use common::Rng;

#[test]
fn generated_drafts_never_panic() {
    let rules = RuleSet::builtin().expect("built-in rules load");
    let opts = CheckOptions::default();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for case in 0..1500 {
        let len = (rng.next() % 120) as usize;
        let mut text = String::new();
        for _ in 0..len {
            text.push_str(PIECES[(rng.next() as usize) % PIECES.len()]);
        }
        for path in ["draft.txt", "draft.md"] {
            let mut source = Source::new(path, text.clone());
            let before = source.text.clone();
            let findings = check(&mut source, &rules, &opts);
            // Blanked URLs are put back: the text comes back as it was.
            assert_eq!(source.text, before, "case {case}: the text changed");
            for f in &findings {
                assert!(
                    f.span.start <= f.span.end && f.span.end <= source.text.len(),
                    "case {case}: span {:?} out of range",
                    f.span
                );
                assert!(source.text.is_char_boundary(f.span.start));
                assert!(source.text.is_char_boundary(f.span.end));
                let _ = source.line_col(f.span.end);
            }
        }
    }
}

#[test]
fn the_headline_override_never_panics() {
    let rules = RuleSet::builtin().expect("built-in rules load");
    let opts = CheckOptions {
        headline: Some("Mayor Okafor".into()),
        ..CheckOptions::default()
    };
    for text in [
        "",
        "\n",
        "Mayor Okafor",
        "Mayor Okafor\n\nMayor Okafor.\n",
        "\r\r\r",
    ] {
        let _ = check(&mut Source::new("x.txt", text), &rules, &opts);
    }
}
