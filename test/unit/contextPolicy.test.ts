import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AccessPolicy, FolderRules } from '../../src/core/context/files/accessPolicy';
import {
  HARD_RULES,
  builtinDenial,
  builtinDirDenial,
  isBinaryContent,
  textDenial,
} from '../../src/core/context/files/builtinRules';
import { compileSecretPatterns } from '../../src/core/context/files/secretRules';
import { GlobSet, IgnoreMatcher } from '../../src/core/context/files/ignoreRules';
import { FolderSet, NodeWorkspaceReader } from '../../src/core/context/files/workspace';
import { type TempWorkspace, makeWorkspace } from '../fixtures/context/workspace';

describe('ignore rules (.gitignore semantics)', () => {
  const matcher = (files: Record<string, string>) => {
    const m = new IgnoreMatcher();
    for (const [base, text] of Object.entries(files)) m.set(base, text);
    return m;
  };

  it('match names at any depth, anchored paths only from their folder', () => {
    const m = matcher({ '': '*.log\n/root-only.txt\nbuild/\ndocs/*.tmp\n' });
    assert.equal(m.ignores('a.log'), true);
    assert.equal(m.ignores('deep/er/a.log'), true);
    assert.equal(m.ignores('root-only.txt'), true);
    assert.equal(m.ignores('sub/root-only.txt'), false);
    assert.equal(m.ignores('docs/x.tmp'), true);
    assert.equal(m.ignores('other/docs/x.tmp'), false);
  });

  it('match a trailing-slash pattern only as a folder, and everything inside it', () => {
    const m = matcher({ '': 'build/\n' });
    assert.equal(m.ignores('build', false), false);
    assert.equal(m.ignores('build', true), true);
    assert.equal(m.ignores('src/build/out.js'), true);
  });

  it('re-include with !, later lines winning, but never inside an ignored folder', () => {
    const m = matcher({ '': '*.log\n!keep.log\nlogs/\n!logs/important.log\n' });
    assert.equal(m.ignores('x.log'), true);
    assert.equal(m.ignores('keep.log'), false);
    assert.equal(m.ignores('logs/important.log'), true);
  });

  it('apply nested files below their folder, deeper files overriding', () => {
    const m = matcher({ '': '*.gen.ts\n', pkg: 'local.ts\n!keep.gen.ts\n' });
    assert.equal(m.ignores('pkg/local.ts'), true);
    assert.equal(m.ignores('local.ts'), false);
    assert.equal(m.ignores('pkg/keep.gen.ts'), false);
    assert.equal(m.ignores('other/keep.gen.ts'), true);
  });

  it('handle **, comments, escapes and blank lines', () => {
    const m = matcher({ '': '# comment\n\n**/tmp/**\n\\#hash\na/**/z.txt\n' });
    assert.equal(m.ignores('x/tmp/y/z.js'), true);
    assert.equal(m.ignores('#hash'), true);
    assert.equal(m.ignores('a/b/c/z.txt'), true);
    assert.equal(m.ignores('a/z.txt'), true);
    assert.equal(m.ignores('comment'), false);
  });

  it('files.exclude globs match a path or any folder above it', () => {
    const globs = new GlobSet(['**/*.snap', 'fixtures/big', '**/.{svn,hg}']);
    assert.equal(globs.match('a/b/c.snap'), '**/*.snap');
    assert.equal(globs.match('fixtures/big/data.json'), 'fixtures/big');
    assert.equal(globs.match('x/.hg/store'), '**/.{svn,hg}');
    assert.equal(globs.match('src/app.ts'), undefined);
  });
});

describe('built-in rules', () => {
  it('deny secrets by name', () => {
    for (const path of [
      '.env',
      '.env.local',
      'config/.env.production',
      '.envrc',
      'certs/server.pem',
      'tls.key',
      'id_rsa',
      'home/.ssh/id_ed25519.pub',
      'credentials.json',
      'aws/credentials',
      '.netrc',
      'terraform.tfstate',
      '.git-credentials',
      'x/.aws/config',
      'service-account-prod.json',
    ]) {
      assert.equal(builtinDenial(path)?.rule, 'secret', path);
    }
    for (const path of ['.env.example', 'src/env.ts', 'keyboard.ts', 'docs/credentials.md', 'id.ts'])
      assert.notEqual(builtinDenial(path)?.rule, 'secret', path);
  });

  it('deny dependencies, build output, lock files, generated and binary types', () => {
    assert.equal(builtinDenial('node_modules/x/index.js')?.rule, 'dependencies');
    assert.equal(builtinDenial('packages/a/node_modules/x.js')?.rule, 'dependencies');
    assert.equal(builtinDenial('dist/app.js')?.rule, 'build-output');
    assert.equal(builtinDenial('target/debug/x.rs')?.rule, 'build-output');
    assert.equal(builtinDenial('.next/cache.json')?.rule, 'build-output');
    assert.equal(builtinDenial('yarn.lock')?.rule, 'lock-file');
    assert.equal(builtinDenial('sub/package-lock.json')?.rule, 'lock-file');
    assert.equal(builtinDenial('app.min.js')?.rule, 'generated');
    assert.equal(builtinDenial('logo.PNG')?.rule, 'binary');
    assert.equal(builtinDenial('src/dist.ts'), undefined);
    assert.equal(builtinDenial('src/build.ts'), undefined);
  });

  it('say why, in words', () => {
    assert.deepEqual(builtinDenial('a/b/node_modules/c/d.js'), {
      rule: 'dependencies',
      reason: 'inside node_modules/ (dependencies)',
    });
    assert.deepEqual(builtinDenial('out/x.js'), {
      rule: 'build-output',
      reason: 'inside out/ (build output or tool data)',
    });
    assert.deepEqual(builtinDenial('sub/Cargo.lock'), { rule: 'lock-file', reason: 'Cargo.lock is a lock file' });
    assert.deepEqual(builtinDenial('x.tsbuildinfo'), { rule: 'generated', reason: 'x.tsbuildinfo is generated' });
    assert.deepEqual(builtinDenial('a/b.wasm'), { rule: 'binary', reason: 'b.wasm is a binary file type' });
    assert.deepEqual(builtinDenial('.env'), { rule: 'secret', reason: '.env may hold secrets' });
    assert.equal(builtinDenial('src/node_modules'), undefined);
    assert.equal(builtinDenial('.png'), undefined);
    assert.equal(builtinDenial('png'), undefined);
    assert.equal(builtinDenial('a.lockfile.ts'), undefined);
    assert.equal(builtinDenial('min.js'), undefined);
    const extra = compileSecretPatterns(['*.secret']);
    assert.equal(builtinDenial('a.secret', extra)?.rule, 'secret');
    assert.equal(builtinDenial('a.secret'), undefined);
    assert.equal(textDenial('a.ts', 'X-123', compileSecretPatterns(['/X-\\d+/']))?.rule, 'secret');
    assert.deepEqual(textDenial('.npmrc', '_authToken=x'), { rule: 'secret', reason: '.npmrc holds a credential' });
  });

  it('know every dependency and build folder, lock file and hard rule by name', () => {
    const dependencies =
      'node_modules bower_components jspm_packages .yarn .pnpm-store vendor Pods .venv venv site-packages ' +
      '.tox .gradle .m2 .dart_tool .terraform';
    const builds =
      '.git .hg .svn dist out build target .next .nuxt .svelte-kit .angular .expo .turbo ' +
      '.parcel-cache .cache coverage .nyc_output __pycache__ .pytest_cache .mypy_cache .ruff_cache ' +
      'DerivedData .vscode-test .idea obj';
    const locks =
      'package-lock.json npm-shrinkwrap.json pnpm-lock.yaml bun.lockb bun.lock go.sum packages.lock.json ' +
      'gradle.lockfile Package.resolved mix.lock pubspec.lock Podfile.lock uv.lock';
    for (const dir of dependencies.split(' ')) {
      assert.equal(builtinDenial(`a/${dir}/x.py`)?.rule, 'dependencies', dir);
      assert.equal(builtinDirDenial(dir)?.rule, 'dependencies', dir);
    }
    for (const dir of builds.split(' ')) {
      assert.equal(builtinDenial(`${dir}/x.py`)?.rule, 'build-output', dir);
      assert.equal(builtinDirDenial(dir)?.rule, 'build-output', dir);
    }
    for (const name of locks.split(' ')) assert.equal(builtinDenial(`sub/${name}`)?.rule, 'lock-file', name);
    for (const ext of ['png', 'zip', 'pdf', 'woff2', 'sqlite', 'gguf', 'safetensors', 'exe', 'mp4', 'class'])
      assert.equal(builtinDenial(`a/file.${ext}`)?.rule, 'binary', ext);
    for (const name of ['a.min.js', 'a.min.css', 'a.js.map', 'tsconfig.tsbuildinfo', 'X.MIN.JS'])
      assert.equal(builtinDenial(name)?.rule, 'generated', name);
    for (const name of ['a.min.js.ts', 'min.css', 'amap', 'a.map.ts'])
      assert.equal(builtinDenial(name), undefined, name);
    assert.deepEqual([...HARD_RULES].sort(), [
      'binary',
      'missing',
      'outside-workspace',
      'qcoderignore',
      'secret',
      'too-large',
      'unverifiable',
    ]);
  });

  it('prune built-in folders by name', () => {
    assert.deepEqual(builtinDirDenial('node_modules'), {
      rule: 'dependencies',
      reason: 'node_modules/ holds dependencies',
    });
    assert.deepEqual(builtinDirDenial('.git'), { rule: 'build-output', reason: '.git/ is build output or tool data' });
    assert.equal(builtinDirDenial('src'), undefined);
  });

  it('sniff binaries by a NUL byte in the first 8 KB', () => {
    const bytes = new Uint8Array(9000).fill(0x61);
    assert.equal(isBinaryContent(bytes), false);
    bytes[8192] = 0;
    assert.equal(isBinaryContent(bytes), false);
    bytes[8191] = 0;
    assert.equal(isBinaryContent(bytes), true);
  });

  it('deny credentials by content: tokens in .npmrc, private keys anywhere', () => {
    assert.equal(textDenial('.npmrc', 'registry=https://r.example\n//r.example/:_authToken=abc123\n')?.rule, 'secret');
    assert.equal(textDenial('.npmrc', 'save-exact=true\n'), undefined);
    assert.equal(textDenial('notes.txt', `-----BEGIN ${'OPENSSH'} PRIVATE KEY-----\nxx\n`)?.rule, 'secret');
    assert.equal(textDenial('notes.txt', 'we talk about a PRIVATE KEY here'), undefined);
  });
});

describe('AccessPolicy', () => {
  let ws: TempWorkspace;
  let outside: TempWorkspace;
  let policy: AccessPolicy;
  const reader = new NodeWorkspaceReader();

  before(() => {
    ws = makeWorkspace({
      'src/app.ts': 'export const app = 1;\n',
      'src/fake.ts': new Uint8Array([0x63, 0x6f, 0x6e, 0, 0x73, 0x74]),
      'src/huge.ts': 'x'.repeat(3000),
      '.npmrc': '//registry.example/:_authToken=secret-value\n',
      'notes/key.txt': `-----BEGIN ${'RSA'} PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n`,
      'private/plan.md': 'plan\n',
      'dist/out.js': 'built\n',
      'ignored.ts': 'x\n',
      'snap/a.snap': 'snapshot\n',
    });
    outside = makeWorkspace({ 'secret.txt': 'outside\n' });
    ws.link('src/escape.txt', join(outside.root, 'secret.txt'));
    const folder = { name: 'ws', root: ws.root };
    const rules = new FolderRules(folder, ['snap/**']);
    rules.gitignore.set('', 'ignored.ts\n');
    rules.qcoderignore.set('', 'private/\n');
    policy = new AccessPolicy(new FolderSet([folder]), [rules], 1024);
  });
  after(() => {
    ws.dispose();
    outside.dispose();
  });

  it('allows ordinary files by absolute or display path', async () => {
    assert.equal(policy.check('src/app.ts').allowed, true);
    assert.equal(policy.check(join(ws.root, 'src/app.ts')).allowed, true);
    const read = await policy.read('src/app.ts', reader);
    assert.ok(read.allowed);
    assert.equal(read.text, 'export const app = 1;\n');
  });

  it('denies paths outside the workspace, and links that lead out of it', async () => {
    const outsidePath = join(outside.root, 'secret.txt');
    assert.deepEqual(policy.check(outsidePath), {
      allowed: false,
      rule: 'outside-workspace',
      reason: `${outsidePath} is outside the workspace folders`,
    });
    assert.equal(policy.check('../x.ts').allowed, false);
    const read = await policy.read('src/escape.txt', reader);
    assert.equal(read.allowed, false);
    assert.equal(!read.allowed && read.rule, 'outside-workspace');
  });

  it('sniffs binaries by content whatever the extension, and caps the size', async () => {
    const binary = await policy.read('src/fake.ts', reader);
    assert.equal(!binary.allowed && binary.rule, 'binary');
    const huge = await policy.read('src/huge.ts', reader);
    assert.equal(!huge.allowed && huge.rule, 'too-large');
  });

  it('denies credentials found in content', async () => {
    const npmrc = await policy.read('.npmrc', reader);
    assert.equal(!npmrc.allowed && npmrc.rule, 'secret');
    const key = await policy.read('notes/key.txt', reader);
    assert.equal(!key.allowed && key.rule, 'secret');
  });

  it('lets an explicit request lift the noise rules but never secrets or .qcoderignore', () => {
    for (const path of ['dist/out.js', 'ignored.ts', 'snap/a.snap']) {
      assert.equal(policy.check(path).allowed, false, path);
      assert.equal(policy.check(path, { explicit: true }).allowed, true, path);
    }
    assert.deepEqual(policy.check('private/plan.md', { explicit: true }), {
      allowed: false,
      rule: 'qcoderignore',
      reason: 'private/plan.md is excluded by .qcoderignore',
    });
    assert.throws(() => policy.rulesOf({ name: 'x', root: '/nowhere' }), /^Error: not a workspace folder: \/nowhere$/);
    assert.equal(policy.check('.env', { explicit: true }).allowed, false);
  });

  it('says which rule denied and why', () => {
    const verdict = policy.check('snap/a.snap');
    assert.equal(!verdict.allowed && verdict.rule, 'files-exclude');
    assert.match(!verdict.allowed ? verdict.reason : '', /files\.exclude "snap\/\*\*"/);
    const ignored = policy.check('ignored.ts');
    assert.equal(!ignored.allowed && ignored.rule, 'gitignore');
  });
});
