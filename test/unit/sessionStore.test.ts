/** Session storage against a real temporary folder: what lands on disk, and what loads back. */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { SessionFiles } from '../../src/core/session/files';
import { nodeSessionFiles } from '../../src/core/session/nodeFiles';
import { SessionRepository, type StoredMessage } from '../../src/core/session/session';
import { MemoryStore } from '../support/memoryStore';

let folder: string;
const message = (content: string, role: StoredMessage['role'] = 'user'): StoredMessage => ({
  id: `m-${content.replace(/\W/g, '')}`,
  role,
  content,
  status: 'complete',
  createdAt: 1,
});
const onDisk = (name: string) => JSON.parse(readFileSync(join(folder, name), 'utf8'));
const names = () => readdirSync(folder).sort();

/** The node files, with every write recorded. */
function recorded(): { files: SessionFiles; writes: string[] } {
  const files = nodeSessionFiles(folder);
  const writes: string[] = [];
  return {
    writes,
    files: { ...files, write: (name, text) => (writes.push(name), files.write(name, text)) },
  };
}

function open(store = new MemoryStore(), files: SessionFiles = nodeSessionFiles(folder)) {
  return new SessionRepository(store, { files });
}

/** Three sessions with messages a, b, c (c active), saved. */
async function threeSessions(): Promise<string[]> {
  const repo = open();
  const ids: string[] = [];
  for (const text of ['a', 'b', 'c']) {
    const session = repo.startNew();
    session.title = `title ${text}`;
    session.messages.push(message(text));
    session.updatedAt = ids.length + 10;
    ids.push(session.id);
    await repo.save();
  }
  return ids;
}

describe('session storage (one file per session)', () => {
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'qcoder-sessions-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('writes each session to its own file and an index, and reads them back', async () => {
    const [a, b, c] = await threeSessions();
    assert.deepEqual(names(), ['index.json', `session-${a}.json`, `session-${b}.json`, `session-${c}.json`]);
    assert.equal(onDisk(`session-${b}.json`).messages[0].content, 'b');
    const index = onDisk('index.json');
    assert.equal(index.activeId, c);
    assert.deepEqual(
      index.sessions.map((entry: { title: string }) => entry.title),
      ['title c', 'title b', 'title a'],
    );
    const again = open();
    assert.equal(again.active.id, c);
    assert.deepEqual(
      again.summaries().map((summary) => summary.title),
      ['title c', 'title b', 'title a'],
    );
    assert.equal(again.activate(a)?.messages[0].content, 'a');
  });

  it('while a reply streams, writes only the session that changed, and nothing when nothing did', async () => {
    const [a] = await threeSessions();
    const { files, writes } = recorded();
    const repo = open(new MemoryStore(), files);
    await repo.loaded;
    assert.deepEqual(writes, [], 'loading an intact folder writes nothing');
    repo.activate(a);
    await repo.save();
    writes.length = 0;
    const reply = message('', 'assistant');
    repo.active.messages.push(reply);
    for (const piece of ['Hel', 'lo', '!']) {
      reply.content += piece;
      await repo.save();
    }
    await repo.save();
    assert.deepEqual(writes, [`session-${a}.json`, `session-${a}.json`, `session-${a}.json`]);
    assert.equal(onDisk(`session-${a}.json`).messages[1].content, 'Hello!');
  });

  it('sets a corrupt session file aside, reports it, and the others still load', async () => {
    const [a, b, c] = await threeSessions();
    writeFileSync(join(folder, `session-${b}.json`), '{"id": "broken');
    const reported: string[] = [];
    const repo = new SessionRepository(new MemoryStore(), {
      files: nodeSessionFiles(folder),
      report: (p) => reported.push(p),
    });
    assert.equal(repo.active.id, c);
    assert.equal(repo.activate(b), undefined, 'the corrupt session does not open');
    assert.equal(repo.activate(a)?.messages[0].content, 'a');
    assert.equal(reported.length, 1);
    assert.match(reported[0], /could not be loaded \(not valid JSON/);
    const kept = names().find((name) => name.startsWith(`session-${b}.json.corrupt-`));
    assert.ok(kept, 'the file was renamed, not deleted');
    assert.match(reported[0], new RegExp(kept.replace(/[.]/g, '\\.')));
    assert.equal(readFileSync(join(folder, kept), 'utf8'), '{"id": "broken', 'its bytes are untouched');
    await repo.save();
    assert.deepEqual(
      open()
        .summaries()
        .map((summary) => summary.id),
      [c, a],
    );
  });

  it('a session file with valid JSON but a wrong shape is set aside with the reason', async () => {
    const [, , c] = await threeSessions();
    writeFileSync(
      join(folder, `session-${c}.json`),
      JSON.stringify({ id: c, title: 't', createdAt: 1, updatedAt: 1, messages: [{ id: 'x', role: 'robot' }] }),
    );
    const repo = open();
    assert.notEqual(repo.active.id, c, 'the next session opens instead');
    assert.equal(repo.problems.length, 1);
    assert.match(repo.problems[0], /message 1 has no role/);
  });

  it('rebuilds a corrupt index from the session files, keeping the corrupt one', async () => {
    const ids = await threeSessions();
    writeFileSync(join(folder, 'index.json'), 'not json');
    const repo = open();
    assert.deepEqual(new Set(repo.summaries().map((s) => s.id)), new Set(ids));
    assert.equal(repo.active.messages[0].content, 'c', 'the most recent session opens');
    assert.match(repo.problems[0], /The session list could not be loaded/);
    await repo.loaded;
    assert.ok(names().some((name) => name.startsWith('index.json.corrupt-')));
    assert.equal(onDisk('index.json').sessions.length, 3);
  });

  it('lists a session whose file was written but not its index entry (a crash in between)', async () => {
    const [a] = await threeSessions();
    const index = onDisk('index.json');
    index.sessions = index.sessions.filter((entry: { id: string }) => entry.id !== a);
    writeFileSync(join(folder, 'index.json'), JSON.stringify(index));
    assert.ok(
      open()
        .summaries()
        .some((summary) => summary.id === a),
    );
  });

  it('removes temporary files a killed write left behind', async () => {
    const [a] = await threeSessions();
    writeFileSync(join(folder, `session-${a}.json.1f2e3d4c`), '{"half');
    // Untouched for two minutes: no live writer holds it (a fresh one is left alone, see staleTemporaries).
    const old = new Date(Date.now() - 120_000);
    utimesSync(join(folder, `session-${a}.json.1f2e3d4c`), old, old);
    open();
    assert.ok(!names().some((name) => name.endsWith('.1f2e3d4c')));
  });

  it('renames a session in its file and in the index', async () => {
    const [a] = await threeSessions();
    const repo = open();
    assert.equal(await repo.rename(a, '  Release   notes \n'), true);
    assert.equal(onDisk(`session-${a}.json`).title, 'Release notes');
    assert.ok(onDisk('index.json').sessions.some((entry: { title: string }) => entry.title === 'Release notes'));
    assert.equal(await repo.rename(a, '   '), false, 'an empty title is refused');
    assert.equal(await repo.rename('../../etc/passwd', 'x'), false);
  });

  it('deletes a session into the trash, undo brings it back, and the trash empties on the next load', async () => {
    const [a, b, c] = await threeSessions();
    const repo = open();
    assert.equal(await repo.delete(c), true);
    assert.notEqual(repo.active.id, c, 'another session became active');
    assert.ok(!repo.summaries().some((summary) => summary.id === c));
    assert.ok(existsSync(join(folder, `deleted-${c}.json`)));
    assert.ok(!existsSync(join(folder, `session-${c}.json`)));
    const restored = await repo.restore(c);
    assert.equal(restored?.messages[0].content, 'c');
    assert.equal(repo.active.id, c);
    assert.equal(open().active.id, c, 'the undo is on disk');
    await repo.delete(b);
    const later = open();
    assert.deepEqual(
      later
        .summaries()
        .map((s) => s.id)
        .sort(),
      [a, c].sort(),
    );
    assert.ok(!names().some((name) => name.startsWith('deleted-')));
    assert.equal(await later.restore(b), undefined, 'too late to undo after a reload');
  });

  it('deleting the last session leaves a new empty one', async () => {
    const repo = open();
    repo.active.messages.push(message('only'));
    await repo.save();
    const only = repo.active.id;
    await repo.delete(only);
    assert.notEqual(repo.active.id, only);
    assert.equal(repo.active.messages.length, 0);
  });

  it('reports a failed write and writes the session again at the next save', async () => {
    const real = nodeSessionFiles(folder);
    let failNext = false;
    const files: SessionFiles = {
      ...real,
      write: (name, text) => {
        if (!failNext) return real.write(name, text);
        failNext = false;
        return Promise.reject(new Error('EACCES: permission denied'));
      },
    };
    const repo = open(new MemoryStore(), files);
    await repo.loaded;
    repo.active.messages.push(message('kept'));
    failNext = true;
    await repo.save();
    assert.match(repo.problems[0], /could not save session-.*\.json in .*EACCES: permission denied/);
    await repo.save();
    assert.equal(onDisk(`session-${repo.active.id}.json`).messages[0].content, 'kept');
  });

  it('a delete whose file cannot be moved is reported, not thrown', async () => {
    const [a] = await threeSessions();
    const real = nodeSessionFiles(folder);
    const files: SessionFiles = {
      ...real,
      rename: () => {
        throw new Error('EBUSY: resource busy');
      },
    };
    const repo = open(new MemoryStore(), files);
    assert.equal(await repo.delete(a), true);
    assert.match(repo.problems.join('\n'), /could not update its session files .*EBUSY/);
  });

  it('drops an index entry whose file is gone, and rewrites the index without it', async () => {
    const [a, b, c] = await threeSessions();
    rmSync(join(folder, `session-${a}.json`));
    const repo = open();
    assert.deepEqual(
      repo.summaries().map((s) => s.id),
      [c, b],
    );
    await repo.loaded;
    assert.deepEqual(
      onDisk('index.json').sessions.map((entry: { id: string }) => entry.id),
      [c, b],
    );
  });

  it('leaves files it does not own alone and does not take them for sessions', async () => {
    await threeSessions();
    const foreign = ['notes.txt', 'xsession-a.json', 'session-a.json.bak', 'mydeleted-a.json', 'deleted-a.json.keep'];
    for (const name of foreign) writeFileSync(join(folder, name), 'mine');
    const repo = open();
    assert.equal(repo.summaries().length, 3);
    assert.deepEqual(repo.problems, []);
    for (const name of foreign) assert.ok(existsSync(join(folder, name)), `${name} was removed`);
  });

  it('deleting another chat keeps the open one; a title is cut at 200 characters', async () => {
    const [a, , c] = await threeSessions();
    const repo = open();
    await repo.delete(a);
    assert.equal(repo.active.id, c);
    assert.equal(await repo.delete(a), false, 'already gone');
    await repo.rename(c, 'y'.repeat(300));
    assert.equal(onDisk(`session-${c}.json`).title, 'y'.repeat(200));
  });

  it(
    'marks a reply that was streaming when the process died as interrupted, ' + 'and its unfinished tool calls',
    async () => {
      const repo = open();
      const call = { id: 't', name: 'read_file', rawArguments: '{}', title: 'Read', status: 'running' as const };
      repo.active.messages.push(
        message('q'),
        { ...message('done', 'assistant'), toolCalls: [{ ...call, id: 't0', status: 'done', result: 'r' }] },
        { ...message('half', 'assistant'), status: 'streaming', toolCalls: [call] },
      );
      await repo.save();
      const [, done, reply] = open().active.messages;
      assert.equal(done.status, 'complete');
      assert.deepEqual(done.toolCalls?.[0], { ...call, id: 't0', status: 'done', result: 'r' });
      assert.equal(reply.status, 'stopped');
      assert.equal(reply.content, 'half');
      assert.match(reply.error ?? '', /Interrupted/);
      assert.equal(reply.toolCalls?.[0].status, 'skipped');
      assert.equal(reply.toolCalls?.[0].result, 'Not run: the window closed first.');
    },
  );
});
