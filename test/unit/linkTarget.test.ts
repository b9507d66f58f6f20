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
    assert.deepEqual(linkTarget('src/a.ts#L30-L41'), { kind: 'file', path: 'src/a.ts', line: 30, endLine: 41 });
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

describe('linkTarget: lines and reasons', () => {
  it('reads the line from the end of the link only', () => {
    assert.deepEqual(linkTarget('src/a.ts#L5C3-L7C12'), { kind: 'file', path: 'src/a.ts', line: 5, endLine: 7 });
    assert.deepEqual(linkTarget('src/a.ts#L5-7'), { kind: 'file', path: 'src/a.ts', line: 5, endLine: 7 });
    assert.deepEqual(linkTarget('src/a.ts#L9'), { kind: 'file', path: 'src/a.ts', line: 9 });
    assert.deepEqual(linkTarget('src/a.ts#L9-L4'), { kind: 'file', path: 'src/a.ts', line: 9 }, 'a backward range');
    assert.deepEqual(linkTarget('src/a.ts#L5C12'), { kind: 'file', path: 'src/a.ts', line: 5 });
    assert.deepEqual(linkTarget('src/a.ts#L5junk'), { kind: 'file', path: 'src/a.ts' });
    assert.deepEqual(linkTarget('src/a.ts:12:40'), { kind: 'file', path: 'src/a.ts', line: 12 });
    assert.deepEqual(linkTarget('src/a.ts:0'), { kind: 'file', path: 'src/a.ts' });
    assert.deepEqual(linkTarget('dir/notes:1st.md'), { kind: 'file', path: 'dir/notes:1st.md' });
    assert.deepEqual(linkTarget('src//a.ts?raw=1'), { kind: 'file', path: 'src/a.ts' });
  });

  it('says why it opens nothing', () => {
    const reason = (href: string) => {
      const target = linkTarget(href);
      return target.kind === 'refused' ? target.reason : `opened as ${target.kind}`;
    };
    assert.match(reason(''), /empty/);
    assert.match(reason('   '), /empty/);
    assert.match(reason('javascript:alert(1)'), /scheme "javascript:"/);
    assert.match(reason('https://exa mple.com'), /not a valid URL/);
    assert.match(reason('C:\\Windows\\win.ini'), /absolute/);
    assert.match(reason('/etc/passwd'), /absolute/);
    assert.match(reason('../x'), /outside the workspace/);
    assert.match(reason('%zz'), /not valid/);
    assert.match(reason('a%00b'), /not valid/);
    assert.match(reason('./'), /names no file/);
  });
});
