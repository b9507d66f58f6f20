import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { promptMessages } from '../../src/core/chat/historyMessages';
import { NodeWorkspaceReader } from '../../src/core/context/files/workspace';
import { WorkspaceIndex } from '../../src/core/context/files/workspaceIndex';
import { DEFAULT_WINDOW, planBudget } from '../../src/core/context/pack/budget';
import type { HistoryMessage } from '../../src/core/context/pack/compaction';
import { looksMinified } from '../../src/core/context/pack/fit';
import { type PackedContext, packContext } from '../../src/core/context/pack/pack';
import { rankContext } from '../../src/core/context/rank/rank';
import { TokenCounters, qwenVocabularyCandidates } from '../../src/core/context/tokens/qwenTokenizer';
import { type TokenCounter, estimatingCounter } from '../../src/core/context/tokens/tokenCounter';
import { type TempWorkspace, makeWorkspace, sampleProject } from '../fixtures/context/workspace';

const RG = ['/usr/bin/rg', '/usr/local/bin/rg'].find(existsSync);

/** The prompt as Qwen's chat template lays it out, tools in the system message. */
function chatMl(system: string, tools: readonly unknown[], packed: PackedContext): string {
  const toolText = tools.length
    ? `\n\n# Tools\n\n<tools>\n${tools.map((tool) => JSON.stringify(tool)).join('\n')}\n</tools>`
    : '';
  return (
    promptMessages(system + toolText, packed)
      .map((m) => `<|im_start|>${m.role}\n${m.content ?? ''}<|im_end|>\n`)
      .join('') + '<|im_start|>assistant\n'
  );
}

/** A module of `n` functions: large files of real-looking code for the packer to outline. */
function bigModule(name: string, n: number): string {
  const parts = [`import { helper } from './helper';\n\n`];
  for (let i = 0; i < n; i++) {
    parts.push(
      `export function ${name}Step${i}(input: number[]): number {\n  let total = ${i};\n  for (const value of ` +
        `input) {\n    total += helper(value) * ${i % 7};\n  }\n  return total;\n}\n\n`,
    );
  }
  return parts.join('');
}

describe('budget', () => {
  it('takes the answer reserve off the window and shares the rest', () => {
    const plan = planBudget({}, { system: 1000, tools: 2000 }, true);
    assert.equal(plan.window, DEFAULT_WINDOW);
    assert.equal(plan.reserve, 32_768);
    assert.equal(plan.input, DEFAULT_WINDOW - 32_768);
    assert.equal(plan.margin, 0);
    const rest = plan.input - 3000 - 3;
    assert.equal(plan.caps.retrieved, rest);
    assert.equal(plan.caps.history, Math.floor(rest * 0.3));
    assert.equal(plan.caps.pinned, Math.floor(rest * 0.5));
  });

  it('keeps a margin when counts are estimated, and a smaller reserve for small windows', () => {
    const plan = planBudget({ window: 32_000 }, { system: 100, tools: 0 }, false);
    assert.equal(plan.reserve, 4000);
    assert.equal(plan.margin, 1400);
  });

  it('refuses when the system prompt and tools alone do not fit', () => {
    assert.throws(
      () => planBudget({ window: 4096, reserve: 1024 }, { system: 3000, tools: 500 }, true),
      /need 3500 tokens/,
    );
    assert.throws(
      () => planBudget({ window: 4096, reserve: 1024 }, { system: 3000, tools: 500 }, false),
      // eslint-disable-next-line max-len -- the expected text, as one regex literal
      /^Error: The system prompt and tools need 3500 tokens; the window of 4096 with 1024 reserved for the answer leaves 2918\.$/,
    );
    assert.throws(() => planBudget({ window: 1000, reserve: 1000 }, { system: 0, tools: 0 }, true), /leaves 0\./);
  });

  it('accepts a system prompt that takes exactly the room, leaving nothing for the rest', () => {
    const plan = planBudget({ window: 1000, reserve: 100 }, { system: 897, tools: 0 }, true);
    assert.deepEqual(plan.caps, { system: 897, tools: 0, pinned: 0, history: 0, retrieved: 0 });
  });
});

describe('packing', () => {
  let ws: TempWorkspace;
  let index: WorkspaceIndex;
  let qwen: TokenCounter;
  before(async () => {
    const tree = sampleProject();
    tree['src/helper.ts'] = 'export function helper(x: number): number {\n  return x * 2;\n}\n';
    for (let i = 0; i < 12; i++) tree[`src/engine${i}.ts`] = bigModule(`engine${i}`, 40 + i * 30);
    ws = makeWorkspace(tree);
    index = await WorkspaceIndex.build([{ name: 'ws', root: ws.root }], new NodeWorkspaceReader(), {
      git: false,
      rgPath: RG,
    });
    qwen = await new TokenCounters(qwenVocabularyCandidates(__dirname)).forModel('qwen3-coder-plus');
    assert.equal(qwen.exact, true);
  });
  after(() => ws.dispose());

  const pack = async (
    query: string,
    window: number,
    extra: { history?: HistoryMessage[]; tools?: unknown[]; activeFile?: string; counter?: TokenCounter } = {},
  ) => {
    const ranking = await rankContext(index, query, { activeFile: extra.activeFile }, { rgPath: RG });
    return packContext({
      counter: extra.counter ?? qwen,
      index,
      ranking,
      system: 'You are QCoder.',
      tools: extra.tools,
      history: extra.history ?? [{ role: 'user', content: query }],
      budget: { window },
    });
  };

  it('reports every share, and the shares add up to what the prompt costs', async () => {
    const packed = await pack('helper total', 16_000, { activeFile: 'src/cart.ts' });
    const sum = Object.values(packed.totals).reduce((a, share) => a + share.used, 0);
    assert.equal(packed.used, sum + 3);
    const items = packed.items.filter((item) => item.included);
    assert.equal(
      packed.totals.pinned.used,
      items.filter((item) => item.pinned).reduce((a, item) => a + item.tokens, 0) + 6,
    );
    assert.equal(
      packed.totals.retrieved.used,
      items.filter((item) => !item.pinned).reduce((a, item) => a + item.tokens, 0) + 6,
    );
    // `used` is an upper bound: one token of slack per message against template seams.
    const recount = qwen.count(chatMl('You are QCoder.', [], packed));
    assert.ok(recount <= packed.used && packed.used - recount <= 4, `recount ${recount}, reported ${packed.used}`);
  });

  it('puts pinned items first, then retrieved in rank order, each with its reasons', async () => {
    const packed = await pack('helper', 16_000, { activeFile: 'src/cart.ts' });
    const included = packed.items.filter((item) => item.included);
    assert.equal(included[0].path, 'src/cart.ts');
    assert.deepEqual(included[0].reasons, ['active file']);
    assert.ok(included.slice(1).every((item) => !item.pinned && item.reasons.length > 0));
    assert.ok(packed.pinnedText.startsWith('<file path="src/cart.ts" reason="active file">\n'));
  });

  it('lets a large file in as its outline plus the ranges that matter, not cut blindly', async () => {
    const packed = await pack('engine11Step200', 8_000);
    const item = packed.items.find((entry) => entry.path === 'src/engine11.ts');
    assert.ok(item?.included, 'the file with the match is in');
    assert.equal(item.form, 'outline');
    const lineOfMatch = 3 + 200 * 8;
    assert.ok(
      item.ranges?.some((range) => range.start <= lineOfMatch && range.end >= lineOfMatch),
      JSON.stringify(item.ranges),
    );
    assert.match(packed.retrievedText, /outline \(lines: declaration\):\n\d+-\d+: export function engine11Step\d+/);
    assert.match(packed.retrievedText, /more symbols not listed/);
    assert.match(
      packed.retrievedText,
      /export function engine11Step200\(input: number\[\]\): number \{\n {2}let total = 200;/,
    );
  });

  it('fills the budget when there is enough material, and never goes over', async () => {
    for (const window of [4_000, 12_000, 40_000]) {
      const packed = await pack('total helper input value', window);
      const room = packed.plan.input;
      assert.ok(packed.used <= room, `${packed.used} > ${room}`);
      assert.ok(packed.used >= room * 0.95, `window ${window}: only ${packed.used} of ${room} used`);
      assert.ok(qwen.count(chatMl('You are QCoder.', [], packed)) <= room);
    }
  });

  it('packs the same prompt for the same request', async () => {
    const a = await pack('total helper', 12_000, { activeFile: 'src/checkout.ts' });
    const b = await pack('total helper', 12_000, { activeFile: 'src/checkout.ts' });
    assert.equal(a.pinnedText, b.pinnedText);
    assert.equal(a.retrievedText, b.retrievedText);
    assert.deepEqual(a.items, b.items);
  });

  it('outlines a pinned file with the host’s document symbols when it has them', async () => {
    const ranking = await rankContext(index, 'x', { activeFile: 'src/engine11.ts', cursorLine: 1603 });
    const asked: string[] = [];
    const packed = await packContext({
      counter: qwen,
      index,
      ranking,
      system: 'S',
      budget: { window: 6_000, pinnedShare: 0.3 },
      symbols: async (path) => {
        asked.push(path);
        return [
          {
            name: 'engine11Step200',
            kind: 'function',
            line: 1603,
            endLine: 1609,
            depth: 0,
            signature: 'from the language server',
          },
        ];
      },
    });
    assert.deepEqual(asked, ['src/engine11.ts']);
    const pinned = packed.items.find((item) => item.pinned);
    assert.equal(pinned?.form, 'outline');
    assert.match(
      packed.pinnedText,
      // The file's import goes with the range (see contextImportBlock.test.ts).
      // eslint-disable-next-line max-len -- the expected text, as one regex literal
      /1603-1609: from the language server\nlines 1-1:\nimport { helper } from '.\/helper';\nlines 1603-1609:\nexport function engine11Step200/,
    );
  });

  it('lays the prompt out prefix-stable: system, pinned, older history, retrieved, the new question', async () => {
    const history: HistoryMessage[] = [
      { role: 'user', content: 'first' },
      { role: 'assistant', content: 'answer' },
      { role: 'user', content: 'total?' },
    ];
    const packed = await pack('total', 8_000, { history, activeFile: 'src/cart.ts' });
    const messages = promptMessages('S', packed);
    assert.deepEqual(
      messages.map((m) => String(m.content).slice(0, 12)),
      ['S', '<file path="', 'first', 'answer', '<file path="', 'total?'],
    );
  });

  it('skips minified bundles it would otherwise retrieve', () => {
    assert.equal(looksMinified(`!function(){${'var a=1;'.repeat(2000)}}();`), true);
    assert.equal(looksMinified(bigModule('x', 30)), false);
  });

  it('never exceeds the window, whatever the window, history, tools and query (property)', async () => {
    const message = fc.record({
      role: fc.constantFrom('user' as const, 'assistant' as const, 'tool' as const),
      content: fc.oneof(
        fc.string({ maxLength: 200 }),
        fc.nat({ max: 30_000 }).map((n) => 'lorem ipsum dolor '.repeat(n / 18)),
      ),
      toolName: fc.constant('read_file'),
    });
    const scenario = fc.record({
      window: fc.integer({ min: 1_500, max: 60_000 }),
      query: fc.constantFrom(
        'total',
        'helper engine3Step4',
        'Cart add item',
        'nothing matches zzz',
        'input value total helper',
      ),
      active: fc.constantFrom(undefined, 'src/cart.ts', 'src/engine11.ts', 'app/models.py'),
      history: fc.array(message, { maxLength: 8 }),
      tools: fc.array(fc.record({ name: fc.string({ maxLength: 20 }), description: fc.string({ maxLength: 300 }) }), {
        maxLength: 4,
      }),
      estimated: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const history = [...s.history, { role: 'user' as const, content: s.query }];
        const counter = s.estimated ? estimatingCounter : qwen;
        let packed: PackedContext;
        try {
          packed = await pack(s.query, s.window, { history, tools: s.tools, activeFile: s.active, counter });
        } catch (error) {
          // Only allowed refusal: system and tools alone do not fit.
          assert.match(String(error), /system prompt and tools need/);
          return;
        }
        const limit = packed.plan.input - packed.plan.margin;
        assert.ok(packed.used <= limit, `${packed.used} > ${limit}`);
        assert.ok(
          qwen.count(chatMl('You are QCoder.', s.tools, packed)) <= packed.plan.input,
          'recounted prompt over the window',
        );
      }),
      { numRuns: 60, seed: 11 },
    );
  });
});
