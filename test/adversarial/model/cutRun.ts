/**
 * Recorded turns cut off at every k-th byte, served over real HTTP by the local model server to the
 * whole agent loop (ChatEngine → ModelClient on the `openai` package → ToolRunner with the real
 * tools). A call may run only when its turn arrived up to the server's finish chunk, and then only
 * with exactly the arguments the turn holds; the user then sends another message, which the server
 * must accept (`requestProblem`).
 */
import { readdirSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { ChatEngine } from '../../../src/core/chat/chatEngine';
import { ModelClient } from '../../../src/core/model/client';
import type { HostMessage } from '../../../src/core/protocol';
import { SessionRepository } from '../../../src/core/session/session';
import { MemoryStore } from '../../support/memoryStore';
import { type ModelServer, readStreamFixture, STREAM_FIXTURES, startModelServer } from '../../support/modelServer';
import { type Agent, makeAgent } from './harness';
import type { Violation } from './fuzzRun';
import { requestProblem } from './serverCheck';
import { loadTurns, renderTurn, type TurnSpec } from './turns';

export interface CutCase {
  readonly label: string;
  readonly body: Buffer;
  /** Bytes of the body the server sends before it drops the connection. */
  readonly cut: number;
  /** The byte after the server's finish chunk: a cut before it cut the answer off. */
  readonly finishEnd: number;
  readonly calls?: TurnSpec['calls'];
}

/** Every turn: the edit and command turns of turns.json and the recorded streams. */
export function cutCases(k: number): CutCase[] {
  const turns = [
    ...loadTurns().map((turn, i) => ({ label: `turns.json#${i} (${turn.dialect})`, text: renderTurn(turn), turn })),
    ...readdirSync(STREAM_FIXTURES)
      .filter((name) => name.endsWith('.sse'))
      .sort()
      .map((name) => ({ label: name, text: readStreamFixture(name), turn: undefined })),
  ];
  return turns.flatMap(({ label, text, turn }) => {
    const body = Buffer.from(text, 'utf8');
    const finishEnd = finishEndOf(body);
    const cases: CutCase[] = [];
    for (let cut = k; cut < body.length; cut += k) cases.push({ label, body, cut, finishEnd, calls: turn?.calls });
    return cases;
  });
}

function finishEndOf(body: Buffer): number {
  const text = body.toString('utf8');
  const match = /^data: .*"finish_reason":"[a-z_]+".*$/m.exec(text);
  return match ? Buffer.byteLength(text.slice(0, match.index + match[0].length + 1), 'utf8') : Infinity;
}

export interface Lane {
  readonly agent: Agent;
  readonly server: ModelServer;
  readonly refusals: string[];
  dispose(): Promise<void>;
}

export async function makeLane(): Promise<Lane> {
  const [agent, server] = await Promise.all([makeAgent(), startModelServer()]);
  const refusals: string[] = [];
  server.setDefault({ kind: 'stream', chunks: ['Done.'] });
  server.gate((body) => {
    const problem = requestProblem(body);
    if (!problem) return undefined;
    refusals.push(problem);
    return { kind: 'json', status: 400, body: { error: { message: problem, type: 'BadRequestError' } } };
  });
  return { agent, server, refusals, dispose: async () => void (await Promise.all([agent.dispose(), server.close()])) };
}

export async function runCut(
  cut: CutCase,
  lane: Lane,
  hash: string,
): Promise<{ violations: Violation[]; hash: string }> {
  const { agent, server } = lane;
  const violations: Violation[] = [];
  const fail = (what: string) =>
    violations.push({ seed: cut.cut, what, input: `${cut.label} cut at byte ${cut.cut} of ${cut.body.length}` });
  const before = agent.executions.length;
  const refused = lane.refusals.length;
  const posted: HostMessage[] = [];
  const engine = chatEngine(lane, posted);
  server.enqueue({ kind: 'sse', text: cut.body.toString('utf8'), dropAfterBytes: cut.cut, dropDelayMs: 5 });
  try {
    await engine.send('Fix the cart.');
    const cutOff = cut.cut < cut.finishEnd;
    const failed = posted.some((m) => m.type === 'messageDone' && m.status === 'error' && m.error);
    if (cutOff && !failed) fail('the answer was cut off and the chat did not say so');
    const requests = server.requests.length;
    await engine.send('Go on.');
    const last = posted.filter((m) => m.type === 'messageDone').at(-1);
    if (server.requests.length === requests || last?.type !== 'messageDone' || last.status !== 'complete')
      fail(`the next message got no answer: ${JSON.stringify(last).slice(0, 300)}`);
    judgeExecutions(cut, agent, before, cutOff, fail);
  } catch (error) {
    fail(`crashed: ${error instanceof Error ? error.stack : String(error)}`);
  }
  for (const problem of lane.refusals.slice(refused)) fail(`the server refused the next request: ${problem}`);
  const after = agent.hash();
  if (after !== hash) fail('the workspace changed');
  return { violations, hash: after };
}

function judgeExecutions(cut: CutCase, agent: Agent, before: number, cutOff: boolean, fail: (what: string) => void) {
  for (const execution of agent.executions.slice(before)) {
    const shown = `${execution.tool} ${JSON.stringify(execution.args).slice(0, 200)}`;
    if (cutOff) fail(`ran a cut-off call: ${shown}`);
    else if (
      cut.calls &&
      !cut.calls.some((c) => c.name === execution.tool && isDeepStrictEqual(c.args, execution.args))
    )
      fail(`ran a call the turn does not hold: ${shown}`);
  }
}

export function chatEngine(lane: Lane, posted: HostMessage[]): ChatEngine {
  const engine: ChatEngine = new ChatEngine({
    sessions: new SessionRepository(new MemoryStore()),
    tools: lane.agent.runner,
    maxSteps: 4,
    connect: async () => ({
      view: { model: 'm', baseUrl: lane.server.baseUrl, ready: true, keySource: 'not-needed' },
      client: new ModelClient({ baseUrl: lane.server.baseUrl, model: 'm', apiKey: '', idleTimeoutMs: 5000 }),
    }),
    post: (message) => {
      posted.push(message);
      // The user says no to every command and question card.
      const prompt = message.type === 'toolCall' ? message.call.prompt : undefined;
      if (message.type === 'toolCall' && prompt) {
        const choice = prompt.choices.some((c) => c.id === 'reject') ? 'reject' : prompt.choices[0].id;
        queueMicrotask(() => void engine.handle({ type: 'promptAnswer', callId: message.call.id, choice, text: 'no' }));
      }
    },
    systemPrompt: () => 'SYSTEM',
    runCommand: () => undefined,
    log: () => undefined,
  });
  return engine;
}
