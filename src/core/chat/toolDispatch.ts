/**
 * The model's tool calls to the agent's tool runner, under the agent mode: the mode decides which
 * tools the model is offered, and a call to one it does not offer (an edit in Plan mode) is
 * refused, not run, in words the model can act on. Each call's card in the view follows the call
 * as it runs; approvals, rules and review are the runner's.
 */
import type { ToolCallRecord } from '../agent/toolRunner';
import { toolCallView } from '../agent/toolRunner';
import type { ModelTurn, ToolCall, ToolSchema } from '../model/types';
import type { StoredMessage } from '../session/session';
import type { ChatEngineDeps } from './chatEngineDeps';

export class ToolDispatch {
  constructor(private readonly deps: Pick<ChatEngineDeps, 'tools' | 'offers' | 'post'>) {}

  /** The tools offered to the model now; undefined without tools. */
  offered(): ToolSchema[] | undefined {
    const offers = this.deps.offers;
    const schemas = this.deps.tools?.schemas;
    return offers ? schemas?.filter((schema) => offers(schema.name)) : schemas;
  }

  /** Runs `turn`'s calls on cards under `reply`; the refused ones come last. Needs the tools. */
  async run(turn: ModelTurn, reply: StoredMessage, signal: AbortSignal): Promise<ToolCallRecord[]> {
    const calls: ToolCallRecord[] = [];
    reply.toolCalls = calls;
    const update = (record: ToolCallRecord) => {
      if (!calls.includes(record)) calls.push(record);
      this.deps.post({
        type: 'toolCall',
        messageId: reply.id,
        call: toolCallView(record),
      });
    };
    // A tool the mode does not offer (an edit in Plan mode) is refused, not run, whatever the model asks.
    const offers = this.deps.offers ?? (() => true);
    const refused = turn.toolCalls.filter((call) => !offers(call.name)).map(refusedCall);
    const records = await this.deps.tools!.run(
      turn.toolCalls.filter((call) => offers(call.name)),
      signal,
      update,
    );
    for (const record of refused) update(record);
    return [...records, ...refused];
  }
}

function refusedCall(call: ToolCall): ToolCallRecord {
  return {
    id: call.id,
    name: call.name,
    rawArguments: call.rawArguments,
    title: call.name,
    status: 'error',
    summary: 'not available in this mode',
    result:
      `Error: ${call.name} is not available in the current mode (Plan mode offers only tools that change ` +
      `nothing). Write the plan instead; the user switches modes to carry it out.`,
  };
}
