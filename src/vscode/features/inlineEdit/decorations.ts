/** How a pending inline diff looks: added lines green, removed lines red and struck through, unreached lines dimmed. */
import * as vscode from 'vscode';
import type { RenderedDiff } from '../../../core/inline';

export class DiffDecorations implements vscode.Disposable {
  private readonly added = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: new vscode.ThemeColor('diffEditor.insertedLineBackground'),
    overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.addedForeground'),
    overviewRulerLane: vscode.OverviewRulerLane.Left,
  });
  private readonly removed = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: new vscode.ThemeColor('diffEditor.removedLineBackground'),
    textDecoration: 'line-through',
    opacity: '0.7',
    overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.deletedForeground'),
    overviewRulerLane: vscode.OverviewRulerLane.Left,
  });
  private readonly unreached = vscode.window.createTextEditorDecorationType({ isWholeLine: true, opacity: '0.5' });

  /** Decorates `rendered` (lines relative to `firstLine`) in every visible editor of `document`. */
  show(document: vscode.TextDocument, firstLine: number, rendered: RenderedDiff | undefined): void {
    const ranges = (spans: readonly { start: number; end: number }[]) =>
      spans.map((span) => new vscode.Range(firstLine + span.start, 0, firstLine + span.end - 1, 0));
    for (const editor of vscode.window.visibleTextEditors) {
      if (editor.document !== document) continue;
      editor.setDecorations(this.added, rendered ? ranges(rendered.added) : []);
      editor.setDecorations(this.removed, rendered ? ranges(rendered.removed) : []);
      editor.setDecorations(this.unreached, rendered?.unreached ? ranges([rendered.unreached]) : []);
    }
  }

  dispose(): void {
    this.added.dispose();
    this.removed.dispose();
    this.unreached.dispose();
  }
}
