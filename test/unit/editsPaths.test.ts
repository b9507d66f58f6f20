import assert from 'node:assert/strict';
import { lstat, realpath } from 'node:fs/promises';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { confirmRealPath, isInside, resolveWorkspacePath, type WorkspaceRoot } from '../../src/core/edits';

const one: WorkspaceRoot[] = [{ name: 'app', path: '/work/app' }];
const two: WorkspaceRoot[] = [
  { name: 'app', path: '/work/app' },
  { name: 'lib', path: '/work/lib' },
];

const message = (input: string, roots = one) => {
  const result = resolveWorkspacePath(input, roots);
  return result.ok
    ? `ok ${result.root.name} ${result.relative} ${result.absolute}`
    : `${result.kind}: ${result.message}`;
};

describe('resolveWorkspacePath, word for word', () => {
  it('says why a path is refused', () => {
    assert.equal(message('x', []), 'outside_workspace: "x": no workspace folder is open, so no file may be changed');
    assert.equal(message('  '), 'invalid_path: "  ": the path is empty');
    assert.equal(message('a\0b'), 'invalid_path: "a\\u0000b": the path contains a NUL character');
    assert.match(message('~/x'), /^invalid_path: "~\/x": home-relative paths are not workspace paths; give a path/);
    assert.equal(
      message('file://host/x'),
      'outside_workspace: "file://host/x": only file: URIs of this machine are accepted',
    );
    assert.equal(
      message('file://[bad/x'),
      'outside_workspace: "file://[bad/x": only file: URIs of this machine are accepted',
    );
    assert.equal(
      message('https://example.com/x'),
      'outside_workspace: "https://example.com/x": only workspace files can be changed, not other URI schemes',
    );
    assert.equal(message('/etc/x'), 'outside_workspace: "/etc/x": is outside the workspace folder (/work/app)');
    assert.equal(
      message('/etc/x', two),
      'outside_workspace: "/etc/x": is outside the workspace folders (/work/app, /work/lib)',
    );
    assert.equal(message('../x'), 'outside_workspace: "../x": leads outside the workspace folder (".." past its root)');
    assert.equal(message('/work/app'), 'invalid_path: "/work/app": is the workspace folder itself, not a file');
    assert.equal(message('src/..'), 'invalid_path: "src/..": is the workspace folder itself, not a file');
  });

  it('picks the root a path names, and only a root that exists', () => {
    assert.equal(message('lib/a.ts', two), 'ok lib a.ts /work/lib/a.ts');
    assert.equal(message('app/a.ts', two), 'ok app a.ts /work/app/a.ts');
    assert.equal(message('other/a.ts', two), 'ok app other/a.ts /work/app/other/a.ts');
    assert.equal(message('lib/a.ts'), 'ok app lib/a.ts /work/app/lib/a.ts');
    assert.equal(message('lib\\a.ts', two), 'ok lib a.ts /work/lib/a.ts');
    assert.equal(message('/work/lib/x/../y.ts', two), 'ok lib y.ts /work/lib/y.ts');
    assert.equal(message('file://localhost/work/app/a%20b.ts'), 'ok app a b.ts /work/app/a b.ts');
    assert.equal(message('FILE:///work/app/x.ts'), 'ok app x.ts /work/app/x.ts');
    assert.equal(message('  src/a.ts  '), 'ok app src/a.ts /work/app/src/a.ts');
    assert.equal(message('c:relative'), 'ok app c:relative /work/app/c:relative');
    assert.equal(message('src/file:x.ts'), 'ok app src/file:x.ts /work/app/src/file:x.ts');
    assert.equal(message('lib//a.ts', two), 'ok lib a.ts /work/lib/a.ts');
    assert.equal(message('lib/a/b.ts', two), 'ok lib a/b.ts /work/lib/a/b.ts');
    assert.equal(message('app/x.ts'), 'ok app app/x.ts /work/app/app/x.ts');
    assert.match(message('file:///C:/work/app/x.ts'), /^outside_workspace/);
    assert.equal(
      message('ab:x'),
      'outside_workspace: "ab:x": only workspace files can be changed, not other URI schemes',
    );
  });

  it('knows Windows paths and alternate data streams', () => {
    const windows = [{ name: 'app', path: 'C:\\work\\app' }];
    assert.equal(message('\\\\server\\share\\x', windows).startsWith('outside_workspace'), true);
    assert.equal(message('file:///c:/work/app/x.ts', windows), 'ok app x.ts c:\\work\\app\\x.ts');
    assert.equal(message('C:/work/app/a/b.ts', windows), 'ok app a/b.ts C:\\work\\app\\a\\b.ts');
    assert.match(message('a\\b.txt::$DATA', windows), /^invalid_path: .*names an alternate data stream$/);
    const unc = [{ name: 'share', path: '\\\\server\\share\\ws' }];
    assert.equal(message('a/b.ts', unc), 'ok share a/b.ts \\\\server\\share\\ws\\a\\b.ts');
    const odd = [{ name: 'odd', path: '/srv/C:/ws' }];
    assert.equal(message('x.ts', odd), 'ok odd x.ts /srv/C:/ws/x.ts');
    assert.equal(isInside('C:\\Work\\App', 'c:\\work\\app\\x'), true);
    assert.equal(isInside('C:\\work\\app', 'C:\\work\\apple'), false);
    assert.equal(isInside('/work/app', '/work/App/x'), false);
    assert.equal(isInside('/work/app', '/work/app'), true);
    assert.equal(isInside('/work/app', '/work/app/..x'), true);
    assert.equal(isInside('/work/app', '/work'), false);
    assert.equal(isInside('/work/app', '/work/app2'), false);
  });
});

describe('confirmRealPath on real links', () => {
  let base: string;
  let root: WorkspaceRoot;
  const real = (path: string) => realpath(path).catch(() => undefined);
  const entry = (path: string) =>
    lstat(path).then(
      () => true,
      () => false,
    );

  before(() => {
    base = realpathSync(mkdtempSync(join(tmpdir(), 'qcoder-paths-')));
    mkdirSync(join(base, 'ws/src'), { recursive: true });
    mkdirSync(join(base, 'outside'));
    writeFileSync(join(base, 'ws/src/a.ts'), 'a');
    symlinkSync('../outside', join(base, 'ws/out'));
    symlinkSync('src', join(base, 'ws/inner'));
    symlinkSync('nowhere', join(base, 'ws/gone'));
    symlinkSync(join(base, 'ws'), join(base, 'ws-link'));
    root = { name: 'ws', path: join(base, 'ws') };
  });
  after(() => rmSync(base, { recursive: true }));

  const check = async (rel: string, at = root) => {
    const resolved = resolveWorkspacePath(rel, [at]);
    assert.ok(resolved.ok, rel);
    const result = await confirmRealPath(resolved, real, entry);
    return result.ok ? 'ok' : result.message;
  };

  it('accepts files and new files inside, also through a linked root', async () => {
    assert.equal(await check('src/a.ts'), 'ok');
    assert.equal(await check('inner/new/b.ts'), 'ok');
    assert.equal(await check('src/a.ts', { name: 'ws', path: join(base, 'ws-link') }), 'ok');
  });

  it('refuses links out and links that lead nowhere', async () => {
    assert.equal(
      await check('out/new.txt'),
      `"out/new.txt": is a symbolic link (or inside one) that leads outside the workspace, to ` +
        `${join(base, 'outside/new.txt')}`,
    );
    assert.equal(await check('gone'), '"gone": is (or lies inside) a symbolic link that leads nowhere');
    assert.equal(
      await check('out/new/deep.txt'),
      `"out/new/deep.txt": is a symbolic link (or inside one) that leads outside the workspace, to ` +
        `${join(base, 'outside/new/deep.txt')}`,
    );
    const dangling = resolveWorkspacePath('gone', [root]);
    assert.ok(dangling.ok);
    const refusal = await confirmRealPath(dangling, real, entry);
    assert.equal(!refusal.ok && refusal.kind, 'outside_workspace');
    assert.equal(await check('gone/x.ts'), '"gone/x.ts": is (or lies inside) a symbolic link that leads nowhere');
    const failing = resolveWorkspacePath('gone', [root]);
    assert.ok(failing.ok);
    const broken = await confirmRealPath(failing, real, () => Promise.reject(new Error('EIO')));
    assert.equal(broken.ok, false);
  });

  it('refuses when no part exists, and keeps accepting a missing name without the lstat check', async () => {
    const ghost = { name: 'g', path: '/qcoder-no-such-root' };
    const resolved = resolveWorkspacePath('a/b.ts', [ghost]);
    assert.ok(resolved.ok);
    const none = await confirmRealPath(resolved, async () => undefined);
    assert.deepEqual(none, { ok: false, kind: 'outside_workspace', message: '"a/b.ts": no part of it exists on disk' });
    const legacy = resolveWorkspacePath('gone', [root]);
    assert.ok(legacy.ok);
    assert.equal((await confirmRealPath(legacy, real)).ok, true);
  });
});
