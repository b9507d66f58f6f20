/** Builds the SSE payloads of an assistant turn that calls tools, as OpenAI-compatible servers stream them. */
export function toolCallEvents(calls: { name: string; args: unknown; id?: string }[], text = ''): string[] {
  const base = { id: 'chatcmpl-tools', object: 'chat.completion.chunk', created: 0, model: 'test-model' };
  const events: string[] = [
    JSON.stringify({
      ...base,
      choices: [{ index: 0, delta: { role: 'assistant', content: text || null }, finish_reason: null }],
    }),
  ];
  calls.forEach((call, index) => {
    const args = typeof call.args === 'string' ? call.args : JSON.stringify(call.args);
    const half = Math.floor(args.length / 2);
    events.push(
      JSON.stringify({
        ...base,
        choices: [
          {
            index: 0,
            delta: {
              tool_calls: [
                {
                  index,
                  id: call.id ?? `call_${index}`,
                  type: 'function',
                  function: { name: call.name, arguments: args.slice(0, half) },
                },
              ],
            },
            finish_reason: null,
          },
        ],
      }),
    );
    events.push(
      JSON.stringify({
        ...base,
        choices: [
          {
            index: 0,
            delta: { tool_calls: [{ index, function: { arguments: args.slice(half) } }] },
            finish_reason: null,
          },
        ],
      }),
    );
  });
  events.push(JSON.stringify({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] }));
  events.push('[DONE]');
  return events;
}
