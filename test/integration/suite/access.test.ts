/**
 * Issue 15's reproduced defects, each as an attacker would set it up: credential files and links
 * created in the workspace at test time (links outside the repository are never committed), the
 * agent's tools driven by a scripted model over real HTTP, and the request bodies the server
 * received searched for canaries.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HostMessage } from '../../../src/core/protocol';
import type { QCoderApi } from '../../../src/extension';
import type { Review } from '../../../src/vscode/review/reviewController';
import { type QCoderHost, startQCoder } from '../../support/extensionHost';
import type { ModelServer } from '../../support/modelServer';
import { toolCallEvents } from '../../support/toolCallStream';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface ToolMessage {
  role: string;
  content: string | null;
}

describe('access rules on every path (issue 15, real extension host)', () => {
  let host: QCoderHost;
  let api: QCoderApi;
  let server: ModelServer;
  let root: string;
  let outside: string;
  const posted: HostMessage[] = [];
  const created: string[] = [];
  const config = () => vscode.workspace.getConfiguration('qcoder');
  const abs = (rel: string) => path.join(root, rel);
  const put = (rel: string, text: string) => {
    mkdirSync(path.dirname(abs(rel)), { recursive: true });
    writeFileSync(abs(rel), text);
    created.push(rel);
  };
  const link = (rel: string, target: string) => {
    mkdirSync(path.dirname(abs(rel)), { recursive: true });
    symlinkSync(target, abs(rel));
    created.push(rel);
  };
  const sentSince = (from: number) => JSON.stringify(server.requests.slice(from).map((request) => request.body));
  /** Asserts no request since `from` carried a canary; on failure shows where it was. */
  const assertNoLeak = (from: number, canary: RegExp) => {
    const sent = sentSince(from);
    const at = sent.search(canary);
    assert.equal(at, -1, `leaked: …${sent.slice(Math.max(0, at - 300), at + 60)}…`);
  };

  /** One agent turn that makes these tool calls; the tool results the model was sent back, in order. */
  async function runTools(calls: { name: string; args: Record<string, unknown> }[]): Promise<string[]> {
    server.enqueue(
      { kind: 'raw', events: toolCallEvents(calls.map((call, i) => ({ ...call, id: `call_${i}` }))) },
      { kind: 'stream', chunks: ['Done.'] },
    );
    const from = server.requests.length;
    await api.chat.send('Look around the workspace.');
    assert.equal(server.requests.length, from + 2, 'the tool loop sent the results back');
    const messages = server.requests[from + 1].body.messages as ToolMessage[];
    // This turn's results are the last ones (earlier turns of the chat come before them).
    const results = messages.filter((message) => message.role === 'tool').slice(-calls.length);
    return results.map((message) => String(message.content));
  }

  before(async () => {
    root = vscode.workspace.workspaceFolders![0].uri.fsPath;
    outside = mkdtempSync(path.join(tmpdir(), 'qcoder-outside-'));
    writeFileSync(path.join(outside, 'sentinel.txt'), 'OUTSIDE-SENTINEL-4b1f\n');
    host = await startQCoder({ server: (server) => server.setDefault({ kind: 'stream', chunks: ['Noted.'] }), posted });
    ({ api, server } = host);
  });

  // Each test starts a fresh chat, so a request carries no earlier test's history.
  beforeEach(() => api.chat.newChat());

  after(async () => {
    await host?.close();
    for (const rel of created.reverse()) rmSync(abs(rel), { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  it(
    '(1) read_file and search_files refuse credential content: ' + '.npmrc, .yarnrc.yml, a private key in JSON',
    async () => {
      put('.npmrc', '//registry.npmjs.org/:_authToken=NPMRC-CANARY-71d0\n');
      put('.yarnrc.yml', 'npmAuthToken: YARNRC-CANARY-2e9a\n');
      put(
        'config/keys.json',
        '{ "key": "-----BEGIN PRIVATE KEY-----\\nKEYJSON-CANARY-c3f8\\n-----END PRIVATE KEY-----" }\n',
      );
      const from = server.requests.length;
      const results = await runTools([
        { name: 'read_file', args: { path: '.npmrc' } },
        { name: 'read_file', args: { path: '.yarnrc.yml' } },
        { name: 'read_file', args: { path: 'config/keys.json' } },
        { name: 'search_files', args: { pattern: '_authToken|npmAuthToken|PRIVATE KEY|CANARY' } },
      ]);
      for (const result of results.slice(0, 3))
        assert.match(result, /off limits|secret|credential|private key/i, result);
      // Editing is reading too: a refusal quotes the closest lines back to the model.
      const edit = await api.review.edits
        .begin()
        .propose(
          'edit_file',
          { path: '.npmrc', edits: [{ old_text: 'x', new_text: 'y' }] },
          new AbortController().signal,
        );
      assert.ok(!edit.ok && /off limits/.test(edit.message) && !/CANARY/.test(edit.message), JSON.stringify(edit));
      assert.doesNotMatch(results[3], /\.npmrc|\.yarnrc\.yml|keys\.json/, results[3]);
      assertNoLeak(from, /NPMRC-CANARY|YARNRC-CANARY|KEYJSON-CANARY/);
    },
  );

  it('(2) search and list do not follow a linked folder out of the workspace, nor a file link to .env', async () => {
    put('.env', 'API_TOKEN=ENV-CANARY-8a6d\n');
    link('link-dir', outside);
    link('notes.md', '.env');
    const from = server.requests.length;
    const results = await runTools([
      { name: 'search_files', args: { pattern: 'SENTINEL|API_TOKEN' } },
      { name: 'list_files', args: {} },
      { name: 'list_files', args: { path: 'link-dir' } },
      { name: 'read_file', args: { path: 'notes.md' } },
    ]);
    assert.doesNotMatch(results[0], /sentinel|notes\.md|\.env/, results[0]);
    assert.doesNotMatch(results[1], /link-dir|sentinel|notes\.md|\.env\b/, results[1]);
    assert.doesNotMatch(results[2], /sentinel/, results[2]);
    assert.match(results[3], /off limits|secret/i, results[3]);
    assertNoLeak(from, /OUTSIDE-SENTINEL|ENV-CANARY/);
  });

  it('(3) context packing and @-mentions do not read through a link to a secret file', async () => {
    put('.env', 'API_TOKEN=ENV-CANARY-8a6d\n');
    put('.aws/credentials', '[default]\naws_secret_access_key = AWS-CANARY-0f5e\n');
    link('docs/aws.txt', '../.aws/credentials');
    link('context-notes.md', '.env');
    const notesBefore = posted.length;
    let from = server.requests.length;
    await api.chat.send('What is in @file:docs/aws.txt and @file:context-notes.md?');
    assertNoLeak(from, /AWS-CANARY|ENV-CANARY/);
    const notes = posted
      .slice(notesBefore)
      .flatMap((m) => (m.type === 'messageAdded' && m.message.role === 'assistant' ? [m.message.content] : []));
    assert.ok(
      notes.some((text) => /@file:docs\/aws\.txt was not attached/.test(text)),
      `a note in the chat says why: ${notes.join('\n')}`,
    );
    // The active editor is pinned into the context on its own: a link to .env must not be.
    await vscode.window.showTextDocument(vscode.Uri.file(abs('context-notes.md')));
    from = server.requests.length;
    await api.chat.send('Summarise the file I have open.');
    assertNoLeak(from, /ENV-CANARY/);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it(
    'search_files with a catastrophic pattern returns ' + 'within 5 s and the extension host stays responsive',
    async () => {
      put('big/aaa.txt', `${'a'.repeat(50_000)}!\n`);
      let last = performance.now();
      let worstGap = 0;
      const ticker = setInterval(() => {
        const now = performance.now();
        worstGap = Math.max(worstGap, now - last);
        last = now;
      }, 20);
      const started = performance.now();
      try {
        const [result] = await runTools([{ name: 'search_files', args: { pattern: '(a+)+$', glob: 'big/**' } }]);
        const ms = performance.now() - started;
        console.log(
          `      search_files (a+)+$ over 50,001 characters: ${ms.toFixed(0)} ms, worst event-loop ` +
            `gap ${worstGap.toFixed(0)} ms`,
        );
        assert.ok(ms < 5000, `took ${ms} ms`);
        assert.ok(worstGap < 1000, `the extension host stalled for ${worstGap} ms`);
        assert.match(result, /No matches|big\/aaa\.txt/);
      } finally {
        clearInterval(ticker);
      }
    },
  );

  it("search_files returns ripgrep's own error for an invalid pattern", async () => {
    const [result] = await runTools([{ name: 'search_files', args: { pattern: '(a+' } }]);
    assert.match(result, /regex parse error|unclosed group/i, result);
  });

  it('scrubs a secret from the request body before it is sent, and says so in the chat and the log', async () => {
    const token = `ghp_${'A1b2'.repeat(9)}`;
    const from = server.requests.length;
    const before = posted.length;
    await api.chat.send(`Why does this token fail? ${token}`);
    assertNoLeak(from, new RegExp(token));
    assert.match(sentSince(from), /\[REDACTED SECRET\]/);
    const notices = posted.slice(before).filter((m) => m.type === 'notice');
    assert.ok(
      notices.some((m) => m.type === 'notice' && /GitHub token.*replaced with a placeholder/.test(m.text)),
      JSON.stringify(notices),
    );
  });

  it('qcoder.secrets.extraPatterns adds path and content rules for the tools and the scrubber', async () => {
    await config().update('secrets.extraPatterns', ['*.vault', '/ZEBRA-[0-9]{4}/'], vscode.ConfigurationTarget.Global);
    try {
      put('keys/team.vault', 'VAULT-CANARY-66aa\n');
      put('notes/plain.txt', 'code ZEBRA-1234 here\n');
      const from = server.requests.length;
      const results = await runTools([
        { name: 'read_file', args: { path: 'keys/team.vault' } },
        { name: 'read_file', args: { path: 'notes/plain.txt' } },
        { name: 'list_files', args: { path: 'keys' } },
      ]);
      assert.match(results[0], /qcoder\.secrets\.extraPatterns|secret/i, results[0]);
      assert.match(results[1], /off limits|secret|user pattern/i, results[1]);
      assert.match(results[2], /No files matched/, results[2]);
      assertNoLeak(from, /VAULT-CANARY|ZEBRA-1234/);
    } finally {
      await config().update('secrets.extraPatterns', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('the tools follow nested ignore files without the workspace index, and see an ignore file change', async () => {
    put('deep/er/.gitignore', 'private.ts\n');
    put('deep/er/private.ts', 'export const p = "IGNORED-CANARY-19be";\n');
    put('deep/er/public.ts', 'export const q = 1;\n');
    let results = await runTools([
      { name: 'read_file', args: { path: 'deep/er/private.ts' } },
      { name: 'list_files', args: { path: 'deep' } },
    ]);
    assert.match(results[0], /ignored by \.gitignore/, results[0]);
    assert.match(results[1], /deep\/er\/public\.ts/);
    assert.doesNotMatch(results[1], /private\.ts/);
    await vscode.workspace.fs.writeFile(vscode.Uri.file(abs('deep/er/.gitignore')), Buffer.from('# none now\n'));
    for (let i = 0; i < 20; i++) {
      results = await runTools([{ name: 'read_file', args: { path: 'deep/er/private.ts' } }]);
      if (/IGNORED-CANARY/.test(results[0])) break;
      await sleep(100);
    }
    assert.match(results[0], /IGNORED-CANARY/, `the changed .gitignore was read again: ${results[0]}`);
  });

  /**
   * Proposes the calls in one batch, opens its review and returns the approval reason per shown path; then stops it.
   */
  async function approvals(calls: [string, Record<string, unknown>][]): Promise<Map<string, string | undefined>> {
    const batch = api.review.edits.begin();
    const stop = new AbortController();
    for (const [tool, args] of calls) {
      const result = await batch.propose(tool, args, stop.signal);
      assert.ok(result.ok, `${tool} ${JSON.stringify(args)}: ${result.ok ? '' : result.message}`);
    }
    const before = new Set(api.review.controller.pending().map((review) => review.id));
    const decisions = batch.review(stop.signal);
    let review: Review | undefined;
    for (let i = 0; i < 400 && !review; i++) {
      review = api.review.controller.pending().find((candidate) => !before.has(candidate.id));
      if (!review) await sleep(25);
    }
    assert.ok(review, 'a pending review');
    const view = api.review.controller.view(review);
    stop.abort();
    await decisions;
    return new Map(view.files.map((file) => [file.path, file.approval]));
  }

  it('(4) renaming notes.json to package.json with a postinstall script needs approval', async () => {
    put('tools/notes.json', '{ "name": "tools", "scripts": { "postinstall": "node steal.js" } }\n');
    const shown = await approvals([['rename_file', { from: 'tools/notes.json', to: 'tools/package.json' }]]);
    assert.equal(shown.size, 1);
    assert.match([...shown.values()][0] ?? '', /scripts/);
  });

  it('(5) protected-path approval holds through linked folders and file links', async () => {
    put('.vscode/settings.json', '{}\n');
    put('.github/workflows/ci.yml', 'on: push\n');
    link('editor-cfg', '.vscode');
    link('settings-link.json', '.vscode/settings.json');
    link('gh', '.github');
    const shown = await approvals([
      ['write_file', { path: 'editor-cfg/tasks.json', content: '{ "tasks": [] }\n' }],
      ['write_file', { path: 'settings-link.json', content: '{ "terminal.integrated.shell.linux": "/tmp/x" }\n' }],
      ['write_file', { path: 'gh/workflows/x.yml', content: 'on: push\njobs: {}\n' }],
    ]);
    assert.equal(shown.size, 3);
    for (const [file, approval] of shown)
      assert.match(approval ?? '', /run|secrets|commands/, `${file} needs approval`);
  });
});
