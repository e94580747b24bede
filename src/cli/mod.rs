//! The command line. Everything here writes to the writers it is given, so
//! tests can run it in-process; `main.rs` only wires up stdout and stderr.
//!
//! This module holds the clap definitions, the dispatch and the helpers the
//! subcommands share; each subcommand lives in its own file (`check`,
//! `rules` for `rules` and `rule`, `baseline`, `test`), with the expansion
//! of paths into inputs in `inputs`, terminal output in `output`, where a
//! check's reports go (`--format FORMAT=PATH`, `--output-file`) in
//! `reports`, and the progress bar of a long check in `progress`.

mod baseline;
mod check;
mod init;
mod inputs;
mod names;
mod output;
mod progress;
mod reports;
mod rules;
mod test;

use std::io::{self, Read, Write};
use std::path::PathBuf;
use std::sync::Arc;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

use crate::config::{ConfigChoice, Resolver, Settings};
use crate::error::did_you_mean;

use output::{PipeGuard, report_load_errors};

const ABOUT: &str = "copydesk: an editorial linter for news copy.

It reads drafts (plain text or Markdown) and reports what a copy editor would
catch, with exact line and column: a paragraph pasted twice, the headline
repeated in the body, names used inconsistently, figures with no source, and
house-style slips. Rules are TOML files; `copydesk rules` lists them.";

const AFTER_HELP: &str = "Examples:
  copydesk check story.md                 check one draft
  copydesk check stories/                 check every .txt and .md file in a folder
  copydesk check --format short drafts/   one line per finding
  copydesk check --format github --format sarif=copydesk.sarif stories/
                                          annotations on stdout and SARIF in a file, one run
  cat draft.txt | copydesk check -        check standard input
  copydesk rule repeated-paragraph        explain a rule

Exit codes: 0 nothing at or above --fail-on, 1 findings, 2 a usage, config or file error
(--exit-zero: 0 with findings too, for a report-only CI job).";

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
        /// Print the rule's file as it is (the embedded file of a built-in
        /// rule), without copydesk.toml's settings: a start for a
        /// newsroom's own version
        #[arg(long)]
        toml: bool,
        #[command(flatten)]
        config: ConfigArgs,
    },
    /// Record the current findings as accepted (for `check --baseline`)
    Baseline(BaselineArgs),
    /// Show the names list: each person, the spellings flagged, titles, source
    Names(names::NamesArgs),
    /// Serve editors over the Language Server Protocol (on standard input and output)
    Lsp,
    /// Serve a page on this machine where drafts are pasted and checked
    ///
    /// The page shows what `copydesk check` finds in a pasted or typed
    /// draft, highlighted as it is written, with each safe fix one click
    /// away. A draft is checked as a file named draft.md (Markdown) or
    /// draft.txt in the current folder would be, with its copydesk.toml.
    /// It listens on 127.0.0.1 (this machine only) unless --host says
    /// otherwise, prints the page's URL, and runs until Ctrl-C.
    Serve(ServeArgs),
    /// Run the examples in rule files (a newsroom's own folder, or the active rules)
    Test {
        /// Folder of rule files; default: the rules that `check` would use here
        dir: Option<PathBuf>,
        #[command(flatten)]
        config: ConfigArgs,
    },
    /// Write a commented starter copydesk.toml in the current folder
    Init(init::InitArgs),
    /// Print a shell completion script
    ///
    /// For example: `copydesk completions bash >
    /// ~/.local/share/bash-completion/completions/copydesk`.
    Completions {
        /// The shell
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff)
    ///
    /// For example: `copydesk man > ~/.local/share/man/man1/copydesk.1`.
    Man,
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
    #[allow(rustdoc::broken_intra_doc_links)] // "[rule]" is the format's text, not a link
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
    /// One self-contained HTML page: each story with its findings highlighted
    Html,
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
    /// Output format. FORMAT=PATH writes that format to a file instead; give
    /// --format more than once for several reports from one run. The one
    /// without a path goes to stdout (or --output-file); when each has a
    /// path, a human report does
    #[arg(
        long,
        value_name = "FORMAT[=PATH]",
        value_parser = reports::FormatSpecParser,
        action = clap::ArgAction::Append,
        default_value = "human"
    )]
    pub format: Vec<reports::FormatSpec>,
    /// Write the report (the format without a path) to this file instead of
    /// stdout; the file appears whole when the run ends, or not at all
    #[arg(long, short = 'o', value_name = "PATH", conflicts_with = "diff")]
    pub output_file: Option<PathBuf>,
    /// Print only findings and errors: no summary line and no notes
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Instead of each finding, print how many each rule found (a JSON
    /// array with --format json); with --fix, what remains. Reports written
    /// to files are unchanged
    #[arg(long, conflicts_with = "diff")]
    pub statistics: bool,
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
    /// Exit 0 even with findings at or above --fail-on, for a report-only CI
    /// job (a usage, config or file error still exits 2)
    #[arg(long)]
    pub exit_zero: bool,
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
pub struct ServeArgs {
    /// Port to listen on; 0 picks a free one
    #[arg(long, value_name = "N", default_value_t = crate::serve::DEFAULT_PORT)]
    pub port: u16,
    /// Address to listen on; anything but a loopback address lets other
    /// machines use the page
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    pub host: String,
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

/// What the caller knows about the terminals the output goes to. The
/// library never asks the system: `main.rs` does, and tests say what they
/// need.
#[derive(Debug, Clone, Copy)]
pub struct Terminals {
    /// Standard output is a terminal (colour on `--color auto`).
    pub stdout: bool,
    /// Standard error is a terminal this many columns wide (a progress bar
    /// may be drawn there); `None` when it is not a terminal.
    pub stderr_width: Option<u16>,
    /// How long a run goes on before its progress bar appears.
    pub progress_after: std::time::Duration,
}

impl Terminals {
    /// Standard error is not a terminal; standard output is as given.
    pub fn stdout_only(stdout_is_terminal: bool) -> Terminals {
        Terminals {
            stdout: stdout_is_terminal,
            stderr_width: None,
            progress_after: progress::DEFAULT_AFTER,
        }
    }
}

/// Run the command line with the given arguments; returns the exit code.
/// Standard error is taken not to be a terminal (see [`run_on`]).
pub fn run(
    args: Vec<std::ffi::OsString>,
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
    stdout_is_terminal: bool,
) -> i32 {
    run_on(
        args,
        stdin,
        stdout,
        stderr,
        Terminals::stdout_only(stdout_is_terminal),
    )
}

/// Run the command line with the given arguments, writing to terminals as
/// `terminals` describes them; returns the exit code.
pub fn run_on(
    args: Vec<std::ffi::OsString>,
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
    terminals: Terminals,
) -> i32 {
    let stdout_is_terminal = terminals.stdout;
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
    let mut stdout = PipeGuard::new(stdout);
    let stdout: &mut dyn Write = &mut stdout;
    let result = match cli.command {
        Command::Check(args) => check::check(args, stdin, stdout, stderr, terminals),
        Command::Rules(args) => rules::rules(args, stdout, stderr),
        Command::Rule { id, toml, config } => rules::rule(&id, toml, &config, stdout, stderr),
        Command::Test { dir, config } => test::test(dir.as_deref(), &config, stdout, stderr),
        Command::Baseline(args) => baseline::baseline_command(args, stdout, stderr),
        Command::Names(args) => names::names(args, stdout, stderr),
        Command::Init(args) => init::init(args, stdout, stderr),
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "copydesk", stdout);
            Ok(OK)
        }
        // The man page's NAME line is the one-line summary; the whole text
        // is its DESCRIPTION.
        Command::Man => clap_mangen::Man::new(
            Cli::command()
                .about("an editorial linter for news copy")
                .long_about(ABOUT),
        )
        .render(stdout)
        .map(|()| OK),
        Command::Lsp => lsp(stderr),
        Command::Serve(args) => serve(&args, stdout, stderr),
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

/// `copydesk lsp`: serve one client on standard input and output until it
/// says exit.
fn lsp(stderr: &mut dyn Write) -> io::Result<i32> {
    let (connection, io_threads) = lsp_server::Connection::stdio();
    let served = crate::lsp::run(connection);
    let joined = io_threads.join();
    match (served, joined) {
        (Ok(()), Ok(())) => Ok(OK),
        (Err(e), _) => {
            writeln!(stderr, "copydesk lsp: {e}")?;
            Ok(FAILURE)
        }
        (_, Err(e)) => {
            writeln!(stderr, "copydesk lsp: {e}")?;
            Ok(FAILURE)
        }
    }
}

/// `copydesk serve`: serve the page until Ctrl-C.
fn serve(args: &ServeArgs, stdout: &mut dyn Write, stderr: &mut dyn Write) -> io::Result<i32> {
    let opts = crate::serve::Options {
        host: args.host.clone(),
        port: args.port,
        config: args.config.choice(),
    };
    match crate::serve::serve(&opts, stdout, stderr)? {
        Ok(()) => Ok(OK),
        Err(crate::serve::StartError::Config(errors)) => {
            report_load_errors(stderr, &errors)?;
            Ok(FAILURE)
        }
        Err(crate::serve::StartError::Listen(message)) => {
            writeln!(stderr, "copydesk serve: error: {message}")?;
            Ok(FAILURE)
        }
    }
}

/// The settings that apply in the current folder, or `None` after their
/// load errors are reported.
fn settings_here(config: &ConfigArgs, stderr: &mut dyn Write) -> io::Result<Option<Arc<Settings>>> {
    match Resolver::new(config.choice()).for_path(None) {
        Ok(s) => Ok(Some(s)),
        Err(errors) => {
            report_load_errors(stderr, &errors)?;
            Ok(None)
        }
    }
}

/// Report a rule id that no rule has, with the nearest one as a hint.
fn unknown_rule<'a>(
    stderr: &mut dyn Write,
    id: &str,
    known: impl Iterator<Item = &'a str>,
) -> io::Result<()> {
    let hint = did_you_mean(id, known)
        .map(|s| format!(" (did you mean `{s}`?)"))
        .unwrap_or_default();
    writeln!(
        stderr,
        "copydesk: error: unknown rule id `{id}`{hint}; `copydesk rules` lists them"
    )
}
