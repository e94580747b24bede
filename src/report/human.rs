//! `human`: codespan-reporting diagnostics, coloured on a terminal.

use std::io::{self, Write};

use codespan_reporting::diagnostic::{Diagnostic, Label, Severity as CsSeverity};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, Config};
use termcolor::{Ansi, NoColor, WriteColor};

use super::excerpt::{Excerpt, visible};
use super::{FileResult, Reporter, Totals, one_line};
use crate::error::LoadError;
use crate::finding::{Applicability, Severity};

pub struct Human {
    pub color: bool,
    /// End with the summary line ("2 errors in 3 files"); `--quiet` leaves
    /// it out.
    pub summary: bool,
}

fn cs_severity(s: Severity) -> CsSeverity {
    match s {
        Severity::Error => CsSeverity::Error,
        Severity::Warning => CsSeverity::Warning,
        Severity::Note | Severity::Off => CsSeverity::Note,
    }
}

fn config() -> Config {
    Config {
        start_context_lines: 2,
        end_context_lines: 1,
        ..Config::default()
    }
}

/// Run `f` with a colour-capable writer over `out`.
fn with_writer(
    out: &mut dyn Write,
    color: bool,
    f: impl FnOnce(&mut dyn WriteColor) -> io::Result<()>,
) -> io::Result<()> {
    if color {
        f(&mut Ansi::new(out))
    } else {
        f(&mut NoColor::new(out))
    }
}

fn cs_err(e: codespan_reporting::files::Error) -> io::Error {
    match e {
        codespan_reporting::files::Error::Io(e) => e,
        other => io::Error::other(other.to_string()),
    }
}

impl Reporter for Human {
    fn problem(&mut self, _out: &mut dyn Write, _problem: &super::Problem) -> io::Result<()> {
        Ok(())
    }

    fn file(&mut self, out: &mut dyn Write, file: &FileResult) -> io::Result<()> {
        for f in &file.findings {
            let mut spans = vec![f.span.clone()];
            spans.extend(f.labels.iter().map(|l| l.span.clone()));
            let ex = Excerpt::new(&file.source, &spans);
            let mut labels = vec![Label::primary((), ex.map_range(&f.span))];
            for l in &f.labels {
                labels.push(
                    Label::secondary((), ex.map_range(&l.span))
                        .with_message(visible(&one_line(&l.message)).into_owned()),
                );
            }
            let mut notes: Vec<String> = f.notes.iter().map(|n| visible(n).into_owned()).collect();
            if let Some(fix) = &f.fix {
                notes.push(match fix.applicability {
                    Applicability::Safe => format!("fix: {} (--fix)", fix.description),
                    Applicability::Unsafe => {
                        format!("fix: {} (--fix --unsafe-fixes)", fix.description)
                    }
                });
            }
            let diag = Diagnostic::new(cs_severity(f.severity))
                .with_code(&f.rule)
                .with_message(visible(&one_line(&f.message)).into_owned())
                .with_labels(labels)
                .with_notes(notes);
            with_writer(out, self.color, |w| {
                term::emit_to_write_style(w, &config(), &ex, &diag).map_err(cs_err)
            })?;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, totals: &Totals) -> io::Result<()> {
        if totals.files == 0 || !self.summary {
            return Ok(());
        }
        let line = if totals.fixed > 0 || totals.fix_run {
            format!("{}; fixed {}", totals.sentence(), totals.fixed)
        } else {
            totals.sentence()
        };
        with_writer(out, self.color, |w| {
            let mut spec = termcolor::ColorSpec::new();
            spec.set_bold(true);
            w.set_color(&spec)?;
            write!(w, "{line}")?;
            w.reset()?;
            writeln!(w)
        })
    }
}

/// Render an error in a rule or config file, with its line when known.
pub fn load_error(out: &mut dyn Write, err: &LoadError, color: bool) -> io::Result<()> {
    let file = SimpleFile::new(err.path.as_str(), err.text.as_str());
    let mut diag = Diagnostic::error()
        .with_message(&err.message)
        .with_notes(err.notes.clone());
    match &err.span {
        Some(span) => diag = diag.with_labels(vec![Label::primary((), span.clone())]),
        None => diag.message = format!("{}: {}", err.path, err.message),
    }
    with_writer(out, color, |w| {
        term::emit_to_write_style(w, &config(), &file, &diag).map_err(cs_err)
    })
}
