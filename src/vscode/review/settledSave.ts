/**
 * Saving a document the user may be typing in. VS Code tells the extension host a document is
 * clean after every save, even when the user typed while that save ran and the editor is still
 * dirty: `TextDocument.isDirty` then stays false until the next keystroke, so anything that asks
 * it (a save only when dirty, reading the buffer only when dirty) acts on a stale answer and the
 * keystrokes typed during the save stay off the disk. A save is therefore repeated until one runs
 * with no edit made during it: then disk, editor and `isDirty` agree.
 */
import type * as vscode from 'vscode';

/** Enough for a person typing; a stream of edits faster than a save is left dirty, and says so. */
const MAX_SAVES = 8;

/** The document's version when a save ran with no edit during it (its text is then on disk); undefined if none did. */
export async function saveSettled(document: vscode.TextDocument): Promise<number | undefined> {
  for (let attempt = 0; attempt < MAX_SAVES; attempt++) {
    const version = document.version;
    // Unconditional: `isDirty` may be the stale answer this function exists for.
    const saved = await document.save();
    // Typed during the save: VS Code answers false (still dirty) but tells the extension host it is clean.
    if (document.version !== version) continue;
    return saved ? version : undefined;
  }
  return undefined;
}
