/**
 * Turns reviewed file changes into one `vscode.WorkspaceEdit`: each hunk a separate text
 * edit over whole lines, file creations, deletions and renames as file operations, each
 * entry optionally marked `needsConfirmation` so VS Code's Refactor Preview lists it on
 * its own. Ranges are whole lines, so a buffer without the file's BOM, or with its line
 * endings unified, takes the same edit.
 */
import * as vscode from 'vscode';
import type { FileChange, ReviewUnit } from '../../core/review/fileChange';
import { encodeUtf8 } from '../../core/review/texts';

export type UnitFilter = (file: FileChange, unit: ReviewUnit) => boolean;

/** One entry of the edit, as built (VS Code's `entries()` does not return metadata). */
export interface EditEntry {
  readonly fileId: string;
  readonly unitKey: string;
  readonly kind: ReviewUnit['kind'];
  readonly uri: vscode.Uri;
  readonly newUri?: vscode.Uri;
  readonly range?: vscode.Range;
  readonly newText?: string;
  readonly metadata?: vscode.WorkspaceEditEntryMetadata;
}

export const originUri = (file: FileChange): vscode.Uri => vscode.Uri.file(file.origin!.location.absolute);
export const targetUri = (file: FileChange): vscode.Uri => vscode.Uri.file(file.target!.absolute);

/**
 * The edit for the units `include` picks, in file order (text edits of a file before its
 * rename); `confirm` picks the units that need the user's confirmation in the preview.
 */
export function buildWorkspaceEdit(
  files: readonly FileChange[],
  include: UnitFilter,
  confirm: UnitFilter = () => false,
): { edit: vscode.WorkspaceEdit; entries: EditEntry[] } {
  const edit = new vscode.WorkspaceEdit();
  const entries: EditEntry[] = [];
  for (const file of files) {
    const units = file.units();
    units.forEach((unit, index) => {
      if (!include(file, unit)) return;
      const metadata = confirm(file, unit) ? entryMetadata(file, unit, index, units.length) : undefined;
      const entry = addUnit(edit, file, unit, metadata);
      entries.push({
        ...entry,
        fileId: file.id,
        unitKey: unit.key,
        kind: unit.kind,
        ...(metadata ? { metadata } : {}),
      });
    });
  }
  return { edit, entries };
}

function addUnit(
  edit: vscode.WorkspaceEdit,
  file: FileChange,
  unit: ReviewUnit,
  metadata: vscode.WorkspaceEditEntryMetadata | undefined,
): Omit<EditEntry, 'fileId' | 'unitKey' | 'kind'> {
  switch (unit.kind) {
    case 'create': {
      const uri = targetUri(file);
      edit.createFile(uri, { contents: encodeUtf8(file.text ?? ''), overwrite: false }, metadata);
      return { uri, newText: file.text };
    }
    case 'delete': {
      const uri = originUri(file);
      edit.deleteFile(uri, { ignoreIfNotExists: false }, metadata);
      return { uri };
    }
    case 'rename': {
      const uri = originUri(file);
      const newUri = targetUri(file);
      edit.renameFile(uri, newUri, { overwrite: false }, metadata);
      return { uri, newUri };
    }
    case 'hunk': {
      const hunk = unit.hunk!;
      const uri = originUri(file);
      const range = new vscode.Range(hunk.oldStart, 0, hunk.oldStart + hunk.oldLineCount, 0);
      edit.replace(uri, range, hunk.newText, metadata ?? landingMetadata(file));
      return { uri, range, newText: hunk.newText };
    }
  }
}

/**
 * Metadata on every text edit, even one that needs no confirmation. Without it, VS Code turns an edit of the
 * active editor's document into a smaller one in a worker after it has checked the document's version, and applies
 * that unchecked: a keystroke taken during the wait was garbled into the edit's lines, or lost. An edit with
 * metadata is applied as given and checked right before it is, so it lands whole or is refused.
 */
export function landingMetadata(file: { readonly display: string }): vscode.WorkspaceEditEntryMetadata {
  return { needsConfirmation: false, label: `QCoder: ${file.display}` };
}

function entryMetadata(
  file: FileChange,
  unit: ReviewUnit,
  index: number,
  total: number,
): vscode.WorkspaceEditEntryMetadata {
  const approval = file.approval ? ` · needs your approval: ${file.approval}` : '';
  return {
    needsConfirmation: true,
    label: `QCoder: ${file.display}`,
    description: `${describeUnit(file, unit, index, total)}${approval}`,
    ...(file.approval ? { iconPath: new vscode.ThemeIcon('warning') } : {}),
  };
}

/** "change 2 of 3, lines 40-44 (+5 −3)", "create file", "rename from a.ts". */
export function describeUnit(file: FileChange, unit: ReviewUnit, index: number, total: number): string {
  switch (unit.kind) {
    case 'create':
      return 'create file';
    case 'delete':
      return 'delete file';
    case 'rename':
      return `rename from ${file.origin!.location.display}`;
    case 'hunk': {
      const hunk = unit.hunk!;
      const first = hunk.oldStart + 1;
      const lines =
        hunk.oldLineCount === 0
          ? hunk.oldStart === 0
            ? 'insertion at the top'
            : `insertion after line ${hunk.oldStart}`
          : hunk.oldLineCount === 1
            ? `line ${first}`
            : `lines ${first}-${first + hunk.oldLineCount - 1}`;
      return `change ${index + 1} of ${total}, ${lines} (+${hunk.newLineCount} −${hunk.oldLineCount})`;
    }
  }
}
