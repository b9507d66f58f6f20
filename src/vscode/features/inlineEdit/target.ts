/** Which lines an inline edit rewrites: the selection's lines, else the function or class around the cursor. */
import * as vscode from 'vscode';
import { documentSymbols } from '../../workspace/documentSymbols';

/** 0-based, inclusive. */
export interface LineTarget {
  readonly start: number;
  readonly end: number;
  /** What the lines are, for the prompt's title ("selection", "function total"). */
  readonly what: string;
}

const ENCLOSING = new Set(['function', 'method', 'constructor', 'class', 'interface', 'enum', 'struct']);

export function selectionLines(selection: vscode.Selection): LineTarget {
  // A selection ending at column 0 of a later line does not include that line.
  const end =
    selection.end.character === 0 && selection.end.line > selection.start.line
      ? selection.end.line - 1
      : selection.end.line;
  return { start: selection.start.line, end, what: 'selection' };
}

export async function targetLines(editor: vscode.TextEditor): Promise<LineTarget> {
  if (!editor.selection.isEmpty) return selectionLines(editor.selection);
  const line = editor.selection.active.line;
  return (await enclosingSymbol(editor.document, line)) ?? { start: line, end: line, what: 'line' };
}

/** The innermost function, method or class containing `line`, from the language's document symbols. */
export async function enclosingSymbol(document: vscode.TextDocument, line: number): Promise<LineTarget | undefined> {
  if (document.uri.scheme !== 'file') return undefined;
  const symbols = (await documentSymbols(document.uri.fsPath)) ?? [];
  let best: (typeof symbols)[number] | undefined;
  for (const symbol of symbols) {
    if (!ENCLOSING.has(symbol.kind) || symbol.line - 1 > line || symbol.endLine - 1 < line) continue;
    if (!best || symbol.depth > best.depth) best = symbol;
  }
  return best && { start: best.line - 1, end: best.endLine - 1, what: `${best.kind} ${best.name}` };
}
