/** The ledger the user sees: every item of a request's window, its tokens and why it is there. */
import type { Candidate, CompactionReport, LedgerItem, ShareTotal } from '../context';
import type { InstructionItem } from '../instructions/assemble';
import type { LedgerItemView, LedgerView } from '../protocol';

export interface LedgerInput {
  readonly model: string;
  readonly window: { readonly tokens: number; readonly detail: string };
  readonly counter: { readonly name: string; readonly exact: boolean };
  readonly used: number;
  readonly system: number;
  /** Instruction files inside the system prompt: shown as their own rows, their tokens taken from the system row. */
  readonly instructions?: readonly InstructionItem[];
  readonly tools: { readonly tokens: number; readonly count: number };
  readonly history: ShareTotal & { readonly messages: number };
  readonly items: readonly LedgerItem[];
  readonly compaction?: CompactionReport;
  /** Items the user dropped, as this request's ranking knew them (by key). */
  readonly dropped: ReadonlyMap<string, Candidate | undefined>;
  readonly pinned: ReadonlySet<string>;
  readonly ms: number;
}

export function ledgerView(input: LedgerInput): LedgerView {
  const rows: LedgerItemView[] = [
    {
      key: 'system',
      kind: 'system',
      title: 'System prompt',
      tokens: Math.max(0, input.system - instructionTokens(input.instructions)),
      reasons: ['how QCoder works and what the tools do'],
      included: true,
      actionable: false,
    },
    ...instructionRows(input.instructions),
  ];
  if (input.tools.tokens > 0) {
    rows.push({
      key: 'tools',
      kind: 'tools',
      title: `Tool schemas (${input.tools.count})`,
      tokens: input.tools.tokens,
      reasons: ['the agent can read, search and propose edits'],
      included: true,
      actionable: false,
    });
  }
  for (const item of input.items) {
    rows.push({
      key: item.key,
      kind: item.share,
      title: item.title,
      tokens: item.tokens,
      reasons: input.pinned.has(item.key)
        ? ['pinned by you', ...item.reasons.filter((reason) => reason !== '@-mentioned')]
        : [...item.reasons],
      included: item.included,
      ...(item.form ? { form: item.form } : {}),
      ...(item.ranges?.length
        ? {
            ranges: item.ranges
              .map((range) => (range.start === range.end ? `${range.start}` : `${range.start}-${range.end}`))
              .join(', '),
          }
        : {}),
      ...(item.note ? { note: item.note } : {}),
      ...(input.pinned.has(item.key) ? { userPinned: true } : {}),
      actionable: true,
    });
  }
  for (const [key, candidate] of input.dropped) {
    rows.push({
      key,
      kind: candidate?.pinned ? 'pinned' : 'retrieved',
      title: candidate?.title ?? key.replace(/^(file|text):/, ''),
      tokens: 0,
      reasons: candidate ? [...candidate.reasons] : [],
      included: false,
      note: 'dropped by you',
      userDropped: true,
      actionable: true,
    });
  }
  const summarised = input.compaction?.steps.find((step) => step.action === 'summarised');
  const summaryTokens = summarised?.action === 'summarised' ? summarised.summaryTokens : 0;
  if (summaryTokens)
    rows.push({
      key: 'summary',
      kind: 'summary',
      title: 'Summary of the earlier conversation',
      tokens: summaryTokens,
      reasons: [
        `${summarised?.action === 'summarised' ? summarised.messages : 0} older messages, summarised by the model`,
      ],
      included: true,
      actionable: false,
    });
  rows.push({
    key: 'history',
    kind: 'history',
    title: `Conversation (${input.history.messages} message${input.history.messages === 1 ? '' : 's'})`,
    tokens: Math.max(0, input.history.used - summaryTokens),
    reasons: [`up to ${input.history.cap} tokens before it is compacted`],
    included: true,
    actionable: false,
  });
  return {
    model: input.model,
    window: input.window.tokens,
    windowSource: input.window.detail,
    used: input.used,
    counter: input.counter.name,
    exact: input.counter.exact,
    items: rows,
    ...(input.compaction ? { compaction: describeCompaction(input.compaction) } : {}),
    ms: Math.round(input.ms),
  };
}

function instructionTokens(items: readonly InstructionItem[] = []): number {
  return items.reduce((sum, item) => sum + item.tokens, 0);
}

function instructionRows(items: readonly InstructionItem[] = []): LedgerItemView[] {
  return items.map((item) => ({
    key: item.key,
    kind: 'instructions',
    title: item.title,
    tokens: item.tokens,
    reasons: ['project instructions, in the system prompt'],
    included: item.included,
    ...(item.note ? { note: item.note } : {}),
    actionable: false,
  }));
}

export function describeCompaction(report: CompactionReport): string {
  const parts = report.steps.map((step) => {
    switch (step.action) {
      case 'dropped-tool-outputs':
        return `${step.messages} old tool output${step.messages === 1 ? '' : 's'} removed`;
      case 'summarised':
        return `${step.messages} older messages summarised`;
      case 'summary-failed':
        return `summary failed (${step.error})`;
      case 'truncated':
        return `${step.messages} oldest messages left out`;
    }
  });
  const reattached = report.reattached.length ? `; re-attached ${report.reattached.join(', ')}` : '';
  return (
    `The conversation was compacted to fit the window (${report.before.toLocaleString('en-US')} → ` +
    `${report.after.toLocaleString('en-US')} tokens): ${parts.join(', ')}${reattached}.`
  );
}
