//! The checking thread: takes the newest text of each document, checks it
//! and publishes its diagnostics, unless the document changed meanwhile.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crossbeam_channel::Sender;
use lsp_server::{Message, Notification};
use lsp_types::notification::{Notification as _, PublishDiagnostics};
use lsp_types::{
    CodeDescription, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location,
    NumberOrString, PublishDiagnosticsParams, Uri,
};

use super::text::{Encoding, LineIndex, path_to_uri};
use crate::config::Settings;
use crate::engine::{self, CheckOptions};
use crate::finding::{Finding, Severity};
use crate::source::Source;

/// A document's text to check.
pub struct Job {
    pub uri: Uri,
    pub version: i32,
    pub text: Arc<String>,
    /// The name the checks see: its extension chooses plain text or
    /// Markdown.
    pub display: String,
    /// `None`: the document is not checked (its config excludes it, or the
    /// config does not load); `diagnostics` are published instead.
    pub settings: Option<Arc<Settings>>,
    /// Diagnostics published without checking when `settings` is `None`.
    pub instead: Vec<Diagnostic>,
    /// Not checked before this instant: edits in quick succession are
    /// checked once, after the last.
    pub not_before: Instant,
}

/// A document's findings for one version of its text.
#[derive(Clone)]
pub struct Checked {
    pub version: i32,
    pub text: Arc<String>,
    pub findings: Arc<Vec<Finding>>,
    pub settings: Option<Arc<Settings>>,
}

/// What the server and the worker share: the newest version of each open
/// document (a result for an older one is dropped) and the last findings.
#[derive(Default)]
pub struct Shared {
    pub latest: Mutex<HashMap<Uri, i32>>,
    pub checked: Mutex<HashMap<Uri, Checked>>,
}

impl Shared {
    pub fn is_latest(&self, uri: &Uri, version: i32) -> bool {
        lock(&self.latest).get(uri) == Some(&version)
    }
}

pub fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Time after an edit before its text is checked, so that a burst of
/// keystrokes is checked once.
pub const DEBOUNCE: Duration = Duration::from_millis(25);

/// Run jobs until the server drops its end of `jobs`.
pub fn run(jobs: Receiver<Job>, out: Sender<Message>, shared: Arc<Shared>, enc: Encoding) {
    // Waiting jobs, one per document (a newer text replaces an older one),
    // in the order their documents first asked.
    let mut waiting: Vec<Job> = Vec::new();
    loop {
        let next_due = waiting.iter().map(|j| j.not_before).min();
        let got = match next_due {
            None => jobs.recv().map_err(|_| RecvTimeoutError::Disconnected),
            Some(due) => jobs.recv_timeout(due.saturating_duration_since(Instant::now())),
        };
        match got {
            Ok(job) => {
                queue(&mut waiting, job);
                while let Ok(job) = jobs.try_recv() {
                    queue(&mut waiting, job);
                }
                continue;
            }
            Err(RecvTimeoutError::Disconnected) => return,
            Err(RecvTimeoutError::Timeout) => {}
        }
        let now = Instant::now();
        let Some(i) = waiting.iter().position(|j| j.not_before <= now) else {
            continue;
        };
        let job = waiting.remove(i);
        if !shared.is_latest(&job.uri, job.version) {
            continue;
        }
        let (findings, diagnostics) = match &job.settings {
            Some(settings) => match check_text(&job.text, &job.display, settings) {
                Ok(findings) => {
                    let d = diagnostics(&job.uri, &job.text, &findings, settings, enc);
                    (findings, d)
                }
                Err(panic) => (Vec::new(), vec![failure(&panic)]),
            },
            None => (Vec::new(), job.instead.clone()),
        };
        if !shared.is_latest(&job.uri, job.version) {
            continue;
        }
        lock(&shared.checked).insert(
            job.uri.clone(),
            Checked {
                version: job.version,
                text: job.text.clone(),
                findings: Arc::new(findings),
                settings: job.settings.clone(),
            },
        );
        publish(&out, job.uri, Some(job.version), diagnostics);
    }
}

fn queue(waiting: &mut Vec<Job>, job: Job) {
    match waiting.iter_mut().find(|j| j.uri == job.uri) {
        Some(slot) => *slot = job,
        None => waiting.push(job),
    }
}

/// Send a document's diagnostics to the client.
pub fn publish(
    out: &Sender<Message>,
    uri: Uri,
    version: Option<i32>,
    diagnostics: Vec<Diagnostic>,
) {
    let params = PublishDiagnosticsParams {
        uri,
        diagnostics,
        version,
    };
    let _ = out.send(Message::Notification(Notification::new(
        PublishDiagnostics::METHOD.to_string(),
        params,
    )));
}

/// The findings of `copydesk check` on `text` named `display`, or the
/// message of a panic while checking it.
pub fn check_text(text: &str, display: &str, settings: &Settings) -> Result<Vec<Finding>, String> {
    catch_unwind(AssertUnwindSafe(|| {
        // Debug builds let a test make one document's check panic.
        #[cfg(debug_assertions)]
        if let Some(marker) = std::env::var_os("COPYDESK_LSP_PANIC_ON")
            && text.contains(&*marker.to_string_lossy())
        {
            panic!("a planted panic");
        }
        let mut source = Source::new(display.to_string(), text.to_string());
        let findings = engine::check(&mut source, &settings.rules, &CheckOptions::default());
        if source.bom {
            // Spans count from after the BOM; the client's text has it.
            let bom = '\u{feff}'.len_utf8();
            findings.into_iter().map(|f| shift(f, bom)).collect()
        } else {
            findings
        }
    }))
    .map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into())
    })
}

fn shift(mut f: Finding, by: usize) -> Finding {
    f.span = f.span.start + by..f.span.end + by;
    let labels: Vec<_> = f
        .labels
        .iter()
        .cloned()
        .map(|mut l| {
            l.span = l.span.start + by..l.span.end + by;
            l
        })
        .collect();
    f.labels = labels.into_boxed_slice();
    if let Some(fix) = f.fix.as_mut() {
        for e in &mut fix.edits {
            e.span = e.span.start + by..e.span.end + by;
        }
    }
    f
}

/// The diagnostic shown when checking a document panicked.
fn failure(panic: &str) -> Diagnostic {
    Diagnostic {
        range: lsp_types::Range::default(),
        severity: Some(DiagnosticSeverity::ERROR),
        source: Some("copydesk".into()),
        message: format!(
            "copydesk could not check this document (internal error: {panic}); \
             please report it with the text"
        ),
        ..Diagnostic::default()
    }
}

/// A document's findings as diagnostics.
pub fn diagnostics(
    uri: &Uri,
    text: &str,
    findings: &[Finding],
    settings: &Settings,
    enc: Encoding,
) -> Vec<Diagnostic> {
    let d = Diagnoser::new(uri, text, settings, enc);
    findings.iter().map(|f| d.diagnostic(f)).collect()
}

/// Turns findings on one text into diagnostics, with one line index for
/// the text and each rule's page looked up once.
pub struct Diagnoser<'a> {
    uri: &'a Uri,
    text: &'a str,
    index: LineIndex,
    settings: &'a Settings,
    enc: Encoding,
    pages: std::cell::RefCell<HashMap<Arc<str>, Option<Uri>>>,
}

impl<'a> Diagnoser<'a> {
    pub fn new(uri: &'a Uri, text: &'a str, settings: &'a Settings, enc: Encoding) -> Self {
        Diagnoser {
            uri,
            text,
            index: LineIndex::new(text),
            settings,
            enc,
            pages: Default::default(),
        }
    }

    /// The text's line index.
    pub fn index(&self) -> &LineIndex {
        &self.index
    }

    pub fn diagnostic(&self, f: &Finding) -> Diagnostic {
        let (uri, text, index, enc) = (self.uri, self.text, &self.index, self.enc);
        let range = index.range(text, &f.span, enc);
        let mut message = f.message.clone();
        for note in f.notes.iter() {
            message.push_str("\nnote: ");
            message.push_str(note);
        }
        let related: Vec<_> = f
            .labels
            .iter()
            .map(|l| DiagnosticRelatedInformation {
                location: Location::new(uri.clone(), index.range(text, &l.span, enc)),
                message: l.message.to_string(),
            })
            .collect();
        let settings = self.settings;
        let href = self
            .pages
            .borrow_mut()
            .entry(f.rule.clone())
            .or_insert_with(|| rule_page(settings, &f.rule))
            .clone();
        Diagnostic {
            range,
            severity: Some(severity(f.severity)),
            code: Some(NumberOrString::String(f.rule.to_string())),
            code_description: href.map(|href| CodeDescription { href }),
            source: Some("copydesk".into()),
            message,
            related_information: (!related.is_empty()).then_some(related),
            ..Diagnostic::default()
        }
    }
}

fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Note | Severity::Off => DiagnosticSeverity::INFORMATION,
    }
}

/// Where a rule is documented: its rule file when it is one on disk (a
/// newsroom's own rule: its why, message and examples), else the project's
/// page. Hover shows the rule's full explanation either way.
fn rule_page(settings: &Settings, id: &str) -> Option<Uri> {
    let builtin = |r: &crate::rule::Rule| {
        crate::ruleset::BUILTIN_RULES
            .iter()
            .any(|(b, text)| *b == id && **text == *r.file_text)
    };
    let on_disk = settings
        .rules
        .get(id)
        .filter(|r| !builtin(r))
        .map(|r| std::path::Path::new(&r.origin))
        .filter(|p| p.is_file())
        .and_then(path_to_uri);
    on_disk.or_else(|| crate::report::HOME.parse().ok())
}
