import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { NodeWorkspaceReader } from '../../src/core/context/files/workspace';
import { WorkspaceIndex } from '../../src/core/context/files/workspaceIndex';
import { Bm25fIndex } from '../../src/core/context/rank/bm25f';
import { countTokens, identifierParts, pathTokens, withoutNoise } from '../../src/core/context/rank/codeTokens';
import { LexicalIndex, definitions } from '../../src/core/context/rank/lexicalIndex';
import { rankContext } from '../../src/core/context/rank/rank';
import { requestTerms } from '../../src/core/context/rank/request';
import { type TempWorkspace, makeWorkspace } from '../fixtures/context/workspace';

const counts = (text: string) => Object.fromEntries(countTokens(text));
const only = (terms: Record<string, number>) => new Map(Object.entries(terms));

describe('code tokens', () => {
  it('split snake_case, camelCase, PascalCase, acronyms and digits, lower case', () => {
    assert.deepEqual(identifierParts('register_hook'), ['register', 'hook']);
    assert.deepEqual(identifierParts('ChatEngine'), ['chat', 'engine']);
    assert.deepEqual(identifierParts('parseHTTPResponse'), ['parse', 'http', 'response']);
    assert.deepEqual(identifierParts('__init__'), ['init']);
    assert.deepEqual(identifierParts('utf8Decode'), ['utf', 'decode']);
  });

  it('count the whole identifier and its parts, and skip one-letter words', () => {
    assert.deepEqual(counts('self.register_hook(x)\nregister(y)'), {
      self: 1,
      register_hook: 1,
      register: 2,
      hook: 1,
    });
    assert.deepEqual(counts('ChatEngine chat'), { chatengine: 1, chat: 2, engine: 1 });
  });

  it('read a path as its folders and the file name without the extension', () => {
    assert.deepEqual(Object.fromEntries(pathTokens('src/core/chatEngine.ts')), {
      src: 1,
      core: 1,
      chatengine: 1,
      chat: 1,
      engine: 1,
    });
  });

  it('drop links, pasted images and hashes from a request before it is searched', () => {
    const pasted =
      'See ![screenshot](https://user-images.githubusercontent.com/1/abc.png) and ' +
      'https://github.com/x/y/commit/9f8e7d6c5b4a, commit 1a2b3c4d5e6f7a8b broke parse_url';
    const clean = withoutNoise(pasted);
    assert.doesNotMatch(clean, /githubusercontent|png|9f8e7d6c|1a2b3c4d/);
    assert.match(clean, /parse_url/);
  });
});

describe('request terms', () => {
  it('use every useful word, weigh names written as code, and drop filler', () => {
    const request = requestTerms(
      'Calling `Session.resolve_redirects()` with a 303 loses the method; why does the redirect use GET?',
    );
    assert.ok((request.query.get('resolve_redirects') ?? 0) > (request.query.get('redirect') ?? 0));
    assert.ok(request.query.has('session'));
    assert.ok(request.query.has('method'));
    assert.ok(!request.query.has('the'));
    assert.ok(!request.query.has('why'));
    assert.deepEqual(request.identifiers.slice(0, 2), ['Session', 'resolve_redirects']);
  });

  it('read the frames of a Python traceback and the files a request names', () => {
    const request = requestTerms(
      'Traceback (most recent call last):\n  File ' +
        '"/home/u/venv/lib/site-packages/requests/models.py", line 12, in send\n' +
        '    raise ValueError()\nsee also utils.py',
    );
    assert.deepEqual(request.frames, [{ path: '/home/u/venv/lib/site-packages/requests/models.py', line: 12 }]);
    assert.ok(request.files.includes('utils.py'));
  });
});

describe('BM25F', () => {
  const index = () => {
    const bm25 = new Bm25fIndex();
    bm25.set('a', { path: only({ a: 1 }), symbols: only({}), content: only({ common: 5, rare: 1 }) });
    bm25.set('b', { path: only({ b: 1 }), symbols: only({}), content: only({ common: 5 }) });
    bm25.set('c', { path: only({ c: 1 }), symbols: only({ rare: 1 }), content: only({ common: 1, rare: 1 }) });
    return bm25;
  };

  it('weighs a rare term above a common one (workspace IDF)', () => {
    const bm25 = index();
    assert.ok(bm25.idf('rare') > bm25.idf('common'));
    assert.ok(bm25.idf('common') > 0);
    const hits = bm25.search(only({ rare: 1, common: 1 }));
    assert.deepEqual(
      hits.map((hit) => hit.id),
      ['c', 'a', 'b'],
    );
    assert.deepEqual(hits[1].terms, ['rare', 'common']);
  });

  it('counts a definition more than one mention in the body', () => {
    const bm25 = new Bm25fIndex();
    bm25.set('defines', { path: only({}), symbols: only({ hook: 1 }), content: only({ hook: 1, x: 9 }) });
    bm25.set('mentions', { path: only({}), symbols: only({}), content: only({ hook: 1, x: 9 }) });
    assert.deepEqual(
      bm25.search(only({ hook: 1 })).map((hit) => hit.id),
      ['defines', 'mentions'],
    );
  });

  it('replaces and removes documents, keeping the statistics exact', () => {
    const bm25 = index();
    const fresh = index();
    bm25.set('a', { path: only({ a: 1 }), symbols: only({}), content: only({ other: 2 }) });
    assert.equal(bm25.documentFrequency('rare'), 1);
    assert.equal(bm25.size, 3);
    assert.ok(bm25.delete('c'));
    assert.ok(!bm25.delete('c'));
    assert.equal(bm25.documentFrequency('rare'), 0);
    assert.deepEqual(bm25.search(only({ rare: 1 })), []);
    // Removing and re-adding gives the same scores as never having changed.
    bm25.set('a', { path: only({ a: 1 }), symbols: only({}), content: only({ common: 5, rare: 1 }) });
    bm25.set('c', { path: only({ c: 1 }), symbols: only({ rare: 1 }), content: only({ common: 1, rare: 1 }) });
    assert.deepEqual(bm25.search(only({ rare: 1, common: 1 })), fresh.search(only({ rare: 1, common: 1 })));
  });

  it('ignores terms no file has and weights of zero, and keeps at most the limit', () => {
    const bm25 = index();
    assert.deepEqual(bm25.search(only({ nowhere: 1 })), []);
    assert.deepEqual(bm25.search(only({ rare: 0 })), []);
    assert.equal(bm25.search(only({ common: 1 }), 2).length, 2);
  });
});

describe('definitions', () => {
  it('find Python, TypeScript and module-level names with their lines', () => {
    const found = definitions(
      'import os\nMAX = 3\nclass Session:\n    def resolve_redirects(self):\n        x = 1\n' +
        'export async function send() {}\nexport const total = 1;\n',
    );
    assert.deepEqual(Object.fromEntries(found), {
      MAX: [2],
      Session: [3],
      resolve_redirects: [4],
      send: [6],
      total: [7],
    });
  });
});

describe('the lexical index over a workspace', () => {
  let ws: TempWorkspace;
  let index: WorkspaceIndex;
  before(async () => {
    ws = makeWorkspace({
      'pkg/sessions.py': 'class Session:\n    def resolve_redirects(self, resp):\n        return resp\n',
      'pkg/models.py': 'class Request:\n    def register_hook(self, event, hook):\n        pass\n',
      'pkg/utils.py': 'def helper():\n    return "session request"\n',
      'docs/index.md': '# Sessions\nUse a session to keep cookies.\n',
    });
    index = await WorkspaceIndex.build([{ name: 'ws', root: ws.root }], new NodeWorkspaceReader(), { git: false });
  });
  after(() => ws.dispose());

  it('finds definition sites and follows the watcher: changed, created and deleted files', async () => {
    const lexical = await LexicalIndex.of(index);
    assert.equal(lexical.size, 4);
    assert.deepEqual(lexical.definitionsOf('register_hook'), [{ path: 'pkg/models.py', lines: [2] }]);

    writeFileSync(join(ws.root, 'pkg/models.py'), 'class Request:\n    def add_hook(self):\n        pass\n');
    await index.onDidChange(join(ws.root, 'pkg/models.py'));
    writeFileSync(join(ws.root, 'pkg/hooks.py'), '\n\ndef register_hook():\n    pass\n');
    await index.onDidCreate(join(ws.root, 'pkg/hooks.py'));
    rmSync(join(ws.root, 'pkg/utils.py'));
    await index.onDidDelete(join(ws.root, 'pkg/utils.py'));

    const again = await LexicalIndex.of(index);
    assert.equal(again, lexical, 'one index per workspace, updated in place');
    assert.deepEqual(again.definitionsOf('register_hook'), [{ path: 'pkg/hooks.py', lines: [3] }]);
    assert.deepEqual(again.definitionsOf('add_hook'), [{ path: 'pkg/models.py', lines: [2] }]);
    assert.deepEqual(
      again.search(only({ helper: 1 })).map((hit) => hit.id),
      [],
    );
    assert.equal(again.size, 4);
  });

  it('ranks the file a traceback names first, with the frame’s line as focus', async () => {
    const ranking = await rankContext(
      index,
      'It crashes:\nTraceback (most recent call last):\n  File "/opt/app/pkg/sessions.py", ' +
        'line 3, in resolve_redirects\n',
      {},
    );
    assert.equal(ranking.ranked[0].path, 'pkg/sessions.py');
    assert.ok(ranking.ranked[0].reasons.includes('in the traceback'));
    assert.ok(ranking.ranked[0].focus.includes(3));
  });

  it('ranks the definition site of a name written as code above files that only mention it', async () => {
    const ranking = await rankContext(index, 'What does `add_hook` do with the request?', {});
    assert.equal(ranking.ranked[0].path, 'pkg/models.py');
    assert.ok(ranking.ranked[0].reasons.includes('defines add_hook'));
    assert.deepEqual(ranking.ranked[0].terms?.slice(0, 1), ['add_hook']);
  });

  it('reads a file it could not index (binary) once, not again at every request', async () => {
    const binary = makeWorkspace({ 'blob.py': 'x\u0000y', 'ok.py': 'def fine():\n    pass\n' });
    try {
      const reads: string[] = [];
      const node = new NodeWorkspaceReader();
      const reader = Object.assign(Object.create(node) as NodeWorkspaceReader, {
        readFile: (abs: string) => {
          reads.push(abs);
          return node.readFile(abs);
        },
      });
      const small = await WorkspaceIndex.build([{ name: 'ws', root: binary.root }], reader, { git: false });
      const lexical = await LexicalIndex.of(small);
      await LexicalIndex.of(small);
      await LexicalIndex.of(small);
      assert.equal(lexical.size, 1);
      assert.equal(reads.filter((abs) => abs.endsWith('blob.py')).length, 1);
    } finally {
      binary.dispose();
    }
  });
});

describe('the importers of a definition the request names', () => {
  let ws: TempWorkspace;
  let index: WorkspaceIndex;
  before(async () => {
    ws = makeWorkspace({
      'shop/pricing.py': 'class CartTotal:\n    def rounded(self):\n        return 0\n',
      'shop/checkout.py': 'from shop.pricing import CartTotal\n\ndef pay(cart):\n    return CartTotal()\n',
      'shop/views.py': 'from .pricing import CartTotal\n',
      'shop/notes.py': '# CartTotal is computed elsewhere\nvalue = 1\n',
      'other/pricing_copy.py': 'from shop.checkout import pay\n',
    });
    index = await WorkspaceIndex.build([{ name: 'ws', root: ws.root }], new NodeWorkspaceReader(), { git: false });
  });
  after(() => ws.dispose());

  it('ranks the files that import the definition, saying what they import and from where', async () => {
    const ranking = await rankContext(index, 'Why is `CartTotal` rounded the wrong way?', {});
    const reasons = new Map(ranking.ranked.map((c) => [c.path, c.reasons]));
    assert.equal(ranking.ranked[0].path, 'shop/pricing.py');
    for (const importer of ['shop/checkout.py', 'shop/views.py'])
      assert.ok(reasons.get(importer)?.includes('imports CartTotal from shop/pricing.py'), importer);
    // Mentioning the name is not importing it, and importing an importer is not importing the definition.
    assert.ok(!reasons.get('shop/notes.py')?.some((reason) => reason.startsWith('imports ')));
    assert.ok(!reasons.has('other/pricing_copy.py'));
  });

  it('follows no importers when the request names no definition', async () => {
    const ranking = await rankContext(index, 'the total is rounded the wrong way', {});
    assert.ok(ranking.ranked.every((c) => c.reasons.every((reason) => !reason.startsWith('imports '))));
  });
});
