/**
 * crash-safety: the session writer (test/support/sessionWriter.ts — the real SessionRepository
 * on a real folder, saving as the chat does, and writing checkpoint files as the review does) is
 * killed with SIGKILL at a random moment, 1,000 times. After every kill the folder is loaded
 * again: no file may be unreadable, no message whose save had resolved may be missing or
 * changed, no checkpoint whose write had resolved may be missing or differ by one byte. Then
 * 1,000 stored sessions (test/fixtures/adversarial/crash-safety/session.json) are listed and
 * opened, each timed: p95 must stay under 300 ms. A temporary file a kill left must be gone
 * once the folder is loaded again (and the checkpoint store has started): a leftover is a violation.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { nodeSessionFiles } from '../../src/core/session/nodeFiles';
import { SessionRepository } from '../../src/core/session/session';
import { checkpointSweeper, STALE_TEMPORARY_MS } from '../../src/core/session/temporaries';
import type { ChatSession } from '../../src/core/session/types';
import { bundleWriter, runAndKill } from '../support/killHarness';
import { MemoryStore } from '../support/memoryStore';
import { seeded } from './raceModel';
import { expectedContent } from '../support/sessionCrashText';

const TRIALS = Number(process.env.QCODER_CRASH_SAFETY_TRIALS ?? 1000);
/** Each folder takes ten kills in a row, so later writers start from what earlier kills left. */
const KILLS_PER_FOLDER = 10;
/** The writers mostly wait on fsync: more of them than cores keeps the run short. */
const PARALLEL = Number(process.env.QCODER_CRASH_SAFETY_PARALLEL ?? Math.max(8, cpus().length * 6));
const STORED = 1000;
const P95_LIMIT_MS = 300;
const LEFTOVER = /\.json\.[0-9a-f]+$/;
const LONG_AGO = new Date(Date.now() - 2 * STALE_TEMPORARY_MS);
const TEMPLATE = readFileSync('test/fixtures/adversarial/crash-safety/session.json', 'utf8');

const violations: string[] = [];
let cases = 0;

interface Totals {
  midWrite: number;
  messages: number;
  checkpoints: number;
}

/** What a reload of `folder` shows, compared with everything the killed writers had committed. */
function check(folder: string, trial: number, committed: Map<string, number>, checkpoints: Map<string, string>) {
  const found: string[] = [];
  const repo = new SessionRepository(new MemoryStore(), { files: nodeSessionFiles(folder) });
  const listed = new Set(repo.summaries().map((summary) => summary.id));
  for (const id of listed) if (!repo.get(id)) found.push(`session ${id} is listed but does not open`);
  for (const [id, count] of committed) {
    const session = repo.get(id);
    if (!listed.has(id) || !session) {
      found.push(`committed session ${id} is gone`);
      continue;
    }
    for (let k = 0; k < count; k++) {
      const message = session.messages[k];
      if (message?.content !== expectedContent(k) || message.status !== 'complete')
        found.push(`session ${id}: committed message ${k + 1} of ${count} is missing or changed`);
    }
  }
  for (const [id, sha] of checkpoints) {
    let text = '';
    try {
      text = readFileSync(join(folder, 'checkpoints', `${id}.json`), 'utf8');
    } catch {
      // Counted below as a difference.
    }
    if (createHash('sha256').update(text).digest('hex') !== sha) found.push(`checkpoint ${id} is missing or torn`);
  }
  for (const problem of repo.problems) found.push(`loading reported: ${problem}`);
  return found.map((line) => `trial ${trial}: ${line}`);
}

async function killRepeatedly(script: string, folder: string, first: number, totals: Totals): Promise<void> {
  const committed = new Map<string, number>();
  const checkpoints = new Map<string, string>();
  const random = seeded(first + 1);
  for (let trial = first; trial < Math.min(first + KILLS_PER_FOLDER, TRIALS); trial++) {
    // Most kills land in the first writes after loading; some after several committed turns.
    const delay = random() < 0.7 ? random() * 60 : 60 + random() * 340;
    const result = await runAndKill(script, folder, trial + 1, Math.floor(delay));
    for (const [id, count] of result.committed) committed.set(id, Math.max(count, committed.get(id) ?? 0));
    for (const [id, sha] of result.checkpoints) checkpoints.set(id, sha);
    const checkpointFolder = join(folder, 'checkpoints');
    const names = () => [
      ...readdirSync(folder),
      ...(existsSync(checkpointFolder) ? readdirSync(checkpointFolder).map((name) => `checkpoints/${name}`) : []),
    ];
    const left = names().filter((name) => LEFTOVER.test(name));
    if (left.length) totals.midWrite++;
    cases++;
    // The reload comes a while later: the killed writer's temporary files are past any live write.
    for (const name of left) utimesSync(join(folder, name), LONG_AGO, LONG_AGO);
    violations.push(...check(folder, trial, committed, checkpoints));
    // What the checkpoint store does when it starts (the loading in check() swept the session files).
    checkpointSweeper(checkpointFolder);
    const kept = names().filter((name) => LEFTOVER.test(name));
    if (kept.length) violations.push(`trial ${trial}: temporary files left after the reload: ${kept.join(', ')}`);
  }
  totals.messages += [...committed.values()].reduce((sum, count) => sum + count, 0);
  totals.checkpoints += checkpoints.size;
}

/** Writes `STORED` sessions made from the fixture, as their files and index would be. */
function storeSessions(folder: string): string[] {
  mkdirSync(folder, { recursive: true });
  const template = JSON.parse(TEMPLATE) as ChatSession;
  const entries = Array.from({ length: STORED }, (_, n) => {
    const session = { ...template, id: `s-stored-${n}`, title: `${template.title} (${n})` };
    session.updatedAt = template.updatedAt + n * 60_000;
    writeFileSync(join(folder, `session-${session.id}.json`), JSON.stringify(session));
    return { id: session.id, title: session.title, createdAt: session.createdAt, updatedAt: session.updatedAt };
  });
  const index = { version: 1, activeId: entries[0].id, sessions: entries };
  writeFileSync(join(folder, 'index.json'), JSON.stringify(index));
  return entries.map((entry) => entry.id);
}

const p95 = (times: number[]) => [...times].sort((a, b) => a - b)[Math.ceil(times.length * 0.95) - 1];

describe('crash-safety', () => {
  let work: string;
  let script: string;

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'qcoder-crash-safety-'));
    script = join(work, 'writer.cjs');
    await bundleWriter(script);
  });
  after(() => {
    rmSync(work, { recursive: true, force: true });
    for (const violation of violations.slice(0, 20)) console.log(`  violation: ${violation}`);
    console.log(`crash-safety: ${cases} cases, ${violations.length} violations`);
  });

  it(
    `${TRIALS} SIGKILLs during session and checkpoint writes: nothing committed lost, nothing unreadable`,
    {
      timeout: 600_000,
    },
    async () => {
      const totals: Totals = { midWrite: 0, messages: 0, checkpoints: 0 };
      const started = performance.now();
      const firsts: number[] = [];
      for (let first = 0; first < TRIALS; first += KILLS_PER_FOLDER) firsts.push(first);
      const workers = Array.from({ length: PARALLEL }, async () => {
        for (let first = firsts.shift(); first !== undefined; first = firsts.shift())
          await killRepeatedly(script, join(work, `store-${first}`), first, totals);
      });
      await Promise.all(workers);
      const seconds = (performance.now() - started) / 1000;
      console.log(
        `  ${TRIALS} kills in ${seconds.toFixed(1)} s (${PARALLEL} writers at once); ${totals.midWrite} left a ` +
          `temporary file (killed inside an atomic write); ${totals.messages} committed messages and ` +
          `${totals.checkpoints} checkpoints checked`,
      );
      assert.ok(totals.midWrite > 0, 'no kill landed inside a write: the harness is not testing anything');
      assert.deepEqual(violations, []);
    },
  );

  it(`${STORED} stored sessions list and open in p95 < ${P95_LIMIT_MS} ms`, () => {
    const folder = join(work, 'stored');
    const ids = storeSessions(folder);
    const listTimes: number[] = [];
    let repo: SessionRepository | undefined;
    for (let round = 0; round < 40; round++) {
      const started = performance.now();
      repo = new SessionRepository(new MemoryStore(), { files: nodeSessionFiles(folder) });
      const listed = repo.summaries();
      listTimes.push(performance.now() - started);
      if (listed.length !== STORED) violations.push(`the list shows ${listed.length} of ${STORED} sessions`);
    }
    const openTimes = ids.map((id) => {
      const started = performance.now();
      const session = repo!.activate(id);
      checkOpened(session, id);
      return performance.now() - started;
    });
    const list = p95(listTimes);
    const open = p95(openTimes);
    console.log(
      `  ${STORED} stored sessions: list p95 ${list.toFixed(1)} ms (40 loads), open p95 ${open.toFixed(1)} ms ` +
        `(each session once)`,
    );
    cases += 2;
    if (list >= P95_LIMIT_MS) violations.push(`listing took p95 ${list.toFixed(0)} ms`);
    if (open >= P95_LIMIT_MS) violations.push(`opening took p95 ${open.toFixed(0)} ms`);
    assert.deepEqual(violations, []);
  });
});

function checkOpened(session: ChatSession | undefined, id: string): void {
  if (session?.messages.length !== 20) violations.push(`stored session ${id} did not open whole`);
}
