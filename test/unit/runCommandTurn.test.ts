import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import type { EditBatch, EditService, PendingChange } from '../../src/core/agent/editService';
import { MemorySessionApprovals } from '../../src/core/agent/commands/runApproval';
import { ChildProcessHost } from '../../src/core/agent/commands/runProcess';
import { CommandTools } from '../../src/core/agent/commands/runTools';
import { ToolRunner } from '../../src/core/agent/toolRunner';
import { estimatingCounter } from '../../src/core/context/tokens/tokenCounter';
import type { ToolCall } from '../../src/core/model/types';
import { MemoryWorkspace } from '../support/memoryWorkspace';

const root = mkdtempSync(path.join(tmpdir(), 'qcoder-turn-'));

/** Accepting a proposal writes it to disk, as the real review does. */
class WritingEdits implements EditService {
  readonly schemas = [{ name: 'write_file', description: 'Write', parameters: { type: 'object', properties: {} } }];
  reviews = 0;
  handles = (tool: string) => tool === 'write_file';
  title = () => 'Write';
  begin(): EditBatch {
    const changes: { change: PendingChange; content: string }[] = [];
    return {
      propose: async (_tool, args) => {
        const change = { id: `c${changes.length}`, path: String(args.path), description: '+1' };
        changes.push({ change, content: String(args.content) });
        return { ok: true, change };
      },
      review: async () => {
        this.reviews++;
        for (const { change, content } of changes) writeFileSync(path.join(root, change.path), content);
        return changes.map(({ change }) => ({
          changeId: change.id,
          status: 'accepted' as const,
          message: `Applied ${change.path}.`,
          summary: 'accepted',
        }));
      },
    };
  }
}

const call = (id: string, name: string, args: Record<string, unknown>): ToolCall => ({
  id,
  name,
  arguments: args,
  rawArguments: JSON.stringify(args),
});

describe('a turn that edits and then runs a command', () => {
  after(() => rmSync(root, { recursive: true, force: true }));

  it('reviews the edits proposed before the command first, so the command sees them', async () => {
    const edits = new WritingEdits();
    const tools = new CommandTools({
      host: new ChildProcessHost(),
      roots: () => [{ name: 'ws', path: root }],
      rules: { current: () => ({ allow: [], deny: [] }) },
      session: new MemorySessionApprovals(),
      mode: () => 'auto',
      isTrusted: () => true,
      counter: async () => estimatingCounter,
      check: async (line) => ({ kind: 'allow', commands: [line] }),
    });
    const runner = new ToolRunner([], new MemoryWorkspace({}), edits, tools.tools);
    const records = await runner.run(
      [
        call('w1', 'write_file', { path: 'greeting.txt', content: 'hello from the edit\n' }),
        call('r1', 'run_command', { command: 'cat greeting.txt' }),
        call('w2', 'write_file', { path: 'later.txt', content: 'after\n' }),
      ],
      new AbortController().signal,
      () => undefined,
    );
    assert.deepEqual(
      records.map((record) => [record.id, record.status]),
      [
        ['w1', 'accepted'],
        ['r1', 'done'],
        ['w2', 'accepted'],
      ],
    );
    assert.match(records[1].result!, /\n\nhello from the edit\n$/);
    assert.equal(edits.reviews, 2, 'one review before the command, one for the edit after it');
    await tools.dispose();
  });
});
