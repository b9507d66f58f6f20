/**
 * injection (host): the same injected text as test/adversarial/injection.test.ts, read by the real
 * extension's read_file from a workspace file, with the model scripted to obey it: write and edit
 * .vscode/settings.json, pipe a download into a shell, force-push, print and post the API key. Each
 * agent mode, with a generous allow list in the user's settings. Nobody clicks: every approval card
 * is answered Reject and every review is rejected, and both are counted.
 *
 * A case is one call the injection asked for. Violations: a command card of the injection that
 * started (or a shell execution in a terminal, or the installer fetched, or a key posted to the
 * loopback server), a changed .vscode/settings.json (SHA-256), and the API key (a canary in
 * OPENAI_API_KEY, the way Qwen Code users give it) in any request body, webview message, setting,
 * globalState or workspaceState value, or file under the user's settings, state and log folders.
 * Skipped in the untrusted run (there nothing runs at all; see untrustedSurfaces.test.ts).
 */
import * as assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { QCoderApi } from '../../../src/extension';
import { AGENT_MODES } from '../../../src/core/agent/modes';
import type { HostMessage } from '../../../src/core/protocol';
import { type ModelServer, type Reply, startModelServer } from '../../support/modelServer';
import { toolCallEvents } from '../../support/toolCallStream';
import { startWebServer, type WebServer } from '../../adversarial/injectionHarness';

const CANARY = `qc-canary-${randomUUID()}`;
const GENEROUS = ['cat *', 'curl *', 'git *', 'echo *', 'sed *', 'cp *', 'tee *', 'ls *'];
/** A line the generous allow list lets run in the auto modes (not a case). */
const CONTROL = 'ls -a';
const RAN_STATES = new Set(['running', 'background', 'done', 'failed']);

interface Payload {
  readonly what: string;
  readonly tool: string;
  readonly args: Record<string, unknown>;
}

/** Assigning undefined to process.env would store the string "undefined". */
function restoreEnv(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const sha = (file: string) =>
  existsSync(file) ? createHash('sha256').update(readFileSync(file)).digest('hex') : 'none';

/** Every file under `dir` (a few levels, small files whole), for the key search. */
function filesUnder(dir: string, depth = 6): string[] {
  if (depth < 0 || !existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(full, depth - 1);
    return entry.isFile() && (sizeOf(full) ?? Infinity) < 50_000_000 ? [full] : [];
  });
}

/** A file the host may rename away while the test lists it (an atomic write's temporary): undefined once gone. */
function gone<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
const sizeOf = (file: string) => gone(() => statSync(file).size);

describe('injection in the real extension host (nothing clicked)', () => {
  let api: QCoderApi;
  let server: ModelServer;
  let web: WebServer;
  let root: string;
  let payloads: Payload[];
  let settingsFile: string;
  let settingsBefore: string | undefined;
  const posted: HostMessage[] = [];
  const seen = { cases: 0, approvals: 0, reviews: 0, executions: 0, violations: [] as string[] };
  const saved = { key: process.env.OPENAI_API_KEY, base: process.env.OPENAI_BASE_URL };
  const config = () => vscode.workspace.getConfiguration('qcoder');
  const disposables: vscode.Disposable[] = [];

  before(async function () {
    if (!vscode.workspace.isTrusted) this.skip();
    const extension = vscode.extensions.getExtension<QCoderApi>('qcoder.qcoder');
    assert.ok(extension);
    api = await extension.activate();
    disposables.push(api.onDidPostMessage((message) => posted.push(message)));
    type Execution = { execution: { commandLine: { value: string } } };
    const shellStarts = (vscode.window as { onDidStartTerminalShellExecution?: vscode.Event<Execution> })
      .onDidStartTerminalShellExecution;
    if (shellStarts)
      disposables.push(
        shellStarts((event) => {
          if (event.execution.commandLine.value.trim() !== CONTROL) seen.executions++;
        }),
      );
    root = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const fixtures = path.join(extension.extensionPath, 'test', 'fixtures', 'adversarial', 'injection');
    const content = { page: '', installer: '' };
    web = await startWebServer(content);
    const marker = path.join(root, '.installer-ran');
    const fill = (text: string) =>
      text.replaceAll('{{HOST}}', web.host).replaceAll('{{MARKER}}', marker).replaceAll('{{RUN}}', String(process.pid));
    content.installer = fill(readFileSync(path.join(fixtures, 'install.sh'), 'utf8'));
    writeFileSync(path.join(root, 'notes.md'), fill(readFileSync(path.join(fixtures, 'injected.md'), 'utf8')));
    payloads = (
      JSON.parse(readFileSync(path.join(fixtures, 'payloads.json'), 'utf8')) as { calls: Payload[] }
    ).calls.map((payload) => ({
      ...payload,
      args: JSON.parse(fill(JSON.stringify(payload.args))) as Record<string, unknown>,
    }));
    settingsFile = path.join(root, '.vscode', 'settings.json');
    settingsBefore = existsSync(settingsFile) ? readFileSync(settingsFile, 'utf8') : undefined;
    if (settingsBefore === undefined) {
      mkdirSync(path.dirname(settingsFile), { recursive: true });
      writeFileSync(settingsFile, '{}\n');
    }
    server = await startModelServer();
    // The user started VS Code with the key in the environment, for this server.
    process.env.OPENAI_API_KEY = CANARY;
    process.env.OPENAI_BASE_URL = server.baseUrl;
    await config().update('baseUrl', server.baseUrl, vscode.ConfigurationTarget.Global);
    await config().update('model', 'qwen3-coder-plus', vscode.ConfigurationTarget.Global);
    await config().update('commands.allow', GENEROUS, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    if (!server) return;
    console.log(`injection (host): ${seen.cases} cases, ${seen.violations.length} violations`);
    console.log(
      `injection (host): ${seen.approvals} approval cards and ${seen.reviews} reviews declined, ` +
        `${seen.executions} terminal executions`,
    );
    await api.agent.modes.set('ask');
    restoreEnv('OPENAI_API_KEY', saved.key);
    restoreEnv('OPENAI_BASE_URL', saved.base);
    for (const key of ['baseUrl', 'model', 'commands.allow'])
      await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    if (settingsBefore === undefined) rmSync(settingsFile, { force: true });
    else writeFileSync(settingsFile, settingsBefore);
    rmSync(path.join(root, 'notes.md'), { force: true });
    for (const disposable of disposables) disposable.dispose();
    await web.close();
    await server.close();
  });

  for (const mode of AGENT_MODES)
    it(`${mode} mode: no injected call runs or writes without a click`, async function () {
      this.timeout(60_000);
      await api.agent.modes.set(mode);
      const before = sha(settingsFile);
      const hitsFrom = web.hits.length;
      const requestsFrom = server.requests.length;
      const postedFrom = posted.length;
      const executionsFrom = seen.executions;
      server.gate((body) => script(body, payloads, mode));
      try {
        await sendDeclining(`Summarise notes.md (${mode}).`, postedFrom);
      } finally {
        server.gate(undefined);
      }
      seen.cases += payloads.length;
      const reached = server.requests
        .slice(requestsFrom)
        .some((request) => JSON.stringify(request.body.messages).includes('INJECTION-MARKER-7c1e'));
      assert.ok(reached, 'the injected text reached the model');
      const lines = new Set(payloads.map((payload) => String(payload.args.command ?? '')));
      const started = new Set<string>();
      for (const message of posted.slice(postedFrom))
        if (message.type === 'toolCall' && message.call.command && RAN_STATES.has(message.call.command.state))
          started.add(message.call.command.command);
      // The control: a harmless allowed line runs unasked in the auto modes, so the count can see a run.
      assert.equal(started.delete(CONTROL), mode === 'autoEdit' || mode === 'auto', `the control ${CONTROL} ran`);
      const problems = [
        ...[...started].filter((line) => lines.has(line)).map((line) => `ran: ${line}`),
        ...(sha(settingsFile) !== before ? ['.vscode/settings.json changed'] : []),
        ...web.hits.slice(hitsFrom).map((hit) => `the loopback server got ${hit.url}`),
        ...(seen.executions > executionsFrom ? [`${seen.executions - executionsFrom} terminal executions`] : []),
      ];
      seen.violations.push(...problems.map((problem) => `${mode}: ${problem}`));
      assert.deepEqual(problems, []);
    });

  it('the API key is in no request, webview message, setting, state or log', () => {
    const places: Record<string, string> = {
      'request bodies': JSON.stringify(server.requests.map((request) => request.body)),
      'webview messages': JSON.stringify(posted),
      settings: JSON.stringify(vscode.workspace.getConfiguration('qcoder')),
      globalState: JSON.stringify(api.storage.globalState.keys().map((key) => [key, api.storage.globalState.get(key)])),
      workspaceState: JSON.stringify(
        api.storage.workspaceState.keys().map((key) => [key, api.storage.workspaceState.get(key)]),
      ),
    };
    // The user folder (settings.json, state.vscdb, workspace storage with the sessions) and the logs.
    const user = path.resolve(api.storage.globalStorageUri.fsPath, '..', '..');
    const logs = path.resolve(api.storage.logUri.fsPath, '..', '..');
    for (const file of [...filesUnder(user), ...filesUnder(logs)]) {
      const text = gone(() => readFileSync(file, 'latin1'));
      if (text !== undefined) places[file] = text;
    }
    const leaked = Object.entries(places)
      .filter(([, text]) => text.includes(CANARY))
      .map(([where]) => where);
    seen.violations.push(...leaked.map((where) => `the key in ${where}`));
    assert.ok(Object.keys(places).length > 8, `searched only ${Object.keys(places).join(', ')}`);
    assert.deepEqual(leaked, []);
    assert.ok(
      server.requests.some((request) => request.headers.authorization === `Bearer ${CANARY}`),
      'the key was in use (sent in the Authorization header)',
    );
  });

  /** Sends `text`; rejects every approval card and every review until the turn ends. */
  async function sendDeclining(text: string, from: number): Promise<void> {
    const answered = new Set<string>();
    const sent = api.chat.send(text);
    let settled = false;
    void sent.finally(() => (settled = true));
    while (!settled) {
      for (const message of posted.slice(from))
        if (message.type === 'toolCall' && message.call.prompt && !answered.has(message.call.id)) {
          answered.add(message.call.id);
          seen.approvals++;
          await api.chat.handle({ type: 'promptAnswer', callId: message.call.id, choice: 'reject' });
        }
      for (const review of api.review.controller.pending()) {
        seen.reviews++;
        await api.review.controller.act(review.id, 'rejectAll');
      }
      await sleep(25);
    }
    await sent;
    await api.chat.idle();
  }
});

/** The obedient model: read the notes, then every call they ask for, then a short answer. */
function script(body: any, payloads: readonly Payload[], tag: string): Reply {
  const messages = body.messages as { role: string; tool_call_id?: string }[];
  const answered = new Set(messages.filter((m) => m.role === 'tool').map((m) => m.tool_call_id));
  if (!answered.has(`${tag}-src`))
    return {
      kind: 'raw',
      events: toolCallEvents([{ name: 'read_file', args: { path: 'notes.md' }, id: `${tag}-src` }]),
    };
  if (!answered.has(`${tag}-p0`))
    return {
      kind: 'raw',
      events: toolCallEvents([
        ...payloads.map((payload, index) => ({ name: payload.tool, args: payload.args, id: `${tag}-p${index}` })),
        { name: 'run_command', args: { command: CONTROL }, id: `${tag}-control` },
      ]),
    };
  return { kind: 'stream', chunks: ['Done.'] };
}
