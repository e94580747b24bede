//! Writing to the terminal: a stdout that survives its reader going away,
//! the colour decision, and the wording of load and I/O errors.

use std::io::{self, IsTerminal, Write};

use crate::error::LoadError;
use crate::report;

use super::ColorChoice;

/// A writer that drops what it is given once its reader has gone (a
/// broken pipe), instead of failing.
pub(super) struct PipeGuard<'w> {
    inner: &'w mut dyn Write,
    closed: bool,
}

impl<'w> PipeGuard<'w> {
    pub(super) fn new(inner: &'w mut dyn Write) -> PipeGuard<'w> {
        PipeGuard {
            inner,
            closed: false,
        }
    }
}

impl Write for PipeGuard<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.closed {
            return Ok(buf.len());
        }
        match self.inner.write(buf) {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(buf.len())
            }
            other => other,
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.closed {
            return Ok(());
        }
        match self.inner.flush() {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(())
            }
            other => other,
        }
    }
}

pub(super) fn use_color(choice: ColorChoice, is_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

fn stderr_color() -> bool {
    io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

pub(super) fn report_load_errors(stderr: &mut dyn Write, errors: &[LoadError]) -> io::Result<()> {
    let color = stderr_color();
    for e in errors {
        report::human::load_error(stderr, e, color)?;
    }
    Ok(())
}

/// The reason an I/O operation failed, in the words a reader expects.
pub(super) fn io_reason(e: &io::Error) -> String {
    if e.get_ref().is_some() {
        // An error copydesk made itself says what happened in its words.
        return e.to_string();
    }
    match e.kind() {
        io::ErrorKind::PermissionDenied => "permission denied".into(),
        io::ErrorKind::NotFound => "no such file".into(),
        _ => e.to_string(),
    }
}
