/**
 * One prompt assembly: `qcoder context --messages` prints the messages the extension sends.
 * The extension sends a message to the local model server; the CLI, run on the same folders
 * with the same query and window, must print exactly the messages the server received.
 * Runs early (file order) and with no editor open, so the editor adds no signals of its own
 * (open, edited or failing files) that a shell does not have.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { QCoderApi } from '../../../src/extension';
import type { HostMessage, LedgerView } from '../../../src/core/protocol';
import { type QCoderHost, startQCoder } from '../../support/extensionHost';
import type { ModelServer } from '../../support/modelServer';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('qcoder context --messages prints what the extension sends (real extension host)', () => {
  let server: ModelServer;
  let host: QCoderHost;
  let api: QCoderApi;
  let root: string;
  const posted: HostMessage[] = [];
  const written: string[] = [];
  const write = async (rel: string, text: string) => {
    const uri = vscode.Uri.file(path.join(root, rel));
    written.push(uri.fsPath);
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  };

  before(async () => {
    root = vscode.workspace.workspaceFolders![0].uri.fsPath;
    host = await startQCoder({
      server: (server) => {
        server.setDefault({ kind: 'stream', chunks: ['Noted.'] });
        // llama.cpp's window discovery: a window small enough that packing has to choose.
        server.route('GET', '/props', {
          kind: 'json',
          status: 200,
          body: { default_generation_settings: { n_ctx: 6000 } },
        });
      },
      posted,
    });
    ({ api, server } = host);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await write(
      'src/orders/discount.ts',
      'export function applyDiscount(total: number, rate: number): number {\n  return total * (1 - rate);\n}\n',
    );
    for (const name of ['basket', 'invoice', 'refund', 'report', 'coupon']) {
      const lines = Array.from(
        { length: 40 },
        (_, i) => `  const line${i} = applyDiscount(${i}, 0.${i % 9}); // ${name}`,
      );
      await write(
        `src/orders/${name}.ts`,
        `import { applyDiscount } from './discount';\n\nexport function ${name}Total(): number {\n` +
          `${lines.join('\n')}\n  return 0;\n}\n`,
      );
    }
    const index = await api.index.get();
    // Every new file, not just the last: the watcher may report them in any order.
    const names = ['discount', 'basket', 'invoice', 'refund', 'report', 'coupon'].map((n) => `src/orders/${n}.ts`);
    for (const started = Date.now(); !names.every((name) => index.has(name)); await sleep(50))
      if (Date.now() - started > 10_000) throw new Error('the index never saw the new files');
  });

  after(async () => {
    await host?.close();
    for (const file of written)
      await vscode.workspace.fs.delete(vscode.Uri.file(file)).then(undefined, () => undefined);
  });

  it('prints the messages the model server received for the same workspace, query and window', async () => {
    const query = 'Where is applyDiscount used, and is @file:src/orders/discount.ts right?';
    await api.chat.newChat();
    const from = server.requests.length;
    await api.chat.send(query);
    assert.equal(server.requests.length, from + 1);
    const sent = server.requests[from].body.messages;
    const ledger = posted.filter((m): m is Extract<HostMessage, { type: 'ledger' }> => m.type === 'ledger').at(-1)
      ?.ledger as LedgerView;
    assert.equal(ledger.window, 6000, `the window came from GET /props (${ledger.windowSource})`);
    const editorSignals = ledger.items.filter((item) =>
      item.reasons.some((reason) => /edited recently|open in the editor|in Problems|active file/.test(reason)),
    );
    assert.deepEqual(editorSignals, [], 'no editor state the command line cannot see');
    const retrieved = ledger.items.filter((item) => item.kind === 'retrieved');
    assert.ok(
      retrieved.some((item) => !item.included || item.form !== 'whole'),
      `packing had to leave out or outline some retrieved files: ` +
        `${JSON.stringify(retrieved.map((item) => [item.title, item.form, item.tokens]))}`,
    );

    const cli = path.join(vscode.extensions.getExtension('qcoder.qcoder')!.extensionPath, 'dist', 'cli.js');
    const roots = vscode.workspace.workspaceFolders!.flatMap((folder) => ['--root', folder.uri.fsPath]);
    const args = [cli, 'context', ...roots, '--query', query, '--budget', String(ledger.window), '--messages'];
    if (vscode.workspace.name) args.push('--workspace', vscode.workspace.name);
    if (api.index.rgPath) args.push('--rg', api.index.rgPath);
    const started = Date.now();
    const printed = execFileSync(process.execPath, args, {
      encoding: 'utf8',
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    });
    console.log(`      qcoder context --messages took ${Date.now() - started} ms; ${sent.length} messages compared`);
    assert.deepEqual(JSON.parse(printed), sent);
    assert.match(printed, /export function applyDiscount/);
  });
});
