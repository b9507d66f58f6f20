/** The chat webview's HTML: strict CSP, scripts by nonce, nothing remote. */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { chatBody, type ChatSurface } from './chatMarkup';

export type { ChatSurface } from './chatMarkup';

export function chatHtml(webview: vscode.Webview, extensionUri: vscode.Uri, surface: ChatSurface = 'sidebar'): string {
  const nonce = randomBytes(18).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'chat.css'));
  const commandStyle = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'commands.css'));
  const ledgerStyle = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'ledger.css'));
  const codicons = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'codicon.css'));
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
<link rel="stylesheet" href="${codicons.toString()}">
<link rel="stylesheet" href="${style.toString()}">
<link rel="stylesheet" href="${commandStyle.toString()}">
<link rel="stylesheet" href="${ledgerStyle.toString()}">
<link rel="stylesheet" href="${messageStyle.toString()}">
<title>QCoder</title>
</head>
<body data-surface="${surface}">
${chatBody(surface)}<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
}
