/**
 * What an OpenAI-compatible server refuses in a chat request, as vLLM and the OpenAI API do:
 * the suite's server answers 400 to a request that breaks one of these, so a conversation the
 * agent left malformed shows up as a next request the server did not accept.
 */
type Json = Record<string, unknown>;
const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const NAME = /^[a-zA-Z0-9_-]{1,64}$/;

/** Why a server would refuse `body`, or undefined when it would take it. */
export function requestProblem(body: unknown): string | undefined {
  if (!isRecord(body) || !Array.isArray(body.messages) || body.messages.length === 0) return 'no messages';
  for (const tool of Array.isArray(body.tools) ? body.tools : []) {
    const name = isRecord(tool) && isRecord(tool.function) ? tool.function.name : undefined;
    if (typeof name !== 'string' || !NAME.test(name)) return `tool name ${JSON.stringify(name)} is not allowed`;
  }
  let open = new Set<string>();
  for (const [i, message] of body.messages.entries()) {
    if (!isRecord(message)) return `messages[${i}] is not an object`;
    if (message.role === 'tool') {
      const id = message.tool_call_id;
      if (typeof id !== 'string' || !open.delete(id)) return `messages[${i}] answers no open tool call (${String(id)})`;
      if (typeof message.content !== 'string') return `messages[${i}] has no content`;
      continue;
    }
    if (open.size) return `tool calls ${[...open].join(', ')} have no tool message before messages[${i}]`;
    if (message.role !== 'assistant') {
      if (!['system', 'user'].includes(String(message.role))) return `messages[${i}] has role ${String(message.role)}`;
      continue;
    }
    const calls = message.tool_calls;
    if (calls === undefined) {
      if (typeof message.content !== 'string') return `messages[${i}] has neither content nor tool calls`;
      continue;
    }
    if (!Array.isArray(calls) || calls.length === 0) return `messages[${i}].tool_calls is empty`;
    open = new Set();
    for (const call of calls) {
      const problem = callProblem(call);
      if (problem) return `messages[${i}]: ${problem}`;
      const id = (call as { id: string }).id;
      if (open.has(id)) return `messages[${i}]: tool call id ${id} is used twice`;
      open.add(id);
    }
  }
  return open.size ? `tool calls ${[...open].join(', ')} have no tool message` : undefined;
}

function callProblem(call: unknown): string | undefined {
  if (!isRecord(call) || typeof call.id !== 'string' || call.id === '') return 'a tool call has no id';
  if (call.type !== 'function' || !isRecord(call.function)) return `tool call ${call.id} is not a function call`;
  const { name, arguments: args } = call.function;
  if (typeof name !== 'string' || !NAME.test(name)) return `tool call ${call.id} has the name ${JSON.stringify(name)}`;
  if (typeof args !== 'string') return `tool call ${call.id} has no arguments string`;
  try {
    // vLLM decodes the arguments of every earlier call to render the chat template.
    if (!isRecord(JSON.parse(args))) return `tool call ${call.id} has arguments that are not an object`;
  } catch {
    return `tool call ${call.id} has arguments that are not JSON: ${args.slice(0, 80)}`;
  }
  return undefined;
}
