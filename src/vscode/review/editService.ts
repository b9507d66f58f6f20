/**
 * The agent's file tools over VS Code: `propose` computes a change on top of the batch's
 * earlier ones and writes nothing; `review` hands the batch to the review controller and
 * tells the model what the user accepted. Every path goes through the same resolution and
 * access rules as reads; refusals are worded for the model.
 */
import { realpath } from 'node:fs/promises';
import * as nodePath from 'node:path';
import type { ChangeDecision, EditBatch, EditService, PendingChange } from '../../core/agent/editService';
import {
  approvalReason,
  computeProposal,
  computeWriteProposal,
  type FileToolCall,
  fileToolSchemas,
  isInside,
  parseFileToolCall,
  type WorkspaceRoot,
} from '../../core/edits';
import { newId } from '../../core/session/session';
import { realLocation } from '../../core/context';
import { defaultIsDenied, type IsDenied, locate, readCurrent, workspaceRoots } from '../workspacePaths';
import { FileChange, type FileLocation } from './fileChange';
import type { Review } from './reviewController';
import { lineCount } from './texts';

export interface EditServiceDeps {
  /** Shows the batch's files for review; resolves when each has an outcome. */
  review(files: readonly FileChange[], signal: AbortSignal): Promise<Review>;
  readonly isDenied?: IsDenied;
  readonly roots?: () => WorkspaceRoot[];
}

type ProposeResult =
  { readonly ok: true; readonly change: PendingChange } | { readonly ok: false; readonly message: string };

const TOOL_NAMES = new Set(fileToolSchemas.map((schema) => schema.name));
const str = (value: unknown): string => (typeof value === 'string' && value ? value : '?');

export class VsCodeEditService implements EditService {
  readonly schemas = fileToolSchemas;

  constructor(private readonly deps: EditServiceDeps) {}

  handles(tool: string): boolean {
    return TOOL_NAMES.has(tool);
  }

  title(tool: string, args: Record<string, unknown>): string {
    switch (tool) {
      case 'edit_file':
        return `Edit ${str(args.path)}`;
      case 'write_file':
        return `Write ${str(args.path)}`;
      case 'delete_file':
        return `Delete ${str(args.path)}`;
      case 'rename_file':
        return `Rename ${str(args.from)} → ${str(args.to)}`;
      default:
        return tool;
    }
  }

  begin(): EditBatch & { readonly files: readonly FileChange[] } {
    return new VsCodeEditBatch(
      this.deps.review,
      this.deps.isDenied ?? defaultIsDenied,
      this.deps.roots ?? workspaceRoots,
    );
  }
}

/** What a path holds in the batch's view of the workspace: its earlier changes applied. */
type Slot =
  | { readonly state: 'batch'; readonly file: FileChange }
  | { readonly state: 'vacated' }
  | { readonly state: 'missing' }
  | { readonly state: 'disk'; readonly text: string; readonly version?: number; readonly fromDocument: boolean };

class VsCodeEditBatch implements EditBatch {
  readonly files: FileChange[] = [];

  constructor(
    private readonly reviewFiles: EditServiceDeps['review'],
    private readonly isDenied: IsDenied,
    private readonly roots: () => WorkspaceRoot[],
  ) {}

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

  private async edit(
    path: string,
    edits: Extract<FileToolCall, { tool: 'edit_file' }>['edits'],
  ): Promise<ProposeResult> {
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
    return this.pending(
      file,
      `+${added} −${removed} in ${result.hunks.length} hunk${result.hunks.length === 1 ? '' : 's'}`,
    );
  }

  private async write(path: string, content: string): Promise<ProposeResult> {
    const place = await this.place(path);
    if (!place.ok) return place;
    const { location, slot } = place;
    if (slot.state === 'vacated')
      return refused(
        `${location.display} was deleted or renamed earlier in this turn; write the file under another name, or in a later turn.`,
      );
    if (slot.state === 'missing') {
      const file = new FileChange(newId('f'), undefined, location, content);
      this.files.push(file);
      return this.pending(file, `new file, ${lineCount(content)} lines`);
    }
    const current = slot.state === 'batch' ? slot.file.text! : slot.text;
    const result = computeWriteProposal(
      location.display,
      current,
      content,
      slot.state === 'disk' ? slot.version : undefined,
    );
    if (!result.ok) return refused(result.message);
    const file = this.record(location, slot, result.newText);
    return this.pending(file, `rewrite, ${lineCount(result.newText)} lines`);
  }

  private async remove(path: string): Promise<ProposeResult> {
    const place = await this.place(path);
    if (!place.ok) return place;
    const { location, slot } = place;
    if (slot.state === 'vacated' || slot.state === 'missing')
      return refused(
        `${location.display} does not exist${slot.state === 'vacated' ? ' any more in this turn' : ''}; there is nothing to delete.`,
      );
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
      return refused(
        `${source.location.display} does not exist${slot.state === 'vacated' ? ' any more in this turn' : ''}; there is nothing to rename.`,
      );
    if (destination.slot.state !== 'missing')
      return refused(
        `${destination.location.display} already exists${destination.slot.state === 'vacated' ? " (until this turn's changes land)" : ''}; rename_file does not overwrite.`,
      );
    const file = slot.state === 'batch' ? slot.file : this.add(source.location, slot);
    file.target = destination.location;
    return this.pending(file, `rename to ${destination.location.display}`);
  }

  /** Resolves a path and says what the batch sees there. */
  private async place(
    path: string,
  ): Promise<{ ok: true; location: FileLocation; slot: Slot } | { ok: false; message: string }> {
    const located = await locate(path, this.isDenied, this.roots());
    if (!located.ok) return located;
    const { location, uri } = located;
    const here = this.files.find((file) => file.target?.absolute === location.absolute);
    if (here) return { ok: true, location, slot: { state: 'batch', file: here } };
    if (this.files.some((file) => file.origin?.location.absolute === location.absolute))
      return { ok: true, location, slot: { state: 'vacated' } };
    const current = await readCurrent(uri, location.display);
    if (!current.exists) return { ok: true, location, slot: { state: 'missing' } };
    if (!current.ok) return { ok: false, message: `${current.reason}.` };
    // A file holding a credential is not edited: refusals quote its lines back to the model.
    const denied = await this.isDenied(located.root, location.relative, current.text);
    if (denied) return { ok: false, message: `${location.display} is off limits to QCoder: ${denied}.` };
    if (/\r(?!\n)/.test(current.text))
      return {
        ok: false,
        message: `${location.display} has old Mac (CR-only) line endings, which QCoder cannot edit safely.`,
      };
    return {
      ok: true,
      location,
      slot: { state: 'disk', text: current.text, version: current.version, fromDocument: current.fromDocument },
    };
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

  private record(location: FileLocation, slot: Slot, text: string): FileChange {
    if (slot.state === 'batch') {
      slot.file.setText(text);
      return slot.file;
    }
    const file = this.add(location, slot as Extract<Slot, { state: 'disk' }>);
    file.setText(text);
    return file;
  }

  private pending(file: FileChange, description: string): ProposeResult {
    const change: PendingChange = { id: newId('c'), path: file.display, description };
    file.changeIds.push(change.id);
    return { ok: true, change };
  }

  async review(signal: AbortSignal): Promise<ChangeDecision[]> {
    const files = this.files.filter((file) => file.changeIds.length > 0);
    for (const file of files) file.approval = await approvalOf(file, this.roots());
    if (files.length === 0) return [];
    await this.reviewFiles(files, signal);
    return files.flatMap((file) =>
      file.changeIds.map((changeId): ChangeDecision => ({
        changeId,
        status: file.outcome!.status,
        message: file.outcome!.message,
        summary: file.outcome!.summary,
      })),
    );
  }
}

const refused = (message: string): { ok: false; message: string } => ({ ok: false, message });

/**
 * Why the user must approve this file's change explicitly. Both ends of a rename count, each
 * under its spelled and its real name (a link or a linked folder must not hide `.vscode/`),
 * and the destination is judged by the content that would land there.
 */
async function approvalOf(file: FileChange, roots: readonly WorkspaceRoot[]): Promise<string | undefined> {
  const origin = file.origin;
  const target = file.target;
  const moved = !origin || !target || origin.location.absolute !== target.absolute;
  if (target) {
    const before = moved ? undefined : origin?.base.text;
    for (const name of await namesOf(target, roots)) {
      const reason = approvalReason(name, before, file.text);
      if (reason) return reason;
    }
  }
  if (origin && moved) {
    // The source is vacated: for the rules that is a delete.
    for (const name of await namesOf(origin.location, roots)) {
      const reason = approvalReason(name, origin.base.text, undefined);
      if (reason) return reason;
    }
  }
  return undefined;
}

/** The workspace-relative path as spelled, and the one its links lead to when that differs. */
async function namesOf(location: FileLocation, roots: readonly WorkspaceRoot[]): Promise<string[]> {
  const root = roots.find((each) => isInside(each.path, location.absolute));
  const real = await realLocation(location.absolute);
  const realRoot = root && (await realpath(root.path).catch(() => undefined));
  if (!real.ok || !realRoot || !isInside(realRoot, real.real)) return [location.relative];
  const relative = nodePath.relative(realRoot, real.real).split(nodePath.sep).join('/');
  return relative === location.relative ? [relative] : [location.relative, relative];
}
