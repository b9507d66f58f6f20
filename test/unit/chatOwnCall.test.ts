import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MemorySessionApprovals } from '../../src/core/agent/commands/runApproval';
import { ChildProcessHost } from '../../src/core/agent/commands/runProcess';
import { CommandTools } from '../../src/core/agent/commands/runTools';
import { ToolRunner } from '../../src/core/agent/toolRunner';
import { ChatEngine } from '../../src/core/chat/chatEngine';
import { estimatingCounter } from '../../src/core/context/tokens/tokenCounter';
import { ModelClient } from '../../src/core/model/client';
import type { HostMessage } from '../../src/core/protocol';
import { SessionRepository } from '../../src/core/session/session';
import { testRunCall } from '../../src/core/tests';
import { MemoryStore } from '../support/memoryStore';
import { MemoryWorkspace } from '../support/memoryWorkspace';
import { type ModelServer, startModelServer } from '../support/modelServer';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a tool call QCoder makes itself, in the chat', () => {
  let server: ModelServer;
  let root: string;
  before(async () => {
    server = await startModelServer();
    root = mkdtempSync(path.join(tmpdir(), 'qcoder-own-'));
  });
  after(async () => {
    await server.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('asks like the model’s call in Ask mode, runs, and the model later reads the call and its result', async () => {
    const posted: HostMessage[] = [];
    const commands = new CommandTools({
      host: new ChildProcessHost(),
      roots: () => [{ name: 'ws', path: root }],
      rules: { current: () => ({ allow: [], deny: [] }) },
      session: new MemorySessionApprovals(),
      mode: () => 'ask',
      isTrusted: () => true,
      counter: async () => estimatingCounter,
    });
    const chat = new ChatEngine({
      sessions: new SessionRepository(new MemoryStore()),
      connect: async () => ({
        view: { model: 'm', baseUrl: server.baseUrl, ready: true, keySource: 'not-needed' },
        client: new ModelClient({ baseUrl: server.baseUrl, model: 'm', apiKey: '', sleep: async () => undefined }),
      }),
      post: (message) => posted.push(message),
      systemPrompt: () => 'SYSTEM',
      runCommand: () => undefined,
      log: () => undefined,
      tools: new ToolRunner([], new MemoryWorkspace({}), undefined, commands.tools),
    });
    const running = chat.runOwnCall('Running the new tests.', testRunCall('run-1', 'echo failing; exit 3', root));
    let prompt: HostMessage | undefined;
    for (let i = 0; i < 1500 && !prompt; i++, await sleep(10))
      prompt = posted.find((m) => m.type === 'toolCall' && m.call.prompt?.kind === 'approval');
    assert.ok(prompt, `the approval card was shown: ${JSON.stringify(posted)}`);
    assert.equal(chat.busy, true);
    assert.equal(await chat.runOwnCall('again', testRunCall('run-2', 'true', root)), undefined, 'one at a time');
    await chat.handle({ type: 'promptAnswer', callId: 'run-1', choice: 'run' });
    const record = await running;
    assert.equal(record?.status, 'error');
    assert.match(record?.result ?? '', /^Exit code 3 after \d+\.\d s\.\n\$ echo failing; exit 3\n/);
    assert.match(record?.result ?? '', /\n\nfailing\n$/);
    assert.equal(chat.busy, false);

    server.enqueue({ kind: 'stream', chunks: ['Fixed.'] });
    await chat.send('fix it');
    const messages = server.requests.at(-1)!.body.messages as {
      role: string;
      content: string | null;
      tool_calls?: { id: string; function: { name: string; arguments: string } }[];
      tool_call_id?: string;
    }[];
    assert.deepEqual(
      messages.map((message) => message.role),
      ['system', 'assistant', 'tool', 'user'],
    );
    assert.equal(messages[1].content, 'Running the new tests.');
    assert.deepEqual(messages[1].tool_calls?.[0].function, {
      name: 'run_command',
      arguments: JSON.stringify({ command: 'echo failing; exit 3', cwd: root }),
    });
    assert.equal(messages[2].tool_call_id, 'run-1');
    assert.equal(messages[2].content, record?.result);
    await commands.dispose();
  });
});
