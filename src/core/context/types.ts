/** The shapes that travel between the host, ranking, packing and the ledger UI. */

/** 1-based, inclusive. */
export interface LineRange {
  readonly start: number;
  readonly end: number;
}

export type DiagnosticSeverity = 'error' | 'warning' | 'info';

export interface DiagnosticSignal {
  /** Absolute or display path. */
  readonly path: string;
  readonly line: number;
  readonly severity: DiagnosticSeverity;
  readonly message: string;
}

/**
 * Something the user attached by name: a file (maybe a range of it), or a text the host produced (@git, @terminal…).
 */
export type Mention =
  | {
      readonly kind: 'file';
      readonly path: string;
      readonly range?: LineRange;
      /** Why it is pinned, for the ledger (default: "@-mentioned"). */
      readonly reason?: string;
      /** Lines that matter most when the whole file does not fit (a range sets its own). */
      readonly focus?: readonly number[];
    }
  | {
      readonly kind: 'text';
      readonly id: string;
      readonly title: string;
      readonly text: string;
      readonly reason: string;
    };

/** What the editor knows about the user's focus; every field optional. */
export interface ContextSignals {
  /** @-mentions, in the order the user wrote them. */
  readonly mentions?: readonly Mention[];
  /** Absolute or display path of the active editor's file. */
  readonly activeFile?: string;
  /** Line of the cursor in the active file, for large files that enter as an outline. */
  readonly cursorLine?: number;
  readonly selection?: { readonly path: string; readonly range: LineRange; readonly text: string };
  readonly openEditors?: readonly string[];
  /** Most recent first. */
  readonly recentlyEdited?: readonly string[];
  readonly diagnostics?: readonly DiagnosticSignal[];
}

export type Share = 'system' | 'tools' | 'pinned' | 'retrieved' | 'history';

/** A file or text that may go into the prompt, with why. */
export interface Candidate {
  /** Stable identity: `file:<display path>` or `text:<id>`. */
  readonly key: string;
  readonly title: string;
  /** Display path for files. */
  readonly path?: string;
  /** Set for host-produced texts (diffs, terminal output). */
  readonly text?: string;
  readonly pinned: boolean;
  readonly score: number;
  readonly reasons: readonly string[];
  /** Lines that matter most (matches, diagnostics, cursor, a mentioned range). */
  readonly focus: readonly number[];
  /** Query terms the file matched (lower case, most telling first): the packer shows the lines that hold them. */
  readonly terms?: readonly string[];
  /** Only these lines were asked for (a mention with a range, a selection). */
  readonly only?: LineRange;
  /** An open document's unsaved symbols, or VS Code's document symbols, when the host has them. */
  readonly symbols?: readonly {
    name: string;
    kind: string;
    line: number;
    endLine: number;
    depth: number;
    signature: string;
  }[];
}

export type ItemForm = 'whole' | 'outline' | 'excerpt' | 'text';

/** One row of the context ledger. */
export interface LedgerItem {
  readonly key: string;
  readonly title: string;
  readonly path?: string;
  readonly share: 'pinned' | 'retrieved';
  readonly pinned: boolean;
  readonly reasons: readonly string[];
  readonly score: number;
  /** How it entered: whole, outline (+ ranges), an excerpt, or a host text. */
  readonly form?: ItemForm;
  /** Lines shown; undefined for a whole file. */
  readonly ranges?: readonly LineRange[];
  /** Tokens it costs in the prompt (0 when dropped). */
  readonly tokens: number;
  readonly included: boolean;
  /** Why it was dropped, or why it entered as an outline. */
  readonly note?: string;
}
