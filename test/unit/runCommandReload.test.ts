import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MemorySessionApprovals } from '../../src/core/agent/commands/runApproval';
import { ChildProcessHost } from '../../src/core/agent/commands/runProcess';
import { CommandTools } from '../../src/core/agent/commands/runTools';
import { ToolRunner } from '../../src/core/agent/toolRunner';
import { estimatingCounter } from '../../src/core/context/tokens/tokenCounter';
import { MemoryWorkspace } from '../support/memoryWorkspace';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Alive and not a zombie, by the kernel's own account. */
const alive = (pid: number) => {
  try {
    return !/Z/.test(execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }));
  } catch {
    return false;
  }
};

/** One VS Code window's command tools; `state` plays the workspace's stored state, which outlives the window. */
function windowTools(root: string, state: Map<string, number>) {
  const tools = new CommandTools(
    {
      host: new ChildProcessHost(),
      roots: () => [{ name: 'ws', path: root }],
      rules: { current: () => ({ allow: [], deny: [] }) },
      session: new MemorySessionApprovals(),
      mode: () => 'auto',
      isTrusted: () => true,
      counter: async () => estimatingCounter,
      check: async (line) => ({ kind: 'allow', commands: [line] }),
      limits: { backgroundWaitMs: 3000 },
    },
    { first: state.get('next') ?? 1, issued: (next) => state.set('next', next) },
  );
  const runner = new ToolRunner([], new MemoryWorkspace({}), undefined, tools.tools);
  const run = async (name: string, args: Record<string, unknown>) => {
    const [record] = await runner.run(
      [{ id: `call_${name}`, name, arguments: args, rawArguments: JSON.stringify(args) }],
      new AbortController().signal,
      () => undefined,
    );
    return record.result ?? '';
  };
  return { tools, run };
}

describe('background commands across a window reload', () => {
  let root: string;
  before(() => {
    root = mkdtempSync(path.join(tmpdir(), 'qcoder-reload-'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it(
    'the old window’s job is killed with its tree; ' + 'in the new one its handle says so and is not reused',
    async () => {
      const state = new Map<string, number>();
      const old = windowTools(root, state);
      const started = await old.run('run_command', {
        command: 'echo "pid $$"; sleep 60 & echo "child $!"; wait',
        is_background: true,
      });
      assert.match(started, /^Running in the background as handle "cmd-1"/);
      const pids = [...started.matchAll(/(?:pid|child) (\d+)/g)].map((match) => Number(match[1]));
      assert.equal(pids.length, 2, started);
      assert.ok(pids.every(alive));

      await old.tools.dispose(); // the window reloads: the extension is deactivated
      for (let i = 0; i < 100 && pids.some(alive); i++) await sleep(25);
      assert.deepEqual(pids.filter(alive), [], 'the shell and its sleep are gone');

      const next = windowTools(root, state);
      const read = await next.run('read_command_output', { handle: 'cmd-1' });
      assert.match(read, /^Error: "cmd-1" was started in an earlier VS Code window \(before a reload or restart\)\./);
      assert.match(read, /it was stopped then, with every process it started, and its output is gone\./);
      assert.match(await next.run('stop_command', { handle: 'cmd-1' }), /earlier VS Code window/);
      const again = await next.run('run_command', { command: 'echo ready; sleep 60', is_background: true });
      assert.match(again, /^Running in the background as handle "cmd-2"/, 'a new job gets a new number');
      assert.match(await next.run('read_command_output', { handle: 'cmd-3' }), /no background command "cmd-3"/);
      await next.tools.dispose();
    },
  );
});
