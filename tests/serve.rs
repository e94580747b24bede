//! `copydesk serve` over real HTTP: the binary is started with `--port 0`
//! in a scratch folder, its URL read from stdout, and requests sent on a
//! plain TCP socket.
//!
//! The answers are held to `copydesk check`: the same findings (rule,
//! place, message, labels, fixes) as `check --format json` on the draft
//! saved as a file, and the same fixed text as `check --fix` writes.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_copydesk");

/// A running `copydesk serve`, stopped when dropped.
struct Server {
    child: Child,
    addr: SocketAddr,
    url_line: String,
}

impl Server {
    fn start(dir: &Path, args: &[&str]) -> Server {
        let mut child = Command::new(BIN)
            .arg("serve")
            .args(["--port", "0"])
            .args(args)
            .current_dir(dir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let url = line
            .trim_end()
            .strip_prefix("copydesk serve: ")
            .unwrap_or_else(|| panic!("no URL line: {line:?}"));
        let addr = url
            .strip_prefix("http://")
            .and_then(|u| u.strip_suffix('/'))
            .unwrap_or_else(|| panic!("not a URL: {url}"))
            .parse()
            .unwrap();
        Server {
            child,
            addr,
            url_line: line,
        }
    }

    /// One request; the answer's status and body.
    fn send(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
        let host = self.addr.to_string();
        let mut all: Vec<(&str, &str)> = vec![("Host", &host)];
        all.extend_from_slice(headers);
        raw(self.addr, method, path, &all, body)
    }

    fn check(&self, request: &Value) -> Reply {
        self.send(
            "POST",
            "/api/check",
            &[("Content-Type", "application/json")],
            request.to_string().as_bytes(),
        )
    }

    /// Stop it as Ctrl-C does; its exit code and stderr.
    fn interrupt(mut self) -> (i32, String) {
        let pid = self.child.id().to_string();
        let status = Command::new("kill").args(["-INT", &pid]).status().unwrap();
        assert!(status.success());
        let code = self.child.wait().unwrap().code().unwrap_or(-1);
        let mut err = String::new();
        self.child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        (code, err)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Reply {
    status: u16,
    head: String,
    body: Vec<u8>,
}

impl Reply {
    /// The JSON of a 200 answer (the body shown when it is not 200).
    fn ok_json(&self) -> Value {
        assert_eq!(self.status, 200, "{}", String::from_utf8_lossy(&self.body));
        self.json()
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    fn error(&self) -> String {
        self.json()["error"].as_str().unwrap().to_string()
    }

    /// The `path:line:col` messages of a 503 answer for settings that do
    /// not load.
    fn config_errors(&self) -> Vec<String> {
        assert_eq!(self.status, 503, "{}", String::from_utf8_lossy(&self.body));
        assert!(self.error().contains("settings do not load"));
        self.json()["config_errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e.as_str().unwrap().to_string())
            .collect()
    }
}

/// Send a request with exactly these headers (plus the body's length) and
/// read the whole answer. The body is written on another thread, so an
/// answer the server gives before reading all of it is still read.
fn raw(addr: SocketAddr, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
    let mut stream = TcpStream::connect(addr).unwrap();
    let mut head = format!("{method} {path} HTTP/1.1\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    ));
    stream.write_all(head.as_bytes()).unwrap();
    let mut writer = stream.try_clone().unwrap();
    let body = body.to_vec();
    let sending = std::thread::spawn(move || {
        // The server may stop reading (a body over its limit).
        let _ = writer.write_all(&body);
    });
    let mut answer = Vec::new();
    let mut buf = [0u8; 65536];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => answer.extend_from_slice(&buf[..n]),
            Err(e) if answer.is_empty() => panic!("no answer: {e}"),
            Err(_) => break,
        }
    }
    let _ = sending.join();
    let split = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no HTTP head in {:?}", String::from_utf8_lossy(&answer)));
    let head = String::from_utf8_lossy(&answer[..split]).to_string();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    Reply {
        status,
        head,
        body: answer[split + 4..].to_vec(),
    }
}

/// A folder whose settings are its own (an empty copydesk.toml stops the
/// search for one in the folders above).
fn scratch(config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("copydesk.toml"), config).unwrap();
    dir
}

fn sample() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/draft.txt"))
        .unwrap()
}

/// A draft of our own with a repeated paragraph and a doubled word.
const DRAFT: &str = "Council approves bus lanes\n\n\
    The council voted 7-2 on Tuesday to add bus lanes on three roads, officials said.\n\n\
    Mayor Ana Ruiz said the the lanes would open in spring.\n\n\
    The council voted 7-2 on Tuesday to add bus lanes on three roads, officials said.\n";

fn run_check(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .arg("check")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

/// A finding as `check --format json` gives it, in the fields a story
/// shares with it: rule, severity, message, place (bytes, line, column),
/// labels and fix edits.
fn from_check(f: &Value) -> Value {
    json!({
        "rule": f["rule"],
        "severity": f["severity"],
        "message": f["message"],
        "place": [f["byte_start"], f["byte_end"], f["line"], f["column"]],
        "labels": f["labels"].as_array().unwrap().iter()
            .map(|l| json!([l["line"], l["column"], l["message"]])).collect::<Vec<_>>(),
        "fix": f["fix"].as_object().map(|fix| json!({
            "applicability": fix["applicability"],
            "description": fix["description"],
            "edits": fix["edits"].as_array().unwrap().iter()
                .map(|e| json!([e["byte_start"], e["byte_end"], e["replacement"]]))
                .collect::<Vec<_>>(),
        })),
    })
}

/// A UTF-16 offset into `text` as a byte offset.
fn in_bytes(text: &str, units: &Value) -> usize {
    let units = units.as_u64().unwrap() as usize;
    let mut seen = 0;
    for (i, c) in text.char_indices() {
        if seen >= units {
            return i;
        }
        seen += c.len_utf16();
    }
    text.len()
}

/// The same fields of a story's finding, its UTF-16 offsets turned into
/// byte offsets of the file: the story's text after `bom` bytes.
fn from_story(text: &str, bom: usize, f: &Value) -> Value {
    let byte = |units: &Value| -> usize { bom + in_bytes(text, units) };
    json!({
        "rule": f["rule"],
        "severity": f["severity"],
        "message": f["message"],
        "place": [byte(&f["start"]), byte(&f["end"]), f["line"], f["column"]],
        "labels": f["labels"].as_array().unwrap().iter()
            .map(|l| json!([l["line"], l["column"], l["message"]])).collect::<Vec<_>>(),
        "fix": f["fix"].as_object().map(|fix| json!({
            "applicability": fix["applicability"],
            "description": fix["description"],
            "edits": fix["edits"].as_array().unwrap().iter()
                .map(|e| json!([byte(&e["start"]), byte(&e["end"]), e["replacement"]]))
                .collect::<Vec<_>>(),
        })),
    })
}

/// Check `text` through the server and as a file named `name` in `dir`
/// (with `--headline` when one is given), and hold the two to each other:
/// findings, and the fixed text `check --fix` writes.
fn same_as_check(server: &Server, dir: &Path, text: &str, markdown: bool, headline: Option<&str>) {
    let name = if markdown { "draft.md" } else { "draft.txt" };
    let reply = server.check(&json!({ "text": text, "markdown": markdown, "headline": headline }));
    let answer = reply.ok_json();
    let story = &answer["story"];
    assert_eq!(story["path"], name);
    assert_eq!(story["markdown"], markdown);
    // The story's text and its offsets leave out a BOM; check's byte
    // offsets are the file's.
    let bare = text.trim_start_matches('\u{feff}');
    let bom = text.len() - bare.len();
    assert_eq!(story["text"], bare);

    std::fs::write(dir.join(name), text).unwrap();
    let mut args = vec!["--format", "json", name];
    if let Some(h) = headline {
        args.extend(["--headline", h]);
    }
    let out = run_check(dir, &args);
    assert!(out.status.code().unwrap() < 2, "{out:?}");
    let expected: Vec<Value> = serde_json::from_slice::<Value>(&out.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(from_check)
        .collect();
    let got: Vec<Value> = story["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| from_story(bare, bom, f))
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(got, expected);

    let mut args = vec!["--fix", name];
    if let Some(h) = headline {
        args.extend(["--headline", h]);
    }
    let out = run_check(dir, &args);
    assert!(out.status.code().unwrap() < 2, "{out:?}");
    let fixed = std::fs::read_to_string(dir.join(name)).unwrap();
    assert_ne!(fixed, text, "the draft has safe fixes");
    assert_eq!(answer["fixed"], fixed);
    assert!(answer["safe_fixes"].as_u64().unwrap() > 0);
    assert_eq!(answer["problems"], json!([]));
}

#[test]
fn it_prints_its_url_and_listens_on_loopback_by_default() {
    let dir = scratch("");
    let server = Server::start(dir.path(), &[]);
    assert!(server.url_line.ends_with('\n'));
    assert!(server.addr.ip().is_loopback(), "{}", server.url_line);
    assert_eq!(server.addr.ip().to_string(), "127.0.0.1");
    assert_ne!(server.addr.port(), 0);
    let page = server.send("GET", "/", &[], b"");
    assert_eq!(page.status, 200);
    let html = String::from_utf8(page.body.clone()).unwrap();
    assert!(html.contains("<textarea id=\"draft\""));
    assert!(html.contains("Copydesk.renderStory"));
    assert!(
        page.head
            .to_ascii_lowercase()
            .contains("content-security-policy")
    );
    // No permissive CORS.
    assert!(
        !page
            .head
            .to_ascii_lowercase()
            .contains("access-control-allow")
    );
    let (code, err) = server.interrupt();
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("stopped"), "{err}");
    assert!(!err.contains("warning"), "{err}");
}

#[test]
fn a_network_address_is_warned_about() {
    let dir = scratch("");
    let server = Server::start(dir.path(), &["--host", "0.0.0.0"]);
    assert_eq!(
        server.addr.ip().to_string(),
        "127.0.0.1",
        "reached on loopback"
    );
    let (code, err) = server.interrupt();
    assert_eq!(code, 0);
    assert!(
        err.contains("warning: listening on 0.0.0.0, which other machines can reach"),
        "{err}"
    );
}

#[test]
fn the_sample_draft_gets_what_check_gives() {
    let dir = scratch("");
    let server = Server::start(dir.path(), &[]);
    same_as_check(&server, dir.path(), &sample(), false, None);
    same_as_check(&server, dir.path(), &sample(), true, None);
    same_as_check(&server, dir.path(), DRAFT, false, None);
    same_as_check(
        &server,
        dir.path(),
        DRAFT,
        true,
        Some("Council approves bus lanes"),
    );
    // Accents, an emoji and a BOM: offsets are UTF-16 units of the text
    // without its BOM, and the fixed text keeps the BOM as --fix does.
    let accented = format!("\u{feff}Café 😀 news\n\n{}", DRAFT.replace("Ruiz", "Ruíz"));
    let reply = server.check(&json!({ "text": accented, "markdown": false }));
    let answer = reply.json();
    assert_eq!(
        answer["story"]["text"],
        accented.trim_start_matches('\u{feff}')
    );
    assert!(answer["fixed"].as_str().unwrap().starts_with('\u{feff}'));
    same_as_check(&server, dir.path(), &accented, false, None);
}

/// The rules of an answer's findings, in order.
fn rules_found(answer: &Value) -> Vec<String> {
    answer["story"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_start_folders_settings_apply_and_are_read_again_when_they_change() {
    let dir = scratch("[rules]\nrepeated-paragraph = \"off\"\n");
    let server = Server::start(dir.path(), &[]);
    let rules = |server: &Server| -> Vec<String> {
        let reply = server.check(&json!({ "text": DRAFT, "markdown": false }));
        let answer = reply.ok_json();
        assert_eq!(answer["settings"], "copydesk.toml");
        rules_found(&answer)
    };
    assert_eq!(rules(&server), ["doubled-word"]);

    // A config that stops loading is reported with its place, and the
    // server goes on.
    std::fs::write(
        dir.path().join("copydesk.toml"),
        "[rules]\nrepeated-paragraph = \"offf\"\n",
    )
    .unwrap();
    let errors = server.check(&json!({ "text": DRAFT })).config_errors();
    assert!(errors[0].starts_with("copydesk.toml:2:"), "{errors:?}");

    // Fixed: checked with the new settings.
    std::fs::write(
        dir.path().join("copydesk.toml"),
        "[rules]\ndoubled-word = \"off\"\n",
    )
    .unwrap();
    assert_eq!(rules(&server), ["repeated-paragraph"]);
}

// In the tests below each edit changes the file's length, so that it is
// seen even when the file system's clock has not moved since the last one.

#[test]
fn an_edited_names_list_applies_from_the_next_check() {
    let dir = scratch("names = \"people.toml\"\n");
    let person = "[[person]]\nname = \"Oleksandr Hrytsenko\"\nvariants = [\"Gritsenko\"]\n";
    std::fs::write(dir.path().join("people.toml"), person).unwrap();
    let server = Server::start(dir.path(), &[]);
    let text = "Floods ease\n\nGritsenko said the dam had held.\n";
    let names = || rules_found(&server.check(&json!({ "text": text })).ok_json());
    assert_eq!(names(), ["name-form"]);
    std::fs::write(dir.path().join("people.toml"), "# No one yet.\n").unwrap();
    assert_eq!(names(), Vec::<String>::new());
    std::fs::write(dir.path().join("people.toml"), person).unwrap();
    assert_eq!(names(), ["name-form"]);
}

#[test]
fn a_rule_file_added_mended_or_taken_out_of_a_rule_folder_applies_from_the_next_check() {
    let dir = scratch("rule-dirs = [\"house\"]\n");
    std::fs::create_dir(dir.path().join("house")).unwrap();
    let server = Server::start(dir.path(), &[]);
    let text = "Merger talks\n\nThe firms promised gubbins in the merger.\n";
    let check = || server.check(&json!({ "text": text }));
    assert_eq!(rules_found(&check().ok_json()), Vec::<String>::new());

    let rule = dir.path().join("house/no-gubbins.toml");
    let good = "kind = \"existence\"\nseverity = \"warning\"\nmessage = \"avoid {match}\"\n\
        why = \"House style.\"\npatterns = ['\\bgubbins\\b']\n";
    std::fs::write(&rule, good).unwrap();
    assert_eq!(rules_found(&check().ok_json()), ["no-gubbins"]);

    // Broken: the page is told where, and the server goes on.
    std::fs::write(
        &rule,
        good.replace("message = \"avoid {match}\"", "message = "),
    )
    .unwrap();
    let errors = check().config_errors();
    assert!(
        errors[0].starts_with("house/no-gubbins.toml:3:"),
        "{errors:?}"
    );

    // Mended.
    std::fs::write(&rule, good).unwrap();
    assert_eq!(rules_found(&check().ok_json()), ["no-gubbins"]);

    // Taken out.
    std::fs::remove_file(&rule).unwrap();
    assert_eq!(rules_found(&check().ok_json()), Vec::<String>::new());
}

#[test]
fn an_edited_file_the_config_extends_applies_from_the_next_check() {
    let dir = scratch("extend = \"shared/base.toml\"\n");
    let base = dir.path().join("shared/base.toml");
    std::fs::create_dir(dir.path().join("shared")).unwrap();
    std::fs::write(&base, "[rules]\nrepeated-paragraph = \"off\"\n").unwrap();
    let server = Server::start(dir.path(), &[]);
    let found = || rules_found(&server.check(&json!({ "text": DRAFT })).ok_json());
    assert_eq!(found(), ["doubled-word"]);
    std::fs::write(&base, "[rules]\ndoubled-word = \"off\"\n").unwrap();
    assert_eq!(found(), ["repeated-paragraph"]);
    // What the extended file extends in turn is read too.
    std::fs::write(&base, "extend = \"more.toml\"\n").unwrap();
    std::fs::write(
        dir.path().join("shared/more.toml"),
        "[rules]\ndoubled-word = \"off\"\nrepeated-paragraph = \"off\"\n",
    )
    .unwrap();
    assert_eq!(found(), Vec::<String>::new());
    std::fs::write(
        dir.path().join("shared/more.toml"),
        "[rules]\nrepeated-paragraph = \"off\"\n",
    )
    .unwrap();
    assert_eq!(found(), ["doubled-word"]);
}

#[test]
fn config_flags_apply() {
    let dir = scratch("[rules]\nrepeated-paragraph = \"off\"\n");
    std::fs::write(
        dir.path().join("other.toml"),
        "[rules]\ndoubled-word = \"off\"\n",
    )
    .unwrap();
    for (args, rules) in [
        (
            vec!["--no-config"],
            vec!["doubled-word", "repeated-paragraph"],
        ),
        (vec!["--config", "other.toml"], vec!["repeated-paragraph"]),
    ] {
        let server = Server::start(dir.path(), &args);
        let answer = server.check(&json!({ "text": DRAFT })).json();
        assert_eq!(rules_found(&answer), rules, "{args:?}");
    }
}

#[test]
fn a_config_that_does_not_load_stops_it_at_start() {
    let dir = scratch("[rules]\nrepeated-paragraph = 3\n");
    let out = Command::new(BIN)
        .args(["serve", "--port", "0"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "no URL is printed");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("copydesk.toml:2:"), "{err}");
}

#[test]
fn a_port_in_use_is_an_error_in_plain_words() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let dir = scratch("");
    let out = Command::new(BIN)
        .args(["serve", "--port", &port])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("something else uses port"), "{err}");
}

#[test]
fn bad_requests_get_clear_errors() {
    let dir = scratch("");
    let server = Server::start(dir.path(), &[]);
    let json_type = [("Content-Type", "application/json")];

    let big = json!({ "text": "word ".repeat(500 * 1024) }).to_string();
    let reply = server.send("POST", "/api/check", &json_type, big.as_bytes());
    assert_eq!(reply.status, 413);
    assert!(reply.error().contains("too long"), "{}", reply.error());

    let reply = server.send("POST", "/api/check", &json_type, b"{\"text\": ");
    assert_eq!(reply.status, 400);
    assert!(reply.error().contains("not a draft"), "{}", reply.error());

    let reply = server.send("POST", "/api/check", &json_type, b"{\"txt\": \"a\"}");
    assert_eq!(reply.status, 400);
    assert!(
        reply.error().contains("unknown field `txt`"),
        "{}",
        reply.error()
    );

    let reply = server.send(
        "POST",
        "/api/check",
        &[("Content-Type", "text/plain")],
        b"{\"text\": \"a\"}",
    );
    assert_eq!(reply.status, 400);
    assert!(
        reply.error().contains("application/json"),
        "{}",
        reply.error()
    );

    let reply = server.check(&json!({ "text": "a\u{0}b" }));
    assert_eq!(reply.status, 422);
    assert!(reply.error().contains("binary"), "{}", reply.error());

    let reply = server.send("GET", "/nothing", &[], b"");
    assert_eq!(reply.status, 404);
    assert!(reply.error().contains("nothing here"));

    let reply = server.send("GET", "/api/check", &[], b"");
    assert_eq!(reply.status, 405);
    assert!(reply.error().contains("GET is not answered here"));
    let reply = server.send("POST", "/", &json_type, b"{}");
    assert_eq!(reply.status, 405);

    let reply = server.send("GET", "/api/rules/repeated-paragraph", &[], b"");
    assert_eq!(reply.status, 200);
    let explained = reply.json();
    let out = Command::new(BIN)
        .args(["rule", "repeated-paragraph"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(
        explained["text"].as_str().unwrap().trim_end(),
        String::from_utf8_lossy(&out.stdout).trim_end()
    );
    assert_eq!(
        server
            .send("GET", "/api/rules/no-such-rule", &[], b"")
            .status,
        404
    );
}

#[test]
fn requests_naming_another_host_or_from_another_site_are_refused() {
    let dir = scratch("");
    let server = Server::start(dir.path(), &[]);
    let port = server.addr.port();
    let body = json!({ "text": DRAFT }).to_string();
    let ask = |host: &str, origin: Option<&str>| {
        let mut headers = vec![("Host", host), ("Content-Type", "application/json")];
        if let Some(o) = origin {
            headers.push(("Origin", o));
        }
        raw(server.addr, "POST", "/api/check", &headers, body.as_bytes())
    };
    let here = format!("127.0.0.1:{port}");
    let local = format!("localhost:{port}");
    assert_eq!(ask(&here, None).status, 200);
    assert_eq!(ask(&local, None).status, 200);
    assert_eq!(
        ask(&here, Some(&format!("http://{here}"))).status,
        200,
        "the page's own origin"
    );
    // DNS rebinding: a site's name made to point at 127.0.0.1.
    let rebound = ask(&format!("evil.example:{port}"), None);
    assert_eq!(rebound.status, 403);
    assert!(rebound.error().contains("answers only at"));
    assert_eq!(ask("127.0.0.1", None).status, 403, "another port");
    let page = raw(server.addr, "GET", "/", &[], b"");
    assert_eq!(page.status, 403, "no Host header");
    // Another site's page posting here.
    let cross = ask(&here, Some("http://evil.example"));
    assert_eq!(cross.status, 403);
    assert!(cross.error().contains("other sites"));
}
