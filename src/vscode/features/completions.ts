/**
 * Inline completions: fill-in-the-middle ghost text for every language, from the core's
 * `Completer`. This file is the editor side: when to ask (on, language, no selection),
 * what to send (the document around the cursor and the related files that pass the access
 * decision), where to send it (the endpoint, its own model, the stored key), and what the
 * user sees (the ghost text, a status-bar item, one message when the server does no FIM).
 */
import * as vscode from 'vscode';
import {
  Completer,
  type CompletionRequest,
  type Outcome,
  type ResolvedEndpoint,
} from '../../core/completion/completer';
import { type FimDialect, FimHttp } from '../../core/completion/fimClient';
import type { TokenCounters } from '../../core/context';
import { describeHost, isLoopback, resolveEndpoint } from '../../core/model/endpoint';
import { DisposableStore } from '../../core/util/lifecycle';
import { type Redact, scrubbingFetch } from '../../core/util/scrubbingFetch';
import type { ApiKeys } from '../apiKeys';
import { onDidChangeSettings, readSettings } from '../settings';
import type { AccessDecider } from '../workspace/accessService';
import type { RecentEdits } from '../workspace/editorSignals';
import { locate, RelatedFiles } from './completionsContext';
import {
  completerSettings,
  completionModel,
  enablement,
  isOn,
  languageOn,
  setEnablement,
  toggleLanguage,
} from './completionsSettings';
import { CompletionsStatus, TOGGLE_COMMAND } from './completionsStatus';

export interface CompletionsDeps {
  readonly keys: ApiKeys;
  readonly access: AccessDecider;
  readonly recent: RecentEdits;
  readonly counters: TokenCounters;
  readonly state: vscode.Memento;
  /** Scrubs secret shapes from every request body before it leaves. */
  readonly redact: Redact;
  readonly log: (line: string) => void;
}

export interface CompletionsFeature extends vscode.Disposable {
  readonly completer: Completer;
  readonly status: CompletionsStatus;
  /** What each call of the provider ended with (tests and the bench read it). */
  readonly onDidComplete: vscode.Event<Outcome>;
  /** Messages shown to the user. */
  readonly onDidNotify: vscode.Event<string>;
}

const DIALECTS_KEY = 'qcoder.completions.dialects';
/** Lines around the cursor read from the document; the packer never needs more. */
const WINDOW_LINES = 2000;
const COMPLETION_TIMEOUT_MS = 30_000;

export function register(deps: CompletionsDeps): CompletionsFeature {
  const store = new DisposableStore();
  const completed = store.add(new vscode.EventEmitter<Outcome>());
  const notified = store.add(new vscode.EventEmitter<string>());
  const status = store.add(new CompletionsStatus());
  const related = new RelatedFiles(deps.access, deps.recent);
  const endpoints = new Endpoints(deps);
  const completer = new Completer({
    endpoint: () => endpoints.resolve(),
    counter: (model) => deps.counters.forModel(model),
    settings: completerSettings,
    dialects: {
      get: (key) => deps.state.get<Record<string, FimDialect>>(DIALECTS_KEY, {})[key],
      set: (key, dialect) =>
        void deps.state.update(DIALECTS_KEY, {
          ...deps.state.get<Record<string, FimDialect>>(DIALECTS_KEY, {}),
          [key]: dialect,
        }),
    },
    onState: (state, detail) => status.set(state, detail),
    onUnsupported: (server) => {
      const text =
        `QCoder completions: ${describeHost(server)} does not do fill-in-the-middle for ${endpoints.model()} ` +
        `(neither /v1/completions with a suffix nor /infill). Completions stay off for it in this window; set ` +
        `qcoder.completions.model to a FIM model (e.g. a Qwen2.5-Coder) or another server.`;
      deps.log(text);
      notified.fire(text);
      void vscode.window.showInformationMessage(text);
    },
  });
  const provider: vscode.InlineCompletionItemProvider = {
    provideInlineCompletionItems: async (document, position, context, token) => {
      const outcome = await provide(document, position, context, token);
      if (outcome) completed.fire(outcome);
      if (outcome?.kind !== 'completion') return undefined;
      return [new vscode.InlineCompletionItem(outcome.text, new vscode.Range(position, position))];
    },
  };

  async function provide(
    document: vscode.TextDocument,
    position: vscode.Position,
    context: vscode.InlineCompletionContext,
    token: vscode.CancellationToken,
  ): Promise<Outcome | undefined> {
    const why = reasonToSkip(document, endpoints.baseUrl());
    if (why) {
      status.set(why === 'language' ? 'language-off' : 'off', undefined, offReason(endpoints.baseUrl()));
      return undefined;
    }
    if (context.selectedCompletionInfo || busyEditor(document)) return undefined;
    const place = locate(document.uri);
    if (place && !(await related.mayRead(place))) return undefined;
    const controller = new AbortController();
    const cancel = token.onCancellationRequested(() => controller.abort());
    try {
      return await completer.complete(
        request(document, position, place?.relative, () => related.snippets(document)),
        controller.signal,
      );
    } finally {
      cancel.dispose();
    }
  }

  store.add(
    vscode.languages.registerInlineCompletionItemProvider([{ scheme: 'file' }, { scheme: 'untitled' }], provider),
  );
  store.add(
    vscode.commands.registerCommand(TOGGLE_COMMAND, async () => {
      const on = isOn(endpoints.baseUrl());
      await setEnablement(on ? 'off' : 'on');
      completer.reset();
      status.set(on ? 'off' : 'idle', undefined, on ? offReason(endpoints.baseUrl()) : undefined);
    }),
  );
  store.add(
    vscode.commands.registerCommand('qcoder.completions.toggleLanguage', async () => {
      const languageId = vscode.window.activeTextEditor?.document.languageId;
      if (!languageId) return;
      const on = await toggleLanguage(languageId);
      void vscode.window.showInformationMessage(`QCoder completions ${on ? 'on' : 'off'} for ${languageId}.`);
    }),
  );
  store.add(
    onDidChangeSettings(() => {
      completer.reset();
      const on = isOn(endpoints.baseUrl());
      status.set(on ? 'idle' : 'off', undefined, on ? undefined : offReason(endpoints.baseUrl()));
    }),
  );
  if (!isOn(endpoints.baseUrl())) status.set('off', undefined, offReason(endpoints.baseUrl()));
  return {
    completer,
    status,
    onDidComplete: completed.event,
    onDidNotify: notified.event,
    dispose: () => store.dispose(),
  };
}

function reasonToSkip(document: vscode.TextDocument, baseUrl: string): 'off' | 'language' | undefined {
  if (!isOn(baseUrl)) return 'off';
  if (!languageOn(document.languageId)) return 'language';
  return undefined;
}

function offReason(baseUrl: string): string {
  if (enablement() === 'off') return 'Turned off (qcoder.completions.enabled).';
  return (
    `Off by default because ${describeHost(baseUrl)} is not on this machine: a completion sends the code around ` +
    `the cursor on every pause in typing. Click to turn on.`
  );
}

/** A selection, several cursors (a snippet's mirrored placeholders) or another editor's document: no request. */
function busyEditor(document: vscode.TextDocument): boolean {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document !== document) return false;
  return editor.selections.length > 1 || !editor.selection.isEmpty;
}

function request(
  document: vscode.TextDocument,
  position: vscode.Position,
  relative: string | undefined,
  snippets: CompletionRequest['snippets'],
): CompletionRequest {
  const firstLine = Math.max(0, position.line - WINDOW_LINES);
  const lastLine = Math.min(document.lineCount - 1, position.line + WINDOW_LINES);
  const end = document.lineAt(lastLine).range.end;
  const folder = vscode.workspace.getWorkspaceFolder(document.uri);
  return {
    document: document.uri.toString(),
    languageId: document.languageId,
    repoName: folder?.name ?? vscode.workspace.name ?? 'workspace',
    path: relative ?? document.uri.path.split('/').pop() ?? 'untitled',
    prefix: document.getText(new vscode.Range(firstLine, 0, position.line, position.character)),
    suffix: document.getText(new vscode.Range(position, end)),
    snippets,
  };
}

/** The endpoint completions go to: the chat's server, the completion model, the stored key (never asked for here). */
class Endpoints {
  private cached: { signature: string; endpoint: ResolvedEndpoint } | undefined;

  constructor(private readonly deps: CompletionsDeps) {}

  baseUrl(): string {
    return resolveEndpoint(readSettings(), process.env).baseUrl;
  }

  model(): string {
    return completionModel(resolveEndpoint(readSettings(), process.env).model);
  }

  async resolve(): Promise<ResolvedEndpoint | { problem: string }> {
    const settings = readSettings();
    const { baseUrl, model: chatModel } = resolveEndpoint(settings, process.env);
    const model = completionModel(chatModel);
    const { key } = await this.deps.keys.get(baseUrl);
    if (!key && !isLoopback(baseUrl)) return { problem: `No API key for ${describeHost(baseUrl)}.` };
    const timeoutMs = Math.min(settings.requestTimeoutMs, COMPLETION_TIMEOUT_MS);
    const signature = JSON.stringify([baseUrl, model, key, timeoutMs]);
    if (this.cached?.signature !== signature) {
      const fetch = scrubbingFetch(this.deps.redact, (redaction) =>
        this.deps.log(`completions: replaced ${redaction.kinds.join(', ')} in a request before sending it`),
      );
      const http = new FimHttp({ baseUrl, model, apiKey: key, timeoutMs, fetch });
      const endpoint = { baseUrl, model, apiKey: key, timeoutMs, send: http.send.bind(http) };
      this.cached = { signature, endpoint };
    }
    return this.cached.endpoint;
  }
}
