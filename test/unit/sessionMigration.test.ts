/** The one-time move of sessions out of the old single workspace-state key into files. */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { nodeSessionFiles } from '../../src/core/session/nodeFiles';
import { SessionRepository } from '../../src/core/session/session';
import { MemoryStore } from '../support/memoryStore';

/** What version 0.1 kept under `qcoder.sessions` (written by hand, not by the code under test). */
const legacyState = {
  version: 1,
  activeId: 's-old-2',
  sessions: [
    {
      id: 's-old-1',
      title: 'First',
      createdAt: 100,
      updatedAt: 200,
      messages: [
        { id: 'm1', role: 'user', content: 'hello', status: 'complete', createdAt: 100 },
        {
          id: 'm2',
          role: 'assistant',
          content: 'reading',
          status: 'complete',
          createdAt: 101,
          toolCalls: [
            {
              id: 't1',
              name: 'read_file',
              rawArguments: '{"path":"a.ts"}',
              title: 'Read a.ts',
              status: 'done',
              result: 'x',
            },
          ],
        },
      ],
    },
    { id: 's-old-bad', title: 7, messages: 'nope' },
    {
      id: 's-old-2',
      title: 'Second',
      createdAt: 300,
      updatedAt: 400,
      messages: [
        { id: 'm3', role: 'user', content: 'q', status: 'complete', createdAt: 300 },
        { id: 'm4', role: 'assistant', content: 'half an ans', status: 'streaming', createdAt: 301 },
      ],
    },
  ],
};

let folder: string;
const names = () => readdirSync(folder).sort();
const onDisk = (name: string) => JSON.parse(readFileSync(join(folder, name), 'utf8'));

describe('migration from the old workspace-state key', () => {
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'qcoder-migrate-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('moves every valid session into its own file, keeps the invalid one aside, then clears the key', async () => {
    const store = new MemoryStore();
    await store.update('qcoder.sessions', legacyState);
    const reported: string[] = [];
    const repo = new SessionRepository(store, {
      files: nodeSessionFiles(folder),
      report: (line) => reported.push(line),
    });
    assert.equal(repo.active.id, 's-old-2', 'the session that was active stays active');
    assert.deepEqual(
      repo.summaries().map((s) => s.title),
      ['Second', 'First'],
    );
    await repo.loaded;
    assert.equal(store.get('qcoder.sessions'), undefined, 'the old key is cleared once the files are written');
    const files = names();
    assert.ok(files.includes('index.json'));
    assert.ok(files.includes('session-s-old-1.json'));
    assert.ok(files.includes('session-s-old-2.json'));
    assert.deepEqual(onDisk('session-s-old-1.json').messages[1].toolCalls[0].result, 'x');
    assert.equal(onDisk('session-s-old-2.json').messages[1].status, 'stopped', 'the cut-off reply is marked');
    const kept = files.find((name) => name.startsWith('legacy-session-2.json.corrupt-'));
    assert.ok(kept, 'the malformed session is kept beside the files');
    assert.deepEqual(onDisk(kept), legacyState.sessions[1]);
    assert.equal(reported.length, 1);
    assert.match(reported[0], /number 2\) could not be loaded \(the title or the times are missing\)/);
  });

  it('keeps the old active session active even when it is not the most recent', async () => {
    const store = new MemoryStore();
    await store.update('qcoder.sessions', { ...legacyState, activeId: 's-old-1' });
    const repo = new SessionRepository(store, { files: nodeSessionFiles(folder) });
    assert.equal(repo.active.id, 's-old-1');
    await repo.loaded;
    assert.equal(onDisk('index.json').activeId, 's-old-1');
  });

  it('happens once: a later start reads the files and ignores the key', async () => {
    const store = new MemoryStore();
    await store.update('qcoder.sessions', legacyState);
    const first = new SessionRepository(store, { files: nodeSessionFiles(folder) });
    await first.loaded;
    await first.rename('s-old-1', 'Renamed after the move');
    // Even if the old value came back, the index decides.
    await store.update('qcoder.sessions', legacyState);
    const second = new SessionRepository(store, { files: nodeSessionFiles(folder) });
    assert.ok(second.summaries().some((s) => s.title === 'Renamed after the move'));
    assert.equal(second.summaries().length, 2);
    await second.loaded;
    assert.equal(store.get('qcoder.sessions'), undefined);
  });

  it('keeps the key when the files could not be written, and tries again next time', async () => {
    const store = new MemoryStore();
    await store.update('qcoder.sessions', legacyState);
    const real = nodeSessionFiles(folder);
    const failing = { ...real, write: () => Promise.reject(new Error('ENOSPC: no space left on device')) };
    const reported: string[] = [];
    const repo = new SessionRepository(store, { files: failing, report: (line) => reported.push(line) });
    await repo.loaded;
    assert.ok(store.get('qcoder.sessions'), 'the old key is still there');
    assert.ok(reported.some((line) => /could not save session-s-old-1\.json .*ENOSPC/.test(line)));
    const retry = new SessionRepository(store, { files: real });
    await retry.loaded;
    assert.equal(store.get('qcoder.sessions'), undefined);
    assert.equal(retry.summaries().length, 2);
  });

  it('an unreadable old value is kept as a file and reported, and the chat starts empty', async () => {
    const store = new MemoryStore();
    await store.update('qcoder.sessions', 'garbage');
    const repo = new SessionRepository(store, { files: nodeSessionFiles(folder) });
    await repo.loaded;
    assert.equal(repo.active.messages.length, 0);
    assert.match(repo.problems[0], /list was unreadable/);
    const kept = names().find((name) => name.startsWith('legacy-sessions.json.corrupt-'));
    assert.ok(kept);
    assert.equal(onDisk(kept), 'garbage');
  });
});
