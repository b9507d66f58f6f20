/**
 * The fill-in-the-middle prompt as Qwen coder models were trained on it: the repo-level
 * form puts other files of the repository before the current one, each after a
 * `<|file_sep|>` line that names it, and the current file split around the cursor.
 */

export const QWEN_FIM = {
  repoName: '<|repo_name|>',
  fileSep: '<|file_sep|>',
  prefix: '<|fim_prefix|>',
  suffix: '<|fim_suffix|>',
  middle: '<|fim_middle|>',
} as const;

/** Where a Qwen coder model stops on its own; the post-processor cuts at any special token as well. */
export const QWEN_STOPS = ['<|endoftext|>', '<|file_sep|>', '<|fim_pad|>', '<|im_end|>'];

/** Another file of the repository shown to the model before the current one. */
export interface Snippet {
  /** Workspace-relative POSIX path. */
  readonly path: string;
  readonly text: string;
}

export interface FimParts {
  readonly repoName: string;
  /** The current file's workspace-relative path. */
  readonly path: string;
  readonly snippets: readonly Snippet[];
  readonly prefix: string;
  readonly suffix: string;
}

/** Qwen's repo-level FIM prompt; without snippets it is still the repo-level form (the path helps the model). */
export function renderQwenRepo(parts: FimParts): string {
  let out = `${QWEN_FIM.repoName}${parts.repoName}\n`;
  for (const snippet of parts.snippets) out += `${QWEN_FIM.fileSep}${snippet.path}\n${snippet.text}\n`;
  return (
    `${out}${QWEN_FIM.fileSep}${parts.path}\n` +
    `${QWEN_FIM.prefix}${parts.prefix}${QWEN_FIM.suffix}${parts.suffix}${QWEN_FIM.middle}`
  );
}

/** Qwen coder models take the raw FIM prompt; other families go through the server's own FIM. */
export function speaksQwenFim(model: string): boolean {
  return /qwen|qwq/i.test(model);
}
