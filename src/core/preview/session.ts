/**
 * One headless browser session for the preview tool: the page the agent opened, what it
 * printed and failed to load since the last action, and a screenshot after every action.
 * The browser is the user's own (never downloaded), started on first use and kept while
 * the agent works on the page.
 */
import type { Browser, BrowserContext, ConsoleMessage, Page, Request, Route } from 'playwright-core';
import { type PreviewAction, describeAction } from './actions';
import { summarisePng } from './blank';
import { readOnlyProblem } from './readOnly';
import type { CanvasSummary, ConsoleEntry, PreviewReport, RequestProblem } from './report';
import { displayUrl, isLoopback, judgeRequest, previewAddress } from './sandbox';

export type FileRead = { ok: true; bytes: Uint8Array } | { ok: false; reason: string };

/** Workspace files for the page, through the same access rules as every tool. */
export interface PreviewFiles {
  read(path: string): Promise<FileRead>;
}

export interface PreviewSessionOptions {
  readonly executablePath: string;
  readonly files: PreviewFiles;
  /** Hosts the user allowed for this session, besides the workspace and loopback. */
  readonly allowedHosts: () => ReadonlySet<string>;
}

export interface PreviewShot {
  readonly report: PreviewReport;
  readonly screenshot: Buffer;
}

const VIEWPORT = { width: 800, height: 600 };
const ACTION_TIMEOUT_MS = 5_000;
const LOAD_TIMEOUT_MS = 15_000;
/** Time for a page's first frames (and first errors) after load. */
const SETTLE_MS = 600;
const MAX_CANVASES = 4;
const MAX_VALUE = 2_000;
const MAX_TEXT_CHARS = 20_000;
const IDLE_CLOSE_MS = 5 * 60_000;

const MIME: Record<string, string> = {
  html: 'text/html',
  htm: 'text/html',
  js: 'text/javascript',
  mjs: 'text/javascript',
  css: 'text/css',
  json: 'application/json',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  wasm: 'application/wasm',
  txt: 'text/plain',
};

export class PreviewSession {
  private browser?: Promise<Browser>;
  private context?: BrowserContext;
  private page?: Page;
  private console: ConsoleEntry[] = [];
  private requests: RequestProblem[] = [];
  /** Text of workspace files served, by URL: console locations are shown with their source line. */
  private readonly sources = new Map<string, string>();
  private idle?: ReturnType<typeof setTimeout>;

  constructor(private readonly options: PreviewSessionOptions) {}

  get url(): string | undefined {
    return this.page?.url();
  }

  async run(action: PreviewAction): Promise<PreviewShot> {
    // A browser left idle is closed: the next look starts it again (about a second).
    clearTimeout(this.idle);
    this.idle = setTimeout(() => void this.dispose(), IDLE_CLOSE_MS);
    this.idle.unref?.();
    this.console = [];
    this.requests = [];
    let value: string | undefined;
    if (action.kind === 'open') await this.open(action.target);
    else value = await this.act(await this.current(), action);
    const page = await this.current();
    await page.waitForTimeout(action.kind === 'wait' ? 0 : SETTLE_MS);
    return this.look(page, describeAction(action), value);
  }

  async dispose(): Promise<void> {
    clearTimeout(this.idle);
    const browser = this.browser;
    this.browser = undefined;
    this.page = undefined;
    this.context = undefined;
    await (await browser?.catch(() => undefined))?.close().catch(() => undefined);
  }

  private async current(): Promise<Page> {
    if (!this.page || this.page.isClosed())
      throw new Error('no page is open: call preview_page with action "open" first');
    return this.page;
  }

  private async open(target: string): Promise<void> {
    const address = previewAddress(target);
    if (!address.ok) throw new Error(address.message);
    await this.context?.close().catch(() => undefined);
    this.sources.clear();
    const context = await (await this.launch()).newContext({ viewport: VIEWPORT, serviceWorkers: 'block' });
    this.context = context;
    await context.route('**/*', (route) => this.route(route));
    await context.routeWebSocket(/.*/, (socket) => {
      const verdict = judgeRequest(socket.url(), this.options.allowedHosts());
      if (verdict.kind === 'allow') socket.connectToServer();
      else {
        this.requests.push({
          url: socket.url(),
          reason: `blocked: ${verdict.kind === 'block' ? verdict.reason : 'no sockets to the workspace'}`,
          blocked: true,
        });
        void socket.close();
      }
    });
    const page = await context.newPage();
    this.page = page;
    page.on('console', (message) => this.record(consoleEntry(message, this.sources)));
    page.on('pageerror', (error) => this.record(pageError(error, this.sources)));
    page.on('requestfailed', (request) => this.failed(request));
    page.setDefaultTimeout(ACTION_TIMEOUT_MS);
    const response = await page.goto(address.url, { waitUntil: 'load', timeout: LOAD_TIMEOUT_MS });
    if (response && !response.ok())
      throw new Error(
        `${displayUrl(address.url)} answered ${response.status()}: ${await response.text().catch(() => '')}`.trim(),
      );
  }

  private launch(): Promise<Browser> {
    this.browser ??= import('playwright-core').then(({ chromium }) =>
      chromium.launch({
        executablePath: this.options.executablePath,
        headless: true,
        // A dead proxy for whatever slips past the request router (a preconnect, a DNS prefetch): loopback bypasses it.
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--proxy-server=http://127.0.0.1:9',
          '--dns-prefetch-disable',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--disable-dev-shm-usage',
        ],
      }),
    );
    this.browser.catch(() => (this.browser = undefined));
    return this.browser;
  }

  private async route(route: Route): Promise<void> {
    const request = route.request();
    const verdict = judgeRequest(request.url(), this.options.allowedHosts());
    if (verdict.kind === 'allow') {
      if (isLoopback(new URL(request.url()).hostname)) return route.continue();
      // A host the user allowed: fetched from Node, since the browser's own traffic goes to the dead proxy.
      return route.fulfill({ response: await route.fetch() }).catch(() => route.abort('failed'));
    }
    if (verdict.kind === 'block') {
      this.requests.push({
        url: request.url(),
        reason: `blocked by the preview sandbox (${verdict.reason})`,
        blocked: true,
      });
      return route.abort('blockedbyclient');
    }
    const read = await this.options.files.read(verdict.path.replace(/^\/+/, '') || 'index.html');
    if (!read.ok) return route.fulfill({ status: 404, contentType: 'text/plain', body: read.reason });
    const type = MIME[verdict.path.split('.').pop()?.toLowerCase() ?? ''] ?? 'application/octet-stream';
    if (type.startsWith('text/') || type === 'application/json' || type === 'image/svg+xml')
      this.sources.set(request.url(), new TextDecoder().decode(read.bytes));
    return route.fulfill({ status: 200, contentType: type, body: Buffer.from(read.bytes) });
  }

  private record(entry: ConsoleEntry): void {
    const same = this.console.find(
      (seen) => seen.type === entry.type && seen.text === entry.text && seen.where === entry.where,
    );
    if (same) same.count = (same.count ?? 1) + 1;
    else if (this.console.length < 200) this.console.push(entry);
  }

  private failed(request: Request): void {
    const reason = request.failure()?.errorText ?? 'failed';
    // The sandbox's own aborts are listed once, as blocked.
    if (reason.includes('ERR_BLOCKED_BY_CLIENT') && this.requests.some((seen) => seen.url === request.url())) return;
    this.requests.push({ url: displayUrl(request.url()), reason, blocked: false });
  }

  private async act(page: Page, action: Exclude<PreviewAction, { kind: 'open' }>): Promise<string | undefined> {
    switch (action.kind) {
      case 'click':
        if (action.selector) await page.click(action.selector);
        else await page.mouse.click(action.x ?? 0, action.y ?? 0);
        return undefined;
      case 'type':
        if (action.selector) await page.fill(action.selector, action.text);
        else await page.keyboard.type(action.text);
        return undefined;
      case 'press':
        await page.keyboard.press(action.key);
        return undefined;
      case 'scroll':
        await page.mouse.wheel(0, action.dy);
        return undefined;
      case 'wait':
        await page.waitForTimeout(action.ms);
        return undefined;
      case 'evaluate': {
        const problem = readOnlyProblem(action.expression);
        if (problem) throw new Error(problem);
        const value: unknown = await page.evaluate(`(${action.expression})`);
        const text = JSON.stringify(value) ?? 'undefined';
        return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE)}… (${text.length} characters)` : text;
      }
    }
  }

  private async look(page: Page, action: string, value: string | undefined): Promise<PreviewShot> {
    const screenshot = await page.screenshot({ type: 'png' });
    const [title, text, canvases] = await Promise.all([
      page.title().catch(() => ''),
      page.evaluate(() => document.body?.innerText ?? '').catch(() => ''),
      this.canvases(page),
    ]);
    const report: PreviewReport = {
      action,
      url: displayUrl(page.url()),
      title,
      text: text.slice(0, MAX_TEXT_CHARS),
      console: [...this.console],
      requests: [...this.requests],
      page: summarisePng(screenshot),
      canvases,
      ...(value !== undefined ? { value } : {}),
    };
    return { report, screenshot };
  }

  private async canvases(page: Page): Promise<CanvasSummary[]> {
    const handles = (await page.$$('canvas')).slice(0, MAX_CANVASES);
    return Promise.all(
      handles.map(async (handle, index) => {
        const box = await handle.boundingBox();
        const width = Math.round(box?.width ?? 0);
        const height = Math.round(box?.height ?? 0);
        if (!box || width === 0 || height === 0) return { index, width, height };
        const shot = await handle.screenshot({ type: 'png' }).catch(() => undefined);
        return shot ? { index, width, height, pixels: summarisePng(shot) } : { index, width, height };
      }),
    );
  }
}

/** `hexagon.html:23:5` and that source line, from a location in a served workspace file. */
function located(url: string, line: number, column: number, sources: ReadonlyMap<string, string>) {
  if (!url) return {};
  const where = `${displayUrl(url)}:${line}:${column}`;
  const source = sources.get(url)?.split('\n')[line - 1];
  return source === undefined ? { where } : { where, line: source };
}

function consoleEntry(message: ConsoleMessage, sources: ReadonlyMap<string, string>): ConsoleEntry {
  const { url, lineNumber, columnNumber } = message.location();
  return { type: message.type(), text: message.text(), ...located(url, lineNumber + 1, columnNumber + 1, sources) };
}

function pageError(error: Error, sources: ReadonlyMap<string, string>): ConsoleEntry {
  const frame = /\(?((?:https?|file):\/\/[^\s)]+):(\d+):(\d+)\)?/.exec(error.stack ?? '');
  const text = `${error.name && error.name !== 'Error' ? `${error.name}: ` : ''}${error.message}`;
  if (!frame) return { type: 'pageerror', text };
  return { type: 'pageerror', text, ...located(frame[1], Number(frame[2]), Number(frame[3]), sources) };
}
