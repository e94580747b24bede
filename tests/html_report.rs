//! `check --format html` is safe to open for any draft: text and paths
//! that look like markup stay data. The page's only script elements are its
//! own (one per story's data, one per problem, the totals and the code),
//! draft text appears only inside JSON with the characters that could end a
//! script escaped, and the JSON reads back to the exact text.

use std::process::Command;

const HOSTILE: &str = "Council backs plan\n\n\
<script>alert(1)</script> said the the mayor.\n\
A stray </script> and <!-- a comment opener.\n\
<img src=x onerror=alert(2)> and &amp; and &lt;b&gt;\n\
Line\u{2028}separator and paragraph\u{2029}separator.\n";

fn run(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_copydesk"))
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .unwrap()
}

/// Each `<script ...>...</script>` of the page: (opening tag, content).
fn scripts(page: &str) -> Vec<(&str, &str)> {
    let lower = page.to_ascii_lowercase();
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(open) = lower[at..].find("<script").map(|i| at + i) {
        let tag_end = open + page[open..].find('>').unwrap() + 1;
        let close = tag_end + lower[tag_end..].find("</script").expect("closed");
        found.push((&page[open..tag_end], &page[tag_end..close]));
        at = close + "</script".len();
    }
    found
}

#[test]
fn markup_in_a_draft_or_a_path_stays_data() {
    let dir = tempfile::tempdir().unwrap();
    let name = "a<b>&\"q\".txt";
    std::fs::write(dir.path().join(name), HOSTILE).unwrap();
    std::fs::write(dir.path().join("<bad>.txt"), b"not \xff utf-8\n").unwrap();
    let out = run(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--format",
            "html",
            name,
            "<bad>.txt",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let page = String::from_utf8(out.stdout).unwrap();

    // The page's own script elements and no others: one per story, one per
    // problem, the totals, and the page's code (the only one that runs).
    let found = scripts(&page);
    let lower = page.to_ascii_lowercase();
    assert_eq!(lower.matches("<script").count(), found.len());
    assert_eq!(lower.matches("</script").count(), found.len());
    let tags: Vec<&str> = found.iter().map(|(tag, _)| *tag).collect();
    assert_eq!(tags.len(), 4, "{tags:#?}");
    assert!(tags[0].starts_with("<script type=\"application/json\" class=\"cd-story-data\""));
    assert_eq!(
        tags[1],
        "<script type=\"application/json\" class=\"cd-problem-data\">"
    );
    assert_eq!(
        tags[2],
        "<script type=\"application/json\" id=\"cd-totals\">"
    );
    assert_eq!(tags[3], "<script>");

    // The draft's markup never appears as markup anywhere in the page.
    for raw in [
        "<script>alert(1)",
        "<img",
        "<!--",
        "\u{2028}",
        "\u{2029}",
        "&amp; and &lt;b&gt;",
        "a<b>",
        "<bad>",
    ] {
        assert!(!page.contains(raw), "{raw:?} is in the page as it is");
    }
    // The path is escaped in its attribute.
    assert!(
        tags[0].contains("data-path=\"a&lt;b&gt;&amp;&quot;q&quot;.txt\""),
        "{}",
        tags[0]
    );
    // In the data, the same characters are JSON escapes.
    let data = found[0].1;
    for escaped in [
        r"\u003cscript\u003ealert(1)\u003c/script\u003e",
        r"\u003c/script\u003e",
        r"\u003c!--",
        r"\u003cimg src=x onerror=alert(2)\u003e",
        r"\u0026amp;",
        r"Line\u2028separator",
        r"paragraph\u2029separator",
    ] {
        assert!(data.contains(escaped), "{escaped} missing from {data}");
    }
    // And the data reads back to the exact draft and path.
    let story: serde_json::Value = serde_json::from_str(data).unwrap();
    assert_eq!(story["text"], HOSTILE);
    assert_eq!(story["path"], name);
    let rules: Vec<&str> = story["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"doubled-word"), "{rules:?}");
    let problem: serde_json::Value = serde_json::from_str(found[1].1).unwrap();
    assert_eq!(problem["path"], "<bad>.txt");

    // Outside the data, nothing is fetched: no source, link or import.
    let mut shell = page.clone();
    for (_, content) in &found[..3] {
        shell = shell.replacen(content, "", 1);
    }
    for fetch in [
        "src=",
        "href=\"http",
        "http://",
        "https://",
        "@import",
        "url(",
    ] {
        assert!(!shell.contains(fetch), "the page names {fetch}");
    }
}

#[test]
fn a_page_with_no_files_is_still_a_whole_page() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["check", "--no-config", "--format", "html"]);
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"), "{page}");
    assert!(page.ends_with("</html>\n"));
    assert_eq!(scripts(&page).len(), 2, "the totals and the code");
}
