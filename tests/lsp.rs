//! `copydesk lsp` driven as an editor drives it: the real binary over its
//! standard input and output, speaking the protocol through `lsp-server`'s
//! message framing. Every position the server sends is turned back into
//! bytes here, by a conversion written for the test, and compared with what
//! `copydesk check --format json` reports on the same text.

use std::collections::HashMap;
use std::io::{BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use lsp_server::{Message, Notification, Request, RequestId, Response};
use serde_json::{Value, json};

const WAIT: Duration = Duration::from_secs(20);

struct Client {
    child: Child,
    input: ChildStdin,
    messages: mpsc::Receiver<Message>,
    next_id: i32,
    /// Diagnostics published per URI, newest last.
    published: HashMap<String, Vec<Value>>,
    /// Log messages the server sent.
    logs: Vec<String>,
    utf8: bool,
}

impl Client {
    /// Start the server in `dir` and initialize it; `utf8` offers UTF-8
    /// positions (the server then uses them).
    fn start(dir: &Path, utf8: bool, options: Value) -> (Client, Value) {
        let mut child = Command::new(env!("CARGO_BIN_EXE_copydesk"))
            .arg("lsp")
            .env("COPYDESK_LSP_PANIC_ON", "PANIC-HERE")
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("copydesk lsp starts");
        let input = child.stdin.take().unwrap();
        let mut output = BufReader::new(child.stdout.take().unwrap());
        let (tx, messages) = mpsc::channel();
        std::thread::spawn(move || {
            while let Ok(Some(msg)) = Message::read(&mut output) {
                if tx.send(msg).is_err() {
                    break;
                }
            }
        });
        let mut client = Client {
            child,
            input,
            messages,
            next_id: 0,
            published: HashMap::new(),
            logs: Vec::new(),
            utf8,
        };
        let encodings = if utf8 {
            json!(["utf-8", "utf-16"])
        } else {
            json!(["utf-16"])
        };
        let init = client.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": uri(dir),
                "capabilities": {
                    "general": { "positionEncodings": encodings },
                    "workspace": { "didChangeWatchedFiles": { "dynamicRegistration": true } },
                    "textDocument": { "publishDiagnostics": { "relatedInformation": true } }
                },
                "initializationOptions": options,
            }),
        );
        client.notify("initialized", json!({}));
        (client, init)
    }

    fn send(&mut self, msg: Message) {
        msg.write(&mut self.input).expect("the server reads");
        self.input.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(Message::Notification(Notification::new(
            method.into(),
            params,
        )));
    }

    /// Send a request and wait for its response (the result, or the error
    /// as `{"error": ...}`).
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        self.send(Message::Request(Request::new(
            id.clone(),
            method.into(),
            params,
        )));
        loop {
            match self.next_message() {
                Message::Response(r) if r.id == id => {
                    return match r.response_result {
                        Err(e) => json!({ "error": { "code": e.code, "message": e.message } }),
                        Ok(v) => v,
                    };
                }
                other => self.take(other),
            }
        }
    }

    fn next_message(&mut self) -> Message {
        self.messages
            .recv_timeout(WAIT)
            .expect("the server answers in time")
    }

    /// Keep a message that is not the one waited for.
    fn take(&mut self, msg: Message) {
        match msg {
            Message::Notification(n) if n.method == "textDocument/publishDiagnostics" => {
                let uri = n.params["uri"].as_str().unwrap().to_string();
                self.published.entry(uri).or_default().push(n.params);
            }
            Message::Notification(n) if n.method == "window/logMessage" => {
                self.logs
                    .push(n.params["message"].as_str().unwrap_or("").to_string());
            }
            Message::Request(r) => {
                // client/registerCapability and the like: accepted.
                self.send(Message::Response(Response::new_ok(r.id, Value::Null)));
            }
            _ => {}
        }
    }

    /// Wait for diagnostics on `uri` (for `version`, if given) and return
    /// them.
    fn diagnostics(&mut self, uri: &str, version: Option<i64>) -> Vec<Value> {
        loop {
            if let Some(list) = self.published.get(uri)
                && let Some(last) = list.last()
                && (version.is_none() || last["version"].as_i64() == version)
            {
                let d = last["diagnostics"].as_array().unwrap().clone();
                self.published.remove(uri);
                return d;
            }
            let msg = self.next_message();
            self.take(msg);
        }
    }

    fn open(&mut self, uri: &str, language: &str, text: &str) -> Vec<Value> {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": language, "version": 1, "text": text } }),
        );
        self.diagnostics(uri, Some(1))
    }

    fn shutdown(mut self) {
        let r = self.request("shutdown", Value::Null);
        assert_eq!(r, Value::Null);
        self.notify("exit", Value::Null);
        let status = self.child.wait().unwrap();
        assert!(status.success(), "the server exits cleanly: {status:?}");
    }

    /// A position the server sent, as a byte offset in `text`.
    fn offset(&self, text: &str, pos: &Value) -> usize {
        let line = pos["line"].as_u64().unwrap() as usize;
        let character = pos["character"].as_u64().unwrap() as usize;
        let mut start = 0;
        for _ in 0..line {
            start += text[start..]
                .find('\n')
                .map(|i| i + 1)
                .unwrap_or(text.len() - start);
        }
        let mut units = 0;
        for (i, c) in text[start..].char_indices() {
            if units >= character || c == '\n' {
                return start + i;
            }
            units += if self.utf8 {
                c.len_utf8()
            } else {
                c.len_utf16()
            };
        }
        text.len()
    }

    fn span(&self, text: &str, range: &Value) -> (usize, usize) {
        (
            self.offset(text, &range["start"]),
            self.offset(text, &range["end"]),
        )
    }

    /// (rule, byte start, byte end) of each diagnostic, sorted.
    fn findings(&self, text: &str, diags: &[Value]) -> Vec<(String, usize, usize)> {
        let mut v: Vec<_> = diags
            .iter()
            .map(|d| {
                let (s, e) = self.span(text, &d["range"]);
                (d["code"].as_str().unwrap_or("").to_string(), s, e)
            })
            .collect();
        v.sort();
        v
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        // A test that failed leaves no server behind.
        let _ = self.child.kill();
    }
}

fn uri(p: &Path) -> String {
    let abs = std::path::absolute(p).unwrap();
    let mut out = String::from("file://");
    for b in abs.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `copydesk check --format json` on a file: (rule, byte start, byte end).
fn check_json(dir: &Path, file: &Path) -> Vec<(String, usize, usize)> {
    let out = Command::new(env!("CARGO_BIN_EXE_copydesk"))
        .args(["check", "--format", "json"])
        .arg(file)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(out.status.code().unwrap() < 2, "{out:?}");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut found: Vec<_> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["byte_start"].as_u64().unwrap() as usize,
                f["byte_end"].as_u64().unwrap() as usize,
            )
        })
        .collect();
    found.sort();
    found
}

fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("copydesk.toml"), "").unwrap();
    dir
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn initialize_names_the_server_and_the_position_encoding() {
    let dir = scratch();
    let (client, init) = Client::start(dir.path(), false, Value::Null);
    assert_eq!(init["serverInfo"]["name"], "copydesk");
    let caps = &init["capabilities"];
    assert_eq!(caps["positionEncoding"], "utf-16");
    assert_eq!(caps["textDocumentSync"]["change"], 2, "incremental sync");
    assert_eq!(caps["hoverProvider"], true);
    client.shutdown();
    let (client, init) = Client::start(dir.path(), true, Value::Null);
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-8");
    client.shutdown();
}

#[test]
fn the_sample_draft_gives_what_check_gives() {
    let root = root();
    let file = root.join("examples/draft.txt");
    let text = std::fs::read_to_string(&file).unwrap();
    let (mut client, _) = Client::start(&root, false, Value::Null);
    let diags = client.open(&uri(&file), "plaintext", &text);
    let expected = check_json(&root, &file);
    assert!(!expected.is_empty());
    assert_eq!(client.findings(&text, &diags), expected);
    // Severity, source, code description and the related "first appears
    // here" places are all there.
    let repeated = diags
        .iter()
        .find(|d| d["code"] == "repeated-paragraph")
        .expect("the sample has a repeated paragraph");
    assert_eq!(repeated["source"], "copydesk");
    assert!(repeated["severity"].as_u64().is_some());
    assert!(repeated["codeDescription"]["href"].as_str().is_some());
    let related = repeated["relatedInformation"].as_array().unwrap();
    assert!(!related.is_empty());
    assert_eq!(related[0]["location"]["uri"], uri(&file));
    client.shutdown();
}

/// Stories of the shared corpus (every fifth, when it is there) and the
/// gold set's own stories: the editor's findings equal `check`'s, rule by
/// rule and span by span.
#[test]
fn stories_give_in_the_editor_what_check_gives() {
    let root = root();
    let mut files: Vec<PathBuf> = Vec::new();
    for dir in [
        root.join("tests/accuracy/stories"),
        root.join("../shared/corpus/news"),
    ] {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut found: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "txt" || e == "md"))
            .collect();
        found.sort();
        files.extend(found.into_iter().step_by(5));
    }
    assert!(files.len() >= 5, "stories to compare: {files:?}");
    let (mut client, _) = Client::start(&root, false, Value::Null);
    let mut compared = 0;
    for file in &files {
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        let language = if file.extension().is_some_and(|e| e == "md") {
            "markdown"
        } else {
            "plaintext"
        };
        let diags = client.open(&uri(file), language, &text);
        assert_eq!(
            client.findings(&text, &diags),
            check_json(&root, file),
            "{}",
            file.display()
        );
        client.notify(
            "textDocument/didClose",
            json!({ "textDocument": { "uri": uri(file) } }),
        );
        compared += 1;
    }
    assert!(compared >= 5);
    client.shutdown();
}

#[test]
fn an_edit_is_checked_and_columns_count_utf16_units() {
    let dir = scratch();
    let file = dir.path().join("story.txt");
    let doc = uri(&file);
    let text = "Café owners 😀 welcome the plan\n\nThe café reopened on Monday.\n";
    let (mut client, _) = Client::start(dir.path(), false, Value::Null);
    let first = client.open(&doc, "plaintext", text);
    assert!(first.iter().all(|d| d["code"] != "doubled-word"));
    // Insert "the " before "plan" on line 0: after "Café owners 😀 welcome
    // the " (UTF-16: 28 units; UTF-8: 31 bytes).
    let at = text.find("plan").unwrap();
    let units: usize = text[..at].chars().map(char::len_utf16).sum();
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": doc, "version": 2 },
            "contentChanges": [{
                "range": { "start": { "line": 0, "character": units }, "end": { "line": 0, "character": units } },
                "text": "the "
            }]
        }),
    );
    let now = format!("{}the {}", &text[..at], &text[at..]);
    let diags = client.diagnostics(&doc, Some(2));
    let doubled = diags
        .iter()
        .find(|d| d["code"] == "doubled-word")
        .expect("the edit made a doubled word");
    let range = &doubled["range"];
    let start = now.find("the the").unwrap();
    let start_units: usize = now[..start].chars().map(char::len_utf16).sum();
    assert_eq!(range["start"]["character"], start_units);
    assert_eq!(client.span(&now, range), (start, start + "the the".len()));
    std::fs::write(&file, &now).unwrap();
    assert_eq!(client.findings(&now, &diags), check_json(dir.path(), &file));
    client.shutdown();

    // The same with UTF-8 positions: byte columns.
    let (mut client, _) = Client::start(dir.path(), true, Value::Null);
    let diags = client.open(&doc, "plaintext", &now);
    let doubled = diags.iter().find(|d| d["code"] == "doubled-word").unwrap();
    assert_eq!(doubled["range"]["start"]["character"], start);
    client.shutdown();
}

/// Apply a workspace edit's text edits for `doc` to `text`.
fn apply(client: &Client, text: &str, edit: &Value, doc: &str) -> String {
    let edits = edit["changes"][doc]
        .as_array()
        .expect("edits for the document");
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            let (s, end) = client.span(text, &e["range"]);
            (s, end, e["newText"].as_str().unwrap().to_string())
        })
        .collect();
    spans.sort_by_key(|(s, e, _)| (*s, *e));
    let mut out = text.to_string();
    for (s, e, with) in spans.into_iter().rev() {
        out.replace_range(s..e, &with);
    }
    out
}

#[test]
fn code_actions_fix_one_problem_all_safe_problems_or_silence_a_rule() {
    let dir = scratch();
    let file = dir.path().join("story.md");
    let doc = uri(&file);
    let text = "# Council backs plan\n\nThe council approved the the plan on Monday.\n\n\
                Work will start in in spring, officials said.\n";
    let (mut client, _) = Client::start(dir.path(), false, Value::Null);
    let diags = client.open(&doc, "markdown", text);
    let doubled: Vec<&Value> = diags
        .iter()
        .filter(|d| d["code"] == "doubled-word")
        .collect();
    assert_eq!(doubled.len(), 2, "{diags:?}");
    let range = doubled[0]["range"].clone();
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": doc },
            "range": range,
            "context": { "diagnostics": [doubled[0]] }
        }),
    );
    let actions = actions.as_array().unwrap();
    let titles: Vec<&str> = actions
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    let quick = actions
        .iter()
        .find(|a| a["kind"] == "quickfix" && a["isPreferred"] == true)
        .unwrap_or_else(|| panic!("a preferred quick fix among {titles:?}"));
    let fixed_one = apply(&client, text, &quick["edit"], &doc);
    assert_eq!(
        fixed_one,
        text.replacen("the the plan", "the plan", 1),
        "{titles:?}"
    );

    // Fix all: what `copydesk check --fix` writes.
    let all = actions
        .iter()
        .find(|a| a["kind"] == "source.fixAll")
        .unwrap_or_else(|| panic!("fix all among {titles:?}"));
    let fixed_all = apply(&client, text, &all["edit"], &doc);
    std::fs::write(&file, text).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_copydesk"))
        .args(["check", "--fix", "story.md"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(out.status.code().unwrap() < 2);
    assert_eq!(fixed_all, std::fs::read_to_string(&file).unwrap());

    // Suppress: the comment silences the rule on that line, and only there.
    let suppress = actions
        .iter()
        .find(|a| {
            a["title"]
                .as_str()
                .unwrap()
                .starts_with("Suppress doubled-word")
        })
        .unwrap_or_else(|| panic!("a suppression among {titles:?}"));
    let silenced = apply(&client, text, &suppress["edit"], &doc);
    assert!(silenced.contains("<!-- copydesk-disable-next-line doubled-word -->\nThe council"));
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": doc, "version": 2 },
            "contentChanges": [{ "text": silenced }]
        }),
    );
    let after = client.diagnostics(&doc, Some(2));
    let left: Vec<&Value> = after
        .iter()
        .filter(|d| d["code"] == "doubled-word")
        .collect();
    assert_eq!(left.len(), 1, "{after:?}");
    assert_eq!(left[0]["range"]["start"]["line"], 5);
    client.shutdown();
}

#[test]
fn a_finding_inside_a_wrapped_paragraph_is_silenced_around_the_paragraph() {
    let dir = scratch();
    let file = dir.path().join("wrapped.md");
    let doc = uri(&file);
    let text = "# Council backs plan\n\nThe council approved the plan\non Monday after the the vote.\n\nMore.\n";
    let (mut client, _) = Client::start(dir.path(), false, Value::Null);
    let diags = client.open(&doc, "markdown", text);
    let d = diags
        .iter()
        .find(|d| d["code"] == "doubled-word")
        .unwrap()
        .clone();
    let actions = client.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": doc }, "range": d["range"], "context": { "diagnostics": [d] } }),
    );
    let suppress = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"].as_str().unwrap().starts_with("Suppress"))
        .unwrap()
        .clone();
    let silenced = apply(&client, text, &suppress["edit"], &doc);
    assert_eq!(
        silenced,
        "# Council backs plan\n\n<!-- copydesk-disable doubled-word -->\nThe council approved the plan\n\
         on Monday after the the vote.\n<!-- copydesk-enable doubled-word -->\n\nMore.\n"
    );
    std::fs::write(&file, &silenced).unwrap();
    assert!(
        check_json(dir.path(), &file)
            .iter()
            .all(|(rule, _, _)| rule != "doubled-word")
    );
    client.shutdown();
}

#[test]
fn hover_explains_the_rule() {
    let dir = scratch();
    let doc = uri(&dir.path().join("story.txt"));
    let text = "Council backs plan\n\nThe council approved the the plan.\n";
    let (mut client, _) = Client::start(dir.path(), false, Value::Null);
    client.open(&doc, "plaintext", text);
    let at = text.find("the the").unwrap() + 2;
    let hover = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": doc }, "position": { "line": 2, "character": at - text.find("The council").unwrap() } }),
    );
    let value = hover["contents"]["value"].as_str().unwrap();
    assert!(value.contains("**doubled-word**"), "{value}");
    assert!(value.contains("Why"), "{value}");
    let nothing = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": doc }, "position": { "line": 0, "character": 1 } }),
    );
    assert_eq!(nothing, Value::Null);
    client.shutdown();
}

#[test]
fn settings_reload_and_a_broken_config_keeps_the_last_good_one() {
    let dir = scratch();
    let config = dir.path().join("copydesk.toml");
    let doc = uri(&dir.path().join("story.txt"));
    let text = "Council backs plan\n\nThe council approved the the plan.\n";
    let (mut client, _) = Client::start(dir.path(), false, Value::Null);
    let diags = client.open(&doc, "plaintext", text);
    assert!(diags.iter().any(|d| d["code"] == "doubled-word"));

    std::fs::write(&config, "[rules]\ndoubled-word = \"off\"\n").unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": uri(&config), "type": 2 }] }),
    );
    let diags = client.diagnostics(&doc, Some(1));
    assert!(
        diags.iter().all(|d| d["code"] != "doubled-word"),
        "{diags:?}"
    );

    // A config that does not load: its error on the config file, at its
    // line, and the document keeps the last good settings.
    std::fs::write(
        &config,
        "[rules]\ndoubled-word = \"off\"\nno-such-rule = \"error\"\n",
    )
    .unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": uri(&config), "type": 2 }] }),
    );
    let errors = client.diagnostics(&uri(&config), None);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0]["range"]["start"]["line"], 2);
    assert!(
        errors[0]["message"]
            .as_str()
            .unwrap()
            .contains("no-such-rule")
    );
    let diags = client.diagnostics(&doc, Some(1));
    assert!(
        diags.iter().all(|d| d["code"] != "doubled-word"),
        "{diags:?}"
    );

    // Mended: the error goes away.
    std::fs::write(&config, "").unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": uri(&config), "type": 2 }] }),
    );
    let diags = client.diagnostics(&doc, Some(1));
    assert!(diags.iter().any(|d| d["code"] == "doubled-word"));
    let errors = client.diagnostics(&uri(&config), None);
    assert!(errors.is_empty());
    client.shutdown();
}

#[test]
fn a_config_file_named_by_the_client_is_used() {
    let dir = scratch();
    std::fs::write(
        dir.path().join("house.toml"),
        "[rules]\ndoubled-word = \"off\"\n",
    )
    .unwrap();
    let doc = uri(&dir.path().join("story.txt"));
    let text = "Council backs plan\n\nThe council approved the the plan.\n";
    let (mut client, _) = Client::start(dir.path(), false, json!({ "config": "house.toml" }));
    let diags = client.open(&doc, "plaintext", text);
    assert!(
        diags.iter().all(|d| d["code"] != "doubled-word"),
        "{diags:?}"
    );
    client.shutdown();
}

#[test]
fn malformed_messages_and_edits_never_stop_the_server() {
    let dir = scratch();
    let doc = uri(&dir.path().join("story.txt"));
    let (mut client, _) = Client::start(dir.path(), false, Value::Null);
    // A didOpen without its text, a request with wrong parameters, an
    // unknown request, an edit whose range is past the end of the text.
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": doc, "languageId": "plaintext", "version": 1 } }),
    );
    let bad = client.request("textDocument/codeAction", json!({ "range": 3 }));
    assert_eq!(bad["error"]["code"], -32602, "{bad}");
    let unknown = client.request("textDocument/formatting", json!({}));
    assert_eq!(unknown["error"]["code"], -32601, "{unknown}");
    let text = "Council backs plan\n\nThe council approved the plan.\n";
    client.open(&doc, "plaintext", text);
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": doc, "version": 2 },
            "contentChanges": [{
                "range": { "start": { "line": 40, "character": 3 }, "end": { "line": 99, "character": 0 } },
                "text": " It was the the end."
            }]
        }),
    );
    let diags = client.diagnostics(&doc, Some(2));
    assert!(
        diags.iter().any(|d| d["code"] == "doubled-word"),
        "{diags:?}"
    );
    // Text that is not a story at all: control characters, a NUL, a lone
    // surrogate's replacement, very long lines.
    let junk = format!("\u{0}\u{1b}[31m\u{fffd}{}\r\r\n", "x".repeat(200_000));
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": doc, "version": 3 }, "contentChanges": [{ "text": junk }] }),
    );
    client.diagnostics(&doc, Some(3));
    assert!(
        client.logs.iter().any(|l| l.contains("didOpen")),
        "{:?}",
        client.logs
    );
    client.shutdown();
}

/// A panic while checking one document is reported on it, and the server
/// goes on checking the others (debug builds plant the panic).
#[test]
fn a_panic_on_one_document_leaves_the_others_checked() {
    if !cfg!(debug_assertions) {
        return;
    }
    let dir = scratch();
    let bad = uri(&dir.path().join("bad.txt"));
    let good = uri(&dir.path().join("good.txt"));
    let (mut client, _) = Client::start(dir.path(), false, Value::Null);
    let diags = client.open(&bad, "plaintext", "Headline\n\nPANIC-HERE the the end.\n");
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert!(
        diags[0]["message"]
            .as_str()
            .unwrap()
            .contains("could not check")
    );
    let diags = client.open(&good, "plaintext", "Headline\n\nIt was the the end.\n");
    assert!(
        diags.iter().any(|d| d["code"] == "doubled-word"),
        "{diags:?}"
    );
    client.shutdown();
}
