//! The routes and their answers.
//!
//! - `GET /`: the page.
//! - `POST /api/check`: a draft (`{"text", "markdown", "headline"}`, JSON)
//!   checked: `{"story", "fixed", "safe_fixes", "problems"}`.
//! - `GET /api/rules/{id}`: `{"id", "text"}`, the rule explained as
//!   `copydesk rule ID` explains it.
//!
//! Every error is JSON, `{"error": "plain words"}` (a config that does not
//! load adds `config_errors`, one `path:line:col: message` text each).
//! A request must name this server in its Host header (a web page whose
//! name is made to point at 127.0.0.1 is turned away: DNS rebinding), a
//! request from a page must come from this server's own origin, and a
//! check must be sent as `application/json`, which another site's page
//! cannot send here without a CORS preflight that this server never
//! grants.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::json;

use super::desk::{Desk, Draft, Refusal};
use super::page;

/// The largest request body answered: a long story is well under it.
pub const BODY_LIMIT: usize = 2 * 1024 * 1024;

/// Where the server listens, for the Host and Origin checks.
#[derive(Debug, Clone)]
pub struct Bound {
    pub addr: SocketAddr,
}

impl Bound {
    /// Whether a Host header names this server: `localhost` or the bound
    /// loopback address, with the bound port. Bound to a network address,
    /// any IP address with the bound port is accepted (the server is open
    /// to the network then), but still no other name.
    fn accepts_host(&self, host: &str) -> bool {
        let Some((name, port)) = split_host(host) else {
            return false;
        };
        if port != self.addr.port() {
            return false;
        }
        if name.eq_ignore_ascii_case("localhost") {
            return true;
        }
        let Ok(ip) = name.parse::<IpAddr>() else {
            return false;
        };
        if self.addr.ip().is_loopback() {
            ip == self.addr.ip()
        } else {
            true
        }
    }
}

/// `name:port` or `[v6]:port` (port 80 when left out) as name and port.
fn split_host(host: &str) -> Option<(&str, u16)> {
    let (name, port) = if let Some(rest) = host.strip_prefix('[') {
        let (name, after) = rest.split_once(']')?;
        match after {
            "" => (name, None),
            _ => (name, Some(after.strip_prefix(':')?)),
        }
    } else {
        match host.rsplit_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (host, None),
        }
    };
    let port = match port {
        Some(p) => p.parse().ok()?,
        None => 80,
    };
    (!name.is_empty()).then_some((name, port))
}

#[derive(Clone)]
struct App {
    desk: Arc<Desk>,
    bound: Arc<Bound>,
}

/// The server's routes.
pub fn router(desk: Arc<Desk>, bound: Bound) -> Router {
    let app = App {
        desk,
        bound: Arc::new(bound),
    };
    Router::new()
        .route("/", get(page_route))
        .route("/api/check", post(check_route))
        .route("/api/rules/{id}", get(rule_route))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(middleware::from_fn_with_state(app.clone(), guard))
        .with_state(app)
}

/// An error answer: `{"error": message}` with the status.
fn error(status: StatusCode, message: impl Into<String>) -> Response {
    json_response(status, &json!({ "error": message.into() }))
}

fn json_response(status: StatusCode, value: &impl serde::Serialize) -> Response {
    match serde_json::to_string(value) {
        Ok(body) => (
            status,
            [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
            body,
        )
            .into_response(),
        Err(e) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("copydesk could not write its answer: {e}"),
        )
            .into_response(),
    }
}

/// Turns away requests that do not name this server (Host) or come from
/// another site's page (Origin), and marks every answer as not to be
/// cached, sniffed or framed.
async fn guard(State(app): State<App>, request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    if !app.bound.accepts_host(host) {
        return error(
            StatusCode::FORBIDDEN,
            format!(
                "this copydesk page answers only at http://{}/ (the request named `{host}`)",
                app.bound.addr
            ),
        );
    }
    if let Some(origin) = request.headers().get(header::ORIGIN)
        && origin.as_bytes() != format!("http://{host}").as_bytes()
    {
        return error(
            StatusCode::FORBIDDEN,
            "requests from other sites' pages are not answered",
        );
    }
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

async fn page_route() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            // Everything the page needs is in it; it talks to this server
            // only.
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; \
                 img-src data:; connect-src 'self'; base-uri 'none'; form-action 'none'; \
                 frame-ancestors 'none'",
            ),
        ],
        page::html(),
    )
        .into_response()
}

async fn check_route(
    State(app): State<App>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let body = match body {
        Ok(b) => b,
        Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return error(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!(
                    "the draft is too long to check here: at most {} MB",
                    BODY_LIMIT / (1024 * 1024)
                ),
            );
        }
        Err(e) => {
            return error(
                StatusCode::BAD_REQUEST,
                format!("the request could not be read: {}", e.body_text()),
            );
        }
    };
    if !is_json(&headers) {
        return error(
            StatusCode::BAD_REQUEST,
            "send the draft as JSON (Content-Type: application/json)",
        );
    }
    let draft: Draft = match serde_json::from_slice(&body) {
        Ok(d) => d,
        Err(e) => {
            return error(
                StatusCode::BAD_REQUEST,
                format!(
                    "the request is not a draft as this page sends it \
                     ({{\"text\": \"...\", \"markdown\": false, \"headline\": \"...\"}}): {e}"
                ),
            );
        }
    };
    let desk = app.desk.clone();
    match tokio::task::spawn_blocking(move || desk.check(draft)).await {
        Ok(Ok(answer)) => json_response(StatusCode::OK, &answer),
        Ok(Err(Refusal::Config(errors))) => config_error(&errors),
        Ok(Err(Refusal::Text(message))) => error(StatusCode::UNPROCESSABLE_ENTITY, message),
        Err(e) => error(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!(
                "copydesk could not check this draft (internal error: {}); please report it \
                 with the text",
                panic_message(e)
            ),
        ),
    }
}

fn panic_message(e: tokio::task::JoinError) -> String {
    match e.try_into_panic() {
        Ok(payload) => payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into()),
        Err(e) => e.to_string(),
    }
}

/// Settings that stopped loading while the server runs: the page shows
/// where, and checks again once they are fixed.
fn config_error(errors: &[crate::error::LoadError]) -> Response {
    json_response(
        StatusCode::SERVICE_UNAVAILABLE,
        &json!({
            "error": "the newsroom's settings do not load, so nothing is checked until they \
                      are fixed",
            "config_errors": errors.iter().map(ToString::to_string).collect::<Vec<_>>(),
        }),
    )
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"))
}

async fn rule_route(State(app): State<App>, Path(id): Path<String>) -> Response {
    let desk = app.desk.clone();
    let asked = id.clone();
    match tokio::task::spawn_blocking(move || desk.explain(&asked)).await {
        Ok(Ok(Some(text))) => json_response(StatusCode::OK, &json!({ "id": id, "text": text })),
        Ok(Ok(None)) => error(StatusCode::NOT_FOUND, format!("no rule `{id}` here")),
        Ok(Err(errors)) => config_error(&errors),
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, panic_message(e)),
    }
}

async fn not_found() -> Response {
    error(
        StatusCode::NOT_FOUND,
        "nothing here: the page is at /, drafts are checked at POST /api/check",
    )
}

async fn method_not_allowed(method: Method) -> Response {
    error(
        StatusCode::METHOD_NOT_ALLOWED,
        format!("{method} is not answered here: the page is GET /, a check POST /api/check"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bound(addr: &str) -> Bound {
        Bound {
            addr: addr.parse().unwrap(),
        }
    }

    #[test]
    fn only_this_servers_names_are_accepted() {
        let b = bound("127.0.0.1:4100");
        assert!(b.accepts_host("127.0.0.1:4100"));
        assert!(b.accepts_host("localhost:4100"));
        assert!(b.accepts_host("LOCALHOST:4100"));
        assert!(!b.accepts_host("127.0.0.1:4101"));
        assert!(!b.accepts_host("127.0.0.2:4100"));
        assert!(!b.accepts_host("evil.example:4100"));
        assert!(!b.accepts_host("127.0.0.1"));
        assert!(!b.accepts_host(""));
        let v6 = bound("[::1]:4100");
        assert!(v6.accepts_host("[::1]:4100"));
        assert!(!v6.accepts_host("127.0.0.1:4100"));
        let open = bound("0.0.0.0:80");
        assert!(open.accepts_host("192.168.1.20"));
        assert!(open.accepts_host("192.168.1.20:80"));
        assert!(!open.accepts_host("desk.example"));
    }
}
