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
    assert.match(
      pricing.reason,
      /^imported by the active file; file name matches|^imported by the active file; mentions "computeTotal"/,
    );
    assert.ok(
      !report.items.some((item: { path: string }) => item.path === '.env' || item.path.startsWith('node_modules/')),
    );
    const sum = report.items.reduce((total: number, item: { tokens: number }) => total + item.tokens, 0);
    assert.equal(report.totals.pinned.used + report.totals.retrieved.used, sum + 12);
  });

  it('refuses to run without a root and a query', () => {
    const run = cli('--query', 'x');
    assert.equal(run.status, 2);
    assert.match(run.stderr, /--root and --query are required/);
  });
});
