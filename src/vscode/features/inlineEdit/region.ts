/**
 * The lines of a document that an inline edit shows its diff in. It keeps its place while
 * the user types elsewhere in the file (offsets move with edits above it), writes each new
 * rendering as one minimal replacement through the visible editor, and tells its own
 * edits from the user's. Every write during the review joins one undo element, so the
 * final write is the only undo step the user sees.
 */
import * as vscode from 'vscode';
import { smallestReplacement } from '../../../core/inline';

/** `stream`: a rendering; `last`: the review's last write; `final`: the result, one undo step. */
export type WriteMode = 'stream' | 'last' | 'final';

interface Expected {
  readonly offset: number;
  readonly length: number;
  readonly text: string;
}

export class Region {
  /** Offset of the region's first character. */
  private start: number;
  /** The text the region holds now (written by us). */
  private shown: string;
  private readonly expected: Expected[] = [];
  private wroteOnce = false;
  /** Set when the user edited inside the region: what is there is no longer ours. */
  private touched = false;

  constructor(
    readonly document: vscode.TextDocument,
    startLine: number,
    endLine: number,
  ) {
    const from = new vscode.Position(startLine, 0);
    const to =
      endLine + 1 < document.lineCount ? new vscode.Position(endLine + 1, 0) : document.lineAt(endLine).range.end;
    this.start = document.offsetAt(from);
    this.original = document.getText(new vscode.Range(from, to));
    this.shown = this.original;
    this.eol = document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
    this.finalNewline = this.original.endsWith('\n');
  }

  /** The region's exact text when the edit began. */
  readonly original: string;
  readonly eol: string;
  /** Whether the region ended with a line break (it did unless it ran to the end of a file without one). */
  readonly finalNewline: boolean;

  get edited(): boolean {
    return this.touched;
  }

  /** The document line the region starts at now. */
  get firstLine(): number {
    return this.document.positionAt(this.start).line;
  }

  textOf(lines: readonly string[]): string {
    if (lines.length === 0) return '';
    return lines.join(this.eol) + (this.finalNewline ? this.eol : '');
  }

  /** Follows a change of the document: ours are expected, the user's above the region move it. */
  follow(change: vscode.TextDocumentContentChangeEvent): void {
    const head = this.expected[0];
    if (head && head.offset === change.rangeOffset && head.length === change.rangeLength && head.text === change.text) {
      this.expected.shift();
      return;
    }
    const end = this.start + this.shown.length;
    const changeEnd = change.rangeOffset + change.rangeLength;
    const delta = change.text.length - change.rangeLength;
    // Whole lines inserted just above the first line move the region; a change that reaches into it does not.
    const above =
      changeEnd < this.start || (change.rangeLength === 0 && changeEnd === this.start && change.text.endsWith('\n'));
    if (above) this.start += delta;
    else if (change.rangeOffset < end) {
      // The user edited the lines under review: the region takes in their edit, and what it holds is read back.
      const start = Math.min(this.start, change.rangeOffset);
      const length = Math.max(end, changeEnd) + delta - start;
      this.start = start;
      this.shown = this.document.getText(
        new vscode.Range(this.document.positionAt(start), this.document.positionAt(start + length)),
      );
      this.touched = true;
    }
  }

  /**
   * Shows `text` in the region with the smallest replacement. `stream` and `restore` join the
   * review's undo element; `restore` with `last` closes it; `final` is an undo step of its own.
   * False when the editor was not visible or the document moved on under the edit (the
   * caller shows it again later).
   */
  async show(text: string, editor: vscode.TextEditor | undefined, mode: WriteMode = 'stream'): Promise<boolean> {
    if (!editor || editor.document !== this.document) return false;
    const { offset, length, insert } = smallestReplacement(this.shown, text);
    if (length === 0 && insert.length === 0) return true;
    const at = this.start + offset;
    const range = new vscode.Range(this.document.positionAt(at), this.document.positionAt(at + length));
    const expected = { offset: at, length, text: insert };
    this.expected.push(expected);
    const applied = await editor.edit((builder) => builder.replace(range, insert), {
      undoStopBefore: mode === 'final' || !this.wroteOnce,
      undoStopAfter: mode === 'final' || mode === 'last',
    });
    if (!applied) {
      const index = this.expected.indexOf(expected);
      if (index >= 0) this.expected.splice(index, 1);
      return false;
    }
    this.wroteOnce = true;
    this.shown = text;
    return true;
  }

  /** The document's text with the region as it was when the edit began (what the model is asked about). */
  documentWithOriginal(): string {
    const text = this.document.getText();
    return text.slice(0, this.start) + this.original + text.slice(this.start + this.shown.length);
  }

  /** The document range the region covers now. */
  range(): vscode.Range {
    return new vscode.Range(
      this.document.positionAt(this.start),
      this.document.positionAt(this.start + this.shown.length),
    );
  }
}
