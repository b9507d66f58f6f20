/**
 * Instruction files into the system prompt within a token budget, counted with the
 * project's tokenizer. Files go in the order given (the nearest first); one that does not
 * fit whole is cut at a line boundary and says so, and once the budget is spent the rest
 * are left out, each named in the ledger with the reason.
 */
import type { TokenCounter } from '../context/tokens/tokenCounter';
import type { InstructionCandidate } from './discovery';

/** Default tokens the instruction files may take together. */
export const INSTRUCTION_BUDGET = 8_000;

export interface InstructionFile extends InstructionCandidate {
  /** How the user reads the file's place: `QWEN.md`, `app/src/AGENTS.md`, `user QWEN.md`. */
  readonly title: string;
  readonly text: string;
}

/** One instruction file as it went into the prompt (or did not), for the ledger. */
export interface InstructionItem {
  readonly key: string;
  readonly title: string;
  /** Tokens of its section in the system prompt (0 when left out). */
  readonly tokens: number;
  readonly included: boolean;
  readonly note?: string;
}

export interface AssembledInstructions {
  /** The section appended to the system prompt; empty when no file went in. */
  readonly text: string;
  readonly items: readonly InstructionItem[];
}

const HEADER =
  '# Project instructions\n\nThe user keeps these instruction files for this project (the nearest to the file ' +
  'being worked on first). Follow them unless the user says otherwise in the chat.';
const TRUNCATED = '\n[… cut here: the instruction budget was used up]';

export function instructionKey(file: InstructionCandidate): string {
  return `instructions:${file.source}:${file.root}/${file.relative}`;
}

function section(file: InstructionFile, body: string): string {
  return `\n\n## ${file.title}\n\n${body.trim()}`;
}

export function assembleInstructions(
  files: readonly InstructionFile[],
  counter: TokenCounter,
  budget: number = INSTRUCTION_BUDGET,
): AssembledInstructions {
  const present = files.filter((file) => file.text.trim());
  if (!present.length) return { text: '', items: [] };
  let left = budget - counter.count(HEADER);
  let text = HEADER;
  const items: InstructionItem[] = [];
  for (const file of present) {
    const key = instructionKey(file);
    const whole = section(file, file.text);
    const tokens = counter.count(whole);
    if (tokens <= left) {
      text += whole;
      left -= tokens;
      items.push({ key, title: file.title, tokens, included: true });
      continue;
    }
    const cut = cutToFit(file, counter, left);
    if (!cut) {
      items.push({ key, title: file.title, tokens: 0, included: false, note: `left out: ${budgetNote(budget)}` });
      continue;
    }
    text += cut.text;
    left -= cut.tokens;
    items.push({
      key,
      title: file.title,
      tokens: cut.tokens,
      included: true,
      note: `cut to its first ${cut.lines} of ${cut.total} lines: ${budgetNote(budget)}`,
    });
  }
  if (items.every((item) => !item.included)) return { text: '', items };
  return { text, items };
}

function budgetNote(budget: number): string {
  return `the instruction files may use ${budget.toLocaleString('en-US')} tokens`;
}

/** The longest head of the file (whole lines) whose section fits in `room` tokens; undefined if not one line. */
function cutToFit(
  file: InstructionFile,
  counter: TokenCounter,
  room: number,
): { text: string; tokens: number; lines: number; total: number } | undefined {
  const lines = file.text.trim().split('\n');
  const cost = (count: number) => counter.count(section(file, lines.slice(0, count).join('\n')) + TRUNCATED);
  let low = 0;
  let high = lines.length - 1;
  // Binary search: cost grows with the line count.
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (cost(middle) <= room) low = middle;
    else high = middle - 1;
  }
  if (low === 0) return undefined;
  const text = section(file, lines.slice(0, low).join('\n')) + TRUNCATED;
  return { text, tokens: counter.count(text), lines: low, total: lines.length };
}
