/**
 * A tool runs only with arguments its own JSON schema accepts: the runner checks every call
 * before the tool sees it, so no tool has to defend itself against a wrong type or a missing
 * field, and a model's mistake comes back as a message it can act on. A few spellings models
 * use for the right value are taken (an integer written as digits, a boolean as "true", an
 * array or object written as JSON text) and the tool gets the value itself.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import type { JsonSchema, ToolSchema } from '../model/types';

export type CheckedArguments =
  { readonly ok: true; readonly args: Record<string, unknown> } | { readonly ok: false; readonly message: string };

// allErrors off: the first problem is enough for the model; strict off: MCP servers write loose schemas.
const ajv = new Ajv({ allErrors: false, strict: false, validateFormats: false });
const compiled = new WeakMap<JsonSchema, ValidateFunction | null>();

function validatorOf(schema: JsonSchema): ValidateFunction | null {
  if (!compiled.has(schema)) {
    let validate: ValidateFunction | null = null;
    try {
      validate = ajv.compile(schema);
    } catch {
      // A schema the validator cannot read (an MCP server's): the tool's own server checks its arguments.
      validate = null;
    }
    compiled.set(schema, validate);
  }
  return compiled.get(schema) ?? null;
}

const PATH_NAMES = new Set(['path', 'from', 'to']);

export function checkArguments(schema: ToolSchema, args: Record<string, unknown>): CheckedArguments {
  const coerced = coerce(args, schema.parameters);
  const validate = validatorOf(schema.parameters);
  if (validate && !validate(coerced)) return refuse(schema, describe(validate.errors?.[0]));
  const blank = Object.entries(coerced).find(([key, value]) => PATH_NAMES.has(key) && String(value).trim() === '');
  if (blank) return refuse(schema, `"${blank[0]}" is empty`);
  return { ok: true, args: coerced };
}

function refuse(schema: ToolSchema, problem: string): CheckedArguments {
  const properties = schema.parameters.properties;
  const names = properties && typeof properties === 'object' ? Object.keys(properties) : [];
  const required = Array.isArray(schema.parameters.required) ? schema.parameters.required.map(String) : [];
  const takes = names.length
    ? ` ${schema.name} takes ` +
      `${names.map((name) => (required.includes(name) ? `${name} (required)` : name)).join(', ')}.`
    : '';
  return {
    ok: false,
    message: `The ${schema.name} call was not run: ${problem}.${takes} Call it again with arguments that fit.`,
  };
}

function describe(error: ErrorObject | undefined): string {
  if (!error) return 'its arguments do not fit its schema';
  const at = error.instancePath ? `"${error.instancePath.slice(1).replace(/\//g, '.')}"` : 'the arguments';
  switch (error.keyword) {
    case 'required':
      return `"${String(error.params.missingProperty)}" is missing`;
    case 'additionalProperties':
      return `it has no parameter "${String(error.params.additionalProperty)}"`;
    case 'type':
      return `${at} must be ${String(error.params.type)}`;
    case 'enum':
      return (
        `${at} must be one of ` +
        `${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`
      );
    default:
      return `${at} ${error.message ?? 'does not fit the schema'}`;
  }
}

/** The top-level spellings models use for a value of the declared type. */
function coerce(args: Record<string, unknown>, schema: JsonSchema): Record<string, unknown> {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema | undefined>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(args)) out[key] = coerceValue(value, properties[key]?.type);
  return out;
}

function coerceValue(value: unknown, type: unknown): unknown {
  if (typeof value !== 'string') return value;
  const text = value.trim();
  if ((type === 'integer' || type === 'number') && /^-?\d{1,15}$/.test(text)) return Number(text);
  if (type === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  if ((type === 'array' && text.startsWith('[')) || (type === 'object' && text.startsWith('{'))) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (type === 'array' ? Array.isArray(parsed) : typeof parsed === 'object' && parsed && !Array.isArray(parsed))
        return parsed;
    } catch {
      // Not JSON: the schema check says what is wrong with the string.
    }
  }
  return value;
}
