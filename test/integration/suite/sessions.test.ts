import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { QCoderApi } from '../../../src/extension';
import type { HostMessage } from '../../../src/core/protocol';
import { nodeSessionFiles } from '../../../src/core/session/nodeFiles';
import { SessionRepository } from '../../../src/core/session/session';
import { type QCoderHost, startQCoder } from '../../support/extensionHost';
import type { ModelServer } from '../../support/modelServer';
import { MemoryStore } from '../../support/memoryStore';

type Snapshot = Extract<HostMessage, { type: 'session' }>;

describe('sessions as files (real extension host)', () => {
  let server: ModelServer;
  let host: QCoderHost;
  let api: QCoderApi;
  const posted: HostMessage[] = [];
  const snapshot = () => posted.filter((m): m is Snapshot => m.type === 'session').at(-1)!;
  const readJson = (name: string) => JSON.parse(readFileSync(path.join(api.sessions.location, name), 'utf8'));

  before(async () => {
    host = await startQCoder({ posted });
    ({ api, server } = host);
  });

  after(() => host?.close());

  it("keeps each chat in its own file in the extension's storage folder", async () => {
    await vscode.commands.executeCommand('qcoder.newChat');
    server.enqueue({ kind: 'stream', chunks: ['Files ', 'are ', 'kept.'] });
    await api.chat.send('where do chats live?');
    const id = api.sessions.active.id;
    assert.match(api.sessions.location, /[\\/]sessions$/);
    const file = readJson(`session-${id}.json`);
    assert.deepEqual(
      file.messages.map((m: { role: string; content: string }) => [m.role, m.content]),
      [
        ['user', 'where do chats live?'],
        ['assistant', 'Files are kept.'],
      ],
    );
    const index = readJson('index.json');
    assert.equal(index.activeId, id);
    assert.ok(index.sessions.some((entry: { id: string; title: string }) => entry.id === id));
  });

  it('after a reload the same chats load from the files, and switching still works', async () => {
    const first = api.sessions.active.id;
    await vscode.commands.executeCommand('qcoder.newChat');
    server.enqueue({ kind: 'stream', chunks: ['second answer'] });
    await api.chat.send('a second chat');
    const second = api.sessions.active.id;
    assert.notEqual(second, first);
    // What a window reload does: a new repository over the same folder.
    const reloaded = new SessionRepository(new MemoryStore(), { files: nodeSessionFiles(api.sessions.location) });
    assert.deepEqual(reloaded.problems, []);
    assert.equal(reloaded.active.id, second);
    assert.equal(reloaded.get(first)?.messages[1].content, 'Files are kept.');
    await api.chat.handle({ type: 'switchSession', sessionId: first });
    assert.equal(snapshot().sessionId, first);
    assert.deepEqual(
      snapshot().messages.map((m) => m.content),
      ['where do chats live?', 'Files are kept.'],
    );
    assert.equal(readJson('index.json').activeId, first);
  });

  it('renames, deletes with undo, and exports a chat through its commands', async () => {
    const id = api.sessions.active.id;
    assert.equal(await vscode.commands.executeCommand('qcoder.renameSession', id, 'Storage questions'), true);
    assert.equal(snapshot().sessions.find((s) => s.id === id)?.title, 'Storage questions');
    assert.equal(readJson(`session-${id}.json`).title, 'Storage questions');

    const folder = mkdtempSync(path.join(tmpdir(), 'qcoder-export-'));
    const markdown = vscode.Uri.file(path.join(folder, 'chat.md'));
    await vscode.commands.executeCommand('qcoder.exportSession', id, 'markdown', markdown);
    const text = readFileSync(markdown.fsPath, 'utf8');
    assert.match(text, /^# Storage questions\n/);
    assert.match(text, /## You\n\nwhere do chats live\?\n\n## Assistant\n\nFiles are kept\./);
    const json = vscode.Uri.file(path.join(folder, 'chat.json'));
    await vscode.commands.executeCommand('qcoder.exportSession', id, 'json', json);
    assert.equal(JSON.parse(readFileSync(json.fsPath, 'utf8')).session.messages[1].content, 'Files are kept.');

    assert.equal(await vscode.commands.executeCommand('qcoder.deleteSession', id), true);
    assert.ok(!snapshot().sessions.some((s) => s.id === id), 'gone from the drop-down');
    assert.notEqual(snapshot().sessionId, id);
    assert.ok(!existsSync(path.join(api.sessions.location, `session-${id}.json`)));
    assert.equal(await vscode.commands.executeCommand('qcoder.undoDeleteSession'), true);
    assert.equal(snapshot().sessionId, id, 'undo brings it back as the open chat');
    assert.equal(snapshot().messages[1].content, 'Files are kept.');
    assert.ok(existsSync(path.join(api.sessions.location, `session-${id}.json`)));
  });
});
