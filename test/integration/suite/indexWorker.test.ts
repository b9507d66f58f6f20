/**
 * The lexical index worker inside the real extension host, from the bundle (dist/indexWorker.js): the chat
 * retrieves a file created after the index was built, the worker answered the ranking, and the index's
 * store file is in the workspace's storage.
 */
import * as assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { QCoderApi } from '../../../src/extension';
import type { HostMessage } from '../../../src/core/protocol';
import { type QCoderHost, startQCoder } from '../../support/extensionHost';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, probe: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const started = Date.now();
  while (!(await probe())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe('the lexical index worker (real extension host)', () => {
  let host: QCoderHost;
  let api: QCoderApi;
  let root: string;
  const posted: HostMessage[] = [];
  const file = (rel: string) => vscode.Uri.file(path.join(root, rel));

  before(async () => {
    root = vscode.workspace.workspaceFolders![0].uri.fsPath;
    host = await startQCoder({ server: (server) => server.setDefault({ kind: 'stream', chunks: ['Noted.'] }), posted });
    api = host.api;
  });

  after(async () => {
    await host?.close();
    await vscode.workspace.fs.delete(file('src/quokkaHarmonizer.ts')).then(
      () => undefined,
      () => undefined,
    );
  });

  it('writes the index to the workspace storage once built', async () => {
    await api.index.get();
    await until('the worker to follow the index', () => api.lexicalWorker.lexical !== undefined);
    const built = await api.lexicalWorker.lexical!.built;
    assert.ok(built.size > 0, JSON.stringify(built));
    const store = api.lexicalWorker.storePath;
    assert.ok(store, 'the test workspace has storage');
    await until(`the store file ${store}`, () => existsSync(store) && statSync(store).size > 0);
  });

  it('retrieves a file created after the index was built, ranked by the worker', async () => {
    const index = await api.index.get();
    const lexical = api.lexicalWorker.lexical!;
    await vscode.workspace.fs.writeFile(
      file('src/quokkaHarmonizer.ts'),
      new TextEncoder().encode('export function quokkaHarmonizer(level: number) {\n  return level * 2;\n}\n'),
    );
    await until('the watcher to add the file', () => index.has('src/quokkaHarmonizer.ts'));
    const answered = lexical.answered;
    await api.chat.send('Where is `quokkaHarmonizer` defined, and what does it return?');
    const ledger = posted.filter((m) => m.type === 'ledger').at(-1);
    assert.ok(ledger?.type === 'ledger', 'a ledger was posted');
    const item = ledger.ledger.items.find((entry) => entry.key === 'file:src/quokkaHarmonizer.ts');
    assert.ok(item?.included, JSON.stringify(item));
    assert.ok(
      item.reasons.some((reason) => reason.includes('defines quokkaHarmonizer')),
      item.reasons.join(' | '),
    );
    assert.ok(lexical.answered > answered, 'the worker answered the ranking, not the host');
  });
});
