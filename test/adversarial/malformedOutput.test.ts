/**
 * Suite 1 — malformed model output. 10,000 seeded fuzzed tool calls through the parser and the tool
 * runner with the real tools on a real workspace, and recorded edit and command turns cut every k-th
 * byte, served over real HTTP by the local model server to the whole agent loop. Counted: executions
 * with invalid arguments, executions of a cut-off call, crashes, changed files (SHA-256) and a next
 * request the server would refuse. A failing case prints its seed and input.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Agent, makeAgent } from './model/harness';
import { runFuzzCase, runFuzzOverHttp, type Violation } from './model/fuzzRun';
import { cutCases, type Lane, makeLane, runCut } from './model/cutRun';

const FUZZ_CASES = Number(process.env.QCODER_FUZZ_CASES ?? 10_000);
const FIRST_SEED = Number(process.env.QCODER_FUZZ_SEED ?? 1);
/** Every k-th byte: prime, so the cuts fall at every kind of place in the SSE framing. */
const CUT_EVERY = Number(process.env.QCODER_CUT_EVERY ?? 127);
/** Of the fuzzed calls, every n-th also goes end to end over HTTP (the next request must be accepted). */
const OVER_HTTP_EVERY = 40;
const LANES = 8;

describe('malformed model output', () => {
  let agent: Agent;
  const counts = { cases: 0, violations: [] as Violation[] };
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  before(async () => {
    agent = await makeAgent();
    process.on('unhandledRejection', onUnhandled);
  });
  after(async () => {
    process.off('unhandledRejection', onUnhandled);
    await agent.dispose();
  });

  it(`runs ${FUZZ_CASES} fuzzed tool calls and no invalid one`, async () => {
    let hash = agent.hash();
    for (let seed = FIRST_SEED; seed < FIRST_SEED + FUZZ_CASES; seed++) {
      counts.cases++;
      const result = await runFuzzCase(seed, agent, hash);
      counts.violations.push(...result.violations);
      hash = result.hash;
    }
  });

  it(`sends every ${OVER_HTTP_EVERY}th fuzzed call through the agent loop over HTTP`, async () => {
    await inLanes(Math.floor(FUZZ_CASES / OVER_HTTP_EVERY), (i, lane, hash) =>
      runFuzzOverHttp(FIRST_SEED + i * OVER_HTTP_EVERY, lane, hash),
    );
  });

  it(`cuts recorded edit and command turns every ${CUT_EVERY} bytes, over HTTP, and runs no cut-off call`, async () => {
    const cases = cutCases(CUT_EVERY);
    await inLanes(cases.length, (i, lane, hash) => runCut(cases[i], lane, hash));
  });

  it('counts the violations', () => {
    for (const reason of unhandled)
      counts.violations.push({ seed: -1, what: `unhandled: ${String(reason)}`, input: '' });
    for (const v of counts.violations.slice(0, 30))
      console.log(`violation seed=${v.seed}: ${v.what}\n  input: ${v.input}`);
    console.log(`malformed-output: ${counts.cases} cases, ${counts.violations.length} violations`);
    assert.equal(counts.violations.length, 0);
  });

  /** Runs cases 0..count-1 in parallel lanes (HTTP cases mostly wait), each lane with its own workspace and server. */
  async function inLanes(
    count: number,
    run: (i: number, lane: Lane, hash: string) => Promise<{ violations: Violation[]; hash: string }>,
  ): Promise<void> {
    const lanes = await Promise.all(Array.from({ length: LANES }, () => makeLane()));
    try {
      await Promise.all(
        lanes.map(async (lane, n) => {
          let hash = lane.agent.hash();
          for (let i = n; i < count; i += LANES) {
            counts.cases++;
            const result = await run(i, lane, hash);
            counts.violations.push(...result.violations);
            hash = result.hash;
          }
        }),
      );
    } finally {
      await Promise.all(lanes.map((lane) => lane.dispose()));
    }
  }
});
