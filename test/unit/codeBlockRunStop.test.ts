import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { MemorySessionApprovals } from '../../src/core/agent/commands/runApproval';
import { ChildProcessHost } from '../../src/core/agent/commands/runProcess';
import { CommandTools } from '../../src/core/agent/commands/runTools';
import { ToolRunner } from '../../src/core/agent/toolRunner';
import { ChatEngine } from '../../src/core/chat/chatEngine';
import { estimatingCounter } from '../../src/core/context/tokens/tokenCounter';
import type { HostMessage } from '../../src/core/protocol';
import { SessionRepository } from '../../src/core/session/session';
import { MemoryStore } from '../support/memoryStore';
import { MemoryWorkspace } from '../support/memoryWorkspace';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("a code block's Run", () => {
  const root = mkdtempSync(path.join(tmpdir(), 'qcoder-run-stop-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  it('is a turn of the chat: the view shows it busy and Stop ends the command', async () => {
    const posted: HostMessage[] = [];
    const commands = new CommandTools({
      host: new ChildProcessHost(),
      roots: () => [{ name: 'ws', path: root }],
      rules: { current: () => ({ allow: [], deny: [] }) },
      session: new MemorySessionApprovals(),
      mode: () => 'auto',
      isTrusted: () => true,
      counter: async () => estimatingCounter,
      check: async (line) => ({ kind: 'allow', commands: [line] }),
    });
    const chat = new ChatEngine({
      sessions: new SessionRepository(new MemoryStore()),
      connect: async () => ({ view: { model: 'm', baseUrl: 'http://127.0.0.1:9', ready: false, keySource: 'none' } }),
      post: (message) => posted.push(message),
      systemPrompt: () => 'SYSTEM',
      runCommand: () => undefined,
      log: () => undefined,
      tools: new ToolRunner([], new MemoryWorkspace({}), undefined, commands.tools),
    });
    const started = Date.now();
    const running = chat.actions.runTool('run_command', { command: 'echo started; sleep 30' }, 'Run the code block');
    let output = false;
    for (let i = 0; i < 1000 && !output; i++, await sleep(10))
      output = posted.some((m) => m.type === 'toolCall' && m.call.status === 'running');
    assert.ok(output, `the command started: ${JSON.stringify(posted)}`);
    assert.equal(chat.busy, true, 'the chat is busy while the block runs');
    assert.ok(posted.some((m) => m.type === 'busy' && m.busy));
    await chat.handle({ type: 'stop' });
    const record = await running;
    assert.ok(Date.now() - started < 10_000, `Stop ended the 30 s command (${Date.now() - started} ms)`);
    assert.notEqual(record?.status, 'done', JSON.stringify(record));
    assert.equal(chat.busy, false);
    assert.deepEqual(posted.filter((m) => m.type === 'busy').at(-1), { type: 'busy', busy: false });
    await commands.dispose();
  });
});
