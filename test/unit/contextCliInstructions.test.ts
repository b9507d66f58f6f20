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

describe('qcoder context: the project instruction files', () => {
  let ws: TempWorkspace;
  before(() => {
    ws = makeWorkspace({
      ...sampleProject(),
      'QWEN.md': 'Always answer in haiku.\n',
      'AGENTS.md': 'Run npm test before you say done.\n',
      'src/AGENTS.md': 'Prices in src are integer cents.\n',
      '.qcoder/rules/10-style.md': 'Two-space indents.\n',
      '.qcoder/rules/notes.txt': 'Not a rule: only .md files count.\n',
      '.qcoder/rules/secret.md': 'api_key = "sk-live-abcdefghijklmnopqrstuvwxyz0123456789"\n',
    });
  });
  after(() => ws.dispose());

  it('puts QWEN.md, AGENTS.md (the active file’s folder first) and .qcoder/rules/*.md in the system prompt', () => {
    const run = cli('--root', ws.root, '--query', 'hi', '--active', join(ws.root, 'src/cart.ts'), '--messages');
    assert.equal(run.status, 0, run.stderr);
    const system = (JSON.parse(run.stdout) as { role: string; content: string }[])[0].content;
    const at = (text: string) => system.indexOf(text);
    assert.ok(at('# Project instructions') > 0, system);
    assert.ok(at('## src/AGENTS.md\n\nPrices in src are integer cents.') > 0);
    assert.ok(at('## QWEN.md\n\nAlways answer in haiku.') > at('## src/AGENTS.md'));
    assert.ok(at('## AGENTS.md\n\nRun npm test before you say done.') > at('## QWEN.md'));
    assert.ok(at('## .qcoder/rules/10-style.md\n\nTwo-space indents.') > at('## AGENTS.md\n'));
    assert.equal(at('Not a rule'), -1);
    assert.equal(at('sk-live-'), -1, 'a rules file holding a secret is not loaded');
  });

  it('lists each file with its tokens in the JSON ledger, and the one left out with the reason', () => {
    const run = cli('--root', ws.root, '--query', 'hi', '--json');
    assert.equal(run.status, 0, run.stderr);
    const report = JSON.parse(run.stdout) as {
      instructions: { title: string; tokens: number; included: boolean; note?: string }[];
    };
    const titles = report.instructions.map((item) => `${item.title}:${item.included}`);
    assert.deepEqual(titles, [
      'QWEN.md:true',
      'AGENTS.md:true',
      '.qcoder/rules/10-style.md:true',
      '.qcoder/rules/secret.md:false',
    ]);
    for (const item of report.instructions.slice(0, 3)) assert.ok(item.tokens > 3 && item.tokens < 40, item.title);
    assert.match(report.instructions[3].note ?? '', /^not loaded: /);
  });

  it('--system replaces the whole prompt: no instruction files', () => {
    const run = cli('--root', ws.root, '--query', 'hi', '--system', 'Be brief.', '--messages');
    assert.equal(run.status, 0, run.stderr);
    assert.equal((JSON.parse(run.stdout) as { content: string }[])[0].content, 'Be brief.');
  });
});
