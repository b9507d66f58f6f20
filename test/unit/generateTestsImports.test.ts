/** Imports of generated tests merged into a test file's own: never twice, joined where they can be. */
import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { mergeImports, splitImports } from '../../src/core/tests';
import { findImports } from '../../src/core/tests/imports';

describe('splitImports', () => {
  test('TypeScript: every import form, the body without them', () => {
    const code = [
      '',
      "import { a } from './a';",
      "import type { T } from './t'",
      "import * as fs from 'node:fs';",
      'import def, { b as c } from "./b";',
      "import './side-effect';",
      'import {',
      '  x,',
      '  y,',
      "} from './xy';",
      "const { z } = require('./z');",
      '',
      '',
      "it('works', () => {});",
      '',
    ].join('\n');
    const { imports, body } = splitImports(code, 'script');
    assert.deepEqual(imports, [
      "import { a } from './a';",
      "import type { T } from './t'",
      "import * as fs from 'node:fs';",
      'import def, { b as c } from "./b";',
      "import './side-effect';",
      "import {\n  x,\n  y,\n} from './xy';",
      "const { z } = require('./z');",
    ]);
    assert.equal(body, "it('works', () => {});");
  });

  test('Python: import, from-import, parenthesised from-import', () => {
    const { imports, body } = splitImports(
      'import os\nfrom a.b import (\n    c,\n    d,\n)\nfrom e import f\n\n\ndef test_x():\n    import json\n',
      'python',
    );
    assert.deepEqual(imports, ['import os', 'from a.b import (\n    c,\n    d,\n)', 'from e import f']);
    assert.equal(body, 'def test_x():\n    import json', 'an indented import is code, not a file import');
  });

  test('positions of the statements', () => {
    assert.deepEqual(findImports("x\nimport a from 'a';\n", 'script'), [
      { text: "import a from 'a';", start: 2, end: 20 },
    ]);
  });
});

describe('mergeImports: TypeScript and JavaScript', () => {
  test('a new name joins the statement of its module; nothing is imported twice', () => {
    const file =
      "import { describe, it } from 'vitest';\nimport { add } from './math';\n\ndescribe('add', () => {});\n";
    const merged = mergeImports(
      file,
      ["import { describe, expect, it } from 'vitest';", "import { add, multiply } from './math';"],
      'script',
    );
    assert.equal(
      merged,
      "import { describe, it, expect } from 'vitest';\nimport { add, multiply } from './math';\n" +
        "\ndescribe('add', () => {});\n",
    );
  });

  test('identical statements and already-imported names add nothing', () => {
    const file = "import a, { b } from 'm';\nimport 'side';\n";
    assert.equal(
      mergeImports(file, ["import a, { b } from 'm';", "import   'side'", "import { b } from 'm';"], 'script'),
      file,
    );
  });

  test('a default import joins a named one; a different default is its own statement', () => {
    assert.equal(
      mergeImports("import { b } from 'm';\n", ["import a from 'm';"], 'script'),
      "import a, { b } from 'm';\n",
    );
    assert.equal(
      mergeImports("import a from 'm';\n", ["import c from 'm';"], 'script'),
      "import a from 'm';\nimport c from 'm';\n",
    );
  });

  test('type imports merge only with type imports; a namespace import is left alone', () => {
    assert.equal(
      mergeImports("import type { A } from 'm';\nimport { b } from 'm';\n", ["import type { C } from 'm';"], 'script'),
      "import type { A, C } from 'm';\nimport { b } from 'm';\n",
    );
    assert.equal(
      mergeImports("import * as m from 'm';\n", ["import { b } from 'm';"], 'script'),
      "import * as m from 'm';\nimport { b } from 'm';\n",
    );
  });

  test('quotes and semicolons follow the file', () => {
    assert.equal(
      mergeImports('import { a } from "m"\n', ["import { b } from 'm';"], 'script'),
      'import { a, b } from "m"\n',
    );
  });

  test('a long merged import is written over several lines', () => {
    const names = Array.from({ length: 12 }, (_, i) => `someLongName${i}`);
    const merged = mergeImports(
      `import { ${names[0]} } from './module';\n`,
      [`import { ${names.join(', ')} } from './module';`],
      'script',
    );
    assert.equal(merged, `import {\n${names.map((name) => `  ${name},`).join('\n')}\n} from './module';\n`);
  });

  test('new statements go after the last import, or at the given offset', () => {
    assert.equal(
      mergeImports("import a from 'a';\n\nx();\n", ["import b from 'b';"], 'script'),
      "import a from 'a';\nimport b from 'b';\n\nx();\n",
    );
    assert.equal(
      mergeImports("'use strict';\nx();\n", ["const b = require('b');"], 'script', 14),
      "'use strict';\nconst b = require('b');\n\nx();\n",
    );
    assert.equal(
      mergeImports('x();\n', ["import b from 'b';", "import b from 'b';"], 'script'),
      "import b from 'b';\n\nx();\n",
    );
  });
});

describe('mergeImports: Python', () => {
  test('from-imports merge by module; plain imports are not repeated', () => {
    const file = 'import pytest\n\nfrom pkg.calc import add\n\n\ndef test_add(): pass\n';
    assert.equal(
      mergeImports(file, ['import pytest', 'from pkg.calc import add, divide', 'import os'], 'python'),
      'import pytest\n\nfrom pkg.calc import add, divide\nimport os\n\n\ndef test_add(): pass\n',
    );
  });

  test('a star import and a comment in a list', () => {
    assert.equal(
      mergeImports('from m import *\n', ['from m import a'], 'python'),
      'from m import *\nfrom m import a\n',
    );
    assert.equal(
      mergeImports('from m import (\n    a,  # first\n    b,\n)\n', ['from m import c'], 'python'),
      'from m import a, b, c\n',
    );
  });

  test('a long from-import is parenthesised', () => {
    const names = Array.from({ length: 10 }, (_, i) => `function_number_${i}`);
    assert.equal(
      mergeImports(
        `from package.module import ${names[0]}\n`,
        [`from package.module import ${names.join(', ')}`],
        'python',
      ),
      `from package.module import (\n${names.map((name) => `    ${name},`).join('\n')}\n)\n`,
    );
  });
});

describe('mergeImports: the cases that decide (mutation survivors)', () => {
  test('several new statements are all added, one per line', () => {
    assert.equal(
      mergeImports("import a from 'a';\n", ["import b from 'b';", "import c from 'c';"], 'script'),
      "import a from 'a';\nimport b from 'b';\nimport c from 'c';\n",
    );
    assert.equal(mergeImports('x\n', ['import os', 'import re'], 'python'), 'import os\nimport re\n\nx\n');
  });

  test('a value import does not join a type import of the same module', () => {
    assert.equal(
      mergeImports("import { b } from 'm';\nimport type { A } from 'm';\n", ["import type { C } from 'm';"], 'script'),
      "import { b } from 'm';\nimport type { A, C } from 'm';\n",
    );
  });

  test('the same default import with new names joins; nothing new leaves the statement as written', () => {
    assert.equal(
      mergeImports("import a, { b } from 'm';\n", ["import a, { c } from 'm';"], 'script'),
      "import a, { b, c } from 'm';\n",
    );
    assert.equal(mergeImports("import {a} from 'm'\n", ["import { a } from 'm';"], 'script'), "import {a} from 'm'\n");
    assert.equal(
      mergeImports("import { b  as  c } from 'm';\n", ["import { b as c } from 'm';"], 'script'),
      "import { b  as  c } from 'm';\n",
    );
  });

  test('the body loses its trailing blank lines', () => {
    assert.deepEqual(splitImports("import a from 'a';\n\nx();\n\n\n", 'script'), {
      imports: ["import a from 'a';"],
      body: 'x();',
    });
  });
});
