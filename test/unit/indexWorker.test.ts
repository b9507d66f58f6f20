/**
 * The lexical index worker for real: a node:worker_threads Worker running the TypeScript entry, real files
 * in a temp folder, the store file on disk. What the user would see is the ranking: which files come back
 * for a request after files are created, changed and deleted, and after a reopened workspace loads the store.
 */
import assert from 'node:assert/strict';
import { readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serialize } from 'node:v8';
import { after, afterEach, before, describe, it } from 'node:test';
import { NodeWorkspaceReader } from '../../src/core/context/files/workspace';
import { WorkspaceIndex } from '../../src/core/context/files/workspaceIndex';
import { IndexWorkerClient } from '../../src/core/context/indexWorker/client';
import { WorkerLexical } from '../../src/core/context/indexWorker/workerLexical';
import { attachLexical, rankingQuestions } from '../../src/core/context/rank/lexicalSource';
import { rankContext } from '../../src/core/context/rank/rank';
import { type TempWorkspace, makeWorkspace } from '../fixtures/context/workspace';

process.env.QCODER_TS_WORKER = join(__dirname, '../../src/core/context/indexWorker/worker.ts');
const SCRIPT = join(__dirname, '../support/tsWorker.mjs');

const FILES = {
  'pkg/sessions.py': 'class Session:\n    def resolve_redirects(self, resp):\n        return resp\n',
  'pkg/models.py': 'class Request:\n    def register_hook(self, event, hook):\n        pass\n',
  'pkg/utils.py': 'def helper():\n    return "session request"\n',
  'docs/index.md': '# Sessions\nUse a session to keep cookies.\n',
  '.gitignore': 'build/\n',
  'build/generated.py': 'def register_hook_generated():\n    pass  # register_hook\n',
};

const clients: IndexWorkerClient[] = [];
function start(store?: string, log?: (line: string) => void): IndexWorkerClient {
  const client = new IndexWorkerClient(SCRIPT, { ...(store ? { store } : {}), saveDelayMs: 60_000 }, log);
  clients.push(client);
  return client;
}
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.dispose()));
});

async function indexOf(ws: TempWorkspace): Promise<WorkspaceIndex> {
  return WorkspaceIndex.build([{ name: 'ws', root: ws.root }], new NodeWorkspaceReader(), { git: false });
}

async function until(what: string, probe: () => boolean): Promise<void> {
  for (const started = Date.now(); !probe(); await new Promise((resolve) => setTimeout(resolve, 20)))
    if (Date.now() - started > 10_000) throw new Error(`timed out waiting for ${what}`);
}

async function ranked(index: WorkspaceIndex, request: string): Promise<string[]> {
  return (await rankContext(index, request, {})).ranked.map((candidate) => candidate.path ?? '');
}

describe('the lexical index worker', () => {
  let ws: TempWorkspace;
  before(() => {
    ws = makeWorkspace(FILES);
  });
  after(() => ws.dispose());

  it('ranks as the host does, and never indexes a file the access decision leaves out', async () => {
    const index = await indexOf(ws);
    const request = 'Where is `register_hook` defined, and how do sessions resolve redirects?';
    const inHost = await ranked(index, request);
    const lexical = new WorkerLexical(start(), index);
    attachLexical(index, lexical);
    const built = await lexical.built;
    assert.deepEqual({ read: built.read, size: built.size }, { read: 5, size: 5 }, 'the four files and .gitignore');
    const inWorker = await ranked(index, request);
    assert.deepEqual(inWorker, inHost);
    assert.equal(inWorker[0], 'pkg/models.py');
    assert.ok(!inWorker.includes('build/generated.py'), 'ignored by .gitignore, so never read by the worker');
  });

  it(
    'answers every question the ranker asks as the host does: ' + 'terms, definitions, importers, the active file',
    async () => {
      const shop = makeWorkspace({
        'shop/pricing.py': 'class CartTotal:\n    def compute_total(self, items):\n        return sum(items)\n',
        'shop/checkout.py':
          'from shop.pricing import CartTotal\n\ndef checkout(cart):\n    return CartTotal().compute_total(cart)\n',
        'shop/views.py': 'from shop import pricing\n\ndef show(cart):\n    return pricing.CartTotal()\n',
        'tests/test_pricing.py': 'from shop.pricing import CartTotal\n\ndef test_total():\n    assert CartTotal()\n',
        'README.md': '# Shop\nTotals are computed in pricing.\n',
      });
      try {
        const inHost = await indexOf(shop);
        const inWorker = await indexOf(shop);
        const lexical = new WorkerLexical(start(), inWorker);
        attachLexical(inWorker, lexical);
        const requests = [
          'Why does `CartTotal.compute_total` return 0 for an empty cart?',
          'Traceback (most recent call last):\n  File "/srv/shop/checkout.py", line 4, in ' +
            'checkout\nTypeError: bad operand',
          'how are totals computed in the shop?',
        ];
        for (const signals of [{}, { activeFile: join(shop.root, 'shop/pricing.py') }])
          for (const request of requests) {
            const seen = async (index: WorkspaceIndex) =>
              (await rankContext(index, request, signals)).ranked.map(({ path, reasons, focus }) => ({
                path,
                reasons,
                focus,
              }));
            const expected = await seen(inHost);
            assert.ok(expected.length > 0);
            assert.deepEqual(await seen(inWorker), expected, `${request} ${JSON.stringify(signals)}`);
          }
        assert.equal(lexical.answered, 6);
        const active = { activeFile: join(shop.root, 'shop/pricing.py') };
        const reasons = JSON.stringify([
          await rankContext(inWorker, requests[0], {}),
          await rankContext(inWorker, requests[2], active),
        ]);
        for (const reason of ['imports the active file', 'defines CartTotal', 'imports CartTotal from shop/pricing.py'])
          assert.ok(reasons.includes(reason), reason);
      } finally {
        shop.dispose();
      }
    },
  );

  it('follows the watcher: a created, a changed and a deleted file change what ranks', async () => {
    const index = await indexOf(ws);
    const lexical = new WorkerLexical(start(), index);
    attachLexical(index, lexical);
    await lexical.built;
    assert.ok(!(await ranked(index, 'What does `parse_cookie_jar` do?')).includes('pkg/cookies.py'));

    await index.onDidCreate(ws.write('pkg/cookies.py', 'def parse_cookie_jar(text):\n    return text\n'));
    assert.equal((await ranked(index, 'What does `parse_cookie_jar` do?'))[0], 'pkg/cookies.py');

    writeFileSync(join(ws.root, 'pkg/utils.py'), 'def parse_cookie_jar_fast():\n    return 1\n');
    await index.onDidChange(join(ws.root, 'pkg/utils.py'));
    assert.equal((await ranked(index, 'Is `parse_cookie_jar_fast` used?'))[0], 'pkg/utils.py');
    assert.ok(!(await ranked(index, '`helper`')).includes('pkg/utils.py'), 'the old text is gone');

    rmSync(join(ws.root, 'pkg/cookies.py'));
    await index.onDidDelete(join(ws.root, 'pkg/cookies.py'));
    assert.ok(!(await ranked(index, 'What does `parse_cookie_jar` do?')).includes('pkg/cookies.py'));
  });
});

describe('the lexical index store', () => {
  let ws: TempWorkspace;
  let store: string;
  before(() => {
    ws = makeWorkspace(FILES);
    store = join(ws.root, '..', 'storage', 'lexical-index.v8');
  });
  after(() => ws.dispose());

  async function build(): Promise<{ client: IndexWorkerClient; index: WorkspaceIndex; lexical: WorkerLexical }> {
    const index = await indexOf(ws);
    const client = start(store);
    const lexical = new WorkerLexical(client, index);
    attachLexical(index, lexical);
    return { client, index, lexical };
  }

  it('is written after the first build, and a reopened workspace reads only what changed', async () => {
    const models = join(ws.root, 'pkg/models.py');
    // A whole second, so the test can put the same time back after rewriting the file.
    const mtime = 1_700_000_000;
    utimesSync(models, mtime, mtime);
    const first = await build();
    assert.deepEqual(await first.client.ready, { loaded: 0, ignored: 'no store yet' });
    assert.equal((await first.lexical.built).read, 5);
    await first.client.request({ type: 'save' });
    await first.client.dispose();

    // Closed: one file changed, one added, one deleted; one rewritten with its size and time kept.
    ws.write('pkg/sessions.py', 'class Session:\n    def merge_environment_settings(self):\n        pass\n');
    ws.write('pkg/adapters.py', 'class HTTPAdapter:\n    def send(self):\n        pass\n');
    rmSync(join(ws.root, 'docs/index.md'));
    const { size } = statSync(models);
    const same = 'class Qwertyu:\n    def plumbingwires(self, event, wire):\n        pass\n';
    assert.equal(Buffer.byteLength(same), size);
    writeFileSync(models, same);
    utimesSync(models, mtime, mtime);

    const second = await build();
    assert.deepEqual(await second.client.ready, { loaded: 5 });
    const report = await second.lexical.built;
    assert.deepEqual(
      { read: report.read, reused: report.reused, removed: report.removed },
      { read: 2, reused: 3, removed: 1 },
    );
    assert.equal((await ranked(second.index, 'Fix `merge_environment_settings`'))[0], 'pkg/sessions.py');
    assert.equal((await ranked(second.index, 'Does `HTTPAdapter` retry?'))[0], 'pkg/adapters.py');
    // Not read again: the index still knows the text it stored, not the text now on disk.
    assert.equal((await ranked(second.index, 'Where is `register_hook` defined?'))[0], 'pkg/models.py');
    assert.ok(!(await ranked(second.index, 'Where is `plumbingwires` defined?')).includes('pkg/models.py'));
  });

  it('ignores a damaged store or one from another version, builds again and writes a good one', async () => {
    for (const [bytes, why] of [
      [Buffer.from('not a store at all'), 'the store is damaged'],
      [serialize({ version: 999, rows: [] }), 'the store is from another version'],
      [
        serialize({ version: 2, tokens: 'other rules', rows: [] }),
        'the store was written under other tokenization rules',
      ],
    ] as const) {
      writeFileSync(store, bytes);
      const damaged = await build();
      assert.deepEqual(await damaged.client.ready, { loaded: 0, ignored: why });
      const report = await damaged.lexical.built;
      assert.equal(report.reused, 0);
      assert.equal(report.read, report.size, 'every file read again');
      await damaged.client.request({ type: 'save' });
      await damaged.client.dispose();
      assert.notDeepEqual(readFileSync(store), bytes);
    }
    const reopened = await build();
    assert.equal((await reopened.client.ready).loaded, 5);
    assert.equal((await reopened.lexical.built).read, 0);
  });
});

describe('the store and the files that import a module', () => {
  it('keeps what each file imports: a reopened workspace counts importers without reading a file', async () => {
    const ws = makeWorkspace({
      'pkg/core.py': 'def frobnicate():\n    pass\n',
      'pkg/a.py': 'from .core import frobnicate\n',
      'pkg/b.py': 'from pkg.core import frobnicate\n',
    });
    const store = join(ws.root, '..', 'storage', 'lexical-index.v8');
    const questions = rankingQuestions(new Map([['frobnicate', 1]]), [], undefined);
    try {
      const first = start(store);
      await first.request({ type: 'sync', files: ['pkg/core.py', 'pkg/a.py', 'pkg/b.py'].map(ref) });
      await first.request({ type: 'save' });
      await first.dispose();
      const second = start(store);
      assert.deepEqual(await second.ready, { loaded: 3 });
      const report = await second.request({ type: 'sync', files: ['pkg/core.py', 'pkg/a.py', 'pkg/b.py'].map(ref) });
      assert.equal(report.read, 0);
      const answers = await second.request({ type: 'ask', questions });
      assert.deepEqual(answers.importedBy, [['pkg/core.py', 2]]);
    } finally {
      // Workers stopped before the folder goes: one may be writing the store.
      await Promise.all(clients.splice(0).map((client) => client.dispose()));
      ws.dispose();
    }
    function ref(path: string) {
      return { path, abs: join(ws.root, path) };
    }
  });
});

describe('when the store cannot be written', () => {
  it('says so in the log and goes on ranking', async () => {
    const ws = makeWorkspace(FILES);
    try {
      const index = await indexOf(ws);
      const lines: string[] = [];
      // Its folder would be a file: the write fails whoever runs the test.
      const client = start(join(ws.root, 'pkg/models.py', 'lexical-index.v8'), (line) => lines.push(line));
      const lexical = new WorkerLexical(client, index);
      attachLexical(index, lexical);
      await lexical.built;
      await until('the note', () => lines.length > 0);
      assert.match(lines[0], /^context: the index store could not be written \(.*\)$/);
      assert.equal((await ranked(index, 'Where is `register_hook` defined?'))[0], 'pkg/models.py');
      assert.equal(lexical.answered, 1);
    } finally {
      ws.dispose();
    }
  });
});

describe('when the index worker cannot start', () => {
  it('says why once, and the host ranks on its own', async () => {
    const ws = makeWorkspace(FILES);
    try {
      const index = await indexOf(ws);
      const lines: string[] = [];
      const client = new IndexWorkerClient(join(ws.root, 'no-such-worker.js'), {}, (line) => lines.push(line));
      clients.push(client);
      await assert.rejects(client.ready);
      attachLexical(index, new WorkerLexical(client, index));
      assert.equal((await ranked(index, 'Where is `register_hook` defined?'))[0], 'pkg/models.py');
      assert.equal((await ranked(index, 'Where is `resolve_redirects` defined?'))[0], 'pkg/sessions.py');
      assert.equal(lines.length, 1);
      assert.match(lines[0], /index worker is not available \(.*no-such-worker\.js.*\); ranking runs on the host/);
    } finally {
      ws.dispose();
    }
  });
});
