/**
 * Kill -9 of the session writer mid-write, 200 times: after every kill the files load
 * without a problem and no message whose save had completed is lost. Ten folders take
 * twenty kills each, so later writers start from what earlier kills left behind.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { build } from 'esbuild';
import { nodeSessionFiles } from '../../src/core/session/nodeFiles';
import { SessionRepository } from '../../src/core/session/session';
import { MemoryStore } from '../support/memoryStore';
import { expectedContent } from '../support/sessionCrashText';

const TRIALS = Number(process.env.QCODER_CRASH_TRIALS ?? 200);
const FOLDERS = 10;
const PARALLEL = 4;
const LEFTOVER = /\.json\.[0-9a-f]+$/;

interface Trial {
  committed: Map<string, number>;
  ready: boolean;
}

/** Runs the writer, kills it with SIGKILL a random time after it is ready; resolves with what it committed. */
function runAndKill(script: string, folder: string, seed: number, delayMs: number): Promise<Trial> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, folder, String(seed)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const trial: Trial = { committed: new Map(), ready: false };
    let output = '';
    let errors = '';
    child.stdout.setEncoding('utf8').on('data', (data: string) => {
      output += data;
      const lines = output.split('\n');
      output = lines.pop() ?? '';
      for (const line of lines) {
        const [word, id, count] = line.split(' ');
        if (word === 'ready') {
          if (count !== undefined || id !== '0') reject(new Error(`the writer found problems on load: ${line}`));
          trial.ready = true;
          setTimeout(() => child.kill('SIGKILL'), delayMs);
        } else if (word === 'committed') trial.committed.set(id, Number(count));
      }
    });
    child.stderr.setEncoding('utf8').on('data', (data: string) => (errors += data));
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(trial);
      else reject(new Error(`the writer exited by itself (${code}): ${errors}`));
    });
  });
}

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
    await build({
      entryPoints: ['test/support/sessionWriter.ts'],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outfile: script,
      logLevel: 'warning',
    });
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
