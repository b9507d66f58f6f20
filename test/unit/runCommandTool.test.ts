import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import type { CommandVerdict } from '../../src/core/agent/commands/approval';
import { MemorySessionApprovals } from '../../src/core/agent/commands/runApproval';
import { ChildProcessHost, descendants } from '../../src/core/agent/commands/runProcess';
import { CommandTools } from '../../src/core/agent/commands/runTools';
import type { AgentMode } from '../../src/core/agent/modes';
import { type ToolCallRecord, ToolRunner } from '../../src/core/agent/toolRunner';
import { estimatingCounter } from '../../src/core/context/tokens/tokenCounter';
import type { ToolCall } from '../../src/core/model/types';
import { MemoryWorkspace } from '../support/memoryWorkspace';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const call = (name: string, args: Record<string, unknown>, id = `call_${name}`): ToolCall => ({
  id,
  name,
  arguments: args,
  rawArguments: JSON.stringify(args),
});

/** Alive and not a zombie, by the kernel's own account. */
const alive = (pid: number) => {
  try {
    return !/Z/.test(execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }));
  } catch {
    return false;
  }
};

const argsOf = (pid: number) => {
  try {
    return execFileSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' });
  } catch {
    return '';
  }
};

/** This test process's descendants running `sleep`. */
const sleeps = async () => (await descendants(process.pid)).filter((pid) => /^sleep/.test(argsOf(pid).trim()));

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 10_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

describe('run_command through the tool runner, with real processes', () => {
  let root: string;
  let mode: AgentMode = 'ask';
  let trusted = true;
  let verdict: (line: string) => CommandVerdict = (line) => ({
    kind: 'ask',
    commands: [line],
    reasons: ['not checked'],
  });
  let tools: CommandTools;
  let runner: ToolRunner;
  const updates: ToolCallRecord[] = [];

  before(() => {
    root = mkdtempSync(path.join(tmpdir(), 'qcoder-run-'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  function setUp() {
    tools = new CommandTools({
      host: new ChildProcessHost(),
      roots: () => [{ name: 'ws', path: root }],
      rules: { current: () => ({ allow: [], deny: [] }) },
      session: new MemorySessionApprovals(),
      mode: () => mode,
      isTrusted: () => trusted,
      counter: async () => estimatingCounter,
      check: async (line) => verdict(line),
      limits: { backgroundWaitMs: 3000 },
    });
    runner = new ToolRunner([], new MemoryWorkspace({}), undefined, tools.tools);
  }
  afterEach(async () => {
    await tools?.dispose();
    mode = 'ask';
    trusted = true;
    verdict = (line) => ({ kind: 'ask', commands: [line], reasons: ['not checked'] });
    updates.length = 0;
  });

  /** Runs one call, answering its approval card with `choice` (and `text`) when one appears. */
  async function run(
    toolCall: ToolCall,
    answer?: { choice: string; text?: string },
    signal = new AbortController().signal,
  ) {
    const running = runner.run([toolCall], signal, (record) => updates.push({ ...record }));
    if (answer) {
      await until('the approval card', () => updates.find((record) => record.prompt));
      assert.equal(runner.answer(toolCall.id, answer), true);
    }
    return (await running)[0];
  }

  it(
    'asks with the command, the folder and the reasons; ' + 'Run runs it and the model gets exit code, output and time',
    async () => {
      setUp();
      writeFileSync(path.join(root, 'fail.js'), 'console.log("before"); console.error("boom"); process.exit(3);\n');
      const record = await run(call('run_command', { command: 'node fail.js' }), { choice: 'run' });
      const prompt = updates.find((update) => update.prompt)!.prompt!;
      assert.equal(prompt.text, 'node fail.js');
      assert.deepEqual(prompt.details, ['in .', 'not checked']);
      assert.deepEqual(
        prompt.choices.map((choice) => choice.label),
        ['Run', 'Allow "node fail.js" for this session', 'Reject'],
      );
      assert.equal(record.status, 'error');
      assert.match(
        record.result!,
        /^Exit code 3 after \d+\.\d s\.\n\$ node fail\.js\n\(in \., run as a child process\)\n\nbefore\nboom\n$/,
      );
      assert.equal(record.command?.state, 'failed');
      assert.equal(record.command?.exitCode, 3);
      assert.equal(record.answer, 'Run');
    },
  );

  it('Reject runs nothing and tells the model, with the note', async () => {
    setUp();
    const marker = path.join(root, 'marker.txt');
    const record = await run(call('run_command', { command: `touch ${marker}` }), {
      choice: 'reject',
      text: 'use the script',
    });
    assert.equal(record.status, 'rejected');
    assert.equal(record.result, 'The user rejected the command; it was not run. Their note: use the script');
    await sleep(200);
    assert.equal(existsSync(marker), false);
  });

  it('refuses a denied line, Plan mode and an untrusted workspace without asking or running', async () => {
    setUp();
    const marker = path.join(root, 'denied.txt');
    verdict = () => ({ kind: 'deny', commands: ['touch'], reasons: ['touch is on the deny list'] });
    const denied = await run(call('run_command', { command: `touch ${marker}` }));
    assert.match(denied.result!, /deny list forbids this command: touch is on the deny list/);
    verdict = (line) => ({ kind: 'allow', commands: [line] });
    mode = 'plan';
    assert.match(
      (await run(call('run_command', { command: `touch ${marker}` }))).result!,
      /Plan mode runs no commands/,
    );
    mode = 'auto';
    trusted = false;
    assert.match((await run(call('run_command', { command: `touch ${marker}` }))).result!, /not trusted/);
    assert.ok(
      updates.every((update) => !update.prompt),
      'no card asked',
    );
    assert.equal(existsSync(marker), false);
  });

  it(
    'runs an allowed line unasked in Auto; ' + '"Allow for this session" lets the same line run unasked in Ask',
    async () => {
      setUp();
      mode = 'auto';
      verdict = (line) => ({ kind: 'allow', commands: [line] });
      const unasked = await run(call('run_command', { command: 'echo hi' }));
      assert.match(unasked.result!, /^Exit code 0 .*\n[\s\S]*\n\nhi\n$/);
      mode = 'ask';
      verdict = (line) => ({ kind: 'ask', commands: [line], reasons: [] });
      await run(call('run_command', { command: 'echo again' }, 'a'), { choice: 'session' });
      updates.length = 0;
      const second = await run(call('run_command', { command: 'echo again' }, 'b'));
      assert.ok(updates.every((update) => !update.prompt));
      assert.match(second.result!, /\n\nagain\n$/);
    },
  );

  it('refuses a cwd outside the workspace', async () => {
    setUp();
    const record = await run(call('run_command', { command: 'pwd', cwd: '../' }));
    assert.match(record.result!, /^Error: cwd .*outside the workspace/);
    assert.match((await run(call('run_command', { command: 'pwd', cwd: '/etc' }))).result!, /outside the workspace/);
  });

  it('a timeout kills the command and says so', async () => {
    setUp();
    mode = 'auto';
    verdict = (line) => ({ kind: 'allow', commands: [line] });
    const record = await run(call('run_command', { command: 'echo start; sleep 30', timeout: 1 }));
    assert.match(record.result!, /^Timed out after 1 s: the command and every process it started were killed\./);
    assert.match(record.result!, /\n\nstart\n$/);
  });

  it('Stop kills the whole process tree (sh, and both sleeps, the one in the background too)', async () => {
    setUp();
    mode = 'auto';
    verdict = (line) => ({ kind: 'allow', commands: [line] });
    const controller = new AbortController();
    const running = runner.run(
      [call('run_command', { command: "sh -c 'sleep 100 & sleep 100'" })],
      controller.signal,
      (r) => updates.push({ ...r }),
    );
    await until('the command to start', () => updates.some((update) => update.command?.state === 'running'));
    const shells = await until('two sleeps', async () => {
      const found = await sleeps();
      return found.length >= 2 ? found : undefined;
    });
    assert.ok(shells.every(alive));
    controller.abort();
    const [record] = await running;
    assert.match(record.result!, /^Stopped by the user after/);
    await until('every pid gone', () => shells.every((pid) => !alive(pid)), 5000);
  });

  it('a background server is started, answers on 127.0.0.1, is read and stopped', async () => {
    setUp();
    mode = 'auto';
    verdict = (line) => ({ kind: 'allow', commands: [line] });
    writeFileSync(
      path.join(root, 'server.js'),
      "require('http').createServer((q, s) => { console.log('hit ' + q.url); s.end('pong'); }).listen(0, " +
        "'127.0.0.1', function () { console.log('listening on ' + this.address().port); });\n",
    );
    const started = await run(call('run_command', { command: 'node server.js', is_background: true }));
    assert.match(started.result!, /^Running in the background as handle "cmd-1"/);
    const port = Number(/listening on (\d+)/.exec(started.result!)?.[1]);
    assert.ok(port > 0);
    assert.equal(await (await fetch(`http://127.0.0.1:${port}/ping`)).text(), 'pong');
    const read = await run(call('read_command_output', { handle: 'cmd-1', wait_seconds: 2 }));
    assert.match(read.result!, /^cmd-1: node server\.js\nIt is still running\.\n\nhit \/ping\n$/);
    const stopped = await run(call('stop_command', { handle: 'cmd-1' }));
    assert.match(stopped.result!, /^Stopped cmd-1 \(node server\.js\)/);
    await assert.rejects(fetch(`http://127.0.0.1:${port}/ping`));
    assert.match(
      (await run(call('stop_command', { handle: 'cmd-1' }))).result!,
      /^Error: "cmd-1" is no longer running: it ended or was stopped/,
    );
    assert.match((await run(call('stop_command', { handle: 'cmd-9' }))).result!, /no background command "cmd-9"/);
  });

  it('dispose kills background commands', async () => {
    setUp();
    mode = 'auto';
    verdict = (line) => ({ kind: 'allow', commands: [line] });
    const started = await run(call('run_command', { command: 'echo up; sleep 100', is_background: true }));
    assert.match(started.result!, /handle "cmd-1"/);
    assert.deepEqual(tools.background.handles, ['cmd-1']);
    const tree = await until('the sleep', async () => ((await sleeps()).length ? sleeps() : undefined));
    await tools.dispose();
    assert.deepEqual(tools.background.handles, []);
    await until('the sleep gone', () => tree.every((p) => !alive(p)), 5000);
  });
});
