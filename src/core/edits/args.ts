/**
 * Validates a file tool call's arguments. Servers and models differ in small ways (arguments
 * as a JSON string, `edits` itself stringified, one edit given at the top level, Claude-style
 * `old_str`/`new_str` names); those are accepted, anything else is refused in words.
 */
import type { Edit, Refusal } from './types';

export type FileToolCall =
  | { readonly tool: 'edit_file'; readonly path: string; readonly edits: readonly Edit[] }
  | { readonly tool: 'write_file'; readonly path: string; readonly content: string }
  | { readonly tool: 'delete_file'; readonly path: string }
  | { readonly tool: 'rename_file'; readonly from: string; readonly to: string };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const invalid = (tool: string, detail: string): Refusal => ({
  ok: false,
  kind: 'invalid_arguments',
  message: `${tool}: ${detail}`,
});

function parseJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

const pick = (record: Record<string, unknown>, ...names: string[]): unknown =>
  names.map((name) => record[name]).find((value) => value !== undefined);

function parseEdit(value: unknown, index: number): Edit | string {
  if (!isRecord(value)) return `edits[${index}] must be an object with old_text and new_text`;
  const unknown = unknownName([...EDIT_NAMES, 'replace_all', 'replaceAll'], value);
  if (unknown) return `edits[${index}] has no field "${unknown}" (an edit takes old_text, new_text, replace_all)`;
  const oldText = pick(value, 'old_text', 'old_str', 'old_string', 'search');
  const newText = pick(value, 'new_text', 'new_str', 'new_string', 'replace');
  const replaceAll = pick(value, 'replace_all', 'replaceAll');
  if (typeof oldText !== 'string') return `edits[${index}].old_text must be a string`;
  if (typeof newText !== 'string') return `edits[${index}].new_text must be a string`;
  if (replaceAll !== undefined && typeof replaceAll !== 'boolean' && replaceAll !== 'true' && replaceAll !== 'false') {
    return `edits[${index}].replace_all must be true or false`;
  }
  return { oldText, newText, ...(replaceAll === true || replaceAll === 'true' ? { replaceAll: true } : {}) };
}

/** The names each tool takes, its schema's and the spellings above: any other is refused, never ignored. */
const EDIT_NAMES = ['old_text', 'old_str', 'old_string', 'search', 'new_text', 'new_str', 'new_string', 'replace'];
const KNOWN: Readonly<Record<string, readonly string[]>> = {
  edit_file: ['path', 'edits', ...EDIT_NAMES, 'replace_all', 'replaceAll'],
  write_file: ['path', 'content'],
  delete_file: ['path'],
  rename_file: ['from', 'to'],
};

/** An argument the tool does not take: ignoring it could do something else than the model meant (`"append": true`). */
function unknownName(names: readonly string[], record: Record<string, unknown>): string | undefined {
  return Object.keys(record).find((name) => !names.includes(name));
}

export function parseFileToolCall(tool: string, rawArguments: unknown): FileToolCall | Refusal {
  const args = parseJson(rawArguments);
  if (!isRecord(args)) return invalid(tool, 'arguments must be a JSON object');
  const unknown = KNOWN[tool] && unknownName(KNOWN[tool], args);
  if (unknown) return invalid(tool, `there is no argument "${unknown}" (it takes ${KNOWN[tool].join(', ')})`);
  const text = (name: string): string | undefined =>
    typeof args[name] === 'string' && (args[name] as string).trim() !== '' ? (args[name] as string) : undefined;
  switch (tool) {
    case 'edit_file': {
      const path = text('path');
      if (!path) return invalid(tool, 'path is required');
      let edits = parseJson(args.edits);
      if (edits === undefined && pick(args, 'old_text', 'old_str', 'old_string') !== undefined) {
        const { path: _path, ...edit } = args;
        edits = [edit];
      }
      if (isRecord(edits)) edits = [edits];
      if (!Array.isArray(edits) || edits.length === 0)
        return invalid(tool, 'edits must be a non-empty array of {old_text, new_text}');
      const parsed: Edit[] = [];
      for (const [i, value] of edits.entries()) {
        const edit = parseEdit(value, i);
        if (typeof edit === 'string') return invalid(tool, edit);
        parsed.push(edit);
      }
      return { tool, path, edits: parsed };
    }
    case 'write_file': {
      const path = text('path');
      if (!path) return invalid(tool, 'path is required');
      if (typeof args.content !== 'string') return invalid(tool, 'content must be a string');
      return { tool, path, content: args.content };
    }
    case 'delete_file': {
      const path = text('path');
      return path ? { tool, path } : invalid(tool, 'path is required');
    }
    case 'rename_file': {
      const from = text('from');
      const to = text('to');
      return from && to ? { tool, from, to } : invalid(tool, 'from and to are required');
    }
    default:
      return invalid(tool, 'not a file tool');
  }
}
