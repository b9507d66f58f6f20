/**
 * The lines of a document that an inline edit shows its diff in. It keeps its place while
 * the user types elsewhere in the file (offsets move with edits above it), writes each new
 * rendering as one minimal replacement through the visible editor, and tells its own
 * edits from the user's. Every write during the review joins one undo element, so the
 * final write is the only undo step the user sees.
 */
import * as vscode from 'vscode';
import { RegionTrack, smallestReplacement } from '../../../core/inline';

/** `stream`: a rendering; `last`: the review's last write; `final`: the result, one undo step. */
export type WriteMode = 'stream' | 'last' | 'final';

export class Region {
  /** Where the region is and what it holds, kept by the core as the document changes. */
  readonly track: RegionTrack;
  private wroteOnce = false;
  /** How many of the user's edits reached into the region (each one read the region back). */
  private typedInside = 0;

  constructor(
    readonly document: vscode.TextDocument,
    startLine: number,
    endLine: number,
  ) {
    const from = new vscode.Position(startLine, 0);
    const to =
      endLine + 1 < document.lineCount ? new vscode.Position(endLine + 1, 0) : document.lineAt(endLine).range.end;
    this.original = document.getText(new vscode.Range(from, to));
    this.track = new RegionTrack(document.offsetAt(from), this.original);
    this.eol = document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
    this.finalNewline = this.original.endsWith('\n');
  }

  /** The region's exact text when the edit began. */
  readonly original: string;
  readonly eol: string;
  /** Whether the region ended with a line break (it did unless it ran to the end of a file without one). */
  readonly finalNewline: boolean;

  get edited(): boolean {
    return this.track.touched;
  }

  /** The document line the region starts at now. */
  get firstLine(): number {
    return this.document.positionAt(this.track.start).line;
  }

  textOf(lines: readonly string[]): string {
    if (lines.length === 0) return '';
    return lines.join(this.eol) + (this.finalNewline ? this.eol : '');
  }

  /** Follows a change of the document: ours are expected, the user's above the region move it. */
  follow(change: vscode.TextDocumentContentChangeEvent): void {
    const read = (offset: number, length: number) =>
      this.document.getText(
        new vscode.Range(this.document.positionAt(offset), this.document.positionAt(offset + length)),
      );
    const before = this.track.shown;
    this.track.follow({ offset: change.rangeOffset, length: change.rangeLength, text: change.text }, read);
    if (this.track.shown !== before) this.typedInside++;
  }

  /**
   * Shows `text` in the region with the smallest replacement. `stream` and `restore` join the
   * review's undo element; `restore` with `last` closes it; `final` is an undo step of its own.
   * False when the editor was not visible or the document moved on under the edit (the
   * caller shows it again later).
   */
  async show(text: string, editor: vscode.TextEditor | undefined, mode: WriteMode = 'stream'): Promise<boolean> {
    if (!editor || editor.document !== this.document) return false;
    const { offset, length, insert } = smallestReplacement(this.track.shown, text);
    if (length === 0 && insert.length === 0) return true;
    const at = this.track.start + offset;
    const range = new vscode.Range(this.document.positionAt(at), this.document.positionAt(at + length));
    const expected = { offset: at, length, text: insert };
    this.track.expect(expected);
    const typed = this.typedInside;
    const applied = await editor.edit((builder) => builder.replace(range, insert), {
      undoStopBefore: mode === 'final' || !this.wroteOnce,
      undoStopAfter: mode === 'final' || mode === 'last',
    });
    if (!applied) {
      this.track.unexpect(expected);
      return false;
    }
    this.wroteOnce = true;
    // A keystroke in the lines that landed right after our write was read back with it: keep that reading.
    if (this.typedInside === typed) this.track.wrote(text);
    else this.track.written = text;
    return true;
  }

  /** The document's text with the region as it was when the edit began (what the model is asked about). */
  documentWithOriginal(): string {
    const text = this.document.getText();
    const { start, shown } = this.track;
    return text.slice(0, start) + this.original + text.slice(start + shown.length);
  }

  /** The document range the region covers now. */
  range(): vscode.Range {
    const { start, shown } = this.track;
    return new vscode.Range(this.document.positionAt(start), this.document.positionAt(start + shown.length));
  }
}
