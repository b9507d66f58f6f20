/**
 * What one batch does to one file. Every tool call on the same file is stacked onto the
 * previous ones, so the user reviews a single change from the file as it was to the file as
 * the turn leaves it, split into units they accept or reject one by one: each hunk, and
 * the creation, deletion or rename of the file.
 */
import type { DecisionStatus } from '../agent/editService';
import { diffProposal, type Hunk, type Proposal } from '../edits';
import { lineCount } from './texts';

export interface FileLocation {
  /** What the user and the model see: the relative path, prefixed by the folder name in a multi-root workspace. */
  readonly display: string;
  readonly absolute: string;
  /** Relative to its workspace folder, `/`-separated: what access rules and protected paths look at. */
  readonly relative: string;
}

export interface BaseText {
  readonly text: string;
  /** The document version, when the text came from an editor buffer with unsaved changes. */
  readonly version?: number;
  readonly fromDocument: boolean;
}

export type UnitKind = 'hunk' | 'create' | 'delete' | 'rename';
export type UnitDecision = 'pending' | 'accepted' | 'rejected';

/** One thing the user accepts or rejects. */
export interface ReviewUnit {
  readonly key: string;
  readonly kind: UnitKind;
  readonly hunk?: Hunk;
}

export type FileKind = 'edit' | 'create' | 'delete' | 'rename';

/** How the review of a file ended (outcome.ts words it). */
export interface FileOutcome {
  readonly status: DecisionStatus;
  /** For the model. */
  readonly message: string;
  /** For the tool card and the review card. */
  readonly summary: string;
}

export interface Origin {
  readonly location: FileLocation;
  readonly base: BaseText;
}

export class FileChange {
  /** The PendingChange ids (tool calls) folded into this file. */
  readonly changeIds: string[] = [];
  /** Why a change here needs explicit approval (a protected path, package.json scripts…). */
  approval: string | undefined;
  /** From `origin.base` to `text`, for a file that existed and still does. */
  proposal: Proposal | undefined;
  readonly decisions = new Map<string, UnitDecision>();
  /** The text the hunks are positioned on: the origin's, or the newer text they were rebased onto. */
  current: BaseText | undefined;
  /** Units that are in the workspace now. */
  readonly landed = new Set<string>();
  /** Set when the file is done with: what the model and the card are told. */
  outcome: FileOutcome | undefined;

  constructor(
    readonly id: string,
    /** The file as it was when the batch first touched it; undefined for a file the batch creates. */
    readonly origin: Origin | undefined,
    /** Where the file is when the batch is done; undefined when the batch deletes it. */
    public target: FileLocation | undefined,
    /** Its content when the batch is done. */
    public text: string | undefined,
  ) {
    this.current = origin?.base;
    if (origin && text !== undefined) this.proposal = stackedProposal(origin.location.display, origin.base, text);
  }

  get kind(): FileKind {
    if (!this.origin) return 'create';
    if (!this.target) return 'delete';
    return this.target.absolute !== this.origin.location.absolute ? 'rename' : 'edit';
  }

  get display(): string {
    return (this.target ?? this.origin?.location)?.display ?? '?';
  }

  /** Replaces the content the batch leaves (a later call stacked on the earlier ones). */
  setText(text: string): void {
    this.text = text;
    if (this.origin) this.proposal = stackedProposal(this.origin.location.display, this.origin.base, text);
  }

  /** The file changed since the proposal and its hunks were found again in `base`. */
  rebaseOnto(base: BaseText, proposal: Proposal): void {
    this.current = base;
    this.proposal = proposal;
    this.text = proposal.newText;
  }

  units(): ReviewUnit[] {
    if (!this.origin) return this.target ? [{ key: 'create', kind: 'create' }] : [];
    if (!this.target) return [{ key: 'delete', kind: 'delete' }];
    const units: ReviewUnit[] = (this.proposal?.hunks ?? []).map((hunk) => ({
      key: hunkKey(hunk),
      kind: 'hunk',
      hunk,
    }));
    if (this.kind === 'rename') units.push({ key: 'rename', kind: 'rename' });
    return units;
  }

  decision(unit: ReviewUnit): UnitDecision {
    return this.decisions.get(unit.key) ?? 'pending';
  }

  decide(decision: UnitDecision, filter: (unit: ReviewUnit) => boolean = () => true): void {
    for (const unit of this.units()) if (filter(unit)) this.decisions.set(unit.key, decision);
  }

  get pending(): boolean {
    return this.units().some((unit) => this.decision(unit) === 'pending');
  }

  /** Lines added and removed if every unit lands. */
  counts(): { added: number; removed: number } {
    if (!this.origin) return { added: lineCount(this.text ?? ''), removed: 0 };
    if (!this.target) return { added: 0, removed: lineCount(this.origin.base.text) };
    let added = 0;
    let removed = 0;
    for (const hunk of this.proposal?.hunks ?? []) {
      added += hunk.newLineCount;
      removed += hunk.oldLineCount;
    }
    return { added, removed };
  }
}

export const hunkKey = (hunk: Hunk): string => `h${hunk.id}`;

/**
 * The proposal from `base` to `text`, hunk by hunk: lines both share keep their bytes, so
 * stacked edits to a mixed-EOL file, or one that changes the final newline, are still
 * reviewed one hunk at a time. (The BOM stays the base's; no tool changes it.)
 */
export function stackedProposal(path: string, base: BaseText, text: string): Proposal | undefined {
  const result = diffProposal(path, base.text, text, base.version);
  return result.ok ? result : undefined;
}
