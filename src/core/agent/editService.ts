/**
 * How the agent hands file changes to the review flow. The agent never writes:
 * it asks for proposals, and the host shows all proposals of one model turn for
 * review and reports what the user accepted.
 */
import type { ToolSchema } from '../model/types';

export interface PendingChange {
  readonly id: string;
  readonly path: string;
  /** e.g. "+12 −3 in 2 hunks". */
  readonly description: string;
}

export type DecisionStatus = 'accepted' | 'rejected' | 'partial' | 'failed';

export interface ChangeDecision {
  readonly changeId: string;
  readonly status: DecisionStatus;
  /** For the model: which hunks landed and which were rejected. */
  readonly message: string;
  /** For the tool card. */
  readonly summary: string;
}

/** The proposals of one model turn. */
export interface EditBatch {
  /** Computes a change on top of the batch's earlier changes; nothing is written. */
  propose(
    tool: string,
    args: Record<string, unknown>,
    signal: AbortSignal,
  ): Promise<{ readonly ok: true; readonly change: PendingChange } | { readonly ok: false; readonly message: string }>;
  /** Shows every change for review; resolves when the user has decided (or the signal aborts: all rejected). */
  review(signal: AbortSignal): Promise<ChangeDecision[]>;
}

export interface EditService {
  readonly schemas: readonly ToolSchema[];
  handles(tool: string): boolean;
  title(tool: string, args: Record<string, unknown>): string;
  begin(): EditBatch;
}
