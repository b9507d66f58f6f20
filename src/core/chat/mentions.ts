/**
 * The @-mentions a user can write in a chat message. Parsing is the core's; resolving
 * them (reading the file, the selection, the terminal) is the host's.
 */
import type { MentionKind } from '../protocol';

export { MENTION_KINDS, type MentionKind } from '../protocol';

export interface ParsedMention {
  readonly kind: MentionKind;
  /** The path after `@file:` / `@folder:`. */
  readonly path?: string;
  /** Lines asked for with `@file:path#L10-L20` (1-based, inclusive). */
  readonly range?: { readonly start: number; readonly end: number };
  /** As written, for messages to the user. */
  readonly raw: string;
}

const PATTERN = new RegExp(
  [
    /(?<=^|[\s(])@(file|folder|mcp):("[^"]+"|[^\s"]+)/,
    /(?<=^|[\s(])@(selection|problems|terminal|git|codebase)(?![\w:/-])/,
  ]
    .map((part) => part.source)
    .join('|'),
  'g',
);

/** The mentions in `text`, in order, each once. */
export function parseMentions(text: string): ParsedMention[] {
  const out: ParsedMention[] = [];
  const seen = new Set<string>();
  for (const match of text.matchAll(PATTERN)) {
    const raw = match[0];
    let mention: ParsedMention;
    if (match[1] === 'mcp') {
      // An MCP resource is `server:uri`; a URI may hold `#`, so no line range is read from it.
      const reference = match[2].replace(/^"|"$/g, '').replace(/[.,;!?)]+$/, '');
      if (!reference) continue;
      mention = { kind: 'mcp', path: reference, raw };
    } else if (match[1]) {
      let path = match[2].replace(/^"|"$/g, '');
      // A sentence may end right after the path.
      path = path.replace(/[.,;:!?)]+$/, '');
      const lines = /#L?(\d+)(?:-L?(\d+))?$/.exec(path);
      const range = lines ? { start: Number(lines[1]), end: Number(lines[2] ?? lines[1]) } : undefined;
      if (lines) path = path.slice(0, lines.index);
      if (!path) continue;
      mention = { kind: match[1] as MentionKind, path, raw, ...(range && range.end >= range.start ? { range } : {}) };
    } else {
      mention = { kind: match[3] as MentionKind, raw };
    }
    const key = `${mention.kind}:${mention.path ?? ''}:${mention.range?.start ?? ''}-${mention.range?.end ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(mention);
  }
  return out;
}
