import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { linkTarget } from '../../src/core/chat/linkTarget';

describe('linkTarget: what a link in an answer may open', () => {
  it('opens http(s) pages (after the host asks) with the URL as written', () => {
    assert.deepEqual(linkTarget('https://example.com/a?b=1'), { kind: 'web', url: 'https://example.com/a?b=1' });
    assert.deepEqual(linkTarget(' HTTP://Example.com '), { kind: 'web', url: 'http://example.com/' });
  });

  it('opens workspace files by relative path, with a line from :N or #LN', () => {
    assert.deepEqual(linkTarget('src/a.ts'), { kind: 'file', path: 'src/a.ts' });
    assert.deepEqual(linkTarget('./src/a.ts:12'), { kind: 'file', path: 'src/a.ts', line: 12 });
    assert.deepEqual(linkTarget('src/a.ts:12:4'), { kind: 'file', path: 'src/a.ts', line: 12 });
    assert.deepEqual(linkTarget('src/a.ts#L30-L41'), { kind: 'file', path: 'src/a.ts', line: 30 });
    assert.deepEqual(linkTarget('docs/my%20notes.md'), { kind: 'file', path: 'docs/my notes.md' });
  });

  it('opens nothing else', () => {
    for (const href of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      'vbscript:x',
      'command:workbench.action.terminal.new',
      'vscode://some.extension/run',
      'file:///etc/passwd',
      'data:text/html,<script>1</script>',
      'mailto:someone@example.com',
      '/etc/passwd',
      '\\\\server\\share\\x',
      'C:\\Windows\\win.ini',
      '../outside.txt',
      'src/../../outside.txt',
      '%2e%2e/outside.txt',
      'https://',
      '',
      '#section',
    ])
      assert.equal(linkTarget(href).kind, 'refused', href);
  });
});
