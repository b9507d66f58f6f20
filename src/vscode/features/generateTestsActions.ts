/**
 * The light bulb: "Generate Tests for `name`" (kind refactor) on a function, method or class
 * from the document's symbols, or from the text when no language server answers, and
 * "Generate Tests for This File" (kind source). Never on a test file or a file in a language
 * Generate Tests does not know.
 */
import * as vscode from 'vscode';
import { type CodeSymbol, enclosingSymbol, languageOf, refusalFor } from '../../core/tests';
import { locateFile } from './generateTestsProject';

export const GENERATE_TESTS_COMMAND = 'qcoder.generateTests';
export const REFACTOR_KIND = vscode.CodeActionKind.Refactor.append('qcoder.generateTests');
export const SOURCE_KIND = vscode.CodeActionKind.Source.append('qcoder.generateTests');

const TESTABLE = new Set([
  vscode.SymbolKind.Function,
  vscode.SymbolKind.Method,
  vscode.SymbolKind.Class,
  vscode.SymbolKind.Constructor,
]);

const KIND_NAMES = new Map<vscode.SymbolKind, string>([
  [vscode.SymbolKind.Function, 'function'],
  [vscode.SymbolKind.Method, 'method'],
  [vscode.SymbolKind.Class, 'class'],
  [vscode.SymbolKind.Constructor, 'constructor'],
]);

/** The innermost function, method or class around `line` (0-based), from the symbols or the text. */
export async function symbolAt(document: vscode.TextDocument, line: number): Promise<CodeSymbol | undefined> {
  const symbols = await vscode.commands
    .executeCommand<(vscode.DocumentSymbol | vscode.SymbolInformation)[] | undefined>(
      'vscode.executeDocumentSymbolProvider',
      document.uri,
    )
    .then(
      (value) => value,
      () => undefined,
    );
  let best: vscode.DocumentSymbol | undefined;
  const visit = (list: readonly vscode.DocumentSymbol[]) => {
    for (const symbol of list) {
      if (symbol.range.start.line > line || symbol.range.end.line < line) continue;
      if (TESTABLE.has(symbol.kind)) best = symbol;
      visit(symbol.children);
    }
  };
  if (symbols?.length && 'children' in symbols[0]) visit(symbols as vscode.DocumentSymbol[]);
  if (best)
    return {
      name: best.name,
      kind: KIND_NAMES.get(best.kind) ?? 'function',
      start: best.range.start.line + 1,
      end: best.range.end.line + 1,
    };
  const language = languageOf(document.uri.path);
  return language ? enclosingSymbol(document.getText(), language, line + 1) : undefined;
}

export class GenerateTestsActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [REFACTOR_KIND, SOURCE_KIND],
  };

  async provideCodeActions(
    document: vscode.TextDocument,
    range: vscode.Range | vscode.Selection,
    context: vscode.CodeActionContext,
  ): Promise<vscode.CodeAction[]> {
    const located = locateFile(document.uri);
    if (!located || refusalFor(located.relative)) return [];
    const wants = (kind: vscode.CodeActionKind) =>
      !context.only || context.only.contains(kind) || kind.contains(context.only);
    const actions: vscode.CodeAction[] = [];
    const symbol = wants(REFACTOR_KIND) ? await symbolAt(document, range.start.line) : undefined;
    if (symbol) {
      const action = new vscode.CodeAction(`Generate Tests for \`${symbol.name}\``, REFACTOR_KIND);
      action.command = { command: GENERATE_TESTS_COMMAND, title: action.title, arguments: [document.uri, symbol] };
      actions.push(action);
    }
    if (wants(SOURCE_KIND)) {
      const action = new vscode.CodeAction('Generate Tests for This File', SOURCE_KIND);
      action.command = { command: GENERATE_TESTS_COMMAND, title: action.title, arguments: [document.uri] };
      actions.push(action);
    }
    return actions;
  }
}
