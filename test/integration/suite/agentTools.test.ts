import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ReadOnlyTool, ToolOutcome } from '../../../src/core/agent/tool';
import type { HostMessage, ReviewView } from '../../../src/core/protocol';
import type { QCoderApi } from '../../../src/extension';
import { VsCodeWorkspaceAccess } from '../../../src/vscode/workspaceAccess';
import { type QCoderHost, startQCoder } from '../../support/extensionHost';
import type { ModelServer } from '../../support/modelServer';
import { toolCallEvents } from '../../support/toolCallStream';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000) {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

const MATH = 'export function addNumbers(a: number, b: number): number {\n  return a + b;\n}\n';
const USE = [
  "import { addNumbers } from './math';",
  'export const total: number = addNumbers(1, 2);',
  "export const wrong: number = 'not a number';",
  '',
].join('\n');
/** A file holding a credential (a fake GitHub token, built here so no token-shaped text is committed). */
const SECRET = [
  "import { addNumbers } from './math';",
  `export const githubToken = '${'ghp_'}${'a1'.repeat(18)}';`,
  'export const secretSum = addNumbers(3, 4);',
  '',
].join('\n');

describe('agent tools in the real extension host (TypeScript language server)', function () {
  // The TypeScript server starts cold on a shared machine: the language tests wait for it.
  this.timeout(120_000);
  let host: QCoderHost;
  let api: QCoderApi;
  let root: string;
  let model: ModelServer;
  const posted: HostMessage[] = [];
  const workspace = new VsCodeWorkspaceAccess();
  const folder = () => path.join(root, 'agent-tools');

  const tool = (name: string): ReadOnlyTool => {
    const found = api.agent.tools.find((each) => each.schema.name === name);
    assert.ok(found, name);
    return found;
  };
  const run = (name: string, args: Record<string, unknown>): Promise<ToolOutcome> =>
    tool(name).run(args, { workspace, signal: new AbortController().signal });
  /** Asks again until the answer has what the test waits for (a language server that is starting says so). */
  const runUntil = async (name: string, args: Record<string, unknown>, wanted: RegExp, timeoutMs = 60_000) => {
    let last = '';
    try {
      return await until(
        `${name} to answer ${wanted}`,
        async () => {
          const outcome = await run(name, args);
          last = outcome.content;
          return wanted.test(outcome.content) ? outcome : undefined;
        },
        timeoutMs,
      );
    } catch (error) {
      throw new Error(`${String(error)}; the last answer was: ${last}`);
    }
  };
  const toolNames = (index: number): string[] =>
    model.requests[index].body.tools.map((each: { function: { name: string } }) => each.function.name);

  before(async () => {
    host = await startQCoder({ posted });
    ({ api, server: model } = host);
    root = vscode.workspace.workspaceFolders![0].uri.fsPath;
    mkdirSync(folder(), { recursive: true });
    // A project of its own, so the TypeScript server loads these files together as soon as one is opened.
    writeFileSync(
      path.join(folder(), 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { strict: true, module: 'ESNext', moduleResolution: 'Bundler', noEmit: true },
      }),
    );
    writeFileSync(path.join(folder(), 'math.ts'), MATH);
    writeFileSync(path.join(folder(), 'use.ts'), USE);
    writeFileSync(path.join(folder(), 'config.ts'), SECRET);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('qcoder.setMode', 'ask');
    await host?.close();
    rmSync(folder(), { recursive: true, force: true });
  });

  it('get_problems reports the real TypeScript error with its line, code and source', async () => {
    const outcome = await runUntil('get_problems', { path: 'agent-tools/use.ts' }, /error/);
    assert.match(
      outcome.content,
      // eslint-disable-next-line max-len -- the expected text, as one regex literal
      /^1 problem \(1 error\) in agent-tools\/use\.ts:\nagent-tools\/use\.ts\n {2}3:14 error \[ts 2322\] Type 'string' is not assignable to type 'number'\./,
    );
    const all = await run('get_problems', {});
    assert.match(all.content, /agent-tools\/use\.ts\n {2}3:14 error \[ts 2322\]/);
  });

  it('find_symbol finds the function with its workspace-relative lines, and nothing from the secret file', async () => {
    const outcome = await runUntil('find_symbol', { query: 'addNumbers' }, /addNumbers\(\) — agent-tools\/math\.ts/);
    // TypeScript labels functions with their parentheses.
    assert.match(outcome.content, /^function addNumbers\(\) — agent-tools\/math\.ts:1-3$/m);
    assert.doesNotMatch(outcome.content, /config\.ts|ghp_/);
    const secret = await runUntil('find_symbol', { query: 'secretSum' }, /left out/);
    assert.doesNotMatch(secret.content, /config\.ts|githubToken|ghp_/);
    assert.match(
      secret.content,
      /^No symbols match "secretSum"\.\n\[\d+ more in files outside the workspace or off limits/,
    );
  });

  it('go_to_definition leads from the use to the declaration in the other file', async () => {
    const outcome = await runUntil(
      'go_to_definition',
      { path: 'agent-tools/use.ts', line: 2, symbol: 'addNumbers' },
      /math\.ts/,
    );
    assert.equal(
      outcome.content,
      'Definition of "addNumbers" (agent-tools/use.ts:2):\nagent-tools/math.ts:1-3: export function ' +
        'addNumbers(a: number, b: number): number {',
    );
  });

  it('find_references lists every use in allowed files and leaves the secret file out', async () => {
    const outcome = await runUntil(
      'find_references',
      { path: 'agent-tools/math.ts', line: 1, symbol: 'addNumbers' },
      /use\.ts:2/,
    );
    assert.equal(
      outcome.content,
      [
        '3 references to "addNumbers" (agent-tools/math.ts:1):',
        'agent-tools/math.ts:1: export function addNumbers(a: number, b: number): number {',
        "agent-tools/use.ts:1: import { addNumbers } from './math';",
        'agent-tools/use.ts:2: export const total: number = addNumbers(1, 2);',
        '[2 more in files outside the workspace or off limits to QCoder were left out]',
      ].join('\n'),
    );
    const refused = await run('find_references', { path: 'agent-tools/config.ts', line: 3, symbol: 'secretSum' });
    assert.equal(refused.isError, true);
    assert.match(refused.content, /off limits to QCoder/);
  });

  it(
    'Plan mode sends only read-only tools (the request ' + 'the server received) and the plan becomes a checklist',
    async () => {
      assert.equal(await vscode.commands.executeCommand('qcoder.setMode', 'plan'), true);
      assert.equal(api.agent.modes.mode, 'plan');
      model.enqueue(
        {
          kind: 'raw',
          events: toolCallEvents([
            {
              name: 'todo_write',
              args: {
                todos: [
                  { text: 'Fix the type of wrong in use.ts', status: 'pending' },
                  { text: 'Check get_problems is clean', status: 'pending' },
                ],
              },
            },
          ]),
        },
        { kind: 'stream', chunks: ['Plan: 1. fix the type. 2. check problems.'] },
      );
      const start = model.requests.length;
      await api.chat.send('Plan the fix for use.ts');
      const names = toolNames(start);
      for (const edit of ['edit_file', 'write_file', 'delete_file', 'rename_file'])
        assert.ok(!names.includes(edit), `${edit} is not offered in Plan mode`);
      for (const read of [
        'read_file',
        'get_problems',
        'find_symbol',
        'find_references',
        'go_to_definition',
        'todo_write',
      ])
        assert.ok(names.includes(read), `${read} is offered in Plan mode`);
      assert.match(model.requests[start].body.messages[0].content, /You are in Plan mode/);
      const todos = posted.filter((m) => m.type === 'todos').at(-1);
      assert.ok(todos?.type === 'todos');
      assert.deepEqual(
        todos.items.map((item) => item.text),
        ['Fix the type of wrong in use.ts', 'Check get_problems is clean'],
      );
      assert.deepEqual(api.sessions.active.todos, todos.items, 'kept with the session');
      await vscode.commands.executeCommand('qcoder.setMode', 'ask');
      model.enqueue({ kind: 'stream', chunks: ['ok'] });
      const askStart = model.requests.length;
      await api.chat.send('and now?');
      assert.ok(toolNames(askStart).includes('edit_file'), 'Ask mode offers the edit tools again');
    },
  );

  it('Auto mode writes an edit to a normal file without a review click, but a protected file still waits', async () => {
    await vscode.commands.executeCommand('qcoder.setMode', 'auto');
    model.enqueue(
      {
        kind: 'raw',
        events: toolCallEvents([
          { name: 'write_file', args: { path: 'agent-tools/auto.txt', content: 'written in Auto mode\n' } },
        ]),
      },
      { kind: 'stream', chunks: ['Done.'] },
    );
    await api.chat.send('Write auto.txt');
    assert.equal(readFileSync(path.join(folder(), 'auto.txt'), 'utf8'), 'written in Auto mode\n');

    const settings = path.join(root, '.vscode', 'agent-tools-test.json');
    model.enqueue(
      {
        kind: 'raw',
        events: toolCallEvents([
          { name: 'write_file', args: { path: '.vscode/agent-tools-test.json', content: '{}\n' } },
        ]),
      },
      { kind: 'stream', chunks: ['Asked.'] },
    );
    const sending = api.chat.send('Write a file in .vscode');
    const card = await until<ReviewView>('the review card for the protected file', () => {
      const message = posted.filter((m) => m.type === 'review').at(-1);
      return message?.type === 'review' &&
        message.review.status === 'pending' &&
        message.review.files[0]?.path === '.vscode/agent-tools-test.json'
        ? message.review
        : undefined;
    });
    assert.ok(card.files[0].approval, 'the card says why it needs approval');
    await sleep(300);
    assert.equal(existsSync(settings), false, 'nothing written while it waits');
    await api.review.controller.act(card.id, 'rejectFile', '.vscode/agent-tools-test.json');
    await sending;
    assert.equal(existsSync(settings), false);
    await vscode.commands.executeCommand('qcoder.setMode', 'ask');
  });
});
