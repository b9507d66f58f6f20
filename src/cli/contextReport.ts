/** `qcoder context`'s ledger, as JSON or as a table. */
import type { LedgerItem, Ranking, PackedContext, WorkspaceIndex } from '../core/context';
import type { InstructionItem } from '../core/instructions/assemble';

export type Built = PackedContext & { readonly ranking: Ranking };

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

export function report(
  built: Built,
  index: WorkspaceIndex,
  totalMs: number,
  instructions: readonly InstructionItem[] = [],
) {
  return {
    window: built.plan.window,
    reserve: built.plan.reserve,
    counter: built.counter,
    used: built.used,
    fill: Number((built.used / (built.plan.input - built.plan.margin)).toFixed(4)),
    totals: built.totals,
    terms: built.ranking.terms,
    index: index.stats,
    ms: { total: Math.round(totalMs), rank: Math.round(built.ranking.ms), pack: Math.round(built.ms) },
    instructions: instructions.map(({ title, tokens, included, note }) => ({ title, tokens, included, note })),
    items: built.items.filter((item) => item.included).map(itemJson),
    dropped: built.items.filter((item) => !item.included).map(itemJson),
  };
}

export function table(
  built: Built,
  index: WorkspaceIndex,
  totalMs: number,
  instructions: readonly InstructionItem[] = [],
): string {
  const rules = instructions.map(
    (item) =>
      `${String(item.tokens).padStart(7)}  ins  ${item.title.padEnd(50)}  ` +
      `${item.included ? 'system prompt' : 'left out'}${item.note ? `  — ${item.note}` : ''}`,
  );
  const lines = built.items
    .filter((item) => item.included)
    .map((item) => {
      const ranges = item.ranges?.map((range) => `${range.start}-${range.end}`).join(',') ?? 'all';
      return (
        `${String(item.tokens).padStart(7)}  ${item.pinned ? 'pin' : '   '}  ` +
        `${(item.path ?? item.title).padEnd(50)}  ` +
        `${item.form === 'whole' ? 'all' : `${item.form} ${ranges}`}  — ${item.reasons.join('; ')}`
      );
    });
  const shares = Object.entries(built.totals)
    .map(([share, total]) => `${share} ${total.used}/${total.cap}`)
    .join(', ');
  const dropped = built.items.filter((item) => !item.included).length;
  return [
    ...rules,
    ...lines,
    '',
    `${built.used} of ${built.plan.input} input tokens (window ${built.plan.window}, ${built.plan.reserve} ` +
      `reserved for the answer; ${built.counter.exact ? 'exact' : 'estimated'} counts: ${built.counter.name})`,
    `shares: ${shares}`,
    `${index.stats.allowed} files indexed (${Object.values(index.stats.strategies).join(', ')}), ${dropped} ` +
      `candidates left out, ${Math.round(totalMs)} ms`,
    '',
  ].join('\n');
}
