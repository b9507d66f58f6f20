/**
 * Driving an MCP tool call through the real chat in the extension host: send a message, answer
 * each approval card as the test says, and read what the local model server was sent back.
 */
import type { QCoderApi } from '../../src/extension';
import type { HostMessage, ToolCallView } from '../../src/core/protocol';
import type { ModelServer, Reply } from '../support/modelServer';
import { toolCallEvents } from '../support/toolCallStream';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A scripted model turn that calls one tool. */
export function callTurn(name: string, id: string, args: Record<string, unknown>): Reply {
  return { kind: 'raw', events: toolCallEvents([{ name, id, args }]) };
}

/** Sends `text` and answers the card of each call id with `answers[id]`; returns the cards shown. */
export async function sendAnswering(
  api: QCoderApi,
  text: string,
  answers: Record<string, string>,
): Promise<ToolCallView[]> {
  const posted: HostMessage[] = [];
  const listener = api.onDidPostMessage((message) => posted.push(message));
  const shown: ToolCallView[] = [];
  try {
    const sent = api.chat.send(text);
    let settled = false;
    void sent.finally(() => (settled = true));
    const answered = new Set<string>();
    while (!settled) {
      for (const message of posted)
        if (message.type === 'toolCall' && message.call.prompt && !answered.has(message.call.id)) {
          answered.add(message.call.id);
          shown.push(message.call);
          await api.chat.handle({ type: 'promptAnswer', callId: message.call.id, choice: answers[message.call.id] });
        }
      await sleep(25);
    }
    await sent;
    await api.chat.idle();
    return shown;
  } finally {
    listener.dispose();
  }
}

type SentMessage = { role: string; tool_call_id?: string; content: unknown };

/** What the model server was told as the result of call `callId`. */
export function resultFor(model: ModelServer, callId: string): string | undefined {
  for (const request of model.requests)
    for (const message of request.body.messages as SentMessage[])
      if (message.role === 'tool' && message.tool_call_id === callId) return String(message.content);
  return undefined;
}

/** The messages of the first request that carried the result of `callId`. */
export function requestWith(model: ModelServer, callId: string): SentMessage[] | undefined {
  return model.requests
    .map((request) => request.body.messages as SentMessage[])
    .find((messages) => messages.some((message) => message.tool_call_id === callId));
}

export async function waitFor(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}
