/**
 * What the agent's code tools ask of the editor's language services: diagnostics, workspace
 * symbols, definitions and references. The host implements it over VS Code's providers
 * (`src/vscode/agent/codeIntel.ts`); tests implement it in memory. Files are named by an opaque
 * `file` key (the host uses the absolute path); `displayPath` turns one into the workspace-relative
 * path the model sees, or refuses it (outside the workspace, ignored, secret), and the tools drop
 * what is refused before anything reaches the model.
 */

/** 1-based, inclusive lines; columns 1-based too, when known. */
export interface LineRange {
  readonly startLine: number;
  readonly endLine: number;
  readonly startColumn?: number;
  readonly endColumn?: number;
}

export const SEVERITIES = ['error', 'warning', 'info', 'hint'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface Problem {
  readonly file: string;
  readonly severity: Severity;
  readonly message: string;
  /** e.g. "ts", "eslint". */
  readonly source?: string;
  readonly code?: string;
  readonly range: LineRange;
}

export interface CodeLocation {
  readonly file: string;
  readonly range: LineRange;
  /** For symbols: the name, its kind ("class", "function"…) and what contains it. */
  readonly name?: string;
  readonly kind?: string;
  readonly container?: string;
}

/** A place in a file the model names: the path it gave and a 1-based line and column. */
export interface CodePosition {
  /** As the model wrote it (workspace-relative); the host resolves it the way read_file does. */
  readonly path: string;
  readonly line: number;
  readonly column: number;
}

export type IntelResult<T> =
  | { readonly ok: true; readonly items: readonly T[]; readonly note?: string }
  | { readonly ok: false; readonly reason: string };

export interface CodeIntel {
  /** Diagnostics of every file, or of the one at `path` (workspace-relative, as the model wrote it). */
  problems(path?: string): Promise<IntelResult<Problem>>;
  /** Symbols whose names match `query`, from every language server of the workspace. */
  symbols(query: string, signal: AbortSignal): Promise<IntelResult<CodeLocation>>;
  definitions(at: CodePosition, signal: AbortSignal): Promise<IntelResult<CodeLocation>>;
  references(at: CodePosition, includeDeclaration: boolean, signal: AbortSignal): Promise<IntelResult<CodeLocation>>;
  /** The workspace-relative path to show for `file`, or undefined when QCoder may not show it. */
  displayPath(file: string): Promise<string | undefined>;
  /** The text of a line (1-based) of an allowed file, for a short preview; undefined when unknown. */
  lineText?(file: string, line: number): Promise<string | undefined>;
}
