/**
 * `qcoder context`: ranks and packs workspace context for a query, exactly as the
 * extension does, and prints what went in, why, and what it cost.
 */
import { existsSync } from 'node:fs';
import { basename, delimiter, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  type BuiltContext,
  type LedgerItem,
  NodeWorkspaceReader,
  TokenCounters,
  WorkspaceIndex,
  buildContext,
  promptMessages,
  qwenVocabularyCandidates,
} from '../core/context';

const HELP = `usage: qcoder context --root DIR --query "…" [options]

  --root DIR        workspace folder (repeat for a multi-root workspace)
  --query TEXT      what the user asks
  --budget N        the model's context window in tokens (default 262144)
  --reserve N       tokens kept for the answer (default: window/8, at most 32768)
  --model ID        model id; Qwen models count exactly, others are estimated (default qwen3-coder-plus)
  --active FILE     the active editor's file
  --mention PATH    an @-mentioned file (repeatable)
  --system TEXT     system prompt to measure (default: a short placeholder)
  --rg PATH         ripgrep binary (default: rg on PATH)
  --no-git          do not list through git
  --json            print the ledger as JSON
  --prompt          print the packed messages instead of the ledger
`;

export const command = {
  summary: 'rank and pack workspace context for a query',
  async run(args: string[]): Promise<number> {
    const { values } = parseArgs({
      args,
      options: {
        root: { type: 'string', multiple: true },
        query: { type: 'string' },
        budget: { type: 'string' },
        reserve: { type: 'string' },
        model: { type: 'string' },
        active: { type: 'string' },
        mention: { type: 'string', multiple: true },
        system: { type: 'string' },
        rg: { type: 'string' },
        'no-git': { type: 'boolean' },
        json: { type: 'boolean' },
        prompt: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      process.stdout.write(HELP);
      return 0;
    }
    if (!values.root?.length || values.query === undefined) {
      process.stderr.write(`qcoder context: --root and --query are required\n\n${HELP}`);
      return 2;
    }
    const window = numberOption(values.budget, 'budget');
    const reserve = numberOption(values.reserve, 'reserve');
    const roots = values.root.map((root) => resolve(root));
    for (const root of roots) if (!existsSync(root)) throw new Error(`no such folder: ${root}`);
    const started = performance.now();
    const rgPath = values.rg ?? findOnPath('rg');
    const reader = new NodeWorkspaceReader();
    const [index, counter] = await Promise.all([
      WorkspaceIndex.build(
        roots.map((root) => ({ name: basename(root), root })),
        reader,
        { rgPath, git: !values['no-git'] },
      ),
      new TokenCounters(qwenVocabularyCandidates(__dirname)).forModel(values.model ?? 'qwen3-coder-plus'),
    ]);
    const system = values.system ?? "You are QCoder, a coding assistant working in the user's workspace.";
    const built = await buildContext(
      index,
      counter,
      {
        query: values.query,
        system,
        history: [{ role: 'user', content: values.query }],
        budget: { window, reserve },
        signals: {
          activeFile: values.active ? resolve(values.active) : undefined,
          mentions: (values.mention ?? []).map((path) => ({ kind: 'file' as const, path: resolve(path) })),
        },
      },
      { rgPath },
    );
    const totalMs = performance.now() - started;
    if (values.prompt) {
      for (const message of promptMessages(system, built))
        process.stdout.write(`=== ${message.role}\n${message.content}\n`);
    } else if (values.json) {
      process.stdout.write(`${JSON.stringify(report(built, index, totalMs), null, 2)}\n`);
    } else {
      process.stdout.write(table(built, index, totalMs));
    }
    return 0;
  },
};

function numberOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value.replace(/_/g, ''));
  if (!Number.isInteger(number) || number <= 0) throw new Error(`--${name} must be a positive whole number`);
  return number;
}

function findOnPath(name: string): string | undefined {
  const exe = process.platform === 'win32' ? `${name}.exe` : name;
  return (process.env.PATH ?? '')
    .split(delimiter)
    .map((dir) => join(dir, exe))
    .find((path) => path && existsSync(path));
}

function itemJson(item: LedgerItem) {
  return {
    path: item.path ?? item.title,
    ranges:
      item.ranges?.map((range) => `${range.start}-${range.end}`) ??
      (item.included && item.form === 'whole' ? 'all' : undefined),
    tokens: item.tokens,
    reason: item.reasons.join('; '),
    pinned: item.pinned,
    included: item.included,
    form: item.form,
    score: item.score,
    note: item.note,
  };
}

function report(built: BuiltContext, index: WorkspaceIndex, totalMs: number) {
  return {
    window: built.plan.window,
    reserve: built.plan.reserve,
    counter: built.counter,
    used: built.used,
    fill: Number((built.used / (built.plan.input - built.plan.margin)).toFixed(4)),
    totals: built.totals,
    terms: built.ranking.terms.map((term) => term.text),
    index: index.stats,
    ms: { total: Math.round(totalMs), rank: Math.round(built.ranking.ms), pack: Math.round(built.ms) },
    items: built.items.filter((item) => item.included).map(itemJson),
    dropped: built.items.filter((item) => !item.included).map(itemJson),
  };
}

function table(built: BuiltContext, index: WorkspaceIndex, totalMs: number): string {
  const lines = built.items
    .filter((item) => item.included)
    .map((item) => {
      const ranges = item.ranges?.map((range) => `${range.start}-${range.end}`).join(',') ?? 'all';
      return `${String(item.tokens).padStart(7)}  ${item.pinned ? 'pin' : '   '}  ${(item.path ?? item.title).padEnd(50)}  ${item.form === 'whole' ? 'all' : `${item.form} ${ranges}`}  — ${item.reasons.join('; ')}`;
    });
  const shares = Object.entries(built.totals)
    .map(([share, total]) => `${share} ${total.used}/${total.cap}`)
    .join(', ');
  const dropped = built.items.filter((item) => !item.included).length;
  return [
    ...lines,
    '',
    `${built.used} of ${built.plan.input} input tokens (window ${built.plan.window}, ${built.plan.reserve} reserved for the answer; ${built.counter.exact ? 'exact' : 'estimated'} counts: ${built.counter.name})`,
    `shares: ${shares}`,
    `${index.stats.allowed} files indexed (${Object.values(index.stats.strategies).join(', ')}), ${dropped} candidates left out, ${Math.round(totalMs)} ms`,
    '',
  ].join('\n');
}
