import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  AccessPolicy,
  FolderRules,
  FolderSet,
  NodeWorkspaceReader,
  type PathProbe,
  WorkspaceIndex,
  type WorkspaceReader,
  compileSecretPatterns,
  nodePathProbe,
  realLocation,
} from '../../src/core/context';

const reader = new NodeWorkspaceReader();
const KEY = `-----BEGIN ${'RSA'} PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n`;

/** A temp folder with two workspace folders (`ws`, `lib`) and one outside, real files and links. */
function makeTree() {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'qcoder-decision-')));
  const write = (rel: string, content: string | Uint8Array) => {
    mkdirSync(dirname(join(base, rel)), { recursive: true });
    writeFileSync(join(base, rel), content);
  };
  const link = (rel: string, target: string) => {
    mkdirSync(dirname(join(base, rel)), { recursive: true });
    symlinkSync(target, join(base, rel));
  };
  write('ws/src/app.ts', 'export const app = 1;\n');
  write('ws/.env', 'SECRET=1\n');
  write('ws/.npmrc', '//r.example/:_authToken=abcdefgh\n');
  write('ws/ignored/old.ts', 'old\n');
  write('ws/.vscode/settings.json', '{}\n');
  write('ws/package.json', JSON.stringify({ name: 'x', scripts: { test: 't' } }));
  write('ws/big.ts', 'x'.repeat(2048));
  write('ws/bin.dat.ts', new Uint8Array([1, 0, 2]));
  write('ws/key.txt', KEY);
  write('lib/util.ts', 'export const util = 1;\n');
  write('lib/.env', 'LIB=1\n');
  write('lib/hidden.ts', 'hidden\n');
  write('ws/exact.ts', 'x'.repeat(1024));
  write('outside/secret.txt', 'outside\n');
  link('ws/notes.md', '.env');
  link('ws/npm.txt', '.npmrc');
  link('ws/out', '../outside');
  link('ws/out.txt', '../outside/secret.txt');
  link('ws/cfg', '.vscode');
  link('ws/settings-link.json', '.vscode/settings.json');
  link('ws/pkg-link.json', 'package.json');
  link('ws/gone', 'nowhere');
  link('ws/old-link.ts', 'ignored/old.ts');
  link('ws/to-lib.ts', '../lib/util.ts');
  link('ws/to-lib-env', '../lib/.env');
  link('ws/to-lib-hidden.ts', '../lib/hidden.ts');
  link('ws/key-link.ts', 'key.txt');
  link('ws/.env.gone', 'nowhere');
  link('ws/.env.out', '../outside/secret.txt');
  return { base, ws: join(base, 'ws'), lib: join(base, 'lib'), dispose: () => rmSync(base, { recursive: true }) };
}

describe('AccessPolicy.decide on real files and links', () => {
  let tree: ReturnType<typeof makeTree>;
  let policy: AccessPolicy;

  before(() => {
    tree = makeTree();
    const ws = { name: 'ws', root: tree.ws };
    const lib = { name: 'lib', root: tree.lib };
    const rules = new FolderRules(ws);
    rules.gitignore.set('', 'ignored/\n');
    const libRules = new FolderRules(lib);
    libRules.gitignore.set('', 'hidden.ts\n');
    policy = new AccessPolicy(new FolderSet([ws, lib]), [libRules, rules], { maxFileBytes: 1024 });
  });
  after(() => tree.dispose());

  const decide = (path: string, op: Parameters<AccessPolicy['decide']>[1], options = {}) =>
    policy.decide(join(tree.ws, path), op, options);

  it('allows an ordinary file and reports where it really is', async () => {
    const decision = await decide('src/app.ts', 'read');
    assert.deepEqual(
      { ...decision, location: decision.location?.rel },
      { allowed: true, location: 'src/app.ts', real: join(tree.ws, 'src/app.ts'), realRel: 'src/app.ts', exists: true },
    );
    const display = await policy.decide('ws/src/app.ts', 'read');
    assert.equal(display.allowed, true);
  });

  it('denies outside the folders, by path and through links', async () => {
    const outside = await policy.decide(join(tree.base, 'outside/secret.txt'), 'read');
    assert.deepEqual([outside.allowed, outside.rule], [false, 'outside-workspace']);
    assert.match(outside.reason ?? '', /outside\/secret\.txt is outside the workspace folders/);
    for (const path of ['out/secret.txt', 'out.txt', 'out/new.txt']) {
      const decision = await decide(path, path.endsWith('new.txt') ? 'create' : 'read');
      assert.equal(decision.rule, 'outside-workspace', path);
      assert.equal(decision.reason, `${path} leads outside the workspace`);
      assert.equal(decision.location?.rel, path);
    }
  });

  it('denies and hides secrets, spelled or behind a link, for every operation', async () => {
    for (const op of ['read', 'list', 'mention', 'write', 'create', 'delete', 'rename-to'] as const) {
      const direct = await decide('.env', op);
      assert.deepEqual([direct.allowed, direct.rule, direct.hidden], [false, 'secret', true], op);
      assert.equal(direct.location?.rel, '.env');
      const linked = await decide('notes.md', op);
      assert.deepEqual([linked.allowed, linked.rule, linked.hidden], [false, 'secret', true], op);
      assert.equal(linked.reason, 'notes.md leads to a secret file (.env may hold secrets)');
    }
    for (const path of ['.env.gone', '.env.out']) {
      const named = await decide(path, 'read');
      assert.deepEqual([named.rule, named.hidden, named.reason], ['secret', true, `${path} may hold secrets`], path);
    }
    const otherFolder = await decide('to-lib-env', 'read');
    assert.deepEqual([otherFolder.rule, otherFolder.hidden], ['secret', true]);
    const allowedOther = await decide('to-lib.ts', 'read');
    assert.deepEqual([allowedOther.allowed, allowedOther.realRel], [true, 'util.ts']);
    const otherRules = await decide('to-lib-hidden.ts', 'read');
    assert.deepEqual([otherRules.rule, otherRules.reason], ['gitignore', 'hidden.ts is ignored by .gitignore']);
    assert.equal(policy.check('ws/ignored/a.ts').allowed, false);
    assert.equal(policy.check('lib/ignored/a.ts').allowed, true);
    assert.equal(policy.check('lib/hidden.ts').allowed, false);
  });

  it('applies the content rules to the spelled name and the real one', async () => {
    const text = '//r.example/:_authToken=abcdefgh\n';
    const direct = await decide('.npmrc', 'read', { text });
    assert.deepEqual([direct.rule, direct.hidden, direct.reason], ['secret', true, '.npmrc holds a credential']);
    const linked = await decide('npm.txt', 'read', { text });
    assert.deepEqual([linked.rule, linked.hidden], ['secret', true]);
    assert.equal((await decide('npm.txt', 'read', { text: 'save-exact=true\n' })).allowed, true);
    assert.equal((await decide('npm.txt', 'read')).allowed, true);
    assert.equal((await decide('src/app.ts', 'read', { text: KEY })).rule, 'secret');
  });

  it('denies when the check itself fails: a dangling link', async () => {
    for (const path of ['gone', 'gone/x.ts']) {
      const decision = await decide(path, 'create');
      assert.deepEqual([decision.allowed, decision.rule], [false, 'unverifiable'], path);
      assert.match(decision.reason ?? '', new RegExp(`^${path}: it is \\(or lies inside\\) a symbolic link`));
    }
  });

  it('applies ignore rules to the real path too; a mention lifts them, never a secret', async () => {
    const spelled = await decide('ignored/old.ts', 'read');
    assert.deepEqual([spelled.rule, spelled.hidden], ['gitignore', undefined]);
    const linked = await decide('old-link.ts', 'context');
    assert.deepEqual([linked.allowed, linked.rule], [false, 'gitignore']);
    assert.equal((await decide('old-link.ts', 'mention')).allowed, true);
    assert.equal((await decide('ignored/old.ts', 'mention')).allowed, true);
    assert.equal((await decide('notes.md', 'mention')).allowed, false);
  });

  it('needs an existing file to read, delete or rename, not to write or list', async () => {
    for (const op of ['read', 'search', 'context', 'mention', 'delete', 'rename-from'] as const) {
      const decision = await decide('src/none.ts', op);
      assert.deepEqual([decision.rule, decision.reason], ['missing', 'src/none.ts does not exist'], op);
    }
    for (const op of ['write', 'create', 'rename-to', 'list'] as const) {
      const decision = await decide('src/none/deep.ts', op);
      assert.deepEqual([decision.allowed, decision.exists, decision.realRel], [true, false, 'src/none/deep.ts'], op);
      assert.equal(decision.needsApproval, undefined, op);
    }
  });

  it('asks for approval on protected paths, spelled or real, only for changes', async () => {
    for (const op of ['write', 'create', 'delete', 'rename-from', 'rename-to'] as const) {
      for (const path of ['.vscode/settings.json', 'cfg/settings.json', 'settings-link.json']) {
        const decision = await decide(path, op);
        assert.equal(decision.allowed, true, `${op} ${path}`);
        assert.match(decision.needsApproval ?? '', /editor settings/, `${op} ${path}`);
      }
    }
    for (const op of ['read', 'list', 'search', 'context', 'mention'] as const) {
      const decision = await decide('.vscode/settings.json', op);
      assert.deepEqual([decision.allowed, decision.needsApproval], [true, undefined], op);
    }
    assert.match((await decide('cfg/new.json', 'create')).needsApproval ?? '', /editor settings/);
  });

  it('asks when package.json scripts would change, by any name of the file', async () => {
    const text = JSON.stringify({ name: 'x', scripts: { test: 't' } });
    const scripts = JSON.stringify({ name: 'x', scripts: { test: 't', postinstall: 'sh' } });
    for (const path of ['package.json', 'pkg-link.json']) {
      assert.match((await decide(path, 'write', { text, newText: scripts })).needsApproval ?? '', /"scripts"/);
      assert.equal((await decide(path, 'write', { text, newText: text.replace('x', 'y') })).needsApproval, undefined);
      assert.equal((await decide(path, 'write', { text })).needsApproval, undefined);
      assert.match((await decide(path, 'delete', { text })).needsApproval ?? '', /deletes a package\.json/);
      assert.match((await decide(path, 'rename-from', { text })).needsApproval ?? '', /deletes a package\.json/);
    }
    assert.match(
      (await decide('tools/package.json', 'rename-to', { newText: scripts })).needsApproval ?? '',
      /"scripts"/,
    );
    assert.match((await decide('tools/package.json', 'create', { newText: scripts })).needsApproval ?? '', /"scripts"/);
    assert.equal((await decide('tools/package.json', 'create', { newText: '{}' })).needsApproval, undefined);
  });

  it('resolves what a model typed: relative, absolute, file: URI, and refuses the rest in words', async () => {
    assert.equal((await policy.decideInput('src/app.ts', 'read')).allowed, true);
    assert.equal((await policy.decideInput(`file://${tree.ws}/src/app.ts`, 'read')).allowed, true);
    assert.equal((await policy.decideInput('lib/util.ts', 'read')).realRel, 'util.ts');
    const out = await policy.decideInput('../outside/secret.txt', 'read');
    assert.deepEqual([out.allowed, out.rule], [false, 'outside-workspace']);
    assert.match(out.reason ?? '', /outside/);
    assert.equal((await policy.decideInput('cfg/settings.json', 'write')).needsApproval !== undefined, true);
  });

  it('reads a file only when every rule allows it', async () => {
    const read = await policy.read(join(tree.ws, 'src/app.ts'), reader);
    assert.ok(read.allowed && read.text === 'export const app = 1;\n' && read.size === 22);
    const cases: [string, string, RegExp][] = [
      ['big.ts', 'too-large', /big\.ts is too large \(2 KB; QCoder reads files up to 1 KB\)/],
      ['bin.dat.ts', 'binary', /bin\.dat\.ts has binary content/],
      ['key.txt', 'secret', /private key/],
      ['key-link.ts', 'secret', /private key/],
      ['npm.txt', 'secret', /\.npmrc holds a credential/],
      ['src', 'missing', /src is not a file/],
      ['ignored/old.ts', 'gitignore', /ignored by \.gitignore/],
      ['gone', 'unverifiable', /leads nowhere/],
    ];
    for (const [path, rule, reason] of cases) {
      const result = await policy.read(join(tree.ws, path), reader);
      assert.equal(result.allowed, false, path);
      if (!result.allowed) {
        assert.equal(result.rule, rule, path);
        assert.match(result.reason, reason, path);
      }
    }
    assert.ok((await policy.read('ws/ignored/old.ts', reader, { explicit: true })).allowed);
    assert.ok((await policy.read('ws/exact.ts', reader)).allowed, 'a file of exactly the limit');
    assert.deepEqual(await policy.read('ws/src/none.ts', reader), {
      allowed: false,
      rule: 'missing',
      reason: 'src/none.ts does not exist',
    });
    assert.ok((await policy.read('ws/ignored/old.ts', reader, { op: 'mention' })).allowed);
    assert.equal((await policy.read('ws/ignored/old.ts', reader, { op: 'read' })).allowed, false);
  });

  it('prefers an open document, whatever its size, and still checks its content', async () => {
    const withText = (text: (abs: string) => string | undefined): WorkspaceReader => ({
      readFile: (abs) => reader.readFile(abs),
      stat: (abs) => reader.stat(abs),
      readDirectory: (abs) => reader.readDirectory(abs),
      openDocumentText: text,
    });
    const open = withText((abs) => (abs.endsWith('big.ts') ? 'small' : undefined));
    const withKey = withText(() => KEY);
    const big = await policy.read(join(tree.ws, 'big.ts'), open);
    assert.ok(big.allowed && big.text === 'small');
    const keyed = await policy.read(join(tree.ws, 'src/app.ts'), withKey);
    assert.deepEqual([keyed.allowed, !keyed.allowed && keyed.rule], [false, 'secret']);
  });

  it('knows a link from a file', async () => {
    assert.equal(await policy.isSymbolicLink(join(tree.ws, 'notes.md')), true);
    assert.equal(await policy.isSymbolicLink(join(tree.ws, 'src/app.ts')), false);
    assert.equal(await policy.isSymbolicLink(join(tree.ws, 'none')), false);
  });

  it("takes the user's secret patterns", async () => {
    const folder = { name: 'ws', root: tree.ws };
    const strict = new AccessPolicy(new FolderSet([folder]), [], {
      secrets: compileSecretPatterns(['*.ts', '/export const/']),
    });
    assert.equal((await strict.decide(join(tree.ws, 'src/app.ts'), 'read')).rule, 'secret');
    assert.equal(strict.check('src/app.ts').allowed, false);
    const byContent = await strict.read(join(tree.ws, 'package.json'), reader);
    assert.equal(byContent.allowed, true);
    const legacy = new AccessPolicy(new FolderSet([folder]), [], 10);
    assert.equal((await legacy.read(join(tree.ws, 'src/app.ts'), reader)).allowed, false);
  });

  it('denies everything when a folder itself cannot be resolved', async () => {
    const folder = { name: 'gone', root: join(tree.base, 'no-such-folder') };
    const broken = new AccessPolicy(new FolderSet([folder]), []);
    const decision = await broken.decide(join(folder.root, 'a.ts'), 'create');
    assert.equal(decision.allowed, false);
  });
});

describe('realLocation', () => {
  const fail = (code: string) => Object.assign(new Error(code), { code });
  const probe = (over: Partial<PathProbe>): PathProbe => ({ ...nodePathProbe, ...over });

  it('joins the missing names onto the nearest real folder', async () => {
    const base = realpathSync(tmpdir());
    const found = await realLocation(join(base, 'qcoder-none', 'a', 'b.ts'));
    assert.deepEqual(found, { ok: true, real: join(base, 'qcoder-none', 'a', 'b.ts'), exists: false });
    assert.deepEqual(await realLocation(base), { ok: true, real: base, exists: true });
  });

  it('fails on any error but a missing name, and when nothing exists at all', async () => {
    const denied = await realLocation('/x/y', probe({ realpath: () => Promise.reject(fail('EACCES')) }));
    assert.deepEqual(denied, { ok: false, reason: 'it could not be checked (EACCES)' });
    const odd = await realLocation('/x/y', probe({ realpath: () => Promise.reject(new Error('boom')) }));
    assert.deepEqual(odd, { ok: false, reason: 'it could not be checked (Error: boom)' });
    const stat = await realLocation(
      '/x/y',
      probe({ realpath: () => Promise.reject(fail('ENOENT')), entryExists: () => Promise.reject(fail('EIO')) }),
    );
    assert.deepEqual(stat, { ok: false, reason: 'it could not be checked (EIO)' });
    const nothing = await realLocation(
      '/x/y',
      probe({ realpath: () => Promise.reject(fail('ENOENT')), entryExists: async () => false }),
    );
    assert.deepEqual(nothing, { ok: false, reason: 'no part of it exists on disk' });
  });

  it('rethrows lstat errors other than a missing name from the Node probe', async () => {
    await assert.rejects(nodePathProbe.entryExists('/dev/null/x'), /ENOTDIR/);
    assert.equal(await nodePathProbe.entryExists('/no-such-qcoder-path'), false);
  });
});

describe('WorkspaceIndex and links', () => {
  let tree: ReturnType<typeof makeTree>;
  before(() => {
    tree = makeTree();
  });
  after(() => tree.dispose());

  it('drops git-listed links that lead outside, to secrets, to folders or nowhere', async () => {
    const { execFileSync } = await import('node:child_process');
    const env = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
    const git = (...args: string[]) => execFileSync('git', args, { cwd: tree.ws, env, stdio: 'ignore' });
    git('init', '-q');
    git('add', '-A');
    const index = await WorkspaceIndex.build([{ name: 'ws', root: tree.ws }], reader);
    assert.equal(index.stats.strategies.ws, 'git');
    const paths = [...index.paths()];
    for (const gone of ['notes.md', 'npm.txt', 'out', 'out.txt', 'cfg', 'gone', 'key-link.ts', 'to-lib.ts'])
      assert.ok(!paths.includes(gone), gone);
    for (const kept of ['src/app.ts', 'settings-link.json', 'pkg-link.json']) assert.ok(paths.includes(kept), kept);
    assert.equal(index.stats.denied['outside-workspace'], 5);
    await index.onDidCreate(join(tree.ws, 'notes.md'));
    assert.equal(index.has('notes.md'), false);
    await index.onDidCreate(join(tree.ws, 'src/app.ts'));
    assert.equal(index.has('src/app.ts'), true);
    await index.refreshFolder(index.folders.folders[0]);
    assert.equal(index.has('notes.md'), false);
    assert.equal(index.has('settings-link.json'), true);
  });
});
