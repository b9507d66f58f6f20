/**
 * MCP tools describe their input with full JSON Schema; the servers that run open models accept
 * less. Ollama parses a fixed shape (a property's `type` is one string; `anyOf` and nested
 * keywords are dropped or rejected), llama.cpp turns the schema into a grammar and refuses what
 * it cannot convert (`$ref` it cannot resolve, `not`, `if`, `patternProperties`), vLLM's
 * guided decoding rejects unsupported keywords. This keeps the subset all of them take and says
 * in the description what was simplified, so the model still knows.
 */
type Schema = Record<string, unknown>;

const KEPT = new Set(['type', 'description', 'properties', 'required', 'items', 'enum', 'minimum', 'maximum']);
const MAX_DEPTH = 6;
const SIMPLE_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array']);

/** The input schema to offer the model; always an object schema. */
export function reduceSchema(input: unknown): Schema {
  const root = isObject(input) ? input : {};
  const definitions = { ...asObject(root.definitions), ...asObject(root.$defs) };
  const reduced = reduce(root, definitions, 0, new Set());
  if (reduced.type !== 'object') return { type: 'object', properties: {} };
  return { ...reduced, properties: reduced.properties ?? {} };
}

function reduce(node: unknown, definitions: Schema, depth: number, seen: ReadonlySet<string>): Schema {
  if (!isObject(node)) return {};
  const notes: string[] = [];
  let schema = node;
  if (typeof schema.$ref === 'string') {
    const target = resolveRef(schema.$ref, definitions);
    if (!target || seen.has(schema.$ref)) return describe({ type: 'object' }, schema, ['structure not shown']);
    return reduce({ ...target, ...withoutRef(schema) }, definitions, depth, new Set([...seen, schema.$ref]));
  }
  schema = withoutUnion(schema, notes);
  if (Array.isArray(schema.allOf)) {
    schema = Object.assign({}, ...schema.allOf.filter(isObject), without(schema, ['allOf']));
  }
  const out: Schema = {};
  const type = simpleType(schema.type, notes) ?? impliedType(schema);
  if (type) out.type = type;
  if (schema.const !== undefined) out.enum = [schema.const];
  for (const key of Object.keys(schema)) {
    if (!KEPT.has(key) || key === 'type') continue;
    if (key === 'properties' || key === 'items') continue;
    out[key] = schema[key];
  }
  if (typeof schema.format === 'string') notes.push(`format: ${schema.format}`);
  if (typeof schema.pattern === 'string') notes.push(`pattern: ${schema.pattern}`);
  if (schema.default !== undefined) notes.push(`default: ${JSON.stringify(schema.default)}`);
  if (out.type === 'object') {
    if (depth >= MAX_DEPTH) return describe({ type: 'object' }, schema, [...notes, 'nested structure not shown']);
    const properties: Schema = {};
    for (const [name, value] of Object.entries(asObject(schema.properties))) {
      const property = reduce(value, definitions, depth + 1, seen);
      // llama.cpp refuses a schema with keywords but no type ("Unrecognized schema"); `{}` (any value) passes.
      if (property.type !== undefined || property.enum !== undefined) properties[name] = property;
      else {
        properties[name] = {};
        if (typeof property.description === 'string') notes.push(`${name}: ${property.description}`);
      }
    }
    out.properties = properties;
    if (Array.isArray(out.required))
      out.required = out.required.filter((name): name is string => typeof name === 'string' && name in properties);
    else delete out.required;
  }
  if (out.type === 'array')
    out.items = depth >= MAX_DEPTH ? {} : typedOrAny(reduce(schema.items, definitions, depth + 1, seen));
  return describe(out, schema, notes);
}

function simpleType(type: unknown, notes: string[]): string | undefined {
  if (typeof type === 'string') return SIMPLE_TYPES.has(type) ? type : undefined;
  if (!Array.isArray(type)) return undefined;
  const types = type.filter((item): item is string => typeof item === 'string' && SIMPLE_TYPES.has(item));
  if (types.length > 1) notes.push(`type: ${types.join(' or ')}`);
  return types[0];
}

/** The type a schema without one implies: its properties, its items, or what all its enum values are. */
function impliedType(schema: Schema): string | undefined {
  if (isObject(schema.properties)) return 'object';
  if (isObject(schema.items)) return 'array';
  const values = Array.isArray(schema.enum) ? schema.enum : schema.const !== undefined ? [schema.const] : [];
  if (values.length > 0 && values.every((value) => typeof value === 'string')) return 'string';
  return undefined;
}

/** An items schema with keywords but no type becomes `{}` (any value), which every server takes. */
function typedOrAny(schema: Schema): Schema {
  return schema.type !== undefined || schema.enum !== undefined ? schema : {};
}

function describe(out: Schema, source: Schema, notes: readonly string[]): Schema {
  if (notes.length === 0) return out;
  const base = typeof source.description === 'string' ? source.description : '';
  return { ...out, description: `${base}${base ? ' ' : ''}(${notes.join('; ')})` };
}

/**
 * `anyOf` / `oneOf` as one schema: all the constants if that is
 * what they are, else the first option (named in the notes).
 */
function withoutUnion(schema: Schema, notes: string[]): Schema {
  const union = (schema.anyOf ?? schema.oneOf) as unknown;
  if (!Array.isArray(union) || union.length === 0) return schema;
  const options = union.filter(isObject).filter((option) => option.type !== 'null');
  const values = options.flatMap(choices);
  // A choice among constants (zod's union of literals) stays a choice: one enum of them all.
  if (values.length > 0 && options.every((option) => choices(option).length > 0))
    return { ...without(schema, ['anyOf', 'oneOf']), enum: values };
  if (options.length > 1) notes.push(`one of: ${options.map(optionLabel).join(' | ')}`);
  return { ...(options[0] ?? {}), ...without(schema, ['anyOf', 'oneOf']) };
}

/** The values an option allows when it is only constants (`const` or `enum`), else none. */
function choices(option: Schema): unknown[] {
  if (option.const !== undefined) return [option.const];
  return Array.isArray(option.enum) ? option.enum : [];
}

function optionLabel(option: Schema): string {
  if (typeof option.type === 'string') return option.type;
  if (option.const !== undefined) return JSON.stringify(option.const);
  return 'object';
}

function resolveRef(ref: string, definitions: Schema): Schema | undefined {
  const match = /^#\/(?:\$defs|definitions)\/(.+)$/.exec(ref);
  const target = match ? definitions[match[1].replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
  return isObject(target) ? target : undefined;
}

const withoutRef = (schema: Schema) => without(schema, ['$ref']);

function without(schema: Schema, keys: readonly string[]): Schema {
  return Object.fromEntries(Object.entries(schema).filter(([key]) => !keys.includes(key)));
}

function asObject(value: unknown): Schema {
  return isObject(value) ? value : {};
}

function isObject(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
