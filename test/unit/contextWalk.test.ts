import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { NodeWorkspaceReader } from '../../src/core/context/files/workspace';
import { WorkspaceIndex } from '../../src/core/context/files/workspaceIndex';
import { type TempWorkspace, makeWorkspace, sampleProject } from '../fixtures/context/workspace';

const RG = ['/usr/bin/rg', '/usr/local/bin/rg'].find(existsSync);
const reader = new NodeWorkspaceReader();

/** What the sample project should offer: no ignored, secret, dependency, build or lock file. */
const EXPECTED = [
  '.env.example',
  '.gitignore',
  '.qcoderignore',
  'README.md',
  'app/__init__.py',
  'app/db.py',
  'app/models.py',
  'app/test_models.py',
  'keep.log',
  'package.json',
  'src/cart.ts',
  'src/checkout.ts',
  'src/pricing.ts',
  'src/sub/.gitignore',
  'src/sub/kept.ts',
  'src/types.ts',
  'src/unrelated.ts',
  'test/cart.test.ts',
];

describe('listing a workspace', () => {
  let plain: TempWorkspace;
  let repo: TempWorkspace;
  before(() => {
    plain = makeWorkspace(sampleProject());
    repo = makeWorkspace(sampleProject(), { git: true });
    // Untracked, not ignored: git lists it; deleted from disk but still in the index: git must not.
    repo.write('src/new.ts', 'export const fresh = 1;\n');
    rmSync(join(repo.root, 'src/unrelated.ts'));
  });
  after(() => {
    plain.dispose();
    repo.dispose();
  });

  it('by walking in JS: honours nested .gitignore, .qcoderignore and the built-in rules', async () => {
    const index = await WorkspaceIndex.build([{ name: 'ws', root: plain.root }], reader, { git: false });
    assert.equal(index.stats.strategies.ws, 'walk');
    assert.deepEqual([...index.paths()].sort(), EXPECTED);
  });

  it('through ripgrep, with the same result', { skip: !RG && 'no ripgrep here' }, async () => {
    const index = await WorkspaceIndex.build([{ name: 'ws', root: plain.root }], reader, { git: false, rgPath: RG });
    assert.equal(index.stats.strategies.ws, 'ripgrep');
    assert.deepEqual([...index.paths()].sort(), EXPECTED);
    assert.ok((index.stats.denied.secret ?? 0) >= 1);
  });

  it('through git ls-files in a work tree: untracked files in, deleted files out', async () => {
    const index = await WorkspaceIndex.build([{ name: 'ws', root: repo.root }], reader, { rgPath: RG });
    assert.equal(index.stats.strategies.ws, 'git');
    const expected = [...EXPECTED.filter((path) => path !== 'src/unrelated.ts'), 'src/new.ts'].sort();
    assert.deepEqual([...index.paths()].sort(), expected);
  });

  it('applies files.exclude globs, per folder', async () => {
    const index = await WorkspaceIndex.build([{ name: 'ws', root: plain.root }], reader, {
      git: false,
      excludeGlobs: { ws: ['**/*.py', 'README.md'] },
    });
    const paths = [...index.paths()];
    assert.ok(!paths.some((path) => path.endsWith('.py') || path === 'README.md'));
    assert.ok(paths.includes('src/cart.ts'));
    assert.equal(index.stats.denied['files-exclude'], 5);
  });

  it('names files of a multi-root workspace by folder', async () => {
    const second = makeWorkspace({ 'lib/util.ts': 'export {};\n', '.env': 'X=1\n' }, { name: 'second' });
    try {
      const index = await WorkspaceIndex.build(
        [
          { name: 'ws', root: plain.root },
          { name: 'second', root: second.root },
        ],
        reader,
        { git: false, rgPath: RG },
      );
      assert.ok(index.has('second/lib/util.ts'));
      assert.ok(index.has('ws/src/cart.ts'));
      assert.equal(index.has('second/.env'), false);
      assert.equal(index.displayOf(join(second.root, 'lib/util.ts')), 'second/lib/util.ts');
      assert.equal(index.policy.check('second/.env').allowed, false);
    } finally {
      second.dispose();
    }
  });
});

describe('keeping the index fresh from file events', () => {
  let ws: TempWorkspace;
  let index: WorkspaceIndex;
  before(async () => {
    ws = makeWorkspace(sampleProject());
    index = await WorkspaceIndex.build([{ name: 'ws', root: ws.root }], reader, { git: false });
  });
  after(() => ws.dispose());

  it('adds created files the policy allows and skips the rest', async () => {
    const generation = index.generation;
    await index.onDidCreate(ws.write('src/added.ts', 'export {};\n'));
    await index.onDidCreate(ws.write('src/more.log', 'log\n'));
    await index.onDidCreate(ws.write('.env.local', 'K=v\n'));
    assert.ok(index.has('src/added.ts'));
    assert.ok(!index.has('src/more.log'));
    assert.ok(!index.has('.env.local'));
    assert.ok(index.generation > generation);
  });

  it('removes deleted files, and whole deleted folders', async () => {
    rmSync(join(ws.root, 'app'), { recursive: true });
    await index.onDidDelete(join(ws.root, 'app'));
    assert.ok(![...index.paths()].some((path) => path.startsWith('app/')));
  });

  it('re-applies rules when an ignore file changes', async () => {
    assert.ok(index.has('src/checkout.ts'));
    await index.onDidChange(ws.write('.qcoderignore', 'private/\nsrc/checkout.ts\n'));
    assert.ok(!index.has('src/checkout.ts'));
    await index.onDidChange(ws.write('.qcoderignore', 'private/\n'));
    assert.ok(index.has('src/checkout.ts'));
    await index.onDidCreate(ws.write('src/.gitignore', 'pricing.ts\n'));
    assert.ok(!index.has('src/pricing.ts'));
    assert.equal(index.policy.check('src/pricing.ts').allowed, false);
  });
});
