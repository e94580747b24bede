//! `html`: one self-contained page (inline styles and scripts, nothing
//! fetched) showing every checked story as it reads, its findings
//! highlighted in place, a side list of findings, the run's totals and,
//! for many files, an index with counts per severity.
//!
//! The page streams: each file's data is written when the reporter
//! receives it, as a `<script type="application/json">` element holding
//! its [`WebStory`], with the path and counts as attributes for the
//! index. The page's script (`assets/report.js` over the shared
//! `assets/story.js`) comes last and parses a story only when it is
//! opened. Draft text reaches the page only inside JSON with `<`, `>`,
//! `&`, U+2028 and U+2029 written as `\u` escapes, so no draft can end
//! its script element or start markup; the scripts draw it as text nodes.

use std::io::{self, Write};

use serde::Serialize;

use super::web::{STORY_CSS, STORY_JS, WebStory};
use super::{FileResult, Problem, Reporter, Totals};
use crate::finding::Severity;

const REPORT_JS: &str = include_str!("assets/report.js");
const REPORT_CSS: &str = include_str!("assets/report.css");

/// Everything before the first story's data.
const HEAD_START: &str = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n\
<meta name=\"generator\" content=\"copydesk\">\n<title>copydesk report</title>\n<style>\n";

const BODY_START: &str = "</style>\n</head>\n<body>\n\
<header class=\"cd-page-head\"><h1>copydesk report</h1><p id=\"cd-summary\">Reading the report\u{2026}</p></header>\n\
<noscript><p>This page draws the stories with JavaScript; open it in a browser with scripts on.</p></noscript>\n\
<main>\n\
<section id=\"cd-problems\" hidden><h2>Files that could not be checked</h2><ul></ul></section>\n\
<section id=\"cd-index\" hidden>\n\
<div class=\"cd-index-tools\"><input type=\"search\" id=\"cd-filter\" placeholder=\"Filter by file name\" aria-label=\"Filter by file name\">\
<label><input type=\"checkbox\" id=\"cd-with-findings\"> only files with findings</label><span id=\"cd-shown\"></span></div>\n\
<table id=\"cd-files\"><thead><tr><th>File</th><th class=\"cd-n\">Errors</th><th class=\"cd-n\">Warnings</th><th class=\"cd-n\">Notes</th></tr></thead><tbody></tbody></table>\n\
</section>\n\
<section id=\"cd-open\" hidden>\n\
<nav class=\"cd-story-nav\"><a href=\"#\" id=\"cd-back\">All files</a><a id=\"cd-prev\">\u{2039} Previous</a><a id=\"cd-next\">Next \u{203a}</a>\
<h2 id=\"cd-path\"></h2><span id=\"cd-counts\"></span></nav>\n\
<div class=\"cd-layout\"><div id=\"cd-story\"></div><aside id=\"cd-list\" aria-label=\"Findings\"></aside></div>\n\
</section>\n\
</main>\n";

#[derive(Default)]
pub struct Html {
    started: bool,
    /// Each element is built here, then written in one piece.
    buf: Vec<u8>,
}

#[derive(Serialize)]
struct ProblemData<'a> {
    path: &'a str,
    message: &'a str,
}

#[derive(Serialize)]
struct TotalsData {
    files: usize,
    errors: usize,
    warnings: usize,
    notes: usize,
    fixed: usize,
    fix_run: bool,
}

impl Html {
    fn start(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if !self.started {
            self.started = true;
            out.write_all(HEAD_START.as_bytes())?;
            out.write_all(STORY_CSS.as_bytes())?;
            out.write_all(REPORT_CSS.as_bytes())?;
            out.write_all(BODY_START.as_bytes())?;
        }
        Ok(())
    }

    /// Appends a data element, `<script type="application/json"
    /// ATTRIBUTES>` holding `value` (see `script_json`), to `buf`.
    /// `attributes` are already escaped.
    fn data_element(&mut self, attributes: &str, value: &impl Serialize) -> io::Result<()> {
        write!(self.buf, "<script type=\"application/json\" {attributes}>")?;
        script_json(&mut self.buf, value)?;
        self.buf.extend_from_slice(b"</script>\n");
        Ok(())
    }

    /// Writes `buf` (one whole element) to `out` and empties it.
    fn flush(&mut self, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(&self.buf)?;
        self.buf.clear();
        Ok(())
    }
}

impl Reporter for Html {
    fn file(&mut self, out: &mut dyn Write, file: &FileResult) -> io::Result<()> {
        self.start(out)?;
        let count = |s: Severity| file.findings.iter().filter(|f| f.severity == s).count();
        let attributes = format!(
            "class=\"cd-story-data\" data-path=\"{}\" data-errors=\"{}\" data-warnings=\"{}\" data-notes=\"{}\"",
            attribute_escape(&file.source.path),
            count(Severity::Error),
            count(Severity::Warning),
            count(Severity::Note),
        );
        self.data_element(&attributes, &WebStory::of(file))?;
        self.flush(out)
    }

    fn problem(&mut self, out: &mut dyn Write, problem: &Problem) -> io::Result<()> {
        self.start(out)?;
        self.data_element(
            "class=\"cd-problem-data\"",
            &ProblemData {
                path: &problem.path,
                message: &problem.message,
            },
        )?;
        self.flush(out)
    }

    fn finish(&mut self, out: &mut dyn Write, totals: &Totals) -> io::Result<()> {
        self.start(out)?;
        self.data_element(
            "id=\"cd-totals\"",
            &TotalsData {
                files: totals.files,
                errors: totals.errors,
                warnings: totals.warnings,
                notes: totals.notes,
                fixed: totals.fixed,
                fix_run: totals.fix_run,
            },
        )?;
        self.buf.extend_from_slice(b"<script>\n");
        self.buf.extend_from_slice(STORY_JS.as_bytes());
        self.buf.extend_from_slice(REPORT_JS.as_bytes());
        self.buf.extend_from_slice(b"</script>\n</body>\n</html>\n");
        self.flush(out)
    }
}

/// Appends `value` as JSON that is safe inside a `<script>` element: `<`,
/// `>` and `&` become `\u003c`, `\u003e` and `\u0026` (so no `</script>`
/// or `<!--` can appear), and U+2028 and U+2029 become `\u2028` and
/// `\u2029`. JSON has those characters only inside strings, where the
/// escapes mean the same characters, so `JSON.parse` reads the same value.
pub fn script_json<T: Serialize>(buf: &mut Vec<u8>, value: &T) -> io::Result<()> {
    let json = serde_json::to_vec(value)?;
    buf.reserve(json.len());
    let mut plain = 0;
    let mut i = 0;
    while i < json.len() {
        let escape: Option<(&[u8], usize)> = match json[i] {
            b'<' => Some((b"\\u003c", 1)),
            b'>' => Some((b"\\u003e", 1)),
            b'&' => Some((b"\\u0026", 1)),
            // U+2028 and U+2029 are E2 80 A8 and E2 80 A9 in UTF-8.
            0xE2 if json.get(i + 1) == Some(&0x80) && json.get(i + 2) == Some(&0xA8) => {
                Some((b"\\u2028", 3))
            }
            0xE2 if json.get(i + 1) == Some(&0x80) && json.get(i + 2) == Some(&0xA9) => {
                Some((b"\\u2029", 3))
            }
            _ => None,
        };
        match escape {
            Some((with, width)) => {
                buf.extend_from_slice(&json[plain..i]);
                buf.extend_from_slice(with);
                i += width;
                plain = i;
            }
            None => i += 1,
        }
    }
    buf.extend_from_slice(&json[plain..]);
    Ok(())
}

/// Text for a double-quoted HTML attribute value.
pub fn attribute_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escaped(s: &str) -> String {
        let mut buf = Vec::new();
        script_json(&mut buf, &s).unwrap();
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn script_json_escapes_what_could_end_a_script_and_reads_back_the_same() {
        let text = "</script><!-- <img src=x onerror=alert(1)> &amp; a\u{2028}b\u{2029}c \"q\" é";
        let json = escaped(text);
        for bad in ["<", ">", "&", "\u{2028}", "\u{2029}"] {
            assert!(!json.contains(bad), "{bad:?} left in {json}");
        }
        assert!(json.contains(r"\u003c/script\u003e\u003c!--"), "{json}");
        assert!(json.contains(r"\u0026amp;"), "{json}");
        assert!(json.contains(r"a\u2028b\u2029c"), "{json}");
        assert!(json.contains('é'), "other text stays as it is: {json}");
        let back: String = serde_json::from_str(&json).unwrap();
        assert_eq!(back, text);
    }

    #[test]
    fn script_json_leaves_text_without_those_characters_alone() {
        let text = "plain \u{2027} \u{202a} text";
        assert_eq!(escaped(text), serde_json::to_string(text).unwrap());
    }

    #[test]
    fn each_file_is_written_when_it_is_received() {
        let mut html = Html::default();
        let mut out = Vec::new();
        let file = FileResult {
            source: crate::source::Source::new("a.txt", "The the end.\n"),
            findings: Vec::new(),
        };
        html.file(&mut out, &file).unwrap();
        let page = String::from_utf8(out.clone()).unwrap();
        assert!(page.starts_with("<!DOCTYPE html>"));
        assert!(page.ends_with(
            "data-path=\"a.txt\" data-errors=\"0\" data-warnings=\"0\" data-notes=\"0\">\
             {\"path\":\"a.txt\",\"markdown\":false,\"text\":\"The the end.\\n\",\"findings\":[]}</script>\n"
        ));
        assert!(html.buf.is_empty(), "nothing is held back");
        html.finish(&mut out, &Totals::default()).unwrap();
        let page = String::from_utf8(out).unwrap();
        assert_eq!(page.matches("<!DOCTYPE").count(), 1);
        assert!(page.ends_with("</html>\n"));
    }

    #[test]
    fn attribute_escape_leaves_no_markup() {
        assert_eq!(
            attribute_escape("a<b>\"c\"&'d'.txt"),
            "a&lt;b&gt;&quot;c&quot;&amp;&#39;d&#39;.txt"
        );
    }

    #[test]
    fn the_page_scripts_cannot_end_their_own_element() {
        for (name, asset) in [
            ("story.js", STORY_JS),
            ("report.js", REPORT_JS),
            ("story.css", STORY_CSS),
            ("report.css", REPORT_CSS),
        ] {
            let lower = asset.to_ascii_lowercase();
            // `<script` too, so the page's script tags are only its own.
            for bad in ["<script", "</script", "</style", "<!--"] {
                assert!(!lower.contains(bad), "{name} contains {bad}");
            }
        }
    }
}
