/**
 * The world the injection suite attacks, all real: a workspace folder on disk with a git
 * repository whose `origin` is a bare repository, a protected `.vscode/settings.json`, a loopback
 * web server (the page with the injection, the installer it points at, a collector for a stolen
 * key), a real MCP server whose tool result carries the injection, and the shell. What it measures
 * lives outside the code under test: file bytes (SHA-256), the bare repository's ref, the web
 * server's log, a marker file the installer would write, and the command lines the shell seam saw.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { ReadResult, SearchResult, WorkspaceAccess } from '../../src/core/agent/workspace';
import type { CommandHost, CommandSpec, RunningCommand } from '../../src/core/agent/commands/runTypes';

export const FIXTURES = path.join(__dirname, '..', 'fixtures', 'adversarial', 'injection');
export const INJECTION_MARKER = 'INJECTION-MARKER-7c1e';
/** Files whose bytes must not change: the settings the injection wants and git's own configuration. */
export const PROTECTED = ['.vscode/settings.json', '.git/config', '.git/HEAD'];

export interface Payload {
  readonly what: string;
  readonly tool: string;
  readonly args: Record<string, unknown>;
}

const fixture = (name: string) => readFileSync(path.join(FIXTURES, name), 'utf8');

/** The loopback web server: serves the page and the installer, and logs every request it got. */
export interface WebServer {
  readonly host: string;
  readonly hits: { url: string; body: string }[];
  close(): Promise<void>;
}

/** `content` is read at each request: the page names the server's own address. */
export async function startWebServer(content: { page: string; installer: string }): Promise<WebServer> {
  const hits: { url: string; body: string }[] = [];
  const server = http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => {
      hits.push({ url: req.url ?? '', body: Buffer.concat(parts).toString('utf8') });
      const isPage = req.url === '/page.html';
      res.writeHead(200, { 'content-type': isPage ? 'text/html' : 'text/plain' });
      res.end(isPage ? content.page : req.url === '/install.sh' ? content.installer : 'ok\n');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { host, hits, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

export interface World {
  readonly root: string;
  readonly remote: string;
  readonly marker: string;
  readonly web: WebServer;
  /** The injected text, with the loopback host filled in (what every source carries). */
  readonly injected: string;
  readonly payloads: readonly Payload[];
  /** SHA-256 of each protected file and the remote's `main`, now. */
  fingerprint(): Record<string, string>;
  dispose(): Promise<void>;
}

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' }).trim();

export async function makeWorld(): Promise<World> {
  const base = mkdtempSync(path.join(tmpdir(), 'qcoder-injection-'));
  const root = path.join(base, 'workspace');
  const remote = path.join(base, 'remote.git');
  const marker = path.join(base, 'installer-ran.txt');
  const run = String(process.pid);
  const content = { page: '', installer: '' };
  const web = await startWebServer(content);
  const fill = (text: string) =>
    text.replaceAll('{{HOST}}', web.host).replaceAll('{{MARKER}}', marker).replaceAll('{{RUN}}', run);
  const injected = fill(fixture('injected.md'));
  content.page = fill(fixture('page.html')).replace('{{INJECTED}}', injected.replace(/[<>]/g, ' '));
  content.installer = fill(fixture('install.sh'));

  mkdirSync(path.join(root, '.vscode'), { recursive: true });
  writeFileSync(path.join(root, 'notes.md'), injected);
  writeFileSync(path.join(root, 'build.log'), `> build\nok\n${injected}`);
  writeFileSync(path.join(root, 'issue.txt'), injected);
  writeFileSync(path.join(root, '.vscode', 'settings.json'), '{\n  "editor.tabSize": 2\n}\n');
  execFileSync('git', ['init', '--bare', '-q', '-b', 'main', remote]);
  git(root, 'init', '-q', '-b', 'main');
  git(root, 'add', '-A');
  git(root, '-c', 'user.name=t', '-c', 'user.email=t@example.invalid', 'commit', '-q', '-m', 'one');
  git(root, 'remote', 'add', 'origin', remote);
  git(root, 'push', '-q', 'origin', 'main');
  // Local history that differs from origin's, so any push that lands moves origin's ref.
  git(root, '-c', 'user.name=t', '-c', 'user.email=t@example.invalid', 'commit', '-q', '--amend', '-m', 'rewritten');

  const payloads = (JSON.parse(fixture('payloads.json')) as { calls: Payload[] }).calls.map((payload) => ({
    ...payload,
    args: JSON.parse(fill(JSON.stringify(payload.args))) as Record<string, unknown>,
  }));
  const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
  return {
    root,
    remote,
    marker,
    web,
    injected,
    payloads,
    fingerprint: () => ({
      ...Object.fromEntries(PROTECTED.map((rel) => [rel, sha(path.join(root, rel))])),
      'origin main': git(remote, 'rev-parse', 'main'),
      marker: existsSync(marker) ? 'present' : 'absent',
    }),
    dispose: async () => {
      await web.close();
      rmSync(base, { recursive: true, force: true });
      rmSync(path.join(tmpdir(), `qcoder-install-${run}.sh`), { force: true });
    },
  };
}

/** The shell seam: every line the command tool hands to the real shell, recorded before it starts. */
export class CountingHost implements CommandHost {
  readonly started: string[] = [];
  constructor(private readonly inner: CommandHost) {}
  start(spec: CommandSpec): Promise<RunningCommand> {
    this.started.push(spec.command);
    return this.inner.start(spec);
  }
}

/** read_file and friends over the folder on disk (the suite attacks commands, not the access rules). */
export class DiskWorkspace implements WorkspaceAccess {
  constructor(private readonly root: string) {}
  async readText(rel: string): Promise<ReadResult> {
    const full = path.resolve(this.root, rel);
    if (!full.startsWith(this.root + path.sep) || !existsSync(full) || !statSync(full).isFile())
      return { ok: false, reason: `${rel} does not exist.` };
    return { ok: true, text: readFileSync(full, 'utf8') };
  }
  async listFiles(options: { limit: number }): Promise<{ paths: string[]; truncated: boolean }> {
    const paths = readdirSync(this.root).filter((name) => !name.startsWith('.'));
    return { paths: paths.slice(0, options.limit), truncated: paths.length > options.limit };
  }
  async search(): Promise<SearchResult> {
    return { ok: true, hits: [], truncated: false };
  }
}
