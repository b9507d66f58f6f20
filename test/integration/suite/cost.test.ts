import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { QCoderApi } from '../../../src/extension';
import type { HostMessage } from '../../../src/core/protocol';
import { type QCoderHost, startQCoder } from '../../support/extensionHost';
import type { ModelServer } from '../../support/modelServer';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('tokens and cost in the status bar and the ledger (real extension host)', () => {
  let server: ModelServer;
  let host: QCoderHost;
  let api: QCoderApi;
  const posted: HostMessage[] = [];
  const config = () => vscode.workspace.getConfiguration('qcoder');
  const lastLedger = () =>
    posted.filter((m): m is Extract<HostMessage, { type: 'ledger' }> => m.type === 'ledger').at(-1)?.ledger;
  const tooltip = () => {
    const value = api.statusBar.tooltip;
    return typeof value === 'string' ? value : (value?.value ?? '');
  };
  const waitFor = async (what: string, probe: () => boolean) => {
    for (const started = Date.now(); !probe(); await sleep(50))
      if (Date.now() - started > 10_000) throw new Error(`timed out waiting for ${what}: "${api.statusBar.text}"`);
  };

  before(async () => {
    host = await startQCoder({ posted });
    ({ api, server } = host);
  });

  after(async () => {
    await host?.close();
    await config().update('pricing', undefined, vscode.ConfigurationTarget.Global);
  });

  it(
    'counts a local server’s request as free, ' + 'then prices a local proxy the user priced, per request and in all',
    async () => {
      // The server reports 10 prompt tokens and one completion token per chunk.
      server.setDefault({ kind: 'stream', chunks: ['Free', ' reply.'], usage: true });
      await api.chat.send('Hello there');
      await waitFor('the free request in the tooltip', () =>
        tooltip().includes('Last request: 10 tokens in, free (local server)'),
      );
      assert.match(api.statusBar.text, /^\$\(sparkle\) qwen3-coder-plus · [\d.]+K?$/);
      assert.match(lastLedger()?.cost ?? '', /^free: the server runs on this machine/);

      // $1,000 per million input tokens and $2,000 per million output: 10 in and 2 out cost $0.014.
      await config().update(
        'pricing',
        [
          {
            model: 'qwen3-coder-plus',
            host: '127.0.0.1',
            currency: 'USD',
            tiers: [{ upTo: 1e6, input: 1000, output: 2000 }],
          },
        ],
        vscode.ConfigurationTarget.Global,
      );
      server.setDefault({ kind: 'stream', chunks: ['Priced', ' reply.'], usage: true });
      await api.chat.send('Hello again');
      await waitFor('the priced request in the status bar', () => api.statusBar.text.endsWith(' · $0.014'));
      assert.match(api.statusBar.text, /^\$\(sparkle\) qwen3-coder-plus · [\d.]+K? · \$0\.014$/);
      assert.match(tooltip(), /Last request: 10 tokens in, estimated \$0\.014/);
      assert.match(tooltip(), /Estimated cost this session: \$0\.014/);
      // The ledger prices the request before it goes out: its whole input at the tier's rate.
      const ledger = lastLedger();
      assert.ok(ledger);
      const expected = (ledger.used * 1000) / 1e6;
      assert.ok(ledger.cost?.startsWith(`≈ $${expected >= 1 ? expected.toFixed(2) : ''}`), ledger.cost);
      assert.match(ledger.cost ?? '', /per million tokens\) · this session so far: /);
    },
  );
});
