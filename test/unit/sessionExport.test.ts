/** A session exported as Markdown (to read) and JSON (to process). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sessionToJson, sessionToMarkdown } from '../../src/core/session/export';
import type { ChatSession } from '../../src/core/session/session';

const session: ChatSession = {
  id: 's-1',
  title: 'Fix the cart total',
  createdAt: Date.UTC(2026, 0, 2, 3, 4, 5),
  updatedAt: Date.UTC(2026, 0, 2, 3, 9, 0),
  messages: [
    { id: 'm1', role: 'user', content: 'Why is the total wrong?', status: 'complete', createdAt: 1 },
    {
      id: 'm2',
      role: 'assistant',
      content: 'It adds strings:\n\n```ts\nconst total = a + b;\n```',
      status: 'complete',
      createdAt: 2,
      toolCalls: [
        {
          id: 't1',
          name: 'read_file',
          rawArguments: '{"path":"cart.ts"}',
          title: 'Read cart.ts',
          status: 'done',
          summary: '12 lines',
          result: 'a ```` fence inside',
        },
      ],
    },
    { id: 'm3', role: 'assistant', content: 'Half', status: 'stopped', error: 'Stopped.', createdAt: 3 },
  ],
};

describe('session export', () => {
  it('Markdown: headings per speaker, the text as written, tool calls in fences nothing inside can close', () => {
    const markdown = sessionToMarkdown(session);
    assert.equal(
      markdown,
      [
        '# Fix the cart total',
        '_Exported from QCoder; started 2026-01-02T03:04:05.000Z._',
        '## You',
        'Why is the total wrong?',
        '## Assistant',
        'It adds strings:\n\n```ts\nconst total = a + b;\n```',
        '**Tool: Read cart.ts** (read_file, done: 12 lines)',
        '```json\n{"path":"cart.ts"}\n```',
        '`````\na ```` fence inside\n`````',
        '## Assistant',
        'Half',
        '_stopped: Stopped._',
      ].join('\n\n') + '\n',
    );
  });

  it('JSON: the whole session, tagged with its format, parses back to the same data', () => {
    const parsed = JSON.parse(sessionToJson(session));
    assert.equal(parsed.format, 'qcoder-session');
    assert.equal(parsed.version, 1);
    assert.deepEqual(parsed.session, session);
  });
});
