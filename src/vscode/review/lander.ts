/**
 * Lands reviewed units in the workspace: checks each file is still what the proposal was
 * computed on (or finds its hunks again), takes the checkpoint, applies one WorkspaceEdit,
 * saves what it touched and makes sure the bytes on disk are exactly the expected result
 * (in a file an editor shows, VS Code's save decides them: see `persist`).
 */
import * as vscode from 'vscode';
import { applyHunks, rebase } from '../../core/edits';
import { type FileChange, hunkKey } from '../../core/review/fileChange';
import { landedHunks } from '../../core/review/landed';
import { encodeUtf8, equivalent } from '../../core/review/texts';
import { exists, openDocument, readCurrent } from '../workspacePaths';
import { captureFiles, type PreImage, sealImages } from './checkpoints';
import { saveSettled, shownInEditor } from './settledSave';
import { buildWorkspaceEdit, originUri, targetUri, type UnitFilter } from './editBuilder';

export interface LandResult {
  /** False when VS Code did not apply the edit (the preview was discarded, or it refused). */
  readonly applied: boolean;
  /** Per file, the unit keys now in the workspace. */
  readonly landed: Map<FileChange, Set<string>>;
  /** Files that could not go, with the reason worded for the model. */
  readonly failures: Map<FileChange, string>;
  /** What the touched files were before, for undo (only files that really changed). */
  readonly images: PreImage[];
}

/**
 * Applies the units `include` picks. With `preview`, VS Code's Refactor Preview shows them
 * (`needsConfirm` ones unticked) and the user picks; what landed is read back from the files.
 */
export async function land(
  files: readonly FileChange[],
  include: UnitFilter,
  preview?: { readonly needsConfirm: UnitFilter },
): Promise<LandResult> {
  const failures = new Map<FileChange, string>();
  // Workspace Trust: nothing lands in Restricted Mode, whatever proposed it (see src/vscode/trust.ts).
  if (!vscode.workspace.isTrusted) {
    for (const file of files) failures.set(file, `${file.display} was not written: the workspace is not trusted.`);
    return { applied: false, landed: new Map(), failures, images: [] };
  }
  const ready: FileChange[] = [];
  for (const file of files) {
    if (!file.units().some((unit) => include(file, unit))) continue;
    const problem = await refresh(file);
    if (problem) failures.set(file, problem);
    else ready.push(file);
  }
  const landed = new Map<FileChange, Set<string>>();
  if (ready.length === 0) return { applied: false, landed, failures, images: [] };
  if (preview) {
    // With a model loaded, the preview checks versions; without one, a late file-watcher event is taken for a conflict.
    for (const file of ready) if (file.origin && file.target) await vscode.workspace.openTextDocument(originUri(file));
  }
  const before = await captureFiles(ready.flatMap((file) => touched(file)));
  let applied = false;
  for (let attempt = 0; attempt < APPLY_ATTEMPTS && !applied; attempt++) {
    // The user may have typed while the checkpoint was taken, or VS Code refused the edit because a keystroke came
    // while it applied it: the line ranges are found again on the text now.
    for (const file of ready.filter(movedSinceRefresh)) {
      const problem = (await refresh(file)) ?? (movedSinceRefresh(file) ? stillMoving(file) : undefined);
      if (problem) failures.set(file, problem);
    }
    ready.splice(0, ready.length, ...ready.filter((file) => !failures.has(file)));
    if (ready.length === 0) return { applied: false, landed, failures, images: [] };
    // No await from the check above to here: VS Code refuses the edit if the document changes after this point.
    const { edit } = buildWorkspaceEdit(ready, include, preview?.needsConfirm);
    applied = await vscode.workspace.applyEdit(edit, preview ? { isRefactoring: true } : undefined);
    // Tried again only when nothing of it can have landed: text edits are checked together before any applies,
    // file operations are not (and a preview the user discarded stays discarded).
    if (preview || ready.some((file) => file.kind !== 'edit')) break;
  }
  if (!applied && !preview) {
    for (const file of ready)
      failures.set(
        file,
        `VS Code did not apply the change to ${file.display} (the file may have changed at that ` +
          `moment); nothing was written.`,
      );
  }
  if (!applied) return { applied, landed, failures, images: [] };
  for (const file of ready) {
    const keys = preview
      ? await readBack(file, include)
      : new Set(
          file
            .units()
            .filter((unit) => include(file, unit))
            .map((unit) => unit.key),
        );
    if (keys === undefined) {
      failures.set(
        file,
        `${file.display} changed in another way while it was being reviewed; check it before editing it again.`,
      );
      continue;
    }
    landed.set(file, keys);
    await persist(file, keys);
  }
  return { applied, landed, failures, images: await sealImages(before) };
}

/** Whether the file's open document no longer holds the text its hunks were positioned on. */
function movedSinceRefresh(file: FileChange): boolean {
  if (!file.origin || !file.target || !file.proposal) return false;
  const document = openDocument(originUri(file));
  return document !== undefined && !equivalent(document.getText(), file.current!.text);
}

/** Tries of the edit while keystrokes keep coming as VS Code applies it (each refused whole, none half-applied). */
const APPLY_ATTEMPTS = 3;

const stillMoving = (file: FileChange) =>
  `${file.display} kept changing while the edit was being applied, so nothing was written ` +
  `to it; propose the change again.`;

function touched(file: FileChange): { uri: vscode.Uri; display: string }[] {
  const uris: { uri: vscode.Uri; display: string }[] = [];
  if (file.origin) uris.push({ uri: originUri(file), display: file.origin.location.display });
  if (file.target && file.kind !== 'edit') uris.push({ uri: targetUri(file), display: file.target.display });
  return uris;
}

/** Undefined when the file can take its change; else why not. Rebases hunks onto newer text. */
async function refresh(file: FileChange): Promise<string | undefined> {
  if (!file.origin) {
    return (await exists(targetUri(file)))
      ? `${file.display} exists now (it did not when the change was proposed) and was not overwritten; ` +
          `read it and propose the change again.`
      : undefined;
  }
  const from = file.origin.location.display;
  const current = await readCurrent(originUri(file), from);
  if (!current.exists) return `${from} no longer exists; the change was not applied.`;
  if (!current.ok) return `${current.reason}; the change was not applied.`;
  if (file.kind === 'rename' && (await exists(targetUri(file))))
    return `${file.display} exists now; ${from} was not renamed onto it.`;
  const base = file.current!;
  if (equivalent(current.text, base.text)) return undefined;
  if (file.kind === 'delete') return `${from} changed since its deletion was proposed, so it was not deleted.`;
  if (!file.proposal) return undefined;
  const rebased = rebase(file.proposal, current.text, current.version);
  if (!rebased.ok) return rebased.message;
  file.rebaseOnto({ text: current.text, version: current.version, fromDocument: current.fromDocument }, rebased);
  return undefined;
}

/** After a preview: which of the included units are in the workspace now. */
async function readBack(file: FileChange, include: UnitFilter): Promise<Set<string> | undefined> {
  const keys = new Set<string>();
  if (file.kind === 'create') {
    if (await exists(targetUri(file))) keys.add('create');
    return keys;
  }
  if (file.kind === 'delete') {
    if (!(await exists(originUri(file)))) keys.add('delete');
    return keys;
  }
  const renamed = file.kind === 'rename' && !(await exists(originUri(file))) && (await exists(targetUri(file)));
  if (renamed) keys.add('rename');
  const hunks = file
    .units()
    .filter((unit) => unit.kind === 'hunk' && include(file, unit))
    .map((unit) => unit.hunk!);
  if (hunks.length === 0) return keys;
  const document = await vscode.workspace.openTextDocument(renamed ? targetUri(file) : originUri(file));
  const ids = landedHunks(file.current!.text, document.getText(), hunks);
  if (!ids) return undefined;
  for (const hunk of hunks) if (ids.has(hunk.id)) keys.add(hunkKey(hunk));
  return keys;
}

/**
 * Saves the edited document. When the proposal was computed on the bytes on disk, those
 * bytes plus the accepted hunks are the only right result: if saving produced anything
 * else (mixed line endings unified, whitespace trimmed by a save participant), the exact
 * bytes are written, but only under a document no editor shows and nobody changed since.
 * In an editor, VS Code's save decides the bytes, as it does for every later save there.
 */
async function persist(file: FileChange, keys: ReadonlySet<string>): Promise<void> {
  const hunks = file
    .units()
    .filter((unit) => unit.kind === 'hunk' && keys.has(unit.key))
    .map((unit) => unit.hunk!);
  if (!file.origin || !file.target || hunks.length === 0) return;
  const uri = keys.has('rename') || file.kind === 'edit' ? targetUri(file) : originUri(file);
  const document = openDocument(uri) ?? (await vscode.workspace.openTextDocument(uri));
  const base = file.current!;
  const result = applyHunks(base.text, hunks);
  // Saved until a save runs with no keystroke during it, so the disk holds the buffer and `isDirty` tells the truth.
  const saved = await saveSettled(document);
  // Typed since the edit landed: the buffer, keystrokes included, is what was saved, never the bytes computed before.
  if (base.fromDocument || saved === undefined || !equivalent(document.getText(), result)) return;
  const expected = encodeUtf8(result);
  const written = await vscode.workspace.fs.readFile(uri);
  if (Buffer.from(written).equals(Buffer.from(expected))) return;
  // Checked right before the write, with no await between.
  if (document.version !== saved || shownInEditor(uri)) return;
  await vscode.workspace.fs.writeFile(uri, expected);
}
