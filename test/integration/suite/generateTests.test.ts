/**
 * Generate Tests in the real extension host: the code action is offered on a function and not
 * on a test file; for the vitest, jest, pytest, go test and JUnit fixture projects (copied from
 * test/fixtures/gentests/), the request the local model server receives holds the code under
 * test and the style example, the scripted answer comes back as a review, and accepting leaves
 * exactly the hand-written expected bytes; rejecting leaves the file as it was.
 */
import * as assert from 'node:assert/strict';
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HostMessage } from '../../../src/core/protocol';
import type { QCoderApi } from '../../../src/extension';
import type { GenerateTestsResult } from '../../../src/vscode/features/generateTests';
import type { TestRunResult } from '../../../src/vscode/features/generateTestsRun';
import { type QCoderHost, startQCoder } from '../../support/extensionHost';
import { type ModelServer, textChunks } from '../../support/modelServer';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const FIXTURES = path.resolve(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'gentests');

interface Case {
  readonly source: string;
  readonly symbol: string;
  readonly testFile: string;
  readonly example: string;
  readonly expected: string;
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

describe('Generate Tests (real extension host)', function () {
  // The first code action waits for the TypeScript server to start, which takes long on a busy machine.
  this.timeout(120_000);
  let server: ModelServer;
  let host: QCoderHost;
  let api: QCoderApi;
  let root: string;
  const posted: HostMessage[] = [];
  const spec = (name: string) => JSON.parse(readFileSync(path.join(FIXTURES, name, 'case.json'), 'utf8')) as Case;
  const here = (name: string, rel: string) => path.join(root, 'gentests', name, ...rel.split('/'));
  const fixture = (name: string, rel: string) => readFileSync(path.join(FIXTURES, name, ...rel.split('/')), 'utf8');
  const notes = () =>
    posted
      .filter((m) => m.type === 'messageAdded' && m.message.role === 'assistant')
      .map((m) => (m.type === 'messageAdded' ? m.message.content : ''));

  /** The code action offered at `line` (0-based) of a file. */
  async function actionsAt(file: string, line: number): Promise<vscode.CodeAction[]> {
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    await vscode.window.showTextDocument(document);
    const range = new vscode.Range(line, 0, line, 0);
    return (
      (await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        document.uri,
        range,
      )) ?? []
    ).filter((action) => action.command?.command === 'qcoder.generateTests');
  }

  /** Runs the refactor code action on `symbol` of the case's source, answering with the fixture's answer. */
  async function generateFor(name: string): Promise<{ result: GenerateTestsResult; sent: string }> {
    const { source, symbol } = spec(name);
    const file = here(name, source);
    const line = readFileSync(file, 'utf8')
      .split('\n')
      .findIndex((text) => new RegExp(`\\b${symbol}\\b`).test(text) && /def |func |function |fn |\w+\(/.test(text));
    const actions = await actionsAt(file, line);
    const action = actions.find((each) => each.kind?.value === 'refactor.qcoder.generateTests');
    assert.ok(action, `a Generate Tests action on ${symbol}: ${actions.map((each) => each.title).join(', ')}`);
    assert.equal(action.title, `Generate Tests for \`${symbol}\``);
    server.enqueue({ kind: 'stream', chunks: textChunks(fixture(name, 'answer.md'), 40) });
    const from = server.requests.length;
    const result = await vscode.commands.executeCommand<GenerateTestsResult>(
      action.command!.command,
      ...(action.command!.arguments ?? []),
    );
    assert.equal(server.requests.length, from + 1, 'one request reached the model server');
    return { result, sent: JSON.stringify(server.requests[from].body) };
  }

  async function decide(result: GenerateTestsResult, action: 'acceptAll' | 'rejectAll'): Promise<void> {
    assert.equal(result.status, 'proposed', result.status === 'refused' ? result.message : '');
    if (result.status !== 'proposed') return;
    await api.review.controller.act(result.reviewId, action);
    await until('the review to finish', () => api.review.controller.find(result.reviewId)?.finished);
  }

  before(async () => {
    root = vscode.workspace.workspaceFolders![0].uri.fsPath;
    for (const name of ['vitest', 'jest', 'pytest', 'go', 'junit', 'nodetest'])
      cpSync(path.join(FIXTURES, name, 'project'), path.join(root, 'gentests', name), { recursive: true });
    // These cases check the proposal and "Run these tests"; generateTestsVerify.test.ts runs them in the chat.
    host = await startQCoder({ posted, settings: { 'tests.runAfterAccept': false } });
    ({ api, server } = host);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await host?.close();
    rmSync(path.join(root, 'gentests'), { recursive: true, force: true });
  });

  it('is contributed to the palette and the editor and explorer menus', async () => {
    const manifest = vscode.extensions.getExtension('qcoder.qcoder')!.packageJSON as {
      contributes: { menus: Record<string, { command: string }[]> };
    };
    for (const menu of ['commandPalette', 'editor/context', 'explorer/context'])
      assert.ok(
        manifest.contributes.menus[menu]?.some((item) => item.command === 'qcoder.generateTests'),
        menu,
      );
    assert.ok((await vscode.commands.getCommands(true)).includes('qcoder.generateTests'));
  });

  it('offers the code action on a function, and not on a test file', async () => {
    const onFunction = await actionsAt(here('vitest', 'src/math.ts'), 5);
    assert.deepEqual(
      onFunction.map((action) => [action.title, action.kind?.value]),
      [
        ['Generate Tests for `multiply`', 'refactor.qcoder.generateTests'],
        ['Generate Tests for This File', 'source.qcoder.generateTests'],
      ],
    );
    assert.deepEqual(await actionsAt(here('vitest', 'src/math.test.ts'), 4), [], 'nothing on a test file');
    assert.deepEqual(await actionsAt(here('go', 'calc/calc_test.go'), 4), [], 'nothing on a Go test');
    const from = server.requests.length;
    const refused = await vscode.commands.executeCommand<GenerateTestsResult>(
      'qcoder.generateTests',
      vscode.Uri.file(here('pytest', 'tests/test_calc.py')),
    );
    assert.equal(refused.status, 'refused');
    assert.match(refused.status === 'refused' ? refused.message : '', /is a test file/);
    assert.equal(server.requests.length, from, 'nothing was sent');
  });

  it('rejecting the proposal leaves the test file exactly as it was', async () => {
    const before = readFileSync(here('vitest', 'src/math.test.ts'));
    const { result } = await generateFor('vitest');
    await decide(result, 'rejectAll');
    assert.deepEqual(readFileSync(here('vitest', 'src/math.test.ts')), before);
  });

  for (const name of ['vitest', 'pytest', 'go', 'junit']) {
    it(`${name}: the code action's tests land in the project's test file, exactly`, async () => {
      const { testFile, expected, source, symbol, example } = spec(name);
      const { result, sent } = await generateFor(name);
      const code = readFileSync(here(name, source), 'utf8');
      assert.ok(sent.includes(JSON.stringify(code.split('\n').find((line) => line.includes(symbol))).slice(1, -1)));
      const exampleBody = fixture(name, `project/${example}`).trim().split('\n').at(-2)!;
      assert.ok(
        sent.includes(JSON.stringify(exampleBody).slice(1, -1)),
        `the style example ${example} is in the request`,
      );
      assert.match(sent, new RegExp(`style example: gentests/${name}/${example.replace(/[./]/g, '\\$&')}`));
      assert.equal(result.status === 'proposed' && result.testFile, here(name, testFile));
      await decide(result, 'acceptAll');
      assert.equal(readFileSync(here(name, testFile), 'utf8'), fixture(name, expected));
    });
  }

  it('jest, from the explorer on the whole file: a new __tests__ file, exactly', async () => {
    const { testFile, expected, example } = spec('jest');
    server.enqueue({ kind: 'stream', chunks: textChunks(fixture('jest', 'answer.md'), 40) });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const from = server.requests.length;
    const result = await vscode.commands.executeCommand<GenerateTestsResult>(
      'qcoder.generateTests',
      vscode.Uri.file(here('jest', 'src/slug.js')),
    );
    const sent = JSON.stringify(server.requests[from].body);
    assert.match(sent, /Write Jest tests for the file `gentests\/jest\/src\/slug\.js`/);
    assert.match(sent, /replace\(\/\[\^a-z0-9\]\+\/g/, 'the code under test');
    assert.match(sent, /capitalize upper-cases the first letter/, `the style example ${example}`);
    assert.ok(!existsSync(here('jest', testFile)));
    await decide(result, 'acceptAll');
    assert.equal(readFileSync(here('jest', testFile), 'utf8'), fixture('jest', expected));
  });

  it('with no arguments it takes the function around the cursor in the active editor (as /tests does)', async () => {
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(here('go', 'calc/calc.go')));
    const editor = await vscode.window.showTextDocument(document);
    editor.selection = new vscode.Selection(3, 2, 3, 2);
    const before = readFileSync(here('go', 'calc/calc_test.go'));
    const answer =
      '```go\nfunc TestAddNegative(t *testing.T) {\n\tif Add(-1, -1) != -2 {\n\t\tt.Fatal("no")\n\t}\n}\n```';
    server.enqueue({ kind: 'stream', chunks: [answer] });
    const from = server.requests.length;
    const result = await vscode.commands.executeCommand<GenerateTestsResult>('qcoder.generateTests');
    const sent = JSON.stringify(server.requests[from].body);
    assert.match(
      sent,
      /Write tests \(go test\) for the function `Add` in `gentests\/go\/calc\/calc\.go` \(lines 3-5\)/,
    );
    assert.match(sent, /appended to the existing test file `gentests\/go\/calc\/calc_test\.go`/);
    await decide(result, 'rejectAll');
    assert.deepEqual(readFileSync(here('go', 'calc/calc_test.go')), before);
  });

  it('an answer without code proposes nothing and says so in the chat', async () => {
    server.enqueue({ kind: 'stream', chunks: ['I am sorry, I cannot write tests for this function.'] });
    const pending = api.review.controller.pending().length;
    const result = await vscode.commands.executeCommand<GenerateTestsResult>(
      'qcoder.generateTests',
      vscode.Uri.file(here('nodetest', 'src/clamp.js')),
    );
    assert.equal(result.status, 'refused');
    assert.match(notes().at(-1) ?? '', /holds no js code block, so no tests were proposed/);
    assert.equal(api.review.controller.pending().length, pending);
    assert.ok(!existsSync(here('nodetest', 'src/clamp.test.js')));
  });

  it('after acceptance, "Run these tests" runs just those tests in a task and the chat says they passed', async () => {
    server.enqueue({ kind: 'stream', chunks: textChunks(fixture('nodetest', 'answer.md'), 40) });
    const result = await vscode.commands.executeCommand<GenerateTestsResult>(
      'qcoder.generateTests',
      vscode.Uri.file(here('nodetest', 'src/clamp.js')),
    );
    await decide(result, 'acceptAll');
    assert.match(notes().at(-1) ?? '', /Tests added to `gentests\/nodetest\/src\/clamp\.test\.js`/);
    const run = await vscode.commands.executeCommand<TestRunResult>('qcoder.runGeneratedTests');
    assert.equal(run?.exitCode, 0, run?.command);
    assert.match(notes().at(-1) ?? '', /✅ The generated tests passed: `node --test --test-name-pattern=/);
  });
});
