//! `--fix` never loses or leaks a story: links, permissions, owners,
//! read-only files, failed writes, a file named twice, standard input, and
//! rules whose fixes undo each other.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// A story with one safe fix (a doubled word).
const STORY: &str =
    "Council approves the harbour plan\n\nThe council approved the the plan on Monday.\n";
const FIXED: &str =
    "Council approves the harbour plan\n\nThe council approved the plan on Monday.\n";
/// A story with nothing to fix.
const CLEAN: &str =
    "Council approves the harbour plan\n\nThe council approved the plan on Monday.\n";

fn copydesk(dir: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_copydesk"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("copydesk runs");
    let mut input = child.stdin.take().expect("stdin");
    input
        .write_all(stdin.unwrap_or("").as_bytes())
        .expect("stdin written");
    drop(input);
    child.wait_with_output().expect("copydesk finishes")
}

fn scratch() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().to_path_buf();
    std::fs::write(path.join("copydesk.toml"), "").expect("empty config");
    (dir, path)
}

/// The run exited 0; its stderr is shown when it did not.
fn assert_ran_clean(out: &Output) {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn text(p: &Path) -> String {
    std::fs::read_to_string(p).expect("readable")
}

#[test]
fn stdin_fix_always_gives_the_text_on_stdout_and_the_report_on_stderr() {
    let (_keep, dir) = scratch();
    for format in ["human", "json", "short", "sarif"] {
        for (input, expected) in [(STORY, FIXED), (CLEAN, CLEAN)] {
            let out = copydesk(
                &dir,
                &["check", "--fix", "--format", format, "-"],
                Some(input),
            );
            assert_eq!(
                String::from_utf8_lossy(&out.stdout),
                expected,
                "--format {format}: stdout must be the story"
            );
        }
    }
    let out = copydesk(
        &dir,
        &["check", "--fix", "--format", "json", "-"],
        Some(CLEAN),
    );
    let report: serde_json::Value =
        serde_json::from_slice(&out.stderr).expect("the JSON report is on stderr, whole");
    assert!(report.is_array());
}

#[test]
fn fix_says_how_many_fixes_it_made_in_every_format() {
    let (_keep, dir) = scratch();
    for format in ["human", "short", "json", "sarif", "junit"] {
        std::fs::write(dir.join("s.txt"), STORY).unwrap();
        let out = copydesk(&dir, &["check", "--fix", "--format", format, "s.txt"], None);
        assert_eq!(text(&dir.join("s.txt")), FIXED, "--format {format}");
        let (stdout, stderr) = (
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
        );
        if format == "human" {
            assert!(
                stdout.ends_with("no problems in 1 file; fixed 1\n"),
                "{stdout}"
            );
            assert_eq!(stderr, "");
        } else {
            // The report on stdout is the format's alone.
            assert!(!stdout.contains("fix made"), "--format {format}: {stdout}");
            assert_eq!(
                stderr, "copydesk: --fix made 1 fix in 1 file\n",
                "--format {format}"
            );
        }
    }
    let out = copydesk(&dir, &["check", "--fix", "--format", "json", "s.txt"], None);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("whole JSON");
    assert!(report.is_array());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "copydesk: --fix made 0 fixes in 0 files\n"
    );
}

#[cfg(unix)]
#[test]
fn the_temporary_file_is_private_and_the_mode_is_kept() {
    use std::os::unix::fs::PermissionsExt;
    let (_keep, dir) = scratch();
    let story = dir.join("embargoed.txt");
    std::fs::write(&story, STORY).unwrap();
    std::fs::set_permissions(&story, std::fs::Permissions::from_mode(0o600)).unwrap();
    // Links planted at the temporary names a fixer could predict (the
    // story's name with a fixed suffix, or with the process id, which the
    // shell knows before it `exec`s copydesk) must never be followed.
    let victim = dir.join("victim.txt");
    std::fs::write(&victim, "untouched").unwrap();
    std::os::unix::fs::symlink(&victim, dir.join(".embargoed.txt.copydesk.tmp")).unwrap();
    let out = Command::new("sh")
        .arg("-c")
        .arg(
            "ln -s victim.txt .embargoed.txt.copydesk-$$.tmp; \
             exec \"$0\" check --fix embargoed.txt",
        )
        .arg(env!("CARGO_BIN_EXE_copydesk"))
        .current_dir(&dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("sh runs copydesk");
    assert_ran_clean(&out);
    assert_eq!(text(&story), FIXED);
    let mode = std::fs::metadata(&story).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    assert_eq!(text(&victim), "untouched");
    let left: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".copydesk"))
        .collect();
    assert!(left.is_empty(), "temporary files left behind");
}

#[cfg(unix)]
#[test]
fn a_link_is_followed_and_stays_a_link() {
    let (_keep, dir) = scratch();
    let target = dir.join("story.txt");
    std::fs::write(&target, STORY).unwrap();
    std::os::unix::fs::symlink("story.txt", dir.join("link.txt")).unwrap();
    let out = copydesk(&dir, &["check", "--fix", "link.txt"], None);
    assert_ran_clean(&out);
    assert!(
        std::fs::symlink_metadata(dir.join("link.txt"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(text(&target), FIXED);
}

#[cfg(unix)]
#[test]
fn hard_links_stay_joined() {
    use std::os::unix::fs::MetadataExt;
    let (_keep, dir) = scratch();
    let a = dir.join("a.txt");
    std::fs::write(&a, STORY).unwrap();
    std::fs::hard_link(&a, dir.join("b.txt")).unwrap();
    let ino = std::fs::metadata(&a).unwrap().ino();
    let out = copydesk(&dir, &["check", "--fix", "a.txt"], None);
    assert_ran_clean(&out);
    assert_eq!(text(&dir.join("b.txt")), FIXED);
    assert_eq!(std::fs::metadata(&a).unwrap().ino(), ino);
}

/// A copy of a hard-wrapped paragraph, set off by single line breaks, is
/// removed whole or left alone: never one of its lines, which would glue the
/// rest onto the next paragraph.
#[test]
fn a_wrapped_paragraph_copy_is_removed_whole_or_not_at_all() {
    let (_keep, dir) = scratch();
    let head = "Council approves harbour plan\n\n";
    let para = "The council approved the harbour plan on Monday after a long\n\
                debate about the cost of dredging the old channel.\n";
    let between = "Residents said work would start in spring.\n";
    let tail = "The mayor welcomed the vote.\n";
    let story = format!("{head}{para}{between}{para}{tail}");
    std::fs::write(dir.join("wrapped.txt"), &story).unwrap();
    let out = copydesk(&dir, &["check", "--fix", "wrapped.txt"], None);
    assert!(out.status.code().is_some_and(|c| c < 2), "{out:?}");
    let fixed = text(&dir.join("wrapped.txt"));
    let whole = format!("{head}{para}{between}{tail}");
    assert!(
        fixed == story || fixed == whole,
        "the fix cut the paragraph:\n{fixed}"
    );
}

/// Run as root (as in CI containers), fixing another user's story keeps
/// that user as its owner; without the right to change owners the test has
/// nothing to check and returns.
#[cfg(unix)]
#[test]
fn the_owner_of_a_fixed_file_is_kept() {
    use std::os::unix::fs::MetadataExt;
    let (_keep, dir) = scratch();
    let story = dir.join("theirs.txt");
    std::fs::write(&story, STORY).unwrap();
    if std::os::unix::fs::chown(&story, Some(4242), Some(4243)).is_err() {
        return;
    }
    let out = copydesk(&dir, &["check", "--fix", "theirs.txt"], None);
    assert_ran_clean(&out);
    assert_eq!(text(&story), FIXED);
    let meta = std::fs::metadata(&story).unwrap();
    assert_eq!((meta.uid(), meta.gid()), (4242, 4243));
}

#[cfg(unix)]
#[test]
fn a_read_only_file_is_refused_and_its_findings_still_reported() {
    use std::os::unix::fs::PermissionsExt;
    let (_keep, dir) = scratch();
    let story = dir.join("locked.txt");
    std::fs::write(&story, STORY).unwrap();
    std::fs::set_permissions(&story, std::fs::Permissions::from_mode(0o444)).unwrap();
    let out = copydesk(
        &dir,
        &["check", "--fix", "--format", "json", "locked.txt"],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(text(&story), STORY);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("read-only"), "{stderr}");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules: Vec<&str> = report
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    assert!(
        rules.contains(&"doubled-word"),
        "findings vanished: {report}"
    );
}

#[test]
fn a_file_named_twice_is_checked_once() {
    let (_keep, dir) = scratch();
    std::fs::create_dir(dir.join("stories")).unwrap();
    std::fs::write(dir.join("stories/a.txt"), STORY).unwrap();
    let out = copydesk(
        &dir,
        &[
            "check",
            "--fix",
            "--format",
            "json",
            "stories",
            "stories/a.txt",
            "./stories/a.txt",
        ],
        None,
    );
    assert_ran_clean(&out);
    assert_eq!(text(&dir.join("stories/a.txt")), FIXED);
    let out = copydesk(
        &dir,
        &[
            "check",
            "--format",
            "json",
            "stories/a.txt",
            "stories/a.txt",
        ],
        None,
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report.as_array().map(Vec::len), Some(0));
}

#[test]
fn rules_that_undo_each_other_are_named() {
    let (_keep, dir) = scratch();
    std::fs::create_dir(dir.join("house")).unwrap();
    std::fs::write(
        dir.join("copydesk.toml"),
        "rule-dirs = [\"house\"]\n[rules]\nspelling-variants = \"off\"\nbritish-american = \"off\"\n",
    )
    .unwrap();
    for (id, from, to) in [
        ("ward-to-wards", "toward", "towards"),
        ("wards-to-ward", "towards", "toward"),
    ] {
        std::fs::write(
            dir.join(format!("house/{id}.toml")),
            format!(
                "kind = \"substitution\"\nseverity = \"warning\"\nmessage = \"write {{suggestion}}\"\n\
                 why = \"House style.\"\nsummary = \"{to}\"\n[swap]\n{from} = \"{to}\"\n\
                 [[example]]\nbad = \"We walked {from} the pier.\"\n\
                 [[example]]\ngood = \"We walked home.\"\n"
            ),
        )
        .unwrap();
    }
    let story = dir.join("walk.txt");
    std::fs::write(
        &story,
        "Walkers head toward the pier\n\nThey walked toward the pier.\n",
    )
    .unwrap();
    let out = copydesk(&dir, &["check", "--fix", "walk.txt"], None);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("`wards-to-ward`") && stderr.contains("`ward-to-wards`"),
        "{stderr}"
    );
    assert!(!String::from_utf8_lossy(&out.stdout).contains("fixed 10"));
}

#[test]
fn a_replacement_naming_a_missing_group_is_a_load_error() {
    let (_keep, dir) = scratch();
    std::fs::create_dir(dir.join("house")).unwrap();
    std::fs::write(dir.join("copydesk.toml"), "rule-dirs = [\"house\"]\n").unwrap();
    std::fs::write(
        dir.join("house/ise.toml"),
        "kind = \"substitution\"\nseverity = \"warning\"\nmessage = \"write {suggestion}\"\n\
         why = \"House style.\"\nsummary = \"-ise\"\n[swap-patterns]\n'\\b(\\w+)ize\\b' = \"$1ise\"\n",
    )
    .unwrap();
    let story = dir.join("s.txt");
    std::fs::write(&story, "Plans\n\nThey organize it.\n").unwrap();
    let out = copydesk(&dir, &["check", "--fix", "s.txt"], None);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("ise.toml:7:"), "{stderr}");
    assert!(stderr.contains("${1}ise"), "{stderr}");
    assert_eq!(text(&story), "Plans\n\nThey organize it.\n");
}
