/**
 * What the agent's tools may ask of the workspace. The host implements it over
 * VS Code (open buffers first, then disk) with the same access rules everywhere;
 * tests implement it in memory.
 */

export type ReadResult =
  | { readonly ok: true; readonly text: string; readonly version?: number }
  | { readonly ok: false; readonly reason: string };

export interface SearchHit {
  readonly path: string;
  /** 1-based. */
  readonly line: number;
  readonly text: string;
  /** A line around a match, shown for context; absent or false for a matching line. */
  readonly context?: boolean;
}

export type SearchResult =
  | { readonly ok: true; readonly hits: SearchHit[]; readonly truncated: boolean; readonly note?: string }
  /** The search could not run: an invalid pattern or glob (the message says what is wrong), no ripgrep. */
  | { readonly ok: false; readonly reason: string };

export interface ListResult {
  readonly paths: string[];
  readonly truncated: boolean;
  /** Why nothing could be listed (`under` is a file, or does not exist), in words for the model. */
  readonly reason?: string;
}

export interface WorkspaceAccess {
  /** Reads a workspace-relative path; refuses paths outside the workspace or denied by the ignore/secret rules. */
  readText(path: string): Promise<ReadResult>;
  /** Workspace-relative paths, filtered by the same rules, sorted. */
  listFiles(options: { readonly under?: string; readonly glob?: string; readonly limit: number }): Promise<ListResult>;
  /** A regular-expression search (ripgrep syntax) over allowed files; `limit` caps the matching lines. */
  search(options: {
    readonly pattern: string;
    readonly glob?: string;
    readonly contextLines?: number;
    readonly limit: number;
    readonly signal: AbortSignal;
  }): Promise<SearchResult>;
}
