/**
 * The messages for each model request of an answer. The system prompt is read at the answer's
 * first request and kept through its tool loop, so it does not change in the middle of a task.
 * The context provider chooses what goes into the window (its ledger goes
 * to the view, its notes into the chat); without one the whole conversation is sent.
 */
import { promptParts, type SystemPromptParts } from '../instructions/prompt';
import type { ModelClient } from '../model/client';
import { ModelError } from '../model/errors';
import type { ChatEngineDeps } from './chatEngineDeps';
import { type ExtraContext, plainMessages, type PreparedRequest } from './contextProvider';
import { parseMentions } from './mentions';
import { modelMessages } from './modelMessages';
import { summarise } from './summarise';
import type { ToolDispatch } from './toolDispatch';
import type { Transcript } from './transcript';

export class RequestBuilder {
  /** The system prompt of the message being answered: read at its first request, kept through the tool loop. */
  private prompt: SystemPromptParts | undefined;

  constructor(
    private readonly deps: Pick<ChatEngineDeps, 'sessions' | 'context' | 'systemPrompt' | 'post'>,
    private readonly transcript: Transcript,
    private readonly tools: ToolDispatch,
  ) {}

  /** The request for model call `step` (1 for the first of the answer); throws if stopped meanwhile. */
  async prepare(
    client: ModelClient,
    step: number,
    signal: AbortSignal,
    extra?: ExtraContext,
  ): Promise<PreparedRequest> {
    if (step === 1 || !this.prompt) this.prompt = promptParts(await this.deps.systemPrompt(client.model));
    const { prompt } = this;
    const system = prompt.text;
    const history = modelMessages(this.deps.sessions.active.messages);
    const context = this.deps.context;
    if (!context) return { messages: plainMessages(system, history), notes: [] };
    const text =
      [...this.deps.sessions.active.messages].reverse().find((message) => message.role === 'user')?.content ?? '';
    const tools = this.tools.offered();
    const prepared = await context.prepare({
      text,
      mentions: parseMentions(text),
      extra,
      system,
      instructions: prompt.instructions,
      tools: tools?.length ? tools : undefined,
      history,
      step,
      model: client.model,
      baseUrl: client.baseUrl,
      summarise: (messages, abort) => summarise(client, messages, abort ?? signal),
      signal,
    });
    if (signal.aborted) throw new ModelError('aborted', 'stopped');
    for (const note of prepared.notes) this.transcript.note(note);
    if (prepared.ledger) this.deps.post({ type: 'ledger', ledger: prepared.ledger });
    return prepared;
  }
}
