/**
 * Edit apply speed on a 10,000-line file (1, 10 and 100 edits; exact, dropped-indentation and
 * fuzzy paths) against references measured in the same run, and the corpus success rate
 * against a plain `String.prototype.replace` applier. Goal: a 10K-line apply in ≤ 20 ms,
 * whichever way the blocks are found.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { computeProposal, parseFileToolCall, type Edit } from '../src/core/edits';

const ROOT = join(__dirname, '..');
const LINES = 10_000;

function buildFile(): string {
  const sources = [
    'typescript/lib/lib.es5.d.ts',
    'openai/src/client.ts',
    'markdown-it/lib/renderer.mjs',
    'diff/libesm/patch/apply.js',
    'minimatch/dist/esm/ast.js',
    'highlight.js/lib/languages/javascript.js',
    'typescript/lib/lib.es2015.core.d.ts',
    'typescript/lib/lib.dom.d.ts',
  ];
  const lines: string[] = [];
  for (const source of sources) {
    lines.push(...readFileSync(join(ROOT, 'node_modules', source), 'utf8').split('\n'));
    if (lines.length >= LINES) break;
  }
  return `${lines.slice(0, LINES).join('\n')}\n`;
}

/** Every usable three-line block: each line unique in the file even without indentation, the last long enough for a typo. */
function usableBlocks(text: string): string[][] {
  const lines = text.split('\n');
  const seen = new Map<string, number>();
  for (const line of lines) seen.set(line.trim(), (seen.get(line.trim()) ?? 0) + 1);
  const blocks: string[][] = [];
  for (let i = 0; i + 3 < lines.length; i += 3) {
    const block = lines.slice(i, i + 3);
    if (
      block.some((line) => line.trim().length < 4 || seen.get(line.trim()) !== 1) ||
      block[2].trim().length < 24 ||
      !/^\s+\S/.test(block[0])
    )
      continue;
    blocks.push(block);
  }
  return blocks;
}

/** `n` blocks spread evenly over the file. */
function pickBlocks(usable: string[][], n: number): string[][] {
  return Array.from({ length: n }, (_, k) => usable[Math.floor((k * usable.length) / n)]);
}

type Variant = 'exact' | 'indentation' | 'fuzzy';

function makeEdits(blocks: string[][], variant: Variant): Edit[] {
  return blocks.map(([first, second, third]) => {
    const added = `${/^\s*/.exec(first)![0]}// reviewed`;
    if (variant === 'exact')
      return { oldText: [first, second, third].join('\n'), newText: [first, added, second, third].join('\n') };
    if (variant === 'indentation') {
      const strip = (line: string): string => line.replace(/^\s{1,2}/, '');
      return {
        oldText: [first, second, third].map(strip).join('\n'),
        newText: [first, added, second, third].map(strip).join('\n'),
      };
    }
    // A one-character typo in a line the edit keeps: found only by the fuzzy stage.
    const at = Math.floor(third.length * 0.6);
    const typo = third.slice(0, at) + (third[at] === 'x' ? 'y' : 'x') + third.slice(at + 1);
    return { oldText: [first, second, typo].join('\n'), newText: [first, added, second, typo].join('\n') };
  });
}

/** The reference a correct exact applier cannot beat by much: find each block, check it is unique, splice once. */
function uniqueExact(text: string, blocks: string[][]): string {
  const found: [number, string, string][] = [];
  for (const [first, second, third] of blocks) {
    const block = [first, second, third].join('\n');
    const at = text.indexOf(block);
    if (at < 0 || text.indexOf(block, at + 1) >= 0) throw new Error('reference: block not unique');
    found.push([at, block, [first, '// reviewed', second, third].join('\n')]);
  }
  found.sort((a, b) => a[0] - b[0]);
  let out = '';
  let cursor = 0;
  for (const [at, block, replacement] of found) {
    out += text.slice(cursor, at) + replacement;
    cursor = at + block.length;
  }
  return out + text.slice(cursor);
}

function median(run: () => void, repeat: number): number {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) run();
  for (let i = 0; i < repeat; i++) {
    const started = performance.now();
    run();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

const format = (ms: number): string => `${ms.toFixed(2).padStart(8)} ms`;

function speed(): Map<Variant, number> {
  const text = buildFile();
  const path = join(ROOT, 'node_modules/typescript/lib/lib.es5.d.ts');
  const read = median(() => readFileSync(path, 'utf8'), 21);
  console.log(
    `file: ${LINES} lines, ${(text.length / 1024).toFixed(0)} KB; reference: reading lib.es5.d.ts (${(readFileSync(path).length / 1024).toFixed(0)} KB) ${format(read)}`,
  );
  console.log(
    'references: String.replace = each block replaced in turn, no checks; unique-exact = the least a safe exact',
  );
  console.log('applier does: two indexOf scans per block (found, and found once) and one splice of all blocks');
  console.log('edits  variant       qcoder apply   String.replace   unique-exact   ratio to unique-exact   hunks');
  const usable = usableBlocks(text);
  const worst = new Map<Variant, number>();
  for (const n of [1, 10, 100]) {
    const blocks = pickBlocks(usable, n);
    for (const variant of ['exact', 'indentation', 'fuzzy'] as const) {
      // Without its indentation, or with a typo, a block can match a near-duplicate elsewhere
      // (lib.dom.d.ts has many): those are refused as ambiguous, rightly, and left out.
      const all = makeEdits(blocks, variant);
      const edits = variant === 'exact' ? all : all.filter((edit) => computeProposal('bench.ts', text, 1, [edit]).ok);
      const result = computeProposal('bench.ts', text, 1, edits);
      if (!result.ok) throw new Error(`${n} ${variant}: ${result.message}`);
      const ours = median(() => computeProposal('bench.ts', text, 1, edits), variant === 'fuzzy' && n === 100 ? 5 : 15);
      const reference = median(() => {
        let out = text;
        for (const edit of edits) out = out.replace(edit.oldText, () => edit.newText);
      }, 15);
      const unique = median(() => uniqueExact(text, blocks), 15);
      worst.set(variant, Math.max(worst.get(variant) ?? 0, ours));
      console.log(
        `${String(edits.length).padStart(5)}  ${variant.padEnd(12)} ${format(ours)}   ${format(reference)}   ${format(unique)}   ${(ours / unique).toFixed(1).padStart(8)}x              ${String(result.hunks.length).padStart(5)}`,
      );
    }
  }
  // A refusal costs more than an apply: it looks for the closest candidates to tell the model.
  const stranger: Edit[] = [
    { oldText: 'function notInThisFile(a, b) {\n  return a.reduce((x, y) => x + y, b);\n}', newText: '' },
  ];
  if (computeProposal('bench.ts', text, 1, stranger).ok) throw new Error('stranger block applied');
  console.log(
    `    1  not found    ${format(median(() => computeProposal('bench.ts', text, 1, stranger), 9))}   (refusal with closest candidates)`,
  );
  return worst;
}

function corpus(): void {
  const dir = join(ROOT, 'test/fixtures/edits/cases');
  let ours = 0;
  let naive = 0;
  let total = 0;
  for (const name of readdirSync(dir).sort()) {
    const files = readdirSync(join(dir, name));
    const read = (prefix: string): string | undefined => {
      const file = files.find((f) => f.startsWith(`${prefix}.`));
      return file && readFileSync(join(dir, name, file), 'utf8');
    };
    const original = read('original')!;
    const expected = read('expected') ?? original;
    const call = parseFileToolCall('edit_file', read('edits'));
    if ('ok' in call || call.tool !== 'edit_file') throw new Error(`${name}: bad edits.json`);
    total++;
    const result = computeProposal(call.path, original, 1, call.edits);
    if ((result.ok ? result.newText : original) === expected) ours++;
    // The reference: each old_text replaced by String.prototype.replace, applied if found.
    let out = original;
    for (const edit of call.edits)
      out = edit.replaceAll
        ? out.split(edit.oldText).join(edit.newText)
        : out.replace(edit.oldText, () => edit.newText);
    if (out === expected) naive++;
  }
  const rate = (value: number): string => `${value}/${total} (${((100 * value) / total).toFixed(1)} %)`;
  console.log(`\ncorpus: qcoder ${rate(ours)} as expected; String.replace reference ${rate(naive)}`);
}

const worst = speed();
corpus();
const verdicts = [...worst].map(
  ([variant, ms]) => `${variant} ${ms <= 20 ? 'met' : 'NOT met'} (slowest ${ms.toFixed(2)} ms)`,
);
console.log(`\ngoal: 10K-line apply ≤ 20 ms: ${verdicts.join('; ')}`);
