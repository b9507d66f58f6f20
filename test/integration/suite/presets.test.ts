import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { QCoderApi } from '../../../src/extension';
import type { ChooseProviderArgs } from '../../../src/vscode/presets';
import { activateQCoder } from '../../support/extensionHost';
import { type ModelServer, startModelServer } from '../../support/modelServer';

describe('provider presets and profiles', () => {
  let server: ModelServer;
  let api: QCoderApi;
  const config = () => vscode.workspace.getConfiguration('qcoder');
  const setting = <T>(key: string) => config().inspect<T>(key)?.globalValue;
  const choose = (args: ChooseProviderArgs) => vscode.commands.executeCommand('qcoder.chooseProvider', args);
  const switchTo = (name: string) => vscode.commands.executeCommand('qcoder.switchProfile', { name });
  const connection = async () => (await api.chat.publishConnection()).view;

  before(async () => {
    server = await startModelServer();
    ({ api } = await activateQCoder());
  });

  after(async () => {
    for (const name of ['OpenRouter test', 'OpenAI test']) {
      await switchTo(name);
      await vscode.commands.executeCommand('qcoder.clearApiKey');
    }
    for (const key of ['activeProfile', 'profiles', 'baseUrl', 'model'])
      await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    await server.close();
  });

  it('registers its commands', async () => {
    const commands = new Set(await vscode.commands.getCommands(true));
    assert.ok(commands.has('qcoder.chooseProvider'));
    assert.ok(commands.has('qcoder.switchProfile'));
  });

  it('a local preset fills base URL and model, saves a profile and needs no key', async () => {
    await choose({ preset: 'vllm', baseUrl: server.baseUrl, name: 'Local vLLM' });
    assert.equal(setting('activeProfile'), 'Local vLLM');
    // The profile is the one source of truth: nothing is copied into qcoder.baseUrl / qcoder.model.
    assert.equal(setting('baseUrl'), undefined);
    assert.equal(setting('model'), undefined);
    assert.deepEqual(setting('profiles'), [
      { name: 'Local vLLM', baseUrl: server.baseUrl, model: 'Qwen/Qwen3-Coder-30B-A3B-Instruct', preset: 'vllm' },
    ]);
    const view = await connection();
    assert.equal(view.baseUrl, server.baseUrl);
    assert.equal(view.model, 'Qwen/Qwen3-Coder-30B-A3B-Instruct');
    assert.equal(view.keySource, 'not-needed');
    assert.equal(view.ready, true);
  });

  it('chats with the server of the active profile', async () => {
    server.enqueue({ kind: 'stream', chunks: ['From the profile.'] });
    const before = server.requests.length;
    await api.chat.send('Which server is this?');
    const request = server.requests[before];
    assert.ok(request, 'the local server got the request');
    assert.equal(request.body.model, 'Qwen/Qwen3-Coder-30B-A3B-Instruct');
    assert.equal(request.headers.authorization, undefined);
  });

  it("keeps each hosted profile's key under its own name, and never lends it to another profile", async () => {
    await choose({ preset: 'openrouter', name: 'OpenRouter test', apiKey: 'sk-or-integration' });
    let view = await connection();
    assert.equal(view.baseUrl, 'https://openrouter.ai/api/v1');
    assert.equal(view.model, 'qwen/qwen3-coder');
    assert.equal(view.keySource, 'secret');
    assert.equal(view.ready, true);

    await choose({ preset: 'openai', name: 'OpenAI test' });
    view = await connection();
    assert.equal(view.model, 'gpt-4.1');
    assert.equal(view.keySource, 'none', 'the OpenRouter key must not be used for OpenAI');
    assert.equal(view.ready, false);

    await switchTo('Local vLLM');
    assert.equal((await connection()).keySource, 'not-needed');
    await switchTo('OpenRouter test');
    view = await connection();
    assert.equal(view.keySource, 'secret');
    assert.equal(view.baseUrl, 'https://openrouter.ai/api/v1');
  });

  it('follows an edit of the active profile in settings', async () => {
    await switchTo('Local vLLM');
    const profiles = (setting<Array<Record<string, string>>>('profiles') ?? []).map((p) =>
      p.name === 'Local vLLM' ? { ...p, model: 'qwen3-coder-edited' } : p,
    );
    await config().update('profiles', profiles, vscode.ConfigurationTarget.Global);
    assert.equal((await connection()).model, 'qwen3-coder-edited');
  });

  it('refuses a profile name that does not exist, changing nothing', async () => {
    await switchTo('No such profile');
    assert.equal(setting('activeProfile'), 'Local vLLM');
    assert.equal((await connection()).baseUrl, server.baseUrl);
  });

  it('while a profile is active, a hand-edited qcoder.baseUrl does not redirect it (or its key)', async () => {
    await switchTo('OpenRouter test');
    await config().update('baseUrl', server.baseUrl, vscode.ConfigurationTarget.Global);
    const view = await connection();
    assert.equal(view.baseUrl, 'https://openrouter.ai/api/v1');
    assert.equal(view.keySource, 'secret');
    await config().update('baseUrl', undefined, vscode.ConfigurationTarget.Global);
  });
});
