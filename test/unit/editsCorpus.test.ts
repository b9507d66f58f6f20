/**
 * The edit corpus (test/fixtures/edits, built from real files by scripts/make-edit-corpus.mjs):
 * every case must come out exactly as expected, byte for byte, and no case may ever produce
 * a file that is neither the original nor the expected one.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { applyHunks, computeProposal, parseFileToolCall, type Proposal } from '../../src/core/edits';

const casesDir = join(__dirname, '../fixtures/edits/cases');

interface Case {
  readonly name: string;
  readonly original: string;
  readonly args: unknown;
  readonly expected?: string;
  readonly refusal?: string;
  readonly className: string;
}

function loadCases(): Case[] {
  return readdirSync(casesDir)
    .sort()
    .map((name) => {
      const dir = join(casesDir, name);
      const files = readdirSync(dir);
      const read = (prefix: string): string | undefined => {
        const file = files.find((f) => f.startsWith(`${prefix}.`));
        return file === undefined ? undefined : readFileSync(join(dir, file), 'utf8');
      };
      const meta = JSON.parse(read('case')!) as { class: string; expect: 'applied' | { refusal: string } };
      return {
        name,
        original: read('original')!,
        args: JSON.parse(read('edits')!),
        expected: read('expected'),
        refusal: meta.expect === 'applied' ? undefined : meta.expect.refusal,
        className: meta.class,
      };
    });
}

export function runCase(item: Case): { ok: boolean; text: string; kind?: string; proposal?: Proposal } {
  const call = parseFileToolCall('edit_file', item.args);
  assert.ok(!('ok' in call) && call.tool === 'edit_file', `${item.name}: edits.json is a valid edit_file call`);
  const result = computeProposal(call.path, item.original, 1, call.edits);
  return result.ok
    ? { ok: true, text: result.newText, proposal: result }
    : { ok: false, text: item.original, kind: result.kind };
}

const cases = loadCases();

describe('edit corpus', () => {
  it('has at least 200 cases, each expecting a result or a refusal', () => {
    assert.ok(cases.length >= 200, `${cases.length} cases`);
    for (const item of cases) assert.ok((item.expected === undefined) !== (item.refusal === undefined), item.name);
  });

  for (const item of cases) {
    it(item.name, () => {
      const outcome = runCase(item);
      // Never a third file: either nothing happened or exactly what was meant.
      assert.ok(
        outcome.text === item.original || outcome.text === item.expected,
        `${item.name} produced a file that is neither the original nor the expected one`,
      );
      if (item.refusal !== undefined) {
        assert.equal(outcome.ok, false, `${item.name} should be refused`);
        assert.equal(outcome.kind, item.refusal);
      } else {
        assert.equal(outcome.ok, true, `${item.name} was refused (${outcome.kind})`);
        assert.equal(outcome.text, item.expected);
        // The hunks carry the same change: all of them rebuild the result exactly.
        assert.equal(applyHunks(item.original, outcome.proposal!.hunks), item.expected);
        assert.equal(
          applyHunks(item.original, outcome.proposal!.hunks, () => false),
          item.original,
        );
      }
    });
  }
});
