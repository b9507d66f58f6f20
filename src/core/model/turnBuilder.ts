/**
 * Turns the `data:` payloads of a chat-completions stream into events and, at the
 * end, one `ModelTurn`. It absorbs the ways servers differ: tool-call deltas with
 * or without ids and indexes, arguments split anywhere or sent whole, `reasoning_content`
 * or `reasoning`, usage in the last chunk, in every chunk or not at all, and the
 * many spellings of a finish reason.
 */
import { ContentFastPath, LONGEST_PATTERN_MATCH, unescapeJson } from './contentFastPath';
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

/** An error the server reported inside the stream (OpenRouter, LM Studio, `event: error`). */
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
  private readonly filter: MarkupFilter;
  private readonly sink: MarkupSink;
  private readonly fast = new ContentFastPath();
  /**
   * Content taken by the fast path and not yet given to the filter, still escaped:
   * joined and unescaped once per network read rather than once per delta.
   */
  private literals: string[] = [];
  /** The server said `[DONE]`. */
  done = false;
  /** Payloads that were not JSON. */
  malformed = 0;
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
    this.flushLiterals();
    this.flushText();
    const events = this.events;
    this.events = [];
    return events;
  }

  /** For `SseDecoder.push`: takes a plain content chunk straight from the decoder's buffer. */
  readonly claim = (input: string, start: number, end: number): boolean => {
    const literal = this.fast.literal(input, start, end);
    if (literal !== undefined) {
      this.literals.push(literal);
      return true;
    }
    if (end - start <= LONGEST_PATTERN_MATCH) return false;
    const content = this.fast.match(input, start, end);
    if (content === undefined) return false;
    this.flushLiterals();
    this.filter.push(content, this.sink);
    return true;
  };

  /** For `SseDecoder.push`: takes a run of plain content events straight from the decoder's buffer. */
  readonly claimRun = (input: string, start: number): number => this.fast.run(input, start, this.takeLiterals);

  private readonly takeLiterals = (literals: string): void => {
    this.literals.push(literals);
  };

  /** One SSE `data:` payload. */
  data(payload: string, event?: string): void {
    this.flushLiterals();
    const content = this.fast.match(payload, 0, payload.length);
    if (content !== undefined) {
      this.filter.push(content, this.sink);
      return;
    }
    if (payload === '[DONE]') {
      this.done = true;
      return;
    }
    let chunk: unknown;
    try {
      chunk = JSON.parse(payload);
    } catch {
      this.malformed++;
      return;
    }
    if (!isRecord(chunk)) return;
    if (event === 'error' && !chunk.error) chunk = { error: chunk };
    if (this.applyChunk(chunk as Json, 'delta'))
      this.fast.learn(payload, (chunk as { choices: [{ delta: { content: string } }] }).choices[0].delta.content);
  }

  /** A whole (non-streamed) completion, for servers that answer `stream: true` with plain JSON. */
  completion(body: unknown): void {
    this.flushLiterals();
    if (isRecord(body)) this.applyChunk(body, 'message');
    this.done = true;
  }

  /** The stream is over: let go of held-back text. */
  end(): void {
    this.flushLiterals();
    this.filter.end(this.sink);
  }

  /** Text or reasoning has arrived: from here on a retry would show it twice. */
  get started(): boolean {
    this.flushLiterals();
    return this.filter.pieces.length > 0 || this.reasoning !== '';
  }

  get finished(): boolean {
    return this.done || (this.rawFinish !== undefined && this.rawFinish !== 'error');
  }

  get lastUsage(): Usage | undefined {
    return this.usage;
  }

  get finishReason(): FinishReason {
    return normalizeFinish(this.rawFinish, this.calls.length + this.markupCalls.length > 0);
  }

  turn(incomplete = false): ModelTurn {
    this.flushLiterals();
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
      const parseError = incomplete
        ? `The answer broke off before the ${call.name || 'tool'} call was complete, so it was not run.`
        : (call.parseError ?? (call.name ? undefined : 'The tool call has no function name. Say which tool to call.'));
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

  /** Returns true when the chunk carried nothing but visible content (the fast path can learn it). */
  private applyChunk(chunk: Json, field: 'delta' | 'message'): boolean {
    if (typeof chunk.id === 'string' && !this.completionId) this.completionId = chunk.id;
    const error = readFailure(chunk.error);
    if (error) this.failure = error;
    const usage = readUsage(chunk.usage) ?? readTimings(chunk.timings, this.usage);
    if (usage) this.usage = usage;
    const choices = Array.isArray(chunk.choices) ? chunk.choices : [];
    let contentOnly = !error && !usage && choices.length === 1;
    for (const choice of choices) {
      if (!isRecord(choice) || (typeof choice.index === 'number' && choice.index !== 0)) {
        contentOnly = false;
        continue;
      }
      const delta = isRecord(choice[field]) ? (choice[field] as Json) : {};
      const reasoning = typeof delta.reasoning_content === 'string' ? delta.reasoning_content : delta.reasoning;
      if (typeof reasoning === 'string' && reasoning) {
        this.pushReasoning(reasoning);
        contentOnly = false;
      }
      if (typeof delta.content === 'string' && delta.content) this.filter.push(delta.content, this.sink);
      else contentOnly = false;
      const toolCalls = Array.isArray(delta.tool_calls) ? delta.tool_calls : [];
      for (const call of toolCalls) if (isRecord(call)) this.toolDelta(call);
      if (isRecord(delta.function_call)) this.toolDelta({ index: 0, function: delta.function_call });
      if (toolCalls.length || delta.function_call) contentOnly = false;
      if (typeof choice.finish_reason === 'string' && choice.finish_reason) {
        this.rawFinish = choice.finish_reason;
        contentOnly = false;
      }
    }
    return contentOnly;
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

  /** Gives the content the fast path took to the filter, in one piece. */
  private flushLiterals(): void {
    const literals = this.literals;
    if (literals.length === 0) return;
    this.literals = [];
    const joined = literals.length === 1 ? literals[0] : literals.join('');
    // Every escape in a literal is whole (the fast path checks), so the joined literals unescape as one.
    const content = joined.indexOf('\\') < 0 ? joined : unescapeLiteral(joined);
    this.filter.push(content, this.sink);
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

/** The inside of a JSON string literal whose escapes are all valid. */
function unescapeLiteral(inner: string): string {
  try {
    return JSON.parse(`"${inner}"`) as string;
  } catch {
    // Unescaped control characters, which JSON.parse refuses and the fast path lets through.
    return unescapeJson(inner) ?? inner;
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

function randomId(): string {
  return `qc${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}
