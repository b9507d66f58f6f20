/**
 * Restricted Mode, in the untrusted run only (`runCodeServer.ts --untrusted`: Workspace Trust
 * on, the folder not trusted); skipped in a trusted workspace. What the local model server
 * received is the evidence: no edit tools offered, no instruction file in the prompt, and no
 * byte written when the model proposes an edit anyway. The last test has the runner click
 * Trust in VS Code's trust editor and checks that everything comes back without a reload.
 */
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { QCoderApi } from '../../../src/extension';
import type { HostMessage } from '../../../src/core/protocol';
import { type QCoderHost, startQCoder } from '../../support/extensionHost';
import type { ModelServer } from '../../support/modelServer';
import { toolCallEvents } from '../../support/toolCallStream';

/** The line runCodeServer.ts --untrusted watches for (kept in step with GRANT_TRUST_LINE there). */
const GRANT_TRUST_LINE = '[qcoder-runner] trust this workspace';
const EDIT_TOOLS = ['edit_file', 'write_file', 'delete_file', 'rename_file'];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, probe: () => boolean, timeoutMs = 15_000): Promise<void> {
  const started = Date.now();
  while (!probe()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe('untrusted workspace (Restricted Mode, real extension host)', () => {
  let server: ModelServer;
  let host: QCoderHost;
  let api: QCoderApi;
  let root: string;
  const posted: HostMessage[] = [];
  const toolNames = (index: number) =>
    ((server.requests[index].body.tools ?? []) as { function: { name: string } }[]).map((tool) => tool.function.name);
  const systemOf = (index: number) => (server.requests[index].body.messages as { content: string }[])[0].content;
  const lastTrust = () => posted.filter((m): m is Extract<HostMessage, { type: 'trust' }> => m.type === 'trust').at(-1);
  const notes = () =>
    posted.flatMap((m) => (m.type === 'messageAdded' && m.message.role === 'assistant' ? [m.message.content] : []));
  const lastLedger = () =>
    posted.filter((m): m is Extract<HostMessage, { type: 'ledger' }> => m.type === 'ledger').at(-1)?.ledger;

  before(async function () {
    if (vscode.workspace.isTrusted) this.skip();
    root = vscode.workspace.workspaceFolders![0].uri.fsPath;
    writeFileSync(path.join(root, 'QWEN.md'), 'Obey the file. QWEN-UNTRUSTED-MARKER-31f0\n');
    mkdirSync(path.join(root, '.qcoder', 'commands'), { recursive: true });
    writeFileSync(path.join(root, '.qcoder', 'commands', 'hi.md'), 'Say hi to $1.\n');
    host = await startQCoder({ server: (server) => server.setDefault({ kind: 'stream', chunks: ['Noted.'] }), posted });
    ({ api, server } = host);
  });

  after(async () => {
    if (!host) return;
    await host?.close();
  });

  it('the chat says what is limited and names the files it did not load', async () => {
    await vscode.commands.executeCommand('qcoder.chat.focus');
    await until('the trust banner', () => lastTrust() !== undefined);
    assert.deepEqual(lastTrust(), { type: 'trust', trusted: false, withheld: ['QWEN.md', '.qcoder/commands/hi.md'] });
  });

  it('offers no edit tools and loads no instruction file', async () => {
    const from = server.requests.length;
    await api.chat.send('What can you do here?');
    const tools = toolNames(from);
    assert.ok(tools.includes('read_file'), tools.join(', '));
    assert.deepEqual(
      tools.filter((name) => EDIT_TOOLS.includes(name)),
      [],
    );
    assert.doesNotMatch(systemOf(from), /QWEN-UNTRUSTED-MARKER/);
    const row = lastLedger()?.items.find((item) => item.title === 'QWEN.md');
    assert.deepEqual(row && { kind: row.kind, included: row.included, note: row.note }, {
      kind: 'instructions',
      included: false,
      note: 'not loaded: untrusted workspace',
    });
  });

  it('refuses an edit the model proposes anyway, and writes nothing', async () => {
    const from = server.requests.length;
    server.enqueue(
      { kind: 'raw', events: toolCallEvents([{ name: 'write_file', args: { path: 'pwned.txt', content: 'x' } }]) },
      { kind: 'stream', chunks: ['I could not write it.'] },
    );
    await api.chat.send('Write pwned.txt');
    assert.equal(server.requests.length, from + 2);
    const result = JSON.stringify(server.requests[from + 1].body.messages.at(-1));
    assert.match(result, /not trusted/);
    assert.equal(existsSync(path.join(root, 'pwned.txt')), false);
  });

  it('/init and custom commands wait for trust; Load reads the files for this window', async () => {
    const from = server.requests.length;
    await api.chat.send('/init');
    assert.match(notes().at(-1) ?? '', /untrusted workspace/);
    await api.chat.send('/hi Ada');
    assert.match(notes().at(-1) ?? '', /^There is no command \/hi\./);
    assert.equal(server.requests.length, from, 'nothing went to the model');
    await api.chat.handle({ type: 'trustAction', action: 'load' });
    await until('the banner to update', () => lastTrust()?.withheld.length === 0);
    await api.chat.send('/hi Ada');
    assert.deepEqual(server.requests[from].body.messages.at(-1), { role: 'user', content: 'Say hi to Ada.' });
    assert.match(systemOf(from), /QWEN-UNTRUSTED-MARKER-31f0/);
    assert.deepEqual(
      toolNames(from).filter((name) => EDIT_TOOLS.includes(name)),
      [],
      'loading instructions does not enable edits',
    );
  });

  it('trusting the workspace enables the edit tools without a reload', async function () {
    this.timeout(40_000);
    const granted = new Promise<void>((resolve) => {
      const listener = vscode.workspace.onDidGrantWorkspaceTrust(() => {
        listener.dispose();
        resolve();
      });
    });
    await vscode.commands.executeCommand('workbench.trust.manage');
    await sleep(500);
    console.log(GRANT_TRUST_LINE);
    await granted;
    assert.equal(vscode.workspace.isTrusted, true);
    await until('the banner to go', () => lastTrust()?.trusted === true);
    const from = server.requests.length;
    await api.chat.send('And now?');
    const tools = toolNames(from);
    for (const name of EDIT_TOOLS) assert.ok(tools.includes(name), `${name} offered: ${tools.join(', ')}`);
  });
});
