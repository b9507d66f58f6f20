/**
 * One completion at the cursor, frugally: a cached answer (also one the user is typing
 * through) first, then a wait that adapts to the typing rhythm and the server, then one
 * request that the next keystroke aborts. Which FIM form the endpoint speaks is found on the
 * first request and remembered; a server that speaks none is told once and asked no more.
 */
import type { TokenCounter } from '../context/tokens/tokenCounter';
import { ModelError } from '../model/errors';
import { CompletionCache } from './cache';
import { AdaptiveDebounce } from './debounce';
import { type FimDialect, type FimEndpoint, type FimQuery, isUnsupported } from './fimClient';
import { type Snippet, speaksQwenFim } from './fimFormat';
import { type CursorContext, isMidLine, postProcess } from './postProcess';
import { buildPrompt, type PackedPrompt } from './promptBuilder';
import { inCommentOrString } from './syntaxPosition';

export interface CompletionRequest {
  /** Identifies the document (its URI). */
  readonly document: string;
  readonly languageId: string;
  readonly repoName: string;
  /** Workspace-relative path of the document. */
  readonly path: string;
  readonly prefix: string;
  readonly suffix: string;
  /** Related files; asked only when a request is going to be sent. */
  readonly snippets: () => Promise<readonly Snippet[]>;
}

export interface CompleterSettings {
  readonly maxPromptTokens: number;
  readonly maxLines: number;
  readonly inCommentsAndStrings: boolean;
  /** `auto`, or the one FIM form to use. */
  readonly format: 'auto' | FimDialect;
}

export type NoneReason = 'cancelled' | 'empty' | 'comment' | 'unsupported' | 'rate-limited' | 'error';

export interface Timing {
  /** From the call to the request leaving, without the debounce wait. */
  readonly prepareMs: number;
  readonly serverMs: number;
  /** From the answer to the text returned. */
  readonly finishMs: number;
}

export type Outcome =
  | {
      readonly kind: 'completion';
      readonly text: string;
      readonly source: 'cache' | 'server';
      readonly timing?: Timing;
    }
  | { readonly kind: 'none'; readonly reason: NoneReason; readonly detail?: string };

export type CompleterState = 'idle' | 'in-flight' | NoneReason;

/** Sends one FIM request; `FimHttp` in the product, a fake in unit tests. */
export type FimSender = (dialect: FimDialect, query: FimQuery) => Promise<string>;

export interface ResolvedEndpoint extends FimEndpoint {
  readonly send: FimSender;
}

export interface CompleterDeps {
  /** Where requests go, or why none can go. */
  readonly endpoint: () => Promise<ResolvedEndpoint | { readonly problem: string }>;
  readonly counter: (model: string) => Promise<TokenCounter>;
  readonly settings: () => CompleterSettings;
  /** Remembered FIM forms per endpoint (across windows). */
  readonly dialects: DialectStore;
  readonly now?: () => number;
  /** Resolves true after `ms`, false as soon as `signal` aborts. */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<boolean>;
  readonly onState?: (state: CompleterState, detail?: string) => void;
  /** Called once per endpoint that does no FIM. */
  readonly onUnsupported?: (server: string) => void;
  /** The wait before a request (the bench passes one that never waits, as a baseline). */
  readonly debounce?: AdaptiveDebounce;
}

export interface DialectStore {
  get(endpoint: string): FimDialect | undefined;
  set(endpoint: string, dialect: FimDialect): void;
}

const RATE_LIMIT_PAUSE_MS = 30_000;

export class Completer {
  readonly cache = new CompletionCache();
  readonly debounce: AdaptiveDebounce;
  private inFlight: AbortController | undefined;
  private blockedUntil = 0;
  /** Endpoints found to do no FIM in this window (not stored: the server may be upgraded). */
  private readonly noFim = new Set<string>();
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<boolean>;

  constructor(private readonly deps: CompleterDeps) {
    this.now = deps.now ?? (() => performance.now());
    this.debounce = deps.debounce ?? new AdaptiveDebounce();
    this.sleep = deps.sleep ?? abortableSleep;
  }

  /** Forgets what was learnt about servers (the user turned completions on again, or changed the endpoint). */
  reset(): void {
    this.noFim.clear();
    this.blockedUntil = 0;
    this.cache.clear();
  }

  async complete(request: CompletionRequest, signal: AbortSignal): Promise<Outcome> {
    const entered = this.now();
    this.debounce.keystroke(entered);
    this.inFlight?.abort();
    const cached = this.cache.get(request.document, request.prefix, request.suffix);
    if (cached !== undefined) return cached ? { kind: 'completion', text: cached, source: 'cache' } : none('empty');
    const settings = this.deps.settings();
    if (!settings.inCommentsAndStrings && inCommentOrString(request.prefix, request.languageId)) return none('comment');
    if (this.now() < this.blockedUntil) return this.report(none('rate-limited'));
    const controller = new AbortController();
    this.inFlight = controller;
    const onAbort = () => controller.abort();
    signal.addEventListener('abort', onAbort);
    try {
      const checked = this.now() - entered;
      if (!(await this.sleep(this.debounce.delayMs(), controller.signal))) return none('cancelled');
      return await this.request(request, settings, controller.signal, checked);
    } finally {
      signal.removeEventListener('abort', onAbort);
      if (this.inFlight === controller) this.inFlight = undefined;
    }
  }

  private async request(
    request: CompletionRequest,
    settings: CompleterSettings,
    signal: AbortSignal,
    checkedMs: number,
  ): Promise<Outcome> {
    const started = this.now();
    const endpoint = await this.deps.endpoint();
    if ('problem' in endpoint) return this.report(none('error', endpoint.problem));
    const key = `${endpoint.baseUrl}\n${endpoint.model}`;
    if (this.noFim.has(key)) return this.report(none('unsupported'));
    const counter = await this.deps.counter(endpoint.model);
    const prompt = buildPrompt({
      ...request,
      snippets: await request.snippets(),
      budget: settings.maxPromptTokens,
      counter,
    });
    if (signal.aborted) return none('cancelled');
    const cursor = cursorContext(request, settings.maxLines);
    const singleLine = isMidLine(cursor.lineSuffix);
    const query: FimQuery = {
      prompt,
      maxTokens: singleLine ? 64 : Math.min(512, settings.maxLines * 24),
      singleLine,
      signal,
    };
    const sent = this.now();
    this.deps.onState?.('in-flight');
    const answer = await this.ask(endpoint, key, settings, query);
    const answered = this.now();
    if (answer.kind === 'none') return this.report(answer);
    this.debounce.answered(answered - sent);
    const text = postProcess(answer.text, cursor);
    this.cache.put(request.document, request.prefix, request.suffix, text);
    const timing = {
      prepareMs: checkedMs + (sent - started),
      serverMs: answered - sent,
      finishMs: this.now() - answered,
    };
    this.deps.onState?.('idle');
    return text ? { kind: 'completion', text, source: 'server', timing } : none('empty');
  }

  /** The remembered form, or each form in turn until one is understood. */
  private async ask(
    endpoint: ResolvedEndpoint,
    key: string,
    settings: CompleterSettings,
    query: FimQuery,
  ): Promise<{ kind: 'text'; text: string } | Extract<Outcome, { kind: 'none' }>> {
    const remembered = settings.format === 'auto' ? this.deps.dialects.get(key) : settings.format;
    const detected = candidates(endpoint.model, endpoint.baseUrl).filter((dialect) => dialect !== remembered);
    // A remembered form is tried first; if the server no longer
    // speaks it (another server on the same URL), detect again.
    const forms = settings.format === 'auto' ? [...(remembered ? [remembered] : []), ...detected] : [settings.format];
    for (const dialect of forms) {
      try {
        const text = await endpoint.send(dialect, query);
        if (dialect !== remembered) this.deps.dialects.set(key, dialect);
        return { kind: 'text', text };
      } catch (error) {
        if (query.signal.aborted || (error instanceof ModelError && error.kind === 'aborted')) return none('cancelled');
        if (isUnsupported(error) && settings.format === 'auto') continue;
        return this.failed(error);
      }
    }
    this.noFim.add(key);
    this.deps.onUnsupported?.(endpoint.baseUrl);
    return none('unsupported');
  }

  private failed(error: unknown): Extract<Outcome, { kind: 'none' }> {
    if (error instanceof ModelError && error.kind === 'rate-limit') {
      this.blockedUntil = this.now() + (error.retryAfterMs ?? RATE_LIMIT_PAUSE_MS);
      return none('rate-limited', error.message);
    }
    return none('error', error instanceof Error ? error.message : String(error));
  }

  private report(outcome: Extract<Outcome, { kind: 'none' }>): Outcome {
    this.deps.onState?.(outcome.reason, outcome.detail);
    return outcome;
  }
}

/**
 * Qwen coder models get their own repo-level prompt first; every server may also offer llama.cpp's
 * /infill. Ollama (port 11434) wraps a suffix-less prompt in the chat template, so it gets `suffix`.
 */
export function candidates(model: string, baseUrl = ''): FimDialect[] {
  const ollama = /:11434(\/|$)/.test(baseUrl);
  return speaksQwenFim(model) && !ollama ? ['qwen', 'suffix', 'infill'] : ['suffix', 'infill'];
}

export function cursorContext(request: Pick<CompletionRequest, 'prefix' | 'suffix'>, maxLines: number): CursorContext {
  const lineStart = request.prefix.lastIndexOf('\n') + 1;
  const lineEnd = request.suffix.indexOf('\n');
  const after = lineEnd < 0 ? '' : request.suffix.slice(lineEnd + 1, lineEnd + 1 + 4000);
  return {
    linePrefix: request.prefix.slice(lineStart),
    lineSuffix: lineEnd < 0 ? request.suffix : request.suffix.slice(0, lineEnd),
    nextLines: after.split('\n').slice(0, 8),
    maxLines,
  };
}

function none(reason: NoneReason, detail?: string): Extract<Outcome, { kind: 'none' }> {
  return detail === undefined ? { kind: 'none', reason } : { kind: 'none', reason, detail };
}

export function abortableSleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (value: boolean) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(value);
    };
    const onAbort = () => done(false);
    const timer = setTimeout(() => done(true), ms);
    signal.addEventListener('abort', onAbort);
  });
}

export type { PackedPrompt };
