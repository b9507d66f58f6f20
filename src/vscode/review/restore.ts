/**
 * "Undo this turn": puts every file a checkpoint recorded back as it was, bytes exact,
 * after checking nobody changed them since the edit (or the user said to go ahead).
 */
import * as vscode from 'vscode';
import { equivalent } from '../../core/review/texts';
import { openDocument } from '../workspacePaths';
import { type Checkpoint, currentHash, type PreImage } from './checkpoints';
import { landingMetadata } from './editBuilder';
import { saveSettled } from './settledSave';

/** Files whose content is not what the edit left (edited, saved over, or unsaved changes). */
export async function changedSince(checkpoint: Checkpoint): Promise<string[]> {
  const changed: string[] = [];
  for (const image of checkpoint.files) {
    const uri = vscode.Uri.parse(image.uri);
    if ((await currentHash(uri)) !== image.after || openDocument(uri)?.isDirty) changed.push(image.display);
  }
  return changed;
}

/** What the restore did to one file: a phrase ("restored a.ts"), and whether the file is back as it was. */
export interface Restored {
  readonly phrase: string;
  /** False when VS Code refused the restore (or a part of it) every time: the file is not as it was before the turn. */
  readonly complete: boolean;
}

/** Restores each file; says what it did, file by file. */
export async function restoreCheckpoint(checkpoint: Checkpoint): Promise<Restored[]> {
  const done: Restored[] = [];
  for (const image of checkpoint.files) done.push(await restoreImage(image));
  return done;
}

const partly = (phrase: string): Restored => ({ phrase, complete: false });
const fully = (phrase: string): Restored => ({ phrase, complete: true });

async function restoreImage(image: PreImage): Promise<Restored> {
  const uri = vscode.Uri.parse(image.uri);
  const document = openDocument(uri);
  if (!image.existed) {
    // Emptied first, so no unsaved copy of the file stays in an editor once it is gone.
    if (document?.isDirty && !(await replaceText(document, '')))
      return partly(`did not remove ${image.display}: it kept changing while it was being removed`);
    await vscode.workspace.fs.delete(uri, { useTrash: false }).then(undefined, () => undefined);
    return fully(`removed ${image.display}`);
  }
  const bytes = Buffer.from(image.bytes ?? '', 'base64');
  // A loaded document is restored through itself and saved, so it knows the file it wrote;
  // writing the file under it would make its next save a "file modified since" conflict.
  const loaded = document ?? (image.unsaved !== undefined ? await vscode.workspace.openTextDocument(uri) : undefined);
  let restored: number | undefined;
  if (loaded) {
    const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
    // Refused every time: nothing is saved or written, the editor keeps what the user typed.
    if (!(await replaceText(loaded, text)))
      return partly(`did not restore ${image.display}: it kept changing while it was being restored`);
    // A keystroke VS Code took right after the replace counts as typed since: no bytes go under it.
    if (equivalent(loaded.getText(), text)) restored = loaded.version;
    // Saved until no keystroke came during the save (see settledSave): the disk then holds the buffer.
    await saveSettled(loaded);
  }
  // Exact bytes, whatever the save did to the encoding (BOM, mixed line endings); under an open document only while
  // its text is still the restored one (bytes written under a keystroke, or a format on save, would be lost later).
  // The disk is read once; the version is checked after that read, right before the write.
  let onDisk = loaded !== undefined && (await holds(uri, bytes));
  if (!onDisk && (!loaded || loaded.version === restored)) {
    await vscode.workspace.fs.writeFile(uri, bytes);
    onDisk = true;
  }
  // Still not on disk: typed into (or changed by a save participant) before it was saved, so the editor was
  // restored and the disk was not.
  // The user had unsaved changes when the edit landed (and was saved with it): give them back, unsaved.
  if (loaded && image.unsaved !== undefined && !(await replaceText(loaded, image.unsaved)))
    return partly(`restored ${image.display} but not its unsaved changes: it kept changing while they were put back`);
  if (onDisk) return fully(`restored ${image.display}`);
  // What came after the restore is the user's own: the turn is undone.
  return fully(`restored ${image.display} in the editor only: it changed again before it was saved`);
}

/** Tries of a replace while keystrokes keep coming as VS Code applies it (as the lander's APPLY_ATTEMPTS). */
const RESTORE_ATTEMPTS = 3;

/**
 * Replaces the whole document with `text`; false when VS Code refused every try (a keystroke came while it applied
 * the edit). Each try is built on the document as it is then, with no await between building and applying.
 */
async function replaceText(document: vscode.TextDocument, text: string): Promise<boolean> {
  // With metadata, so VS Code checks the version right before it applies the edit (see landingMetadata).
  const metadata = landingMetadata({ display: vscode.workspace.asRelativePath(document.uri) });
  for (let attempt = 0; attempt < RESTORE_ATTEMPTS; attempt++) {
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, new vscode.Range(0, 0, document.lineCount, 0), text, metadata);
    if (await vscode.workspace.applyEdit(edit)) return true;
  }
  return false;
}

async function holds(uri: vscode.Uri, bytes: Buffer): Promise<boolean> {
  return Buffer.from(await vscode.workspace.fs.readFile(uri)).equals(bytes);
}
