/**
 * Inline edit (Ctrl+I / Cmd+I): the commands, keys' context, CodeLens, light-bulb actions
 * and document listeners around the controller. Wiring passes in the model connection, the
 * chat's tokenizer, window and pins, and the one access decision.
 */
import * as nodePath from 'node:path';
import * as vscode from 'vscode';
import type { Connection } from '../../../core/chat/chatEngine';
import type { Mention, TokenCounters } from '../../../core/context';
import type { WorkspaceRoot } from '../../../core/edits';
import { DisposableStore } from '../../../core/util/lifecycle';
import type { ContextWindows } from '../../context/contextWindows';
import type { WorkspaceIndexService } from '../../workspace/indexService';
import { workspaceRoots } from '../../workspacePaths';
import { INLINE_EDIT, InlineCodeActions } from './codeActions';
import { type InlineEditArgs, InlineEditController } from './controller';
import { DiffDecorations } from './decorations';
import { InstructionHistory } from './instruction';
import { ACCEPT_ALL, DECIDE, InlineLensProvider, REJECT_ALL } from './lenses';

export { type InlineEditArgs, type InlineOutcome } from './controller';

/** Set while the active editor has an inline diff streaming or in review; `review` once it can be accepted. */
const ACTIVE_KEY = 'qcoder.inlineEdit.active';
const REVIEW_KEY = 'qcoder.inlineEdit.review';

export interface InlineEditDepsIn {
  connect(): Promise<Connection>;
  readonly counters: Pick<TokenCounters, 'forModel'>;
  readonly windows: Pick<ContextWindows, 'get'>;
  readonly index: Pick<WorkspaceIndexService, 'get'>;
  /** The chat ledger's pinned items. */
  pinned(): readonly Mention[];
  /** Why a workspace file may not be sent (the one access decision), or undefined. */
  refusal(root: WorkspaceRoot, relative: string, text: string): Promise<string | undefined>;
  readonly state: vscode.Memento;
  log(line: string): void;
}

export interface InlineEditFeature extends vscode.Disposable {
  readonly controller: InlineEditController;
  /** Every message shown to the user (tests read them). */
  readonly onDidNotify: vscode.Event<{ kind: string; text: string }>;
}

export function register(deps: InlineEditDepsIn): InlineEditFeature {
  const store = new DisposableStore();
  const notified = store.add(new vscode.EventEmitter<{ kind: string; text: string }>());
  const decorations = store.add(new DiffDecorations());
  const controller = store.add(
    new InlineEditController({
      connect: () => deps.connect(),
      counter: (model) => deps.counters.forModel(model),
      window: async (baseUrl, model) => (await deps.windows.get(baseUrl, model)).tokens,
      pinned: () => pinnedTexts(deps),
      refusal: (document) => documentRefusal(document, deps),
      displayPath,
      history: new InstructionHistory(deps.state),
      decorations,
      log: deps.log,
      notify: (kind, text) => {
        notified.fire({ kind, text });
        if (kind === 'error') void vscode.window.showErrorMessage(text);
        else if (kind === 'warning') void vscode.window.showWarningMessage(text);
        else void vscode.window.showInformationMessage(text);
      },
    }),
  );
  const updateKeys = () => {
    const session = controller.session(vscode.window.activeTextEditor?.document.uri ?? '');
    void vscode.commands.executeCommand('setContext', ACTIVE_KEY, session !== undefined);
    void vscode.commands.executeCommand('setContext', REVIEW_KEY, session?.state === 'review');
  };
  const selector: vscode.DocumentSelector = [{ scheme: 'file' }, { scheme: 'untitled' }];
  store.add(vscode.commands.registerCommand(INLINE_EDIT, (args?: InlineEditArgs) => controller.start(args)));
  store.add(vscode.commands.registerCommand(ACCEPT_ALL, (uri?: string) => controller.acceptAll(uri)));
  store.add(vscode.commands.registerCommand(REJECT_ALL, (uri?: string) => controller.rejectAll(uri)));
  store.add(
    vscode.commands.registerCommand(DECIDE, (uri: string, index: number, decision: 'accepted' | 'rejected') =>
      controller.decide(uri, index, decision),
    ),
  );
  store.add(vscode.languages.registerCodeLensProvider(selector, new InlineLensProvider(controller)));
  store.add(
    vscode.languages.registerCodeActionsProvider(selector, new InlineCodeActions(), {
      providedCodeActionKinds: InlineCodeActions.kinds,
    }),
  );
  store.add(controller.onDidChange(updateKeys));
  store.add(vscode.window.onDidChangeActiveTextEditor(updateKeys));
  store.add(vscode.workspace.onDidChangeTextDocument((event) => controller.onDidChangeDocument(event)));
  store.add(vscode.workspace.onDidCloseTextDocument((document) => controller.onDidCloseDocument(document)));
  store.add(
    vscode.window.onDidChangeVisibleTextEditors(() => {
      // Decorations belong to an editor: one shown again gets them again (and a write it missed).
      for (const session of controller.all()) void session.refresh().then(() => session.redecorate());
    }),
  );
  return { controller, onDidNotify: notified.event, dispose: () => store.dispose() };
}

function displayPath(document: vscode.TextDocument): string {
  if (document.uri.scheme !== 'file') return document.fileName || document.uri.path;
  return vscode.workspace.asRelativePath(document.uri, (vscode.workspace.workspaceFolders?.length ?? 0) > 1);
}

async function documentRefusal(document: vscode.TextDocument, deps: InlineEditDepsIn): Promise<string | undefined> {
  if (document.uri.scheme === 'untitled') return undefined;
  if (document.uri.scheme !== 'file')
    return `only files on disk and unsaved editors can be edited (not ${document.uri.scheme}:)`;
  for (const root of workspaceRoots()) {
    const relative = nodePath.relative(root.path, document.uri.fsPath);
    if (relative.startsWith('..') || nodePath.isAbsolute(relative)) continue;
    return deps.refusal(root, relative.split(nodePath.sep).join('/'), document.getText());
  }
  return 'it is outside the workspace folders';
}

/** The ledger's pins as texts: a pinned file as it is in its editor (or on disk), a range as those lines. */
async function pinnedTexts(deps: InlineEditDepsIn): Promise<{ title: string; text: string }[]> {
  const pins = deps.pinned();
  if (pins.length === 0) return [];
  const index = await deps.index.get();
  const out: { title: string; text: string }[] = [];
  for (const pin of pins) {
    if (pin.kind === 'text') {
      out.push({ title: pin.title, text: pin.text });
      continue;
    }
    const location = index.get(pin.path);
    if (!location) continue;
    const uri = vscode.Uri.file(location.abs);
    const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
    const text = open?.getText() ?? new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    const lines = text.split(/\r?\n/);
    const { range } = pin;
    out.push(
      range
        ? {
            title: `${pin.path}#L${range.start}-L${range.end}`,
            text: lines.slice(range.start - 1, range.end).join('\n'),
          }
        : { title: pin.path, text },
    );
  }
  return out;
}
