/** Compaction's summary request: what the server is asked to summarise, images included. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { summarise } from '../../src/core/chat/chatEngine';
import { ModelClient } from '../../src/core/model/client';
import { type ModelServer, startModelServer } from '../support/modelServer';

describe('summarise', () => {
  let server: ModelServer;
  before(async () => {
    server = await startModelServer();
  });
  after(() => server.close());

  it('sends the text of a message with images, not "[object Object]", and returns the summary', async () => {
    server.enqueue({ kind: 'stream', chunks: ['They asked about a red button.'] });
    const client = new ModelClient({ baseUrl: server.baseUrl, model: 'm', apiKey: '', idleTimeoutMs: 2000 });
    const summary = await summarise(
      client,
      [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Why is this button red?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
          ],
        },
        { role: 'assistant', content: 'Because of .danger in app.css.' },
      ],
      new AbortController().signal,
    );
    assert.equal(summary, 'They asked about a red button.');
    const sent = JSON.stringify(server.requests.at(-1)!.body.messages);
    assert.match(sent, /user: Why is this button red\?/);
    assert.match(sent, /assistant: Because of \.danger in app\.css\./);
    assert.doesNotMatch(sent, /object Object|base64/);
  });
});
