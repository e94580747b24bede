//! The progress bar of a long `check` run, on standard error.
//!
//! It is drawn only where a person watches: standard error is a terminal
//! (as `main.rs` found it; the library never asks the system), the report
//! on standard output is one people read (human or short; a machine
//! format's run is a CI log, where a bar is noise), and `--quiet` is not
//! given. It appears once the run has gone on for a while with inputs still
//! to come ([`DEFAULT_AFTER`]): a run that ends sooner needs no bar, and a
//! bar that flashes up for a moment is noise; a count of inputs would not
//! do, as how long they take depends on their size and the machine. It
//! counts inputs, so a run of one input never shows one.
//!
//! indicatif renders the bar into a buffer, which goes to the standard
//! error writer the run was given. Before anything else is written to the
//! terminal the bar is cleared, and it is drawn again after, so it never
//! interleaves with the report; it is cleared for good before the report's
//! summary.

use std::io::{self, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle, TermLike};

/// How long a run goes on before its bar appears: long enough that the
/// runs of a pre-commit hook or a handful of stories never show one.
pub(super) const DEFAULT_AFTER: Duration = Duration::from_secs(1);

/// Redraws per second at most.
const HZ: u8 = 15;

pub(super) struct Progress {
    /// The terminal's width, when a bar may be drawn at all.
    width: Option<u16>,
    total: usize,
    done: usize,
    started: Instant,
    after: Duration,
    bar: Option<ProgressBar>,
    drawn: Arc<Mutex<Vec<u8>>>,
}

impl Progress {
    /// A bar over `total` inputs, drawn when `width` is some (standard error
    /// is a terminal that wide and the run is one to show it) and the run
    /// has gone on for `after`.
    pub(super) fn new(width: Option<u16>, total: usize, after: Duration) -> Progress {
        Progress {
            width,
            total,
            done: 0,
            started: Instant::now(),
            after,
            bar: None,
            drawn: Arc::default(),
        }
    }

    /// Whether the bar is on the terminal now.
    pub(super) fn shown(&self) -> bool {
        self.bar.is_some()
    }

    /// One more input is done: move the bar, or show it if the run has
    /// become long.
    pub(super) fn step(&mut self, stderr: &mut dyn Write) -> io::Result<()> {
        self.done += 1;
        match &self.bar {
            Some(bar) => bar.set_position(self.done as u64),
            None => {
                let Some(width) = self.width else {
                    return Ok(());
                };
                if self.done >= self.total || self.started.elapsed() < self.after {
                    return Ok(());
                }
                let target = ProgressDrawTarget::term_like_with_hz(
                    Box::new(Buffer {
                        width,
                        drawn: Arc::clone(&self.drawn),
                    }),
                    HZ,
                );
                let bar = ProgressBar::with_draw_target(Some(self.total as u64), target);
                bar.set_style(
                    ProgressStyle::with_template(
                        "{pos:>5}/{len} files checked [{wide_bar}] {eta} left",
                    )
                    .map_err(io::Error::other)?
                    .progress_chars("=> "),
                );
                bar.set_position(self.done as u64);
                self.bar = Some(bar);
            }
        }
        self.flush(stderr)
    }

    /// Run `f`, which may write to the terminal, with the bar out of the
    /// way: it is cleared before and drawn again after. `f` must flush
    /// what it writes to standard output.
    pub(super) fn around<R>(
        &mut self,
        stderr: &mut dyn Write,
        f: impl FnOnce(&mut dyn Write) -> io::Result<R>,
    ) -> io::Result<R> {
        let Some(bar) = &self.bar else {
            return f(stderr);
        };
        let drawn = Arc::clone(&self.drawn);
        let result = bar.suspend(|| {
            write_drawn(&drawn, stderr)?;
            f(stderr)
        });
        self.flush(stderr)?;
        result
    }

    /// Take the bar off the terminal for good.
    pub(super) fn clear(&mut self, stderr: &mut dyn Write) -> io::Result<()> {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
        self.flush(stderr)
    }

    fn flush(&self, stderr: &mut dyn Write) -> io::Result<()> {
        write_drawn(&self.drawn, stderr)
    }
}

/// Write what the bar drew to `stderr`.
fn write_drawn(drawn: &Mutex<Vec<u8>>, stderr: &mut dyn Write) -> io::Result<()> {
    let bytes = std::mem::take(&mut *drawn.lock().unwrap_or_else(|e| e.into_inner()));
    if bytes.is_empty() {
        return Ok(());
    }
    stderr.write_all(&bytes)?;
    stderr.flush()
}

/// The terminal as indicatif sees it: what it draws is kept until
/// [`write_drawn`] passes it on.
#[derive(Debug)]
struct Buffer {
    width: u16,
    drawn: Arc<Mutex<Vec<u8>>>,
}

impl Buffer {
    fn put(&self, s: &str) -> io::Result<()> {
        self.drawn
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend_from_slice(s.as_bytes());
        Ok(())
    }

    fn csi(&self, n: usize, code: char) -> io::Result<()> {
        if n == 0 {
            return Ok(());
        }
        self.put(&format!("\x1b[{n}{code}"))
    }
}

impl TermLike for Buffer {
    fn width(&self) -> u16 {
        self.width
    }

    fn move_cursor_up(&self, n: usize) -> io::Result<()> {
        self.csi(n, 'A')
    }

    fn move_cursor_down(&self, n: usize) -> io::Result<()> {
        self.csi(n, 'B')
    }

    fn move_cursor_right(&self, n: usize) -> io::Result<()> {
        self.csi(n, 'C')
    }

    fn move_cursor_left(&self, n: usize) -> io::Result<()> {
        self.csi(n, 'D')
    }

    fn write_line(&self, s: &str) -> io::Result<()> {
        self.put(s)?;
        self.put("\n")
    }

    fn write_str(&self, s: &str) -> io::Result<()> {
        self.put(s)
    }

    fn clear_line(&self) -> io::Result<()> {
        self.put("\r\x1b[2K")
    }

    fn flush(&self) -> io::Result<()> {
        Ok(())
    }
}
