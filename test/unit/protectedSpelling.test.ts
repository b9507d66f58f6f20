import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { approvalReason, packageJsonRisk, protectedReason } from '../../src/core/edits';
import { canonicalSpelling } from '../../src/core/edits/protectedPaths';

const EDITOR = /editor settings/;
const GIT = /git configuration/;
const IGNORE = /ignore files/;
const HOOKS = /git hooks/;
const CI = /CI pipelines/;
const CONTAINER = /dev container/;
const PACKAGE_MANAGER = /package-manager/;
const ENV = /environment files/;
const SHORT = /short \(8\.3\) name/;

describe('canonicalSpelling', () => {
  it('reduces every spelling of one file to one folded POSIX path', () => {
    const cases: [string, string][] = [
      ['.vscode/settings.json', '.vscode/settings.json'],
      ['./.vscode//settings.json', '.vscode/settings.json'],
      ['.\\.vscode\\settings.json', '.vscode/settings.json'],
      ['.VSCode/Settings.JSON', '.vscode/settings.json'],
      ['.vſcode/ſettings.json', '.vscode/settings.json'],
      ['.\u212Aeep/x', '.keep/x'],
      ['.gıt/config', '.git/config'],
      ['．vscode/settings.json', '.vscode/settings.json'],
      ['%2evscode/settings.json', '.vscode/settings.json'],
      ['%2Evscode%2Fsettings.json', '.vscode/settings.json'],
      ['%252evscode/settings.json', '.vscode/settings.json'],
      ['%252525252evscode/x', '.vscode/x'],
      ['%25zz/a', '%zz/a'],
      ['.vscode./settings.json..', '.vscode/settings.json'],
      ['.vscode /settings.json ', '.vscode/settings.json'],
      ['.vscode/settings.json::$DATA', '.vscode/settings.json'],
      ['.vscode/settings.json:Zone.Identifier', '.vscode/settings.json'],
      ['a/b/../../.vscode/./settings.json', '.vscode/settings.json'],
      ['file:///.vscode/settings.json', '.vscode/settings.json'],
      ['file://localhost/.git/config', '.git/config'],
      ['C:/.git/config', '.git/config'],
      ['/C:/.git/config', '.git/config'],
      ['%zz/a', '%zz/a'],
      ['../x', 'x'],
      ['...', ''],
    ];
    for (const [input, expected] of cases) assert.equal(canonicalSpelling(input), expected, input);
  });

  it('leaves a name with a dot inside alone', () => {
    assert.equal(canonicalSpelling('src/a.b.c'), 'src/a.b.c');
    assert.equal(canonicalSpelling('src/.hidden'), 'src/.hidden');
  });
});

describe('protectedReason', () => {
  const expectations: [string, RegExp][] = [
    ['.vscode/settings.json', EDITOR],
    ['.vscode', EDITOR],
    ['pkg/.vscode/tasks.json', EDITOR],
    ['team.code-workspace', EDITOR],
    ['.git/config', GIT],
    ['.git', GIT],
    ['sub/.git/hooks/pre-commit', GIT],
    ['.gitmodules', GIT],
    ['lib/.gitmodules', GIT],
    ['.gitignore', IGNORE],
    ['deep/er/.gitignore', IGNORE],
    ['.qcoderignore', IGNORE],
    ['config/.qcoderignore', IGNORE],
    ['.husky/pre-commit', HOOKS],
    ['.pre-commit-config.yaml', HOOKS],
    ['lefthook.yml', HOOKS],
    ['.lefthook.toml', HOOKS],
    ['.lintstagedrc.json', HOOKS],
    ['lint-staged.config.mjs', HOOKS],
    ['.simple-git-hooks.json', HOOKS],
    ['.github/workflows/ci.yml', CI],
    ['.github/actions/x/action.yml', CI],
    ['tools/action.yaml', CI],
    ['.gitlab-ci.yml', CI],
    ['.gitlab/ci/x.yml', CI],
    ['.circleci/config.yml', CI],
    ['azure-pipelines.yml', CI],
    ['.azure-pipelines/x.yml', CI],
    ['Jenkinsfile', CI],
    ['.travis.yml', CI],
    ['bitbucket-pipelines.yml', CI],
    ['.buildkite/pipeline.yml', CI],
    ['.drone.yml', CI],
    ['.devcontainer/devcontainer.json', CONTAINER],
    ['sub/.devcontainer.json', CONTAINER],
    ['.npmrc', PACKAGE_MANAGER],
    ['a/.yarnrc', PACKAGE_MANAGER],
    ['.yarnrc.yml', PACKAGE_MANAGER],
    ['.pnpmfile.cjs', PACKAGE_MANAGER],
    ['.envrc', PACKAGE_MANAGER],
    ['.env', ENV],
    ['config/.env.local', ENV],
    ['VSCODE~1/settings.json', SHORT],
    ['GIT~1/hooks/pre-commit', SHORT],
    ['src/GITHUB~2.YML', SHORT],
    ['GIT~12/config', SHORT],
    ['.github/actions/setup/run.sh', CI],
    ['.config/.vscode/settings.json', EDITOR],
    ['.a/.b/.husky/pre-push', HOOKS],
  ];

  it('names why each protected file needs approval', () => {
    for (const [path, reason] of expectations) assert.match(protectedReason(path) ?? '', reason, path);
  });

  it('holds for every spelling of a protected path', () => {
    for (const path of [
      '.VSCODE/settings.json',
      '.vſcode/settings.json',
      '%2evscode/settings.json',
      '.vscode./settings.json',
      '.vscode/settings.json::$DATA',
      '.vscode\\settings.json',
      './/.vscode//settings.json',
      'JENKINSFILE',
      '.GITHUB/WORKFLOWS/CI.YML',
      'file:///.github/workflows/ci.yml',
    ])
      assert.ok(protectedReason(path), path);
  });

  it('leaves ordinary files alone', () => {
    for (const path of [
      'src/index.ts',
      'README.md',
      '.github/ISSUE_TEMPLATE/bug.md',
      'docs/.vscode.md',
      'environment.ts',
      'src/vscode/settings.ts',
      'package.json',
      'sub/.github/workflows/ci.yml',
      'gitignore.md',
      'a~b/c.ts',
      'VERYLONGNAME~1X/x',
      'docs/VERYLONGNAME~1',
      'x/GIT~1.LONG',
      'x/action.json',
    ])
      assert.equal(protectedReason(path), undefined, path);
  });

  it('checks the scripts a package.json would hold when its content is given', () => {
    const scripts = JSON.stringify({ name: 'x', scripts: { postinstall: 'sh x' } });
    assert.match(protectedReason('tools/package.json', scripts) ?? '', /"scripts"/);
    assert.match(protectedReason('PACKAGE.JSON', scripts) ?? '', /"scripts"/);
    assert.equal(protectedReason('tools/package.json', JSON.stringify({ name: 'x' })), undefined);
    assert.equal(protectedReason('tools/package.json'), undefined);
    assert.equal(protectedReason('tools/notes.json', scripts), undefined);
    assert.equal(protectedReason('mypackage.json', scripts), undefined);
    assert.match(protectedReason('package.json', '{ nope') ?? '', /would not parse/);
  });
});

describe('approvalReason and packageJsonRisk', () => {
  const base = JSON.stringify({ name: 'x', scripts: { test: 't' } });

  it('asks on a scripts change, a deletion, and a package.json that does not parse', () => {
    assert.match(approvalReason('sub/Package.json', base, undefined) ?? '', /deletes a package\.json/);
    assert.match(approvalReason('package.json', base, JSON.stringify({ name: 'x' })) ?? '', /"scripts"/);
    assert.equal(
      approvalReason('package.json', base, JSON.stringify({ name: 'y', scripts: { test: 't' } })),
      undefined,
    );
    assert.equal(approvalReason('src/a.ts', undefined, undefined), undefined);
    assert.match(approvalReason('.vscode/x.json', undefined, '{}') ?? '', EDITOR);
  });

  it('reads a BOM, and refuses arrays and non-objects as package.json', () => {
    assert.equal(packageJsonRisk(base, `\uFEFF${base}`), undefined);
    assert.match(packageJsonRisk(base, '[1]') ?? '', /would not parse/);
    assert.match(packageJsonRisk(base, 'null') ?? '', /would not parse/);
    assert.match(packageJsonRisk('"text"', base) ?? '', /would not parse/);
    assert.equal(packageJsonRisk(undefined, JSON.stringify({ name: 'x' })), undefined);
    // Only a leading BOM is dropped: one inside a script is a change.
    assert.match(packageJsonRisk('{"scripts":{"a":"x\uFEFF"}}', '{"scripts":{"a":"x"}}') ?? '', /"scripts"/);
  });

  it('names every key that changes what runs', () => {
    for (const key of ['scripts', 'husky', 'simple-git-hooks', 'lint-staged', 'pre-commit', 'gitHooks']) {
      const risk = packageJsonRisk(JSON.stringify({}), JSON.stringify({ [key]: { a: 'b' } }));
      assert.equal(risk, `it changes "${key}" in package.json, which npm or git run as commands`, key);
    }
    assert.match(
      packageJsonRisk('{}', JSON.stringify({ scripts: { a: 'b' }, husky: {} })) ?? '',
      /"scripts", "husky" in/,
    );
  });
});
