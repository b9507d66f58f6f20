/**
 * A long file shown as its outline and ranges also shows its imports: a model that edits the
 * file needs the names in scope and the place to add one, and a fix often changes an import.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { NodeWorkspaceReader } from '../../src/core/context/files/workspace';
import { WorkspaceIndex } from '../../src/core/context/files/workspaceIndex';
import { ItemFitter } from '../../src/core/context/pack/fit';
import { type TempWorkspace, makeWorkspace } from '../fixtures/context/workspace';
import { candidate, quarter } from '../fixtures/context/packing';

/** A module docstring, an import block (one import wrapped over three lines), then 300 functions. */
function pythonModule(): string {
  const lines = [
    '"""Adapters."""',
    '',
    'import os',
    'from .compat import (',
    '    urlparse,',
    ')',
    'from .exceptions import ProxyError',
    '',
  ];
  for (let i = 0; i < 300; i++) lines.push(`def helper_${i}(value):`, `    return value + ${i}  # padding padding`, '');
  lines.push('def widget(value):', '    return value', '');
  return lines.join('\n');
}

function tsModule(): string {
  const lines = ["import { a } from './a';", 'import {', '  b,', "} from './b';", "const c = require('c');", ''];
  for (let i = 0; i < 300; i++)
    lines.push(`export function helper${i}(value: number) {`, `  return value + ${i};`, '}');
  lines.push('export function widget() {', '  return 1;', '}');
  return lines.join('\n');
}

describe('the import block of a long file shown as an outline', () => {
  let ws: TempWorkspace;
  let index: WorkspaceIndex;
  before(async () => {
    ws = makeWorkspace({
      'adapters.py': pythonModule(),
      'module.ts': tsModule(),
      'imports.py': [
        '# sixty imports',
        ...Array.from({ length: 60 }, (_, i) => `import module_${i}`),
        ...Array.from({ length: 300 }, (_, i) => `def f${i}(): return ${i}  # padding`),
        'def widget(): return 1',
      ].join('\n'),
      'plain.py':
        Array.from({ length: 400 }, (_, i) => `def f${i}(): return ${i}  # no imports here`).join('\n') +
        '\ndef widget(): return 1\n',
    });
    index = await WorkspaceIndex.build([{ name: 'ws', root: ws.root }], new NodeWorkspaceReader(), { git: false });
  });
  after(() => ws.dispose());

  const fit = async (path: string) => {
    const result = await new ItemFitter(quarter, index).fill(
      [candidate(path, { terms: ['widget'] })],
      4000,
      'retrieved',
    );
    const item = result.included[0];
    assert.equal(item?.ledger.form, 'outline', 'the file is long enough to go in as an outline');
    return item;
  };

  it(
    'shows a Python file its imports, ' + 'a wrapped one to its closing parenthesis, beside the lines that matter',
    async () => {
      const item = await fit('adapters.py');
      assert.deepEqual(item.ledger.ranges?.[0], { start: 3, end: 7 });
      assert.match(
        item.text,
        /lines 3-7:\nimport os\nfrom \.compat import \(\n {4}urlparse,\n\)\nfrom \.exceptions import ProxyError\n/,
      );
      const widget = pythonModule().split('\n').indexOf('def widget(value):') + 1;
      assert.ok(
        item.ledger.ranges?.some((range) => range.start <= widget && range.end >= widget),
        'widget is shown too',
      );
    },
  );

  it('shows a TypeScript file its imports and requires, a braced one to its closing brace', async () => {
    const item = await fit('module.ts');
    assert.deepEqual(item.ledger.ranges?.[0], { start: 1, end: 5 });
  });

  it('shows at most the first 40 lines of a long import block', async () => {
    const item = await fit('imports.py');
    assert.deepEqual(item.ledger.ranges?.[0], { start: 2, end: 41 });
  });

  it('adds no range where the file has no imports', async () => {
    const item = await fit('plain.py');
    assert.ok(!item.ledger.ranges?.some((range) => range.start === 1), JSON.stringify(item.ledger.ranges));
  });
});
