//! The server's main loop: the documents a client has open, the settings
//! each is checked with, and the requests about them.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::Instant;

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeConfiguration, DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument,
    DidOpenTextDocument, DidSaveTextDocument, Notification as _,
};
use lsp_types::request::{CodeActionRequest, HoverRequest, RegisterCapability, Request as _};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, Diagnostic,
    DiagnosticSeverity, DidChangeWatchedFilesRegistrationOptions, FileSystemWatcher, GlobPattern,
    HoverProviderCapability, InitializeParams, PositionEncodingKind, Registration,
    RegistrationParams, SaveOptions, ServerCapabilities, ServerInfo, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextDocumentSyncOptions, TextDocumentSyncSaveOptions, Uri,
};

use super::actions::View;
use super::text::{Encoding, LineIndex, path_to_uri, uri_to_path};
use super::worker::{self, Checked, DEBOUNCE, Job, Shared, lock};
use crate::config::{ConfigChoice, Resolver, Settings};
use crate::document::Format;
use crate::error::LoadError;

/// Load errors of config files, as diagnostics on each file.
type ConfigErrors = Vec<(Uri, Vec<Diagnostic>)>;

/// An open document.
struct Doc {
    version: i32,
    text: Arc<String>,
    language: String,
}

struct Server {
    conn: Connection,
    enc: Encoding,
    docs: HashMap<Uri, Doc>,
    /// The config file the client chose (its `config` setting), if any.
    config_file: Option<PathBuf>,
    /// The folder a relative `config` setting is read from.
    root: PathBuf,
    resolver: Resolver,
    /// The settings each document was last checked with, kept while its
    /// config file does not load.
    last_good: HashMap<Uri, Arc<Settings>>,
    /// Config files that have load errors published on them.
    broken: Vec<Uri>,
    jobs: mpsc::Sender<Job>,
    shared: Arc<Shared>,
    next_id: i32,
}

/// Serve one client on `conn` until it asks the server to exit. Returns an
/// error for a broken connection or a client that breaks the protocol.
pub fn run(conn: Connection) -> Result<(), String> {
    let (id, params) = conn.initialize_start().map_err(|e| e.to_string())?;
    let params: InitializeParams = serde_json::from_value(params)
        .map_err(|e| format!("the client's initialize request is malformed: {e}"))?;
    let enc = if params
        .capabilities
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_ref())
        .is_some_and(|encs| encs.contains(&PositionEncodingKind::UTF8))
    {
        Encoding::Utf8
    } else {
        Encoding::Utf16
    };
    let capabilities = ServerCapabilities {
        position_encoding: Some(match enc {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(false),
                })),
                ..TextDocumentSyncOptions::default()
            },
        )),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![
                CodeActionKind::QUICKFIX,
                CodeActionKind::SOURCE_FIX_ALL,
            ]),
            ..CodeActionOptions::default()
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        ..ServerCapabilities::default()
    };
    let result = serde_json::json!({
        "capabilities": capabilities,
        "serverInfo": ServerInfo {
            name: "copydesk".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        },
    });
    conn.initialize_finish(id, result)
        .map_err(|e| e.to_string())?;

    #[allow(deprecated)] // root_uri: clients without workspace folders send it
    let root = params
        .workspace_folders
        .as_ref()
        .and_then(|f| f.first())
        .map(|f| &f.uri)
        .or(params.root_uri.as_ref())
        .and_then(uri_to_path)
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_default();
    let config_file = params
        .initialization_options
        .as_ref()
        .and_then(config_setting);
    let watch = params
        .capabilities
        .workspace
        .as_ref()
        .and_then(|w| w.did_change_watched_files.as_ref())
        .and_then(|d| d.dynamic_registration)
        .unwrap_or(false);

    let shared = Arc::new(Shared::default());
    let (jobs, queue) = mpsc::channel();
    let checker = {
        let out = conn.sender.clone();
        let shared = shared.clone();
        std::thread::Builder::new()
            .name("copydesk-check".into())
            .spawn(move || worker::run(queue, out, shared, enc))
            .map_err(|e| format!("cannot start the checking thread: {e}"))?
    };
    let mut server = Server {
        resolver: resolver(&config_file, &root),
        conn,
        enc,
        docs: HashMap::new(),
        config_file,
        root,
        last_good: HashMap::new(),
        broken: Vec::new(),
        jobs,
        shared,
        next_id: 0,
    };
    if watch {
        server.watch_config_files();
    }
    let outcome = server.serve();
    drop(server);
    let _ = checker.join();
    outcome
}

fn resolver(config_file: &Option<PathBuf>, root: &Path) -> Resolver {
    let choice = match config_file {
        Some(f) if f.is_relative() => ConfigChoice::File(root.join(f)),
        Some(f) => ConfigChoice::File(f.clone()),
        None => ConfigChoice::Discover,
    };
    Resolver::new(choice).lean(true)
}

/// The `config` setting, from initialization options (`{"config": PATH}`)
/// or workspace settings (`{"copydesk": {"config": PATH}}`); empty means
/// "find copydesk.toml".
fn config_setting(v: &serde_json::Value) -> Option<PathBuf> {
    let v = v.get("copydesk").unwrap_or(v);
    v.get("config")
        .and_then(|c| c.as_str())
        .filter(|c| !c.trim().is_empty())
        .map(PathBuf::from)
}

/// Is a document one copydesk checks: a story in plain text or Markdown?
fn checkable(uri: &Uri, language: &str) -> bool {
    if matches!(language, "markdown" | "plaintext") {
        return true;
    }
    let path = uri.path().as_str().to_ascii_lowercase();
    [".txt", ".md", ".markdown"]
        .iter()
        .any(|e| path.ends_with(e))
}

/// Could a change to this file change the settings: a config, a rule file
/// or a names list (all TOML)?
fn is_setting_file(uri: &Uri) -> bool {
    uri.path().as_str().to_ascii_lowercase().ends_with(".toml")
}

impl Server {
    fn serve(&mut self) -> Result<(), String> {
        // After `shutdown` only `exit` is served; whatever else arrives
        // (such as a late answer to a request of the server's) is let pass.
        let mut shutting_down = false;
        while let Ok(msg) = self.conn.receiver.recv() {
            match msg {
                Message::Notification(n) if n.method == "exit" => return Ok(()),
                Message::Request(req) if req.method == "shutdown" => {
                    shutting_down = true;
                    self.send(Message::Response(Response::new_ok(req.id, ())));
                }
                Message::Request(req) if shutting_down => {
                    self.send(Message::Response(Response::new_err(
                        req.id,
                        ErrorCode::InvalidRequest as i32,
                        "the server is shutting down".into(),
                    )));
                }
                Message::Notification(_) if shutting_down => {}
                Message::Request(req) => {
                    let id = req.id.clone();
                    let response = catch_unwind(AssertUnwindSafe(|| self.request(req)))
                        .unwrap_or_else(|_| {
                            Response::new_err(
                                id,
                                ErrorCode::InternalError as i32,
                                "copydesk failed on this request (internal error)".into(),
                            )
                        });
                    self.send(Message::Response(response));
                }
                Message::Notification(n) => {
                    let method = n.method.clone();
                    if catch_unwind(AssertUnwindSafe(|| self.notification(n))).is_err() {
                        self.log(&format!("copydesk failed on {method} (internal error)"));
                    }
                }
                Message::Response(_) => {}
            }
        }
        Ok(())
    }

    fn send(&self, msg: Message) {
        let _ = self.conn.sender.send(msg);
    }

    fn log(&self, message: &str) {
        self.send(Message::Notification(Notification::new(
            "window/logMessage".into(),
            serde_json::json!({ "type": 2, "message": message }),
        )));
    }

    fn watch_config_files(&mut self) {
        let watchers = ["**/copydesk.toml", "**/.copydesk.toml", "**/*.toml"]
            .iter()
            .map(|g| FileSystemWatcher {
                glob_pattern: GlobPattern::String((*g).into()),
                kind: None,
            })
            .collect();
        let options = DidChangeWatchedFilesRegistrationOptions { watchers };
        let params = RegistrationParams {
            registrations: vec![Registration {
                id: "copydesk-settings".into(),
                method: DidChangeWatchedFiles::METHOD.into(),
                register_options: serde_json::to_value(options).ok(),
            }],
        };
        self.next_id += 1;
        let req = Request::new(
            RequestId::from(format!("copydesk-{}", self.next_id)),
            RegisterCapability::METHOD.into(),
            params,
        );
        self.send(Message::Request(req));
    }

    fn request(&mut self, req: Request) -> Response {
        let id = req.id.clone();
        match req.method.as_str() {
            CodeActionRequest::METHOD => {
                match serde_json::from_value::<lsp_types::CodeActionParams>(req.params) {
                    Ok(p) => {
                        let actions =
                            self.with_view(&p.text_document.uri, |v| v.code_actions(p.range));
                        Response::new_ok(id, actions.unwrap_or_default())
                    }
                    Err(e) => invalid(id, e),
                }
            }
            HoverRequest::METHOD => {
                match serde_json::from_value::<lsp_types::HoverParams>(req.params) {
                    Ok(p) => {
                        let pos = p.text_document_position_params;
                        let hover =
                            self.with_view(&pos.text_document.uri, |v| v.hover(pos.position));
                        Response::new_ok(id, hover.flatten())
                    }
                    Err(e) => invalid(id, e),
                }
            }
            other => Response::new_err(
                id,
                ErrorCode::MethodNotFound as i32,
                format!("copydesk does not handle {other}"),
            ),
        }
    }

    /// Run `f` on the document's findings for its current text, checking
    /// it here if the worker has not caught up.
    fn with_view<T>(&mut self, uri: &Uri, f: impl FnOnce(&View) -> T) -> Option<T> {
        let doc = self.docs.get(uri)?;
        let version = doc.version;
        let stored = lock(&self.shared.checked)
            .get(uri)
            .filter(|c| c.version == version)
            .cloned();
        let checked = match stored {
            Some(c) => c,
            None => {
                let (job, _) = self.job(uri, Instant::now())?;
                let findings = match &job.settings {
                    Some(s) => worker::check_text(&job.text, &job.display, s).unwrap_or_default(),
                    None => Vec::new(),
                };
                Checked {
                    version,
                    text: job.text,
                    findings: Arc::new(findings),
                    settings: job.settings,
                }
            }
        };
        let settings = checked.settings.as_ref()?;
        let display = self.display(uri)?;
        Some(f(&View {
            uri,
            text: &checked.text,
            display: &display,
            findings: &checked.findings,
            settings,
            enc: self.enc,
        }))
    }

    fn notification(&mut self, n: Notification) {
        match n.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let Some(p) = self.params::<lsp_types::DidOpenTextDocumentParams>(n) else {
                    return;
                };
                let d = p.text_document;
                if is_setting_file(&d.uri) {
                    return;
                }
                if !checkable(&d.uri, &d.language_id) {
                    return;
                }
                self.docs.insert(
                    d.uri.clone(),
                    Doc {
                        version: d.version,
                        text: Arc::new(d.text),
                        language: d.language_id,
                    },
                );
                self.schedule(&d.uri, Instant::now());
            }
            DidChangeTextDocument::METHOD => {
                let Some(p) = self.params::<lsp_types::DidChangeTextDocumentParams>(n) else {
                    return;
                };
                let enc = self.enc;
                let uri = p.text_document.uri;
                let Some(doc) = self.docs.get_mut(&uri) else {
                    return;
                };
                let mut text = String::clone(&doc.text);
                for change in p.content_changes {
                    match change.range {
                        Some(range) => {
                            let index = LineIndex::new(&text);
                            let start = index.offset(&text, range.start, enc);
                            let end = index.offset(&text, range.end, enc).max(start);
                            text.replace_range(start..end, &change.text);
                        }
                        None => text = change.text,
                    }
                }
                doc.text = Arc::new(text);
                doc.version = p.text_document.version;
                self.schedule(&uri, Instant::now() + DEBOUNCE);
            }
            DidSaveTextDocument::METHOD => {
                let Some(p) = self.params::<lsp_types::DidSaveTextDocumentParams>(n) else {
                    return;
                };
                if is_setting_file(&p.text_document.uri) {
                    self.reload();
                } else if self.docs.contains_key(&p.text_document.uri) {
                    self.schedule(&p.text_document.uri, Instant::now());
                }
            }
            DidCloseTextDocument::METHOD => {
                let Some(p) = self.params::<lsp_types::DidCloseTextDocumentParams>(n) else {
                    return;
                };
                let uri = p.text_document.uri;
                self.docs.remove(&uri);
                self.last_good.remove(&uri);
                lock(&self.shared.latest).remove(&uri);
                lock(&self.shared.checked).remove(&uri);
                worker::publish(&self.conn.sender, uri, None, Vec::new());
            }
            DidChangeWatchedFiles::METHOD => {
                if let Some(p) = self.params::<lsp_types::DidChangeWatchedFilesParams>(n)
                    && p.changes.iter().any(|c| is_setting_file(&c.uri))
                {
                    self.reload();
                }
            }
            DidChangeConfiguration::METHOD => {
                if let Some(p) = self.params::<lsp_types::DidChangeConfigurationParams>(n) {
                    self.config_file = config_setting(&p.settings);
                    self.reload();
                }
            }
            _ => {}
        }
    }

    /// A notification's parameters, or `None` after logging why they could
    /// not be read.
    fn params<P: serde::de::DeserializeOwned>(&self, n: Notification) -> Option<P> {
        let method = n.method.clone();
        match serde_json::from_value(n.params) {
            Ok(p) => Some(p),
            Err(e) => {
                self.log(&format!("copydesk ignored a malformed {method}: {e}"));
                None
            }
        }
    }

    /// Read the settings afresh and check every open document again.
    fn reload(&mut self) {
        self.resolver = resolver(&self.config_file, &self.root);
        let uris: Vec<Uri> = self.docs.keys().cloned().collect();
        let mut still_broken = Vec::new();
        for uri in &uris {
            self.schedule_noting(uri, Instant::now(), &mut still_broken);
        }
        // Config files that load now lose their old errors.
        let fixed: Vec<Uri> = self
            .broken
            .iter()
            .filter(|u| !still_broken.contains(u))
            .cloned()
            .collect();
        for uri in fixed {
            self.broken.retain(|u| *u != uri);
            worker::publish(&self.conn.sender, uri, None, Vec::new());
        }
    }

    fn schedule(&mut self, uri: &Uri, not_before: Instant) {
        let mut broken_now = Vec::new();
        self.schedule_noting(uri, not_before, &mut broken_now);
    }

    /// Queue a check of the document; config files whose load errors are
    /// published on the way go into `broken_now`.
    fn schedule_noting(&mut self, uri: &Uri, not_before: Instant, broken_now: &mut Vec<Uri>) {
        let Some((job, config_errors)) = self.job(uri, not_before) else {
            return;
        };
        for (config_uri, diags) in config_errors {
            worker::publish(&self.conn.sender, config_uri.clone(), None, diags);
            if !self.broken.contains(&config_uri) {
                self.broken.push(config_uri.clone());
            }
            broken_now.push(config_uri);
        }
        lock(&self.shared.latest).insert(uri.clone(), job.version);
        let _ = self.jobs.send(job);
    }

    /// The name the checks see for a document: its path, or "untitled";
    /// a Markdown document whose name does not say so gets `.md` added.
    fn display(&self, uri: &Uri) -> Option<String> {
        let doc = self.docs.get(uri)?;
        let base =
            uri_to_path(uri).map_or_else(|| "untitled".to_string(), |p| p.display().to_string());
        let markdown = Format::from_path(&base) == Format::Markdown;
        Some(if doc.language == "markdown" && !markdown {
            format!("{base}.md")
        } else {
            base
        })
    }

    /// The check a document needs now, and the load errors of config files
    /// met on the way (as diagnostics on each file). While a document's
    /// config does not load, the settings it was last checked with stay in
    /// use; with none, the document says why it is not checked.
    fn job(&mut self, uri: &Uri, not_before: Instant) -> Option<(Job, ConfigErrors)> {
        let display = self.display(uri)?;
        let doc = self.docs.get(uri)?;
        let path = uri_to_path(uri);
        let mut job = Job {
            uri: uri.clone(),
            version: doc.version,
            text: doc.text.clone(),
            display,
            settings: None,
            instead: Vec::new(),
            not_before,
        };
        let mut config_errors = Vec::new();
        match self.resolver.for_path(path.as_deref()) {
            Ok(settings) => {
                if path.as_deref().is_none_or(|p| settings.wants(p)) {
                    self.last_good.insert(uri.clone(), settings.clone());
                    job.settings = Some(settings);
                }
            }
            Err(errors) => {
                config_errors = load_error_diagnostics(&errors, self.enc);
                match self.last_good.get(uri) {
                    Some(s) => job.settings = Some(s.clone()),
                    None => {
                        let files: Vec<&str> = errors.iter().map(|e| e.path.as_str()).collect();
                        job.instead = vec![Diagnostic {
                            range: lsp_types::Range::default(),
                            severity: Some(DiagnosticSeverity::ERROR),
                            source: Some("copydesk".into()),
                            message: format!(
                                "not checked: the settings do not load (see {})",
                                files.join(", ")
                            ),
                            ..Diagnostic::default()
                        }];
                    }
                }
            }
        }
        Some((job, config_errors))
    }
}

/// Config and rule file errors as diagnostics on their files.
fn load_error_diagnostics(errors: &[LoadError], enc: Encoding) -> ConfigErrors {
    let mut by_file: Vec<(Uri, Vec<Diagnostic>)> = Vec::new();
    for e in errors {
        let Some(uri) = path_to_uri(Path::new(&e.path)) else {
            continue;
        };
        let range = e
            .span
            .as_ref()
            .map_or_else(lsp_types::Range::default, |span| {
                LineIndex::new(&e.text).range(&e.text, span, enc)
            });
        let mut message = e.message.clone();
        for note in &e.notes {
            message.push_str("\nnote: ");
            message.push_str(note);
        }
        let diag = Diagnostic {
            range,
            severity: Some(DiagnosticSeverity::ERROR),
            source: Some("copydesk".into()),
            message,
            ..Diagnostic::default()
        };
        match by_file.iter_mut().find(|(u, _)| *u == uri) {
            Some((_, v)) => v.push(diag),
            None => by_file.push((uri, vec![diag])),
        }
    }
    by_file
}

fn invalid(id: RequestId, e: serde_json::Error) -> Response {
    Response::new_err(
        id,
        ErrorCode::InvalidParams as i32,
        format!("malformed request: {e}"),
    )
}
