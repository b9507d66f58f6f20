/**
 * The proposals of one model turn, before review. Each tool call is computed on top of the
 * turn's earlier calls, so a path can hold: a file the batch already changes, a file the
 * batch deleted or renamed away (vacated), nothing, or the file as it is now. Nothing is
 * written; refusals are worded for the model. The workspace comes in through
 * `BatchWorkspace` (VS Code in the extension, memory in tests).
 */
import type { PendingChange } from '../agent/editService';
import { computeProposal, computeWriteProposal, type FileToolCall, parseFileToolCall } from '../edits';
import { newId } from '../session/session';
import { FileChange, type FileLocation } from './fileChange';
import { lineCount } from './texts';

/** What is at a path now: an editor buffer with unsaved changes, else the file on disk. */
export type CurrentText =
  | { readonly exists: false }
  | {
      readonly exists: true;
      readonly ok: true;
      readonly text: string;
      readonly version?: number;
      readonly fromDocument: boolean;
    }
  | { readonly exists: true; readonly ok: false; readonly reason: string };

export interface BatchWorkspace {
  /** Resolves a model-given path the access rules allow, or says why not (for the model). */
  locate(
    path: string,
  ): Promise<
    | { readonly ok: true; readonly location: FileLocation; read(): Promise<CurrentText> }
    | { readonly ok: false; readonly message: string }
  >;
}

export type ProposeResult =
  { readonly ok: true; readonly change: PendingChange } | { readonly ok: false; readonly message: string };

/** What a path holds in the batch's view of the workspace: its earlier changes applied. */
export type Slot =
  | { readonly state: 'batch'; readonly file: FileChange }
  | { readonly state: 'vacated' }
  | { readonly state: 'missing' }
  | { readonly state: 'disk'; readonly text: string; readonly version?: number; readonly fromDocument: boolean };

type Placed = { ok: true; location: FileLocation; slot: Slot } | { ok: false; message: string };
type EditCall = Extract<FileToolCall, { tool: 'edit_file' }>;

export class ChangeBatch {
  readonly files: FileChange[] = [];

  constructor(private readonly workspace: BatchWorkspace) {}

  async propose(tool: string, args: Record<string, unknown>, signal: AbortSignal): Promise<ProposeResult> {
    if (signal.aborted) return { ok: false, message: 'Not proposed: the user stopped the request.' };
    const call = parseFileToolCall(tool, args);
    if ('ok' in call) return { ok: false, message: call.message };
    try {
      return await this.proposeCall(call);
    } catch (error) {
      return { ok: false, message: `${tool} failed: ${error instanceof Error ? error.message : String(error)}` };
    }
  }

  private async proposeCall(call: FileToolCall): Promise<ProposeResult> {
    switch (call.tool) {
      case 'edit_file':
        return this.edit(call.path, call.edits);
      case 'write_file':
        return this.write(call.path, call.content);
      case 'delete_file':
        return this.remove(call.path);
      case 'rename_file':
        return this.rename(call.from, call.to);
    }
  }

  private async edit(path: string, edits: EditCall['edits']): Promise<ProposeResult> {
    const place = await this.place(path);
    if (!place.ok) return place;
    const { location, slot } = place;
    if (slot.state === 'vacated')
      return refused(`${location.display} was deleted or renamed earlier in this turn; it cannot be edited now.`);
    if (slot.state === 'missing')
      return refused(`${location.display} does not exist. Use write_file to create a new file.`);
    const text = slot.state === 'batch' ? slot.file.text! : slot.text;
    const version = slot.state === 'disk' ? slot.version : undefined;
    const result = computeProposal(location.display, text, version, edits);
    if (!result.ok) return refused(result.message);
    const file = this.record(location, slot, result.newText);
    const added = result.hunks.reduce((sum, hunk) => sum + hunk.newLineCount, 0);
    const removed = result.hunks.reduce((sum, hunk) => sum + hunk.oldLineCount, 0);
    const hunks = `${result.hunks.length} hunk${result.hunks.length === 1 ? '' : 's'}`;
    return this.pending(file, `+${added} −${removed} in ${hunks}`);
  }

  private async write(path: string, content: string): Promise<ProposeResult> {
    const place = await this.place(path);
    if (!place.ok) return place;
    const { location, slot } = place;
    if (slot.state === 'vacated')
      return refused(
        `${location.display} was deleted or renamed earlier in this turn; write the file under ` +
          `another name, or in a later turn.`,
      );
    if (slot.state === 'missing') {
      const file = new FileChange(newId('f'), undefined, location, content);
      this.files.push(file);
      return this.pending(file, `new file, ${lineCount(content)} lines`);
    }
    const current = slot.state === 'batch' ? slot.file.text! : slot.text;
    const version = slot.state === 'disk' ? slot.version : undefined;
    const result = computeWriteProposal(location.display, current, content, version);
    if (!result.ok) return refused(result.message);
    const file = this.record(location, slot, result.newText);
    return this.pending(file, `rewrite, ${lineCount(result.newText)} lines`);
  }

  private async remove(path: string): Promise<ProposeResult> {
    const place = await this.place(path);
    if (!place.ok) return place;
    const { location, slot } = place;
    if (slot.state === 'vacated' || slot.state === 'missing')
      return refused(`${location.display} does not exist${anyMore(slot)}; there is nothing to delete.`);
    if (slot.state === 'batch' && !slot.file.origin)
      return refused(
        `${location.display} is only proposed in this turn (not created yet); leave it out instead of deleting it.`,
      );
    const file = slot.state === 'batch' ? slot.file : this.add(location, slot);
    file.target = undefined;
    file.text = undefined;
    file.proposal = undefined;
    return this.pending(file, `delete, ${lineCount(file.origin!.base.text)} lines`);
  }

  private async rename(from: string, to: string): Promise<ProposeResult> {
    const source = await this.place(from);
    if (!source.ok) return source;
    const destination = await this.place(to);
    if (!destination.ok) return destination;
    const { slot } = source;
    if (slot.state === 'vacated' || slot.state === 'missing')
      return refused(`${source.location.display} does not exist${anyMore(slot)}; there is nothing to rename.`);
    if (destination.slot.state !== 'missing') {
      const until = destination.slot.state === 'vacated' ? " (until this turn's changes land)" : '';
      return refused(`${destination.location.display} already exists${until}; rename_file does not overwrite.`);
    }
    const file = slot.state === 'batch' ? slot.file : this.add(source.location, slot);
    file.target = destination.location;
    return this.pending(file, `rename to ${destination.location.display}`);
  }

  /** Resolves a path and says what the batch sees there. */
  private async place(path: string): Promise<Placed> {
    const located = await this.workspace.locate(path);
    if (!located.ok) return located;
    const { location } = located;
    const here = this.files.find((file) => file.target?.absolute === location.absolute);
    if (here) return { ok: true, location, slot: { state: 'batch', file: here } };
    if (this.files.some((file) => file.origin?.location.absolute === location.absolute))
      return { ok: true, location, slot: { state: 'vacated' } };
    const current = await located.read();
    if (!current.exists) return { ok: true, location, slot: { state: 'missing' } };
    if (!current.ok) return { ok: false, message: `${current.reason}.` };
    if (/\r(?!\n)/.test(current.text))
      return {
        ok: false,
        message: `${location.display} has old Mac (CR-only) line endings, which QCoder cannot edit safely.`,
      };
    const { text, version, fromDocument } = current;
    return { ok: true, location, slot: { state: 'disk', text, version, fromDocument } };
  }

  private add(location: FileLocation, slot: Extract<Slot, { state: 'disk' }>): FileChange {
    const base = {
      text: slot.text,
      fromDocument: slot.fromDocument,
      ...(slot.version !== undefined ? { version: slot.version } : {}),
    };
    const file = new FileChange(newId('f'), { location, base }, location, slot.text);
    this.files.push(file);
    return file;
  }

  private record(location: FileLocation, slot: Extract<Slot, { state: 'batch' | 'disk' }>, text: string): FileChange {
    if (slot.state === 'batch') {
      slot.file.setText(text);
      return slot.file;
    }
    const file = this.add(location, slot);
    file.setText(text);
    return file;
  }

  private pending(file: FileChange, description: string): ProposeResult {
    const change: PendingChange = { id: newId('c'), path: file.display, description };
    file.changeIds.push(change.id);
    return { ok: true, change };
  }
}

const refused = (message: string): { ok: false; message: string } => ({ ok: false, message });

const anyMore = (slot: Slot): string => (slot.state === 'vacated' ? ' any more in this turn' : '');
