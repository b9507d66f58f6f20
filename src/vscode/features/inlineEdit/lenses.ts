/** CodeLens over a pending inline diff: Stop while it streams; Accept | Reject per block, and for all, in review. */
import * as vscode from 'vscode';
import type { InlineEditController } from './controller';

export const ACCEPT_ALL = 'qcoder.inlineEdit.acceptAll';
export const REJECT_ALL = 'qcoder.inlineEdit.rejectAll';
export const DECIDE = 'qcoder.inlineEdit.decide';

export class InlineLensProvider implements vscode.CodeLensProvider {
  readonly onDidChangeCodeLenses: vscode.Event<void>;

  constructor(private readonly controller: InlineEditController) {
    this.onDidChangeCodeLenses = controller.onDidChangeLenses;
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const session = this.controller.session(document.uri);
    if (!session) return [];
    const uri = document.uri.toString();
    const at = (line: number) => new vscode.Range(line, 0, line, 0);
    const lens = (line: number, title: string, command: string, args: unknown[] = []) =>
      new vscode.CodeLens(at(line), { title, command, arguments: args });
    const first = session.region.firstLine;
    if (session.state === 'streaming')
      return [lens(first, '$(loading~spin) QCoder is writing…', ''), lens(first, 'Stop (Esc)', REJECT_ALL, [uri])];
    const blocks = session.shown?.rendered.blocks.filter((block) => block.decision === 'pending') ?? [];
    const single = blocks.length === 1;
    const lenses = blocks.flatMap((block) => [
      lens(first + block.line, single ? '$(check) Accept (Tab)' : '$(check) Accept', DECIDE, [
        uri,
        block.index,
        'accepted',
      ]),
      lens(first + block.line, single ? '$(close) Reject (Esc)' : '$(close) Reject', DECIDE, [
        uri,
        block.index,
        'rejected',
      ]),
    ]);
    if (blocks.length > 1)
      lenses.unshift(
        lens(first, 'Accept All (Tab)', ACCEPT_ALL, [uri]),
        lens(first, 'Reject All (Esc)', REJECT_ALL, [uri]),
      );
    return lenses;
  }
}
