//! `copydesk lsp`: the checks as a language server, so an editor shows the
//! findings while a story is written.
//!
//! - Diagnostics for open `.txt`, `.md` and `.markdown` documents (and the
//!   language ids `plaintext` and `markdown`), on open, on every change and
//!   on save: the same findings as `copydesk check` on the same text, with
//!   related places ("first appears here") and the rule id as the code.
//! - Code actions: each fix as a quick fix (an unsafe fix says so and is
//!   never preferred), all safe fixes of the document at once, and, in
//!   Markdown, a comment that suppresses the rule there.
//! - Hover over a finding: the rule explained, as `copydesk rule ID`.
//! - Settings as on the command line: the nearest `copydesk.toml` of each
//!   document (or the file the client names), reloaded when a config or
//!   rule file changes; a config that does not load is reported on the
//!   config file and the last good one stays in use.
//!
//! Checks run on a worker thread, newest text first: edits that arrive
//! while a check runs replace the text it waits to check, and a result for
//! an outdated text is dropped. A panic while checking one document is
//! reported on that document and the server goes on.

mod actions;
mod server;
mod text;
mod worker;

pub use server::run;
pub use text::{Encoding, LineIndex, path_to_uri, uri_to_path};
