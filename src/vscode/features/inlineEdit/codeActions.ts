/** The light bulb's "Edit with QCoder…" on a selection and "Fix with QCoder" on a diagnostic; nothing elsewhere. */
import * as vscode from 'vscode';
import type { InlineEditArgs } from './controller';
import { selectionLines } from './target';

export const INLINE_EDIT = 'qcoder.inlineEdit';
const MAX_FIXES = 3;

export class InlineCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix, vscode.CodeActionKind.RefactorRewrite];

  provideCodeActions(
    document: vscode.TextDocument,
    range: vscode.Range | vscode.Selection,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    // Errors and warnings: hints ("declared but never read") are not worth a model request.
    const problems = context.diagnostics.filter((each) => each.severity <= vscode.DiagnosticSeverity.Warning);
    for (const diagnostic of problems.slice(0, MAX_FIXES)) actions.push(fixAction(document, diagnostic));
    if (!range.isEmpty) {
      const lines = selectionLines(new vscode.Selection(range.start, range.end));
      const action = new vscode.CodeAction('Edit with QCoder…', vscode.CodeActionKind.RefactorRewrite);
      const args: InlineEditArgs = { uri: document.uri.toString(), startLine: lines.start, endLine: lines.end };
      action.command = { title: action.title, command: INLINE_EDIT, arguments: [args] };
      actions.push(action);
    }
    return actions;
  }
}

function fixAction(document: vscode.TextDocument, diagnostic: vscode.Diagnostic): vscode.CodeAction {
  const action = new vscode.CodeAction(
    `Fix with QCoder: ${shorten(diagnostic.message)}`,
    vscode.CodeActionKind.QuickFix,
  );
  action.diagnostics = [diagnostic];
  const args: InlineEditArgs = {
    uri: document.uri.toString(),
    startLine: diagnostic.range.start.line,
    endLine: diagnostic.range.end.line,
    around: true,
    instruction: `Fix this problem: ${diagnostic.message}`,
    problems: [
      {
        line: diagnostic.range.start.line,
        message: diagnostic.message,
        severity: severityName(diagnostic.severity),
        ...(diagnostic.source ? { source: diagnostic.source } : {}),
      },
    ],
  };
  action.command = { title: action.title, command: INLINE_EDIT, arguments: [args] };
  return action;
}

function severityName(severity: vscode.DiagnosticSeverity): string {
  return ['error', 'warning', 'info', 'hint'][severity] ?? 'error';
}

function shorten(text: string): string {
  const line = text.split('\n')[0];
  return line.length > 60 ? `${line.slice(0, 57)}…` : line;
}
