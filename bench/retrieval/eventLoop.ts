/**
 * How long the host's event loop is held while the workspace and lexical indexes are built
 * (the extension builds them on the host, in slices that yield every ~12 ms), and how long a
 * warm ranking call takes. Measured with `perf_hooks.monitorEventLoopDelay` at 1 ms resolution.
 *
 *   RETRIEVAL_WORKSPACE  a checked-out repository (default: this repository)
 * Run with `nice -n 10 node --import tsx bench/retrieval/eventLoop.ts`.
 * Goal (issue 18): the loop never blocked > 50 ms; first build ≤ 3 s; warm call ≤ 300 ms on 1,500 files.
 */
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { NodeWorkspaceReader, WorkspaceIndex } from '../../src/core/context';
import { LexicalIndex } from '../../src/core/context/rank/lexicalIndex';
import { rankContext } from '../../src/core/context/rank/rank';

const ROOT = process.env.RETRIEVAL_WORKSPACE ?? join(__dirname, '../..');
const QUERY =
  'Traceback: the `simplify` of a Piecewise with `Abs` raises TypeError in `_eval_subs`; how is subs handled?';

async function main(): Promise<void> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  const started = performance.now();
  const index = await WorkspaceIndex.build([{ name: 'ws', root: ROOT }], new NodeWorkspaceReader());
  const listed = performance.now() - started;
  histogram.disable();
  const listMax = histogram.max / 1e6;
  histogram.reset();
  histogram.enable();
  const lexical = await LexicalIndex.of(index);
  const built = performance.now() - started;
  histogram.disable();
  const buildMax = histogram.max / 1e6;
  const buildP99 = histogram.percentile(99) / 1e6;

  const warm: number[] = [];
  histogram.reset();
  histogram.enable();
  for (let i = 0; i < 5; i++) {
    const at = performance.now();
    await rankContext(index, QUERY, {});
    await new Promise((resolve) => setTimeout(resolve, 5));
    warm.push(performance.now() - at);
  }
  histogram.disable();
  warm.sort((a, b) => a - b);
  const lines = [
    `${index.size} files listed, ${lexical.size} indexed: listing ${listed.toFixed(0)} ms, listing + lexical index ${built.toFixed(0)} ms`,
    `event loop: longest block while listing ${listMax.toFixed(1)} ms; while building the lexical index ${buildMax.toFixed(1)} ms (p99 ${buildP99.toFixed(1)} ms)`,
    `warm ranking call: median ${warm[2].toFixed(0)} ms, max ${warm[4].toFixed(0)} ms; event loop longest block ${(histogram.max / 1e6).toFixed(1)} ms`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
