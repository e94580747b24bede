// Starts `copydesk lsp` for Markdown and plain-text documents. Everything a
// reporter sees (findings, quick fixes, "fix all", suppressions, rule
// explanations on hover) comes from the server; this file only launches it
// and passes the two settings on.
import * as vscode from "vscode";
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
} from "vscode-languageclient/node";

let client: LanguageClient | undefined;

function settings() {
  const c = vscode.workspace.getConfiguration("copydesk");
  return {
    path: c.get<string>("path") || "copydesk",
    config: c.get<string>("config") || "",
  };
}

async function start(): Promise<void> {
  const { path, config } = settings();
  const serverOptions: ServerOptions = { command: path, args: ["lsp"] };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "markdown" },
      { scheme: "file", language: "plaintext" },
      { scheme: "untitled", language: "markdown" },
      { scheme: "untitled", language: "plaintext" },
    ],
    initializationOptions: { config },
    // Sends {"copydesk": {...}} to the server when a setting changes.
    synchronize: { configurationSection: "copydesk" },
  };
  client = new LanguageClient("copydesk", "copydesk", serverOptions, clientOptions);
  await client.start();
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      // A new program path needs a new server; the config file setting
      // reaches the running server by itself.
      if (e.affectsConfiguration("copydesk.path")) {
        await client?.stop();
        await start();
      }
    }),
  );
  try {
    await start();
  } catch (err) {
    vscode.window.showErrorMessage(
      `copydesk could not start (${settings().path} lsp): ${err}. ` +
        "Install it with `cargo install --locked copydesk`, or set copydesk.path.",
    );
  }
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
