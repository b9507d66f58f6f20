/**
 * preview_page in the real extension host: offered when a browser is found and withdrawn when the
 * setting points nowhere (the log says why); a page served from the workspace loads its own files
 * but not a secret one (the access rules answer 404, the key never reaches the page or the model);
 * the Preview panel holds the look.
 */
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { InteractiveContext } from '../../../src/core/agent/toolRunner';
import type { QCoderApi } from '../../../src/extension';
import { activateQCoder } from '../../support/extensionHost';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const KEY = 'sk-preview0123456789abcdefghijklmnop';

describe('preview_page in the real extension host', () => {
  let api: QCoderApi;
  let folder: string;
  const config = () => vscode.workspace.getConfiguration('qcoder');

  before(async function () {
    if (!existsSync(CHROMIUM)) this.skip();
    ({ api } = await activateQCoder());
    folder = path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, 'preview-fixture');
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, '.env'), `API_KEY=${KEY}\n`);
    writeFileSync(
      path.join(folder, 'greeting.js'),
      "document.getElementById('greeting').textContent = 'Hello from greeting.js';\n",
    );
    writeFileSync(
      path.join(folder, 'page.html'),
      [
        '<!doctype html><title>Secrets</title>',
        '<p id="greeting">no script</p><p id="out">waiting</p>',
        '<script src="greeting.js"></script>',
        "<script>fetch('.env').then(async (r) => (document.getElementById('out').textContent = r.status + " +
          "' ' + (await r.text())));</script>",
      ].join('\n'),
    );
  });

  after(async () => {
    await config().update('browser.executablePath', undefined, vscode.ConfigurationTarget.Global);
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it('is offered with a browser and not with a setting that points nowhere', async () => {
    await api.preview.source.refresh(new Set());
    assert.deepEqual(
      api.preview.source.tools.map((tool) => tool.schema.name),
      ['preview_page'],
    );
    await config().update('browser.executablePath', '/nowhere/chrome', vscode.ConfigurationTarget.Global);
    await api.preview.source.refresh(new Set());
    assert.deepEqual(api.preview.source.tools, []);
    await config().update('browser.executablePath', undefined, vscode.ConfigurationTarget.Global);
    await api.preview.source.refresh(new Set());
    assert.equal(api.preview.source.tools.length, 1);
  });

  it(
    'the page loads its own script but gets 404 for .env; ' + 'the key reaches neither the page nor the model',
    async function () {
      this.timeout(60_000);
      const context = {
        signal: new AbortController().signal,
        callId: 'look',
        ask: () => Promise.reject(new Error('preview_page does not ask')),
        show: () => undefined,
      } as unknown as InteractiveContext;
      const outcome = await api.preview.source.tools[0].run({ target: 'preview-fixture/page.html' }, context);
      assert.equal(outcome.isError, undefined, outcome.content);
      assert.match(
        outcome.content,
        /^Preview of preview-fixture\/page\.html \(opened preview-fixture\/page\.html\)\. Title: "Secrets"\./,
      );
      assert.match(outcome.content, /Hello from greeting\.js/);
      assert.match(outcome.content, /404 .*off limits to QCoder/);
      assert.ok(!outcome.content.includes(KEY));
      assert.equal(api.preview.panel.latest?.title, 'Secrets');
      assert.ok(!api.preview.panel.latest?.text.includes(KEY));
    },
  );
});
