/**
 * The last guard before a request leaves: every string in the JSON body is scanned for known
 * secret shapes and matches are replaced with a placeholder, whatever path they came by (a
 * file a rule missed, a key pasted into the chat, a tool result). Working on the parsed
 * strings, not the raw body, keeps the JSON valid and sees a key the way it was written
 * (a private key's line breaks are `\n` escapes in the body).
 */

export type Redact = (text: string) => { text: string; found: readonly { kind: string }[] };

export interface Redaction {
  /** What was replaced, one entry per match (e.g. "private key", "GitHub token"). */
  readonly kinds: readonly string[];
}

export function scrubBody(body: string, redact: Redact): { body: string; kinds: string[] } {
  const kinds: string[] = [];
  const clean = (text: string): string => {
    const result = redact(text);
    for (const found of result.found) kinds.push(found.kind);
    return result.text;
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    const text = clean(body);
    return { body: kinds.length ? text : body, kinds };
  }
  const scrubbed = walk(parsed, clean);
  return { body: kinds.length ? JSON.stringify(scrubbed) : body, kinds };
}

function walk(value: unknown, clean: (text: string) => string): unknown {
  if (typeof value === 'string') return clean(value);
  if (Array.isArray(value)) return value.map((item) => walk(item, clean));
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, walk(item, clean)]));
  return value;
}

/** `fetch` that scrubs every string body before sending and tells `onRedacted` what it replaced. */
export function scrubbingFetch(
  redact: Redact,
  onRedacted: (redaction: Redaction) => void,
  inner: typeof fetch = fetch,
): typeof fetch {
  return (input, init) => {
    if (typeof init?.body !== 'string') return inner(input, init);
    const { body, kinds } = scrubBody(init.body, redact);
    if (kinds.length === 0) return inner(input, init);
    onRedacted({ kinds });
    return inner(input, { ...init, body });
  };
}
