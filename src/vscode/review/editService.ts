/**
 * The agent's file tools over VS Code: `propose` (the core's ChangeBatch) computes a change
 * on top of the batch's earlier ones and writes nothing; `review` hands the batch to the
 * review controller and tells the model what the user accepted. Every path goes through the
 * same resolution and access rules as reads; refusals are worded for the model.
 */
import type { ChangeDecision, EditBatch, EditService } from '../../core/agent/editService';
import { approvalReason, fileToolSchemas, protectedReason, type WorkspaceRoot } from '../../core/edits';
import { type BatchWorkspace, ChangeBatch } from '../../core/review/batch';
import type { FileChange } from '../../core/review/fileChange';
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
      const { location, uri } = located;
      return { ok: true, location, read: () => readCurrent(uri, location.display) };
    },
  };
}

class VsCodeEditBatch extends ChangeBatch implements EditBatch {
  constructor(
    private readonly reviewFiles: EditServiceDeps['review'],
    isDenied: IsDenied,
    roots: () => WorkspaceRoot[],
  ) {
    super(vscodeWorkspace(isDenied, roots));
  }

  async review(signal: AbortSignal): Promise<ChangeDecision[]> {
    const files = this.files.filter((file) => file.changeIds.length > 0);
    for (const file of files) file.approval = approvalOf(file);
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

/** Why the user must approve this file's change explicitly (either end of a rename counts). */
function approvalOf(file: FileChange): string | undefined {
  const from = file.origin?.location.relative;
  const to = file.target?.relative;
  return (
    approvalReason(to ?? from!, file.origin?.base.text, file.text) ??
    (from && from !== to ? protectedReason(from) : undefined)
  );
}
