/**
 * `qcoder apply --file F --edits edits.json [--write]`: runs the extension's own edit apply
 * on a file and prints the proposal (or the refusal) as JSON; `--write` also writes the
 * result. edits.json is an array of edits, or `{ "edits": [...] }` (an `edit_file` call's
 * arguments). Exit status: 0 applied, 1 refused, 2 usage or I/O error.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { computeProposal, parseFileToolCall, type Proposal } from '../core/edits';

const HELP = [
  'usage: qcoder apply --file FILE --edits EDITS.json [--write]',
  '',
  '  --file FILE     the file to edit',
  '  --edits FILE    JSON: [{"old_text", "new_text", "replace_all"?}] or {"edits": [...]}',
  '  --write         write the result to FILE (default: only print it)',
].join('\n');

interface Options {
  readonly file: string;
  readonly edits: string;
  readonly write: boolean;
}

function parseArgs(args: readonly string[]): Options | string {
  let file: string | undefined;
  let edits: string | undefined;
  let write = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--write') write = true;
    else if (arg === '--file' || arg === '--edits') {
      const value = args[++i];
      if (value === undefined) return `${arg} needs a value`;
      if (arg === '--file') file = value;
      else edits = value;
    } else return `unknown option ${arg}`;
  }
  if (!file || !edits) return 'both --file and --edits are required';
  return { file, edits, write };
}

/** What is printed for a proposal: everything but the full new text unless it was not written. */
function summary(proposal: Proposal, written: boolean): Record<string, unknown> {
  return {
    ok: true,
    path: proposal.path,
    written,
    matches: proposal.matches,
    hunks: proposal.hunks.map(({ id, oldStart, oldLineCount, newStart, newLineCount, oldText, newText }) => ({
      id,
      oldStart,
      oldLineCount,
      newStart,
      newLineCount,
      oldText,
      newText,
    })),
    facts: proposal.facts,
    ...(written ? {} : { newText: proposal.newText }),
  };
}

export const command = {
  summary: 'apply proposed edits to a file',
  async run(args: string[]): Promise<number> {
    if (args.includes('--help') || args.includes('-h')) {
      process.stdout.write(`${HELP}\n`);
      return 0;
    }
    const options = parseArgs(args);
    if (typeof options === 'string') {
      process.stderr.write(`qcoder apply: ${options}\n${HELP}\n`);
      return 2;
    }
    let text: string;
    let raw: unknown;
    try {
      text = readFileSync(options.file, 'utf8');
      raw = JSON.parse(readFileSync(options.edits, 'utf8'));
    } catch (error) {
      process.stderr.write(`qcoder apply: ${error instanceof Error ? error.message : String(error)}\n`);
      return 2;
    }
    const call = parseFileToolCall(
      'edit_file',
      Array.isArray(raw) ? { path: options.file, edits: raw } : { path: options.file, ...(raw as object) },
    );
    const result =
      'ok' in call ? call : computeProposal(options.file, text, undefined, call.tool === 'edit_file' ? call.edits : []);
    if (!result.ok) {
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      return 1;
    }
    if (options.write) writeFileSync(options.file, result.newText, 'utf8');
    process.stdout.write(`${JSON.stringify(summary(result, options.write), null, 2)}\n`);
    return 0;
  },
};
