/**
 * What the editor knows about the user's focus, as the core's `ContextSignals`: the
 * active file, cursor and selection, open editors, recently edited files and Problems.
 */
import * as vscode from 'vscode';
import type { ContextSignals, DiagnosticSignal, Mention } from '../../core/context';

const MAX_RECENT = 20;
const MAX_DIAGNOSTICS = 200;

export function activeEditorSignals(
  editor: vscode.TextEditor | undefined = vscode.window.activeTextEditor,
): Pick<ContextSignals, 'activeFile' | 'cursorLine' | 'selection'> {
  if (!editor || editor.document.uri.scheme !== 'file') return {};
  const path = editor.document.uri.fsPath;
  const { selection } = editor;
  if (selection.isEmpty) return { activeFile: path, cursorLine: selection.active.line + 1 };
  // A selection ending at column 0 of a line does not include that line.
  const endLine =
    selection.end.character === 0 && selection.end.line > selection.start.line
      ? selection.end.line
      : selection.end.line + 1;
  return {
    activeFile: path,
    cursorLine: selection.active.line + 1,
    selection: {
      path,
      range: { start: selection.start.line + 1, end: endLine },
      text: editor.document.getText(selection),
    },
  };
}

/** Files open in editor tabs, in tab order, the active group first. */
export function openEditorPaths(): string[] {
  const groups = [...vscode.window.tabGroups.all].sort((a, b) => Number(b.isActive) - Number(a.isActive));
  const paths: string[] = [];
  for (const group of groups) {
    for (const tab of group.tabs) {
      if (tab.input instanceof vscode.TabInputText && tab.input.uri.scheme === 'file') paths.push(tab.input.uri.fsPath);
    }
  }
  return [...new Set(paths)];
}

export function diagnosticSignals(max = MAX_DIAGNOSTICS): DiagnosticSignal[] {
  const out: DiagnosticSignal[] = [];
  for (const [uri, diagnostics] of vscode.languages.getDiagnostics()) {
    if (uri.scheme !== 'file') continue;
    for (const diagnostic of diagnostics) {
      const severity =
        diagnostic.severity === vscode.DiagnosticSeverity.Error
          ? 'error'
          : diagnostic.severity === vscode.DiagnosticSeverity.Warning
            ? 'warning'
            : 'info';
      if (severity === 'info') continue;
      out.push({ path: uri.fsPath, line: diagnostic.range.start.line + 1, severity, message: diagnostic.message });
    }
  }
  // Errors first, then by path and line: a stable order whatever order the providers reported in.
  return out
    .sort(
      (a, b) =>
        Number(a.severity !== 'error') - Number(b.severity !== 'error') ||
        a.path.localeCompare(b.path) ||
        a.line - b.line,
    )
    .slice(0, max);
}

/** Files the user changed lately, most recent first. */
export class RecentEdits implements vscode.Disposable {
  private readonly recent: string[] = [];
  private readonly subscription: vscode.Disposable;

  constructor() {
    this.subscription = vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.document.uri.scheme !== 'file' || event.contentChanges.length === 0) return;
      this.touch(event.document.uri.fsPath);
    });
  }

  touch(path: string): void {
    const at = this.recent.indexOf(path);
    if (at >= 0) this.recent.splice(at, 1);
    this.recent.unshift(path);
    if (this.recent.length > MAX_RECENT) this.recent.length = MAX_RECENT;
  }

  paths(): string[] {
    return [...this.recent];
  }

  dispose(): void {
    this.subscription.dispose();
  }
}

/** Everything above in one snapshot, with the user's @-mentions. */
export function collectSignals(recent: RecentEdits, mentions: readonly Mention[] = []): ContextSignals {
  return {
    ...activeEditorSignals(),
    mentions,
    openEditors: openEditorPaths(),
    recentlyEdited: recent.paths(),
    diagnostics: diagnosticSignals(),
  };
}
