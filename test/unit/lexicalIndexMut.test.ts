/**
 * The host's in-process lexical index (rank/lexicalIndex.ts) from outside: what a search finds after a
 * build, after an ignore file changes what is listed, for files too large or gone, when the build is
 * cancelled, and that a large file is tokenised in slices without changing what it contributes.
 */
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { NodeWorkspaceReader } from '../../src/core/context/files/workspace';
import { WorkspaceIndex } from '../../src/core/context/files/workspaceIndex';
import { Bm25fIndex } from '../../src/core/context/rank/bm25f';
import { countTokens, pathTokens } from '../../src/core/context/rank/codeTokens';
import { LexicalIndex } from '../../src/core/context/rank/lexicalIndex';
import { type TempWorkspace, makeWorkspace } from '../fixtures/context/workspace';

const query = (...terms: string[]) => new Map(terms.map((term) => [term, 1]));
const ids = (lexical: LexicalIndex, ...terms: string[]) =>
  lexical
    .search(query(...terms))
    .map((hit) => hit.id)
    .sort();
const build = (root: string, reader = new NodeWorkspaceReader()) =>
  WorkspaceIndex.build([{ name: 'ws', root }], reader, { git: false });

describe('the in-process lexical index', () => {
  let ws: TempWorkspace;
  before(() => {
    ws = makeWorkspace({
      '.gitignore': 'gen/\n',
      'a.py': 'def alpha():\n    pass\n',
      'b.py': 'def beta():\n    pass\n',
      'gen/c.py': 'def gamma():\n    pass\n',
      'limit/ten.txt': 'tenbytes!\n',
      'limit/eleven.txt': 'elevenbyte\n',
    });
  });
  after(() => ws.dispose());

  it('a direct build holds every listed text file and says how long it took', async () => {
    const index = await build(ws.root);
    const started = performance.now();
    const lexical = await LexicalIndex.build(index);
    const elapsed = performance.now() - started;
    assert.equal(lexical.size, 5);
    assert.deepEqual(ids(lexical, 'alpha', 'beta', 'gamma'), ['a.py', 'b.py']);
    assert.ok(lexical.ms > 0 && lexical.ms <= elapsed, `${lexical.ms} ms of ${elapsed}`);
  });

  it('follows a re-listing after an ignore file changes, without a watcher event per file', async () => {
    const reads: string[] = [];
    const node = new NodeWorkspaceReader();
    const reader = Object.assign(Object.create(node) as NodeWorkspaceReader, {
      readFile: (abs: string) => (reads.push(abs.slice(ws.root.length + 1)), node.readFile(abs)),
    });
    const index = await build(ws.root, reader);
    const lexical = await LexicalIndex.of(index);
    assert.deepEqual(ids(lexical, 'alpha', 'beta', 'gamma'), ['a.py', 'b.py']);
    try {
      // Files come in (nothing leaves): only they are read.
      writeFileSync(join(ws.root, '.gitignore'), 'nothing/\n');
      await index.onDidChange(join(ws.root, '.gitignore'));
      reads.length = 0;
      const started = performance.now();
      await LexicalIndex.of(index);
      const elapsed = performance.now() - started;
      assert.deepEqual(ids(lexical, 'alpha', 'beta', 'gamma'), ['a.py', 'b.py', 'gen/c.py']);
      assert.deepEqual(reads, ['gen/c.py']);
      assert.ok(lexical.ms > 0 && lexical.ms <= elapsed, `${lexical.ms} ms of ${elapsed}`);
      // One file leaves, another of the same count comes in.
      writeFileSync(join(ws.root, '.gitignore'), 'a.py\n');
      await index.onDidChange(join(ws.root, '.gitignore'));
      await LexicalIndex.of(index);
      assert.deepEqual(ids(lexical, 'alpha', 'beta', 'gamma'), ['b.py', 'gen/c.py']);
      writeFileSync(join(ws.root, '.gitignore'), 'gen/\n');
      await index.onDidChange(join(ws.root, '.gitignore'));
      await LexicalIndex.of(index);
      assert.deepEqual(ids(lexical, 'alpha', 'beta', 'gamma'), ['a.py', 'b.py']);
    } finally {
      writeFileSync(join(ws.root, '.gitignore'), 'gen/\n');
    }
  });

  it('leaves out files over the size limit (1 MB unless set) and files gone before they were read', async () => {
    const index = await build(ws.root);
    const limited = await LexicalIndex.build(index, { maxBytes: 10 });
    assert.deepEqual(ids(limited, 'tenbytes', 'elevenbyte'), ['limit/ten.txt']);

    const scratch = makeWorkspace({
      'huge.txt': `${'hugeword '.repeat(Math.ceil((1024 * 1024) / 9))}\n`,
      'gone.txt': 'goneword\n',
      'kept.txt': 'keptword\n',
    });
    try {
      const scratchIndex = await build(scratch.root);
      rmSync(join(scratch.root, 'gone.txt'));
      const lexical = await LexicalIndex.build(scratchIndex);
      assert.deepEqual(ids(lexical, 'hugeword', 'goneword', 'keptword'), ['kept.txt']);
      assert.equal(lexical.size, 1);
    } finally {
      scratch.dispose();
    }
  });

  it('a cancelled build rejects, and the next request builds again', async () => {
    const index = await build(ws.root);
    await assert.rejects(LexicalIndex.build(index, { signal: AbortSignal.abort() }), /aborted/);
    await assert.rejects(LexicalIndex.of(index, { signal: AbortSignal.abort() }), /aborted/);
    const lexical = await LexicalIndex.of(index);
    assert.deepEqual(ids(lexical, 'alpha'), ['a.py']);
  });
});

describe('a large file', () => {
  // ~700 KB in lines of ~1,000 characters: about eleven slices of 64 KB, cut at line ends.
  const line = `${'abcdefghij '.repeat(90).trimEnd()}\n`;
  const text = line.repeat(700);

  it('is tokenised in slices that give the event loop a turn, and counts as if read whole', async () => {
    const ws = makeWorkspace({ 'big.txt': 'placeholder\n' });
    try {
      // The file's text comes from memory, so the only turns the event loop gets are the index's own.
      const node = new NodeWorkspaceReader();
      const reader = Object.assign(Object.create(node) as NodeWorkspaceReader, {
        readFile: async () => Buffer.from(text),
      });
      const index = await build(ws.root, reader);
      // No disk wait either once listed: a pending stat would give the event loop turns of its own.
      reader.stat = async () => ({ size: text.length, mtimeMs: 0, isDirectory: false });
      let turns = 0;
      let counting = true;
      const tick = () => {
        turns++;
        if (counting) setImmediate(tick);
      };
      setImmediate(tick);
      const lexical = await LexicalIndex.build(index, { sliceMs: 0 });
      counting = false;
      assert.ok(turns >= 10 && turns <= 20, `${turns} turns`);

      const reference = new Bm25fIndex();
      reference.set('big.txt', { path: pathTokens('big.txt'), symbols: new Map(), content: countTokens(text) });
      const word = 'abcdefghij';
      const fragments = [...word].flatMap((_, i) => [word.slice(0, i + 1), word.slice(i)]).filter((t) => t.length > 1);
      const terms = query(...new Set(fragments));
      assert.deepEqual(lexical.search(terms), reference.search(terms));
      assert.deepEqual(
        lexical.search(terms).map((hit) => hit.terms),
        [[word]],
      );
    } finally {
      ws.dispose();
    }
  });
});
