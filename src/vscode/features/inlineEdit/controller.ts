/**
 * Runs inline edits: picks the lines, asks for the instruction, streams the model's rewrite
 * into the editor as a diff, and ends each edit by the user's decisions, a failure or a stop,
 * always with the document's bytes known (the result, or the original lines exactly).
 */
import * as vscode from 'vscode';
import type { Connection } from '../../../core/chat/chatEngine';
import type { TokenCounter } from '../../../core/context';
import { type InlineProblem, inlineRequest } from '../../../core/inline';
import { ModelError } from '../../../core/model/errors';
import type { DiffDecorations } from './decorations';
import { EditorSession } from './editorSession';
import { type InstructionHistory, askInstruction } from './instruction';
import { type LineTarget, enclosingSymbol, targetLines } from './target';

export interface InlineEditDeps {
  connect(): Promise<Connection>;
  counter(model: string): Promise<TokenCounter>;
  window(baseUrl: string, model: string): Promise<number>;
  /** The items the user pinned in the chat's ledger, as texts. */
  pinned(): Promise<{ title: string; text: string }[]>;
  /** Why this document may not be sent to the model (the access decision), or undefined. */
  refusal(document: vscode.TextDocument): Promise<string | undefined>;
  /** How the document is named in the request. */
  displayPath(document: vscode.TextDocument): string;
  readonly history: InstructionHistory;
  readonly decorations: DiffDecorations;
  log(line: string): void;
  /** How messages reach the user (tests listen). */
  notify(kind: 'info' | 'warning' | 'error', text: string): void;
}

/** What the `qcoder.inlineEdit` command takes; everything optional (the editor's selection and a question). */
export interface InlineEditArgs {
  readonly uri?: string;
  /** 0-based, inclusive. */
  readonly startLine?: number;
  readonly endLine?: number;
  /** Widen the lines to the function or class around them when it is not too long (Fix with QCoder). */
  readonly around?: boolean;
  readonly instruction?: string;
  readonly problems?: readonly InlineProblem[];
}

/** A fix takes in its enclosing function up to this many lines; a longer one, only the problem's lines. */
const MAX_AROUND = 80;

/** How a run ended (the command resolves to it; tests read it). */
export type InlineOutcome =
  | { readonly state: 'review'; readonly blocks: number }
  | { readonly state: 'cancelled' | 'unchanged' | 'refused' }
  | { readonly state: 'message' | 'failed'; readonly text: string };

export class InlineEditController implements vscode.Disposable {
  private readonly sessions = new Map<string, EditorSession>();
  private readonly changed = new vscode.EventEmitter<{ uri: string; state: string }>();
  /** An inline edit started, streamed a line, reached review or ended. */
  readonly onDidChange = this.changed.event;
  private readonly lensesChanged = new vscode.EventEmitter<void>();
  readonly onDidChangeLenses = this.lensesChanged.event;

  constructor(private readonly deps: InlineEditDeps) {}

  session(uri: vscode.Uri | string): EditorSession | undefined {
    return this.sessions.get(uri.toString());
  }

  all(): EditorSession[] {
    return [...this.sessions.values()];
  }

  async start(args: InlineEditArgs = {}): Promise<InlineOutcome> {
    const editor = await editorFor(args.uri);
    if (!editor) return this.refuse('open a file and select the lines to edit.');
    const pending = this.session(editor.document.uri);
    if (pending && args.startLine !== undefined && !overlaps(pending, args.startLine, args.endLine ?? args.startLine))
      return this.refuse('another inline edit is pending in this file; accept it (Tab) or reject it (Escape) first.');
    if (pending) return this.refine(pending, args.instruction);
    const denied = await this.deps.refusal(editor.document);
    if (denied) return this.refuse(`${this.deps.displayPath(editor.document)} is not sent to the model: ${denied}.`);
    const target = await this.lines(editor, args);
    const span =
      target.start === target.end ? `line ${target.start + 1}` : `lines ${target.start + 1}-${target.end + 1}`;
    const instruction =
      args.instruction ?? (await askInstruction(`QCoder: Edit ${target.what} (${span})`, this.deps.history));
    if (!instruction) return { state: 'cancelled' };
    if (this.session(editor.document.uri)) return { state: 'cancelled' };
    const session = new EditorSession(editor, target.start, target.end, this.deps.decorations, () =>
      this.lensesChanged.fire(),
    );
    this.sessions.set(editor.document.uri.toString(), session);
    // The selection's highlight would hide the diff's colours.
    editor.selection = new vscode.Selection(target.start, 0, target.start, 0);
    return this.run(session, instruction, args.problems ?? []);
  }

  /** Ctrl+I with a diff pending: a new instruction rewrites the proposal, from the same original lines. */
  private async refine(session: EditorSession, given: string | undefined): Promise<InlineOutcome> {
    const instruction =
      given ??
      (await askInstruction(`QCoder: Refine the rewrite ("${session.instructions.at(-1)}")`, this.deps.history));
    if (!instruction || this.session(session.document.uri) !== session) return { state: 'cancelled' };
    if (session.state === 'streaming') {
      session.superseded = true;
      session.controller.abort();
      await session.running;
    }
    const proposal = session.diff.restart();
    session.controller = new AbortController();
    session.superseded = false;
    void session.refresh();
    return this.run(session, instruction, session.problems, { instructions: [...session.instructions], proposal });
  }

  private run(
    session: EditorSession,
    instruction: string,
    problems: readonly InlineProblem[],
    previous?: { instructions: string[]; proposal: string[] },
  ): Promise<InlineOutcome> {
    session.instructions.push(instruction);
    session.problems = problems;
    this.fire(session);
    const running = this.stream(session, instruction, problems, previous).catch((error: unknown) =>
      this.failed(session, error),
    );
    session.running = running.then(() => undefined);
    return running;
  }

  private async stream(
    session: EditorSession,
    instruction: string,
    problems: readonly InlineProblem[],
    previous?: { instructions: string[]; proposal: string[] },
  ): Promise<InlineOutcome> {
    const connection = await this.deps.connect();
    if (!connection.client) throw new Error(connection.problem ?? 'no model is configured.');
    const { client } = connection;
    const [counter, window, pinned] = await Promise.all([
      this.deps.counter(client.model),
      this.deps.window(client.baseUrl, client.model),
      this.deps.pinned(),
    ]);
    const first = session.region.firstLine;
    const request = inlineRequest({
      path: this.deps.displayPath(session.document),
      languageId: session.document.languageId,
      text: session.region.documentWithOriginal(),
      range: { start: first, end: first + session.diff.original.length - 1 },
      instruction,
      problems,
      pinned,
      previous,
      counter,
      window,
    });
    this.deps.log(`inline edit: ${request.tokens} tokens, lines ${request.context.from + 1}-${request.context.to + 1}`);
    for await (const event of client.stream(request.messages, session.controller.signal)) {
      // The user typed in the lines: the stop may come after the last chunk, so the stream is left here too.
      if (session.region.edited) break;
      if (event.type === 'text' && session.diff.append(event.text)) {
        void session.refresh();
        this.fire(session);
      }
    }
    if (session.region.edited) return this.stopped(session);
    const finished = session.diff.finish(session.document.languageId);
    if (finished.kind === 'review') {
      await session.refresh();
      this.fire(session);
      return { state: 'review', blocks: finished.blocks };
    }
    await this.end(session);
    if (finished.kind === 'message') {
      this.deps.notify('info', `QCoder: ${finished.text}`);
      return { state: 'message', text: finished.text };
    }
    this.deps.notify('info', 'QCoder: the model proposed no change to these lines.');
    return { state: 'unchanged' };
  }

  /** The user typed in the lines being rewritten: the original lines come back around what they typed. */
  private async stopped(session: EditorSession): Promise<InlineOutcome> {
    if (session.state !== 'done') session.diff.fail();
    await this.end(session);
    return { state: 'cancelled' };
  }

  private async failed(session: EditorSession, error: unknown): Promise<InlineOutcome> {
    if (session.superseded) return { state: 'cancelled' };
    if (session.state !== 'done') session.diff.fail();
    const text = error instanceof Error ? error.message : String(error);
    await this.end(session).catch((ending: unknown) =>
      this.deps.log(`inline edit: could not restore: ${String(ending)}`),
    );
    if (error instanceof ModelError && error.kind === 'aborted') return { state: 'cancelled' };
    this.deps.log(`inline edit failed: ${text}`);
    const shown = `QCoder: the inline edit failed, and the lines are as they were. ${text}`;
    this.deps.notify('error', shown);
    return { state: 'failed', text: shown };
  }

  async acceptAll(uri?: vscode.Uri | string): Promise<void> {
    const session = this.target(uri);
    if (session?.state !== 'review') return;
    session.diff.decideAll('accepted');
    await this.end(session);
  }

  /** Rejects what is undecided; while the answer streams, stops it (the original lines come back). */
  async rejectAll(uri?: vscode.Uri | string): Promise<void> {
    const session = this.target(uri);
    if (!session) return;
    if (session.state === 'streaming') {
      session.controller.abort();
      await session.running;
      return;
    }
    session.diff.decideAll('rejected');
    await this.end(session);
  }

  async decide(uri: string, index: number, decision: 'accepted' | 'rejected'): Promise<void> {
    const session = this.session(uri);
    if (session?.state !== 'review') return;
    if (session.diff.decide(index, decision)) await this.end(session);
    else await session.refresh();
    this.fire(session);
  }

  /** A document changed: every session in it follows; one whose lines the user edited ends with its original lines. */
  onDidChangeDocument(event: vscode.TextDocumentChangeEvent): void {
    const session = this.session(event.document.uri);
    if (!session || event.contentChanges.length === 0) return;
    for (const change of event.contentChanges) session.region.follow(change);
    if (!session.region.edited || session.state === 'done') return;
    this.deps.notify(
      'warning',
      'QCoder: the lines under review were edited, so the inline edit was stopped: its proposed lines were ' +
        'taken out and what you typed was kept.',
    );
    if (session.state === 'streaming') session.controller.abort();
    else {
      session.diff.decideAll('rejected');
      void this.end(session);
    }
  }

  onDidCloseDocument(document: vscode.TextDocument): void {
    const session = this.session(document.uri);
    if (!session) return;
    session.controller.abort();
    this.sessions.delete(document.uri.toString());
    this.fire(session);
  }

  private async end(session: EditorSession): Promise<void> {
    try {
      await session.conclude();
    } finally {
      if (this.session(session.document.uri) === session) this.sessions.delete(session.document.uri.toString());
      this.fire(session);
    }
  }

  private target(uri?: vscode.Uri | string): EditorSession | undefined {
    const key = uri ?? vscode.window.activeTextEditor?.document.uri;
    return key ? this.session(key) : undefined;
  }

  private async lines(editor: vscode.TextEditor, args: InlineEditArgs): Promise<LineTarget> {
    if (args.startLine === undefined) return targetLines(editor);
    const last = editor.document.lineCount - 1;
    const start = Math.max(0, Math.min(args.startLine, last));
    const lines = { start, end: Math.max(start, Math.min(args.endLine ?? start, last)), what: 'lines' };
    if (!args.around) return lines;
    const symbol = await enclosingSymbol(editor.document, start);
    const fits =
      symbol && symbol.start <= lines.start && symbol.end >= lines.end && symbol.end - symbol.start < MAX_AROUND;
    return fits ? symbol : lines;
  }

  private refuse(text: string): InlineOutcome {
    this.deps.notify('warning', `QCoder: ${text}`);
    return { state: 'refused' };
  }

  private fire(session: EditorSession): void {
    this.changed.fire({
      uri: session.document.uri.toString(),
      state: this.session(session.document.uri) ? session.state : 'done',
    });
    this.lensesChanged.fire();
  }

  dispose(): void {
    for (const session of this.sessions.values()) session.controller.abort();
    this.changed.dispose();
    this.lensesChanged.dispose();
  }
}

function overlaps(session: EditorSession, start: number, end: number): boolean {
  const first = session.region.firstLine;
  const last = first + Math.max(0, (session.shown?.rendered.lines.length ?? session.diff.original.length) - 1);
  return start <= last && end >= first;
}

async function editorFor(uri: string | undefined): Promise<vscode.TextEditor | undefined> {
  if (!uri) return vscode.window.activeTextEditor;
  const visible = vscode.window.visibleTextEditors.find((editor) => editor.document.uri.toString() === uri);
  if (visible) return visible;
  const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
  return vscode.window.showTextDocument(document);
}
