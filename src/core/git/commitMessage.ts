/**
 * The request for a commit message: the change (the staged diff, or every change when nothing
 * is staged) and the repository's recent subjects, so the message reads like the log it joins
 * (conventional commits when the log uses them). A diff over the token budget is summarised per
 * file: every file is named with its added and removed lines, and whole file diffs go in, smallest
 * first, while they fit.
 */
import type { TokenCounter } from '../context/tokens/tokenCounter';
import type { ChatMessage } from '../model/types';

const CONVENTIONAL = /^(feat|fix|docs|style|refactor|perf|test|tests|build|ci|chore|revert)(\([^)]*\))?!?: \S/;
/** Subjects shown to the model as the house style. */
export const SUBJECTS_SHOWN = 10;

export interface FileDiff {
  readonly path: string;
  readonly text: string;
  readonly added: number;
  readonly removed: number;
}

/** A unified diff (`git diff` output) split by file. */
export function splitDiff(diff: string): FileDiff[] {
  const chunks = diff.split(/^(?=diff --git )/m).filter((chunk) => chunk.startsWith('diff --git '));
  return chunks.map((text) => {
    const header = /^diff --git a\/(.+?) b\/(.+)$/m.exec(text);
    let added = 0;
    let removed = 0;
    for (const line of text.split('\n')) {
      if (line.startsWith('+') && !line.startsWith('+++')) added++;
      else if (line.startsWith('-') && !line.startsWith('---')) removed++;
    }
    return { path: header?.[2] ?? header?.[1] ?? '?', text: text.trimEnd(), added, removed };
  });
}

/** Most of the recent subjects follow Conventional Commits. */
export function usesConventionalCommits(subjects: readonly string[]): boolean {
  if (subjects.length === 0) return false;
  return subjects.filter((subject) => CONVENTIONAL.test(subject)).length * 2 >= subjects.length;
}

/** The diff within `budget` tokens: whole, or a per-file summary with the files that fit. */
export function fitDiff(diff: string, counter: TokenCounter, budget: number): { text: string; summarised: boolean } {
  if (counter.count(diff) <= budget) return { text: diff.trimEnd(), summarised: false };
  const files = splitDiff(diff);
  const summary = files.map((file) => `${file.path} (+${file.added} −${file.removed})`);
  const list = summary.join('\n');
  const heading = `The diff is too large to send whole (${files.length} files). Every file changed:\n${list}`;
  let left = budget - counter.count(heading) - 50;
  const shown: FileDiff[] = [];
  for (const file of [...files].sort((a, b) => a.text.length - b.text.length)) {
    const tokens = counter.count(file.text);
    if (tokens > left) continue;
    shown.push(file);
    left -= tokens;
  }
  const omitted = files.length - shown.length;
  const body = files
    .filter((file) => shown.includes(file))
    .map((file) => file.text)
    .join('\n');
  const note = omitted > 0 ? `\n\n(${omitted} file diff${omitted === 1 ? '' : 's'} left out; see the list above.)` : '';
  return { text: `${heading}\n\nThe diffs that fit:\n${body}${note}`, summarised: true };
}

export interface CommitRequest {
  readonly diff: string;
  /** Whether the diff is the staged changes (or, when nothing was staged, every change). */
  readonly staged: boolean;
  readonly subjects: readonly string[];
  readonly counter: TokenCounter;
  readonly budget: number;
}

export function commitMessages(request: CommitRequest): ChatMessage[] {
  const subjects = request.subjects.slice(0, SUBJECTS_SHOWN);
  const conventional = usesConventionalCommits(subjects);
  const style = conventional
    ? 'This repository uses Conventional Commits: start the subject with a type (feat, fix, docs, refactor, ' +
      'test, chore…) and an optional scope, as in its log.'
    : 'Match the style of the recent subjects (tense, capitalisation, length, prefixes).';
  const system =
    'You write git commit messages. Answer with the message only: no code fences, no quotes, no explanation. ' +
    'A subject line under 72 characters that says what the change does and why; then, if the change needs it, ' +
    'a blank line and a short body wrapped at 72 columns. ' +
    style;
  const fitted = fitDiff(request.diff, request.counter, request.budget);
  const log = subjects.length
    ? `Recent commit subjects, newest first:\n${subjects.map((s) => `- ${s}`).join('\n')}`
    : 'The repository has no commits yet.';
  const what = request.staged ? 'The staged changes' : 'Nothing is staged; the changes in the working tree';
  return [
    { role: 'system', content: system },
    { role: 'user', content: `${log}\n\n${what}:\n\n${fitted.text}\n\nWrite the commit message.` },
  ];
}

/** The message as it streams: without a fence or quotes the model added around it. */
export function cleanMessage(text: string): string {
  let message = text.replace(/^\s*```[\w-]*\n?/, '').replace(/\n?```\s*$/, '');
  message = message.replace(/^<think>[\s\S]*?<\/think>\s*/, '');
  const quoted = /^"([\s\S]*)"$/.exec(message.trim());
  return (quoted ? quoted[1] : message).trim();
}
