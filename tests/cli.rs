//! Whole-output tests of the command line, driven by data.
//!
//! Each `tests/cases/NAME.toml` gives `args` (and optionally `cwd` relative to
//! `tests/fixtures`, `stdin`, `env`); `tests/cases/NAME.expected` holds the
//! exit status, stdout and stderr the run must produce, byte for byte. A
//! case with `scratch = true` runs in a new folder holding a copy of the
//! files of `cwd` (so it may write there), may run more commands there
//! (`then`) and show files of the folder afterwards (`show`). Run
//! with `COPYDESK_BLESS=1` to write the expected files from the current
//! behaviour (then read the diff before committing).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    args: Vec<String>,
    #[serde(default)]
    cwd: Option<String>,
    #[serde(default)]
    stdin: Option<String>,
    #[serde(default)]
    env: BTreeMap<String, String>,
    #[serde(default)]
    scratch: bool,
    #[serde(default)]
    then: Vec<Vec<String>>,
    #[serde(default)]
    show: Vec<String>,
}

fn render(status: i32, stdout: &[u8], stderr: &[u8]) -> String {
    format!(
        "status: {status}\n--- stdout\n{}--- stderr\n{}",
        String::from_utf8_lossy(stdout),
        String::from_utf8_lossy(stderr)
    )
}

#[test]
fn cli_cases() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let bless = std::env::var_os("COPYDESK_BLESS").is_some();
    let mut cases: Vec<_> = std::fs::read_dir(root.join("cases"))
        .expect("tests/cases exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    cases.sort();
    assert!(!cases.is_empty());
    let mut failures = Vec::new();
    for path in &cases {
        let case: Case = toml::from_str(&std::fs::read_to_string(path).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let fixture = root
            .join("fixtures")
            .join(case.cwd.as_deref().unwrap_or("."));
        let scratch = case.scratch.then(|| {
            let dir = tempfile::tempdir().unwrap();
            for entry in std::fs::read_dir(&fixture).unwrap().flatten() {
                if entry.path().is_file() {
                    std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
                }
            }
            dir
        });
        let cwd = scratch
            .as_ref()
            .map_or(fixture.clone(), |d| d.path().to_path_buf());
        let mut got = run(&case, &case.args, &cwd);
        for args in &case.then {
            got.push_str(&format!("=== copydesk {}\n", args.join(" ")));
            got.push_str(&run(&case, args, &cwd));
        }
        for file in &case.show {
            let text = std::fs::read_to_string(cwd.join(file))
                .unwrap_or_else(|_| "(no such file)\n".into());
            got.push_str(&format!("=== {file}\n{text}"));
        }
        let expected_path = path.with_extension("expected");
        if bless {
            std::fs::write(&expected_path, &got).unwrap();
            continue;
        }
        let want = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if got != want {
            failures.push(format!(
                "{}: output differs\n=== expected\n{want}=== got\n{got}",
                path.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Run copydesk with `args` in `cwd`, with the case's stdin and
/// environment; the exit status and output, rendered.
fn run(case: &Case, args: &[String], cwd: &Path) -> String {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_copydesk"));
    cmd.args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .env("COLUMNS", "100")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in &case.env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("run copydesk");
    {
        let mut stdin = child.stdin.take().unwrap();
        if let Some(input) = &case.stdin {
            stdin.write_all(input.as_bytes()).unwrap();
        }
    }
    let out = child.wait_with_output().unwrap();
    render(out.status.code().unwrap_or(-1), &out.stdout, &out.stderr)
}
