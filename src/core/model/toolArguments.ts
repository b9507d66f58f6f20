/**
 * Tool-call arguments are JSON text written by a model, so sometimes they are not
 * quite JSON. One repair attempt covers what models actually get wrong (trailing
 * commas, raw newlines and control characters inside strings); a text that ends
 * before its last bracket closes may have been cut and is refused, as is anything
 * else, with a `parseError` worded for the model, so the agent can send it back and
 * get a corrected call.
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
    if (inner.ok && isRecord(inner.value)) return checked(inner.value, raw, toolName);
  }
  if (isRecord(value)) return checked(value, raw, toolName);
  const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
  return { value: {}, error: describe(toolName, raw, `they are ${kind}, not a JSON object`) };
}

/**
 * A value that ends with the closing tags of the Qwen3-Coder XML format: the server's parser let the
 * template's markup into the arguments (vllm#55495), so the value is not what the model meant.
 */
const LEAKED_MARKUP = /<\/parameter>?(\s*<\/function>)?(\s*<\/tool_call>)?\s*$/;

function checked(value: Record<string, unknown>, raw: string, toolName: string): ParsedArguments {
  const leaked = Object.entries(value).find(([, v]) => typeof v === 'string' && LEAKED_MARKUP.test(v));
  if (!leaked) return { value };
  return {
    value: {},
    error: describe(toolName, raw, `"${leaked[0]}" ends with tool-call markup (</parameter>) that is not part of it`),
  };
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
 * One pass that escapes control characters inside strings and drops commas that come
 * right before `}` or `]`. Returns undefined when the text is broken in some other way
 * (a bracket left open included).
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
  // Nothing left open is closed: `{"command":"rm -rf build"` may be a call whose `"cwd"` was cut off, and
  // a cut call must not run with what happens to parse.
  if (inString || open.length > 0) return undefined;
  return out;
}
