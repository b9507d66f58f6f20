/**
 * The one decision on a shell line the agent wants to run: allowed without asking, ask the user,
 * or refused. The line is judged by every sub-command it would run, never by its text as a whole.
 */

/** The user's rules (application scope: a repository cannot widen them). */
export interface CommandRules {
  /** Commands that may run without asking in the auto modes, e.g. `npm test`, `git status`. */
  readonly allow: readonly string[];
  /** Commands that never run, whatever the mode or a session approval. */
  readonly deny: readonly string[];
}

export interface CheckOptions {
  /** True for a workspace-relative or absolute path the access policy protects (a write there asks). */
  readonly isProtectedPath?: (path: string) => boolean;
}

export type CommandVerdict =
  /** Every sub-command is on the allow list and nothing in the line needs a person. */
  | { readonly kind: 'allow'; readonly commands: readonly string[] }
  /** A person must approve; `reasons` say why in words a user understands. */
  | { readonly kind: 'ask'; readonly commands: readonly string[]; readonly reasons: readonly string[] }
  /** A sub-command is on the deny list: it never runs. */
  | { readonly kind: 'deny'; readonly commands: readonly string[]; readonly reasons: readonly string[] };

/**
 * Until the shell-grammar checker lands every line asks: the safe answer for a line nobody has parsed.
 */
export async function checkCommand(
  line: string,
  _rules: CommandRules,
  _options: CheckOptions = {},
): Promise<CommandVerdict> {
  return { kind: 'ask', commands: [line], reasons: ['Commands are not checked yet, so every command asks.'] };
}
