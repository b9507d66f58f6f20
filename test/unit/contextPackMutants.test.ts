/**
 * What a packed prompt reports and holds in the plain cases: no budget options, a short
 * history, tools, several pinned files.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { NodeWorkspaceReader } from '../../src/core/context/files/workspace';
import { WorkspaceIndex } from '../../src/core/context/files/workspaceIndex';
import { packContext } from '../../src/core/context/pack/pack';
import { rankContext } from '../../src/core/context/rank/rank';
import { estimatingCounter } from '../../src/core/context/tokens/tokenCounter';
import { type TempWorkspace, makeWorkspace } from '../fixtures/context/workspace';

describe('a packed prompt', () => {
  let ws: TempWorkspace;
  let index: WorkspaceIndex;
  before(async () => {
    ws = makeWorkspace({
      'src/cart.ts':
        'export function cartTotal(items: number[]): number {\n  return items.reduce((a, b) => a + b, 0);\n}\n',
      'src/tax.ts': 'export const TAX_RATE = 0.2;\n',
      'src/notes.ts': 'export const unrelated = 1;\n',
    });
    index = await WorkspaceIndex.build([{ name: 'ws', root: ws.root }], new NodeWorkspaceReader(), { git: false });
  });
  after(() => ws.dispose());

  const history = [{ role: 'user' as const, content: 'why is cartTotal off by the TAX_RATE?' }];
  const pack = async (tools?: unknown[]) =>
    packContext({
      counter: estimatingCounter,
      index,
      ranking: await rankContext(index, history[0].content, {
        mentions: [
          { kind: 'file', path: 'src/cart.ts' },
          { kind: 'file', path: 'src/tax.ts' },
        ],
      }),
      system: 'You are QCoder.',
      tools,
      history,
    });

  it('packs with no budget options, leaves a short history as it is and says which counter counted', async () => {
    const started = performance.now();
    const packed = await pack();
    const elapsed = performance.now() - started;
    assert.equal(packed.compaction, undefined);
    assert.deepEqual(packed.history, history);
    assert.deepEqual(packed.counter, { name: 'estimate', exact: false });
    assert.ok(packed.ms >= 0 && packed.ms <= elapsed, `ms ${packed.ms} of ${elapsed}`);
  });

  it('holds the pinned files one after the other, nothing between them', async () => {
    const packed = await pack();
    assert.ok(packed.pinnedText.startsWith('<file path="src/cart.ts"'), packed.pinnedText);
    assert.ok(packed.pinnedText.includes('</file>\n<file path="src/tax.ts"'), packed.pinnedText);
  });

  it('counts the tools in what the prompt costs', async () => {
    const tool = { type: 'function', function: { name: 'read_file', description: 'Reads a file.', parameters: {} } };
    const without = await pack();
    const withTools = await pack([tool]);
    assert.ok(withTools.totals.tools.used > 0);
    assert.equal(withTools.retrievedText, without.retrievedText);
    assert.equal(withTools.used - without.used, withTools.totals.tools.used);
  });
});
