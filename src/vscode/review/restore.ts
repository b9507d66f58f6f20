/**
 * "Undo this turn": puts every file a checkpoint recorded back as it was, bytes exact,
 * after checking nobody changed them since the edit (or the user said to go ahead).
 */
import * as vscode from 'vscode';
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

/** Restores each file; returns what it did, one phrase per file ("restored a.ts"). */
export async function restoreCheckpoint(checkpoint: Checkpoint): Promise<string[]> {
  const done: string[] = [];
  for (const image of checkpoint.files) done.push(await restoreImage(image));
  return done;
}

async function restoreImage(image: PreImage): Promise<string> {
  const uri = vscode.Uri.parse(image.uri);
  const document = openDocument(uri);
  if (!image.existed) {
    if (document?.isDirty) await replaceText(document, '');
    await vscode.workspace.fs.delete(uri, { useTrash: false }).then(undefined, () => undefined);
    return `removed ${image.display}`;
  }
  const bytes = Buffer.from(image.bytes ?? '', 'base64');
  // A loaded document is restored through itself and saved, so it knows the file it wrote;
  // writing the file under it would make its next save a "file modified since" conflict.
  const loaded = document ?? (image.unsaved !== undefined ? await vscode.workspace.openTextDocument(uri) : undefined);
  let restored: number | undefined;
  if (loaded) {
    await replaceText(loaded, bytes.toString('utf8').replace(/^\uFEFF/, ''));
    restored = loaded.version;
    // Saved until no keystroke came during the save (see settledSave): the disk then holds the buffer.
    await saveSettled(loaded);
  }
  // Exact bytes, whatever the save did (BOM, mixed line endings, save participants); under an open document only
  // while nothing was typed into it since the restore (bytes written then would lose those keystrokes).
  if (!loaded) await vscode.workspace.fs.writeFile(uri, bytes);
  else if (!Buffer.from(await vscode.workspace.fs.readFile(uri)).equals(bytes) && loaded.version === restored)
    await vscode.workspace.fs.writeFile(uri, bytes);
  // The user had unsaved changes when the edit landed (and was saved with it): give them back, unsaved.
  if (loaded && image.unsaved !== undefined) await replaceText(loaded, image.unsaved);
  return `restored ${image.display}`;
}

async function replaceText(document: vscode.TextDocument, text: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  // With metadata, so VS Code checks the version right before it applies the edit (see landingMetadata).
  const metadata = landingMetadata({ display: vscode.workspace.asRelativePath(document.uri) });
  edit.replace(document.uri, new vscode.Range(0, 0, document.lineCount, 0), text, metadata);
  await vscode.workspace.applyEdit(edit);
}
