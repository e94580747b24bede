//! Starts `copydesk lsp` for Markdown and plain-text buffers. The server
//! does the rest: findings, quick fixes, "fix all", suppressions and hover.

use zed_extension_api as zed;

struct Copydesk;

impl zed::Extension for Copydesk {
    fn new() -> Self {
        Copydesk
    }

    fn language_server_command(
        &mut self,
        _id: &zed::LanguageServerId,
        worktree: &zed::Worktree,
    ) -> zed::Result<zed::Command> {
        let command = worktree.which("copydesk").ok_or_else(|| {
            "copydesk is not on the PATH: install it with `cargo install --locked copydesk`"
                .to_string()
        })?;
        Ok(zed::Command {
            command,
            args: vec!["lsp".into()],
            env: worktree.shell_env(),
        })
    }
}

zed::register_extension!(Copydesk);
