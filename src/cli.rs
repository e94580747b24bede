//! The command line. Everything here writes to the writers it is given, so
//! tests can run it in-process; `main.rs` only wires up stdout and stderr.

use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::baseline::Baseline;
use crate::config::{ConfigChoice, Resolver, Settings};
use crate::engine::{self, CheckOptions};
use crate::error::{LoadError, did_you_mean};
use crate::examples;
use crate::finding::Severity;
use crate::fix;
use crate::report::{self, FileResult, Reporter, Totals};
use crate::ruleset::RuleSet;
use crate::source::Source;

mod names;

const ABOUT: &str = "copydesk: an editorial linter for news copy.

It reads drafts (plain text or Markdown) and reports what a copy editor would
catch, with exact line and column: a paragraph pasted twice, the headline
repeated in the body, names used inconsistently, figures with no source, and
house-style slips. Rules are TOML files; `copydesk rules` lists them.";

const AFTER_HELP: &str = "Examples:
  copydesk check story.md                 check one draft
  copydesk check stories/                 check every .txt and .md file in a folder
  copydesk check --format short drafts/   one line per finding
  cat draft.txt | copydesk check -        check standard input
  copydesk rule repeated-paragraph        explain a rule

Exit codes: 0 nothing at or above --fail-on, 1 findings, 2 a usage, config or file error.";

#[derive(Parser, Debug)]
#[command(name = "copydesk", version, about = ABOUT, after_help = AFTER_HELP)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check drafts for problems (files, folders, or - for standard input)
    Check(CheckArgs),
    /// List every rule: id, kind, severity, whether it can fix, summary
    Rules(RulesArgs),
    /// Explain one rule: why it exists, its examples, its parameters
    Rule {
        /// The rule id, as `copydesk rules` shows it
        id: String,
        #[command(flatten)]
        config: ConfigArgs,
    },
    /// Record the current findings as accepted (for `check --baseline`)
    Baseline(BaselineArgs),
    /// Show the names list: each person, the spellings flagged, titles, source
    Names(names::NamesArgs),
    /// Run the examples in rule files (a newsroom's own folder, or the active rules)
    Test {
        /// Folder of rule files; default: the rules that `check` would use here
        dir: Option<PathBuf>,
        #[command(flatten)]
        config: ConfigArgs,
    },
}

#[derive(Args, Debug, Clone)]
pub struct ConfigArgs {
    /// Use this config file instead of looking for copydesk.toml
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Ignore copydesk.toml files: built-in rules only
    #[arg(long)]
    pub no_config: bool,
}

impl ConfigArgs {
    fn choice(&self) -> ConfigChoice {
        if self.no_config {
            ConfigChoice::None
        } else if let Some(c) = &self.config {
            ConfigChoice::File(c.clone())
        } else {
            ConfigChoice::Discover
        }
    }
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Readable diagnostics with the text underlined
    Human,
    /// path:line:col: severity[rule] message
    Short,
    /// A JSON array of findings
    Json,
    /// SARIF 2.1.0 (GitHub code scanning)
    Sarif,
    /// GitHub Actions annotations
    Github,
    /// reviewdog diagnostic format
    Rdjson,
    /// GitLab Code Quality report
    Gitlab,
    /// Checkstyle XML
    Checkstyle,
    /// JUnit XML
    Junit,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailOn {
    Error,
    Warning,
    Note,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Files or folders to check; `-` reads standard input [default: .]
    pub paths: Vec<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Lowest severity that makes the exit code 1
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
    /// Only run these rules (comma-separated ids)
    #[arg(long, value_delimiter = ',', value_name = "ID,...")]
    pub select: Vec<String>,
    /// Never run these rules (comma-separated ids)
    #[arg(long, value_delimiter = ',', value_name = "ID,...")]
    pub ignore: Vec<String>,
    /// The headline, when the draft does not make it clear
    #[arg(long, value_name = "TEXT")]
    pub headline: Option<String>,
    /// Name to show for standard input (also decides Markdown or text)
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<String>,
    /// Colour: auto (when writing to a terminal and NO_COLOR is unset), always, never
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Apply safe fixes to the files (written atomically); report what remains
    #[arg(long)]
    pub fix: bool,
    /// With --fix or --diff: apply unsafe fixes too
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Print a unified diff of what --fix would change, and change nothing
    #[arg(long, conflicts_with = "fix")]
    pub diff: bool,
    /// Report only findings not recorded in this baseline file
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Check files on this many threads [default: all cores]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,
    /// After the report, print to stderr the time spent per rule (for rule
    /// authors and benchmarks)
    #[arg(long)]
    pub timings: bool,
    #[command(flatten)]
    pub config: ConfigArgs,
}

#[derive(Args, Debug)]
pub struct BaselineArgs {
    /// Files or folders whose current findings are accepted [default: .]
    pub paths: Vec<PathBuf>,
    /// Where to write the baseline
    #[arg(long, short, value_name = "FILE", default_value = crate::baseline::DEFAULT_FILE)]
    pub output: PathBuf,
    /// The headline, when drafts do not make it clear
    #[arg(long, value_name = "TEXT")]
    pub headline: Option<String>,
    #[command(flatten)]
    pub config: ConfigArgs,
}

#[derive(Args, Debug)]
pub struct RulesArgs {
    /// Output format: human (a table) or json
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    #[command(flatten)]
    pub config: ConfigArgs,
}

/// Exit codes.
pub const OK: i32 = 0;
pub const FINDINGS: i32 = 1;
pub const FAILURE: i32 = 2;

/// Run the command line with the given arguments; returns the exit code.
pub fn run(
    args: Vec<std::ffi::OsString>,
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
    stdout_is_terminal: bool,
) -> i32 {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { FAILURE } else { OK };
            let text = if stdout_is_terminal && code == OK {
                e.render().ansi().to_string()
            } else {
                e.render().to_string()
            };
            let w: &mut dyn Write = if code == OK { stdout } else { stderr };
            let _ = w.write_all(text.as_bytes());
            return code;
        }
    };
    // A reader that stops reading (`copydesk check | head -1`) must not
    // change the exit code: output to a closed pipe is dropped and the run
    // goes on to its verdict.
    let mut stdout = PipeGuard {
        inner: stdout,
        closed: false,
    };
    let stdout: &mut dyn Write = &mut stdout;
    let result = match cli.command {
        Command::Check(args) => check(args, stdin, stdout, stderr, stdout_is_terminal),
        Command::Rules(args) => rules(args, stdout, stderr),
        Command::Rule { id, config } => rule(&id, &config, stdout, stderr),
        Command::Test { dir, config } => test(dir.as_deref(), &config, stdout, stderr),
        Command::Baseline(args) => baseline_command(args, stdout, stderr),
        Command::Names(args) => names::names(args, stdout, stderr),
    };
    match result {
        Ok(code) => code,
        // A closed pipe (`copydesk check | head`) ends the run quietly.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => OK,
        Err(e) => {
            let _ = writeln!(stderr, "copydesk: error: {e}");
            FAILURE
        }
    }
}

/// A writer that drops what it is given once its reader has gone (a
/// broken pipe), instead of failing.
struct PipeGuard<'w> {
    inner: &'w mut dyn Write,
    closed: bool,
}

impl Write for PipeGuard<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.closed {
            return Ok(buf.len());
        }
        match self.inner.write(buf) {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(buf.len())
            }
            other => other,
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.closed {
            return Ok(());
        }
        match self.inner.flush() {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(())
            }
            other => other,
        }
    }
}

fn use_color(choice: ColorChoice, is_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

fn stderr_color() -> bool {
    io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

fn report_load_errors(stderr: &mut dyn Write, errors: &[LoadError]) -> io::Result<()> {
    let color = stderr_color();
    for e in errors {
        report::human::load_error(stderr, e, color)?;
    }
    Ok(())
}

/// One input: a path on disk or standard input.
enum Input {
    Stdin(String),
    File(PathBuf),
}

/// Is the whole input at most `LITTLE_TEXT` bytes (standard input counted
/// as little: it is a draft in an editor)?
fn little_text(inputs: &[Input]) -> bool {
    let mut total: u64 = 0;
    for input in inputs {
        if let Input::File(p) = input {
            total += std::fs::metadata(p).map_or(0, |m| m.len());
            if total > LITTLE_TEXT {
                return false;
            }
        }
    }
    true
}

const LITTLE_TEXT: u64 = 256 * 1024;

/// Expand the command-line paths into files, in a stable order.
fn collect_inputs(
    paths: &[PathBuf],
    stdin_name: Option<&str>,
    errors: &mut Vec<String>,
) -> Vec<Input> {
    let mut out = Vec::new();
    let default = [PathBuf::from(".")];
    let paths = if paths.is_empty() {
        &default[..]
    } else {
        paths
    };
    for p in paths {
        if p.as_os_str() == "-" {
            out.push(Input::Stdin(stdin_name.unwrap_or("-").to_string()));
        } else if p.is_dir() {
            let mut found = Vec::new();
            let walker = ignore::WalkBuilder::new(p)
                .hidden(true)
                .git_ignore(true)
                .require_git(false)
                .sort_by_file_path(|a, b| a.cmp(b))
                .build();
            for entry in walker {
                match entry {
                    Ok(e) => {
                        if e.file_type().is_some_and(|t| t.is_file()) && is_draft(e.path()) {
                            found.push(e.into_path());
                        }
                    }
                    Err(e) => errors.push(format!("{}: {e}", p.display())),
                }
            }
            out.extend(found.into_iter().map(Input::File));
        } else if p.exists() {
            out.push(Input::File(p.clone()));
        } else {
            errors.push(format!("{}: no such file or folder", p.display()));
        }
    }
    // A file named twice (`a.txt a.txt`, `dir dir/a.txt`, a link and its
    // target) is checked once, under the name it was first given: two
    // checks would race to write its fixes.
    let mut seen = std::collections::HashSet::new();
    out.retain(|input| match input {
        Input::Stdin(_) => true,
        Input::File(p) => seen.insert(std::fs::canonicalize(p).unwrap_or_else(|_| p.clone())),
    });
    out
}

/// File types checked when walking a folder.
fn is_draft(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "txt" | "md" | "markdown"))
}

fn severity_floor(f: FailOn) -> Severity {
    match f {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
        FailOn::Note => Severity::Note,
    }
}

/// What checking one input produced.
struct Outcome {
    result: Option<FileResult>,
    /// Rules that ran on this file (for SARIF's driver).
    rules: Vec<report::RuleMeta>,
    fixed: usize,
    /// With --diff: the unified diff of what --fix would change.
    diff: Option<String>,
    /// With --fix on stdin: the fixed text.
    fixed_text: Option<String>,
    /// Problems to report on stderr (the run's exit code becomes 2).
    errors: Vec<String>,
    load_errors: Vec<LoadError>,
}

impl Outcome {
    fn empty() -> Outcome {
        Outcome {
            result: None,
            rules: Vec::new(),
            fixed: 0,
            diff: None,
            fixed_text: None,
            errors: Vec::new(),
            load_errors: Vec::new(),
        }
    }

    fn error(msg: String) -> Outcome {
        let mut o = Outcome::empty();
        o.errors.push(msg);
        o
    }
}

/// Everything `check` needs that does not change from file to file.
struct CheckRun<'a> {
    args: &'a CheckArgs,
    opts: CheckOptions,
    resolver: Resolver,
    baseline: Option<Baseline>,
}

impl CheckRun<'_> {
    /// Check (and with --fix, fix) one input.
    fn process(&self, input: &Input, stdin_bytes: Option<Vec<u8>>) -> Outcome {
        let (display, path) = match input {
            Input::Stdin(name) => (name.clone(), None),
            Input::File(p) => (p.display().to_string(), Some(p.clone())),
        };
        let settings = match self
            .resolver
            .for_path(path.as_deref().or(Some(Path::new(&display))))
        {
            Ok(s) => s,
            Err(errors) => {
                let mut o = Outcome::empty();
                o.load_errors = errors;
                return o;
            }
        };
        if let Some(p) = &path
            && !settings.wants(p)
        {
            return Outcome::empty();
        }
        let bytes = match (&path, stdin_bytes) {
            (Some(p), _) => match crate::source::read_file(p, self.opts.rule_threads) {
                Ok(b) => b,
                Err(e) => {
                    return Outcome::error(format!("{display}: cannot read: {}", io_reason(&e)));
                }
            },
            (None, Some(b)) => b,
            (None, None) => Vec::new(),
        };
        let source = match Source::from_bytes(display.clone(), bytes) {
            Ok(s) => s,
            Err(e) => return Outcome::error(format!("{display}: {e}")),
        };
        // Only SARIF lists the rules that ran; building the list costs, so
        // skip it for the other formats.
        let rules: Vec<report::RuleMeta> = if self.args.format == Format::Sarif {
            settings
                .rules
                .iter()
                .filter(|r| self.opts.enabled(r))
                .map(report::RuleMeta::of)
                .collect()
        } else {
            Vec::new()
        };
        let mut outcome = Outcome::empty();
        outcome.rules = rules;

        let want_fix = self.args.fix || self.args.diff;
        let mut source = source;
        let mut findings = engine::check(&mut source, &settings.rules, &self.opts);
        if want_fix && findings.iter().any(|f| f.fix.is_some()) {
            let before = findings.clone();
            let fixed =
                fix::fix_until_stable(&source.text, findings, self.args.unsafe_fixes, |text| {
                    let mut current = Source::new(display.clone(), text);
                    engine::check(&mut current, &settings.rules, &self.opts)
                });
            if !fixed.fighting.is_empty() {
                outcome.errors.push(format!(
                    "{display}: the fixes of {} undo one another; fix these by hand or turn one rule off",
                    fixed.fighting.iter().map(|r| format!("`{r}`")).collect::<Vec<_>>().join(" and ")
                ));
            }
            findings = fixed.findings;
            if fixed.text != source.text {
                let written = if self.args.diff {
                    outcome.diff = Some(crate::fix::unified_diff(
                        &display,
                        &source.text,
                        &fixed.text,
                    ));
                    Ok(())
                } else if let Some(p) = &path {
                    let contents = source.to_file_contents(&fixed.text);
                    fix::write_fixed(p, contents.as_bytes())
                } else {
                    outcome.fixed_text = Some(source.to_file_contents(&fixed.text));
                    Ok(())
                };
                match written {
                    Ok(()) => {
                        outcome.fixed = fixed.applied;
                        let bom = source.bom;
                        source = Source::new(display.clone(), fixed.text);
                        source.bom = bom;
                    }
                    Err(e) => {
                        // The story is as it was: report what is in it.
                        outcome.errors.push(format!(
                            "{display}: cannot write the fixes: {}",
                            io_reason(&e)
                        ));
                        findings = before;
                    }
                }
            }
        }
        if self.args.fix && !self.args.diff && path.is_none() && outcome.fixed_text.is_none() {
            // --fix on standard input always gives the text back on stdout,
            // changed or not.
            outcome.fixed_text = Some(source.to_file_contents(&source.text));
        }
        if let Some(b) = &self.baseline {
            b.filter(&source, &mut findings);
        }
        outcome.result = Some(FileResult { source, findings });
        outcome
    }
}

fn check(
    args: CheckArgs,
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
    is_terminal: bool,
) -> io::Result<i32> {
    let mut walk_errors = Vec::new();
    let inputs = collect_inputs(
        &args.paths,
        args.stdin_filename.as_deref(),
        &mut walk_errors,
    );
    // A run over little text (a pre-commit hook, an editor) spends more on
    // building its regexes than on running them: build them lean.
    let resolver = Resolver::new(args.config.choice()).lean(little_text(&inputs));
    let mut failed = false;
    let mut reported_configs: Vec<String> = Vec::new();

    // Validate --select / --ignore against the rules that apply here.
    let here = match resolver.for_path(None) {
        Ok(s) => s,
        Err(errors) => {
            report_load_errors(stderr, &errors)?;
            return Ok(FAILURE);
        }
    };
    for id in args.select.iter().chain(&args.ignore) {
        if here.rules.get(id).is_none() {
            let hint = did_you_mean(id, here.rules.ids())
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            writeln!(
                stderr,
                "copydesk: error: unknown rule id `{id}`{hint}; `copydesk rules` lists them"
            )?;
            return Ok(FAILURE);
        }
    }
    let baseline = match &args.baseline {
        None => None,
        Some(p) => match std::fs::read_to_string(p).map(|t| Baseline::from_json(&t)) {
            Ok(Ok(b)) => Some(b),
            Ok(Err(e)) => {
                writeln!(
                    stderr,
                    "copydesk: error: {}: not a copydesk baseline: {e}",
                    p.display()
                )?;
                return Ok(FAILURE);
            }
            Err(e) => {
                writeln!(
                    stderr,
                    "copydesk: error: {}: cannot read the baseline: {}",
                    p.display(),
                    io_reason(&e)
                )?;
                return Ok(FAILURE);
            }
        },
    };
    let threads = args
        .threads
        .map(usize::from)
        .unwrap_or_else(crate::parallel::default_threads);
    let run = CheckRun {
        args: &args,
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

    for e in &walk_errors {
        writeln!(stderr, "copydesk: error: {e}")?;
        failed = true;
    }
    let color = use_color(args.color, is_terminal);
    let mut reporter: Box<dyn Reporter> = match args.format {
        Format::Human => Box::new(report::human::Human { color }),
        Format::Short => Box::new(report::short::Short),
        Format::Json => Box::new(report::json::Json::with_threads(threads)),
        Format::Sarif => Box::new(report::sarif::Sarif::default()),
        Format::Github => Box::new(report::github::Github),
        Format::Rdjson => Box::new(report::rdjson::Rdjson::default()),
        Format::Gitlab => Box::new(report::gitlab::Gitlab::default()),
        Format::Checkstyle => Box::new(report::checkstyle::Checkstyle::default()),
        Format::Junit => Box::new(report::junit::Junit::default()),
    };
    let floor = severity_floor(args.fail_on);
    let mut totals = Totals::default();
    let mut rules_seen: std::collections::BTreeMap<String, report::RuleMeta> = Default::default();
    let mut over_floor = false;
    let mut any_diff = false;
    // With --fix on standard input, stdout carries the text (fixed or not):
    // the report, in whatever format, goes to stderr.
    let text_on_stdout =
        args.fix && !args.diff && inputs.iter().any(|i| matches!(i, Input::Stdin(_)));
    let mut out = io::BufWriter::new(stdout);

    // Standard input is read up front, on this thread.
    let mut stdin_data: Vec<Option<Vec<u8>>> = Vec::with_capacity(inputs.len());
    for input in &inputs {
        stdin_data.push(match input {
            Input::Stdin(name) => {
                let mut buf = Vec::new();
                if let Err(e) = stdin.read_to_end(&mut buf) {
                    writeln!(
                        stderr,
                        "copydesk: error: {name}: cannot read standard input: {e}"
                    )?;
                    failed = true;
                }
                Some(buf)
            }
            Input::File(_) => None,
        });
    }
    let stdin_data: Vec<std::sync::Mutex<Option<Vec<u8>>>> =
        stdin_data.into_iter().map(std::sync::Mutex::new).collect();
    crate::parallel::ordered_map(
        inputs.len(),
        threads,
        |i| {
            let bytes = stdin_data[i].lock().ok().and_then(|mut b| b.take());
            run.process(&inputs[i], bytes)
        },
        |outcome: Outcome| -> io::Result<()> {
            if !outcome.load_errors.is_empty() {
                failed = true;
                let key = outcome.load_errors[0].path.clone();
                if !reported_configs.contains(&key) {
                    out.flush()?;
                    report_load_errors(stderr, &outcome.load_errors)?;
                    reported_configs.push(key);
                }
            }
            for e in &outcome.errors {
                out.flush()?;
                writeln!(stderr, "copydesk: error: {e}")?;
                failed = true;
            }
            for r in outcome.rules {
                rules_seen.entry(r.id.clone()).or_insert(r);
            }
            totals.fixed += outcome.fixed;
            if args.diff {
                if let Some(d) = outcome.diff {
                    any_diff = true;
                    out.write_all(d.as_bytes())?;
                }
                return Ok(());
            }
            if let Some(text) = outcome.fixed_text {
                out.write_all(text.as_bytes())?;
            }
            if let Some(result) = outcome.result {
                over_floor |= result.findings.iter().any(|f| f.severity >= floor);
                totals.add(&result.findings);
                let start = std::time::Instant::now();
                if text_on_stdout {
                    reporter.file(stderr, &result)?;
                } else {
                    reporter.file(&mut out, &result)?;
                }
                if let Some(t) = &run.opts.timings {
                    t.add("(report)", start.elapsed());
                }
            }
            Ok(())
        },
    )?;
    if args.diff {
        out.flush()?;
        return Ok(if failed {
            FAILURE
        } else if any_diff {
            FINDINGS
        } else {
            OK
        });
    }
    totals.rules = rules_seen.into_values().collect();
    if text_on_stdout {
        out.flush()?;
        reporter.finish(stderr, &totals)?;
    } else {
        reporter.finish(&mut out, &totals)?;
    }
    out.flush()?;
    if let Some(t) = &run.opts.timings {
        write_timings(stderr, t)?;
    }
    Ok(if failed {
        FAILURE
    } else if over_floor {
        FINDINGS
    } else {
        OK
    })
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

fn baseline_command(
    args: BaselineArgs,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> io::Result<i32> {
    let resolver = Resolver::new(args.config.choice());
    let opts = CheckOptions {
        headline: args.headline.clone(),
        ..CheckOptions::default()
    };
    let mut walk_errors = Vec::new();
    let inputs = collect_inputs(&args.paths, None, &mut walk_errors);
    let mut failed = false;
    for e in &walk_errors {
        writeln!(stderr, "copydesk: error: {e}")?;
        failed = true;
    }
    let mut baseline = Baseline::new();
    let mut count = 0;
    for input in inputs {
        let Input::File(p) = input else { continue };
        let settings = match resolver.for_path(Some(&p)) {
            Ok(s) => s,
            Err(errors) => {
                report_load_errors(stderr, &errors)?;
                return Ok(FAILURE);
            }
        };
        if !settings.wants(&p) {
            continue;
        }
        let display = p.display().to_string();
        let mut source = match std::fs::read(&p)
            .map_err(|e| format!("cannot read: {}", io_reason(&e)))
            .and_then(|b| Source::from_bytes(display.clone(), b).map_err(|e| e.to_string()))
        {
            Ok(s) => s,
            Err(e) => {
                writeln!(stderr, "copydesk: error: {display}: {e}")?;
                failed = true;
                continue;
            }
        };
        let findings = engine::check(&mut source, &settings.rules, &opts);
        count += findings.len();
        baseline.add(&source, &findings);
    }
    let json = baseline.to_json();
    let written = if args.output.exists() {
        fix::write_fixed(&args.output, json.as_bytes())
    } else {
        std::fs::write(&args.output, json.as_bytes())
    };
    if let Err(e) = written {
        writeln!(
            stderr,
            "copydesk: error: {}: cannot write: {}",
            args.output.display(),
            io_reason(&e)
        )?;
        return Ok(FAILURE);
    }
    writeln!(
        stdout,
        "recorded {count} finding{} in {}; check with `copydesk check --baseline {}`",
        if count == 1 { "" } else { "s" },
        args.output.display(),
        args.output.display()
    )?;
    Ok(if failed { FAILURE } else { OK })
}

fn io_reason(e: &io::Error) -> String {
    if e.get_ref().is_some() {
        // An error copydesk made itself says what happened in its words.
        return e.to_string();
    }
    match e.kind() {
        io::ErrorKind::PermissionDenied => "permission denied".into(),
        io::ErrorKind::NotFound => "no such file".into(),
        _ => e.to_string(),
    }
}

fn settings_here(
    config: &ConfigArgs,
    stderr: &mut dyn Write,
) -> io::Result<Option<std::sync::Arc<Settings>>> {
    match Resolver::new(config.choice()).for_path(None) {
        Ok(s) => Ok(Some(s)),
        Err(errors) => {
            report_load_errors(stderr, &errors)?;
            Ok(None)
        }
    }
}

fn rules(args: RulesArgs, stdout: &mut dyn Write, stderr: &mut dyn Write) -> io::Result<i32> {
    let Some(settings) = settings_here(&args.config, stderr)? else {
        return Ok(FAILURE);
    };
    let set = &settings.rules;
    if args.format == Format::Json {
        let items: Vec<_> = set
            .iter()
            .map(|r| {
                serde_json::json!({
                    "id": r.id,
                    "kind": r.kind,
                    "severity": r.severity.as_str(),
                    "fixable": r.check.fixable(),
                    "summary": r.summary(),
                    "origin": r.origin,
                })
            })
            .collect();
        serde_json::to_writer_pretty(&mut *stdout, &items)?;
        writeln!(stdout)?;
        return Ok(OK);
    }
    let idw = set.ids().map(str::len).max().unwrap_or(2).max(2);
    let kw = set.iter().map(|r| r.kind.len()).max().unwrap_or(4).max(4);
    writeln!(
        stdout,
        "{:idw$}  {:kw$}  {:8}  {:3}  SUMMARY",
        "ID", "KIND", "SEVERITY", "FIX"
    )?;
    for r in set.iter() {
        writeln!(
            stdout,
            "{:idw$}  {:kw$}  {:8}  {:3}  {}",
            r.id,
            r.kind,
            r.severity.as_str(),
            if r.check.fixable() { "yes" } else { "-" },
            r.summary()
        )?;
    }
    writeln!(
        stdout,
        "\n{} rules. `copydesk rule ID` explains one.",
        set.len()
    )?;
    Ok(OK)
}

fn rule(
    id: &str,
    config: &ConfigArgs,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> io::Result<i32> {
    let Some(settings) = settings_here(config, stderr)? else {
        return Ok(FAILURE);
    };
    let Some(r) = settings.rules.get(id) else {
        let hint = did_you_mean(id, settings.rules.ids())
            .map(|s| format!(" (did you mean `{s}`?)"))
            .unwrap_or_default();
        writeln!(
            stderr,
            "copydesk: error: unknown rule id `{id}`{hint}; `copydesk rules` lists them"
        )?;
        return Ok(FAILURE);
    };
    writeln!(stdout, "{}", r.id)?;
    writeln!(
        stdout,
        "kind: {}    severity: {}    fixable: {}    from: {}",
        r.kind,
        r.severity,
        if r.check.fixable() { "yes" } else { "no" },
        r.origin
    )?;
    writeln!(stdout, "\nWhy\n{}", indent(&wrap(r.common.why.trim(), 76)))?;
    writeln!(stdout, "\nMessage\n{}", indent(&r.common.message))?;
    let params = r.parameters_toml();
    if !params.trim().is_empty() {
        writeln!(stdout, "\nParameters\n{}", indent(params.trim_end()))?;
    }
    if !r.examples().is_empty() {
        writeln!(stdout, "\nExamples")?;
        for (ex, _) in r.examples() {
            let (label, text) = match (&ex.bad, &ex.good) {
                (Some(b), _) => ("fires on", b),
                (_, Some(g)) => ("silent on", g),
                _ => continue,
            };
            writeln!(stdout, "  {label}:")?;
            writeln!(stdout, "{}", indent_by(text.trim_end(), "    | "))?;
            if let Some(fixed) = &ex.fixed {
                writeln!(stdout, "  after --fix:")?;
                writeln!(stdout, "{}", indent_by(fixed.trim_end(), "    | "))?;
            }
        }
    }
    Ok(OK)
}

fn test(
    dir: Option<&Path>,
    config: &ConfigArgs,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> io::Result<i32> {
    let set = match dir {
        Some(d) => {
            let mut set = RuleSet::default();
            if let Err(errors) = set.load_dir(d) {
                report_load_errors(stderr, &errors)?;
                return Ok(FAILURE);
            }
            set
        }
        None => match settings_here(config, stderr)? {
            Some(s) => s.rules.clone(),
            None => return Ok(FAILURE),
        },
    };
    let (mut passed, mut failed) = (0, 0);
    for r in set.iter() {
        let failures = examples::check_rule(r);
        let total = r.examples().len();
        failed += failures.len();
        passed += total - failures.len().min(total);
        for f in failures {
            writeln!(stdout, "{}:{}: {}: {}", f.origin, f.line, f.rule, f.message)?;
        }
    }
    writeln!(stdout, "examples: {passed} passed, {failed} failed")?;
    if passed + failed == 0 {
        // Nothing tested is not a pass: a wrong folder, or rules whose
        // examples were never written.
        writeln!(stderr, "copydesk: error: no rule examples found")?;
        return Ok(FINDINGS);
    }
    Ok(if failed > 0 { FINDINGS } else { OK })
}

fn indent(s: &str) -> String {
    indent_by(s, "  ")
}

fn indent_by(s: &str, prefix: &str) -> String {
    s.lines()
        .map(|l| format!("{prefix}{l}").trim_end().to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

fn wrap(s: &str, width: usize) -> String {
    let mut out = String::new();
    for para in s.split("\n\n") {
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        let mut line = String::new();
        for w in para.split_whitespace() {
            if !line.is_empty() && line.len() + 1 + w.len() > width {
                out.push_str(&line);
                out.push('\n');
                line.clear();
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(w);
        }
        out.push_str(&line);
    }
    out
}
