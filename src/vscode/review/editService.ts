/**
 * The agent's file tools over VS Code: `propose` (the core's ChangeBatch) computes a change
 * on top of the batch's earlier ones and writes nothing; `review` hands the batch to the
 * review controller and tells the model what the user accepted. Every path goes through the
 * same resolution and access rules as reads; refusals are worded for the model.
 */
import { realpath } from 'node:fs/promises';
import * as nodePath from 'node:path';
import type { ChangeDecision, EditBatch, EditService } from '../../core/agent/editService';
import { realLocation } from '../../core/context';
import { approvalReason, fileToolSchemas, isInside, type WorkspaceRoot } from '../../core/edits';
import { type BatchWorkspace, ChangeBatch } from '../../core/review/batch';
import type { FileChange, FileLocation } from '../../core/review/fileChange';
import { defaultIsDenied, type IsDenied, locate, readCurrent, workspaceRoots } from '../workspacePaths';
import type { Review } from './reviewController';

export interface EditServiceDeps {
  /** Shows the batch's files for review; resolves when each has an outcome. */
  review(files: readonly FileChange[], signal: AbortSignal): Promise<Review>;
  readonly isDenied?: IsDenied;
  readonly roots?: () => WorkspaceRoot[];
}

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

/** The workspace as the batch sees it: paths resolved and read through VS Code. */
function vscodeWorkspace(isDenied: IsDenied, roots: () => WorkspaceRoot[]): BatchWorkspace {
  return {
    async locate(path) {
      const located = await locate(path, isDenied, roots());
      if (!located.ok) return located;
      const { location, uri, root } = located;
      const read = async () => {
        const current = await readCurrent(uri, location.display);
        if (!current.exists || !current.ok) return current;
        // A file holding a credential is not edited: refusals quote its lines back to the model.
        const denied = await isDenied(root, location.relative, current.text);
        return denied
          ? {
              exists: true as const,
              ok: false as const,
              reason: `${location.display} is off limits to QCoder: ${denied}`,
            }
          : current;
      };
      return { ok: true, location, read };
    },
  };
}

class VsCodeEditBatch extends ChangeBatch implements EditBatch {
  constructor(
    private readonly reviewFiles: EditServiceDeps['review'],
    isDenied: IsDenied,
    private readonly roots: () => WorkspaceRoot[],
  ) {
    super(vscodeWorkspace(isDenied, roots));
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
