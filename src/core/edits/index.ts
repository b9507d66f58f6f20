/**
 * Model-proposed file edits: tool schemas, argument parsing, tolerant location of
 * search/replace blocks, proposals with per-hunk review and rebase, and path safety.
 * Pure TypeScript; the host turns proposals into WorkspaceEdits.
 */
export { parseFileToolCall, type FileToolCall } from './args';
export { applyEdits, type Applied, type NotApplied, type Region } from './apply';
export { FUZZY_THRESHOLD } from './fuzzy';
export { applyHunks, computeHunks } from './hunks';
export { confirmRealPath, isInside, resolveWorkspacePath, type ResolvedPath, type WorkspaceRoot } from './paths';
export { approvalReason, packageJsonRisk, protectedReason } from './protectedPaths';
export { computeProposal, computeWriteProposal, diffProposal, isCurrent, rebase, refuse } from './proposal';
export {
  deleteFileSchema,
  editFileSchema,
  fileToolSchemas,
  renameFileSchema,
  writeFileSchema,
  type ToolSchema,
} from './schemas';
export { contentHash } from './text';
export type * from './types';
