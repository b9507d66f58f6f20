import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { TokenCounters, buildContext, qwenVocabularyCandidates } from '../../../src/core/context';
import {
  activeEditorSignals,
  collectSignals,
  openEditorPaths,
  RecentEdits,
} from '../../../src/vscode/workspace/editorSignals';
import { gitDiffMention } from '../../../src/vscode/workspace/gitDiff';
import { WorkspaceIndexService } from '../../../src/vscode/workspace/indexService';
import { VsCodeWorkspaceReader } from '../../../src/vscode/workspace/reader';
import { ripgrepPath } from '../../../src/vscode/workspace/ripgrep';
import { TerminalOutputSource } from '../../../src/vscode/workspace/terminalOutput';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, probe: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!(await probe())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe('workspace context in a real extension host', () => {
  let folder: vscode.WorkspaceFolder;
  let service: WorkspaceIndexService;
  const root = () => folder.uri.fsPath;
  const uri = (rel: string) => vscode.Uri.file(path.join(root(), rel));
  const write = (rel: string, text: string) => vscode.workspace.fs.writeFile(uri(rel), new TextEncoder().encode(text));

  before(() => {
    const first = vscode.workspace.workspaceFolders?.[0];
    assert.ok(first, 'the test opens a workspace folder');
    folder = first;
    service = new WorkspaceIndexService();
  });
  after(async () => {
    service.dispose();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('finds the ripgrep VS Code ships', () => {
    const rg = ripgrepPath(vscode.env.appRoot);
    assert.ok(rg, `no ripgrep under ${vscode.env.appRoot}`);
    assert.equal(service.rgPath, rg);
  });

  it('indexes the folder on first use, with the policy applied', async () => {
    await write('.env', 'TOKEN=not-real\n');
    const index = await service.get();
    assert.ok(index.has('src/cart.ts'));
    assert.ok(!index.has('.env'));
    assert.equal(index.policy.check('.env').allowed, false);
  });

  it('keeps the index fresh from the file watcher: created, deleted, newly ignored', async () => {
    const index = await service.get();
    await write('src/added.ts', 'export const added = 1;\n');
    await until('the created file to be indexed', () => index.has('src/added.ts'));
    await vscode.workspace.fs.delete(uri('src/added.ts'));
    await until('the deleted file to leave the index', () => !index.has('src/added.ts'));
    await write('.qcoderignore', 'src/inventory.ts\n');
    await until('.qcoderignore to apply', () => !index.has('src/inventory.ts'));
    await vscode.workspace.fs.delete(uri('.qcoderignore'));
    await until('the rule to be lifted', () => index.has('src/inventory.ts'));
  });

  it('reads the editor’s unsaved text before the disk', async () => {
    const document = await vscode.workspace.openTextDocument(uri('src/cart.ts'));
    const editor = await vscode.window.showTextDocument(document);
    await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), '// unsaved change\n'));
    const index = await service.get();
    const read = await index.policy.read('src/cart.ts', new VsCodeWorkspaceReader());
    assert.ok(read.allowed);
    assert.ok(read.text.startsWith('// unsaved change\n'));
  });

  it('reports the active editor, its selection, open editors and recent edits', async () => {
    const recent = new RecentEdits();
    try {
      const editor = await vscode.window.showTextDocument(uri('src/cart.ts'));
      await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), '// another\n'));
      editor.selection = new vscode.Selection(1, 0, 3, 0);
      const active = activeEditorSignals();
      assert.equal(active.activeFile, uri('src/cart.ts').fsPath);
      assert.deepEqual(active.selection?.range, { start: 2, end: 3 });
      assert.ok(openEditorPaths().includes(uri('src/cart.ts').fsPath));
      assert.deepEqual(recent.paths(), [uri('src/cart.ts').fsPath]);
      assert.equal(collectSignals(recent).activeFile, uri('src/cart.ts').fsPath);
    } finally {
      recent.dispose();
    }
  });

  it('packs context for the chat from the live workspace, pinning the active file', async () => {
    const index = await service.get();
    const extension = vscode.extensions.getExtension('qcoder.qcoder');
    assert.ok(extension);
    const counter = await new TokenCounters(
      qwenVocabularyCandidates(path.join(extension.extensionPath, 'dist')),
    ).forModel('qwen3-coder-plus');
    const built = await buildContext(
      index,
      counter,
      {
        query: 'How is the cart total computed?',
        system: 'You are QCoder.',
        history: [{ role: 'user', content: 'How is the cart total computed?' }],
        signals: { activeFile: uri('src/cart.ts').fsPath },
        budget: { window: 16_000 },
      },
      { rgPath: service.rgPath },
    );
    const included = built.items.filter((item) => item.included);
    assert.equal(included[0].path, 'src/cart.ts');
    assert.ok(included.some((item) => item.path === 'src/cart.test.ts'));
    assert.ok(built.used <= built.plan.input);
  });

  it('@git: the folder’s uncommitted changes', async () => {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: root(), encoding: 'utf8' });
    git('init', '-q');
    git('add', '-A');
    git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'init');
    await write('src/inventory.ts', '// changed for the diff\n');
    const mention = await gitDiffMention(root());
    assert.equal(mention.kind, 'text');
    assert.match(mention.kind === 'text' ? mention.text : '', /\+\/\/ changed for the diff/);
  });

  it('@terminal: the last command’s output, or why there is none', () => {
    const source = new TerminalOutputSource();
    try {
      const mention = source.mention();
      assert.equal(mention.kind, 'text');
      const text = mention.kind === 'text' ? mention.text : '';
      if (source.available) assert.match(text, /reads terminal commands from the first @terminal on/);
      else assert.match(text, /no shell-integration API/);
    } finally {
      source.dispose();
    }
  });
});
