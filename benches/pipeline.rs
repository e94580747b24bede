//! Micro-benchmarks of the pipeline stages on real stories: building the
//! document model, each newsroom check, and the house-style pack.
//!
//! `cargo bench` (or `cargo bench -- FILTER`). The stories are read from
//! `../shared/corpus/news` (set `COPYDESK_CORPUS` to another folder of .txt
//! or .md stories). Each stage runs over every story, repeatedly, and the
//! median of the rounds is reported as time per round and MB/s. There is no
//! pass/fail: these figures are for comparing builds (the whole-program
//! benchmark is `bench/run.sh`).

use std::time::{Duration, Instant};

use copydesk::document::{Document, Options};
use copydesk::engine::{self, CheckOptions};
use copydesk::ruleset::RuleSet;
use copydesk::source::Source;

const NEWSROOM: [&str; 4] = [
    "repeated-paragraph",
    "headline-in-body",
    "name-form",
    "unsourced-figure",
];

fn stories() -> Vec<Source> {
    let dir = std::env::var("COPYDESK_CORPUS").unwrap_or_else(|_| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus/news").to_string()
    });
    let mut paths: Vec<_> = match std::fs::read_dir(&dir) {
        Ok(d) => d.filter_map(|e| e.ok().map(|e| e.path())).collect(),
        Err(e) => {
            eprintln!("no stories in {dir}: {e} (set COPYDESK_CORPUS)");
            return Vec::new();
        }
    };
    paths.sort();
    paths
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "txt" || e == "md"))
        .filter_map(|p| {
            let text = std::fs::read_to_string(&p).ok()?;
            Some(Source::new(p.display().to_string(), text))
        })
        .collect()
}

/// Median wall time of `rounds` runs of `f` (after one warm-up run).
fn median(rounds: usize, mut f: impl FnMut()) -> Duration {
    f();
    let mut times: Vec<Duration> = (0..rounds)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

fn main() {
    let filter: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let wanted = |name: &str| filter.is_empty() || filter.iter().any(|f| name.contains(f));
    let mut stories = stories();
    if stories.is_empty() {
        return;
    }
    let bytes: usize = stories.iter().map(|s| s.text.len()).sum();
    let rules = RuleSet::builtin().expect("the built-in rules load");
    println!(
        "{} stories, {:.2} MB; median of 10 rounds, one thread",
        stories.len(),
        bytes as f64 / 1e6
    );
    let report = |name: &str, d: Duration| {
        println!(
            "{name:<34} {:>9.2} ms/round {:>8.1} MB/s",
            d.as_secs_f64() * 1e3,
            bytes as f64 / 1e6 / d.as_secs_f64()
        );
    };

    if wanted("document") {
        let d = median(10, || {
            for s in &stories {
                let doc = Document::new(&s.text, &s.path, &Options::default());
                std::hint::black_box(doc.words.len());
            }
        });
        report("document build", d);
    }
    let mut run = |select: Vec<String>, ignore: Vec<String>| {
        let opts = CheckOptions {
            select,
            ignore,
            rule_threads: 1,
            ..CheckOptions::default()
        };
        median(10, || {
            for s in stories.iter_mut() {
                std::hint::black_box(engine::check(s, &rules, &opts));
            }
        })
    };
    // Each check's time includes the document build (reported above).
    for id in NEWSROOM {
        if wanted(id) {
            report(
                &format!("{id} (+ document)"),
                run(vec![id.to_string()], Vec::new()),
            );
        }
    }
    if wanted("style") {
        let ignore = NEWSROOM.iter().map(|s| s.to_string()).collect();
        report("style pack (+ document)", run(Vec::new(), ignore));
    }
    if wanted("all") {
        report("all rules (+ document)", run(Vec::new(), Vec::new()));
    }
}
