/**
 * When the model's server still refuses the tool definitions (a schema keyword the reduction
 * kept that this server does not take), the user is told which MCP server and tool to look at:
 * the server's own text rarely names the tool (llama.cpp quotes the offending sub-schema,
 * vLLM and Ollama quote nothing of it).
 */
import type { OfferedTool } from './manager';

/** The refusals of the servers that convert tool schemas to grammars, as they word them. */
const SCHEMA_REFUSAL = new RegExp(
  [
    /JSON schema conversion failed|Unrecognized schema|failed to parse grammar|not supported by xgrammar/,
    /cannot unmarshal [^"]*tools|Invalid tool schema|JSON Schema not supported|Failed to parse tools/,
  ]
    .map((part) => part.source)
    .join('|'),
  'i',
);

/** The explanation to add to a refused request's error, or undefined when it is not about MCP tool schemas. */
export function explainToolRefusal(message: string, offered: readonly OfferedTool[]): string | undefined {
  if (offered.length === 0 || !SCHEMA_REFUSAL.test(message)) return undefined;
  const suspects = offered.filter((tool) => mentions(message, tool));
  const named = (suspects.length > 0 ? suspects : offered).slice(0, 5);
  const list = named.map((tool) => `"${tool.tool}" of the MCP server "${tool.server}"`).join(', ');
  const more =
    suspects.length === 0 && offered.length > named.length ? ` and ${offered.length - named.length} more` : '';
  const which = suspects.length > 0 ? `The tool it refused: ${list}.` : `MCP tools offered: ${list}${more}.`;
  return (
    `The model server refused the definition of an MCP tool. ${which} ` +
    'Disable that server in QCoder: MCP Servers… (or fix its schema) and send the message again.'
  );
}

/** The error text names the tool or quotes one of its own descriptions. */
function mentions(message: string, tool: OfferedTool): boolean {
  if (message.includes(tool.name)) return true;
  return descriptions(tool.parameters).some((text) => text.length >= 8 && message.includes(JSON.stringify(text)));
}

function descriptions(schema: unknown): string[] {
  if (typeof schema !== 'object' || schema === null) return [];
  const own = (schema as Record<string, unknown>).description;
  const nested = Object.values(schema).flatMap((value) => descriptions(value));
  return typeof own === 'string' ? [own, ...nested] : nested;
}
