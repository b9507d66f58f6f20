import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { foldersUp, instructionCandidates } from '../../src/core/instructions/discovery';
import { assembleInstructions, type InstructionFile } from '../../src/core/instructions/assemble';
import type { TokenCounter } from '../../src/core/context/tokens/tokenCounter';

const where = (list: ReturnType<typeof instructionCandidates>) =>
  list.map((candidate) => `${candidate.source}:${candidate.root}/${candidate.relative}`);

describe('instruction discovery', () => {
  it('walks from the active file up to its root, nearest first, QWEN.md before AGENTS.md', () => {
    assert.deepEqual(foldersUp('src/a/b.ts'), ['src/a', 'src', '']);
    assert.deepEqual(foldersUp('top.ts'), ['']);
    const list = instructionCandidates({ roots: ['app'], activeFile: { root: 'app', relative: 'src/a/b.ts' } });
    assert.deepEqual(where(list), [
      'project:app/src/a/QWEN.md',
      'project:app/src/a/AGENTS.md',
      'project:app/src/QWEN.md',
      'project:app/src/AGENTS.md',
      'project:app/QWEN.md',
      'project:app/AGENTS.md',
    ]);
  });

  it('adds every other root, then the rules sorted by name (only .md), then the user file', () => {
    const list = instructionCandidates({
      roots: ['app', 'lib'],
      activeFile: { root: 'lib', relative: 'x.ts' },
      rules: new Map([
        ['app', ['b.md', 'a.md', 'notes.txt', '10-z.MD']],
        ['lib', ['only.md']],
      ]),
      user: true,
    });
    assert.deepEqual(where(list), [
      'project:lib/QWEN.md',
      'project:lib/AGENTS.md',
      'project:app/QWEN.md',
      'project:app/AGENTS.md',
      'rules:app/.qcoder/rules/10-z.MD',
      'rules:app/.qcoder/rules/a.md',
      'rules:app/.qcoder/rules/b.md',
      'rules:lib/.qcoder/rules/only.md',
      'user:user/QWEN.md',
    ]);
  });

  it('ignores an active file in a folder that is not a root, and lists no user file unless asked', () => {
    const list = instructionCandidates({ roots: ['app'], activeFile: { root: 'other', relative: 'src/x.ts' } });
    assert.deepEqual(where(list), ['project:app/QWEN.md', 'project:app/AGENTS.md']);
  });
});

/** A counter independent of the code under test: one token per whitespace-separated word. */
const words: TokenCounter = {
  name: 'words',
  exact: true,
  count: (text) => text.split(/\s+/).filter(Boolean).length,
};

const file = (relative: string, text: string): InstructionFile => ({
  source: 'project',
  root: 'app',
  relative,
  title: relative,
  text,
});

describe('instruction budget', () => {
  it('puts every file in, in order, under a header, with its section tokens', () => {
    const result = assembleInstructions([file('src/QWEN.md', 'use tabs'), file('QWEN.md', 'say hi')], words, 1000);
    assert.match(result.text, /^# Project instructions/);
    assert.ok(result.text.indexOf('## src/QWEN.md\n\nuse tabs') < result.text.indexOf('## QWEN.md\n\nsay hi'));
    assert.deepEqual(
      result.items.map((item) => [item.title, item.tokens, item.included]),
      [
        ['src/QWEN.md', 4, true], // "## src/QWEN.md use tabs"
        ['QWEN.md', 4, true],
      ],
    );
  });

  it('cuts a file that does not fit at a line, says so, and leaves out what comes after', () => {
    const header = words.count(assembleInstructions([file('A', 'x')], words, 1000).text) - 3;
    const long = Array.from({ length: 20 }, (_, i) => `line${i} a b c`).join('\n'); // 4 words a line
    // A's section (3), B's heading (2), three lines (12), the cut note (9), and 2 to spare: less than a line.
    const budget = header + 3 + 2 + 12 + 9 + 2;
    const result = assembleInstructions([file('A', 'one'), file('B', long), file('C', 'later')], words, budget);
    assert.equal(result.items[0].included, true);
    assert.equal(result.items[1].included, true);
    assert.match(result.items[1].note ?? '', /first 3 of 20 lines/);
    assert.ok(result.text.includes('line2 a b c'));
    assert.ok(!result.text.includes('line3 a b c'));
    assert.ok(result.text.includes('cut here'));
    assert.deepEqual(result.items[2], {
      key: 'instructions:project:app/C',
      title: 'C',
      tokens: 0,
      included: false,
      note: `left out: the instruction files may use ${budget} tokens`,
    });
    assert.ok(words.count(result.text) <= budget, 'never over the budget');
  });

  it('leaves empty files out of the list and gives no text when nothing fits', () => {
    assert.deepEqual(assembleInstructions([file('A', '  \n')], words, 100), { text: '', items: [] });
    const none = assembleInstructions([file('A', 'a b c d e f')], words, 3);
    assert.equal(none.text, '');
    assert.equal(none.items[0].included, false);
  });
});
