/**
 * The retrieved budget through the chat's context provider: the setting caps what
 * retrieval adds to a message, `@codebase` lifts it for that message, and the tool
 * loop's later requests re-use the first request's context instead of packing again.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ContextInput } from '../../src/core/chat/contextProvider';
import { parseMentions } from '../../src/core/chat/mentions';
import { WorkspaceContext, type WorkspaceContextHost } from '../../src/core/chat/workspaceContext';
import { NodeWorkspaceReader, WorkspaceIndex, estimatingCounter } from '../../src/core/context';
import type { ChatMessage } from '../../src/core/model/types';
import { type TempWorkspace, makeWorkspace } from '../fixtures/context/workspace';

function module(name: string): string {
  const out: string[] = [];
  for (let i = 0; i < 60; i++) out.push(`def ${name}_total_${i}(value):\n    return value + ${i}\n\n`);
  return out.join('');
}

describe('the retrieved budget in the chat', () => {
  let workspace: TempWorkspace;
  let index: WorkspaceIndex;
  before(async () => {
    const tree: Record<string, string> = {};
    for (let i = 0; i < 30; i++) tree[`pkg/m${i}.py`] = module(`m${i}`);
    workspace = makeWorkspace(tree);
    index = await WorkspaceIndex.build([{ name: 'ws', root: workspace.root }], new NodeWorkspaceReader(), {
      git: false,
    });
  });
  after(() => workspace.dispose());

  const host = (retrieved: number | undefined): WorkspaceContextHost => ({
    index: async () => index,
    counter: async () => estimatingCounter,
    window: async () => ({ tokens: 131_072, detail: 'test' }),
    resolve: async () => ({ mentions: [], problems: [] }),
    signals: (mentions) => ({ mentions }),
    retrievedTokens: () => retrieved,
    log: () => undefined,
  });
  const input = (text: string, step: number, history: ChatMessage[] = [{ role: 'user', content: text }]) =>
    ({
      text,
      mentions: parseMentions(text),
      system: 'S',
      history,
      step,
      model: 'm',
      baseUrl: '',
      summarise: async () => '',
      signal: new AbortController().signal,
    }) satisfies ContextInput;
  const retrievedTokens = (context: WorkspaceContext) =>
    (context.current()?.items ?? []).filter((item) => item.included).reduce((sum, item) => sum + item.tokens, 0);

  it('caps what retrieval adds to a message, and @codebase lets it fill the window', async () => {
    const capped = new WorkspaceContext(host(4000));
    await capped.prepare(input('where is the total computed?', 1));
    const cappedTokens = retrievedTokens(capped);
    assert.ok(cappedTokens <= 4000 && cappedTokens > 3000, `${cappedTokens}`);

    const filled = new WorkspaceContext(host(4000));
    await filled.prepare(input('@codebase where is the total computed?', 1));
    assert.ok(retrievedTokens(filled) > 3 * cappedTokens, `${retrievedTokens(filled)}`);

    const unlimited = new WorkspaceContext(host(0));
    await unlimited.prepare(input('where is the total computed?', 1));
    assert.equal(retrievedTokens(unlimited), retrievedTokens(filled), '0 means no limit');
  });

  it(
    're-uses the first request’s context for the tool loop’s later steps, ' + 'and only the history grows',
    async () => {
      const context = new WorkspaceContext(host(4000));
      const text = 'where is the total computed?';
      const first = await context.prepare(input(text, 1));
      const call = { id: 'c1', type: 'function' as const, function: { name: 'read_file', arguments: '{}' } };
      const history: ChatMessage[] = [
        { role: 'user', content: text },
        { role: 'assistant', content: null, tool_calls: [call] },
        { role: 'tool', tool_call_id: 'c1', content: 'file text' },
      ];
      const second = await context.prepare(input(text, 2, history));
      const retrieved = (messages: ChatMessage[]) => messages.filter((m) => String(m.content ?? '').includes('<file'));
      assert.deepEqual(retrieved(second.messages), retrieved(first.messages));
      assert.equal(second.messages.length, first.messages.length + 2);
      const keys = (ledger: typeof first.ledger) =>
        ledger?.items.filter((item) => item.kind === 'retrieved' && item.included).map((item) => item.key);
      assert.deepEqual(keys(second.ledger), keys(first.ledger));
      assert.ok((second.ledger?.used ?? 0) > (first.ledger?.used ?? 0));
    },
  );
});
