/**
 * The chat webview as a plain page for headless Chromium (webview bench, webview tests): its bundle
 * built by esbuild from `srcRoot`, the style sheets the real webview loads, its markup, and a stub
 * `acquireVsCodeApi` that keeps what the page posts in `window.posted`. Fed with the host's own
 * messages through `window.postMessage`-style events.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { type Browser, chromium, type Page } from 'playwright-core';
import { chatBody } from '../../src/vscode/chatMarkup';

const root = path.resolve(__dirname, '../..');
/** The style sheets the real webview loads (src/vscode/webviewHtml.ts), in its order; codicons come apart. */
export const WEBVIEW_STYLES = ['chat.css', 'commands.css', 'ledger.css', 'messages.css'];

/** The current checkout's style sheets, as one. */
export function currentStyles(): string {
  return WEBVIEW_STYLES.map((name) => readFileSync(path.join(root, 'media', name), 'utf8')).join('\n');
}

/** Writes the page into `dir` and returns its index.html. `minify: false` keeps function names for a profile. */
export async function buildWebviewPage(dir: string, srcRoot: string, css: string, minify = true): Promise<string> {
  mkdirSync(dir, { recursive: true });
  await esbuild.build({
    entryPoints: [path.join(srcRoot, 'src/webview/main.ts')],
    outfile: path.join(dir, 'webview.js'),
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    minify,
    logLevel: 'error',
    nodePaths: [path.join(root, 'node_modules')],
  });
  writeFileSync(path.join(dir, 'chat.css'), css);
  for (const file of ['codicon.css', 'codicon.ttf'])
    copyFileSync(path.join(root, 'node_modules/@vscode/codicons/dist', file), path.join(dir, file));
  const stub =
    `window.acquireVsCodeApi = () => ({ postMessage: (m) => (window.posted ??= []).push(m), ` +
    `getState: () => undefined, setState: () => {} });`;
  writeFileSync(
    path.join(dir, 'index.html'),
    `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">` +
      `<link rel="stylesheet" href="codicon.css"><link rel="stylesheet" href="chat.css">` +
      `<style>html{--vscode-font-family:sans-serif;--vscode-font-size:13px;` +
      `--vscode-editor-font-family:monospace;}</style></head>` +
      `<body data-surface="panel">${chatBody('panel')}<script>${stub}</script>` +
      `<script src="webview.js"></script></body></html>`,
  );
  return path.join(dir, 'index.html');
}

/** The current checkout's page, built into `dir` and opened in Debian's Chromium, ready for the host's messages. */
export async function openWebviewPage(
  dir: string,
  viewport = { width: 600, height: 800 },
): Promise<{ browser: Browser; page: Page }> {
  const index = await buildWebviewPage(dir, root, currentStyles());
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'],
  });
  const page = await browser.newPage({ viewport });
  await page.goto(`file://${index}`);
  await page.waitForFunction(() => Array.isArray((window as { posted?: unknown[] }).posted));
  return { browser, page };
}
