//! `copydesk serve`: a page on this machine where a reporter pastes or
//! types a draft and sees what `copydesk check` finds in it, highlighted,
//! with each safe fix one click away.
//!
//! - It listens on 127.0.0.1 unless told otherwise (`--host`), on the port
//!   given (`--port 0`: any free one), prints its URL as one line on
//!   standard output, and opens nothing by itself. Ctrl-C stops it.
//! - A draft is checked as `copydesk check --fix` checks a file named
//!   `draft.md` (Markdown) or `draft.txt` in the folder it started in, with
//!   that folder's `copydesk.toml` (or `--config`, or none with
//!   `--no-config`): the same engine calls and fixes, so the page shows
//!   what `check` shows (see [`desk`]).
//! - Settings that do not load when it starts stop it (exit 2, errors as
//!   `check` shows them). When the config file, a file it extends, its
//!   names list, a rule folder or a rule file changes while it runs, the
//!   settings are read again at the next check; if they no longer load, the
//!   page shows their errors (`path:line:col: message`) and checks again
//!   once they are fixed.
//! - The HTTP side (routes, limits, errors, the Host and Origin checks) is
//!   in `http`; the page in `page`.

pub mod desk;
mod http;
mod page;

use std::io::{self, Write};
use std::net::{SocketAddr, TcpListener, ToSocketAddrs};
use std::sync::Arc;

use crate::config::ConfigChoice;
use crate::error::LoadError;

pub use http::BODY_LIMIT;

/// The port used when none is given.
pub const DEFAULT_PORT: u16 = 4178;

/// What `copydesk serve` was asked for.
#[derive(Debug, Clone)]
pub struct Options {
    pub host: String,
    pub port: u16,
    pub config: ConfigChoice,
}

/// Why the server did not start.
#[derive(Debug)]
pub enum StartError {
    /// The settings do not load.
    Config(Vec<LoadError>),
    /// The address cannot be listened on; in plain words.
    Listen(String),
}

/// Start serving: load the settings, listen, print the URL on `stdout`,
/// and serve until Ctrl-C (or SIGTERM). Notes (the settings in use, a
/// warning about a network address) go to `stderr`.
pub fn serve(
    opts: &Options,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> io::Result<Result<(), StartError>> {
    let desk = match desk::Desk::new(opts.config.clone()) {
        Ok(d) => Arc::new(d),
        Err(errors) => return Ok(Err(StartError::Config(errors))),
    };
    let listener = match listen(&opts.host, opts.port) {
        Ok(l) => l,
        Err(message) => return Ok(Err(StartError::Listen(message))),
    };
    let addr = listener.local_addr()?;
    let url = url(addr);
    if !addr.ip().is_loopback() {
        writeln!(
            stderr,
            "copydesk serve: warning: listening on {}, which other machines can reach: anyone \
             who can reach it can check text with this page. Leave out --host to keep it on \
             this machine",
            addr.ip()
        )?;
    }
    match desk.config_path() {
        Some(p) => writeln!(stderr, "copydesk serve: settings from {}", p.display())?,
        None => writeln!(
            stderr,
            "copydesk serve: no copydesk.toml here: built-in rules"
        )?,
    }
    writeln!(stderr, "copydesk serve: Ctrl-C stops it")?;

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        listener.set_nonblocking(true)?;
        let listener = tokio::net::TcpListener::from_std(listener)?;
        // Ctrl-C is caught from here on: the URL is printed after, so
        // whoever reads it can stop the server cleanly at once.
        let stop = stop_signal()?;
        writeln!(stdout, "copydesk serve: {url}")?;
        stdout.flush()?;
        let app = http::router(desk, http::Bound { addr });
        axum::serve(listener, app)
            .with_graceful_shutdown(stop)
            .await
    })?;
    writeln!(stderr, "copydesk serve: stopped")?;
    Ok(Ok(()))
}

/// The page's address as a browser is given it: an unspecified address
/// (0.0.0.0, ::) is reached at the loopback one.
fn url(addr: SocketAddr) -> String {
    let ip = match addr.ip() {
        ip if ip.is_unspecified() && ip.is_ipv4() => "127.0.0.1".to_string(),
        ip if ip.is_unspecified() => "[::1]".to_string(),
        std::net::IpAddr::V4(ip) => ip.to_string(),
        std::net::IpAddr::V6(ip) => format!("[{ip}]"),
    };
    format!("http://{ip}:{}/", addr.port())
}

fn listen(host: &str, port: u16) -> Result<TcpListener, String> {
    let addrs: Vec<SocketAddr> = (host, port)
        .to_socket_addrs()
        .map_err(|e| format!("`{host}` is not an address to listen on: {e}"))?
        .collect();
    let mut last = None;
    for addr in &addrs {
        match TcpListener::bind(addr) {
            Ok(l) => return Ok(l),
            Err(e) => last = Some((addr, e)),
        }
    }
    Err(match last {
        Some((addr, e)) if e.kind() == io::ErrorKind::AddrInUse => format!(
            "cannot listen on {addr}: something else uses port {port}; choose another with \
             --port (--port 0 picks a free one)"
        ),
        Some((addr, e)) => format!("cannot listen on {addr}: {e}"),
        None => format!("`{host}` names no address to listen on"),
    })
}

/// Ctrl-C, or SIGTERM on Unix: caught from the call on, and the future
/// ends when one comes.
fn stop_signal() -> io::Result<impl std::future::Future<Output = ()>> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut interrupt = signal(SignalKind::interrupt())?;
        let mut terminate = signal(SignalKind::terminate())?;
        Ok(async move {
            tokio::select! {
                _ = interrupt.recv() => {}
                _ = terminate.recv() => {}
            }
        })
    }
    #[cfg(not(unix))]
    {
        let ctrl_c = tokio::signal::ctrl_c();
        Ok(async move {
            let _ = ctrl_c.await;
        })
    }
}
