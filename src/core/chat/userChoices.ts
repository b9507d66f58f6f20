/**
 * What the user chose in the ledger: pinned items go into every request, dropped ones
 * into none, until undone. Also the @-mention path completion. Both are the context
 * provider's, kept apart from the packing.
 */
import type { Candidate, Mention } from '../context';
import type { ContextAction, LedgerView, MentionQueryKind } from '../protocol';

const MAX_COMPLETIONS = 50;

export class UserChoices {
  readonly pins = new Map<string, Mention>();
  readonly drops = new Set<string>();
  /** Every candidate the last ranking saw, by key: what a pin or drop refers to. */
  known = new Map<string, Candidate>();
  /** Retrieval fills the window for the next message only (the ledger's "fill the window"). */
  fillNext = false;

  apply(action: ContextAction, key: string): void {
    if (action === 'fill' || action === 'unfill') {
      this.fillNext = action === 'fill';
      return;
    }
    const candidate = this.known.get(key);
    if (action === 'drop') {
      this.drops.add(key);
      this.pins.delete(key);
    }
    if (action === 'restore') this.drops.delete(key);
    if (action === 'unpin') this.pins.delete(key);
    if (action === 'pin' && candidate) {
      this.drops.delete(key);
      this.pins.set(key, pinnedMention(key, candidate));
    }
  }

  /** The resolved mentions, then the user's pins not already among them. */
  mentions(resolved: readonly Mention[]): Mention[] {
    const written = new Set(resolved.map(mentionKey));
    return [...resolved, ...[...this.pins.values()].filter((mention) => !written.has(mentionKey(mention)))];
  }

  /** The last ledger with the choice on `key` shown: the window does not change until the next request. */
  relabel(ledger: LedgerView, action: ContextAction, key: string): LedgerView {
    if (action === 'fill' || action === 'unfill') return { ...ledger, fillNext: this.fillNext || undefined };
    return {
      ...ledger,
      items: ledger.items.map((item) =>
        item.key !== key
          ? item
          : {
              ...item,
              userPinned: this.pins.has(key) || undefined,
              userDropped: this.drops.has(key) || undefined,
              note: relabelNote(action, item.note),
            },
      ),
    };
  }
}

function relabelNote(action: ContextAction, note: string | undefined): string | undefined {
  if (action === 'drop') return 'dropped by you: left out from the next request';
  if (action === 'pin') return 'pinned by you: kept in every request';
  return note === 'dropped by you' ? undefined : note;
}

function pinnedMention(key: string, candidate: Candidate): Mention {
  if (candidate.text !== undefined)
    return {
      kind: 'text',
      id: key.replace(/^text:/, ''),
      title: candidate.title,
      text: candidate.text,
      reason: candidate.reasons[0] ?? 'pinned',
    };
  return {
    kind: 'file',
    path: candidate.path ?? candidate.title,
    ...(candidate.only ? { range: candidate.only } : {}),
  };
}

function mentionKey(mention: Mention): string {
  return mention.kind === 'text'
    ? `text:${mention.id}`
    : `file:${mention.path}${mention.range ? `#${mention.range.start}-${mention.range.end}` : ''}`;
}

/** Allowed workspace paths (or their folders) for `@file:` / `@folder:` completion, best match first. */
export function completePaths(allowed: Iterable<string>, kind: MentionQueryKind, prefix: string): string[] {
  const wanted = prefix.toLowerCase();
  const paths = kind === 'file' ? [...allowed] : folders(allowed);
  const starts: string[] = [];
  const contains: string[] = [];
  for (const path of paths) {
    const lower = path.toLowerCase();
    if (lower.startsWith(wanted)) starts.push(path);
    else if (wanted && (lower.includes(wanted) || lower.slice(lower.lastIndexOf('/') + 1).startsWith(wanted)))
      contains.push(path);
  }
  const byLength = (a: string, b: string) => a.length - b.length || a.localeCompare(b);
  return [...starts.sort(byLength), ...contains.sort(byLength)].slice(0, MAX_COMPLETIONS);
}

/** Every folder that holds an allowed file, with a trailing slash. */
function folders(paths: Iterable<string>): string[] {
  const out = new Set<string>();
  for (const path of paths) {
    for (let at = path.indexOf('/'); at > 0; at = path.indexOf('/', at + 1)) out.add(path.slice(0, at + 1));
  }
  return [...out];
}
