/**
 * Temporary files a killed writer left beside the session and checkpoint files: a restart
 * removes the ones no writer can still own (untouched for a minute), keeps a live writer's
 * (fresh), removes that one too on a later write once it is old, and never touches a
 * committed file. The sessions and checkpoints open afterwards as before.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { nodeSessionFiles } from '../../src/core/session/nodeFiles';
import { SessionRepository } from '../../src/core/session/session';
import {
  checkpointSweeper,
  STALE_TEMPORARY_MS,
  TemporarySweeper,
  temporaryOf,
} from '../../src/core/session/temporaries';
import { MemoryStore } from '../support/memoryStore';

let folder: string;
beforeEach(() => {
  folder = mkdtempSync(path.join(tmpdir(), 'qcoder-temporaries-'));
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

/** A file last written `ageMs` ago. */
function plant(name: string, text: string, ageMs: number): void {
  const file = path.join(folder, name);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  const when = new Date(Date.now() - ageMs);
  utimesSync(file, when, when);
}

const names = (sub = '') => readdirSync(path.join(folder, sub)).sort();
const STALE = STALE_TEMPORARY_MS + 5_000;

describe('temporary files left by a killed writer', () => {
  it('sessions: a restart removes stale temporary files, keeps a live one, and the chats still open', async () => {
    const first = new SessionRepository(new MemoryStore(), { files: nodeSessionFiles(folder) });
    const id = first.active.id;
    first.active.messages.push({ id: 'm1', role: 'user', content: 'kept', createdAt: 1, status: 'complete' });
    await first.save();
    const committed = names();
    assert.ok(committed.includes(`session-${id}.json`), committed.join(', '));
    plant(`session-${id}.json.1f2e3d4c`, '{"half', STALE);
    plant('index.json.9a8b7c', '{"vers', STALE);
    plant('session-other.json.77aa', '', STALE);
    plant(`session-${id}.json.abcdef12`, '{"live writer', 1_000);

    const second = new SessionRepository(new MemoryStore(), { files: nodeSessionFiles(folder) });
    assert.deepEqual(names(), [...committed, `session-${id}.json.abcdef12`].sort());
    assert.deepEqual(second.problems, []);
    assert.equal(second.get(id)?.messages[0]?.content, 'kept');

    // The live writer died after all: once old, the next write removes its file without a listing.
    const old = new Date(Date.now() - STALE);
    utimesSync(path.join(folder, `session-${id}.json.abcdef12`), old, old);
    second.active.messages.push({ id: 'm2', role: 'user', content: 'more', createdAt: 2, status: 'complete' });
    await second.save();
    assert.deepEqual(names(), committed);
    assert.equal(
      new SessionRepository(new MemoryStore(), { files: nodeSessionFiles(folder) }).get(id)?.messages.length,
      2,
    );
  });

  it("checkpoints: the store's sweep removes stale temporary files, not a live one, not a checkpoint", () => {
    const checkpoint = JSON.stringify({ id: 'cp-1', createdAt: 1, files: [] });
    plant('checkpoints/cp-1.json', checkpoint, STALE);
    plant('checkpoints/cp-1.json.0badc0de', checkpoint.slice(0, 9), STALE);
    plant('checkpoints/cp_2.json.12', '', STALE);
    plant('checkpoints/cp-3.json.fe', '{', 10);
    plant('checkpoints/notes.txt.ab', 'not a checkpoint temporary', STALE);
    checkpointSweeper(path.join(folder, 'checkpoints'));
    assert.deepEqual(names('checkpoints'), ['cp-1.json', 'cp-3.json.fe', 'notes.txt.ab']);
    assert.equal(readFileSync(path.join(folder, 'checkpoints', 'cp-1.json'), 'utf8'), checkpoint);
  });

  it("tells write-file-atomic's names from committed and set-aside files", () => {
    const isTemporary = temporaryOf(/^session-[\w-]+\.json$/);
    assert.ok(isTemporary('session-a.json.0f'));
    for (const name of ['session-a.json', 'session-a.json.corrupt-2026-01-01', 'session-a.json.', 'x.json.0f'])
      assert.equal(isTemporary(name), false, name);
  });

  it('without modification times (a key-value store) every temporary file is stale: no other writer exists', () => {
    const removed: string[] = [];
    const files = { list: () => ['index.json.aa', 'index.json'], remove: (name: string) => removed.push(name) };
    new TemporarySweeper(files, temporaryOf(/^index\.json$/)).sweep();
    assert.deepEqual(removed, ['index.json.aa']);
  });
});
