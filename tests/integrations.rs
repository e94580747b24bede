//! Integration behaviour that needs real files: --fix writes atomically and
//! idempotently (keeping CRLF, the BOM and permissions), baselines survive
//! edits, and SARIF output validates against the schema.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn copydesk(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_copydesk"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run copydesk")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("copydesk-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

const REPEAT_CRLF_BOM: &str = "\u{feff}Pier Plan\r\n\r\nThe council approved the plan on Monday after a long debate.\r\n\r\nMembers said the vote was close.\r\n\r\nThe council approved the plan on Monday after a long debate.\r\n";
const FIXED_CRLF_BOM: &str = "\u{feff}Pier Plan\r\n\r\nThe council approved the plan on Monday after a long debate.\r\n\r\nMembers said the vote was close.\r\n";

#[test]
fn fix_keeps_crlf_bom_and_permissions_and_is_idempotent() {
    let dir = scratch("fix");
    let file = dir.join("story.txt");
    std::fs::write(&file, REPEAT_CRLF_BOM).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).unwrap();
    }
    let out = copydesk(&dir, &["check", "--fix", "--format", "short", "story.txt"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), FIXED_CRLF_BOM);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
    }
    // A second --fix changes nothing.
    let out = copydesk(&dir, &["check", "--fix", "story.txt"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), FIXED_CRLF_BOM);
    // No temporary files are left behind.
    let names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn fix_exits_1_only_when_findings_remain_and_diff_writes_nothing() {
    let dir = scratch("fix-remaining");
    let file = dir.join("story.txt");
    let text = "Pier Plan\n\nThe council approved the plan on Monday after a long debate.\nThe council approved the plan on Monday after a long debate.\nTK\n";
    std::fs::write(&file, text).unwrap();
    let out = copydesk(&dir, &["check", "--diff", "story.txt"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        text,
        "--diff must not write"
    );
    let out = copydesk(&dir, &["check", "--fix", "--format", "short", "story.txt"]);
    assert_eq!(out.status.code(), Some(1), "the placeholder remains");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "story.txt:4:1: error[placeholder] placeholder \"TK\" left in the copy\n"
    );
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "Pier Plan\n\nThe council approved the plan on Monday after a long debate.\nTK\n"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn baseline_accepts_old_findings_after_edits_above_them() {
    let dir = scratch("baseline");
    let file = dir.join("story.txt");
    std::fs::write(&file, "Pier Plan\n\nThe cost is TK, officials said.\n").unwrap();
    let out = copydesk(&dir, &["baseline", "."]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(dir.join(".copydesk-baseline.json").is_file());
    // Edit above the accepted finding: it stays accepted.
    std::fs::write(
        &file,
        "Pier Plan\n\nA new opening paragraph was added here.\n\nThe cost is TK, officials said.\n",
    )
    .unwrap();
    let out = copydesk(
        &dir,
        &[
            "check",
            "--format",
            "short",
            "--baseline",
            ".copydesk-baseline.json",
            ".",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), "");
    // A new finding is still reported.
    std::fs::write(
        &file,
        "Pier Plan\n\nA new opening paragraph was added here, XXX.\n\nThe cost is TK, officials said.\n",
    )
    .unwrap();
    let out = copydesk(
        &dir,
        &[
            "check",
            "--format",
            "short",
            "--baseline",
            ".copydesk-baseline.json",
            ".",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "./story.txt:3:41: error[placeholder] placeholder \"XXX\" left in the copy\n"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn sarif_output_validates_against_the_schema() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("tests/sarif-2.1.0-subset.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    // The schema does reject what SARIF forbids.
    let bad = serde_json::json!({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}},
        "results": [{"ruleId": "r", "level": "fatal", "message": {"text": "m"}, "locations": [{}]}]}]});
    assert!(!validator.is_valid(&bad));
    for dir in ["basic", "crlf", "markdown", "suppress"] {
        let out = copydesk(
            &root.join("tests/fixtures").join(dir),
            &["check", "--format", "sarif", "."],
        );
        let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).expect("SARIF is JSON");
        let errors: Vec<String> = validator
            .iter_errors(&sarif)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "{dir}: SARIF does not validate:\n{}",
            errors.join("\n")
        );
        // Every result names a rule the driver lists.
        let run = &sarif["runs"][0];
        let ids: Vec<&str> = run["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap())
            .collect();
        for r in run["results"].as_array().unwrap() {
            let id = r["ruleId"].as_str().unwrap();
            let index = r["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(ids[index], id);
        }
    }
}
