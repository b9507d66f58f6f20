/** The shapes shared by the edit core: what the model proposes, what we make of it, and why we refuse. */

/** One search/replace block of the `edit_file` tool. */
export interface Edit {
  readonly oldText: string;
  readonly newText: string;
  /** Replace every occurrence instead of requiring a unique one. */
  readonly replaceAll?: boolean;
}

/** How a block was found, from strictest to loosest; reported so the user and the model can see it. */
export type MatchStrategy = 'exact' | 'whitespace' | 'indentation' | 'normalized' | 'elided' | 'fuzzy';

export type RefusalKind =
  | 'invalid_arguments'
  | 'not_found'
  | 'ambiguous'
  | 'overlap'
  | 'elision_mismatch'
  | 'no_change'
  | 'stale'
  | 'outside_workspace'
  | 'invalid_path';

/** What we found for one edit, for the refusal message: never applied. */
export interface Candidate {
  /** 1-based first line of the candidate block. */
  readonly line: number;
  readonly endLine: number;
  /** 0..1; 1 is identical after normalisation. */
  readonly similarity: number;
  /** The line that differs most, for "expected … found …". */
  readonly worst?: { readonly line: number; readonly expected: string; readonly found: string };
}

export interface EditProblem {
  /** 0-based index of the edit in the call. */
  readonly edit: number;
  readonly kind: RefusalKind;
  readonly detail: string;
  readonly candidates?: readonly Candidate[];
}

/** Nothing was applied; `message` is written for the model to act on. */
export interface Refusal {
  readonly ok: false;
  readonly kind: RefusalKind;
  readonly message: string;
  readonly problems?: readonly EditProblem[];
}

/** Where one edit landed in the original text. */
export interface MatchReport {
  readonly edit: number;
  readonly strategy: MatchStrategy;
  /** 1-based inclusive line range in the original; one entry per occurrence (several with replace_all). */
  readonly ranges: readonly { readonly startLine: number; readonly endLine: number }[];
  /** Lowest per-line similarity accepted (fuzzy only). */
  readonly similarity?: number;
}

/**
 * One reviewable change: whole lines `[oldStart, oldStart + oldLineCount)` of the original
 * become `newText`. Offsets are into the original text exactly as given (BOM included if it was).
 */
export interface Hunk {
  readonly id: number;
  /** 0-based first original line replaced (for an insertion: the line it goes before). */
  readonly oldStart: number;
  readonly oldLineCount: number;
  /** 0-based first line of this hunk in the full new text. */
  readonly newStart: number;
  readonly newLineCount: number;
  readonly start: number;
  readonly end: number;
  /** The original bytes of the replaced lines, terminators included. */
  readonly oldText: string;
  /** The bytes that replace them, in the file's own line endings. */
  readonly newText: string;
  /** Up to three unchanged lines either side, exact bytes, for `rebase`. */
  readonly before: string;
  readonly after: string;
}

export interface TextFacts {
  readonly eol: '\n' | '\r\n';
  readonly mixedEol: boolean;
  readonly bom: boolean;
  readonly finalNewline: boolean;
}

/** A change to one file, computed against a known base text, ready for review. */
export interface Proposal {
  readonly ok: true;
  readonly kind: 'edit' | 'write';
  readonly path: string;
  /** `contentHash` of the text the proposal was computed on. */
  readonly baseHash: string;
  /** The host's document version, when it has one. */
  readonly baseVersion?: number;
  /** Whether the file existed (write_file may create one). */
  readonly created: boolean;
  readonly newText: string;
  readonly hunks: readonly Hunk[];
  readonly matches: readonly MatchReport[];
  readonly facts: TextFacts;
}

export type ProposalResult = Proposal | Refusal;
