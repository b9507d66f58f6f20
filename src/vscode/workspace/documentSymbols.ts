/** VS Code's document symbols (from the language server) in the core's outline shape, when a provider answers. */
import * as vscode from 'vscode';
import type { OutlineSymbol, SymbolProvider, WorkspaceIndex } from '../../core/context';

export async function documentSymbols(absPath: string): Promise<OutlineSymbol[] | undefined> {
  const symbols = await vscode.commands
    .executeCommand<(vscode.DocumentSymbol | vscode.SymbolInformation)[] | undefined>(
      'vscode.executeDocumentSymbolProvider',
      vscode.Uri.file(absPath),
    )
    .then(
      (value) => value,
      () => undefined,
    );
  if (!symbols?.length || !('children' in symbols[0])) return undefined;
  const out: OutlineSymbol[] = [];
  const visit = (symbol: vscode.DocumentSymbol, depth: number) => {
    out.push({
      name: symbol.name,
      kind: vscode.SymbolKind[symbol.kind]?.toLowerCase() ?? 'symbol',
      line: symbol.range.start.line + 1,
      endLine: symbol.range.end.line + 1,
      depth,
      signature: (
        `${vscode.SymbolKind[symbol.kind]?.toLowerCase() ?? ''} ` +
        `${symbol.name}${symbol.detail ? ` ${symbol.detail}` : ''}`
      ).trim(),
    });
    for (const child of [...symbol.children].sort((a, b) => a.range.start.line - b.range.start.line))
      visit(child, depth + 1);
  };
  for (const symbol of [...(symbols as vscode.DocumentSymbol[])].sort(
    (a, b) => a.range.start.line - b.range.start.line,
  ))
    visit(symbol, 0);
  return out;
}

/** For the packer: symbols of a display path of `index`, through VS Code. */
export function symbolProviderFor(index: WorkspaceIndex): SymbolProvider {
  return async (path) => {
    const location = index.folders.locate(path);
    return location ? documentSymbols(location.abs) : undefined;
  };
}
