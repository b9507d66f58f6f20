/**
 * Kill -9 of the session writer mid-write, 200 times: after every kill the files load
 * without a problem and no message whose save had completed is lost. Ten folders take
 * twenty kills each, so later writers start from what earlier kills left behind.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { nodeSessionFiles } from '../../src/core/session/nodeFiles';
import { SessionRepository } from '../../src/core/session/session';
import { MemoryStore } from '../support/memoryStore';
import { bundleWriter, runAndKill } from '../support/killHarness';
import { expectedContent } from '../support/sessionCrashText';

const TRIALS = Number(process.env.QCODER_CRASH_TRIALS ?? 200);
const FOLDERS = 10;
const PARALLEL = 4;
const LEFTOVER = /\.json\.[0-9a-f]+$/;

/** One folder's share of the trials, one after another: each writer starts from what the last kill left. */
async function killRepeatedly(
  script: string,
  folder: string,
  slot: number,
  totals: { midWrite: number; checked: number },
): Promise<void> {
  const committed = new Map<string, number>();
  for (let trial = slot; trial < TRIALS; trial += FOLDERS) {
    const result = await runAndKill(script, folder, trial + 1, (trial * 37) % 150);
    for (const [id, count] of result.committed) committed.set(id, Math.max(count, committed.get(id) ?? 0));
    // A temporary file left behind means the kill landed inside an atomic write.
    if (readdirSync(folder).some((name) => LEFTOVER.test(name))) totals.midWrite++;
    const repo = new SessionRepository(new MemoryStore(), { files: nodeSessionFiles(folder) });
    assert.deepEqual(repo.problems, [], `trial ${trial}: loading reported problems`);
    const listed = new Set(repo.summaries().map((summary) => summary.id));
    for (const [id, count] of committed) {
      assert.ok(listed.has(id), `trial ${trial}: session ${id} is missing from the list`);
      const session = repo.get(id);
      assert.ok(session, `trial ${trial}: session ${id} did not load`);
      assert.ok(session.messages.length >= count, `trial ${trial}: ${id} has ${session.messages.length} < ${count}`);
      for (let k = 0; k < count; k++) {
        assert.equal(session.messages[k].content, expectedContent(k), `trial ${trial}: ${id} message ${k}`);
        assert.equal(session.messages[k].status, 'complete');
      }
      totals.checked += count;
    }
    assert.deepEqual(repo.problems, [], `trial ${trial}: opening the sessions reported problems`);
  }
}

describe('session storage survives SIGKILL mid-write', () => {
  let work: string;
  let script: string;

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'qcoder-crash-'));
    script = join(work, 'writer.cjs');
    await bundleWriter(script);
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it(`${TRIALS} kills: every file loads, no committed message lost`, { timeout: 300_000 }, async () => {
    const totals = { midWrite: 0, checked: 0 };
    const started = performance.now();
    // The writer mostly waits on fsync and the timer: a few folders at once keep the run short.
    const folders = Array.from({ length: FOLDERS }, (_, slot) => slot);
    const workers = Array.from({ length: PARALLEL }, async () => {
      for (let slot = folders.shift(); slot !== undefined; slot = folders.shift())
        await killRepeatedly(script, join(work, `store-${slot}`), slot, totals);
    });
    await Promise.all(workers);
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `      ${TRIALS} kills in ${seconds.toFixed(1)} s; ${totals.midWrite} landed inside a write (temporary file ` +
        `left); ${totals.checked} committed messages checked`,
    );
    assert.ok(totals.midWrite > 0, 'at least some kills landed inside a write');
  });
});
