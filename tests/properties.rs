//! Properties that hold for every draft, checked on generated news-like
//! drafts (headlines, wrapped, repeated and pasted-twice paragraphs, doubled
//! words, name forms, figures, open and closed quotes, Markdown, CRLF and CR
//! line ends, a BOM, non-ASCII, suppression comments, odd whitespace):
//!
//! - checking never panics and every span lies on character boundaries;
//! - a round of `--fix` changes no byte outside its edits' spans;
//! - fixing a fixed text changes nothing;
//! - the `--diff` patch turns the file into what `--fix` writes;
//! - every format puts a finding at the same line and column, and JSON's
//!   byte offset is at that line and column of the file.
//!
//! The seed is fixed and the number of cases bounded, so `cargo test` runs
//! the same drafts every time. `PROPTEST_CASES=N` runs N cases of each
//! property instead (see the contributing notes in the README).

use std::path::Path;
use std::process::Command;

use copydesk::engine::{CheckOptions, check};
use copydesk::finding::{Applicability, Finding};
use copydesk::fix;
use copydesk::ruleset::RuleSet;
use copydesk::source::Source;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};

/// Cases per property: `PROPTEST_CASES` when set, else `default`.
fn config(default: u32) -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    Config {
        cases,
        failure_persistence: None,
        rng_seed: RngSeed::Fixed(0x00c0_ffee_5c22),
        ..Config::default()
    }
}

const WORDS: &[&str] = &[
    "the",
    "council",
    "said",
    "on",
    "Tuesday",
    "that",
    "the the",
    "that that",
    "is is",
    "Grace Okafor",
    "Okafor",
    "Mr Okafor",
    "Ms Okafor",
    "Grace",
    "Mayor Okafor",
    "87 days",
    "$10bn (£5.2bn)",
    "12%",
    "40 per cent",
    "1,240",
    "3.5 million",
    "tripled",
    "according to officials",
    "by her own estimate",
    "“We will rebuild,” she said",
    "\"It is over",
    "“Nobody told us",
    "'fine'",
    "café",
    "naïve",
    "Zürich",
    "e\u{301}",
    "🙂",
    "👩\u{200d}💻",
    "中文",
    "[the report](https://example.org/a?b=1)",
    "<https://example.org>",
    "`code`",
    "**bold**",
    "_it_",
    "U.S.",
    "a.m.",
    "—",
    "…",
    "  ",
    "\t",
    "\u{a0}",
    "\u{200b}",
    "very unique",
    "in order to",
];

fn sentence() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(prop::sample::select(WORDS), 1..10),
        prop::sample::select(&[".", ".", "?", "!", ",", "", "\""][..]),
    )
        .prop_map(|(words, end)| {
            let mut s = words.join(" ");
            s.push_str(end);
            s
        })
}

fn paragraph() -> impl Strategy<Value = String> {
    prop::collection::vec(sentence(), 1..4).prop_map(|s| s.join(" "))
}

/// Break a paragraph at spaces so that no line is much over `width` bytes.
fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = 0;
    for (i, word) in text.split(' ').enumerate() {
        if i > 0 {
            if line >= width {
                out.push('\n');
                line = 0;
            } else {
                out.push(' ');
                line += 1;
            }
        }
        out.push_str(word);
        line += word.len();
    }
    out
}

fn block() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => paragraph(),
        2 => (paragraph(), 20usize..70).prop_map(|(p, w)| wrap(&p, w)),
        1 => paragraph().prop_map(|p| format!("{p}\n\n{p}")),
        1 => paragraph().prop_map(|p| format!("{p} {p}")),
        1 => (1usize..4, sentence()).prop_map(|(n, s)| format!("{} {s}", "#".repeat(n))),
        1 => prop::collection::vec(sentence(), 1..4)
            .prop_map(|items| items.iter().map(|s| format!("- {s}")).collect::<Vec<_>>().join("\n")),
        1 => sentence().prop_map(|s| format!("```\n{s}\n```")),
        1 => paragraph().prop_map(|p| format!("> {p}")),
        1 => paragraph().prop_map(|p| format!("<!-- copydesk-disable-next-line doubled-word -->\n{p}")),
        1 => paragraph().prop_map(|p| format!("<!-- copydesk-disable -->\n{p}\n<!-- copydesk-enable -->")),
        1 => prop::sample::select(&["", " ", "\t", "   \t ", "\u{a0}", "---", "***"][..])
            .prop_map(str::to_string),
    ]
}

#[derive(Debug, Clone)]
struct Draft {
    /// "draft.md" or "draft.txt".
    name: &'static str,
    /// The file's contents (a BOM included).
    text: String,
}

fn draft() -> impl Strategy<Value = Draft> {
    (
        sentence(),
        prop::collection::vec(block(), 0..8),
        prop::collection::vec(
            prop::sample::select(&["\n\n", "\n\n", "\n", "\n\n\n", "\n \n"][..]),
            8,
        ),
        0usize..8,
        0u8..4,
        any::<bool>(),
        any::<bool>(),
        prop::sample::select(&["", "\n", "\n\n"][..]),
    )
        .prop_map(|(headline, blocks, seps, repeat, ends, bom, md, last)| {
            let mut text = headline.trim_end_matches(['.', ',']).to_string();
            for (i, b) in blocks.iter().enumerate() {
                text.push_str(seps[i % seps.len()]);
                text.push_str(b);
            }
            // A paragraph repeated further down.
            if let Some(b) = blocks.get(repeat) {
                text.push_str("\n\n");
                text.push_str(b);
            }
            text.push_str(last);
            let text = match ends {
                0 => text,
                1 => text.replace('\n', "\r\n"),
                2 => text.replace('\n', "\r"),
                // Mixed: every other line break a CRLF.
                _ => {
                    let mut out = String::new();
                    for (i, piece) in text.split('\n').enumerate() {
                        if i > 0 {
                            out.push_str(if i % 2 == 0 { "\r\n" } else { "\n" });
                        }
                        out.push_str(piece);
                    }
                    out
                }
            };
            Draft {
                name: if md { "draft.md" } else { "draft.txt" },
                text: if bom { format!("\u{feff}{text}") } else { text },
            }
        })
}

fn rules() -> &'static RuleSet {
    static RULES: std::sync::OnceLock<RuleSet> = std::sync::OnceLock::new();
    RULES.get_or_init(|| RuleSet::builtin().expect("built-in rules load"))
}

fn findings(name: &str, text: &str) -> Vec<Finding> {
    check(
        &mut Source::new(name, text),
        rules(),
        &CheckOptions::default(),
    )
}

/// The text after one round of safe fixes, checked to change no byte
/// outside the applied edits' spans.
fn one_round(text: &str, found: &[Finding]) -> Result<String, TestCaseError> {
    let (out, applied) = fix::apply(text, found, false);
    let mut edits: Vec<_> = applied
        .iter()
        .flat_map(|&i| {
            let fix = found[i].fix.as_ref().expect("an applied finding has a fix");
            assert_eq!(fix.applicability, Applicability::Safe);
            fix.edits.iter()
        })
        .collect();
    edits.sort_by_key(|e| (e.span.start, e.span.end));
    // Rebuild the text from the bytes outside the spans and the
    // replacements: the edits must not overlap and must lie in the text.
    let mut expected = String::new();
    let mut at = 0;
    for e in &edits {
        prop_assert!(e.span.start >= at, "edits overlap at {:?}", e.span);
        prop_assert!(e.span.end <= text.len());
        prop_assert!(text.is_char_boundary(e.span.start) && text.is_char_boundary(e.span.end));
        expected.push_str(&text[at..e.span.start]);
        expected.push_str(&e.replacement);
        at = e.span.end;
    }
    expected.push_str(&text[at..]);
    prop_assert_eq!(&out, &expected, "bytes outside the edits changed");
    Ok(out)
}

fn fix_until_stable(name: &str, text: &str) -> fix::Fixed {
    fix::fix_until_stable(text, findings(name, text), false, |t| findings(name, t))
}

/// Apply a unified diff (as `fix::unified_diff` writes it) to `old`.
fn apply_diff(old: &str, diff: &str) -> Result<String, String> {
    let old_lines: Vec<&str> = old.split_inclusive('\n').collect();
    let lines: Vec<&str> = diff.split_inclusive('\n').collect();
    if lines.is_empty() {
        return Ok(old.to_string());
    }
    if lines.len() < 2 || !lines[0].starts_with("--- ") || !lines[1].starts_with("+++ ") {
        return Err("no diff header".into());
    }
    let mut out = String::new();
    let mut next_old = 0; // index of the next old line not yet copied
    let mut i = 2;
    while i < lines.len() {
        let header = lines[i].trim_end_matches('\n');
        let ranges = header
            .strip_prefix("@@ -")
            .and_then(|h| h.strip_suffix(" @@"))
            .ok_or_else(|| format!("not a hunk header: {header:?}"))?;
        let (old_range, _) = ranges.split_once(" +").ok_or("bad hunk header")?;
        let (start, len) = match old_range.split_once(',') {
            Some((s, l)) => (s.parse::<usize>(), l.parse::<usize>()),
            None => (old_range.parse::<usize>(), Ok(1)),
        };
        let (start, len) = (
            start.map_err(|e| e.to_string())?,
            len.map_err(|e| e.to_string())?,
        );
        let first = if len == 0 { start } else { start - 1 };
        if first < next_old || first > old_lines.len() {
            return Err(format!("hunk at old line {start} out of order"));
        }
        old_lines[next_old..first]
            .iter()
            .for_each(|l| out.push_str(l));
        next_old = first;
        i += 1;
        while i < lines.len() && !lines[i].starts_with("@@ ") {
            let (tag, rest) = lines[i].split_at(1);
            let mut content = rest;
            if lines.get(i + 1) == Some(&"\\ No newline at end of file\n") {
                content = content
                    .strip_suffix('\n')
                    .ok_or("marker after a line without newline")?;
                i += 1;
            }
            match tag {
                " " | "-" => {
                    if old_lines.get(next_old) != Some(&content) {
                        return Err(format!(
                            "context {content:?} does not match old line {} {:?}",
                            next_old + 1,
                            old_lines.get(next_old)
                        ));
                    }
                    if tag == " " {
                        out.push_str(content);
                    }
                    next_old += 1;
                }
                "+" => out.push_str(content),
                _ => return Err(format!("bad diff line {:?}", lines[i])),
            }
            i += 1;
        }
    }
    old_lines[next_old..].iter().for_each(|l| out.push_str(l));
    Ok(out)
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn checking_never_panics_and_spans_are_in_the_text(d in draft()) {
        let mut source = Source::new(d.name, d.text.clone());
        let before = source.text.clone();
        let found = check(&mut source, rules(), &CheckOptions::default());
        prop_assert_eq!(&source.text, &before);
        for f in &found {
            prop_assert!(f.span.start <= f.span.end && f.span.end <= source.text.len());
            prop_assert!(source.text.is_char_boundary(f.span.start));
            prop_assert!(source.text.is_char_boundary(f.span.end));
            for e in f.fix.iter().flat_map(|fix| fix.edits.iter()) {
                prop_assert!(e.span.start <= e.span.end && e.span.end <= source.text.len());
            }
        }
    }

    #[test]
    fn every_fix_round_touches_only_its_edits(d in draft()) {
        let source = Source::new(d.name, d.text.clone());
        let mut text = source.text.clone();
        for _ in 0..fix::MAX_PASSES {
            let found = findings(d.name, &text);
            let next = one_round(&text, &found)?;
            if next == text {
                break;
            }
            text = next;
        }
    }

    #[test]
    fn fixing_a_fixed_text_changes_nothing(d in draft()) {
        let source = Source::new(d.name, d.text.clone());
        let once = fix_until_stable(d.name, &source.text);
        prop_assert!(once.fighting.is_empty(), "fixes fight: {:?}", once.fighting);
        let twice = fix_until_stable(d.name, &once.text);
        prop_assert_eq!(twice.applied, 0);
        prop_assert_eq!(&twice.text, &once.text);
    }

    #[test]
    fn the_diff_turns_the_text_into_the_fixed_text(d in draft()) {
        let source = Source::new(d.name, d.text.clone());
        let fixed = fix_until_stable(d.name, &source.text);
        let diff = fix::unified_diff(d.name, &source.text, &fixed.text);
        prop_assert_eq!(diff.is_empty(), fixed.text == source.text);
        let patched = apply_diff(&source.text, &diff).map_err(TestCaseError::fail)?;
        prop_assert_eq!(&patched, &fixed.text);
    }
}

fn run(dir: &Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_copydesk"))
        .current_dir(dir)
        .args(["check", "--no-config", "--color", "never"])
        .args(args)
        .output()
        .expect("copydesk runs");
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "copydesk {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// Where each finding is, as (line, column, rule), sorted.
type Places = Vec<(usize, usize, String)>;

fn sorted(mut v: Places) -> Places {
    v.sort();
    v
}

/// Line and column (1-based; columns count characters, not the BOM) of
/// byte `at` of the file `bytes`, counted afresh.
fn line_col_in_file(bytes: &str, at: usize) -> (usize, usize) {
    let bom = if bytes.starts_with('\u{feff}') { 3 } else { 0 };
    let before = &bytes[bom..at];
    let mut line = 1;
    let mut line_start = 0;
    let b = before.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\n' || (b[i] == b'\r' && bytes.as_bytes().get(bom + i + 1) != Some(&b'\n')) {
            line += 1;
            line_start = i + 1;
        }
        i += 1;
    }
    (line, before[line_start..].chars().count() + 1)
}

proptest! {
    // Each case runs the binary several times.
    #![proptest_config(config(24))]

    #[test]
    fn every_format_puts_a_finding_at_the_same_place(d in draft()) {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join(d.name), &d.text).expect("write draft");

        let json: serde_json::Value =
            serde_json::from_str(&run(dir.path(), &["--format", "json", d.name])).expect("JSON");
        let items = json.as_array().expect("a JSON array");
        let mut from_json = Places::new();
        for item in items {
            let line = item["line"].as_u64().expect("line") as usize;
            let column = item["column"].as_u64().expect("column") as usize;
            let byte = item["byte_start"].as_u64().expect("byte_start") as usize;
            prop_assert!(d.text.is_char_boundary(byte), "byte_start {} inside a character", byte);
            prop_assert_eq!(line_col_in_file(&d.text, byte), (line, column), "byte_start {}", byte);
            from_json.push((line, column, item["rule"].as_str().expect("rule").to_string()));
        }
        let from_json = sorted(from_json);

        let short = run(dir.path(), &["--format", "short", d.name]);
        let from_short = sorted(
            short
                .lines()
                .map(|l| {
                    let rest = l.strip_prefix(&format!("{}:", d.name)).expect("path first");
                    let mut parts = rest.splitn(3, ':');
                    let line = parts.next().unwrap().parse().expect("line");
                    let column = parts.next().unwrap().parse().expect("column");
                    let rest = parts.next().unwrap();
                    let rule = &rest[rest.find('[').expect("[rule]") + 1..rest.find(']').expect("]")];
                    (line, column, rule.to_string())
                })
                .collect(),
        );
        prop_assert_eq!(&from_short, &from_json, "short and JSON disagree");

        let xml = run(dir.path(), &["--format", "checkstyle", d.name]);
        let attr = |tag: &str, name: &str| -> String {
            let key = format!(" {name}=\"");
            let at = tag.find(&key).expect("attribute") + key.len();
            tag[at..at + tag[at..].find('"').expect("closing quote")].to_string()
        };
        let from_checkstyle = sorted(
            xml.split("<error ")
                .skip(1)
                .map(|tag| {
                    let tag = format!(" {}", &tag[..tag.find("/>").expect("empty element")]);
                    let tag = tag.as_str();
                    let source = attr(tag, "source");
                    (
                        attr(tag, "line").parse().expect("line"),
                        attr(tag, "column").parse().expect("column"),
                        source.strip_prefix("copydesk.").expect("copydesk. source").to_string(),
                    )
                })
                .collect(),
        );
        prop_assert_eq!(&from_checkstyle, &from_json, "checkstyle and JSON disagree");

        let sarif: serde_json::Value =
            serde_json::from_str(&run(dir.path(), &["--format", "sarif", d.name])).expect("SARIF");
        let results = sarif["runs"][0]["results"].as_array().expect("results");
        let from_sarif = sorted(
            results
                .iter()
                .map(|r| {
                    let region = &r["locations"][0]["physicalLocation"]["region"];
                    (
                        region["startLine"].as_u64().expect("startLine") as usize,
                        region["startColumn"].as_u64().expect("startColumn") as usize,
                        r["ruleId"].as_str().expect("ruleId").to_string(),
                    )
                })
                .collect(),
        );
        prop_assert_eq!(&from_sarif, &from_json, "SARIF and JSON disagree");
    }

    #[test]
    fn the_diff_printed_is_what_fix_writes(d in draft()) {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join(d.name);
        std::fs::write(&file, &d.text).expect("write draft");
        let diff = run(dir.path(), &["--diff", "--format", "short", d.name]);
        // Findings in short form may follow the diff; the diff ends before them.
        let diff: String = diff
            .split_inclusive('\n')
            .take_while(|l| !l.starts_with(&format!("{}:", d.name)))
            .collect();
        prop_assert_eq!(std::fs::read_to_string(&file).expect("read"), d.text.clone(), "--diff wrote the file");
        run(dir.path(), &["--fix", "--format", "short", d.name]);
        let fixed = std::fs::read_to_string(&file).expect("read fixed");
        let patched = apply_diff(&d.text, &diff).map_err(TestCaseError::fail)?;
        prop_assert_eq!(&patched, &fixed);
    }
}

#[test]
fn the_diff_applier_rejects_a_wrong_context() {
    let diff = fix::unified_diff("x.txt", "a\nb\nc\n", "a\nB\nc\n");
    assert_eq!(apply_diff("a\nb\nc\n", &diff).as_deref(), Ok("a\nB\nc\n"));
    assert!(apply_diff("a\nz\nc\n", &diff).is_err());
    let diff = fix::unified_diff("x.txt", "a\nb", "a\nc");
    assert_eq!(apply_diff("a\nb", &diff).as_deref(), Ok("a\nc"));
}
