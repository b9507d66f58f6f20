/**
 * Starts a real VS Code (code-server, VS Code's own server and web workbench) on
 * loopback and launches headless Chromium against it. See VSCODE-HARNESS.md: this
 * is how the integration and end-to-end tiers run on machines that cannot download
 * desktop VS Code. Each run gets its own temporary directory (config, user data,
 * extensions) so runs never share state, and stop() removes it again.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const repoRoot = path.resolve(__dirname, '..', '..');
export const codeServerBin = path.join(repoRoot, '.vscode-test', 'code-server', 'node_modules', '.bin', 'code-server');
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface CodeServerOptions {
  /** Folder the workbench opens (positional argument); none if omitted. */
  readonly workspace?: string;
  /** Merged into DIR/user/User/settings.json after `"workbench.startupEditor": "none"`. */
  readonly settings?: Readonly<Record<string, unknown>>;
  /** Extra environment for code-server and so for its extension host. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** `.vsix` files installed into DIR/ext before the server starts. */
  readonly vsix?: readonly string[];
  /** Milliseconds to wait for /healthz. */
  readonly startTimeoutMs?: number;
  /** Called with every line code-server prints (stdout and stderr). */
  readonly onLine?: (line: string) => void;
  /** Keep Workspace Trust on (the default run passes --disable-workspace-trust, so every folder is trusted). */
  readonly workspaceTrust?: boolean;
}

export interface CodeServer {
  /** `http://127.0.0.1:PORT` (no trailing slash). */
  readonly url: string;
  readonly port: number;
  /** The run's temporary directory: config.yaml, user/, ext/. */
  readonly dir: string;
  readonly extensionsDir: string;
  /** The last lines code-server printed, for failure reports. */
  recentOutput(): string[];
  /** Kills code-server's whole process group and removes `dir`. */
  stop(): Promise<void>;
}

/** A port the kernel just handed out on 127.0.0.1 (free unless someone races us). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export function assertCodeServerInstalled(): void {
  if (!existsSync(codeServerBin)) {
    throw new Error(`code-server is not installed at ${codeServerBin}; run: bash scripts/install-code-server.sh`);
  }
}

/** Environment for every code-server process: the marketplace off, no update checks. */
function serverEnv(extra: CodeServerOptions['env']): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, EXTENSIONS_GALLERY: '{"serviceUrl":""}' };
  for (const [key, value] of Object.entries(extra ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

/** Installs a .vsix into an extensions directory with code-server's own CLI. */
export function installVsix(vsix: string, dir: string, extensionsDir: string): void {
  const result = spawnSync(
    codeServerBin,
    [
      '--config',
      path.join(dir, 'config.yaml'),
      '--user-data-dir',
      path.join(dir, 'user'),
      '--extensions-dir',
      extensionsDir,
      '--install-extension',
      path.resolve(vsix),
      '--force',
    ],
    { env: serverEnv({}), encoding: 'utf8', timeout: 60_000 },
  );
  if (result.status !== 0) {
    throw new Error(`installing ${vsix} failed (${result.status ?? result.signal}):\n${result.stdout}${result.stderr}`);
  }
}

function prepareDir(options: CodeServerOptions): { dir: string; extensionsDir: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'qcoder-cs-'));
  const extensionsDir = path.join(dir, 'ext');
  const userDir = path.join(dir, 'user', 'User');
  // A missing extensions directory means the development extension is never scanned.
  mkdirSync(extensionsDir, { recursive: true });
  mkdirSync(userDir, { recursive: true });
  writeFileSync(path.join(dir, 'config.yaml'), 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n');
  const settings = { 'workbench.startupEditor': 'none', ...options.settings };
  writeFileSync(path.join(userDir, 'settings.json'), JSON.stringify(settings, null, 2));
  return { dir, extensionsDir };
}

function get(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
    req.setTimeout(2_000, () => {
      req.destroy();
      resolve(0);
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Kills a detached child's process group: code-server forks its extension host, pty host and watchers. */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    /* already gone */
  }
}

export async function startCodeServer(options: CodeServerOptions = {}): Promise<CodeServer> {
  assertCodeServerInstalled();
  const { dir, extensionsDir } = prepareDir(options);
  try {
    for (const vsix of options.vsix ?? []) installVsix(vsix, dir, extensionsDir);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const args = [
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--config',
    path.join(dir, 'config.yaml'),
    '--user-data-dir',
    path.join(dir, 'user'),
    '--extensions-dir',
    extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
  ];
  if (options.workspace) args.push(options.workspace);
  const child = spawn(codeServerBin, args, {
    env: serverEnv(options.env),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const recent: string[] = [];
  const onData = (data: Buffer) => {
    for (const line of data.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      recent.push(line);
      if (recent.length > 200) recent.shift();
      options.onLine?.(line);
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  // If the test process dies without calling stop(), still take the server down.
  const onExit = () => killGroup(child, 'SIGKILL');
  process.once('exit', onExit);

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', onExit);
    if (!exited) {
      killGroup(child, 'SIGTERM');
      const killed = await Promise.race([exitedPromise.then(() => true), sleep(5_000).then(() => false)]);
      if (!killed) killGroup(child, 'SIGKILL');
    }
    // Children of the group (extension host, pty host) may outlive the main process briefly.
    killGroup(child, 'SIGKILL');
    await exitedPromise;
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  };

  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  while ((await get(`${url}/healthz`)) !== 200) {
    if (exited || Date.now() > deadline) {
      const why = exited ? `exited with ${child.exitCode ?? child.signalCode}` : 'did not answer /healthz in time';
      await stop();
      throw new Error(`code-server ${why}:\n${recent.join('\n')}`);
    }
    await sleep(100);
  }
  // Warm the workbench route while Chromium starts.
  void get(`${url}/`);
  return { url, port, dir, extensionsDir, recentOutput: () => [...recent], stop };
}

/** A `vscode-remote://` URI for a path on the code-server machine (a plain path would become file://). */
export function remoteUri(server: Pick<CodeServer, 'port'>, absolutePath: string): string {
  return `vscode-remote://127.0.0.1:${server.port}${path.resolve(absolutePath)}`;
}

/** The workbench URL, optionally opening a folder and passing a development payload. */
export function workbenchUrl(
  server: Pick<CodeServer, 'url'>,
  folder?: string,
  payload?: readonly (readonly [string, string])[],
): string {
  const query = new URLSearchParams();
  // A `.code-workspace` file opens as a (multi-root) workspace, anything else as a folder.
  if (folder) query.set(folder.endsWith('.code-workspace') ? 'workspace' : 'folder', path.resolve(folder));
  if (payload && payload.length > 0) query.set('payload', JSON.stringify(payload));
  const search = query.toString();
  return `${server.url}/${search ? `?${search}` : ''}`;
}

export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export interface Browser {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Closes Chromium and removes its user-data-dir. */
  close(): Promise<void>;
}

/** Headless Debian Chromium with a fresh profile. */
export async function launchChromium(options: { viewport?: { width: number; height: number } } = {}): Promise<Browser> {
  if (!existsSync(chromiumPath)) throw new Error(`Chromium not found at ${chromiumPath}; apt-get install chromium`);
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'qcoder-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: chromiumPath,
      headless: true,
      args: chromiumArgs,
      viewport: options.viewport ?? { width: 1400, height: 900 },
    });
  } catch (error) {
    rmSync(userDataDir, { recursive: true, force: true });
    throw error;
  }
  const page = context.pages()[0] ?? (await context.newPage());
  let closed = false;
  return {
    context,
    page,
    close: async () => {
      if (closed) return;
      closed = true;
      await context.close().catch(() => undefined);
      rmSync(userDataDir, { recursive: true, force: true, maxRetries: 3 });
    },
  };
}
