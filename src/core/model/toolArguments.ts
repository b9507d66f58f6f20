/**
 * Tool-call arguments are JSON text written by a model, so sometimes they are not
 * quite JSON. One repair attempt covers what models actually get wrong (trailing
 * commas, raw newlines and control characters inside strings, the last closing
 * brace missing); anything else becomes a `parseError` worded for the model, so the
 * agent can send it back and get a corrected call.
 */

export interface ParsedArguments {
  readonly value: Record<string, unknown>;
  readonly error?: string;
}

export function parseToolArguments(raw: string, toolName: string): ParsedArguments {
  const text = raw.trim();
  if (text === '') return { value: {} };
  const first = tryParse(text);
  if (first.ok) return asObject(first.value, raw, toolName);
  const repaired = repairJson(text);
  if (repaired !== undefined) {
    const second = tryParse(repaired);
    if (second.ok) return asObject(second.value, raw, toolName);
  }
  return { value: {}, error: describe(toolName, raw, `it is not valid JSON (${first.message})`) };
}

function asObject(value: unknown, raw: string, toolName: string): ParsedArguments {
  // Some servers encode the arguments twice: a JSON string holding the JSON object.
  if (typeof value === 'string') {
    const inner = tryParse(value.trim());
    if (inner.ok && isRecord(inner.value)) return { value: inner.value };
  }
  if (isRecord(value)) return { value };
  const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
  return { value: {}, error: describe(toolName, raw, `they are ${kind}, not a JSON object`) };
}

function describe(toolName: string, raw: string, reason: string): string {
  const shown = raw.length > 300 ? `${raw.slice(0, 300)}…` : raw;
  return (
    `The arguments of the ${toolName || 'tool'} call could not be used: ${reason}. ` +
    `Call ${toolName || 'the tool'} again with the arguments as one JSON object. You sent: ${shown}`
  );
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

type Attempt = { ok: true; value: unknown } | { ok: false; message: string };

function tryParse(text: string): Attempt {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

const ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };

/**
 * One pass that escapes control characters inside strings, drops commas that come
 * right before `}` or `]`, and closes a single object left open after a complete value.
 * Returns undefined when the text is broken in some other way.
 */
export function repairJson(text: string): string | undefined {
  let out = '';
  const open: string[] = [];
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === '\\') {
        out += char + (text[i + 1] ?? '');
        i++;
      } else if (char === '"') {
        inString = false;
        out += char;
      } else if (char < ' ') {
        out += ESCAPES[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
      } else {
        out += char;
      }
      continue;
    }
    if (char === '"') inString = true;
    else if (char === '{' || char === '[') open.push(char);
    else if (char === '}' || char === ']') {
      if (open.pop() !== (char === '}' ? '{' : '[')) return undefined;
    } else if (char === ',' && /^\s*[}\]]/.test(text.slice(i + 1, i + 64))) {
      continue;
    }
    out += char;
  }
  if (inString) return undefined;
  if (open.length === 0) return out;
  // Only a missing last brace is closed: after a number, a literal or a comma the text may have been cut
  // (`"start_line":12` of 120), and a cut call must not run with what happens to parse.
  if (open.length === 1 && open[0] === '{' && /["}\]]\s*$/.test(out)) return `${out}}`;
  return undefined;
}
