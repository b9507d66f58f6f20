/**
 * Suite 6 — servers that misbehave. Each scenario is played by the local model server against the
 * chat, inline edit and inline completions, once to the end and once with Stop pressed. Counted: a
 * run whose outcome is wrong (a failure where the answer was complete, an answer where there is
 * none), a message a person would not understand (a Node error code, a stack, no server named,
 * nothing to do), a run past the request timeout, a Stop not honoured within a bound, memory that
 * grows with a 10 MB line.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { discoverContextWindow } from '../../src/core/model/contextWindow';
import { type ModelServer, startModelServer } from '../support/modelServer';
import { ANSWER, type Scenario, scenarios } from './servers/scenarios';
import { IDLE_MS, run, type Run, type Surface, SURFACES, unclear } from './servers/surfaces';

/** A run may take the idle limit and this much more; Stop must end it within STOP_BOUND_MS. */
const SLACK_MS = 1500;
const STOP_BOUND_MS = 1000;
const STOP_AFTER_MS = 150;
/** What a 10 MB line may cost the process at most (heap and buffers, above where it started). */
const MEMORY_BOUND = 24 * 1024 * 1024;

describe('servers that misbehave', () => {
  let server: ModelServer;
  const violations: string[] = [];
  let cases = 0;

  before(async () => {
    server = await startModelServer();
  });
  after(() => server.close());

  const host = () => new URL(server.url).host;

  function stage(scenario: Scenario): void {
    server.route('POST', '/v1/chat/completions', scenario.chat);
    server.route('POST', '/v1/completions', scenario.fim);
    server.route(
      'GET',
      '/v1/models',
      scenario.models ?? { kind: 'json', status: 200, body: { object: 'list', data: [] } },
    );
  }

  function judge(scenario: Scenario, surface: Surface, result: Run, memory: number): void {
    cases++;
    const expected = surface === 'fim' ? scenario.expect.fim : scenario.expect.chat;
    const where = `${scenario.name} / ${surface}`;
    if (result.ms > IDLE_MS + SLACK_MS) violations.push(`${where}: took ${result.ms} ms`);
    if (memory > MEMORY_BOUND) violations.push(`${where}: memory grew by ${Math.round(memory / 1e6)} MB`);
    if (expected === 'answer') {
      const got = result.answer ?? '';
      if (surface === 'inline' ? !got.includes(ANSWER) : got.trim() !== ANSWER)
        violations.push(`${where}: expected the answer, got ${JSON.stringify(result).slice(0, 400)}`);
      return;
    }
    if (result.answer !== undefined)
      violations.push(
        `${where}: no answer arrived, but it ended as one: ${JSON.stringify(result.answer).slice(0, 200)}`,
      );
    const problem = unclear(result.message, host());
    if (problem) violations.push(`${where}: the message ${problem}: ${JSON.stringify(result.message)}`);
  }

  for (const scenario of scenarios()) {
    it(scenario.name, async () => {
      stage(scenario);
      for (const surface of SURFACES) {
        const result = await measured(() => run(surface, server.baseUrl));
        judge(scenario, surface, result.run, result.memory);
        // Stop, pressed while the request is under way.
        const stopped = await run(surface, server.baseUrl, STOP_AFTER_MS);
        cases++;
        if (stopped.afterStopMs !== undefined && stopped.afterStopMs > STOP_BOUND_MS)
          violations.push(`${scenario.name} / ${surface}: Stop took ${stopped.afterStopMs} ms`);
        if (stopped.ms > STOP_AFTER_MS + STOP_BOUND_MS && stopped.afterStopMs === undefined)
          violations.push(`${scenario.name} / ${surface}: Stop was not pressed in time`);
      }
      if (scenario.models) {
        cases++;
        const window = await discoverContextWindow(server.baseUrl, 'm', '', fetch, { timeoutMs: IDLE_MS });
        if (!(window.tokens > 0)) violations.push(`${scenario.name}: no context window (${JSON.stringify(window)})`);
      }
    });
  }

  it('lies about the window: a long conversation is sent again smaller, and the chat says what happened', async () => {
    const lies = scenarios().find((scenario) => scenario.name.startsWith('lies'))!;
    stage(lies);
    const window = await discoverContextWindow(server.baseUrl, 'm', '', fetch, { timeoutMs: IDLE_MS });
    cases++;
    if (window.tokens !== 1_048_576) violations.push(`the server's 1M was not read: ${JSON.stringify(window)}`);
    const before = server.requests.length;
    const result = await run('chat', server.baseUrl, undefined, `Explain: ${'word '.repeat(40_000)}`);
    judge(lies, 'chat', result, 0);
    if (server.requests.length - before > 2) violations.push(`sent ${server.requests.length - before} times`);
  });

  it('counts the violations', () => {
    for (const violation of violations) console.log(`violation: ${violation}`);
    console.log(`bad-servers: ${cases} cases, ${violations.length} violations`);
    assert.equal(violations.length, 0);
  });
});

/** Runs `task` while sampling memory; `memory` is the largest growth seen. */
async function measured(task: () => Promise<Run>): Promise<{ run: Run; memory: number }> {
  const use = () => {
    const usage = process.memoryUsage();
    return usage.heapUsed + usage.arrayBuffers;
  };
  collect();
  const start = use();
  let peak = start;
  const timer = setInterval(() => (peak = Math.max(peak, use())), 5);
  try {
    const result = await task();
    return { run: result, memory: Math.max(peak, use()) - start };
  } finally {
    clearInterval(timer);
  }
}

/** A full collection before measuring, so earlier cases' garbage does not count against this one. */
function collect(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}
