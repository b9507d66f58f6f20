/**
 * The lexical index on the extension host (in process, in slices that yield every ~12 ms) against the
 * index worker, in one run on one workspace: first build time, warm ranking calls (median, p95), the
 * longest the host's event loop was held (`perf_hooks.monitorEventLoopDelay`, 1 ms resolution), and a
 * reopened workspace loading the worker's store. The worker runs from a bundle built here with esbuild,
 * as the extension ships it.
 *
 *   RETRIEVAL_WORKSPACE  a checked-out repository (default: this repository)
 *   RETRIEVAL_CALLS      warm ranking calls per path (default 15)
 * Run with `nice -n 10 node --import tsx bench/retrieval/eventLoop.ts`.
 * Goal (issue 18): the loop never blocked > 50 ms; first build ≤ 3 s; warm call ≤ 300 ms on 1,500 files.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import * as esbuild from 'esbuild';
import { NodeWorkspaceReader, WorkspaceIndex } from '../../src/core/context';
import { IndexWorkerClient } from '../../src/core/context/indexWorker/client';
import { WorkerLexical } from '../../src/core/context/indexWorker/workerLexical';
import { LexicalIndex } from '../../src/core/context/rank/lexicalIndex';
import { attachLexical } from '../../src/core/context/rank/lexicalSource';
import { rankContext } from '../../src/core/context/rank/rank';

const ROOT = process.env.RETRIEVAL_WORKSPACE ?? join(__dirname, '../..');
const CALLS = Number(process.env.RETRIEVAL_CALLS ?? 15);
const QUERY =
  'Traceback: the `simplify` of a Piecewise with `Abs` raises TypeError in `_eval_subs`; how is subs handled?';

/** Runs `work` with the event loop watched; the longest delay the loop saw, in ms. */
async function watched<T>(
  work: () => Promise<T>,
): Promise<{ value: T; ms: number; cpuMs: number; hostMs: number; blockMs: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  const started = performance.now();
  // The process's CPU time (every thread): under a loaded machine the wall clock says more about the neighbours.
  const cpu = process.cpuUsage();
  // The host thread's busy time (event loop utilisation): what the worker takes off it.
  const utilisation = performance.eventLoopUtilization();
  const value = await work();
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const host = performance.eventLoopUtilization(utilisation);
  histogram.disable();
  return { value, ms, cpuMs: (used.user + used.system) / 1000, hostMs: host.active, blockMs: histogram.max / 1e6 };
}

async function warmCalls(
  index: WorkspaceIndex,
): Promise<{ median: number; p95: number; blockMs: number; hostMs: number }> {
  const times: number[] = [];
  const { blockMs, hostMs } = await watched(async () => {
    for (let i = 0; i < CALLS; i++) {
      const at = performance.now();
      await rankContext(index, QUERY, {});
      times.push(performance.now() - at);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  });
  times.sort((a, b) => a - b);
  const at = (share: number) => times[Math.min(times.length - 1, Math.ceil(share * times.length) - 1)];
  return { median: at(0.5), p95: at(0.95), blockMs, hostMs };
}

const listing = () => WorkspaceIndex.build([{ name: 'ws', root: ROOT }], new NodeWorkspaceReader());

async function workerBuild(script: string, store: string) {
  const index = await listing();
  const client = new IndexWorkerClient(script, { store });
  const build = await watched(async () => {
    const lexical = new WorkerLexical(client, index);
    attachLexical(index, lexical);
    return lexical.built;
  });
  return { index, client, build };
}

async function main(): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), 'qcoder-bench-'));
  try {
    const script = join(scratch, 'indexWorker.js');
    await esbuild.build({
      entryPoints: ['src/core/context/indexWorker/worker.ts'],
      outfile: script,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      logLevel: 'warning',
    });
    const store = join(scratch, 'lexical-index.v8');

    const list = await watched(listing);
    const index = list.value;
    const hostBuild = await watched(() => LexicalIndex.of(index));
    const hostWarm = await warmCalls(index);

    const cold = await workerBuild(script, store);
    const workerWarm = await warmCalls(cold.index);
    await cold.client.request({ type: 'save' });
    await cold.client.dispose();
    const reopened = await workerBuild(script, store);
    await reopened.client.dispose();

    const ratio = (worker: number, host: number) => `${(worker / host).toFixed(2)}×`;
    const lines = [
      `${ROOT}: ${index.size} files listed in ${list.ms.toFixed(0)} ms (loop held ≤ ${list.blockMs.toFixed(1)} ms), ` +
        `load average ${loadavg()[0].toFixed(2)} on ${cpus().length} cores`,
      `first build     host ${hostBuild.ms.toFixed(0)} ms, cpu ${hostBuild.cpuMs.toFixed(0)} ms (${hostBuild.value.size} files) · ` +
        `worker ${cold.build.ms.toFixed(0)} ms, cpu ${cold.build.cpuMs.toFixed(0)} ms (${cold.build.value.size} files, start included) · ` +
        `worker/host ${ratio(cold.build.ms, hostBuild.ms)}`,
      `  host thread   host busy ${hostBuild.hostMs.toFixed(0)} ms, loop held ≤ ${hostBuild.blockMs.toFixed(1)} ms · ` +
        `worker busy ${cold.build.hostMs.toFixed(0)} ms, loop held ≤ ${cold.build.blockMs.toFixed(1)} ms`,
      `warm call       host median ${hostWarm.median.toFixed(0)} ms, p95 ${hostWarm.p95.toFixed(0)} ms · ` +
        `worker median ${workerWarm.median.toFixed(0)} ms, p95 ${workerWarm.p95.toFixed(0)} ms · ` +
        `worker/host ${ratio(workerWarm.median, hostWarm.median)} (${CALLS} calls each)`,
      `  host thread   host busy ${hostWarm.hostMs.toFixed(0)} ms, loop held ≤ ${hostWarm.blockMs.toFixed(1)} ms · ` +
        `worker busy ${workerWarm.hostMs.toFixed(0)} ms, loop held ≤ ${workerWarm.blockMs.toFixed(1)} ms`,
      `reopened        worker ${reopened.build.ms.toFixed(0)} ms, cpu ${reopened.build.cpuMs.toFixed(0)} ms from its store (read ${reopened.build.value.read}, ` +
        `reused ${reopened.build.value.reused}) · reopened/cold ${ratio(reopened.build.ms, cold.build.ms)}; ` +
        `loop held ≤ ${reopened.build.blockMs.toFixed(1)} ms`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
