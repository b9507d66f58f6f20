/**
 * The retrieval benchmark's small version, for CI: its judging (gold hunks from a patch,
 * whole and covered), its BM25 baseline, and one run over a fixture workspace with two
 * made-up issues, each of which must find the file its fix changes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { contextFor } from '../../bench/retrieval/contextFor';
import { PlainBm25, goldHunks, judge, packWhole, percentile } from '../../bench/retrieval/score';
import { NodeWorkspaceReader, WorkspaceIndex, estimatingCounter, type LedgerItem } from '../../src/core/context';
import { type TempWorkspace, makeWorkspace } from '../fixtures/context/workspace';

const PATCH = [
  'diff --git a/pkg/models.py b/pkg/models.py',
  '--- a/pkg/models.py',
  '+++ b/pkg/models.py',
  '@@ -10,7 +10,8 @@ class Request:',
  ' a',
  '@@ -40 +41,2 @@ def send():',
  'diff --git a/pkg/new.py b/pkg/new.py',
  'new file mode 100644',
  '--- /dev/null',
  '+++ b/pkg/new.py',
  '@@ -0,0 +1,3 @@',
].join('\n');

function item(path: string, form: LedgerItem['form'], ranges?: LedgerItem['ranges']): LedgerItem {
  return {
    key: `file:${path}`,
    title: path,
    path,
    share: 'retrieved',
    pinned: false,
    reasons: [],
    score: 1,
    form,
    ranges,
    tokens: 1,
    included: true,
  };
}

describe('retrieval benchmark: judging', () => {
  it('reads the gold files and the old-file lines of each hunk, leaving out new files', () => {
    assert.deepEqual(Object.fromEntries(goldHunks(PATCH)), {
      'pkg/models.py': [
        { start: 10, end: 16 },
        { start: 40, end: 40 },
      ],
    });
  });

  it('counts a gold file whole, or covered when shown ranges touch every hunk', () => {
    const gold = goldHunks(PATCH);
    assert.deepEqual(judge([item('pkg/models.py', 'whole')], gold), { whole: true, covered: true });
    const both = [
      { start: 1, end: 12 },
      { start: 38, end: 45 },
    ];
    assert.deepEqual(judge([item('pkg/models.py', 'outline', both)], gold), { whole: false, covered: true });
    const one = [{ start: 1, end: 12 }];
    assert.deepEqual(judge([item('pkg/models.py', 'outline', one)], gold), { whole: false, covered: false });
    assert.deepEqual(judge([item('pkg/other.py', 'whole')], gold), { whole: false, covered: false });
    assert.deepEqual(judge([{ ...item('pkg/models.py', 'whole'), included: false }], gold), {
      whole: false,
      covered: false,
    });
  });

  it('ranks by plain BM25 and packs whole files that fit, in rank order', () => {
    const bm25 = new PlainBm25(['a', 'b', 'c'], ['hook hook register', 'register', 'unrelated words']);
    assert.deepEqual(bm25.rank('register the hook'), [0, 1]);
    const sizes = [50, 10, 30];
    assert.deepEqual([...packWhole([0, 1, 2], (i) => sizes[i], 45)], [1, 2]);
    assert.equal(percentile([5, 1, 3, 2, 4], 50), 3);
    assert.equal(percentile([5, 1, 3, 2, 4], 95), 5);
  });
});

describe('retrieval benchmark: a fixture run', () => {
  let workspace: TempWorkspace;
  let index: WorkspaceIndex;
  before(async () => {
    const filler: Record<string, string> = {};
    for (let i = 0; i < 20; i++)
      filler[`pkg/util${i}.py`] = `def helper_${i}(request):\n    return request.session.headers\n`.repeat(20);
    workspace = makeWorkspace({
      ...filler,
      'pkg/sessions.py':
        'class Session:\n    def resolve_redirects(self, resp, req):\n        method = ' +
        'req.method\n        return method\n',
      'pkg/hooks.py': 'HOOKS = ["response"]\n\ndef dispatch_hook(key, hooks, data):\n    return data\n',
    });
    index = await WorkspaceIndex.build([{ name: 'ws', root: workspace.root }], new NodeWorkspaceReader(), {
      git: false,
    });
  });
  after(() => workspace.dispose());

  const issues = [
    {
      query:
        '`Session.resolve_redirects` copies the original request for all subsequent requests, so the method is wrong',
      gold: 'pkg/sessions.py',
    },
    {
      query:
        'Traceback (most recent call last):\n  File "/usr/lib/python3/site-packages/pkg/hooks.py", ' +
        'line 4, in dispatch_hook\nTypeError',
      gold: 'pkg/hooks.py',
    },
  ];

  for (const issue of issues) {
    it(`finds ${issue.gold} in a small budget`, async () => {
      const built = await contextFor(index, estimatingCounter, issue.query, 8_000, 2_000);
      const gold = new Map([[issue.gold, [{ start: 1, end: 2 }]]]);
      assert.deepEqual(judge(built.items, gold), { whole: true, covered: true });
      assert.ok(built.totals.retrieved.used <= 2_000);
    });
  }
});
