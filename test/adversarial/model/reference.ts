/**
 * The suite's own judge of tool arguments, written from the tools' JSON schemas and the repairs
 * the README and the code's headers promise, never from the code under test: a small JSON-schema
 * check (the keywords QCoder's schemas use) and the documented spellings the edit tools accept.
 */
import type { JsonSchema } from '../../../src/core/model/types';

type Json = Record<string, unknown>;
const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Why `value` does not fit `schema`, or undefined when it does. */
export function schemaProblem(value: unknown, schema: JsonSchema, at = 'arguments'): string | undefined {
  const types = typeof schema.type === 'string' ? [schema.type] : Array.isArray(schema.type) ? schema.type : [];
  if (types.length && !types.some((type) => fits(value, String(type)))) return `${at} is not ${types.join('|')}`;
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) return `${at} is not one of the enum`;
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) return `${at} is below the minimum`;
    if (typeof schema.maximum === 'number' && value > schema.maximum) return `${at} is above the maximum`;
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) return `${at} has too few items`;
    if (isRecord(schema.items))
      for (const [i, item] of value.entries()) {
        const problem = schemaProblem(item, schema.items, `${at}[${i}]`);
        if (problem) return problem;
      }
  }
  if (isRecord(value)) {
    const properties = isRecord(schema.properties) ? schema.properties : {};
    for (const key of Array.isArray(schema.required) ? schema.required : [])
      if (value[key as string] === undefined) return `${at}.${String(key)} is missing`;
    for (const [key, item] of Object.entries(value)) {
      const property = properties[key];
      if (isRecord(property)) {
        const problem = schemaProblem(item, property, `${at}.${key}`);
        if (problem) return problem;
      } else if (schema.additionalProperties === false) return `${at}.${key} is not a property`;
    }
  }
  return undefined;
}

function fits(value: unknown, type: string): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isRecord(value);
    case 'null':
      return value === null;
    default:
      return true;
  }
}

/** Path-like arguments must name something: empty or blank is never a valid path. */
const PATH_KEYS = new Set(['path', 'from', 'to']);

/**
 * Whether arguments as the model sent them (already decoded from JSON) are a valid call: the schema,
 * after the repairs QCoder documents — edit tools take `edits` as a JSON string, one edit at the top
 * level, `old_str`/`new_str` (and `old_string`/`new_string`, `search`/`replace`) names; any tool takes
 * an integer written as digits and a boolean written as "true"/"false", an array or object written
 * as JSON text.
 */
export function validAsSent(tool: string, args: Json, schema: JsonSchema): boolean {
  const normal = EDIT_TOOLS.has(tool) ? normalizeEdit(args) : args;
  const coerced = coerce(normal, schema);
  if (schemaProblem(coerced, schema)) return false;
  return !Object.entries(coerced).some(([key, value]) => PATH_KEYS.has(key) && String(value).trim() === '');
}

/** Arguments as they reach a tool are valid: the schema, and no blank path. */
export function validAsExecuted(args: Json, schema: JsonSchema): boolean {
  if (schemaProblem(args, schema)) return false;
  return !Object.entries(args).some(([key, value]) => PATH_KEYS.has(key) && String(value).trim() === '');
}

export const EDIT_TOOLS = new Set(['edit_file', 'write_file', 'delete_file', 'rename_file']);

function normalizeEdit(args: Json): Json {
  const out: Json = { ...args };
  let edits = typeof out.edits === 'string' ? parseOr(out.edits) : out.edits;
  const oldKey = ['old_text', 'old_str', 'old_string'].find((key) => out[key] !== undefined);
  if (edits === undefined && oldKey) {
    const { path, ...edit } = out;
    return { path, edits: [normalizeOneEdit(edit)] };
  }
  if (isRecord(edits)) edits = [edits];
  if (Array.isArray(edits)) out.edits = edits.map((edit) => (isRecord(edit) ? normalizeOneEdit(edit) : edit));
  else if (edits !== undefined) out.edits = edits;
  return out;
}

function normalizeOneEdit(edit: Json): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(edit)) {
    const name =
      { old_str: 'old_text', old_string: 'old_text', search: 'old_text' }[key] ??
      { new_str: 'new_text', new_string: 'new_text', replace: 'new_text', replaceAll: 'replace_all' }[key] ??
      key;
    if (out[name] === undefined) out[name] = value;
  }
  if (out.replace_all === 'true' || out.replace_all === 'false') out.replace_all = out.replace_all === 'true';
  return out;
}

function parseOr(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The documented coercions, one level deep (what the tools take at the top). */
function coerce(args: Json, schema: JsonSchema): Json {
  const properties = isRecord(schema.properties) ? schema.properties : {};
  const out: Json = {};
  for (const [key, value] of Object.entries(args)) {
    const type = isRecord(properties[key]) ? (properties[key] as Json).type : undefined;
    out[key] = coerceOne(value, type);
  }
  return out;
}

function coerceOne(value: unknown, type: unknown): unknown {
  if (typeof value !== 'string') return value;
  if ((type === 'integer' || type === 'number') && /^-?\d+$/.test(value.trim())) return Number(value.trim());
  if (type === 'boolean' && /^(true|false)$/.test(value.trim())) return value.trim() === 'true';
  if (type === 'array' || type === 'object') {
    const parsed = parseOr(value);
    if (type === 'array' ? Array.isArray(parsed) : isRecord(parsed)) return parsed;
  }
  return value;
}
