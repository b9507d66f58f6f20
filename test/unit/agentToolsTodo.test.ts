import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  formatTodos,
  MAX_TODOS,
  parseTodos,
  type TodoItem,
  todoProgress,
  todoWriteTool,
} from '../../src/core/agent/todo';
import { parseHostMessage, parseWebviewMessage } from '../../src/core/protocol';
import { todoCardModel } from '../../src/webview/todoCardModel';
import { parseSession } from '../../src/core/session/validate';
import { MemoryWorkspace } from '../support/memoryWorkspace';

const context = { workspace: new MemoryWorkspace({}), signal: new AbortController().signal };

describe('todo_write', () => {
  it('replaces the checklist, reads it back to the model and sums it up for the card', async () => {
    const shown: (readonly TodoItem[])[] = [];
    const tool = todoWriteTool({ set: (items) => shown.push(items) });
    const outcome = await tool.run(
      {
        todos: [
          { text: 'Read the parser', status: 'done' },
          { text: 'Fix  the\noff-by-one', status: 'in_progress' },
          { text: 'Run the tests', status: 'pending' },
        ],
      },
      context,
    );
    assert.deepEqual(shown, [
      [
        { text: 'Read the parser', status: 'done' },
        { text: 'Fix the off-by-one', status: 'in_progress' },
        { text: 'Run the tests', status: 'pending' },
      ],
    ]);
    assert.equal(
      outcome.content,
      'Checklist updated (1 of 3 done):\n[x] 1. Read the parser\n[~] 2. Fix the off-by-one\n[ ] 3. Run the tests',
    );
    assert.equal(outcome.summary, '1 of 3 done');
  });

  it('accepts the status words models use, and content for text', () => {
    const parsed = parseTodos([
      { content: 'a', status: 'completed' },
      { text: 'b', status: 'In-Progress' },
      { text: 'c' },
    ]);
    assert.ok(parsed.ok);
    assert.deepEqual(
      parsed.items.map((item) => item.status),
      ['done', 'in_progress', 'pending'],
    );
  });

  it('refuses malformed lists with a message the model can act on, and shows nothing', async () => {
    const shown: unknown[] = [];
    const tool = todoWriteTool({ set: (items) => shown.push(items) });
    const cases: [unknown, RegExp][] = [
      [undefined, /needs "todos": a list/],
      ['do it', /needs "todos": a list/],
      [[{ text: '' }], /todo 1 has no "text"/],
      [[{ text: 'a', status: 'blocked' }], /todo 1 has the status "blocked"; use one of pending, in_progress, done/],
      [Array.from({ length: MAX_TODOS + 1 }, () => ({ text: 'a' })), /at most 30 items/],
    ];
    for (const [todos, message] of cases) {
      const outcome = await tool.run({ todos }, context);
      assert.equal(outcome.isError, true);
      assert.match(outcome.content, message);
    }
    assert.equal(shown.length, 0);
  });

  it('cuts an item past 200 characters, and an empty list reads as empty', () => {
    const parsed = parseTodos([{ text: 'x'.repeat(500) }]);
    assert.ok(parsed.ok);
    assert.equal(parsed.items[0].text.length, 200);
    assert.equal(formatTodos([]), 'The checklist is empty.');
    assert.equal(todoProgress([]), '0 of 0 done');
  });
});

describe('the checklist with the session and in the protocol', () => {
  const base = { id: 's-1', title: 't', createdAt: 1, updatedAt: 2, messages: [] };

  it('a session keeps its checklist through a save and load', () => {
    const todos = [{ text: 'Step', status: 'in_progress' }];
    const loaded = parseSession(JSON.stringify({ ...base, todos }));
    assert.ok(loaded.ok);
    assert.deepEqual(loaded.value.todos, todos);
  });

  it('an old session without a checklist loads as before, and a damaged checklist is dropped, not the session', () => {
    const old = parseSession(JSON.stringify(base));
    assert.ok(old.ok);
    assert.equal('todos' in old.value, false);
    const damaged = parseSession(JSON.stringify({ ...base, todos: [{ text: 'a', status: 'maybe' }] }));
    assert.ok(damaged.ok);
    assert.equal(damaged.value.todos, undefined);
  });

  it('the todos and mode messages are validated field by field', () => {
    assert.deepEqual(
      parseHostMessage({ type: 'todos', sessionId: 's', items: [{ text: 'a', status: 'done', extra: 1 }] }),
      { type: 'todos', sessionId: 's', items: [{ text: 'a', status: 'done' }] },
    );
    assert.equal(parseHostMessage({ type: 'todos', sessionId: 's', items: [{ text: 'a', status: 'x' }] }), undefined);
    assert.deepEqual(parseHostMessage({ type: 'mode', mode: 'autoEdit' }), { type: 'mode', mode: 'autoEdit' });
    assert.equal(parseHostMessage({ type: 'mode', mode: 'yolo' }), undefined);
  });
});

describe('the checklist card', () => {
  it('titles the card with the progress, marks each state, and names the step in progress', () => {
    const model = todoCardModel([
      { text: 'Read', status: 'done' },
      { text: 'Fix', status: 'in_progress' },
      { text: 'Test', status: 'pending' },
    ]);
    assert.equal(model.title, 'Plan · 1 of 3 done');
    assert.deepEqual(
      model.rows.map((row) => [row.icon, row.state]),
      [
        ['●', 'done'],
        ['◐', 'in progress'],
        ['○', 'to do'],
      ],
    );
    assert.equal(model.current, 'Fix');
    assert.equal(model.finished, false);
  });

  it('is finished when every step is done, and an empty plan is not finished', () => {
    const done = todoCardModel([
      { text: 'a', status: 'done' },
      { text: 'b', status: 'done' },
    ]);
    assert.equal(done.finished, true);
    assert.equal(done.current, undefined);
    assert.equal(todoCardModel([]).finished, false);
    assert.equal(todoCardModel([]).title, 'Plan · 0 of 0 done');
  });

  it('the mode selector and Act messages from the webview are validated', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'setMode', mode: 'plan', extra: 1 }), {
      type: 'setMode',
      mode: 'plan',
    });
    assert.equal(parseWebviewMessage({ type: 'setMode', mode: 'PLAN' }), undefined);
    assert.equal(parseWebviewMessage({ type: 'setMode' }), undefined);
    assert.deepEqual(parseWebviewMessage({ type: 'act', mode: 'auto' }), { type: 'act' });
  });
});
