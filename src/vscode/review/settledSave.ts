/**
 * Saving and writing a document the user may be typing in. VS Code tells the extension host a
 * document is clean after every save, even when the user typed while that save ran and the editor
 * is still dirty: `TextDocument.isDirty` then stays false until the next keystroke, so anything
 * that asks it (a save only when dirty, reading the buffer only when dirty) acts on a stale answer
 * and the keystrokes typed during the save stay off the disk. A save is therefore repeated until
 * one runs with no edit made during it: then disk, editor and `isDirty` agree.
 */
import * as vscode from 'vscode';

/** Enough for a person typing; a stream of edits faster than a save is left dirty (and reported so). */
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

/**
 * Whether an editor tab shows `uri`, so the user may type in it at any moment. Bytes written under
 * such a document race those keystrokes: one typed before VS Code re-reads the file leaves the
 * editor dirty on a file it no longer knows, and the user's next save fails as a conflict.
 */
export function shownInEditor(uri: vscode.Uri): boolean {
  const key = uri.toString();
  return vscode.window.tabGroups.all.some((group) =>
    group.tabs.some(({ input }) => {
      if (input instanceof vscode.TabInputText) return input.uri.toString() === key;
      return input instanceof vscode.TabInputTextDiff && input.modified.toString() === key;
    }),
  );
}
