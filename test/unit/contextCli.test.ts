import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type TempWorkspace, makeWorkspace, sampleProject } from '../fixtures/context/workspace';

const repo = join(__dirname, '..', '..');
const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(repo, 'src/cli/main.ts'), 'context', ...args], {
    cwd: repo,
    encoding: 'utf8',
  });

describe('qcoder context', () => {
  let ws: TempWorkspace;
  before(() => {
    ws = makeWorkspace(sampleProject(), { git: true });
  });
  after(() => ws.dispose());

  it('prints the ranked, packed items as JSON: path, ranges, tokens, reason', () => {
    const run = cli(
      '--root',
      ws.root,
      '--query',
      'Why is computeTotal wrong?',
      '--budget',
      '8000',
      '--active',
      join(ws.root, 'src/cart.ts'),
      '--json',
    );
    assert.equal(run.status, 0, run.stderr);
    const report = JSON.parse(run.stdout);
    assert.equal(report.window, 8000);
    assert.equal(report.reserve, 1000);
    assert.deepEqual(report.counter, { name: 'qwen', exact: true });
    assert.ok(report.used <= 7000);
    assert.equal(report.index.strategies.ws, 'git');
    const [first, ...rest] = report.items;
    assert.deepEqual(first, {
      path: 'src/cart.ts',
      ranges: 'all',
      tokens: first.tokens,
      reason: 'active file',
      pinned: true,
      included: true,
      form: 'whole',
      score: 100,
    });
    assert.ok(first.tokens > 50);
    const pricing = rest.find((item: { path: string }) => item.path === 'src/pricing.ts');
    assert.match(pricing.reason, /^imported by the active file; mentions "computeTotal"/);
    assert.ok(
      !report.items.some((item: { path: string }) => item.path === '.env' || item.path.startsWith('node_modules/')),
    );
    const sum = report.items.reduce((total: number, item: { tokens: number }) => total + item.tokens, 0);
    assert.equal(report.totals.pinned.used + report.totals.retrieved.used, sum + 12);
  });

  it(
    '--messages prints the request’s messages: the extension’s system prompt, the ' +
      'mention pinned, retrieved, the query',
    () => {
      const query = 'Why is computeTotal wrong in @file:src/cart.ts?';
      const run = cli('--root', ws.root, '--query', query, '--budget', '8000', '--messages');
      assert.equal(run.status, 0, run.stderr);
      const messages = JSON.parse(run.stdout) as { role: string; content: string }[];
      assert.deepEqual(
        messages.map((message) => message.role),
        ['system', 'user', 'user', 'user'],
      );
      assert.match(
        messages[0].content,
        /^You are QCoder, a coding assistant inside VS Code\. The user has the workspace "ws" open/,
      );
      assert.match(messages[0].content, /edit_file/);
      assert.match(messages[1].content, /^<file path="src\/cart\.ts" reason="@-mentioned">\nimport \{ computeTotal \}/);
      assert.match(messages[2].content, /<file path="src\/pricing\.ts"/);
      assert.equal(messages[3].content, query);
    },
  );

  it('--messages says on stderr which mention could not be attached', () => {
    const run = cli('--root', ws.root, '--query', 'read @file:.env and @file:nope.ts', '--messages');
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, /@file:\.env was not attached: .*secret/);
    assert.match(run.stderr, /@file:nope\.ts was not attached/);
    // `.env.example` may be retrieved (it holds no secret); the value in `.env` must never appear.
    assert.doesNotMatch(run.stdout, /not-a-real-key/);
  });

  it('refuses to run without a root and a query', () => {
    const run = cli('--query', 'x');
    assert.equal(run.status, 2);
    assert.match(run.stderr, /--root and --query are required/);
  });
});
