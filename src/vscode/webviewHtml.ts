/** The chat webview's HTML: strict CSP, scripts by nonce, nothing remote. */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

export function chatHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const nonce = randomBytes(18).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'chat.css'));
  const commandStyle = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'commands.css'));
  const messageStyle = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'messages.css'));
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
    "connect-src 'none'",
    "frame-src 'none'",
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}">
<link rel="stylesheet" href="${commandStyle.toString()}">
<link rel="stylesheet" href="${messageStyle.toString()}">
<title>QCoder</title>
</head>
<body>
<header id="toolbar">
  <select id="sessions" title="Chat history" aria-label="Chat history"></select>
  <button id="new-chat" title="New chat" aria-label="New chat">New Chat</button>
</header>
<section id="setup" hidden>
  <p id="setup-text"></p>
  <button id="setup-key">Set API Key</button>
  <button id="setup-settings" class="secondary">Open Settings</button>
</section>
<main id="messages" aria-live="polite"></main>
<footer id="composer">
  <section id="ledger" hidden aria-label="Context of the last request"></section>
  <div id="status-line">
    <div id="connection" title=""></div>
    <button id="meter" class="secondary" title="What went into the model's window (click for the ledger)" aria-expanded="false" aria-controls="ledger">— / —</button>
  </div>
  <ul id="mention-menu" role="listbox" hidden aria-label="Mentions"></ul>
  <textarea id="prompt" rows="3" placeholder="Ask QCoder… (@ to attach context, Enter to send, Shift+Enter for a new line, ↑ for earlier prompts, Shift+drop a file to mention it)" aria-label="Message"></textarea>
  <div id="actions">
    <button id="stop" hidden>Stop</button>
    <button id="send">Send</button>
  </div>
</footer>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
}
