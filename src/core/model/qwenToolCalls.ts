/**
 * Tool calls a server left in the text instead of parsing them. Two formats:
 * Qwen3-Coder's own
 *   <tool_call><function=read_file><parameter=path>src/a.ts</parameter></function></tool_call>
 * and the Hermes style of Qwen2.5 and most templates
 *   <tool_call>{"name": "read_file", "arguments": {"path": "src/a.ts"}}</tool_call>
 * Parameter values follow vLLM's `qwen3_coder` parser: one leading and one trailing
 * newline trimmed, JSON-decoded when the tool's schema gives a non-string type.
 */
import { isRecord, parseToolArguments } from './toolArguments';
import type { JsonSchema, ToolSchema } from './types';

export interface MarkupCall {
  readonly name: string;
  readonly arguments: Record<string, unknown>;
  readonly rawArguments: string;
  readonly parseError?: string;
}

/** Parses the inside of one `<tool_call>` block (or a bare `<function=…>` block). */
export function parseToolCallBlock(block: string, tools: readonly ToolSchema[] = []): MarkupCall[] {
  const body = block.trim();
  if (body.startsWith('{')) {
    const call = parseHermes(body);
    return call ? [call] : [];
  }
  const calls: MarkupCall[] = [];
  const functions = /<function=([^>\n]*)>([\s\S]*?)(?:<\/function>|$)/g;
  for (const match of body.matchAll(functions)) {
    const name = match[1].trim();
    if (name) calls.push(parseXmlFunction(name, match[2], tools));
  }
  return calls;
}

function parseXmlFunction(name: string, body: string, tools: readonly ToolSchema[]): MarkupCall {
  const properties = propertiesOf(tools.find((tool) => tool.name === name));
  const args: Record<string, unknown> = {};
  // A closing tag that lost its `>` (`</parameter` then a newline) still ends the value: vllm#55495.
  const parameters = /<parameter=([^>\n]*)>([\s\S]*?)(?:<\/parameter>?|(?=<parameter=)|$)/g;
  for (const match of body.matchAll(parameters)) {
    const key = match[1].trim();
    if (!key) continue;
    let value = match[2];
    if (value.startsWith('\n')) value = value.slice(1);
    if (value.endsWith('\n')) value = value.slice(0, -1);
    args[key] = convert(value, properties[key]);
  }
  return { name, arguments: args, rawArguments: JSON.stringify(args) };
}

function parseHermes(body: string): MarkupCall | undefined {
  const parsed = parseToolArguments(body, 'tool');
  if (parsed.error) {
    // Keep the call (so the model hears what went wrong) when at least its name is readable.
    const name = /"name"\s*:\s*"([^"]+)"/.exec(body)?.[1];
    return name
      ? { name, arguments: {}, rawArguments: body, parseError: parseToolArguments(body, name).error }
      : undefined;
  }
  const name = parsed.value.name;
  if (typeof name !== 'string' || !name) return undefined;
  // `"arguments": null` is no more an object here than in a native call.
  const given = 'arguments' in parsed.value ? parsed.value.arguments : (parsed.value.parameters ?? {});
  const rawArguments = typeof given === 'string' ? given : JSON.stringify(given);
  const args = parseToolArguments(rawArguments, name);
  return { name, arguments: args.value, rawArguments, ...(args.error ? { parseError: args.error } : {}) };
}

function propertiesOf(tool: ToolSchema | undefined): Record<string, JsonSchema | undefined> {
  const properties = tool?.parameters.properties;
  return isRecord(properties) ? (properties as Record<string, JsonSchema>) : {};
}

function declaredTypes(schema: JsonSchema | undefined): string[] {
  if (!schema) return [];
  const type = schema.type;
  if (typeof type === 'string') return [type];
  if (Array.isArray(type)) return type.filter((t): t is string => typeof t === 'string');
  const variants = [schema.anyOf, schema.oneOf].flatMap((list) => (Array.isArray(list) ? list : []));
  return variants.flatMap((variant) => (isRecord(variant) ? declaredTypes(variant) : []));
}

/** A string stays a string unless the schema asks for something else. */
function convert(value: string, schema: JsonSchema | undefined): unknown {
  const types = declaredTypes(schema);
  if (types.length === 0 || types.includes('string')) return value;
  const trimmed = value.trim();
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    if (types.includes('boolean') && /^(true|false)$/i.test(trimmed)) return trimmed.toLowerCase() === 'true';
    return value;
  }
}
