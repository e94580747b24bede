//! The command line at its edges: a reader that stops reading, drafts that
//! hold terminal escape sequences, and a test run that finds no examples.

use std::io::Read;
use std::process::{Command, Stdio};

fn copydesk() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_copydesk"));
    c.env("NO_COLOR", "1");
    c
}

/// Run copydesk in `dir` with `args` and wait for it.
fn run_in(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    copydesk().current_dir(dir).args(args).output().unwrap()
}

#[test]
fn a_closed_pipe_keeps_the_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let story = dir.path().join("long.txt");
    let mut text = String::from("Council approves the plan\n\n");
    for _ in 0..2000 {
        text.push_str("The council approved the the plan on Monday.\n");
    }
    std::fs::write(&story, text).unwrap();
    let mut child = copydesk()
        .args([
            "check",
            "--no-config",
            "--format",
            "short",
            "--select",
            "doubled-word",
        ])
        .arg(&story)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut out = child.stdout.take().unwrap();
    let mut first = [0u8; 16];
    out.read_exact(&mut first).unwrap();
    drop(out);
    let status = child.wait().unwrap();
    assert_eq!(
        status.code(),
        Some(1),
        "errors were found, so the exit code is 1"
    );
}

#[test]
fn escape_sequences_in_a_draft_never_reach_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let story = dir.path().join("esc.txt");
    std::fs::write(
        &story,
        "Plan\n\nThe \x1b]0;owned\x07council \x1b[31mapproved the the plan today.\n",
    )
    .unwrap();
    let out = copydesk()
        .args(["check", "--no-config", "--select", "doubled-word"])
        .arg(&story)
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(
        !shown.contains('\x1b') && !shown.contains('\x07'),
        "{shown:?}"
    );
    assert!(shown.contains("␛[31m"), "{shown}");
    // The underline still sits under the doubled word.
    let line = shown.lines().find(|l| l.contains("approved")).unwrap();
    let marks = shown.lines().find(|l| l.contains("^^^")).unwrap();
    let col = |s: &str, pat: &str| s.find(pat).map(|b| s[..b].chars().count());
    assert_eq!(col(line, "the the"), col(marks, "^^^^^^^"));
}

#[test]
fn a_test_run_with_no_examples_fails() {
    let dir = tempfile::tempdir().unwrap();
    let out = copydesk().arg("test").arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no rule examples"));
}

#[test]
fn a_baseline_of_another_version_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("s.txt"), "Plan\n\nThe plan was approved.\n").unwrap();
    std::fs::write(
        dir.path().join("baseline.json"),
        r#"{"version": 7, "findings": []}"#,
    )
    .unwrap();
    let out = run_in(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--baseline",
            "baseline.json",
            "s.txt",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("version 7"));
}

#[test]
fn a_pattern_too_large_to_compile_is_a_load_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("house")).unwrap();
    std::fs::write(
        dir.path().join("copydesk.toml"),
        "rule-dirs = [\"house\"]\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("house/huge.toml"),
        "kind = \"existence\"\nseverity = \"warning\"\nmessage = \"avoid {match}\"\n\
         why = \"House style.\"\npatterns = ['\\w{1000}{1000}']\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("s.txt"), "Plan\n\nThe plan was approved.\n").unwrap();
    let out = run_in(dir.path(), &["check", "s.txt"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("too large") && stderr.contains("huge.toml:5"),
        "{stderr}"
    );
}

#[test]
fn a_baseline_works_from_any_folder_and_with_absolute_paths() {
    let dir = tempfile::tempdir().unwrap();
    let news = dir.path().join("news");
    std::fs::create_dir_all(news.join("desk")).unwrap();
    let story = "Plan\n\nThe council will vote on the the plan.\n";
    std::fs::write(news.join("desk").join("s.txt"), story).unwrap();
    let made = run_in(
        dir.path(),
        &[
            "baseline",
            "--no-config",
            "-o",
            "news/base.json",
            "news/desk",
        ],
    );
    assert_eq!(made.status.code(), Some(0), "{made:?}");
    let written = std::fs::read_to_string(news.join("base.json")).unwrap();
    assert!(written.contains("\"path\": \"desk/s.txt\""), "{written}");
    let run = |cwd: &std::path::Path, baseline: &str, file: &str| {
        run_in(cwd, &["check", "--no-config", "--baseline", baseline, file])
    };
    let abs = news.join("desk").join("s.txt");
    for out in [
        run(&news.join("desk"), "../base.json", "s.txt"),
        run(dir.path(), "news/base.json", "./news/desk/../desk/s.txt"),
        run(&news, "base.json", abs.to_str().unwrap()),
    ] {
        assert_eq!(out.status.code(), Some(0), "{out:?}");
    }
    // A new finding still counts.
    std::fs::write(&abs, format!("{story}\nIt was a a surprise.\n")).unwrap();
    assert_eq!(run(&news, "base.json", "desk/s.txt").status.code(), Some(1));
}

#[test]
fn a_file_that_cannot_be_read_is_in_every_machine_format() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.txt"),
        "Plan\n\nThe the plan was approved.\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("b.txt"), b"bad \xff\xfe bytes\n").unwrap();
    for format in [
        "json",
        "sarif",
        "junit",
        "checkstyle",
        "gitlab",
        "rdjson",
        "github",
    ] {
        let out = run_in(
            dir.path(),
            &["check", "--no-config", "--format", format, "a.txt", "b.txt"],
        );
        assert_eq!(out.status.code(), Some(2), "{format}");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            stdout.contains("b.txt") && stdout.contains("copydesk-error"),
            "{format}: {stdout}"
        );
        assert!(String::from_utf8_lossy(&out.stderr).contains("b.txt"));
        if matches!(format, "json" | "sarif" | "gitlab" | "rdjson") {
            let v: serde_json::Value = serde_json::from_str(&stdout).expect("still JSON");
            if format == "sarif" {
                let inv = &v["runs"][0]["invocations"][0];
                assert_eq!(inv["executionSuccessful"], false);
                let note = &inv["toolExecutionNotifications"][0];
                assert_eq!(note["level"], "error");
                assert_eq!(
                    note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                    "b.txt"
                );
            }
        }
    }
}

#[test]
fn junit_failures_agree_with_fail_on() {
    let dir = tempfile::tempdir().unwrap();
    // One error (a doubled word) and one warning ("could of").
    std::fs::write(
        dir.path().join("a.txt"),
        "Plan\n\nThe the plan was approved.\n\nThe council could of acted sooner.\n",
    )
    .unwrap();
    let junit = |fail_on: &str| {
        let out = run_in(
            dir.path(),
            &[
                "check",
                "--no-config",
                "--format",
                "junit",
                "--fail-on",
                fail_on,
                "a.txt",
            ],
        );
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let (code, xml) = junit("error");
    assert_eq!(code, Some(1));
    assert!(
        xml.contains("<testsuites name=\"copydesk\" tests=\"2\" failures=\"1\" errors=\"0\">"),
        "{xml}"
    );
    assert!(xml.contains("<system-out>"), "{xml}");
    let (code, xml) = junit("warning");
    assert_eq!(code, Some(1));
    assert!(xml.contains("tests=\"2\" failures=\"2\""), "{xml}");
}

#[test]
fn the_diff_keeps_the_bom_that_fix_writes() {
    let dir = tempfile::tempdir().unwrap();
    let draft = "\u{feff}the\n\nthe the.\n";
    std::fs::write(dir.path().join("s.txt"), draft).unwrap();
    let out = run_in(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--diff",
            "--format",
            "short",
            "s.txt",
        ],
    );
    let diff = String::from_utf8(out.stdout).unwrap();
    assert!(diff.contains("\n \u{feff}the\n"), "{diff:?}");
    run_in(dir.path(), &["check", "--no-config", "--fix", "s.txt"]);
    let fixed = std::fs::read_to_string(dir.path().join("s.txt")).unwrap();
    assert!(fixed.starts_with('\u{feff}'), "{fixed:?}");
}

#[test]
fn a_quoted_match_across_a_line_break_stays_on_one_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("s.txt"),
        "Rents\n\nRents rose 4 percent in May and 6 per\ncent in June, and 5 percent in July.\n",
    )
    .unwrap();
    for format in ["short", "github", "human"] {
        let out = run_in(
            dir.path(),
            &["check", "--no-config", "--format", format, "s.txt"],
        );
        let stdout = String::from_utf8(out.stdout).unwrap();
        let line = stdout
            .lines()
            .find(|l| l.contains("the story writes"))
            .unwrap_or_else(|| panic!("{format}: no percent-style finding in {stdout}"));
        assert!(line.contains("\"per cent\""), "{format}: {stdout}");
    }
    // JSON keeps the message as it is, line break included.
    let out = run_in(
        dir.path(),
        &["check", "--no-config", "--format", "json", "s.txt"],
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(json.to_string().contains("per\\ncent"), "{json}");
}

/// Checks a story with `rule` as the house rule file r.toml, and asserts
/// that loading fails (exit 2) with an error at `r.toml:line` that says
/// `says`.
fn assert_load_error(rule: &str, line: u32, says: &str) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("house")).unwrap();
    std::fs::write(
        dir.path().join("copydesk.toml"),
        "rule-dirs = [\"house\"]\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("house/r.toml"), rule).unwrap();
    std::fs::write(dir.path().join("s.txt"), "Plan\n\nThe plan was approved.\n").unwrap();
    let out = run_in(dir.path(), &["check", "s.txt"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{rule}\n{stderr}");
    assert!(
        stderr.contains(says) && stderr.contains(&format!("r.toml:{line}")),
        "{rule}\n{stderr}"
    );
}

const HEAD: &str = "kind = \"existence\"\nseverity = \"warning\"\n";

#[test]
fn a_pattern_that_can_match_nothing_is_a_load_error_at_its_line() {
    for pattern in ["a*", "(?:x|)", "\\b"] {
        assert_load_error(
            &format!(
                "{HEAD}message = \"avoid {{match}}\"\nwhy = \"House style.\"\npatterns = ['{pattern}']\n"
            ),
            5,
            "empty string",
        );
    }
}

#[test]
fn empty_and_unclosed_messages_are_load_errors_at_the_message() {
    for message in ["", "  ", "avoid {match"] {
        assert_load_error(
            &format!(
                "{HEAD}message = \"{message}\"\nwhy = \"House style.\"\npatterns = ['plan']\n"
            ),
            3,
            "",
        );
    }
}

#[test]
fn a_minimum_over_the_maximum_is_a_load_error_at_min() {
    assert_load_error(
        "kind = \"metric\"\nseverity = \"warning\"\nmessage = \"{value} words, limit {limit}\"\n\
         why = \"House style.\"\nmeasure = \"sentence-words\"\nmax = 10\nmin = 20\n",
        7,
        "larger than `max`",
    );
}

#[test]
fn a_swap_value_with_a_nul_is_a_load_error_at_its_key() {
    assert_load_error(
        "kind = \"substitution\"\nseverity = \"warning\"\nmessage = \"use {suggestion}\"\n\
         why = \"House style.\"\n[swap]\nplan = \"pl\\u0000an\"\n",
        6,
        "NUL",
    );
}

#[test]
fn a_bad_swap_pattern_is_reported_at_its_key_however_it_is_spelled() {
    // A basic string with escapes: its text is not the pattern's text.
    assert_load_error(
        "kind = \"substitution\"\nseverity = \"warning\"\nmessage = \"use {suggestion}\"\n\
         why = \"House style.\"\n[swap-patterns]\n\"\\\\b(\\\\w+)ize\\\\b\" = \"$1ise\"\n",
        6,
        "",
    );
}

#[test]
fn an_extend_loop_is_named_with_its_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("a")).unwrap();
    std::fs::write(
        dir.path().join("copydesk.toml"),
        "extend = \"a/base.toml\"\n",
    )
    .unwrap();
    // Through `..`: the same file by another path.
    std::fs::write(
        dir.path().join("a/base.toml"),
        "# base\nextend = \"../a/../copydesk.toml\"\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("s.txt"), "Plan\n\nThe plan was approved.\n").unwrap();
    let out = run_in(dir.path(), &["check", "s.txt"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("loop")
            && stderr.contains("copydesk.toml extends a/base.toml extends copydesk.toml")
            && stderr.contains("base.toml:2"),
        "{stderr}"
    );
}

#[test]
fn folders_walked_name_the_links_they_skip() {
    let dir = tempfile::tempdir().unwrap();
    let stories = dir.path().join("stories");
    std::fs::create_dir_all(stories.join("real")).unwrap();
    std::fs::create_dir(dir.path().join("elsewhere")).unwrap();
    std::fs::write(
        stories.join("real/a.txt"),
        "Plan\n\nThe the plan was approved.\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("elsewhere/b.txt"),
        "Plan\n\nThe plan was approved.\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(dir.path().join("elsewhere"), stories.join("linked")).unwrap();
        std::os::unix::fs::symlink(stories.join("real/a.txt"), stories.join("c.txt")).unwrap();
        // Not a draft: no note.
        std::os::unix::fs::symlink(stories.join("real/a.txt"), stories.join("c.bin")).unwrap();
        let out = run_in(
            dir.path(),
            &["check", "--no-config", "--format", "short", "stories"],
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(
            stderr.contains("skipped 2 symbolic links") && stderr.contains("command line"),
            "{stderr}"
        );
        // A link named on the command line is followed, without a note.
        let out = run_in(
            dir.path(),
            &["check", "--no-config", "--format", "short", "stories/c.txt"],
        );
        assert_eq!(out.status.code(), Some(1));
        assert!(!String::from_utf8_lossy(&out.stderr).contains("skipped"));
    }
}

#[test]
fn a_diff_of_a_file_with_cr_line_ends_applies_with_git() {
    let git_works = Command::new("git")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !git_works {
        eprintln!("git is not available: skipped");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .current_dir(dir.path())
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    git(&["init", "-q", "."]);
    let draft = "Council plan\r\rThe the council approved the plan on Monday.\r\r\
                 It will cost more than the last one.\r";
    std::fs::write(dir.path().join("s.txt"), draft).unwrap();
    let out = run_in(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--diff",
            "--format",
            "short",
            "s.txt",
        ],
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    // Findings in short form may follow the diff.
    let diff: String = stdout
        .split_inclusive('\n')
        .take_while(|l| !l.starts_with("s.txt:"))
        .collect();
    assert!(diff.starts_with("--- a/s.txt"), "{stdout:?}");
    std::fs::write(dir.path().join("fix.patch"), diff).unwrap();
    git(&["apply", "--check", "fix.patch"]);
    git(&["apply", "fix.patch"]);
    let applied = std::fs::read(dir.path().join("s.txt")).unwrap();
    std::fs::write(dir.path().join("s.txt"), draft).unwrap();
    run_in(dir.path(), &["check", "--no-config", "--fix", "s.txt"]);
    assert_eq!(applied, std::fs::read(dir.path().join("s.txt")).unwrap());
    assert_ne!(applied, draft.as_bytes());
}
