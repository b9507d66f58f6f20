/**
 * Seeded fuzzing of tool calls as a model writes them: a valid call of one of QCoder's tools
 * (or an MCP tool) is damaged in one of the ways models and servers damage calls, then written
 * into the chunks of a chat-completions stream in one of three shapes (native `tool_calls`
 * deltas split anywhere, Qwen3-Coder XML in the text, Hermes JSON in the text).
 */
import { validAsSent, EDIT_TOOLS } from './reference';
import type { JsonSchema } from '../../../src/core/model/types';

type Json = Record<string, unknown>;

/** mulberry32: small, fast and the same on every machine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Shape = 'native' | 'xml' | 'hermes';
export type Damage =
  | 'truncated'
  | 'leaked-parameter'
  | 'stringified'
  | 'missing'
  | 'extra'
  | 'wrong-type'
  | 'huge'
  | 'unknown-tool'
  | 'mcp-name'
  | 'none';

export interface FuzzCase {
  readonly seed: number;
  readonly damage: Damage;
  readonly shape: Shape;
  /** The name the model called. */
  readonly name: string;
  /** The arguments as JSON text in the stream (native and Hermes), or the XML block's body. */
  readonly raw: string;
  /** What the model meant when the call is valid (decoded, before any repair); undefined when not valid. */
  readonly intended?: Json;
  /** The reference's verdict: may this call run? */
  readonly valid: boolean;
  /** The chunks of the stream, as the `openai` package hands them over. */
  readonly chunks: readonly Json[];
}

/** Valid calls to start from, by tool: paths exist in the suite's workspace. */
export const BASE_CALLS: readonly { name: string; args: Json }[] = [
  { name: 'read_file', args: { path: 'src/util.js', start_line: 1, end_line: 3 } },
  { name: 'list_files', args: { path: 'src', glob: '**/*.js' } },
  { name: 'search_files', args: { pattern: 'return', glob: '**/*.js', context_lines: 1 } },
  { name: 'find_symbol', args: { query: 'add' } },
  { name: 'get_problems', args: { path: 'cart.js', severity: 'error' } },
  { name: 'todo_write', args: { todos: [{ text: 'fix subtotal', status: 'in_progress' }] } },
  {
    name: 'edit_file',
    args: { path: 'src/util.js', edits: [{ old_text: 'return a + b;', new_text: 'return a - b;' }] },
  },
  { name: 'write_file', args: { path: 'notes.md', content: '# notes\n' } },
  { name: 'delete_file', args: { path: 'README.md' } },
  { name: 'rename_file', args: { from: 'README.md', to: 'docs/README.md' } },
  { name: 'run_command', args: { command: 'rm -rf src', cwd: '.', timeout: 30, is_background: false } },
  { name: 'read_command_output', args: { handle: 'cmd-1', wait_seconds: 1 } },
  { name: 'stop_command', args: { handle: 'cmd-1' } },
  { name: 'ask_user', args: { question: 'Which file?', choices: ['cart.js', 'server.js'] } },
];

const DAMAGES: readonly Damage[] = [
  'truncated',
  'truncated',
  'leaked-parameter',
  'stringified',
  'missing',
  'extra',
  'wrong-type',
  'wrong-type',
  'huge',
  'unknown-tool',
  'mcp-name',
  'none',
];

const WRONG_VALUES: readonly unknown[] = [
  42,
  -1,
  1.5,
  true,
  false,
  null,
  {},
  [],
  '',
  '  ',
  'abc',
  ['a'],
  { path: 'x' },
];

const UNKNOWN_NAMES = [
  '',
  ' read_file',
  'read_file ',
  'Read_File',
  'read-file',
  'functions.read_file',
  'read_file<|im_end|>',
  'read_file\n',
  'edit_file;rm',
  'mcp__git__status',
  'git__status_9',
  'git_status',
  'GIT__STATUS',
  'a'.repeat(300),
  'write_file\u200b',
  'тул',
];

export interface FuzzContext {
  readonly schemas: ReadonlyMap<string, { readonly parameters: JsonSchema }>;
  readonly mcpNames: readonly string[];
}

export function fuzzCase(seed: number, context: FuzzContext): FuzzCase {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const damage = pick(DAMAGES);
  const mcp = damage === 'mcp-name';
  const base = mcp
    ? { name: pick(context.mcpNames), args: { repo: '.', depth: 1 } as Json }
    : structuredClone(pick(BASE_CALLS));
  let name = base.name;
  let args: unknown = base.args;
  let raw: string | undefined;
  const keys = Object.keys(base.args);
  switch (damage) {
    case 'truncated': {
      const full = JSON.stringify(args);
      raw = full.slice(0, 1 + Math.floor(random() * (full.length - 1)));
      break;
    }
    case 'stringified': {
      const arrayKey = keys.find((key) => Array.isArray(base.args[key]));
      if (arrayKey && random() < 0.7) {
        const text = JSON.stringify(base.args[arrayKey]);
        (args as Json)[arrayKey] = random() < 0.5 ? text : text.slice(0, Math.floor(random() * text.length));
      } else raw = JSON.stringify(JSON.stringify(args));
      break;
    }
    case 'missing':
      delete (args as Json)[pick(keys)];
      break;
    case 'extra':
      (args as Json)[pick(['mode', 'append', 'dry_run', 'force', 'path2', 'recursive'])] = pick(WRONG_VALUES);
      break;
    case 'wrong-type':
      (args as Json)[pick(keys)] = pick(WRONG_VALUES);
      if (random() < 0.2) args = pick([[args], 'args', 7, null]);
      break;
    case 'huge':
      (args as Json)[pick(keys)] = pick([
        'a'.repeat(100_000),
        `${'../'.repeat(2000)}etc/passwd`,
        1e308,
        2 ** 53 + 2,
        -1e9,
        Array.from({ length: 5000 }, (_, i) => ({ old_text: `x${i}`, new_text: 'y' })),
        'x\n'.repeat(50_000),
      ]);
      break;
    case 'unknown-tool':
      name = pick(UNKNOWN_NAMES);
      break;
    case 'leaked-parameter':
    case 'mcp-name':
    case 'none':
      break;
  }
  // XML writes every value as text: only damage it can express goes that way.
  const xmlOk = raw === undefined && isRecord(args) && XML_DAMAGES.has(damage);
  const shape: Shape = damage === 'leaked-parameter' ? pick(['xml', 'native']) : pick(xmlOk ? SHAPES : JSON_SHAPES);
  // `<function= read_file >`: the XML format's tag holds the name with whatever spacing around it.
  if (shape === 'xml') name = name.trim();
  const text = raw ?? JSON.stringify(args);
  const leakedNative = damage === 'leaked-parameter' && shape === 'native';
  const sent = leakedNative ? leakIntoJson(args as Json, keys, pick) : text;
  const verdict = judge(name, sent, context, damage === 'leaked-parameter' ? (args as Json) : undefined);
  const chunks =
    shape === 'native'
      ? nativeChunks(name, sent, random)
      : shape === 'xml'
        ? xmlChunks(name, args as Json, damage === 'leaked-parameter', random)
        : hermesChunks(name, sent, random);
  return { seed, damage, shape, name, raw: sent, chunks, ...verdict };
}

const SHAPES: readonly Shape[] = ['native', 'native', 'native', 'hermes', 'xml'];
const JSON_SHAPES: readonly Shape[] = ['native', 'native', 'hermes'];
const XML_DAMAGES = new Set<Damage>(['missing', 'unknown-tool', 'mcp-name', 'none']);

/** A closing parameter tag leaked into a value of the JSON arguments (vllm#55495 seen from the other side). */
function leakIntoJson(args: Json, keys: string[], pick: <T>(items: readonly T[]) => T): string {
  const strings = keys.filter((key) => typeof args[key] === 'string');
  const key = strings.length ? pick(strings) : keys[0];
  return JSON.stringify({
    ...args,
    [key]: `${String(args[key])}${pick(['</parameter', '\n</parameter>', '</parameter>\n</function>'])}`,
  });
}

function judge(
  name: string,
  sent: string,
  context: FuzzContext,
  leakedXml?: Json,
): { valid: boolean; intended?: Json } {
  const schema = context.schemas.get(name)?.parameters;
  if (!schema) return { valid: false };
  if (leakedXml) {
    // The XML shape: the markup is the damage; the call means exactly its arguments.
    return { valid: validAsSent(name, leakedXml, schema) && !leaks(leakedXml), intended: leakedXml };
  }
  let decoded = decode(sent);
  if (typeof decoded === 'string' && EDIT_TOOLS.has(name)) decoded = decode(decoded);
  else if (typeof decoded === 'string') decoded = decode(decoded);
  if (!isRecord(decoded) || leaks(decoded)) return { valid: false };
  return validAsSent(name, decoded, schema) ? { valid: true, intended: decoded } : { valid: false };
}

/** A value that ends with the XML format's closing tags: markup the server let into the arguments. */
const LEAKED = /<\/parameter>?\s*(<\/function>\s*)?(<\/tool_call>\s*)?$/;
function leaks(args: Json): boolean {
  return Object.values(args).some((value) => typeof value === 'string' && LEAKED.test(value));
}

function decode(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const BASE = { id: 'chatcmpl-fuzz', object: 'chat.completion.chunk', created: 0, model: 'fuzz' };
const chunk = (delta: Json, finish: string | null = null): Json => ({
  ...BASE,
  choices: [{ index: 0, delta, finish_reason: finish }],
});

/** `text` in 1-4 pieces cut anywhere (inside escapes and characters too). */
function pieces(text: string, random: () => number): string[] {
  const count = 1 + Math.floor(random() * 4);
  const cuts = Array.from({ length: count - 1 }, () => Math.floor(random() * text.length)).sort((a, b) => a - b);
  const out: string[] = [];
  let at = 0;
  for (const cut of [...cuts, text.length]) {
    out.push(text.slice(at, cut));
    at = cut;
  }
  return out;
}

function nativeChunks(name: string, args: string, random: () => number): Json[] {
  const id = random() < 0.8 ? `call_${Math.floor(random() * 1e9).toString(36)}` : undefined;
  const [first, ...rest] = pieces(args, random);
  return [
    chunk({ role: 'assistant', content: '' }),
    chunk({
      tool_calls: [{ index: 0, ...(id ? { id } : {}), type: 'function', function: { name, arguments: first } }],
    }),
    ...rest.map((piece) => chunk({ tool_calls: [{ index: 0, function: { arguments: piece } }] })),
    chunk({}, 'tool_calls'),
  ];
}

function xmlChunks(name: string, args: Json, leak: boolean, random: () => number): Json[] {
  const entries = Object.entries(args);
  const leakAt = Math.floor(random() * entries.length);
  const body = entries
    .map(([key, value], i) => {
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      const close = leak && i === leakAt ? '</parameter' : '</parameter>';
      return `<parameter=${key}>\n${text}\n${close}\n`;
    })
    .join('');
  const block = `Let me do that.\n<tool_call>\n<function=${name}>\n${body}</function>\n</tool_call>`;
  return [
    chunk({ role: 'assistant', content: '' }),
    ...pieces(block, random).map((content) => chunk({ content })),
    chunk({}, 'stop'),
  ];
}

function hermesChunks(name: string, args: string, random: () => number): Json[] {
  const block = `<tool_call>\n{"name": ${JSON.stringify(name)}, "arguments": ${args}}\n</tool_call>`;
  return [
    chunk({ role: 'assistant', content: '' }),
    ...pieces(block, random).map((content) => chunk({ content })),
    chunk({}, 'stop'),
  ];
}
