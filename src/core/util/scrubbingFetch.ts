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

/**
 * `redact` plus the exact API key: a key in no known shape (a local server's token, a proxy's key)
 * printed by a command or pasted into a file would otherwise go back to the server in the body.
 */
export function keyScrubber(key: string | undefined, redact: Redact): Redact {
  // A placeholder key for a local server ("x", "none") would blank out ordinary words.
  if (!key || key.length < 8) return redact;
  return (text) => {
    const parts = text.split(key);
    const result = redact(parts.join('[API key hidden]'));
    const found = parts.slice(1).map(() => ({ kind: 'API key' }));
    return { text: result.text, found: [...found, ...result.found] };
  };
}
