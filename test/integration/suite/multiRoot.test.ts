/**
 * Runs only in the multi-root run (`runCodeServer.ts --multi-root`: folders `app` and `lib`);
 * skipped when the workbench opened a single folder.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { QCoderApi } from '../../../src/extension';
import type { HostMessage } from '../../../src/core/protocol';
import { type QCoderHost, startQCoder } from '../../support/extensionHost';
import type { ModelServer } from '../../support/modelServer';
import { toolCallEvents } from '../../support/toolCallStream';

describe('multi-root context (real extension host)', () => {
  let server: ModelServer;
  let host: QCoderHost;
  let api: QCoderApi;
  const posted: HostMessage[] = [];
  const sentSince = (from: number) => JSON.stringify(server.requests.slice(from).map((request) => request.body));

  before(async function () {
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (folders.length < 2) this.skip();
    await vscode.workspace.fs.writeFile(
      vscode.Uri.file(path.join(folders[0].uri.fsPath, '.env')),
      new TextEncoder().encode('KEY=MULTI-SECRET-4411\n'),
    );
    host = await startQCoder({ server: (server) => server.setDefault({ kind: 'stream', chunks: ['Noted.'] }), posted });
    ({ api, server } = host);
  });

  after(async () => {
    if (!host) return;
    await host?.close();
  });

  it('indexes both folders under their names and completes paths across them', async () => {
    const index = await api.index.get();
    assert.ok(index.has('app/src/cart.ts') && index.has('lib/src/money.ts'), [...index.paths()].join(', '));
    assert.ok(!index.has('app/.env'));
    await api.chat.handle({ type: 'mentionQuery', requestId: 7, kind: 'file', prefix: 'lib/' });
    const found = posted.find((m) => m.type === 'mentionResults' && m.requestId === 7);
    assert.ok(found?.type === 'mentionResults' && found.items.includes('lib/src/money.ts'));
  });

  it('sends a mentioned file of the second folder, and the tools read across folders but not a secret', async () => {
    server.enqueue(
      {
        kind: 'raw',
        events: toolCallEvents([
          { name: 'read_file', id: 'r1', args: { path: 'app/src/cart.ts' } },
          { name: 'read_file', id: 'r2', args: { path: 'app/.env' } },
        ]),
      },
      { kind: 'stream', chunks: ['Done.'] },
    );
    const from = server.requests.length;
    await api.chat.send('How does @file:lib/src/money.ts relate to the cart?');
    const sent = sentSince(from);
    assert.match(sent, /export function roundCents/);
    assert.match(sent, /export function total/);
    assert.doesNotMatch(sent, /MULTI-SECRET-4411/);
    const ledger = posted.filter((m) => m.type === 'ledger').at(-1);
    assert.ok(
      ledger?.type === 'ledger' &&
        ledger.ledger.items.some((item) => item.key === 'file:lib/src/money.ts' && item.included),
    );
  });
});
