//! Where `check`'s reports go, compared byte for byte: `--output-file`
//! holds what stdout would have held, a second format written to a file is
//! what a run of that format alone prints, a run that stops early leaves an
//! old report as it was; and the progress bar, drawn only on a terminal
//! (forced here through `cli::run_on`), never mixed into the report.

use std::cell::RefCell;
use std::io::{self, Write};
use std::path::Path;
use std::process::Command;
use std::rc::Rc;
use std::time::Duration;

use copydesk::cli::{Terminals, run_on};

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A scratch folder holding a copy of the `basic` fixture.
fn basic_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for name in ["draft.txt", "clean.txt"] {
        std::fs::copy(fixture("basic").join(name), dir.path().join(name)).unwrap();
    }
    dir
}

/// Run the binary in `dir`; its exit code, stdout and stderr.
fn copydesk(dir: &Path, args: &[&str]) -> (i32, Vec<u8>, Vec<u8>) {
    let out = Command::new(env!("CARGO_BIN_EXE_copydesk"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (out.status.code().unwrap_or(-1), out.stdout, out.stderr)
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn the_output_file_holds_what_stdout_would_have() {
    for format in ["human", "short", "json", "sarif", "junit"] {
        let dir = basic_copy();
        let (code, stdout, stderr) = copydesk(
            dir.path(),
            &["check", "--format", format, "draft.txt", "clean.txt"],
        );
        assert_eq!(code, 1, "{format}");
        let (code_f, stdout_f, stderr_f) = copydesk(
            dir.path(),
            &[
                "check",
                "--format",
                format,
                "--output-file",
                "report.out",
                "draft.txt",
                "clean.txt",
            ],
        );
        assert_eq!(code_f, code, "{format}: the exit code is the same");
        assert!(stdout_f.is_empty(), "{format}: nothing on stdout");
        assert_eq!(stderr_f, stderr, "{format}");
        let file = std::fs::read(dir.path().join("report.out")).unwrap();
        assert!(!file.is_empty());
        assert_eq!(file, stdout, "{format}: the file is what stdout held");
        assert_eq!(
            names_in(dir.path()),
            ["clean.txt", "draft.txt", "report.out"],
            "no temporary file is left"
        );
    }
}

#[test]
fn a_report_in_a_file_is_what_a_run_of_that_format_alone_prints() {
    let dir = basic_copy();
    let args = |extra: &[&'static str]| {
        let mut a = vec!["check"];
        a.extend_from_slice(extra);
        a.extend(["draft.txt", "clean.txt"]);
        a
    };
    let (code, human, stderr) = copydesk(dir.path(), &args(&[]));
    let (_, sarif, _) = copydesk(dir.path(), &args(&["--format", "sarif"]));
    let (_, json, _) = copydesk(dir.path(), &args(&["--format", "json"]));
    let (code_both, stdout_both, stderr_both) = copydesk(
        dir.path(),
        &args(&[
            "--format",
            "human",
            "--format",
            "sarif=copydesk.sarif",
            "--format",
            "json=./findings.json",
        ]),
    );
    assert_eq!(code_both, code);
    assert_eq!(stdout_both, human, "stdout has the human report");
    assert_eq!(stderr_both, stderr);
    assert_eq!(
        std::fs::read(dir.path().join("copydesk.sarif")).unwrap(),
        sarif
    );
    assert_eq!(
        std::fs::read(dir.path().join("findings.json")).unwrap(),
        json
    );
}

#[test]
fn a_run_that_stops_leaves_an_old_report_as_it_was() {
    let dir = basic_copy();
    std::fs::write(dir.path().join("report.sarif"), "old report\n").unwrap();
    let (code, _, stderr) = copydesk(
        dir.path(),
        &[
            "check",
            "--format",
            "sarif=report.sarif",
            "--select",
            "no-such-rule",
            "draft.txt",
        ],
    );
    assert_eq!(code, 2);
    assert!(
        String::from_utf8_lossy(&stderr).contains("unknown rule id `no-such-rule`"),
        "{}",
        String::from_utf8_lossy(&stderr)
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("report.sarif")).unwrap(),
        "old report\n"
    );
    assert_eq!(
        names_in(dir.path()),
        ["clean.txt", "draft.txt", "report.sarif"],
        "no temporary file is left"
    );
}

/// A writer into a buffer that another writer may share, so stdout and
/// stderr can land in one stream in the order they were written.
#[derive(Clone, Default)]
struct Shared(Rc<RefCell<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Shared {
    fn text(&self) -> String {
        String::from_utf8(self.0.borrow().clone()).unwrap()
    }
}

/// A folder of `n` stories, every third with a doubled word.
fn many_stories(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..n {
        let doubled = if i % 3 == 0 { "the the" } else { "the" };
        std::fs::write(
            dir.path().join(format!("story{i:03}.txt")),
            format!(
                "Council Approves Plan {i}\n\nThe council approved {doubled} plan on Monday \
                 after a short debate.\n"
            ),
        )
        .unwrap();
    }
    dir
}

/// Run `check` in-process over `dir` with `extra` arguments, stderr a
/// terminal 80 columns wide or not, and the bar due at once. Returns the
/// exit code, stdout and stderr merged in order, and stderr alone.
fn check_on(dir: &Path, extra: &[&str], stderr_terminal: bool, after: Duration) -> (i32, String) {
    let mut args: Vec<std::ffi::OsString> = ["copydesk", "check", "--no-config", "--threads", "2"]
        .iter()
        .map(Into::into)
        .collect();
    args.extend(extra.iter().map(Into::into));
    args.push(dir.into());
    let merged = Shared::default();
    let code = run_on(
        args,
        &mut io::empty(),
        &mut merged.clone(),
        &mut merged.clone(),
        Terminals {
            stdout: false,
            stderr_width: stderr_terminal.then_some(80),
            progress_after: after,
        },
    );
    (code, merged.text())
}

const CLEAR: &str = "\r\x1b[2K";

fn bar() -> regex::Regex {
    regex::Regex::new(r" *\d+/\d+ files checked \[[=> ]*\] \S+ left").unwrap()
}

#[test]
fn the_progress_bar_is_drawn_on_a_terminal_and_never_mixed_into_the_report() {
    let dir = many_stories(240);
    for format in ["human", "short"] {
        let (code, merged) = check_on(dir.path(), &["--format", format], true, Duration::ZERO);
        let (plain_code, plain) =
            check_on(dir.path(), &["--format", format], false, Duration::ZERO);
        assert_eq!(code, 1);
        assert_eq!(plain_code, 1);
        let bar = bar();
        let draws: Vec<_> = bar.find_iter(&merged).collect();
        assert!(!draws.is_empty(), "{format}: the bar is drawn:\n{merged}");
        assert!(
            draws
                .iter()
                .any(|m| m.as_str().contains("/240 files checked"))
        );
        for m in &draws {
            let before = &merged[..m.start()];
            assert!(
                before.is_empty() || before.ends_with('\n') || before.ends_with(CLEAR),
                "{format}: a bar starts a line: {:?}",
                &before[before.len().saturating_sub(80)..]
            );
            assert!(
                merged[m.end()..].starts_with(CLEAR),
                "{format}: a bar is cleared before anything else is written: {:?}",
                &merged[m.end()..(m.end() + 80).min(merged.len())]
            );
        }
        // Without the bar, the output is the plain run's, byte for byte.
        let stripped = bar.replace_all(&merged, "").replace(CLEAR, "");
        assert_eq!(stripped, plain, "{format}");
        if format == "human" {
            let summary = "80 errors in 240 files\n";
            assert!(merged.ends_with(summary), "{merged}");
            let last = draws.last().unwrap();
            assert!(last.end() < merged.len() - summary.len());
        }
    }
}

#[test]
fn no_progress_bar_when_piped_quiet_in_a_machine_format_or_in_a_short_run() {
    let dir = many_stories(30);
    let cases: [(&[&str], bool, Duration); 5] = [
        (&["--format", "human"], false, Duration::ZERO),
        (&["--format", "short"], false, Duration::ZERO),
        (&["--format", "human", "--quiet"], true, Duration::ZERO),
        (&["--format", "json"], true, Duration::ZERO),
        // A run that ends before the bar is due.
        (&["--format", "human"], true, Duration::from_secs(3600)),
    ];
    for (extra, terminal, after) in cases {
        let (code, merged) = check_on(dir.path(), extra, terminal, after);
        assert_eq!(code, 1, "{extra:?}");
        assert!(
            !merged.contains("files checked") && !merged.contains('\x1b'),
            "{extra:?} (terminal: {terminal}): no bar:\n{merged}"
        );
    }
    // The same run with the bar due at once does show it: the cases above
    // show none for the reason each names.
    let (_, merged) = check_on(dir.path(), &["--format", "human"], true, Duration::ZERO);
    assert!(merged.contains("files checked"));
}

#[test]
fn the_binary_never_draws_a_bar_on_a_pipe() {
    let dir = many_stories(300);
    let (code, stdout, stderr) = copydesk(dir.path(), &["check", "--format", "short", "."]);
    assert_eq!(code, 1);
    assert_eq!(String::from_utf8_lossy(&stdout).lines().count(), 100);
    assert!(
        stderr.is_empty(),
        "nothing on stderr: {}",
        String::from_utf8_lossy(&stderr)
    );
}
