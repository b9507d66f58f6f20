/**
 * The project's instruction files for `qcoder context`, found and assembled by the same core the
 * extension uses (src/core/instructions): QWEN.md and AGENTS.md from the active file's folder up
 * and at each root, then `.qcoder/rules/*.md`. Each is read through the index's access policy, so
 * a secret or ignored file stays out as it does in the editor. The user-level file lives in the
 * extension's global storage, which the command line does not have.
 */
import { readdir } from 'node:fs/promises';
import { join, relative, sep, isAbsolute } from 'node:path';
import type { TokenCounter, WorkspaceIndex, WorkspaceReader } from '../core/context';
import {
  assembleInstructions,
  type AssembledInstructions,
  type InstructionFile,
  type InstructionItem,
  instructionKey,
} from '../core/instructions/assemble';
import { instructionCandidates, RULES_FOLDER } from '../core/instructions/discovery';

export interface CliRoot {
  readonly name: string;
  readonly root: string;
}

export async function projectInstructions(
  roots: readonly CliRoot[],
  index: WorkspaceIndex,
  reader: WorkspaceReader,
  counter: TokenCounter,
  activeFile?: string,
): Promise<AssembledInstructions> {
  const rules = new Map<string, string[]>();
  for (const root of roots) rules.set(root.name, await markdownNames(join(root.root, RULES_FOLDER)));
  const candidates = instructionCandidates({
    roots: roots.map((root) => root.name),
    activeFile: activeFile ? locate(roots, activeFile) : undefined,
    rules,
  });
  const loaded: InstructionFile[] = [];
  const skipped: InstructionItem[] = [];
  for (const candidate of candidates) {
    const root = roots.find((each) => each.name === candidate.root)!;
    const title = roots.length > 1 ? `${candidate.root}/${candidate.relative}` : candidate.relative;
    const read = await index.policy.read(join(root.root, candidate.relative), reader, { op: 'read' });
    if (read.allowed) loaded.push({ ...candidate, title, text: read.text });
    else if (read.rule !== 'missing')
      skipped.push({
        key: instructionKey(candidate),
        title,
        tokens: 0,
        included: false,
        note: `not loaded: ${read.reason}`,
      });
  }
  const assembled = assembleInstructions(loaded, counter);
  return { text: assembled.text, items: [...assembled.items, ...skipped] };
}

function locate(roots: readonly CliRoot[], file: string): { root: string; relative: string } | undefined {
  for (const root of roots) {
    const inside = relative(root.root, file);
    if (inside && !inside.startsWith('..') && !isAbsolute(inside))
      return { root: root.name, relative: inside.split(sep).join('/') };
  }
  return undefined;
}

async function markdownNames(folder: string): Promise<string[]> {
  try {
    const entries = await readdir(folder, { withFileTypes: true });
    return entries.filter((entry) => entry.isFile() && /\.md$/i.test(entry.name)).map((entry) => entry.name);
  } catch {
    return [];
  }
}
