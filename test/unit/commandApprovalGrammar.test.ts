import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  BASH_WASM,
  PARSER_WASM,
  bashParser,
  findGrammarFolder,
  grammarCandidates,
  withSyntaxTree,
} from '../../src/core/agent/commands/shellParser';

describe('the shell grammar', () => {
  it('is looked for beside the bundle, in dist/ and in the package, upwards', () => {
    const candidates = grammarCandidates(join('/', 'a', 'b'));
    assert.deepEqual(candidates.slice(0, 4), [
      join('/', 'a', 'b'),
      join('/', 'a', 'b', 'dist'),
      join('/', 'a', 'b', 'node_modules', '@vscode', 'tree-sitter-wasm', 'wasm'),
      join('/', 'a'),
    ]);
    assert.equal(candidates.at(-1), join('/', 'node_modules', '@vscode', 'tree-sitter-wasm', 'wasm'));
  });

  it('needs both .wasm files in one folder', () => {
    const one = mkdtempSync(join(tmpdir(), 'grammar-'));
    const both = mkdtempSync(join(tmpdir(), 'grammar-'));
    writeFileSync(join(one, BASH_WASM), '');
    writeFileSync(join(both, BASH_WASM), '');
    writeFileSync(join(both, PARSER_WASM), '');
    assert.equal(findGrammarFolder([one, both]), both);
    assert.equal(findGrammarFolder([one]), undefined);
  });

  it('the build puts both files beside the extension bundle', () => {
    // scripts/test.mjs builds before the unit tier; a lone `node --test` may not have.
    if (!existsSync(join('dist', 'extension.js'))) return;
    assert.equal(findGrammarFolder(['dist']), 'dist');
  });

  it('loads once and parses bash', async () => {
    const parser = await bashParser();
    assert.equal(await bashParser(), parser);
    const tree = withSyntaxTree(parser, 'npm test && ls | head', (root) => root?.toString());
    assert.match(tree ?? '', /\(list \(command .*\(pipeline/);
  });
});
