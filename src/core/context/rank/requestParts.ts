/**
 * The parts of a pasted request and how much each says about where to look. The words
 * a person wrote count fully; a short code block (the reproduction, the call that fails)
 * as much; a long pasted block (a `pip list`, a linter's report on the user's own files,
 * a log) is mostly the user's environment, so its words are damped by its length; a
 * collapsed `<details>` section counts half; template comments (`<!-- ... -->`) not at all.
 * Without this, two hundred package names outweigh the one word that names the bug.
 */

export interface RequestPart {
  readonly text: string;
  /** 0–1: how much a word here counts. */
  readonly weight: number;
}

/**
 * A block with up to this many lines of words counts fully; a longer one by LINES_FULL
 * / its lines of words (drawings and blank lines add no words, so they do not count).
 */
const LINES_FULL = 25;
/** A long block still counts this much: a rare name in a log can still be the pointer. */
const MIN_BLOCK_WEIGHT = 0.2;
/** Inside `<details>`: what the reporter folded away themselves. */
const DETAILS_WEIGHT = 0.5;

const FENCE = /^\s*(`{3,}|~{3,})/;

/** The run of backticks or tildes that makes `line` a code fence line, if it is one. */
export function fenceRun(line: string): string | undefined {
  return FENCE.exec(line)?.[1];
}

/** Whether a fence line's `run` closes the block `open` began: the same character, at least as many. */
export function closesFence(open: string, run: string | undefined): boolean {
  return run !== undefined && run[0] === open[0] && run.length >= open.length;
}

export function requestParts(text: string): RequestPart[] {
  const parts: RequestPart[] = [];
  let prose: string[] = [];
  let block: string[] | undefined;
  let fence = '';
  let details = 0;
  const scale = () => (details > 0 ? DETAILS_WEIGHT : 1);
  const flushProse = () => {
    if (prose.length) parts.push({ text: prose.join('\n'), weight: scale() });
    prose = [];
  };
  for (const line of text.replace(/<!--[\s\S]*?(-->|$)/g, ' ').split(/\r?\n/)) {
    const run = fenceRun(line);
    if (block) {
      if (closesFence(fence, run)) {
        parts.push({ text: block.join('\n'), weight: scale() * blockWeight(block) });
        block = undefined;
      } else block.push(line);
      continue;
    }
    if (run) {
      flushProse();
      block = [];
      fence = run;
      continue;
    }
    const opens = (line.match(/<details\b/gi) ?? []).length;
    const closes = (line.match(/<\/details>/gi) ?? []).length;
    if (opens || closes) flushProse();
    details = Math.max(0, details + opens);
    prose.push(line);
    if (closes) {
      flushProse();
      details = Math.max(0, details - closes);
    }
  }
  // An unclosed fence runs to the end, as Markdown renders it.
  if (block) parts.push({ text: block.join('\n'), weight: scale() * blockWeight(block) });
  flushProse();
  return parts;
}

function blockWeight(block: readonly string[]): number {
  const lines = block.filter((line) => /[A-Za-z_]{2}/.test(line)).length;
  return lines <= LINES_FULL ? 1 : Math.max(MIN_BLOCK_WEIGHT, LINES_FULL / lines);
}
