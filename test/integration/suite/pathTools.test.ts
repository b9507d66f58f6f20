/**
 * The tools given a path of the wrong kind, in the real extension host (ripgrep from VS Code):
 * the model is told in words what is wrong and what to do instead, never a raw errno.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { QCoderApi } from '../../../src/extension';
import { type QCoderHost, startQCoder } from '../../support/extensionHost';
import type { ModelServer } from '../../support/modelServer';
import { toolCallEvents } from '../../support/toolCallStream';

describe('tools given a file for a folder, a folder for a file, or nothing (real extension host)', () => {
  let host: QCoderHost;
  let api: QCoderApi;
  let server: ModelServer;
  let root: string;
  const folder = 'path-kinds';

  /** One agent turn making these calls; the tool results the model was sent back, in order. */
  async function runTools(calls: { name: string; args: Record<string, unknown> }[]): Promise<string[]> {
    server.enqueue(
      { kind: 'raw', events: toolCallEvents(calls.map((call, i) => ({ ...call, id: `call_${i}` }))) },
      { kind: 'stream', chunks: ['Done.'] },
    );
    const from = server.requests.length;
    await api.chat.send('Look at these paths.');
    assert.equal(server.requests.length, from + 2, 'the tool loop sent the results back');
    const messages = server.requests[from + 1].body.messages as { role: string; content: string | null }[];
    return messages
      .filter((message) => message.role === 'tool')
      .slice(-calls.length)
      .map((message) => String(message.content));
  }

  before(async () => {
    root = vscode.workspace.workspaceFolders![0].uri.fsPath;
    mkdirSync(path.join(root, folder, 'src'), { recursive: true });
    writeFileSync(path.join(root, folder, 'src', 'a.ts'), 'export const a = 1;\n');
    host = await startQCoder();
    ({ api, server } = host);
    await api.chat.newChat();
  });

  after(async () => {
    await host?.close();
    rmSync(path.join(root, folder), { recursive: true, force: true });
  });

  it('list_files on a file, on a missing folder; read_file on a folder; run_command in a file', async () => {
    const file = `${folder}/src/a.ts`;
    const results = await runTools([
      { name: 'list_files', args: { path: file } },
      { name: 'list_files', args: { path: `${folder}/nowhere` } },
      { name: 'list_files', args: { path: `${folder}/src` } },
      { name: 'read_file', args: { path: `${folder}/src` } },
      { name: 'run_command', args: { command: 'ls', cwd: file } },
    ]);
    for (const result of results) assert.doesNotMatch(result, /ENOTDIR|ENOENT|spawn/, result);
    assert.equal(results[0], `Error: ${file} is a file, not a folder; read it with read_file.`);
    assert.equal(
      results[1],
      `Error: ${folder}/nowhere does not exist; list_files without a path lists the whole workspace.`,
    );
    assert.equal(results[2], file);
    assert.match(results[3], new RegExp(`^Error: ${folder}/src is a folder, not a file`));
    assert.match(results[4], /^Error: cwd "path-kinds\/src\/a\.ts" is not a folder of the workspace/);
  });
});
