/**
 * Git from the Source Control view, in the real extension host with the built-in Git extension:
 * Generate Commit Message on a fixture repository with staged and unstaged changes sends the
 * staged diff and the recent subjects (the request the local server received) and streams the
 * answer into the repository's commit input box. And the agent never pushes on its own: `git push`
 * proposed by the model asks even in Auto mode with `git push` on the allow list.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HostMessage, ToolCallView } from '../../../src/core/protocol';
import type { QCoderApi } from '../../../src/extension';
import type { GitApi } from '../../../src/vscode/git/gitApi';
import { type QCoderHost, startQCoder } from '../../support/extensionHost';
import type { ModelServer } from '../../support/modelServer';
import { toolCallEvents } from '../../support/toolCallStream';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Test',
      GIT_AUTHOR_EMAIL: 't@example.invalid',
      GIT_COMMITTER_NAME: 'Test',
      GIT_COMMITTER_EMAIL: 't@example.invalid',
    },
  });
}

/** A repository with three conventional commits. */
function fixtureRepository(dir: string): void {
  mkdirSync(dir, { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  const commits: [string, string][] = [
    ['cart.js', 'feat(cart): add the subtotal'],
    ['README.md', 'docs: explain the cart'],
    ['cart.test.js', 'test(cart): cover the subtotal'],
  ];
  for (const [file, subject] of commits) {
    writeFileSync(path.join(dir, file), `// ${subject}\n`);
    git(dir, 'add', file);
    git(dir, 'commit', '-q', '-m', subject);
  }
}

/** The repository at `dir` once the Git extension has found it. */
async function openRepository(api: GitApi, dir: string) {
  const uri = vscode.Uri.file(dir);
  for (let waited = 0; waited < 15_000; waited += 100) {
    const found = (await api.openRepository?.(uri)) ?? api.getRepository(uri);
    if (found && found.rootUri.fsPath === uri.fsPath) return found;
    await sleep(100);
  }
  throw new Error(`the Git extension did not open ${dir}`);
}

describe('Git: Generate Commit Message and git push approvals (real extension host)', () => {
  let host: QCoderHost;
  let api: QCoderApi;
  let model: ModelServer;
  let gitApi: GitApi | undefined;
  const temporary: string[] = [];
  const posted: HostMessage[] = [];
  const config = () => vscode.workspace.getConfiguration('qcoder');

  before(async function () {
    this.timeout(30_000);
    host = await startQCoder({ posted });
    ({ api, server: model } = host);
    const gitExtension = vscode.extensions.getExtension<{ getAPI(version: 1): GitApi }>('vscode.git');
    gitApi = gitExtension && (await gitExtension.activate()).getAPI(1);
  });

  after(async () => {
    await host?.close();
    await config().update('commands.allow', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('qcoder.setMode', 'ask');
    for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
  });

  it(
    'the staged diff and the recent subjects go to the model; ' + 'the answer streams into the input box',
    async function () {
      this.timeout(60_000);
      assert.ok(gitApi?.openRepository, 'the built-in Git extension is loaded in this workbench');
      // Inside the workspace: the Git extension opens no repository outside the window's folders.
      const dir = path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, 'commit-fixture');
      temporary.push(dir);
      fixtureRepository(dir);
      writeFileSync(
        path.join(dir, 'cart.js'),
        'export const subtotal = (items) => items.reduce((s, i) => s + i.price * i.quantity, 0);\n',
      );
      git(dir, 'add', 'cart.js');
      writeFileSync(path.join(dir, 'README.md'), 'An unstaged change that must not be described.\n');
      const repository = await openRepository(gitApi, dir);
      repository.inputBox.value = '';
      const chunks = ['fix(cart): ', 'multiply price ', 'by quantity in ', 'the subtotal'];
      model.enqueue({ kind: 'stream', chunks, delayMs: 60 });
      const seen: string[] = [];
      const watching = setInterval(() => {
        if (seen.at(-1) !== repository.inputBox.value) seen.push(repository.inputBox.value);
      }, 1);
      const before = model.requests.length;
      const message = await vscode.commands.executeCommand<string>('qcoder.generateCommitMessage', {
        rootUri: repository.rootUri,
      });
      clearInterval(watching);
      assert.equal(message, 'fix(cart): multiply price by quantity in the subtotal');
      assert.equal(repository.inputBox.value, 'fix(cart): multiply price by quantity in the subtotal');
      // The box held the first words before the last arrived.
      assert.ok(seen.includes('fix(cart): multiply price'), `the box as the answer streamed: ${JSON.stringify(seen)}`);
      assert.equal(model.requests.length, before + 1);
      const sent = model.requests[before].body.messages as { role: string; content: string }[];
      const user = sent.find((m) => m.role === 'user')!.content;
      assert.match(
        user,
        /^\+export const subtotal = \(items\) => items\.reduce\(\(s, i\) => s \+ i\.price \* i\.quantity, 0\);$/m,
      );
      assert.match(user, /^-\/\/ feat\(cart\): add the subtotal$/m);
      assert.doesNotMatch(user, /unstaged change/);
      for (const subject of [
        'test(cart): cover the subtotal',
        'docs: explain the cart',
        'feat(cart): add the subtotal',
      ])
        assert.ok(user.includes(`- ${subject}`), subject);
      assert.match(sent[0].content, /Conventional Commits/);
    },
  );

  it('git push proposed by the agent asks in Auto mode, even with "git push" on the allow list', async function () {
    this.timeout(60_000);
    const root = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const remote = mkdtempSync(path.join(tmpdir(), 'qcoder-remote-'));
    const local = path.join(root, 'push-fixture');
    temporary.push(remote, local);
    git(remote, 'init', '-q', '--bare', '-b', 'main');
    fixtureRepository(local);
    git(local, 'remote', 'add', 'origin', remote);
    await config().update('commands.allow', ['git push', 'git status'], vscode.ConfigurationTarget.Global);
    assert.equal(await vscode.commands.executeCommand('qcoder.setMode', 'auto'), true);
    model.enqueue(
      {
        kind: 'raw',
        events: toolCallEvents([
          { name: 'run_command', id: 'push', args: { command: 'git push origin main', cwd: 'push-fixture' } },
        ]),
      },
      { kind: 'stream', chunks: ['I did not push.'] },
    );
    const sending = api.chat.send('Push my work.');
    let prompt: ToolCallView['prompt'];
    for (let waited = 0; !prompt && waited < 20_000; waited += 25) {
      await sleep(25);
      prompt = posted.flatMap((m) =>
        m.type === 'toolCall' && m.call.id === 'push' && m.call.prompt ? [m.call.prompt] : [],
      )[0];
    }
    assert.ok(prompt, 'the push waited for the user');
    assert.equal(prompt.text, 'git push origin main');
    assert.ok(
      prompt.details?.some((line) => /publishes commits to a remote/.test(line)),
      JSON.stringify(prompt.details),
    );
    await api.chat.handle({ type: 'promptAnswer', callId: 'push', choice: 'reject' });
    await sending;
    assert.equal(git(remote, 'rev-list', '--all').trim(), '', 'nothing reached the remote');
  });
});
