import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { explainFilePrompt, explainFolderPrompt, explainSelectionPrompt, mainFiles } from '../../src/core/chat/explain';

describe('Explain This File requests', () => {
  it('asks for purpose, main parts, usage and pitfalls, cited as path:line', () => {
    const text = explainFilePrompt('src/app.ts');
    assert.match(text, /^Explain this file: `src\/app\.ts`/);
    for (const heading of ['Purpose', 'Main parts', 'How it is used', 'Pitfalls'])
      assert.ok(text.includes(`**${heading}**`), heading);
    assert.match(text, /`path:line` or `path:start-end`/);
  });

  it('quotes a selection in a fence longer than any backtick run inside it', () => {
    const text = explainSelectionPrompt('a.md', { start: 3, end: 5, text: 'x\n```\ny' });
    assert.match(text, /^Explain lines 3-5 of `a\.md`/);
    assert.ok(text.includes('\n````\nx\n```\ny\n````\n'), text);
  });

  it('explains a folder through the @folder: listing', () => {
    assert.match(explainFolderPrompt('src/lib'), /@folder:src\/lib/);
  });

  it('picks readme and entry points as a folder’s main files, else the first few by name', () => {
    assert.deepEqual(mainFiles(['z.ts', 'index.ts', 'README.md', 'a.ts']), ['README.md', 'index.ts', 'a.ts']);
    assert.deepEqual(mainFiles(['d.py', 'c.py', 'b.py', 'a.py']), ['a.py', 'b.py', 'c.py']);
    assert.deepEqual(mainFiles([]), []);
    assert.equal(
      mainFiles(['README.md', 'index.ts', 'main.ts', 'package.json', 'lib.rs', 'x.ts']).length,
      4,
      'at most four',
    );
  });
});
