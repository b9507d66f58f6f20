import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

const main = join(__dirname, '../../src/cli/main.ts');
const dir = mkdtempSync(join(tmpdir(), 'qcoder-apply-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', main, 'apply', ...args], { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('qcoder apply', () => {
  const file = join(dir, 'sum.js');
  const original = 'function sum(a, b) {\r\n  return a + b;\r\n}\r\n';
  const edits = join(dir, 'edits.json');

  it('prints the proposal as JSON and leaves the file alone', () => {
    writeFileSync(file, original);
    writeFileSync(edits, JSON.stringify([{ old_text: 'return a + b;', new_text: 'return a + b + 0;' }]));
    const result = cli('--file', file, '--edits', edits);
    assert.equal(result.status, 0, result.stderr);
    const output = JSON.parse(result.stdout) as {
      ok: boolean;
      newText: string;
      written: boolean;
      hunks: { oldText: string; newText: string }[];
    };
    assert.equal(output.ok, true);
    assert.equal(output.written, false);
    assert.equal(output.newText, 'function sum(a, b) {\r\n  return a + b + 0;\r\n}\r\n');
    assert.deepEqual(
      output.hunks.map((h) => [h.oldText, h.newText]),
      [['  return a + b;\r\n', '  return a + b + 0;\r\n']],
    );
    assert.equal(readFileSync(file, 'utf8'), original);
  });

  it('writes the exact bytes with --write', () => {
    writeFileSync(file, original);
    writeFileSync(
      edits,
      JSON.stringify({ edits: [{ old_text: 'return a + b;\n}', new_text: 'return a + b;\n}\nexport default sum;' }] }),
    );
    const result = cli('--file', file, '--edits', edits, '--write');
    assert.equal(result.status, 0, result.stderr);
    assert.equal(readFileSync(file, 'utf8'), 'function sum(a, b) {\r\n  return a + b;\r\n}\r\nexport default sum;\r\n');
  });

  it('prints the refusal and exits 1, file untouched', () => {
    writeFileSync(file, original);
    writeFileSync(edits, JSON.stringify([{ old_text: 'return a * b;', new_text: 'x' }]));
    const result = cli('--file', file, '--edits', edits, '--write');
    assert.equal(result.status, 1);
    const output = JSON.parse(result.stdout) as { ok: boolean; kind: string; message: string };
    assert.equal(output.kind, 'not_found');
    assert.match(output.message, /line 2/);
    assert.equal(readFileSync(file, 'utf8'), original);
  });

  it('explains its usage', () => {
    const result = cli('--file', file);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /both --file and --edits are required/);
    assert.equal(cli('--help').status, 0);
  });
});
