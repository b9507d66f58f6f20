/**
 * Runs fuzzed tool calls through the parser (`TurnBuilder`, as `ModelClient` drives it) and the
 * tool runner with the real tools, and judges each by what reached a tool's execution seam.
 */
import { isDeepStrictEqual } from 'node:util';
import { TurnBuilder } from '../../../src/core/model/turnBuilder';
import type { Agent } from './harness';
import { chatEngine, type Lane } from './cutRun';
import type { HostMessage } from '../../../src/core/protocol';
import { type FuzzCase, fuzzCase } from './fuzz';
import { EDIT_TOOLS, validAsExecuted, validAsSent } from './reference';

export interface Violation {
  readonly seed: number;
  readonly what: string;
  readonly input: string;
}

/** The case's stream as the client parses it: chunks, end of body, end of stream. */
export function parse(fuzz: FuzzCase, agent: Agent) {
  const builder = new TurnBuilder([...agent.schemas.values()]);
  for (const chunk of fuzz.chunks) builder.chunk(chunk);
  builder.close();
  builder.end();
  builder.take();
  return builder.turn();
}

/** `hash`: the workspace's hash before the case; the result carries the hash after it. */
export async function runFuzzCase(
  seed: number,
  agent: Agent,
  hash: string,
): Promise<{ violations: Violation[]; hash: string }> {
  const fuzz = fuzzCase(seed, { schemas: agent.schemas, mcpNames: [...agent.mcpNames.keys()] });
  const violations: Violation[] = [];
  const input = `${fuzz.damage}/${fuzz.shape} ${JSON.stringify(fuzz.name)} ${fuzz.raw.slice(0, 300)}`;
  const fail = (what: string) => violations.push({ seed, what, input });
  const before = agent.executions.length;
  // Teeth: an invalid call that got through would land on disk.
  agent.acceptEdits = !fuzz.valid;
  try {
    const turn = parse(fuzz, agent);
    await agent.runner.run(turn.toolCalls, new AbortController().signal, agent.update);
  } catch (error) {
    fail(`crashed: ${error instanceof Error ? error.stack : String(error)}`);
  }
  for (const execution of agent.executions.slice(before)) {
    const schema = agent.schemas.get(execution.tool)?.parameters;
    if (execution.tool !== fuzz.name) fail(`ran ${execution.tool} for a call to ${JSON.stringify(fuzz.name)}`);
    else if (!fuzz.valid)
      fail(`ran an invalid call (${execution.stage}) with ${JSON.stringify(execution.args).slice(0, 200)}`);
    else if (!schema) fail(`ran ${execution.tool}, which has no schema`);
    else if (
      EDIT_TOOLS.has(execution.tool)
        ? !validAsSent(execution.tool, execution.args, schema)
        : !validAsExecuted(execution.args, schema)
    )
      fail(`${execution.tool} ran with arguments its schema refuses: ${JSON.stringify(execution.args).slice(0, 200)}`);
    else if (fuzz.damage === 'leaked-parameter' && !isDeepStrictEqual(execution.args, fuzz.intended))
      fail(`ran with ${JSON.stringify(execution.args)} instead of ${JSON.stringify(fuzz.intended)}`);
  }
  const after = agent.hash();
  if (after !== hash) fail('the workspace changed');
  return { violations, hash: after };
}

/**
 * The same case end to end: served over HTTP as the stream of one answer, through the whole agent
 * loop; the tool results go back to the server, and so does the user's next message. A request the
 * server refuses is a violation: a malformed call must not leave the conversation unsendable.
 */
export async function runFuzzOverHttp(
  seed: number,
  lane: Lane,
  hash: string,
): Promise<{ violations: Violation[]; hash: string }> {
  const { agent, server } = lane;
  const fuzz = fuzzCase(seed, { schemas: agent.schemas, mcpNames: [...agent.mcpNames.keys()] });
  const violations: Violation[] = [];
  const fail = (what: string) =>
    violations.push({
      seed,
      what,
      input: `over HTTP: ${fuzz.damage}/${fuzz.shape} ${JSON.stringify(fuzz.name)} ${fuzz.raw.slice(0, 300)}`,
    });
  const before = agent.executions.length;
  const refused = lane.refusals.length;
  agent.acceptEdits = !fuzz.valid;
  const posted: HostMessage[] = [];
  const engine = chatEngine(lane, posted);
  server.enqueue({ kind: 'raw', events: [...fuzz.chunks.map((chunk) => JSON.stringify(chunk)), '[DONE]'] });
  try {
    await engine.send('Fix the cart.');
    await engine.send('Go on.');
    const last = posted.filter((m) => m.type === 'messageDone').at(-1);
    if (last?.type !== 'messageDone' || last.status !== 'complete')
      fail(`the next message got no answer: ${JSON.stringify(last).slice(0, 300)}`);
  } catch (error) {
    fail(`crashed: ${error instanceof Error ? error.stack : String(error)}`);
  }
  for (const execution of agent.executions.slice(before))
    if (!fuzz.valid)
      fail(`ran an invalid call (${execution.stage}) with ${JSON.stringify(execution.args).slice(0, 200)}`);
  for (const problem of lane.refusals.slice(refused)) fail(`the server refused the next request: ${problem}`);
  const after = agent.hash();
  if (after !== hash) fail('the workspace changed');
  return { violations, hash: after };
}
