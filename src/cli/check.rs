//! `copydesk check`: check (and with --fix or --diff, fix) drafts and
//! report what they hold.
//!
//! A run has four steps: settle what applies (inputs, rule settings, the
//! --select / --ignore ids, the baseline), read standard input, check the
//! inputs on worker threads while the reporter takes their outcomes in
//! input order, and turn what was seen into the exit code.

use std::collections::BTreeMap;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::baseline::Baseline;
use crate::config::{Resolver, Settings};
use crate::engine::{self, CheckOptions};
use crate::error::LoadError;
use crate::finding::{Finding, Severity};
use crate::fix;
use crate::report::{self, FileResult, Problem, Reporter, Totals};
use crate::source::Source;
use crate::suppress::SUPPRESSION_RULE;

use super::inputs::{Input, collect_inputs, little_text, skipped_note};
use super::output::{io_reason, report_load_errors, use_color};
use super::progress::Progress;
use super::reports::{Dest, Plan, ReportFile};
use super::{CheckArgs, FAILURE, FINDINGS, FailOn, Format, OK, Terminals, unknown_rule};

pub(super) fn check(
    args: CheckArgs,
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
    terminals: Terminals,
) -> io::Result<i32> {
    let plan = match Plan::new(&args.format, args.output_file.as_deref()) {
        Ok(plan) if args.diff && plan.any_file() => {
            writeln!(
                stderr,
                "copydesk: error: --diff prints a diff, not a report: a --format with a path \
                 cannot be used with it"
            )?;
            return Ok(FAILURE);
        }
        Ok(plan) => plan,
        Err(e) => {
            writeln!(stderr, "copydesk: error: {e}")?;
            return Ok(FAILURE);
        }
    };
    let mut walk_errors = Vec::new();
    let mut skipped_links = Vec::new();
    let inputs = collect_inputs(
        &args.paths,
        args.stdin_filename.as_deref(),
        &mut walk_errors,
        &mut skipped_links,
    );
    if let Some(note) = skipped_note(&skipped_links)
        && !args.quiet
    {
        writeln!(stderr, "{note}")?;
    }
    if inputs.is_empty() && walk_errors.is_empty() && !args.quiet {
        writeln!(
            stderr,
            "copydesk: note: no drafts (.txt, .md, .markdown) in the folders given; nothing was \
             checked"
        )?;
    }
    // A run over little text (a pre-commit hook, an editor) spends more on
    // building its regexes than on running them: build them lean.
    let resolver = Resolver::new(args.config.choice()).lean(little_text(&inputs));
    if !rule_ids_known(&args, &resolver, stderr)? {
        return Ok(FAILURE);
    }
    let baseline = match &args.baseline {
        None => None,
        Some(p) => match load_baseline(p) {
            Ok(b) => Some(b),
            Err(e) => {
                writeln!(stderr, "copydesk: error: {e}")?;
                return Ok(FAILURE);
            }
        },
    };
    let threads = args
        .threads
        .map(usize::from)
        .unwrap_or_else(crate::parallel::default_threads);
    let files = match report_files(&plan, &inputs) {
        Ok(files) => files,
        Err(e) => {
            writeln!(stderr, "copydesk: error: {e}")?;
            return Ok(FAILURE);
        }
    };
    let run = CheckRun {
        args: &args,
        rule_list: if plan.any(Format::Sarif) {
            RuleList::All
        } else if args.statistics {
            RuleList::Fired
        } else {
            RuleList::None
        },
        opts: CheckOptions {
            headline: args.headline.clone(),
            select: args.select.clone(),
            ignore: args.ignore.clone(),
            // One input: spend the cores on its rules instead.
            rule_threads: if inputs.len() == 1 { threads } else { 1 },
            timings: args.timings.then(Default::default),
        },
        resolver,
        baseline,
    };

    let main_format = plan.main_format();
    let mut tally = Tally::new(&args, &inputs, &plan, files, terminals.stdout, threads);
    // The bar is for people at a terminal; see `progress` for when it shows.
    let mut progress = Progress::new(
        terminals
            .stderr_width
            .filter(|_| !args.quiet && matches!(main_format, Format::Human | Format::Short)),
        inputs.len(),
        terminals.progress_after,
    );
    let mut out = io::BufWriter::new(stdout);
    for e in &walk_errors {
        tally.problem(e, &mut out, stderr)?;
    }
    let stdin_data = read_stdin(&inputs, stdin, stderr, &mut tally.failed)?;
    let timings = run.opts.timings.as_deref();
    crate::parallel::ordered_map(
        inputs.len(),
        threads,
        |i| {
            let bytes = stdin_data[i].lock().ok().and_then(|mut b| b.take());
            run.process(&inputs[i], bytes)
        },
        |outcome: Outcome| {
            if progress.shown() && outcome.may_print() {
                progress.around(stderr, |stderr| {
                    tally.take(outcome, &mut out, stderr, timings)?;
                    out.flush()
                })?;
            } else {
                tally.take(outcome, &mut out, stderr, timings)?;
            }
            progress.step(stderr)
        },
    )?;
    progress.clear(stderr)?;
    let code = tally.finish(&mut out, stderr)?;
    if let Some(t) = &run.opts.timings
        && !args.diff
    {
        write_timings(stderr, t)?;
    }
    Ok(if args.exit_zero && code == FINDINGS {
        OK
    } else {
        code
    })
}

/// Are the ids given to --select and --ignore rules that apply here? An
/// unknown one (or settings that fail to load) is reported on `stderr`.
fn rule_ids_known(
    args: &CheckArgs,
    resolver: &Resolver,
    stderr: &mut dyn Write,
) -> io::Result<bool> {
    let here = match resolver.for_path(None) {
        Ok(s) => s,
        Err(errors) => {
            report_load_errors(stderr, &errors)?;
            return Ok(false);
        }
    };
    for id in args.select.iter().chain(&args.ignore) {
        // Problems with suppression comments carry an id of their own.
        if here.rules.get(id).is_none() && id != SUPPRESSION_RULE {
            unknown_rule(stderr, id, here.rules.ids())?;
            return Ok(false);
        }
    }
    let off: Vec<&str> = args
        .select
        .iter()
        .filter(|id| {
            here.rules
                .get(id)
                .is_some_and(|r| r.severity == Severity::Off)
        })
        .map(String::as_str)
        .collect();
    if !off.is_empty() && off.len() == args.select.len() && !args.quiet {
        writeln!(
            stderr,
            "copydesk: note: --select names only rules that are off here ({}); nothing is \
             checked. Give them a severity in copydesk.toml to run them",
            off.iter()
                .map(|id| format!("`{id}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )?;
    }
    Ok(true)
}

/// The baseline file given to --baseline, or the reason it cannot be used.
fn load_baseline(p: &Path) -> Result<Baseline, String> {
    match std::fs::read_to_string(p).map(|t| Baseline::from_json(&t)) {
        Ok(Ok(b)) => Ok(b.relative_to(p.parent().unwrap_or(Path::new("")))),
        Ok(Err(e)) => Err(format!("{}: not a copydesk baseline: {e}", p.display())),
        Err(e) => Err(format!(
            "{}: cannot read the baseline: {}",
            p.display(),
            io_reason(&e)
        )),
    }
}

/// Standard input, read up front on this thread: one slot per input, filled
/// for the inputs that are standard input, for a worker to take.
fn read_stdin(
    inputs: &[Input],
    stdin: &mut dyn Read,
    stderr: &mut dyn Write,
    failed: &mut bool,
) -> io::Result<Vec<Mutex<Option<Vec<u8>>>>> {
    let mut data = Vec::with_capacity(inputs.len());
    for input in inputs {
        data.push(Mutex::new(match input {
            Input::Stdin(name) => {
                let mut buf = Vec::new();
                if let Err(e) = stdin.read_to_end(&mut buf) {
                    writeln!(
                        stderr,
                        "copydesk: error: {name}: cannot read standard input: {e}"
                    )?;
                    *failed = true;
                }
                Some(buf)
            }
            Input::File(_) => None,
        }));
    }
    Ok(data)
}

fn severity_floor(f: FailOn) -> Severity {
    match f {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
        FailOn::Note => Severity::Note,
    }
}

/// The files the reports of `plan` go to, started (empty) before anything
/// is checked, so a path that cannot be written stops the run at once.
fn report_files(plan: &Plan, inputs: &[Input]) -> Result<Vec<Option<ReportFile>>, String> {
    let mut files = Vec::with_capacity(plan.reports.len());
    for (_, dest) in &plan.reports {
        files.push(match dest {
            Dest::Main => None,
            Dest::File(p) => {
                if let Some(draft) = is_an_input(p, inputs) {
                    return Err(format!(
                        "{}: is a draft being checked ({draft}); a report there would replace \
                         it",
                        p.display()
                    ));
                }
                Some(ReportFile::create(p)?)
            }
        });
    }
    Ok(files)
}

/// The input that `path` names too, if any (compared as the files they
/// resolve to; only inputs of the same file name are looked at).
fn is_an_input(path: &Path, inputs: &[Input]) -> Option<String> {
    let target = std::fs::canonicalize(path).ok()?;
    inputs.iter().find_map(|i| match i {
        Input::File(p)
            if p.file_name() == target.file_name()
                && std::fs::canonicalize(p).is_ok_and(|c| c == target) =>
        {
            Some(p.display().to_string())
        }
        _ => None,
    })
}

fn reporter(
    format: Format,
    color: bool,
    summary: bool,
    threads: usize,
    floor: Severity,
) -> Box<dyn Reporter> {
    match format {
        Format::Human => Box::new(report::human::Human { color, summary }),
        Format::Short => Box::new(report::short::Short),
        Format::Json => Box::new(report::json::Json::with_threads(threads)),
        Format::Sarif => Box::new(report::sarif::Sarif::default()),
        Format::Github => Box::new(report::github::Github),
        Format::Rdjson => Box::new(report::rdjson::Rdjson::default()),
        Format::Gitlab => Box::new(report::gitlab::Gitlab::default()),
        Format::Checkstyle => Box::new(report::checkstyle::Checkstyle::default()),
        Format::Junit => Box::new(report::junit::Junit::new(floor)),
        Format::Html => Box::new(report::html::Html::default()),
    }
}

/// Which rules an input's outcome lists (for the reports that name them).
#[derive(Clone, Copy, PartialEq, Eq)]
enum RuleList {
    None,
    /// Those that found something (for --statistics' summaries).
    Fired,
    /// Every rule that ran (for SARIF's driver).
    All,
}

/// What checking one input produced.
struct Outcome {
    result: Option<FileResult>,
    /// Rules that ran on this file, as `RuleList` asks.
    rules: Vec<report::RuleMeta>,
    fixed: usize,
    /// The config's include / exclude patterns leave the input out.
    excluded: bool,
    /// Findings the baseline hid.
    hidden: usize,
    /// With --diff: the unified diff of what --fix would change.
    diff: Option<String>,
    /// With --fix on stdin: the fixed text.
    fixed_text: Option<String>,
    /// Problems to report on stderr and in the report (the run's exit
    /// code becomes 2).
    errors: Vec<Problem>,
    load_errors: Vec<LoadError>,
}

impl Outcome {
    fn empty() -> Outcome {
        Outcome {
            result: None,
            rules: Vec::new(),
            fixed: 0,
            excluded: false,
            hidden: 0,
            diff: None,
            fixed_text: None,
            errors: Vec::new(),
            load_errors: Vec::new(),
        }
    }

    /// Whether reporting this outcome may write to the terminal (findings,
    /// errors, a diff or a fixed text).
    fn may_print(&self) -> bool {
        !self.errors.is_empty()
            || !self.load_errors.is_empty()
            || self.diff.is_some()
            || self.fixed_text.is_some()
            || self.result.as_ref().is_some_and(|r| !r.findings.is_empty())
    }
}

/// Why an input is not checked.
enum Skip {
    /// The config's include / exclude patterns leave it out.
    Excluded,
    /// The config that applies to it fails to load.
    Config(Vec<LoadError>),
    /// It cannot be read, or is not text.
    Error(Problem),
}

impl From<Skip> for Outcome {
    fn from(skip: Skip) -> Outcome {
        let mut o = Outcome::empty();
        match skip {
            Skip::Excluded => o.excluded = true,
            Skip::Config(errors) => o.load_errors = errors,
            Skip::Error(msg) => o.errors.push(msg),
        }
        o
    }
}

/// Everything `check` needs that does not change from file to file.
struct CheckRun<'a> {
    args: &'a CheckArgs,
    rule_list: RuleList,
    opts: CheckOptions,
    resolver: Resolver,
    baseline: Option<Baseline>,
}

/// One input, read and ready to check.
struct Loaded {
    display: String,
    path: Option<PathBuf>,
    settings: Arc<Settings>,
    source: Source,
}

impl CheckRun<'_> {
    /// Check (and with --fix, fix) one input.
    fn process(&self, input: &Input, stdin_bytes: Option<Vec<u8>>) -> Outcome {
        let Loaded {
            display,
            path,
            settings,
            mut source,
        } = match self.load(input, stdin_bytes) {
            Ok(loaded) => loaded,
            Err(skip) => return skip.into(),
        };
        let mut outcome = Outcome::empty();
        let mut findings = engine::check(&mut source, &settings.rules, &self.opts);
        if (self.args.fix || self.args.diff) && findings.iter().any(|f| f.fix.is_some()) {
            (source, findings) = self.fix(
                &display,
                path.as_deref(),
                &settings,
                source,
                findings,
                &mut outcome,
            );
        }
        if self.args.fix && !self.args.diff && path.is_none() && outcome.fixed_text.is_none() {
            // --fix on standard input always gives the text back on stdout,
            // changed or not.
            outcome.fixed_text = Some(source.to_file_contents(&source.text));
        }
        if let Some(b) = &self.baseline {
            let before = findings.len();
            b.filter(&source, &mut findings);
            outcome.hidden = before - findings.len();
        }
        outcome.rules = self.rules_that_run(&settings, &findings);
        outcome.result = Some(FileResult { source, findings });
        outcome
    }

    /// The settings for an input and its text, or why it is not checked.
    fn load(&self, input: &Input, stdin_bytes: Option<Vec<u8>>) -> Result<Loaded, Skip> {
        let (display, path) = match input {
            Input::Stdin(name) => (name.clone(), None),
            Input::File(p) => (p.display().to_string(), Some(p.clone())),
        };
        let settings = match self
            .resolver
            .for_path(path.as_deref().or(Some(Path::new(&display))))
        {
            Ok(s) => s,
            Err(errors) => return Err(Skip::Config(errors)),
        };
        if let Some(p) = &path
            && !settings.wants(p)
        {
            return Err(Skip::Excluded);
        }
        let bytes = match (&path, stdin_bytes) {
            (Some(p), _) => match crate::source::read_file(p, self.opts.rule_threads) {
                Ok(b) => b,
                Err(e) => {
                    return Err(Skip::Error(Problem {
                        path: display,
                        message: format!("cannot read: {}", io_reason(&e)),
                    }));
                }
            },
            (None, Some(b)) => b,
            (None, None) => Vec::new(),
        };
        let source = match Source::from_bytes(display.clone(), bytes) {
            Ok(s) => s,
            Err(e) => {
                return Err(Skip::Error(Problem {
                    path: display,
                    message: e.to_string(),
                }));
            }
        };
        Ok(Loaded {
            display,
            path,
            settings,
            source,
        })
    }

    /// The rules that run on a file, for the reporters that list them:
    /// all of them for SARIF, those with findings for --statistics, none
    /// otherwise (building the list costs).
    fn rules_that_run(&self, settings: &Settings, findings: &[Finding]) -> Vec<report::RuleMeta> {
        let fired: rustc_hash::FxHashSet<&str> = findings.iter().map(|f| &*f.rule).collect();
        match self.rule_list {
            RuleList::None => Vec::new(),
            RuleList::Fired if findings.is_empty() => Vec::new(),
            list => settings
                .rules
                .iter()
                .filter(|r| self.opts.enabled(r))
                .filter(|r| list == RuleList::All || fired.contains(r.id.as_str()))
                .map(report::RuleMeta::of)
                .collect(),
        }
    }

    /// Apply fixes until the text is stable, then write the fixed text (to
    /// the file, to `outcome` for standard input, or as a diff with
    /// --diff). Returns the source and findings to report: those of the
    /// fixed text, or the original ones when the fixes cannot be written.
    fn fix(
        &self,
        display: &str,
        path: Option<&Path>,
        settings: &Settings,
        source: Source,
        findings: Vec<Finding>,
        outcome: &mut Outcome,
    ) -> (Source, Vec<Finding>) {
        let before = findings.clone();
        let fixed = engine::fix(
            &source,
            findings,
            &settings.rules,
            &self.opts,
            self.args.unsafe_fixes,
        );
        if let Some(fight) = fixed.fighting_message() {
            outcome.errors.push(Problem {
                path: display.to_string(),
                message: format!("{fight}; fix these by hand or turn one rule off"),
            });
        }
        if fixed.text == source.text {
            return (source, fixed.findings);
        }
        let written = if self.args.diff {
            // The diff is of the file's bytes, BOM included, as --fix writes
            // them: a patch applies to the file on disk.
            outcome.diff = Some(fix::unified_diff(
                display,
                &source.to_file_contents(&source.text),
                &source.to_file_contents(&fixed.text),
            ));
            Ok(())
        } else if let Some(p) = path {
            let contents = source.to_file_contents(&fixed.text);
            fix::write_fixed(p, contents.as_bytes())
        } else {
            outcome.fixed_text = Some(source.to_file_contents(&fixed.text));
            Ok(())
        };
        match written {
            Ok(()) => {
                outcome.fixed = fixed.applied;
                let mut now = Source::new(display.to_string(), fixed.text);
                now.bom = source.bom;
                (now, fixed.findings)
            }
            Err(e) => {
                // The story is as it was: report what is in it.
                outcome.errors.push(Problem {
                    path: display.to_string(),
                    message: format!("cannot write the fixes: {}", io_reason(&e)),
                });
                (source, before)
            }
        }
    }
}

/// One report of a run, and the file it goes to (none: the main report, on
/// standard output).
struct Report {
    reporter: Box<dyn Reporter>,
    file: Option<ReportFile>,
}

/// The reporting side of a run: takes each input's outcome in input order,
/// hands it to every report, and keeps what the exit code and the reports'
/// end need.
struct Tally {
    /// The main report first.
    reports: Vec<Report>,
    floor: Severity,
    diff: bool,
    /// With --fix on standard input, stdout carries the text (fixed or
    /// not): the report, in whatever format, goes to stderr.
    text_on_stdout: bool,
    totals: Totals,
    rules_seen: BTreeMap<String, report::RuleMeta>,
    /// Config files whose load errors are already reported.
    reported_configs: Vec<String>,
    failed: bool,
    over_floor: bool,
    any_diff: bool,
    /// Inputs given, and those the include / exclude patterns left out.
    inputs: usize,
    excluded: usize,
    /// With --baseline: the findings it hid.
    hidden: Option<usize>,
    /// With --fix (not --diff): the files it changed. The count of fixes
    /// is in `totals`.
    fixed_files: Option<usize>,
    /// The main report is one whose summary line says what --fix did.
    human: bool,
    quiet: bool,
}

/// The writer a report goes to: its file, or standard output (standard
/// error when standard output carries --fix's text).
fn sink<'w>(
    file: &'w mut Option<ReportFile>,
    out: &'w mut dyn Write,
    stderr: &'w mut dyn Write,
    text_on_stdout: bool,
) -> &'w mut dyn Write {
    match file {
        Some(f) => f.writer(),
        None if text_on_stdout => stderr,
        None => out,
    }
}

impl Tally {
    fn new(
        args: &CheckArgs,
        inputs: &[Input],
        plan: &Plan,
        files: Vec<Option<ReportFile>>,
        is_terminal: bool,
        threads: usize,
    ) -> Tally {
        let floor = severity_floor(args.fail_on);
        let main_format = plan.main_format();
        let reports = plan
            .reports
            .iter()
            .zip(files)
            .enumerate()
            .map(|(i, ((format, _), file))| {
                let reporter = if i == 0 && args.statistics {
                    Box::new(report::statistics::Statistics::new(
                        *format == Format::Json,
                        !args.quiet,
                    ))
                } else if i == 0 {
                    // Colour never goes to a file; --quiet leaves out the
                    // summary of the report people read, not of a file.
                    let color = file.is_none() && use_color(args.color, is_terminal);
                    reporter(*format, color, !args.quiet, threads, floor)
                } else {
                    reporter(*format, false, true, threads, floor)
                };
                Report { reporter, file }
            })
            .collect();
        Tally {
            reports,
            floor: severity_floor(args.fail_on),
            diff: args.diff,
            text_on_stdout: args.fix
                && !args.diff
                && inputs.iter().any(|i| matches!(i, Input::Stdin(_))),
            totals: Totals::default(),
            rules_seen: BTreeMap::new(),
            reported_configs: Vec::new(),
            failed: false,
            over_floor: false,
            any_diff: false,
            inputs: inputs.len(),
            excluded: 0,
            hidden: args.baseline.as_ref().map(|_| 0),
            fixed_files: (args.fix && !args.diff).then_some(0),
            human: if args.statistics {
                main_format != Format::Json
            } else {
                main_format == Format::Human
            },
            quiet: args.quiet,
        }
    }

    /// Report a file that could not be checked or fixed: on stderr, and in
    /// the report (which goes to stderr when stdout carries the text).
    fn problem(
        &mut self,
        problem: &Problem,
        out: &mut dyn Write,
        stderr: &mut dyn Write,
    ) -> io::Result<()> {
        out.flush()?;
        writeln!(stderr, "copydesk: error: {problem}")?;
        self.failed = true;
        if self.diff {
            return Ok(());
        }
        for r in &mut self.reports {
            let w = sink(&mut r.file, &mut *out, &mut *stderr, self.text_on_stdout);
            r.reporter.problem(w, problem)?;
        }
        Ok(())
    }

    /// Report one input's outcome: its errors on `stderr` (after flushing
    /// `out`, so the two streams interleave in order), then its diff, fixed
    /// text or findings.
    fn take(
        &mut self,
        outcome: Outcome,
        out: &mut dyn Write,
        stderr: &mut dyn Write,
        timings: Option<&engine::Timings>,
    ) -> io::Result<()> {
        if !outcome.load_errors.is_empty() {
            self.failed = true;
            let key = outcome.load_errors[0].path.clone();
            if !self.reported_configs.contains(&key) {
                out.flush()?;
                report_load_errors(stderr, &outcome.load_errors)?;
                self.reported_configs.push(key);
            }
        }
        for e in &outcome.errors {
            self.problem(e, out, stderr)?;
        }
        for r in outcome.rules {
            self.rules_seen.entry(r.id.clone()).or_insert(r);
        }
        self.totals.fixed += outcome.fixed;
        if outcome.fixed > 0
            && let Some(n) = &mut self.fixed_files
        {
            *n += 1;
        }
        self.excluded += usize::from(outcome.excluded);
        if let Some(n) = &mut self.hidden {
            *n += outcome.hidden;
        }
        if self.diff {
            if let Some(d) = outcome.diff {
                self.any_diff = true;
                out.write_all(d.as_bytes())?;
            }
            return Ok(());
        }
        if let Some(text) = outcome.fixed_text {
            out.write_all(text.as_bytes())?;
        }
        if let Some(result) = outcome.result {
            self.over_floor |= result.findings.iter().any(|f| f.severity >= self.floor);
            self.totals.add(&result.findings);
            let start = std::time::Instant::now();
            for r in &mut self.reports {
                let w = sink(&mut r.file, &mut *out, &mut *stderr, self.text_on_stdout);
                r.reporter.file(w, &result)?;
            }
            if let Some(t) = timings {
                t.add("(report)", start.elapsed());
            }
        }
        Ok(())
    }

    /// End the reports, put those for files in place, and give the exit
    /// code: 2 after an error, 1 with a diff (--diff) or a finding at or
    /// above --fail-on, else 0.
    fn finish(mut self, out: &mut dyn Write, stderr: &mut dyn Write) -> io::Result<i32> {
        let hit = if self.diff {
            self.any_diff
        } else {
            self.totals.rules = std::mem::take(&mut self.rules_seen).into_values().collect();
            self.totals.fix_run = self.fixed_files.is_some();
            if self.text_on_stdout {
                out.flush()?;
            }
            for r in &mut self.reports {
                let w = sink(&mut r.file, &mut *out, &mut *stderr, self.text_on_stdout);
                r.reporter.finish(w, &self.totals)?;
            }
            self.over_floor
        };
        out.flush()?;
        for r in std::mem::take(&mut self.reports) {
            if let Some(file) = r.file
                && let Err(e) = file.keep()
            {
                writeln!(stderr, "copydesk: error: {e}")?;
                self.failed = true;
            }
        }
        self.notes(stderr)?;
        Ok(if self.failed {
            FAILURE
        } else if hit {
            FINDINGS
        } else {
            OK
        })
    }
}

impl Tally {
    /// What the report does not show on its own, on stderr: that nothing
    /// was checked, what the baseline hid, and (for the formats other than
    /// the human one, whose summary line says it) what --fix did.
    fn notes(&self, stderr: &mut dyn Write) -> io::Result<()> {
        // A machine-readable report on stderr (--fix on standard input)
        // stays whole there, for the editor that reads it.
        if (self.text_on_stdout && !self.human) || self.quiet {
            return Ok(());
        }
        let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
        if self.inputs > 0 && self.excluded == self.inputs {
            writeln!(
                stderr,
                "copydesk: note: the config's include / exclude patterns leave out every file \
                 given ({}); nothing was checked",
                plural(self.excluded, "file")
            )?;
        }
        if let Some(n) = self.hidden {
            writeln!(
                stderr,
                "copydesk: the baseline hid {}",
                plural(n, "finding")
            )?;
        }
        if let Some(files) = self.fixed_files
            && !self.human
        {
            writeln!(
                stderr,
                "copydesk: --fix made {} in {}",
                match self.totals.fixed {
                    1 => "1 fix".to_string(),
                    n => format!("{n} fixes"),
                },
                plural(files, "file")
            )?;
        }
        Ok(())
    }
}

/// The `--timings` table: milliseconds and share per stage and rule.
fn write_timings(w: &mut dyn Write, t: &engine::Timings) -> io::Result<()> {
    let rows = t.sorted();
    let total: f64 = rows.iter().map(|(_, d)| d.as_secs_f64()).sum();
    writeln!(w, "{:>10}  {:>5}  stage or rule", "ms", "share")?;
    for (what, d) in &rows {
        let s = d.as_secs_f64();
        let share = if total > 0.0 { s / total * 100.0 } else { 0.0 };
        writeln!(w, "{:>10.1}  {:>4.1}%  {what}", s * 1000.0, share)?;
    }
    writeln!(w, "{:>10.1}  100.0%  total", total * 1000.0)
}
