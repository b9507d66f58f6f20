/**
 * One inline edit in one document: the core's review state (`InlineDiff`) shown in the
 * editor through a `Region`, its decorations and lenses. Renderings are written one at a
 * time; a rendering asked for while one is being written replaces the waiting one.
 */
import * as vscode from 'vscode';
import { InlineDiff, type InlineProblem, keepTyping, type RenderedDiff, splitLines } from '../../../core/inline';
import type { DiffDecorations } from './decorations';
import { Region, type WriteMode } from './region';

export type SessionState = 'streaming' | 'review' | 'done';

export class EditorSession {
  readonly diff: InlineDiff;
  readonly region: Region;
  /** Every instruction given for this range, the first one first (refining adds to it). */
  readonly instructions: string[] = [];
  controller = new AbortController();
  /** The problems the first instruction was about (Fix with QCoder); refining keeps them. */
  problems: readonly InlineProblem[] = [];
  /** Set while a refinement stops the answer it replaces (that stop is not a failure). */
  superseded = false;
  /** Settles when the current answer has been handled. */
  running: Promise<void> = Promise.resolve();
  private writing: Promise<void> = Promise.resolve();
  private waiting = false;
  private rendered: RenderedDiff | undefined;

  constructor(
    editor: vscode.TextEditor,
    startLine: number,
    endLine: number,
    private readonly decorations: DiffDecorations,
    private readonly onDidRender: () => void,
  ) {
    this.region = new Region(editor.document, startLine, endLine);
    this.diff = new InlineDiff(splitLines(this.region.original));
  }

  get document(): vscode.TextDocument {
    return this.region.document;
  }

  get state(): SessionState {
    return this.diff.state;
  }

  /** The last rendering written (for the lenses), with the document line it starts at. */
  get shown(): { rendered: RenderedDiff; firstLine: number } | undefined {
    return this.rendered && { rendered: this.rendered, firstLine: this.region.firstLine };
  }

  /** Writes the current rendering when the writer is free; repeated calls while it is busy coalesce into one. */
  refresh(): Promise<void> {
    if (this.waiting) return this.writing;
    this.waiting = true;
    this.writing = this.writing.then(async () => {
      this.waiting = false;
      // Once the user typed in the lines, a rendering would write over their text: only the conclusion writes.
      if (this.diff.state === 'done' || this.region.edited) return;
      const rendered = this.diff.render();
      if (await this.region.show(this.region.textOf(rendered.lines), this.editor())) {
        this.rendered = rendered;
        this.redecorate();
      }
    });
    return this.writing;
  }

  /** Decorations again (an editor of the document became visible). */
  redecorate(): void {
    this.decorations.show(this.document, this.region.firstLine, this.diff.state === 'done' ? undefined : this.rendered);
    this.onDidRender();
  }

  /**
   * Writes the result once the review is done: the original back (joining the review's undo
   * element), then the result as one undo step of its own. Rejected, only the original goes back.
   * Lines the user typed in meanwhile stay as they are: only the lines of ours they left alone go.
   */
  async conclude(): Promise<void> {
    await this.writing;
    this.rendered = undefined;
    this.decorations.show(this.document, this.region.firstLine, undefined);
    this.onDidRender();
    const result = this.region.textOf([...this.diff.result()]);
    const unchanged = result === this.region.original;
    const track = this.region.track;
    const keeping = (text: string) => () => (track.touched ? keepTyping(track.written, text, track.shown) : text);
    await this.write(keeping(this.region.original), unchanged ? 'last' : 'stream');
    if (!unchanged) await this.write(keeping(result), 'final');
  }

  /** A write the user's typing may race (the editor refuses an edit made on an older version): tried again. */
  private async write(text: () => string, mode: WriteMode): Promise<void> {
    for (let attempt = 0; attempt < 10; attempt++) {
      // The text is computed only once the editor is at hand: a keystroke during that wait is in it.
      const editor = await this.visibleEditor();
      if (await this.region.show(text(), editor, mode)) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error('the editor did not take the edit (the document kept changing); press Undo to see earlier states');
  }

  private editor(): vscode.TextEditor | undefined {
    return vscode.window.visibleTextEditors.find((editor) => editor.document === this.document);
  }

  private async visibleEditor(): Promise<vscode.TextEditor> {
    return this.editor() ?? vscode.window.showTextDocument(this.document, { preserveFocus: true, preview: false });
  }
}
