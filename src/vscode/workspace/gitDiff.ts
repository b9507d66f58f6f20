/** `@git`: the uncommitted changes of a workspace folder, from `git diff` run in that folder. */
import type { Mention } from '../../core/context';
import { runProcess } from '../../core/context/files/process';

const MAX_DIFF_BYTES = 2 * 1024 * 1024;

export interface GitDiffOptions {
  /** Staged changes only (`git diff --cached`); default: working tree and index against HEAD. */
  readonly staged?: boolean;
  readonly signal?: AbortSignal;
}

async function diff(folderPath: string, revision: string[], signal?: AbortSignal) {
  return runProcess('git', ['-c', 'core.quotepath=off', 'diff', '--no-color', '--no-ext-diff', ...revision], {
    cwd: folderPath,
    signal,
    maxBytes: MAX_DIFF_BYTES,
    timeoutMs: 15_000,
  });
}

export async function gitDiffMention(folderPath: string, options: GitDiffOptions = {}): Promise<Mention> {
  const title = options.staged ? 'git diff --cached' : 'git diff';
  let result = await diff(folderPath, options.staged ? ['--cached'] : ['HEAD'], options.signal);
  // A repository without commits has no HEAD: the working tree against the index is all there is.
  if (!options.staged && result.code !== 0 && !result.truncated) result = await diff(folderPath, [], options.signal);
  let text: string;
  if (result.truncated) text = `${result.stdout.toString('utf8')}\n[diff cut at ${MAX_DIFF_BYTES / 1024 / 1024} MB]`;
  else if (result.code === 0) text = result.stdout.toString('utf8') || 'No uncommitted changes.';
  else
    text =
      `git diff failed: ` +
      `${result.stderr.trim() || (result.code === -1 ? 'git is not available' : `exit code ${result.code}`)}`;
  return { kind: 'text', id: `git-diff:${folderPath}${options.staged ? ':staged' : ''}`, title, text, reason: '@git' };
}
