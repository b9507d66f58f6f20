/**
 * The two producers of huge output in the limits suite, driven through the core as the
 * extension drives them: a shell command that prints 100 MB (run_command through the tool
 * runner, allowed unasked in Auto mode) and a real MCP server (the official SDK over stdio)
 * whose tool answers 50 MB, through the MCP tool the agent offers.
 */
import { resolve } from 'node:path';
import { MemorySessionApprovals } from '../../src/core/agent/commands/runApproval';
import { ChildProcessHost } from '../../src/core/agent/commands/runProcess';
import { CommandTools } from '../../src/core/agent/commands/runTools';
import { ToolRunner } from '../../src/core/agent/toolRunner';
import type { TokenCounter } from '../../src/core/context';
import { parseServers } from '../../src/core/mcp/config';
import { McpConnection } from '../../src/core/mcp/connection';
import { resultForModel } from '../../src/core/mcp/results';
import { MemoryWorkspace } from '../support/memoryWorkspace';

const SERVER = resolve(__dirname, '../fixtures/adversarial/limits/hugeResult.mjs');

/** The model's tool result for `head -c <bytes>` of log lines. */
export async function runHugeCommand(cwd: string, bytes: number, counter: TokenCounter): Promise<string> {
  const tools = new CommandTools({
    host: new ChildProcessHost(),
    roots: () => [{ name: 'ws', path: cwd }],
    rules: { current: () => ({ allow: [], deny: [] }) },
    session: new MemorySessionApprovals(),
    mode: () => 'auto',
    isTrusted: () => true,
    counter: async () => counter,
    check: async (line) => ({ kind: 'allow', commands: [line] }),
  });
  try {
    const runner = new ToolRunner([], new MemoryWorkspace({}), undefined, tools.tools);
    const command = `yes 'PASS test/unit/case.test.ts (12 ms) ok' | head -c ${bytes}`;
    const args = { command };
    const call = { id: 'call_1', name: 'run_command', arguments: args, rawArguments: JSON.stringify(args) };
    const [record] = await runner.run([call], new AbortController().signal, () => undefined);
    return record.result ?? '(no result)';
  } finally {
    await tools.dispose();
  }
}

/** A started connection to the server whose tool answers `megabytes` MB. */
export async function startHugeMcp(megabytes: number): Promise<McpConnection> {
  const { servers } = parseServers({ huge: { command: process.execPath, args: [SERVER, String(megabytes)] } }, 'user', {
    env: () => undefined,
  });
  const connection = new McpConnection(servers[0], { log: () => undefined, callTimeoutMs: 10_000 });
  await connection.start();
  return connection;
}

/** What the model gets from the huge server's tool: the result cut to its budget, or the error the agent shows. */
export async function callHugeMcp(connection: McpConnection, counter: TokenCounter): Promise<string> {
  try {
    const raw = await connection.callTool('dump', {});
    return resultForModel(raw, { counter, budget: 8_000, vision: false }).text;
  } catch (error) {
    return `Error: ${error instanceof Error ? error.message : String(error)}`;
  }
}
