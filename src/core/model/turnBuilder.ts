/**
 * Turns the chunks of a chat-completions stream (as the `openai` package parses them)
 * into events and, at the end, one `ModelTurn`. It absorbs the ways servers differ:
 * tool-call deltas with or without ids and indexes, arguments split anywhere or sent
 * whole, `reasoning_content` or `reasoning`, usage in the last chunk, in every chunk or
 * not at all, errors sent as a chunk, and the many spellings of a finish reason.
 */
import { MarkupFilter, type MarkupSink } from './markupFilter';
import type { MarkupCall } from './qwenToolCalls';
import { isRecord, parseToolArguments } from './toolArguments';
import type { FinishReason, ModelTurn, StreamEvent, ToolCall, ToolSchema, Usage } from './types';

interface PendingCall {
  index: number;
  id: string;
  name: string;
  args: string;
}

/** An error the server reported inside the stream (OpenRouter, LM Studio, vLLM, `event: error`). */
export interface StreamFailure {
  readonly message: string;
  readonly code?: string | number;
}

type Json = Record<string, unknown>;

export class TurnBuilder {
  private events: StreamEvent[] = [];
  /** How many of the filter's visible pieces have gone out as events. */
  private flushed = 0;
  private reasoning = '';
  private readonly calls: PendingCall[] = [];
  private readonly markupCalls: MarkupCall[] = [];
  private usage: Usage | undefined;
  private rawFinish: string | undefined;
  private completionId = '';
  private chunks = 0;
  private readonly filter: MarkupFilter;
  private readonly sink: MarkupSink;
  private closed = false;
  failure: StreamFailure | undefined;

  constructor(tools: readonly ToolSchema[] = []) {
    this.filter = new MarkupFilter(tools);
    this.sink = {
      reasoning: (text) => this.pushReasoning(text),
      call: (call) => this.markupCalls.push(call),
    };
  }

  /** The events gathered since the last call; consecutive text is merged into one event. */
  take(): StreamEvent[] {
    this.flushText();
    const events = this.events;
    this.events = [];
    return events;
  }

  /** One chunk of the stream, parsed. */
  chunk(chunk: unknown): void {
    if (!isRecord(chunk)) return;
    this.chunks++;
    this.applyChunk(chunk, 'delta');
  }

  /** A whole (non-streamed) completion, for servers that answer `stream: true` with plain JSON. */
  completion(body: unknown): void {
    if (isRecord(body)) this.applyChunk(body, 'message');
    this.close();
    this.chunks++;
  }

  /**
   * The HTTP body ended cleanly. The `openai` package keeps `[DONE]` to itself, so a body that
   * ended normally (a cut one is an error) is the server saying it is done.
   */
  close(): void {
    this.closed = true;
  }

  /** The stream is over: let go of held-back text. */
  end(): void {
    this.filter.end(this.sink, this.calls.length > 0);
  }

  /** Text or reasoning has arrived: from here on a retry would show it twice. */
  get started(): boolean {
    return this.filter.pieces.length > 0 || this.reasoning !== '';
  }

  get finished(): boolean {
    if (this.rawFinish !== undefined) return this.rawFinish !== 'error';
    return this.closed && this.chunks > 0;
  }

  get lastUsage(): Usage | undefined {
    return this.usage;
  }

  get finishReason(): FinishReason {
    return normalizeFinish(this.rawFinish, this.calls.length + this.markupCalls.length > 0);
  }

  turn(incomplete = false): ModelTurn {
    const prefix = `call_${(this.completionId || randomId()).replace(/[^A-Za-z0-9_-]/g, '_')}_`;
    const seen = new Set<string>();
    const toolCalls: ToolCall[] = [];
    const all: MarkupCall[] = [
      ...[...this.calls]
        .sort((a, b) => a.index - b.index)
        .map((call) => ({ name: call.name, rawArguments: call.args, id: call.id, ...parsed(call) })),
      ...this.markupCalls,
    ];
    for (const call of all) {
      let id = ('id' in call && typeof call.id === 'string' && call.id) || `${prefix}${toolCalls.length}`;
      if (seen.has(id)) id = `${id}_${toolCalls.length}`;
      seen.add(id);
      const parseError = this.refusal(call, incomplete);
      toolCalls.push({
        id,
        name: call.name,
        arguments: call.arguments,
        rawArguments: call.rawArguments,
        ...(parseError ? { parseError } : {}),
      });
    }
    return {
      text: this.filter.pieces.join(''),
      reasoning: this.reasoning,
      toolCalls,
      ...(this.usage ? { usage: this.usage } : {}),
      finishReason: incomplete ? 'dropped' : this.finishReason,
      ...(incomplete ? { incomplete: true } : {}),
    };
  }

  /** Why a call must not run, worded for the model; undefined when it may. */
  private refusal(call: MarkupCall, incomplete: boolean): string | undefined {
    const name = call.name || 'tool';
    if (incomplete) return `The answer broke off before the ${name} call was complete, so it was not run.`;
    // The token limit cut the answer: whatever parses may be a prefix of what was meant (cline#9165).
    if (this.finishReason === 'length')
      return (
        `The answer reached the output token limit before the ${name} call was complete, so it was not run. ` +
        `Send the call again${call.name === 'write_file' ? ', in smaller parts if it is long' : ''}.`
      );
    return call.parseError ?? (call.name ? undefined : 'The tool call has no function name. Say which tool to call.');
  }

  private applyChunk(chunk: Json, field: 'delta' | 'message'): void {
    if (typeof chunk.id === 'string' && !this.completionId) this.completionId = chunk.id;
    const error = readFailure(chunk.error) ?? errorChunk(chunk);
    if (error) this.failure = error;
    const usage = readUsage(chunk.usage) ?? readTimings(chunk.timings, this.usage);
    if (usage) this.usage = usage;
    const choices = Array.isArray(chunk.choices) ? chunk.choices : [];
    for (const choice of choices) {
      if (!isRecord(choice) || (typeof choice.index === 'number' && choice.index !== 0)) continue;
      const delta = isRecord(choice[field]) ? (choice[field] as Json) : {};
      const reasoning = typeof delta.reasoning_content === 'string' ? delta.reasoning_content : delta.reasoning;
      if (typeof reasoning === 'string' && reasoning) this.pushReasoning(reasoning);
      if (typeof delta.content === 'string' && delta.content) this.filter.push(delta.content, this.sink);
      const toolCalls = Array.isArray(delta.tool_calls) ? delta.tool_calls : [];
      for (const call of toolCalls) if (isRecord(call)) this.toolDelta(call);
      if (isRecord(delta.function_call)) this.toolDelta({ index: 0, function: delta.function_call });
      if (typeof choice.finish_reason === 'string' && choice.finish_reason) this.rawFinish = choice.finish_reason;
    }
  }

  private toolDelta(delta: Json): void {
    const fn = isRecord(delta.function) ? delta.function : {};
    const id = typeof delta.id === 'string' && delta.id ? delta.id : undefined;
    const name = typeof fn.name === 'string' ? fn.name : '';
    const last = this.calls.at(-1);
    let call: PendingCall | undefined;
    if (typeof delta.index === 'number') {
      call = this.calls.find((c) => c.index === delta.index);
      // Some servers put every call at index 0 and tell them apart by id only.
      if (call && id && call.id && call.id !== id) call = undefined;
    } else if (id) {
      call = this.calls.find((c) => c.id === id);
    } else {
      // No index, no id (older Ollama): a new name after a complete call starts a new call.
      call = name && last?.name && last.args ? undefined : last;
    }
    if (!call) {
      const taken = new Set(this.calls.map((c) => c.index));
      let index = typeof delta.index === 'number' && !taken.has(delta.index) ? delta.index : this.calls.length;
      while (taken.has(index)) index++;
      call = { index, id: '', name: '', args: '' };
      this.calls.push(call);
    }
    if (id && !call.id) call.id = id;
    if (name && call.name !== name) call.name += name;
    if (typeof fn.arguments === 'string') call.args += fn.arguments;
    else if (isRecord(fn.arguments)) call.args = JSON.stringify(fn.arguments);
  }

  /** Visible text since the last event becomes one text event. */
  private flushText(): void {
    if (this.filter.pieces.length === this.flushed) return;
    const text = this.filter.compact(this.flushed);
    this.flushed = this.filter.pieces.length;
    this.events.push({ type: 'text', text });
  }

  private pushReasoning(text: string): void {
    this.flushText();
    this.reasoning += text;
    const last = this.events.at(-1);
    if (last?.type === 'reasoning') last.text += text;
    else this.events.push({ type: 'reasoning', text });
  }
}

function parsed(call: PendingCall): { arguments: Record<string, unknown>; parseError?: string } {
  const result = parseToolArguments(call.args, call.name);
  return result.error ? { arguments: result.value, parseError: result.error } : { arguments: result.value };
}

export function normalizeFinish(raw: string | undefined, hasCalls: boolean): FinishReason {
  switch (raw) {
    case 'length':
    case 'max_tokens':
      return 'length';
    case 'content_filter':
      return 'content_filter';
    case 'tool_calls':
    case 'function_call':
    case 'tool_use':
      return 'tool_calls';
    default:
      // stop, eos (old TGI / llama.cpp), end_turn, or none at all before [DONE].
      return hasCalls ? 'tool_calls' : 'stop';
  }
}

function readUsage(value: unknown): Usage | undefined {
  if (!isRecord(value)) return undefined;
  const prompt = value.prompt_tokens;
  const completion = value.completion_tokens;
  if (typeof prompt !== 'number' && typeof completion !== 'number') return undefined;
  return {
    promptTokens: typeof prompt === 'number' ? prompt : 0,
    completionTokens: typeof completion === 'number' ? completion : 0,
  };
}

/** llama.cpp's `timings`, when the server sent no `usage` (older builds). */
function readTimings(value: unknown, usage: Usage | undefined): Usage | undefined {
  if (usage || !isRecord(value) || typeof value.predicted_n !== 'number') return undefined;
  const prompt =
    (typeof value.prompt_n === 'number' ? value.prompt_n : 0) + (typeof value.cache_n === 'number' ? value.cache_n : 0);
  return { promptTokens: prompt, completionTokens: value.predicted_n };
}

function readFailure(value: unknown): StreamFailure | undefined {
  if (typeof value === 'string' && value) return { message: value };
  if (!isRecord(value)) return undefined;
  const message = typeof value.message === 'string' ? value.message : JSON.stringify(value);
  const code = typeof value.code === 'string' || typeof value.code === 'number' ? value.code : undefined;
  return code === undefined ? { message } : { message, code };
}

/**
 * A chunk that is an error and nothing else: what `event: error` carries without an `error` field,
 * or vLLM's `{"object":"error","message":…}`. (A chunk with an `error` field the `openai` package throws.)
 */
function errorChunk(chunk: Json): StreamFailure | undefined {
  if (Array.isArray(chunk.choices) || isRecord(chunk.usage)) return undefined;
  if (chunk.object !== 'error' && chunk.type !== 'error' && typeof chunk.message !== 'string') return undefined;
  return readFailure(typeof chunk.message === 'string' ? chunk : JSON.stringify(chunk));
}

function randomId(): string {
  return `qc${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}
