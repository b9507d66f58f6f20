/**
 * containment: traversal and link tricks of a cloned repository plus a prompt injection,
 * over every core reader (read, @-mention, listing, search, the context pack) and the edit
 * proposal path, with a sentinel file outside the workspace. Its bytes must appear in no
 * result, and no change may land outside; a control read inside must still work.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  type AccessPolicy,
  NodeWorkspaceReader,
  WorkspaceIndex,
  buildContext,
  estimatingCounter,
} from '../../src/core/context';
import { promptMessages } from '../../src/core/chat/historyMessages';
import { type Sandbox, makeSandbox, proposeInCore } from './sandbox';

const RG = execFileSync('sh', ['-c', 'command -v rg || true'], { encoding: 'utf8' }).trim() || undefined;
const reader = new NodeWorkspaceReader();

/** Links a malicious repository could hold; `$BASE` is the sandbox's temp folder. */
const LINKS: Record<string, string> = {
  'link-dir': '../outside',
  'abs-dir': '$BASE/outside',
  'link-file.txt': '../outside/sentinel.txt',
  'abs-file.txt': '$BASE/outside/sentinel.txt',
  chain1: 'chain2',
  chain2: '../outside',
  'file-chain.txt': 'link-file.txt',
  'deep/a/b/up': '../../../../outside',
  inner: 'deep',
  'evil-link': '../ws-evil',
  'root-link': '/',
  loop1: 'loop2',
  loop2: 'loop1',
  dangling: '../outside/missing.txt',
  'dangling-dir': '../outside/missing-dir',
  'docs/notes.md': '../../outside/sentinel.txt',
};

/** Model-given paths aimed outside; `$BASE` and `$ROOT` are filled in. */
const INPUTS = [
  '../outside/sentinel.txt',
  './../outside/sentinel.txt',
  'src/../../outside/sentinel.txt',
  'src/../../../$BASE_NAME/outside/sentinel.txt',
  '..//outside//sentinel.txt',
  '../ws-evil/sentinel.txt',
  '$BASE/outside/sentinel.txt',
  '$BASE/ws-evil/sentinel.txt',
  '$ROOT/../outside/sentinel.txt',
  '$ROOT/./../outside/./sentinel.txt',
  'file://$BASE/outside/sentinel.txt',
  'file://localhost$BASE/outside/sentinel.txt',
  'file://$ROOT/../outside/sentinel.txt',
  'file://$ROOT/%2e%2e/outside/sentinel.txt',
  'file://$ROOT/%2E%2E/outside/sentinel.txt',
  'file://evil.example$BASE/outside/sentinel.txt',
  '~/outside/sentinel.txt',
  'link-dir/sentinel.txt',
  './link-dir/sentinel.txt',
  'link-dir//sentinel.txt',
  'link-dir/new.txt',
  'abs-dir/sentinel.txt',
  'abs-dir/new.txt',
  'link-file.txt',
  'abs-file.txt',
  'file-chain.txt',
  'chain1/sentinel.txt',
  'chain1/new.txt',
  'deep/a/b/up/sentinel.txt',
  'inner/a/b/up/sentinel.txt',
  'evil-link/sentinel.txt',
  'root-link$BASE/outside/sentinel.txt',
  'loop1',
  'loop1/x.txt',
  'dangling',
  'dangling-dir/new.txt',
  'docs/notes.md',
  '$ROOT/link-dir/sentinel.txt',
  'file://$ROOT/link-dir/sentinel.txt',
];

const fill = (text: string, sandbox: Sandbox) =>
  text
    .replace(/\$BASE_NAME/g, sandbox.base.split('/').filter(Boolean).join('/'))
    .replace(/\$BASE/g, sandbox.base)
    .replace(/\$ROOT/g, sandbox.root);

const FILE_TOOLS: readonly [string, (path: string) => Record<string, unknown>][] = [
  ['write_file', (path) => ({ path, content: 'pwned\n' })],
  ['edit_file', (path) => ({ path, edits: [{ old_text: 'SENTINEL', new_text: 'pwned' }] })],
  ['delete_file', (path) => ({ path })],
  ['rename_file from', (path) => ({ from: path, to: 'moved.txt' })],
  ['rename_file to', (path) => ({ from: 'src/app.ts', to: path })],
];

describe('containment', () => {
  let sandbox: Sandbox;
  let policy: AccessPolicy;
  const escapes: string[] = [];
  let total = 0;
  const outsideListing = () => readdirSync(sandbox.outside).sort().join(',');
  let outsideBefore = '';

  /**
   * One case: `leaked` is what the reader handed back (must not hold the sentinel), `allowed` whether it went through.
   */
  const record = (label: string, leaked: string, allowedOutside = false) => {
    total++;
    if (leaked.includes(sandbox.sentinel) || allowedOutside) escapes.push(label);
  };

  before(() => {
    sandbox = makeSandbox();
    mkdirSync(join(sandbox.base, 'ws-evil'));
    writeFileSync(join(sandbox.base, 'ws-evil', 'sentinel.txt'), `${sandbox.sentinel}\n`);
    sandbox.write('src/app.ts', 'export const app = "inside";\n');
    sandbox.write('deep/a/b/keep.ts', 'export const keep = 1;\n');
    for (const [link, target] of Object.entries(LINKS)) sandbox.link(link, fill(target, sandbox));
    policy = sandbox.policy();
    outsideBefore = outsideListing();
  });
  after(() => {
    sandbox.dispose();
    console.log(`containment: ${total} cases, ${escapes.length} escapes`);
  });

  it('reads, mentions, lists and searches nothing outside, by any path', async () => {
    const start = escapes.length;
    for (const raw of INPUTS) {
      const input = fill(raw, sandbox);
      for (const op of ['read', 'mention', 'context', 'search', 'list'] as const) {
        const decision = await policy.decideInput(input, op);
        let text = '';
        if (decision.allowed && decision.location) {
          const read = await policy.read(decision.location.abs, reader, { op });
          text = read.allowed ? read.text : '';
        }
        record(`${op} ${raw}`, text, decision.allowed);
      }
    }
    assert.deepEqual(escapes.slice(start), []);
  });

  it('proposes no change outside, through any path or link', async () => {
    const start = escapes.length;
    for (const raw of INPUTS) {
      const input = fill(raw, sandbox);
      for (const [tool, args] of FILE_TOOLS) {
        const result = await proposeInCore(policy, tool.split(' ')[0], args(input));
        record(`${tool} ${raw}`, result.message ?? '', result.proposed);
      }
    }
    assert.equal(readFileSync(sandbox.sentinelPath, 'utf8'), `${sandbox.sentinel}\n`);
    assert.equal(outsideListing(), outsideBefore);
    assert.deepEqual(escapes.slice(start), []);
  });

  for (const strategy of ['git', 'ripgrep', 'walk'] as const) {
    it(`lists, searches and packs nothing outside (${strategy} listing)`, async (t) => {
      if (strategy === 'ripgrep' && !RG) return t.skip('no ripgrep');
      const start = escapes.length;
      if (strategy === 'git') sandbox.git();
      const index = await WorkspaceIndex.build([{ name: 'ws', root: sandbox.root }], reader, {
        git: strategy === 'git',
        ...(strategy === 'ripgrep' ? { rgPath: RG } : {}),
      });
      assert.equal(index.stats.strategies.ws, strategy);
      const paths = [...index.paths()];
      record(`${strategy}: listing`, paths.join('\n'));
      for (const path of paths) {
        const decision = await policy.decide(path, 'list');
        record(`${strategy}: listed ${path}`, '', !decision.allowed);
      }
      assert.ok(paths.includes('src/app.ts'), 'the control file is listed');
      for (const rgPath of [RG, undefined]) {
        const mentions = INPUTS.map((raw) => ({ kind: 'file' as const, path: fill(raw, sandbox) }));
        const built = await buildContext(
          index,
          estimatingCounter,
          { query: `${sandbox.sentinel} sentinel app inside`, system: 'S', signals: { mentions } },
          rgPath ? { rgPath } : {},
        );
        const sent = JSON.stringify(promptMessages('S', built));
        record(`${strategy}: context pack (${rgPath ? 'rg' : 'scan'})`, sent);
        assert.match(sent, /inside/, 'the control file is packed');
        const searched = built.ranking.ranked.filter((candidate) => candidate.reasons.some((r) => /mentions/.test(r)));
        record(
          `${strategy}: search (${rgPath ? 'rg' : 'scan'})`,
          '',
          searched.some((c) => c.path !== 'src/app.ts'),
        );
      }
      assert.deepEqual(escapes.slice(start), []);
    });
  }
});
