import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseTodos, readTodos, todoWriteTool } from '../../src/core/agent/todo';
import { MemoryWorkspace } from '../support/memoryWorkspace';

const context = { workspace: new MemoryWorkspace({}), signal: new AbortController().signal };
const statusOf = (status: unknown) => {
  const parsed = parseTodos([{ text: 'step', status }]);
  return parsed.ok ? parsed.items[0].status : parsed.reason;
};

describe('todo_write: what the model may send', () => {
  it('reads every status word models use as one of the three states', () => {
    const table: Record<string, string> = {
      pending: 'pending',
      todo: 'pending',
      not_started: 'pending',
      in_progress: 'in_progress',
      'in-progress': 'in_progress',
      inprogress: 'in_progress',
      active: 'in_progress',
      doing: 'in_progress',
      done: 'done',
      completed: 'done',
      complete: 'done',
      ' Done ': 'done',
      IN_PROGRESS: 'in_progress',
    };
    for (const [word, status] of Object.entries(table)) assert.equal(statusOf(word), status, word);
    assert.equal(statusOf(undefined), 'pending', 'no status: pending');
    assert.equal(statusOf('blocked'), 'todo 1 has the status "blocked"; use one of pending, in_progress, done.');
  });

  it('takes 30 items, refuses 31', () => {
    const list = (count: number) => Array.from({ length: count }, (_, i) => ({ text: `step ${i}`, status: 'pending' }));
    assert.equal(parseTodos(list(30)).ok, true);
    assert.deepEqual(parseTodos(list(31)), {
      ok: false,
      reason: 'todo_write takes at most 30 items; merge steps into fewer.',
    });
  });

  it('takes "content" only when it is text, and refuses a blank item', () => {
    assert.deepEqual(parseTodos([{ content: 'from content', status: 'done' }]), {
      ok: true,
      items: [{ text: 'from content', status: 'done' }],
    });
    for (const entry of [{ content: 42 }, { text: '   \n ' }, { text: 7, content: '' }, 'just text', null])
      assert.deepEqual(
        parseTodos([{ text: 'fine' }, entry]),
        { ok: false, reason: 'todo 2 has no "text".' },
        JSON.stringify(entry),
      );
  });

  it('flattens whitespace to one line, and keeps 200 characters whole but cuts 201 to 199 and an ellipsis', () => {
    const one = parseTodos([{ text: '  Run\n\tthe   tests  ', status: 'todo' }]);
    assert.deepEqual(one, { ok: true, items: [{ text: 'Run the tests', status: 'pending' }] });
    const exact = 'a'.repeat(200);
    assert.deepEqual(parseTodos([{ text: exact }]), { ok: true, items: [{ text: exact, status: 'pending' }] });
    const long = parseTodos([{ text: 'b'.repeat(201) }]);
    assert.deepEqual(long, { ok: true, items: [{ text: `${'b'.repeat(199)}…`, status: 'pending' }] });
  });

  it('offers the model exactly this schema', () => {
    const tool = todoWriteTool({ set: () => undefined });
    assert.deepEqual(tool.schema, {
      name: 'todo_write',
      description:
        'Your plan for a multi-step task as a checklist the user sees. Send the whole list each time; mark the ' +
        'step you work on in_progress, then done.',
      parameters: {
        type: 'object',
        properties: {
          todos: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                text: { type: 'string' },
                status: { type: 'string', enum: ['pending', 'in_progress', 'done'] },
              },
              required: ['text', 'status'],
            },
          },
        },
        required: ['todos'],
      },
    });
    assert.equal(tool.title({}), 'Update plan');
  });

  it('a refused list leaves the board as it was and says why', async () => {
    const sets: unknown[] = [];
    const tool = todoWriteTool({ set: (items) => sets.push(items) });
    const outcome = await tool.run({ todos: 'not a list' }, context);
    assert.equal(outcome.isError, true);
    assert.match(outcome.content, /todo_write needs "todos": a list of/);
    assert.deepEqual(sets, []);
  });
});

describe('a stored checklist as a session file holds it', () => {
  it('loads a well-formed list and refuses anything else as a whole', () => {
    const good = [
      { text: 'a', status: 'pending' },
      { text: 'b', status: 'done' },
    ];
    assert.deepEqual(readTodos(good), good);
    assert.deepEqual(readTodos([]), []);
    for (const bad of [
      undefined,
      'list',
      { 0: good[0] },
      [good[0], null],
      [good[0], 'b'],
      [{ text: 3, status: 'done' }],
      [{ text: 'c', status: 'later' }],
    ])
      assert.equal(readTodos(bad), undefined, JSON.stringify(bad));
  });
});
