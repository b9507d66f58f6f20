/**
 * Kinds of files the ranker weighs against code: tests rank a little behind the code whose words
 * they repeat unless the request asks for tests, and translation catalogs and old changelogs are prose.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { NodeWorkspaceReader } from '../../src/core/context/files/workspace';
import { WorkspaceIndex } from '../../src/core/context/files/workspaceIndex';
import { asksAboutTests, isProse, isTest } from '../../src/core/context/rank/prose';
import { rankContext } from '../../src/core/context/rank/rank';
import { type TempWorkspace, makeWorkspace } from '../fixtures/context/workspace';

describe('tests against the code they test', () => {
  let ws: TempWorkspace;
  let index: WorkspaceIndex;
  before(async () => {
    ws = makeWorkspace({
      // The test says the words a little more often than the code: on words alone the test wins (see the second case).
      'tests/test_evaluate.py': 'def test_marker():\n    assert item.xfail_marker(dynamically=True)  # the marker\n',
      'pkg/skipping.py': 'def evaluate(item):\n    return item.xfail_marker(dynamically=False)\n',
      'pkg/other.py': 'def unrelated():\n    return 1\n',
    });
    index = await WorkspaceIndex.build([{ name: 'ws', root: ws.root }], new NodeWorkspaceReader(), { git: false });
  });
  after(() => ws.dispose());

  const order = async (query: string) => (await rankContext(index, query, {})).ranked.map((c) => c.path);

  it('ranks the code above its test for a bug report', async () => {
    const ranked = await order('a dynamically added xfail marker is ignored');
    assert.ok(ranked.indexOf('pkg/skipping.py') < ranked.indexOf('tests/test_evaluate.py'), ranked.join(', '));
  });

  it('leaves the test in front when the request asks for tests', async () => {
    const ranked = await order('fix the tests: a dynamically added xfail marker is ignored');
    assert.equal(ranked[0], 'tests/test_evaluate.py', ranked.join(', '));
  });
});

describe('kinds of files', () => {
  it('knows tests by folder and by name', () => {
    for (const path of [
      'tests/lint/unittest_lint.py',
      'testing/python/collect.py',
      'src/__tests__/cart.ts',
      'spec/models/user_spec.rb',
      'sympy/core/tests/test_numbers.py',
      'test_app.py',
      'src/cart.test.ts',
      'src/cart.spec.js',
      'pkg/cart_test.go',
      'conftest.py',
    ])
      assert.equal(isTest(path), true, path);
    for (const path of ['src/_pytest/skipping.py', 'lib/contest.py', 'src/latest.py', 'attest.py', 'src/testimony.ts'])
      assert.equal(isTest(path), false, path);
  });

  it('reads a request for tests, not a request that merely says test', () => {
    for (const query of ['write a test for parse', 'Add unit tests', 'the flaky test in CI', 'raise the test coverage'])
      assert.equal(asksAboutTests(query), true, query);
    for (const query of ['my test fails with a TypeError', 'pytest ignores the xfail marker', 'testing the parser'])
      assert.equal(asksAboutTests(query), false, query);
  });

  it('takes translation catalogs and an old changelog for prose', () => {
    assert.equal(isProse('sphinx/locale/de/LC_MESSAGES/sphinx.po'), true);
    assert.equal(isProse('sphinx/locale/sphinx.pot'), true);
    assert.equal(isProse('CHANGES.old'), true);
    assert.equal(isProse('CHANGES.py'), false);
    assert.equal(isProse('src/polib.py'), false);
  });
});
