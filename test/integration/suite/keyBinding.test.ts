import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { type ApiKeys as ApiKeysType, ApiKeys, type HeldBackKey, type KeyAnswer } from '../../../src/vscode/apiKeys';
import { ConnectionFactory } from '../../../src/vscode/connection';
import { type ModelServer, startModelServer } from '../../support/modelServer';

/** SecretStorage in memory, with the change events the real one fires. */
class MemorySecrets {
  readonly data = new Map<string, string>();
  private readonly emitter = new vscode.EventEmitter<vscode.SecretStorageChangeEvent>();
  readonly onDidChange = this.emitter.event;
  get(key: string): Promise<string | undefined> {
    return Promise.resolve(this.data.get(key));
  }
  store(key: string, value: string): Promise<void> {
    this.data.set(key, value);
    this.emitter.fire({ key });
    return Promise.resolve();
  }
  delete(key: string): Promise<void> {
    this.data.delete(key);
    this.emitter.fire({ key });
    return Promise.resolve();
  }
}

interface Harness {
  readonly keys: ApiKeysType;
  readonly factory: ConnectionFactory;
  readonly secrets: MemorySecrets;
  readonly questions: Array<{ server: string; held: HeldBackKey }>;
}

function harness(
  answers: KeyAnswer[],
  typed: string[] = [],
  env: NodeJS.ProcessEnv = {},
  secrets = new MemorySecrets(),
) {
  const questions: Harness['questions'] = [];
  const keys = new ApiKeys(secrets as unknown as vscode.SecretStorage, {
    env,
    ask: (server, held) => {
      questions.push({ server, held });
      return Promise.resolve(answers.shift());
    },
    inputKey: () => Promise.resolve(typed.shift()),
  });
  return { keys, factory: new ConnectionFactory(keys, undefined, env), secrets, questions };
}

describe('API keys are bound to the endpoint they were given for', () => {
  let a: ModelServer;
  let b: ModelServer;
  const config = () => vscode.workspace.getConfiguration('qcoder');
  const set = (key: string, value: unknown) => config().update(key, value, vscode.ConfigurationTarget.Global);

  /** Sends one message through the connection and returns the Authorization header the server received. */
  async function authorizationAt(server: ModelServer, h: Harness): Promise<string | undefined> {
    const connection = await h.factory.connect();
    assert.ok(connection.client, `no client: ${connection.problem ?? ''}`);
    assert.equal(connection.client.baseUrl, server.baseUrl, 'the request goes to the configured server');
    server.enqueue({ kind: 'stream', chunks: ['ok'] });
    const before = server.requests.length;
    for await (const event of connection.client.stream([{ role: 'user', content: 'hi' }], new AbortController().signal))
      void event;
    const request = server.requests[before];
    assert.ok(request, 'the server got the request');
    return request.headers.authorization;
  }

  before(async () => {
    a = await startModelServer();
    b = await startModelServer();
  });

  afterEach(async () => {
    for (const key of ['baseUrl', 'model', 'profiles', 'activeProfile']) await set(key, undefined);
  });

  after(async () => {
    await a.close();
    await b.close();
  });

  it(
    'sends the key to the server it was set for, ' + 'and not to a hand-edited base URL unless the user says so',
    async () => {
      await set('baseUrl', a.baseUrl);
      const h = harness([undefined], ['sk-for-a']);
      assert.ok(await h.keys.prompt());
      assert.equal(await authorizationAt(a, h), 'Bearer sk-for-a');

      await set('baseUrl', b.baseUrl);
      assert.equal(await authorizationAt(b, h), undefined, 'declined: the key for A never reaches B');
      assert.equal(h.questions.length, 1);
      assert.equal(h.questions[0].server, b.baseUrl);
      assert.equal(h.questions[0].held.storedFor, a.baseUrl);
      assert.equal(await authorizationAt(b, h), undefined);
      assert.equal(h.questions.length, 1, 'a dismissed question is not asked on every request');
    },
  );

  it('"use the key for this server" moves the key to the new endpoint', async () => {
    await set('baseUrl', a.baseUrl);
    const h = harness(['use'], ['sk-moved']);
    await h.keys.prompt();
    await set('baseUrl', b.baseUrl);
    assert.equal(await authorizationAt(b, h), 'Bearer sk-moved');
    assert.equal(h.questions.length, 1);
    await set('baseUrl', a.baseUrl);
    const back = await h.factory.connect();
    assert.equal(back.view.keySource, 'not-needed', 'bound to B now: going back to A asks again');
    assert.equal(h.questions.length, 2);
  });

  it('"enter another key" sends the new key, never the old one', async () => {
    await set('baseUrl', a.baseUrl);
    const h = harness(['another'], ['sk-old', 'sk-new']);
    await h.keys.prompt();
    await set('baseUrl', b.baseUrl);
    assert.equal(await authorizationAt(b, h), 'Bearer sk-new');
    assert.ok(!b.requests.some((request) => request.headers.authorization === 'Bearer sk-old'));
  });

  it(
    "a profile's edited base URL asks before its key goes there; " + 'a hand-edited qcoder.baseUrl is not used',
    async () => {
      const profile = { name: 'Bound', baseUrl: a.baseUrl, model: 'm' };
      await set('profiles', [profile]);
      await set('activeProfile', 'Bound');
      const h = harness([undefined]);
      await h.keys.set('sk-profile', 'Bound');
      await set('baseUrl', b.baseUrl);
      assert.equal(await authorizationAt(a, h), 'Bearer sk-profile', 'the active profile is the one source of truth');
      await set('profiles', [{ ...profile, baseUrl: b.baseUrl }]);
      assert.equal(await authorizationAt(b, h), undefined);
      assert.equal(h.questions.length, 1);
    },
  );

  it('a key stored before keys were bound is not sent without asking', async () => {
    const secrets = new MemorySecrets();
    secrets.data.set('qcoder.apiKey', 'sk-legacy');
    await set('baseUrl', b.baseUrl);
    const h = harness([undefined], [], {}, secrets);
    assert.equal(await authorizationAt(b, h), undefined);
    assert.equal(h.questions[0]?.held.storedFor, undefined);
  });

  it("OPENAI_API_KEY goes to OPENAI_BASE_URL's server; another base URL asks first", async () => {
    const env = { OPENAI_API_KEY: 'sk-env', OPENAI_BASE_URL: a.baseUrl };
    const h = harness([undefined, 'use'], [], env);
    assert.equal(await authorizationAt(a, h), 'Bearer sk-env');
    await set('baseUrl', b.baseUrl);
    assert.equal(await authorizationAt(b, h), undefined);
    const again = harness(['use'], [], env);
    assert.equal(await authorizationAt(b, again), 'Bearer sk-env');
  });
});
