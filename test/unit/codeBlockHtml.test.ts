import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderMarkdown } from '../../src/webview/markdown';

const actions = (html: string) => [...html.matchAll(/data-code-action="(\w+)"/g)].map((match) => match[1]);

describe('code blocks as the chat draws them', () => {
  it('every block gets Copy, Insert, Apply and Open; shell blocks also Run', () => {
    assert.deepEqual(actions(renderMarkdown('```ts\nconst a = 1;\n```')), ['copy', 'insert', 'apply', 'open']);
    assert.deepEqual(actions(renderMarkdown('```bash\nnpm test\n```')), ['copy', 'insert', 'apply', 'open', 'run']);
    assert.deepEqual(actions(renderMarkdown('```\nplain\n```')), ['copy', 'insert', 'apply', 'open']);
  });

  it('shows the language, keeps the info for Apply, and counts the lines for Show all', () => {
    const html = renderMarkdown('```ts src/cart.ts\na\nb\nc\n```');
    assert.match(html, /<span class="code-lang">ts<\/span>/);
    assert.match(html, /data-info="ts src\/cart\.ts"/);
    assert.match(html, /data-lines="3"/);
    assert.match(html, /Show all 3 lines/);
  });

  it('escapes what the model wrote in the info string and the code', () => {
    const html = renderMarkdown('```"><img src=x onerror=alert(1)>\n<script>alert(2)</script>\n```');
    assert.doesNotMatch(html, /<img|<script/);
    assert.match(html, /&lt;script&gt;/);
  });
});
