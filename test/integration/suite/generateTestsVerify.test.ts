/**
 * Generate Tests verifies what it wrote, in the real extension host over real HTTP: the accepted
 * tests run with run_command (in Ask mode the command card asks first), fail for real, the real
 * output and exit code go back to the model once, its fix is a second reviewed edit, and the second
 * run passes. Asserted on the requests the local model server received and the bytes on disk.
 */
import * as assert from 'node:assert/strict';
import { cpSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HostMessage, ToolCallView } from '../../../src/core/protocol';
import type { QCoderApi } from '../../../src/extension';
import type { GenerateTestsResult } from '../../../src/vscode/features/generateTests';
import { type QCoderHost, startQCoder } from '../../support/extensionHost';
import { type ModelServer, textChunks } from '../../support/modelServer';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const FIXTURE = path.resolve(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'gentests', 'nodetest');

/** Tests with a wrong expectation: clamp(15, 0, 10) is 10. */
const WRONG = [
  '```js',
  "import assert from 'node:assert/strict';",
  "import { test } from 'node:test';",
  "import { clamp } from './clamp.js';",
  '',
  "test('clamp keeps a value inside the bounds', () => {",
  '  assert.equal(clamp(15, 0, 10), 15);',
  '});',
  '```',
].join('\n');

describe('Generate Tests runs the accepted tests and asks once for a fix (real extension host)', function () {
  this.timeout(180_000);
  let host: QCoderHost;
  let api: QCoderApi;
  let server: ModelServer;
  let folder: string;
  const posted: HostMessage[] = [];
  const notes = () =>
    posted.flatMap((m) => (m.type === 'messageAdded' && m.message.role === 'assistant' ? [m.message.content] : []));
  const runCards = () => {
    const last = new Map<string, ToolCallView>();
    for (const m of posted) if (m.type === 'toolCall' && m.call.name === 'run_command') last.set(m.call.id, m.call);
    return [...last.values()];
  };

  /** Answers every approval card with Run and accepts every review, until `done` is true. */
  async function drive(done: () => boolean, timeoutMs = 150_000): Promise<{ approvals: number; reviews: number }> {
    const answered = new Set<string>();
    const reviewed = new Set<string>();
    const started = Date.now();
    while (!done()) {
      if (Date.now() - started > timeoutMs) throw new Error(`timed out; the chat said: ${notes().join(' | ')}`);
      for (const call of runCards())
        if (call.prompt && !answered.has(call.id)) {
          answered.add(call.id);
          await api.chat.handle({ type: 'promptAnswer', callId: call.id, choice: 'run' });
        }
      for (const review of api.review.controller.pending())
        if (!reviewed.has(review.id)) {
          reviewed.add(review.id);
          await api.review.controller.act(review.id, 'acceptAll');
        }
      await sleep(25);
    }
    return { approvals: answered.size, reviews: reviewed.size };
  }

  before(async () => {
    host = await startQCoder({ posted });
    ({ api, server } = host);
    folder = path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, 'gentests-verify');
    cpSync(path.join(FIXTURE, 'project'), folder, { recursive: true });
  });

  after(async () => {
    await host?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('first run fails for real, the fix request holds its output and exit code, the fixed tests pass', async () => {
    const from = server.requests.length;
    server.enqueue({ kind: 'stream', chunks: textChunks(`Here are tests.\n\n${WRONG}\n`, 40) });
    server.enqueue({ kind: 'stream', chunks: textChunks(readFileSync(path.join(FIXTURE, 'answer.md'), 'utf8'), 40) });
    const result = await vscode.commands.executeCommand<GenerateTestsResult>(
      'qcoder.generateTests',
      vscode.Uri.file(path.join(folder, 'src', 'clamp.js')),
    );
    assert.equal(result.status, 'proposed', result.status === 'refused' ? result.message : '');
    const driven = await drive(() =>
      notes().some((note) => /^(✅|❌) .*(after the fix|one fix only)|not run/.test(note)),
    );
    assert.deepEqual(driven, { approvals: 2, reviews: 2 }, 'Ask mode: each run asked; each edit was reviewed');

    // The fix request carries the real failure: the exit code and node's own report of the failing test.
    assert.equal(server.requests.length, from + 2, 'the proposal and one fix request');
    const fix = server.requests[from + 1].body.messages as { role: string; content: string | null }[];
    const asked = fix.at(-1)!;
    assert.equal(asked.role, 'user');
    assert.match(
      asked.content ?? '',
      // eslint-disable-next-line max-len -- the expected text, as one regex literal
      /failed: `node --test --test-name-pattern='clamp keeps a value inside the bounds' src\/clamp\.test\.js` exited with 1\./,
    );
    assert.match(asked.content ?? '', /^Exit code 1 after \d+\.\d s\.$/m);
    // node's spec reporter in a terminal, TAP from a child process.
    assert.match(asked.content ?? '', /(✖|not ok 1 -) clamp keeps a value inside the bounds/);
    assert.match(asked.content ?? '', /10 !== 15/);
    // The run itself is in the history the model read, as the tool call and its result.
    assert.ok(fix.some((message) => message.role === 'tool' && /^Exit code 1 after/.test(message.content ?? '')));

    const cards = runCards();
    assert.deepEqual(
      cards.map((card) => [card.command?.state, card.command?.exitCode]),
      [
        ['failed', 1],
        ['done', 0],
      ],
    );
    assert.equal(
      readFileSync(path.join(folder, 'src', 'clamp.test.js'), 'utf8'),
      readFileSync(path.join(FIXTURE, 'expected', 'clamp.test.js'), 'utf8'),
    );
    assert.match(notes().join('\n'), /❌ The generated tests failed: `node --test .*` exited with 1\./);
    assert.match(
      notes().at(-1) ?? '',
      // eslint-disable-next-line max-len -- the expected text, as one regex literal
      /^✅ The generated tests passed after the fix: `node --test --test-name-pattern='clamp keeps a value inside the bounds' src\/clamp\.test\.js` exited with 0\.$/,
    );
  });
});
