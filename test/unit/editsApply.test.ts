import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { computeProposal, type Edit, type Proposal, type ProposalResult } from '../../src/core/edits';
import { detectLinePrefixes, fold, isElisionMarker } from '../../src/core/edits/normalize';
import { boundedLevenshtein } from '../../src/core/edits/similarity';
import { toTextModel } from '../../src/core/edits/text';

const FILE = [
  'export function total(items) {',
  '    let sum = 0;',
  '    for (const item of items) {',
  '        sum += item.price * item.quantity;',
  '    }',
  '    return sum;',
  '}',
  '',
  'export function label(item) {',
  '    return `${item.name} (${item.quantity})`;',
  '}',
  '',
].join('\n');

const edit = (oldText: string, newText: string, replaceAll = false): Edit => ({
  oldText,
  newText,
  ...(replaceAll ? { replaceAll } : {}),
});

function applied(result: ProposalResult): Proposal {
  if (!result.ok) assert.fail(`refused: ${result.message}`);
  return result;
}

function apply(edits: Edit[], text = FILE): Proposal {
  return applied(computeProposal('cart.js', text, 7, edits));
}

const replaceLine = (text: string, from: string, to: string): string => {
  assert.equal(text.split(from).length, 2, `fixture has exactly one ${from}`);
  return text.replace(from, to);
};

describe('computeProposal: locating old_text', () => {
  it('applies an exact block and reports where', () => {
    const result = apply([edit('    return sum;', '    return Math.round(sum);')]);
    assert.equal(result.newText, replaceLine(FILE, '    return sum;', '    return Math.round(sum);'));
    assert.deepEqual(result.matches, [{ edit: 0, strategy: 'exact', ranges: [{ startLine: 6, endLine: 6 }] }]);
    assert.equal(result.baseVersion, 7);
  });

  it("forgives trailing blanks and keeps the file's own lines", () => {
    const result = apply([
      edit(
        '    let sum = 0;   \n    for (const item of items) {\t',
        '    let sum = 0;\n    let count = 0;\n    for (const item of items) {',
      ),
    ]);
    assert.equal(result.matches[0].strategy, 'whitespace');
    assert.equal(result.newText, replaceLine(FILE, '    let sum = 0;\n', '    let sum = 0;\n    let count = 0;\n'));
  });

  it('re-indents new lines when the model dropped the indentation', () => {
    const result = apply([
      edit(
        'for (const item of items) {\n    sum += item.price * item.quantity;\n}',
        'for (const item of items) {\n    if (!item) continue;\n    sum += item.price * item.quantity;\n}',
      ),
    ]);
    assert.equal(result.matches[0].strategy, 'indentation');
    assert.equal(
      result.newText,
      replaceLine(
        FILE,
        '    for (const item of items) {\n',
        '    for (const item of items) {\n        if (!item) continue;\n',
      ),
    );
  });

  it('writes tabs into a tab-indented file when the model wrote spaces', () => {
    const tabbed = FILE.replace(/^( {4})+/gm, (indent) => '\t'.repeat(indent.length / 4));
    const result = apply(
      [
        edit(
          '    for (const item of items) {\n        sum += item.price * item.quantity;\n    }',
          '    for (const item of items) {\n        if (!item) {\n            continue;\n        }\n        ' +
            'sum += item.price * item.quantity;\n    }',
        ),
      ],
      tabbed,
    );
    assert.equal(
      result.newText,
      replaceLine(
        tabbed,
        '\tfor (const item of items) {\n',
        '\tfor (const item of items) {\n\t\tif (!item) {\n\t\t\tcontinue;\n\t\t}\n',
      ),
    );
  });

  it('strips a line-number gutter, keeping the new lines the model wrote without one', () => {
    const result = apply([
      edit(
        '9 | export function label(item) {\n10 |     return `${item.name} (${item.quantity})`;',
        "9 | export function label(item) {\n    if (!item) return '';\n10 |     return " +
          '`${item.name} (${item.quantity})`;',
      ),
    ]);
    assert.equal(result.matches[0].strategy, 'normalized');
    assert.equal(
      result.newText,
      replaceLine(
        FILE,
        'export function label(item) {\n',
        "export function label(item) {\n    if (!item) return '';\n",
      ),
    );
  });

  it('folds typographic quotes and dashes in new lines when old_text had them where the file has ASCII', () => {
    const text = 'const title = "Cart - total";\nconst note = \'“as is”\';\n';
    const result = apply([edit('const title = “Cart – total”;', 'const title = “Cart – sum”;')], text);
    assert.equal(result.newText, 'const title = "Cart - sum";\nconst note = \'“as is”\';\n');
    // Typography the model did not put into old_text is its own choice, and kept.
    assert.equal(
      apply([edit('const title = "Cart - total";', 'const title = “Cart”;')], text).newText,
      "const title = “Cart”;\nconst note = '“as is”';\n",
    );
  });

  it("uses the gutter's line number to pick between identical blocks", () => {
    const twice = `${FILE}function again() {\n    return sum;\n}\n`;
    const result = apply([edit('13 |     return sum;', '13 |     return 0;')], twice);
    assert.equal(result.newText, `${FILE}function again() {\n    return 0;\n}\n`);
  });

  it('fills an elided middle from the file', () => {
    const result = apply([
      edit(
        'export function total(items) {\n    // ... existing code ...\n    return sum;\n}',
        'export function total(items) {\n    // ... existing code ...\n    return sum / 100;\n}',
      ),
    ]);
    assert.equal(result.matches[0].strategy, 'elided');
    assert.deepEqual(result.matches[0].ranges, [{ startLine: 1, endLine: 7 }]);
    assert.equal(result.newText, replaceLine(FILE, '    return sum;', '    return sum / 100;'));
  });

  it("forgives a one-character typo in a line new_text keeps, writing the file's line back", () => {
    const result = apply([
      edit(
        '    for (const item of items) {\n        sum += item.price * item.quantitty;\n    }\n    return sum;',
        '    for (const item of items) {\n        sum += item.price * item.quantitty;\n    }\n    return sum * 2;',
      ),
    ]);
    assert.equal(result.matches[0].strategy, 'fuzzy');
    assert.equal(result.newText, replaceLine(FILE, '    return sum;', '    return sum * 2;'));
  });

  it('refuses lines that are not next to each other in the file', () => {
    const result = computeProposal('cart.js', FILE, 1, [
      edit(
        '    let sum = 0;\n        sum += item.prize * item.quantity;',
        '    let sum = 0;\n        sum += item.price;',
      ),
    ]);
    assert.equal(result.ok, false);
    assert.equal(result.ok ? '' : result.kind, 'not_found');
  });

  it('refuses an ambiguous block with every place it matched', () => {
    const result = computeProposal('cart.js', FILE, 1, [edit('}\n', '};\n')]);
    assert.ok(!result.ok);
    assert.equal(result.kind, 'ambiguous');
    assert.match(
      result.message,
      /matches 3 places \(lines 5-5, lines 7-7, lines 11-11|matches 3 places \(line 5, line 7, line 11/,
    );
    assert.deepEqual(
      result.problems?.[0].candidates?.map((c) => c.line),
      [5, 7, 11],
    );
  });

  it('replaces every occurrence with replace_all', () => {
    const result = apply([edit('item.quantity', 'item.count', true)]);
    assert.equal(result.newText, FILE.split('item.quantity').join('item.count'));
    assert.equal(result.matches[0].ranges.length, 2);
  });

  it('refuses a block from another file, with the closest lines and similarity', () => {
    const result = computeProposal('cart.js', FILE, 1, [
      edit('export function total(items) {\n    let sum = 1;\n    while (items.length) {', 'x'),
    ]);
    assert.ok(!result.ok);
    assert.equal(result.kind, 'not_found');
    const closest = result.problems?.[0].candidates?.[0];
    assert.equal(closest?.line, 1);
    assert.ok(closest !== undefined && closest.similarity > 0.5 && closest.similarity < 1);
    assert.match(result.message, /Closest: lines 1-3 \(similarity 0\.\d\d; line \d has /);
  });

  it('applies all edits of a call against the original, or none', () => {
    const both = apply([edit('    return sum;', '    return sum + 1;'), edit('    let sum = 0;', '    let sum = 1;')]);
    assert.equal(
      both.newText,
      replaceLine(replaceLine(FILE, '    return sum;', '    return sum + 1;'), '    let sum = 0;', '    let sum = 1;'),
    );
    const one = computeProposal('cart.js', FILE, 1, [
      edit('    return sum;', '    return sum + 1;'),
      edit('    let total = 0;', ''),
    ]);
    assert.ok(!one.ok);
    assert.match(one.message, /edit 2 of 2: old_text was not found/);
    assert.match(one.message, /together or not at all/);
  });

  it('refuses overlapping edits', () => {
    const result = computeProposal('cart.js', FILE, 1, [
      edit('    let sum = 0;\n    for', 'x'),
      edit('for (const item of items) {', 'y'),
    ]);
    assert.ok(!result.ok);
    assert.equal(result.kind, 'overlap');
    assert.match(result.message, /overlaps that of edit 1 \(lines 2-3\)/);
  });

  it('refuses lazy new_text that would write a placeholder into the file', () => {
    const result = computeProposal('cart.js', FILE, 1, [
      edit('    let sum = 0;\n    for (const item of items) {', '    let sum = 0;\n    // ... existing code ...'),
    ]);
    assert.ok(!result.ok);
    assert.equal(result.kind, 'elision_mismatch');
  });

  it('refuses empty old_text and a no-op', () => {
    assert.equal((computeProposal('a', FILE, 1, [edit('', 'x')]) as { kind: string }).kind, 'invalid_arguments');
    assert.equal(
      (computeProposal('a', FILE, 1, [edit('    return sum;', '    return sum;')]) as { kind: string }).kind,
      'no_change',
    );
    assert.equal((computeProposal('a', FILE, 1, []) as { kind: string }).kind, 'invalid_arguments');
  });
});

describe("computeProposal: the file's bytes", () => {
  it('keeps CRLF, BOM and no final newline', () => {
    const text = `\uFEFF${FILE.replace(/\n/g, '\r\n').replace(/\r\n$/, '')}`;
    const result = apply([edit('    return sum;\n}', '    // rounded\n    return Math.round(sum);\n}')], text);
    assert.equal(
      result.newText,
      text.replace('    return sum;\r\n}', '    // rounded\r\n    return Math.round(sum);\r\n}'),
    );
    assert.deepEqual(result.facts, { eol: '\r\n', mixedEol: false, bom: true, finalNewline: false });
  });

  it("in a mixed file, keeps each untouched line's ending and gives new lines the dominant one", () => {
    const text = 'a\r\nb\nc\r\nd\r\n';
    const result = apply([edit('a\nb\nc', 'a\nb\nB2\nc')], text);
    assert.equal(result.newText, 'a\r\nb\nB2\r\nc\r\nd\r\n');
  });

  it('does not glue lines when new_text forgot its final newline', () => {
    const result = apply([edit('    let sum = 0;\n', '    let sum = 1;')]);
    assert.equal(result.newText, replaceLine(FILE, '    let sum = 0;\n', '    let sum = 1;\n'));
  });

  it('deleting the last lines of a file without a final newline leaves none', () => {
    const result = apply([edit('c\nd', '')], 'a\nb\nc\nd');
    assert.equal(result.newText, 'a\nb');
  });
});

describe('normalisation helpers', () => {
  it('detects gutters only when numbered consecutively', () => {
    assert.equal(detectLinePrefixes(['12 | a', '13 | b'])?.firstNumber, 12);
    assert.equal(detectLinePrefixes(['     7\ta', '     8\tb'])?.strip('     7\ta'), 'a');
    assert.equal(detectLinePrefixes(['3→x'])?.strip('3→x'), 'x');
    assert.equal(detectLinePrefixes(['1: a', '3: b']), undefined);
    assert.equal(detectLinePrefixes(['a', '2: b']), undefined);
  });

  it('knows elision markers and leaves code alone', () => {
    for (const marker of [
      '...',
      '// ...',
      '// ... existing code ...',
      '/* ... */',
      '# ... rest of the function ...',
      '  …',
      '<!-- ... -->',
    ])
      assert.ok(isElisionMarker(marker), marker);
    for (const code of ['...args,', 'foo(...rest)', 'return ...;', '// see ... for details'])
      assert.ok(!isElisionMarker(code), code);
  });

  it('folds typographic quotes, dashes and odd spaces', () => {
    assert.equal(fold('“a” ‘b’ – — \u00A0…'), '"a" \'b\' - -  ...');
  });

  it('bounded Levenshtein agrees with the full one within its bound', () => {
    const full = (a: string, b: string): number => {
      let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
      for (let i = 1; i <= a.length; i++) {
        const row = [i];
        for (let j = 1; j <= b.length; j++)
          row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        previous = row;
      }
      return previous[b.length];
    };
    let seed = 7;
    const random = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const word = (): string =>
      Array.from({ length: Math.floor(random() * 12) }, () => 'abc'[Math.floor(random() * 3)]).join('');
    for (let n = 0; n < 2000; n++) {
      const [a, b, limit] = [word(), word(), Math.floor(random() * 6)];
      const distance = full(a, b);
      assert.equal(boundedLevenshtein(a, b, limit), distance <= limit ? distance : limit + 1, `${a} ${b} ${limit}`);
    }
  });

  it('reads line endings, BOM and final newline', () => {
    assert.deepEqual(toTextModel('\uFEFFa\r\nb\r\nc\n').facts, {
      eol: '\r\n',
      mixedEol: true,
      bom: true,
      finalNewline: true,
    });
    assert.equal(toTextModel('a\nb').lineCount, 2);
    assert.equal(toTextModel('').lineCount, 0);
  });
});
