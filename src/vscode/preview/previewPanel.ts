/**
 * The Preview panel: the latest screenshot of the page the agent previewed, its console and the
 * requests that did not load (a blocked host can be allowed for the session), and a button that
 * opens the page for the person — VS Code's Simple Browser for the agent's loopback server, the
 * system browser for a workspace file. Rendered whole on each look; no script but two buttons.
 */
import { randomBytes } from 'node:crypto';
import * as nodePath from 'node:path';
import * as vscode from 'vscode';
import { errorCount, type PreviewReport } from '../../core/preview/report';
import type { PreviewShot } from '../../core/preview/session';
import { workspaceRoots } from '../workspacePaths';

export const PREVIEW_PANEL = 'qcoder.preview';

const escape = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export class PreviewPanel implements vscode.Disposable {
  private panel?: vscode.WebviewPanel;
  private shot?: PreviewShot;
  private readonly subscriptions = new vscode.Disposable(() => this.panel?.dispose());

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly allowHost: (host: string) => void,
  ) {}

  /** The latest look; undefined before the first. */
  get latest(): PreviewReport | undefined {
    return this.shot?.report;
  }

  show(shot: PreviewShot): void {
    this.shot = shot;
    if (!this.panel) this.create();
    this.render();
  }

  /** Shows the latest look again; false when there is none yet. */
  reveal(): boolean {
    if (!this.shot) return false;
    if (this.panel) this.panel.reveal(undefined, true);
    else this.show(this.shot);
    return true;
  }

  dispose(): void {
    this.subscriptions.dispose();
  }

  private create(): void {
    const panel = vscode.window.createWebviewPanel(
      PREVIEW_PANEL,
      'Preview',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'media')] },
    );
    this.panel = panel;
    panel.onDidDispose(() => (this.panel = undefined));
    panel.webview.onDidReceiveMessage((message: unknown) => this.receive(message));
  }

  private receive(message: unknown): void {
    if (typeof message !== 'object' || message === null) return;
    const { type, host } = message as { type?: unknown; host?: unknown };
    if (type === 'open') void this.openPage();
    else if (type === 'allow' && typeof host === 'string' && /^[\w.-]+(:\d+)?$/.test(host)) {
      this.allowHost(host);
      void vscode.window.showInformationMessage(`The preview may load ${host} until VS Code restarts.`);
    }
  }

  private async openPage(): Promise<void> {
    const url = this.shot?.report.url;
    if (!url) return;
    if (/^https?:\/\//.test(url)) {
      await vscode.commands.executeCommand('simpleBrowser.show', url);
      return;
    }
    const root = workspaceRoots()[0];
    if (root) await vscode.env.openExternal(vscode.Uri.file(nodePath.join(root.path, url)));
  }

  private render(): void {
    if (!this.panel || !this.shot) return;
    const { webview } = this.panel;
    const { report, screenshot } = this.shot;
    const nonce = randomBytes(18).toString('base64');
    const style = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'preview.css'));
    const csp = `default-src 'none'; img-src data:; style-src ${webview.cspSource}; script-src 'nonce-${nonce}'`;
    const opener = /^https?:\/\//.test(report.url) ? 'Open in Simple Browser' : 'Open in Browser';
    this.panel.title = `Preview: ${report.title || report.url}`;
    const title = escape(report.title || '(untitled)');
    const url = escape(report.url);
    const png = screenshot.toString('base64');
    webview.html = `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<link rel="stylesheet" href="${style.toString()}"><title>Preview</title></head>
<body>
<header><div><h1>${title}</h1><p class="url">${url} · ${escape(report.action)}</p></div>
<button id="open">${opener}</button></header>
<img id="screenshot" alt="Screenshot of ${url}" src="data:image/png;base64,${png}">
${consoleList(report)}
${requestList(report)}
<script nonce="${nonce}">
const vscode = acquireVsCodeApi();
document.getElementById('open').addEventListener('click', () => vscode.postMessage({ type: 'open' }));
for (const button of document.querySelectorAll('button[data-host]'))
  button.addEventListener('click', () => vscode.postMessage({ type: 'allow', host: button.dataset.host }));
</script>
</body></html>`;
  }
}

function consoleList(report: PreviewReport): string {
  const errors = errorCount(report);
  const count = report.console.length === 0 ? 'empty' : `${errors} error${errors === 1 ? '' : 's'}`;
  const heading = `<h2>Console <span class="count">${count}</span></h2>`;
  const items = report.console.map((entry) => {
    const where = entry.where ? `<span class="where">${escape(entry.where)}</span>` : '';
    const times = entry.count && entry.count > 1 ? ` <span class="times">×${entry.count}</span>` : '';
    const line = entry.line !== undefined ? `<code>${escape(entry.line.trim())}</code>` : '';
    return (
      `<li class="${escape(entry.type)}"><span class="type">${escape(entry.type)}</span> ` +
      `${escape(entry.text)}${times} ${where}${line}</li>`
    );
  });
  return `<section id="console">${heading}<ul>${items.join('')}</ul></section>`;
}

function requestList(report: PreviewReport): string {
  if (report.requests.length === 0) return '';
  const items = report.requests.map((problem) => {
    let allow = '';
    if (problem.blocked) {
      const host = hostOf(problem.url);
      if (host) {
        const name = escape(host);
        allow = ` <button class="secondary" data-host="${name}">Allow ${name} for this session</button>`;
      }
    }
    return (
      `<li class="${problem.blocked ? 'blocked' : 'failed'}">${problem.blocked ? 'Blocked' : 'Failed'} ` +
      `${escape(problem.url)}: ${escape(problem.reason)}${allow}</li>`
    );
  });
  return `<section id="requests"><h2>Requests that did not load</h2><ul>${items.join('')}</ul></section>`;
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host || undefined;
  } catch {
    return undefined;
  }
}
