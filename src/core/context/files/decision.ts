/**
 * The access decision itself, apart from where the rules come from: one path as spelled,
 * the same file as it really is (links followed), and every rule applied to both. A
 * secret is denied for every operation and hidden; a protected path may be written only
 * with the user's own approval; a check that fails denies.
 */
import { approvalReason, protectedReason } from '../../edits/protectedPaths';
import type { DenyRule } from './builtinRules';
import type { FileLocation, WorkspaceFolder } from './workspace';

/**
 * What a reader or writer is about to do. `mention` is the user naming the file (ignore
 * rules give way, secrets never do); `rename-from` and `rename-to` are the two ends of a rename.
 */
export type AccessOp =
  'read' | 'list' | 'search' | 'context' | 'mention' | 'write' | 'create' | 'delete' | 'rename-from' | 'rename-to';

export const WRITE_OPS: ReadonlySet<AccessOp> = new Set(['write', 'create', 'delete', 'rename-from', 'rename-to']);

/** Operations on a file that must already be there. */
const NEEDS_FILE: ReadonlySet<AccessOp> = new Set(['read', 'search', 'context', 'mention', 'delete', 'rename-from']);

export interface DecideOptions {
  /** What the file holds now (the content rules look at it). */
  readonly text?: string;
  /** What the file would hold after a write, create or rename-to (package.json scripts). */
  readonly newText?: string;
}

export interface AccessDecision {
  readonly allowed: boolean;
  /** The rule that denied (when denied). */
  readonly rule?: DenyRule;
  /** Why it was denied, worded for the model and the user. */
  readonly reason?: string;
  /** Allowed, but only with the user's own approval, whatever auto-approve says: why. */
  readonly needsApproval?: string;
  /** A secret: not even listed, its name not shown. */
  readonly hidden?: boolean;
  /** The file as spelled (when inside a workspace folder). */
  readonly location?: FileLocation;
  /** The real absolute path: the file's, or for a new file its nearest existing folder's plus the new names. */
  readonly real?: string;
  /** The real path relative to the folder that holds it. */
  readonly realRel?: string;
  /** Whether the file exists (after following links). */
  readonly exists?: boolean;
}

type Denial = { readonly rule: DenyRule; readonly reason: string } | undefined;

export interface PathRules {
  denial(folder: WorkspaceFolder, rel: string, explicit: boolean): Denial;
  textDenial(rel: string, text: string): Denial;
  real(abs: string): Promise<
    | {
        readonly ok: true;
        readonly real: string;
        readonly exists: boolean;
        readonly location: FileLocation | undefined;
      }
    | { readonly ok: false; readonly reason: string }
  >;
}

const deny = (denial: NonNullable<Denial>, location: FileLocation): AccessDecision => ({
  allowed: false,
  rule: denial.rule,
  reason: denial.reason,
  ...(denial.rule === 'secret' ? { hidden: true } : {}),
  location,
});

export async function decideOnPaths(
  rules: PathRules,
  location: FileLocation,
  op: AccessOp,
  options: DecideOptions,
): Promise<AccessDecision> {
  const explicit = op === 'mention';
  const spelled = rules.denial(location.folder, location.rel, explicit);
  if (spelled?.rule === 'secret') return deny(spelled, location);
  const real = await rules.real(location.abs);
  if (!real.ok) return deny({ rule: 'unverifiable', reason: `${location.rel}: ${real.reason}` }, location);
  if (!real.location)
    return deny({ rule: 'outside-workspace', reason: `${location.rel} leads outside the workspace` }, location);
  const realRel = real.location.rel;
  const atReal = rules.denial(real.location.folder, realRel, explicit);
  if (atReal?.rule === 'secret')
    return deny({ rule: 'secret', reason: `${location.rel} leads to a secret file (${atReal.reason})` }, location);
  const content = options.text === undefined ? undefined : contentDenial(rules, [location.rel, realRel], options.text);
  if (content) return deny(content, location);
  const first = spelled ?? atReal;
  if (first) return deny(first, location);
  if (!real.exists && NEEDS_FILE.has(op))
    return deny({ rule: 'missing', reason: `${location.rel} does not exist` }, location);
  const facts = { location, real: real.real, realRel, exists: real.exists };
  const approval = WRITE_OPS.has(op) ? approvalFor(op, [location.rel, realRel], options) : undefined;
  return approval ? { allowed: true, needsApproval: approval, ...facts } : { allowed: true, ...facts };
}

function contentDenial(rules: PathRules, rels: readonly string[], text: string): Denial {
  for (const rel of rels) {
    const denial = rules.textDenial(rel, text);
    if (denial) return denial;
  }
  return undefined;
}

/** Protected-path and package.json rules, on every spelling of the file. */
function approvalFor(op: AccessOp, rels: readonly string[], options: DecideOptions): string | undefined {
  for (const rel of rels) {
    const reason = approvalOf(op, rel, options);
    if (reason) return reason;
  }
  return undefined;
}

function approvalOf(op: AccessOp, rel: string, options: DecideOptions): string | undefined {
  if (op === 'delete' || op === 'rename-from') return approvalReason(rel, options.text, undefined);
  if (op === 'write' && options.newText !== undefined) return approvalReason(rel, options.text, options.newText);
  return protectedReason(rel, options.newText);
}
